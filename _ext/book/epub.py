"""The book's EPUB builder: Sphinx's EPUB 3 builder, accessible and reproducible.

Sphinx writes ``content.opf``, ``nav.xhtml`` and ``toc.ncx`` from fixed templates and
zips the book inside ``handle_finish``, so the changes live in a builder subclass that
replaces the ``epub`` builder:

* accessibility, as EPUB Accessibility 1.1 asks and Ace by DAISY checks: ``lang`` and
  ``xml:lang`` on every page (the captions' ``aria-level`` comes from
  ``html_markup``), ``role="doc-toc"`` on the navigation document's
  ``epub:type="toc"``, and the schema.org accessibility metadata in the package document
  (:func:`accessibility_metadata`, which the About page's statement reads too);
* structure a screen reader can move through (:class:`EpubTranslator`): each page's
  part of the book as ``epub:type`` (``frontmatter``, ``bodymatter chapter``,
  ``backmatter``, ``glossary``, ``index``) with the matching DPUB-ARIA role (each
  highlight is an ``<aside>`` and each FAQ box a ``<section>`` with a real heading, the
  question for the FAQ, in every HTML edition: ``html_markup``); and a landmarks
  navigation (contents, start of the essay, glossary, index);
* a title page first in the reading order (:func:`title_page`): the title, the
  subtitle (the landing page's ``book-subtitle`` paragraph, with its emphasis), the
  author, the edition (``edition`` in ``conf.py``) and the publisher, all from
  ``CITATION.cff`` through ``conf.py``; it is in the spine and the landmarks, not in
  the contents;
* the cover image carries the EPUB 3 ``cover-image`` property, the navigation lists the
  chapters with their numbers, as their headings carry them, and the index (which is in
  the reading order but in no toctree), and ``toc.ncx`` names the book's identifier
  (Sphinx writes ``epub_uid`` there, which EPUBCheck rejects);
* Kindle's rules, which EPUBCheck does not check (Send to Kindle converts the EPUB and
  mangles a file that breaks them): an XML declaration at the top of every page
  (Sphinx writes one on the navigation document only) and stylesheets without
  comments (Sphinx's own are full of ``--``); and no empty ``<span id>`` before a
  heading (:class:`IdsInsideHeadings`), which a reader that breaks the page before
  headings leaves alone on a page;
* the ``.epub`` zip is reproducible: ``mimetype`` first and stored, then every entry in
  sorted order with the time of ``SOURCE_DATE_EPOCH`` (1980-01-01 without it) and fixed
  permissions.  Sphinx already dates the package document from ``SOURCE_DATE_EPOCH``.
"""

from __future__ import annotations

import html
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.dom import minidom
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile, ZipInfo

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.epub3 import Epub3Builder
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.locale import _, __
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

from .glosses import term_places

logger = logging.getLogger(__name__)

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"

#: The earliest time a zip entry can carry.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
#: The landmarks navigation's name for the first chapter.
START_OF_THE_ESSAY = "Start of the essay"
#: The title page: its page name (``titlepage.xhtml``) and its landmark.
TITLE_PAGE = "titlepage"
TITLE_PAGE_NAME = "Title page"
#: What Kindle wants at the top of every XHTML file.
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
CSS_COMMENT = re.compile(rb"/\*.*?\*/\n?", re.DOTALL)


def accessibility_metadata(config: Config, env: BuildEnvironment) -> list[tuple[str, str]]:
    """The schema.org accessibility properties of the EPUB, as EPUB Accessibility 1.1 asks.

    One source for the package document and the About page's accessibility statement.
    ``displayTransformability``: the text reflows and the book sets no text colour, so a
    reading system's fonts, sizes, spacing and colours apply.  ``ARIA``: the DPUB-ARIA
    roles that :class:`EpubTranslator` writes.  ``pageBreakMarkers`` and
    ``pageNavigation``: the PDF edition's pages, when ``cite_epub`` has a PDF to take
    them from.
    """
    modes = ["textual", "visual"] if env.images else ["textual"]
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if config.epub_use_index:
        features.append("index")
    features += ["displayTransformability", "ARIA"]
    if getattr(env, "book_pagination_source", None):
        features += ["pageBreakMarkers", "pageNavigation"]
    return [
        *[("schema:accessMode", mode) for mode in modes],
        ("schema:accessModeSufficient", "textual"),
        *[("schema:accessibilityFeature", feature) for feature in features],
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", config.book_epub_accessibility_summary),
    ]


