"""The EPUB as a citable edition: the date a citation gives, in its package document.

Sphinx dates the package document's ``dc:date`` and ``dcterms:modified`` alike, from
``SOURCE_DATE_EPOCH``.  ``dcterms:modified`` is when the file was made and stays so;
``dc:date`` is the publication's date, the one ``CITATION.cff`` gives.

The builder extends the book's EPUB builder (``epub.BookEpubBuilder``) and takes the
``epub`` name over from it, so this module is wired after ``epub`` in ``PIPELINE``.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from .citation import book_citation
from .epub import BookEpubBuilder, edit_xml


class CitableEpubBuilder(BookEpubBuilder):
    """The book's EPUB builder, with the citation's date."""

    def build_content(self) -> None:
        super().build_content()
        with edit_xml(Path(self.outdir, "content.opf")) as opf:
            (date,) = opf.getElementsByTagName("dc:date")
            date.firstChild.data = book_citation(self.config).date.isoformat()


def setup(app: Sphinx) -> None:
    app.add_builder(CitableEpubBuilder, override=True)
