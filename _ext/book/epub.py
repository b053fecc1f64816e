"""The book's EPUB builder: Sphinx's EPUB 3 builder, accessible and reproducible.

Sphinx writes ``content.opf``, ``nav.xhtml`` and ``toc.ncx`` from fixed templates and
zips the book inside ``handle_finish``, so the changes live in a builder subclass that
replaces the ``epub`` builder:

* accessibility, as EPUB Accessibility 1.1 asks and Ace by DAISY checks: ``lang`` and
  ``xml:lang`` on every page (the captions' ``aria-level`` comes from
  ``html_markup``), ``role="doc-toc"`` on the navigation document's
  ``epub:type="toc"``, and the schema.org accessibility metadata in the package document;
* the cover image carries the EPUB 3 ``cover-image`` property, the navigation document
  lists the index (which is in the reading order but in no toctree), and ``toc.ncx`` names
  the book's identifier (Sphinx writes ``epub_uid`` there, which EPUBCheck rejects);
* the ``.epub`` zip is reproducible: ``mimetype`` first and stored, then every entry in
  sorted order with the time of ``SOURCE_DATE_EPOCH`` (1980-01-01 without it) and fixed
  permissions.  Sphinx already dates the package document from ``SOURCE_DATE_EPOCH``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.dom import minidom
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile, ZipInfo

from sphinx.application import Sphinx
from sphinx.builders.epub3 import Epub3Builder
from sphinx.locale import _, __
from sphinx.util import logging

logger = logging.getLogger(__name__)

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"

#: The earliest time a zip entry can carry.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def zip_date_time() -> tuple[int, ...]:
    """The time of ``SOURCE_DATE_EPOCH`` for a zip entry, or the earliest one without it.

    Sphinx itself has already rejected a value that is not a whole number by then.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return ZIP_EPOCH
    return max(tuple(time.gmtime(int(epoch))[:6]), ZIP_EPOCH)


@contextmanager
def edit_xml(path: Path) -> Iterator[minidom.Document]:
    """Parse one of the files Sphinx wrote from its templates, and save the changes."""
    document = minidom.parse(str(path))
    yield document
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        for node in document.childNodes:
            node.writexml(out)
            out.write("\n")


class BookEpubBuilder(Epub3Builder):
    """Sphinx's EPUB 3 builder with accessibility metadata and a reproducible zip."""

    def prepare_writing(self, docnames: Any) -> None:
        super().prepare_writing(docnames)
        lang = self.config.epub_language
        self.globalcontext["html_tag"] = (
            f'<html xmlns="{XHTML}" xmlns:epub="{OPS}" lang="{lang}" xml:lang="{lang}">'
        )

    def toc_metadata(self, level: int, navpoints: list[Any]) -> dict[str, Any]:
        metadata = super().toc_metadata(level, navpoints)
        metadata["uid"] = self.config.epub_identifier
        return metadata

    # -- accessibility metadata and the cover in content.opf ------------------------

    def accessibility_metadata(self) -> list[tuple[str, str]]:
        """schema.org accessibility properties, as EPUB Accessibility 1.1 asks."""
        modes = ["textual", "visual"] if self.env.images else ["textual"]
        features = ["structuralNavigation", "tableOfContents", "readingOrder"]
        if self.use_index:
            features.append("index")
        return [
            *[("schema:accessMode", mode) for mode in modes],
            ("schema:accessModeSufficient", "textual"),
            *[("schema:accessibilityFeature", feature) for feature in features],
            ("schema:accessibilityHazard", "none"),
            ("schema:accessibilitySummary", self.config.book_epub_accessibility_summary),
        ]

    def build_content(self) -> None:
        super().build_content()
        with edit_xml(Path(self.outdir, "content.opf")) as opf:
            metadata = opf.getElementsByTagName("metadata")[0]
            for prop, value in self.accessibility_metadata():
                meta = opf.createElement("meta")
                meta.setAttribute("property", prop)
                meta.appendChild(opf.createTextNode(value))
                metadata.insertBefore(opf.createTextNode("\n    "), metadata.lastChild)
                metadata.insertBefore(meta, metadata.lastChild)
            if self.config.epub_cover:
                cover_id = self.make_id(self.config.epub_cover[0].replace(os.sep, "/"))
                for item in opf.getElementsByTagName("item"):
                    if item.getAttribute("id") == cover_id:
                        item.setAttribute("properties", "cover-image")

    # -- the navigation document: its role and the index -----------------------------

    def build_navigation_doc(self) -> None:
        super().build_navigation_doc()
        with edit_xml(Path(self.outdir, "nav.xhtml")) as nav_doc:
            for nav in nav_doc.getElementsByTagName("nav"):
                if nav.getAttribute("epub:type") != "toc":
                    continue
                nav.setAttribute("role", "doc-toc")
                if self.use_index:  # the index is in the spine, but in no toctree
                    link = nav_doc.createElement("a")
                    link.setAttribute("href", "genindex" + self.out_suffix)
                    link.appendChild(nav_doc.createTextNode(_("Index")))
                    item = nav_doc.createElement("li")
                    item.appendChild(link)
                    contents = nav.getElementsByTagName("ol")[0]
                    contents.appendChild(nav_doc.createTextNode("  "))
                    contents.appendChild(item)
                    contents.appendChild(nav_doc.createTextNode("\n      "))

    # -- a reproducible zip ---------------------------------------------------------

    def build_epub(self) -> None:
        outname = self.config.epub_basename + ".epub"
        logger.info(__("writing %s file..."), outname)
        date_time = zip_date_time()
        names = sorted({"META-INF/container.xml", "content.opf", "toc.ncx", *self.files})
        entries = [("mimetype", ZIP_STORED)] + [(name, ZIP_DEFLATED) for name in names]
        with ZipFile(Path(self.outdir, outname), "w") as epub:
            for name, compression in entries:
                info = ZipInfo(name, date_time=date_time)
                info.compress_type = compression
                info.create_system = 3  # Unix, so the permissions below mean the same everywhere
                info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
                epub.writestr(info, Path(self.outdir, name).read_bytes())


def setup(app: Sphinx) -> None:
    app.add_config_value(
        "book_epub_accessibility_summary",
        "This publication contains text only, organised with headings, a table of contents "
        "and a logical reading order.",
        "epub",
        types=frozenset({str}),
    )
    app.add_builder(BookEpubBuilder, override=True)
