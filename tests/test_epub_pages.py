"""The PDF's page numbers inside the EPUB: an EPUB reader can cite "p. 5" of the PDF.

The paginated EPUB is the one `make dist` builds, after the PDF beside it; the
plain `make epub` of the ``epub`` fixture has no PDF at hand, so no page numbers.
Both are checked by EPUBCheck 4.2.6 and 5.3, and the paginated one by Ace (``test_epub.py``).
"""

from __future__ import annotations

import re
import shutil
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from zipfile import ZipFile

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from tools import OTHER_HOST, READTHEDOCS_ENV, SLUG, book_config, require, run, sphinx_build

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
#: How many letters and digits after a marker must be found on its page.
FOLLOWING = 40


def squash(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text).lower() if c.isalnum())


def pdf_pages(pdf: Path) -> dict[str, str]:
    """``{printed page number: the page's text}`` of the PDF's arabic-numbered pages,
    less the paragraph numbers in the margin."""
    require("pdftotext")
    pages = {}
    for text in run(["pdftotext", "-layout", str(pdf), "-"]).stdout.split("\f"):
        lines = [line for line in text.splitlines() if line.strip()]
        if lines and lines[-1].strip().isdigit():
            body = "\n".join(lines[:-1])
            pages[lines[-1].strip()] = re.sub(r"(?<=\S) {3,}\d+ *$", "", body, flags=re.M)
    return pages


def epub_files(path: Path) -> dict[str, bytes]:
    with ZipFile(path) as epub:
        return {name: epub.read(name) for name in epub.namelist()}


def markers(files: dict[str, bytes], labels: list[str]) -> list[tuple[str, str, str]]:
    """Every page break marker: ``(label, file, the text after it)``, in the order of
    the PDF's *labels*."""
    found = []
    for name in sorted(n for n in files if n.endswith(".xhtml") and n != "nav.xhtml"):
        soup = BeautifulSoup(files[name], "html.parser")
        for pnum in soup.select("span.book-pnum"):
            pnum.decompose()  # at the paragraph's start here, in the margin in the PDF
        for span in soup.find_all("span", attrs={"epub:type": "pagebreak"}):
            assert span["role"] == "doc-pagebreak"
            assert span["aria-label"] == span["id"].removeprefix("page-")
            following = ""
            for element in span.next_elements:
                if isinstance(element, str):
                    following += element
                if len(squash(following)) >= FOLLOWING:
                    break
            found.append((span["aria-label"], name, following))
    return sorted(found, key=lambda marker: labels.index(marker[0]))


@pytest.fixture(scope="module")
def paginated(dist) -> dict[str, bytes]:
    return epub_files(dist.epub_file)


@pytest.fixture(scope="module")
def printed(dist) -> dict[str, str]:
    return pdf_pages(dist.pdf_file)


@pytest.fixture(scope="module")
def labels(dist) -> list[str]:
    """The PDF's page labels, as a PDF reader shows them: front matter, essay, index."""
    return PdfReader(dist.pdf_file).page_labels


def test_the_epub_marks_every_page_of_the_pdf_front_matter_and_index_too(paginated, labels):
    """Issue 23: the page list covered pages 1 to 14 only, not i, ii and the index (15)."""
    assert [label for label, _, _ in markers(paginated, labels)] == labels
    assert labels[0] != "1"  # the PDF has front matter (title page, contents)
    assert len(labels) > 5


def test_the_front_matter_and_the_index_are_marked_on_their_epub_counterparts(
    paginated, labels, printed
):
    """The PDF's title page where the EPUB's title page begins, its contents where the
    landing page (the EPUB's contents) begins, its index where the EPUB's index does."""
    found = {label: name for label, name, _ in markers(paginated, labels)}
    front = labels[: labels.index("1")]
    index = [label for label in printed if printed[label].strip().startswith("Index")]
    assert index
    assert (found[front[0]], found[front[1]]) == ("titlepage.xhtml", "index.xhtml")
    assert {found[label] for label in labels[labels.index(index[0]) :]} == {"genindex.xhtml"}