def glossary_docs(env: BuildEnvironment) -> set[str]:
    """The documents that define glossary terms."""
    return set(term_places(env).values())


def book_part(env: BuildEnvironment, config: Config, docname: str) -> tuple[str, str | None]:
    """The ``epub:type`` and DPUB-ARIA role of a page's top section.

    The landing page (title and contents) is the front matter, the numbered chapters are
    the body, and every other page (unnumbered: highlights, FAQ, glossary, about) is the
    back matter; the page that defines glossary terms is the glossary.
    """
    if docname == config.root_doc:
        return "frontmatter", None
    if "" in env.toc_secnumbers.get(docname, {}):
        return "bodymatter chapter", "doc-chapter"
    if docname in glossary_docs(env):
        return "backmatter glossary", "doc-glossary"
    return "backmatter", None


def subtitle_of(env: BuildEnvironment, root_doc: str) -> nodes.paragraph | None:
    """The landing page's subtitle: its paragraph marked ``{.book-subtitle}``, if any."""
    doctree = env.get_doctree(root_doc)
    return next(
        (p for p in doctree.findall(nodes.paragraph) if "book-subtitle" in p["classes"]), None
    )


def title_page(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """The EPUB's title page, written with the other pages (``html-collect-pages``), in
    the theme's own page template: any book has it, whatever its ``templates_path``.

    The publisher is left out when the book names none of its own (Sphinx's
    ``epub_publisher`` is then the author, or "unknown")."""
    builder = app.builder
    if not isinstance(builder, BookEpubBuilder):
        return []
    config = app.config
    publisher = config.epub_publisher.strip()
    subtitle = subtitle_of(builder.env, config.root_doc)
    lines = [f"<h1>{html.escape(config.epub_title)}</h1>"]
    if subtitle is not None:  # rendered as the landing page renders it
        lines.append(builder.render_partial(subtitle.deepcopy())["fragment"].strip())
    lines.append(f'<p class="book-author">{html.escape(config.epub_author)}</p>')
    lines.append(f'<p class="book-edition">{html.escape(config.edition)}</p>')
    if publisher not in {"", "unknown", config.epub_author}:
        lines.append(f'<p class="book-publisher">{html.escape(publisher)}</p>')
    body = "\n".join(
        ['<section epub:type="frontmatter titlepage" class="book-titlepage">', *lines, "</section>"]
    )
    return [(TITLE_PAGE, {"title": html.escape(config.epub_title), "body": body}, "page.html")]


class EpubTranslator(HTML5Translator):
    """The EPUB's pages: each one's part of the book.

    ``html_markup`` wraps this translator as it wraps any other (the boxes' real
    headings come from there, for every HTML edition).
    """

    def visit_section(self, node: nodes.section) -> None:
        if self.section_level > 0:
            super().visit_section(node)
            return
        epub_type, role = book_part(self.builder.env, self.config, self.builder.current_docname)
        attributes = {"epub:type": epub_type, **({"role": role} if role else {})}
        self.section_level += 1
        self.body.append(self.starttag(node, "section", **attributes))


class IdsInsideHeadings(SphinxPostTransform):
    """The other ids of a section or a box (its label's, an index entry's) go inside its
    heading, not before it as an empty ``<span>``.

    Readers that break the page before every heading (calibre's AZW3 import, at its
    defaults) otherwise leave that empty element alone on a page: a blank page before
    every chapter.  A link to any of the ids still lands on the heading.
    """

    builders = ("epub",)
    default_priority = 900

    def run(self, **kwargs: Any) -> None:
        for element in self.document.findall(nodes.Element):
            if len(element["ids"]) < 2 or not element or not isinstance(element[0], nodes.title):
                continue
            others = element["ids"][1:]
            del element["ids"][1:]
            element[0].insert(0, nodes.inline(ids=others))


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


def list_item(document: minidom.Document, href: str, text: str, epub_type: str = "") -> Any:
    """``<li><a href epub:type>text</a></li>`` for the navigation document."""
    link = document.createElement("a")
    if epub_type:
        link.setAttribute("epub:type", epub_type)
    link.setAttribute("href", href)
    link.appendChild(document.createTextNode(text))
    item = document.createElement("li")
    item.appendChild(link)
    return item


class BookEpubBuilder(Epub3Builder):
    """Sphinx's EPUB 3 builder with accessibility metadata and a reproducible zip."""

    default_translator_class = EpubTranslator

    def prepare_writing(self, docnames: Any) -> None:
        super().prepare_writing(docnames)
        lang = self.config.epub_language
        self.globalcontext["html_tag"] = (
            f'<html xmlns="{XHTML}" xmlns:epub="{OPS}" lang="{lang}" xml:lang="{lang}">'
        )

    def toc_add_files(self, refnodes: list[dict[str, Any]]) -> None:
        """The title page first in the reading order; without a title of its own, it is
        in neither contents list (Sphinx's rule for ``epub_pre_files``)."""
        super().toc_add_files(refnodes)
        refnodes.insert(0, {"level": 1, "refuri": TITLE_PAGE + self.out_suffix, "text": ""})

    def toc_metadata(self, level: int, navpoints: list[Any]) -> dict[str, Any]:
        metadata = super().toc_metadata(level, navpoints)
        metadata["uid"] = self.config.epub_identifier
        return metadata

    def get_refnodes(self, doctree: nodes.Node, result: list[dict[str, Any]]) -> list[dict]:
        """The entries of ``nav.xhtml`` and ``toc.ncx``: a chapter's with its number."""
        before = len(result)
        result = super().get_refnodes(doctree, result)
        number = doctree.get("secnumber") if isinstance(doctree, nodes.reference) else None
        if number and len(result) > before:
            prefix = ".".join(map(str, number)) + self.config.html_secnumber_suffix
            result[-1]["text"] = prefix + result[-1]["text"]
        return result

    # -- accessibility metadata and the cover in content.opf ------------------------

    def build_content(self) -> None:
        super().build_content()
        with edit_xml(Path(self.outdir, "content.opf")) as opf:
            metadata = opf.getElementsByTagName("metadata")[0]
            for prop, value in accessibility_metadata(self.config, self.env):
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
            # the EPUB 2 guide (Kindle's converter reads it): Sphinx names the first page
            # of the reading order as the contents; that is the title page now
            for guide in opf.getElementsByTagName("guide"):
                for reference in guide.getElementsByTagName("reference"):
                    if reference.getAttribute("type") == "toc":
                        reference.setAttribute("href", self.config.root_doc + self.out_suffix)
                title = opf.createElement("reference")
                title.setAttribute("type", "title-page")
                title.setAttribute("title", TITLE_PAGE_NAME)
                title.setAttribute("href", TITLE_PAGE + self.out_suffix)
                guide.insertBefore(title, guide.firstChild)
                guide.insertBefore(opf.createTextNode("\n    "), guide.firstChild)

    # -- the navigation document: its role, the index and the landmarks ---------------

    def landmarks(self) -> list[tuple[str, str, str]]:
        """The landmarks navigation: (epub:type, page, name) for each part the book has."""
        secnumbers = self.env.toc_secnumbers
        chapters = sorted((secnumbers[d][""], d) for d in secnumbers if "" in secnumbers[d])
        found = [
            ("titlepage", TITLE_PAGE, TITLE_PAGE_NAME),
            ("toc", self.config.root_doc, _("Table of Contents")),
        ]
        if chapters:
            found.append(("bodymatter", chapters[0][1], START_OF_THE_ESSAY))
        for docname in sorted(glossary_docs(self.env)):
            found.append(("glossary", docname, self.env.titles[docname].astext()))
        if self.use_index:
            found.append(("index", "genindex", _("Index")))
        return [(kind, docname + self.out_suffix, name) for kind, docname, name in found]

    def build_navigation_doc(self) -> None:
        super().build_navigation_doc()
        with edit_xml(Path(self.outdir, "nav.xhtml")) as nav_doc:
            body = nav_doc.getElementsByTagName("body")[0]
            for nav in nav_doc.getElementsByTagName("nav"):
                if nav.getAttribute("epub:type") != "toc":
                    continue
                nav.setAttribute("role", "doc-toc")
                if self.use_index:  # the index is in the spine, but in no toctree
                    contents = nav.getElementsByTagName("ol")[0]
                    contents.appendChild(nav_doc.createTextNode("  "))
                    contents.appendChild(
                        list_item(nav_doc, "genindex" + self.out_suffix, _("Index"))
                    )
                    contents.appendChild(nav_doc.createTextNode("\n      "))
            # reading systems offer the landmarks ("go to the index"); none shows them as text
            landmarks = nav_doc.createElement("nav")
            landmarks.setAttribute("epub:type", "landmarks")
            landmarks.setAttribute("id", "landmarks")
            landmarks.setAttribute("hidden", "hidden")
            heading = nav_doc.createElement("h2")
            heading.appendChild(nav_doc.createTextNode("Landmarks"))
            items = nav_doc.createElement("ol")
            for kind, href, name in self.landmarks():
                items.appendChild(nav_doc.createTextNode("\n        "))
                items.appendChild(list_item(nav_doc, href, name, kind))
            items.appendChild(nav_doc.createTextNode("\n      "))
            for child in (nav_doc.createTextNode("\n      "), heading,
                          nav_doc.createTextNode("\n      "), items,
                          nav_doc.createTextNode("\n    ")):  # fmt: skip
                landmarks.appendChild(child)
            body.insertBefore(nav_doc.createTextNode("\n    "), body.lastChild)
            body.insertBefore(landmarks, body.lastChild)

    # -- the index as the index ------------------------------------------------------

    def write_genindex(self) -> None:
        """The index page's content in a ``<section epub:type="index" role="doc-index">``."""
        super().write_genindex()
        with edit_xml(Path(self.outdir, "genindex" + self.out_suffix)) as page:
            main = next(
                div
                for div in page.getElementsByTagName("div")
                if div.getAttribute("role") == "main"
            )
            section = page.createElement("section")
            section.setAttribute("epub:type", "backmatter index")
            section.setAttribute("role", "doc-index")
            while main.firstChild is not None:
                section.appendChild(main.firstChild)
            main.appendChild(section)

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
                data = Path(self.outdir, name).read_bytes()
                if name.endswith(".css"):
                    data = CSS_COMMENT.sub(b"", data)
                epub.writestr(info, data)


def declare_xml(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Each EPUB page starts with the XML declaration, before its doctype."""
    if isinstance(app.builder, BookEpubBuilder):
        doctype = context.get("doctype", "")
        if not doctype.startswith("<?xml"):
            context["doctype"] = f"{XML_DECLARATION}\n{doctype}"


def setup(app: Sphinx) -> None:
    app.add_config_value(
        "book_epub_accessibility_summary",
        "This publication contains text only, organised with headings, a table of contents "
        "and a logical reading order.",
        "epub",
        types=frozenset({str}),
    )
    app.add_config_value(
        "edition", lambda config: f"Edition {config.release}", "epub", types=frozenset({str})
    )
    app.add_builder(BookEpubBuilder, override=True)
    app.add_post_transform(IdsInsideHeadings)
    app.connect("html-collect-pages", title_page)
    app.connect("html-page-context", declare_xml)