def test_the_text_after_page_marker_n_is_on_page_n_of_the_pdf(paginated, printed, labels):
    essay = [
        (label, name, text)
        for label, name, text in markers(paginated, labels)
        if name not in {"titlepage.xhtml", "index.xhtml", "genindex.xhtml"}
    ]
    assert len(essay) > 5
    wrong = [
        f"page {label} ({name}): {' '.join(text.split())[:60]!r}"
        for label, name, text in essay
        if squash(text)[:FOLLOWING] not in squash(printed[label])
    ]
    assert wrong == []


def test_page_list_navigation_leads_to_every_marker_in_page_order(paginated, labels):
    nav = BeautifulSoup(paginated["nav.xhtml"], "html.parser")
    page_list = nav.find("nav", attrs={"epub:type": "page-list"})
    assert page_list is not None
    links = [(a.get_text(), a["href"]) for a in page_list.select("ol > li > a")]
    marked = markers(paginated, labels)
    assert links == [(label, f"{name}#page-{label}") for label, name, _ in marked]


def test_package_names_the_pdf_edition_as_the_source_of_the_pagination(paginated):
    opf = ET.fromstring(paginated["content.opf"])
    (source,) = opf.findall("opf:metadata/dc:source", NS)
    assert source.text.endswith(f"/{SLUG}.pdf")
    (refines,) = opf.findall("opf:metadata/opf:meta[@property='source-of']", NS)
    assert refines.get("refines") == f"#{source.get('id')}"
    assert refines.text == "pagination"
    features = {
        m.text
        for m in opf.findall("opf:metadata/opf:meta[@property='schema:accessibilityFeature']", NS)
    }
    assert {"pageBreakMarkers", "pageNavigation"} <= features


def test_without_a_pdf_at_hand_the_epub_has_no_page_numbers_and_the_build_says_so(epub, epub_file):
    files = epub_files(epub_file)
    assert markers(files, []) == []
    assert b"page-list" not in files["nav.xhtml"]
    assert b"dc:source" not in files["content.opf"]
    assert "so no page numbers of the PDF edition" in epub.log
    assert "make dist" in epub.log


def test_on_read_the_docs_the_epub_takes_its_pages_from_the_pdf_built_before_it(pdf, tmp_path):
    """Read the Docs builds the PDF before the EPUB and keeps it in
    ``$READTHEDOCS_OUTPUT/pdf/``, named after its project, not in ``latex/`` beside the
    EPUB's folder: the EPUB had no page list there.  Replayed: the PDF built with Read
    the Docs' commands, moved there, then the EPUB built into ``$READTHEDOCS_OUTPUT/epub``.
    The PDF it names is this edition's download, not latest's."""
    src = pdf.outdir.parent.parent  # the copy the PDF was built from (conftest.build_pdf)
    output = tmp_path / "_readthedocs"
    (output / "pdf").mkdir(parents=True)
    shutil.copy2(pdf.pdf, output / "pdf" / "example.pdf")
    env = {**READTHEDOCS_ENV, "READTHEDOCS_OUTPUT": str(output), "BOOK_BASEURL": OTHER_HOST}
    sphinx_build("epub", output / "epub", src, env=env)
    files = epub_files(output / "epub" / f"{SLUG}.epub")
    labels = PdfReader(pdf.pdf).page_labels
    assert [label for label, _, _ in markers(files, labels)] == labels
    (source,) = ET.fromstring(files["content.opf"]).findall("opf:metadata/dc:source", NS)
    host = READTHEDOCS_ENV["READTHEDOCS_CANONICAL_URL"].split("/en/")[0]
    version = book_config()["version"].lower()
    assert source.text == f"{host}/_/downloads/en/{version}/pdf/"
