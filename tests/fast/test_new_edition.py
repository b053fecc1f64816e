"""A new edition, and named authors, change CITATION.cff alone.

The small book is copied and its CITATION.cff given another version and date and two
named authors (CFF's own ``given-names``/``family-names``); it is built on a Read the
Docs address (``/en/latest/``), with a page that cites it.  Everything that names the
edition or the authors must follow: the citations and their files, the meta tags, the
paragraphs' addresses, the EPUB's identifier and creator.
"""

from __future__ import annotations

import datetime
import json
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from smallbook import SMALL_BOOK, build_small_book

SITE = "https://example.readthedocs.io/en/latest/"
VERSION = "2.1"
DATE = datetime.date(2027, 3, 4)
EDITION = SITE.replace("/latest/", f"/{VERSION}/")
AUTHORS = [
    {"given-names": "Jane Q.", "family-names": "Doe"},
    {"given-names": "John", "family-names": "Smith"},
]
CITE_PAGE = "---\norphan: true\n---\n\n# Cite\n\n```{cite-this}\n```\n"


def build(src: Path, builder: str) -> SphinxTestApp:
    return build_small_book(src, builder, confoverrides={"html_baseurl": SITE})


@pytest.fixture(scope="module")
def second_edition(tmp_path_factory) -> dict[str, SphinxTestApp]:
    src = tmp_path_factory.mktemp("second-edition") / "src"
    shutil.copytree(SMALL_BOOK, src)
    cff = yaml.safe_load((src / "CITATION.cff").read_text(encoding="utf-8"))
    cff["preferred-citation"].update(version=VERSION, **{"date-released": DATE}, authors=AUTHORS)
    (src / "CITATION.cff").write_text(yaml.safe_dump(cff, sort_keys=False), encoding="utf-8")
    (src / "backmatter" / "cite.md").write_text(CITE_PAGE, encoding="utf-8")
    return {builder: build(src, builder) for builder in ("html", "epub")}


def soup(app: SphinxTestApp, page: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / page).read_text(encoding="utf-8"), "html.parser")


def meta(page: BeautifulSoup, name: str) -> list[str]:
    return [tag["content"] for tag in page.find_all("meta", attrs={"name": name})]


def citations(page: BeautifulSoup) -> dict[str, str]:
    return {
        dt.get_text(): " ".join(dt.find_next_sibling("dd").get_text().split())
        for dt in page.select("dl.book-citations > dt")
    }


def citation_file(app: SphinxTestApp, suffix: str) -> str:
    """A citation file as written (RIS's CRLF line ends kept)."""
    return (app.outdir / "cite" / f"{app.config.epub_basename}{suffix}").read_bytes().decode()


def test_the_pages_meta_tags_name_the_new_edition_and_each_author(second_edition):
    page = soup(second_edition["html"], "chapters/01-first.html")
    assert meta(page, "citation_edition") == [VERSION]
    assert meta(page, "citation_publication_date") == [DATE.strftime("%Y/%m/%d")]
    assert meta(page, "citation_author") == ["Jane Q. Doe", "John Smith"]
    assert meta(page, "citation_public_url") == [EDITION]


def test_the_citations_name_the_authors_as_each_style_does_and_cite_this_edition(
    second_edition,
):
    found = citations(soup(second_edition["html"], "backmatter/cite.html"))
    assert list(found) == ["APA", "MLA", "Chicago"]
    assert found["APA"].startswith(f"Doe, J. Q., & Smith, J. ({DATE.year}). A Small Book ")
    assert found["MLA"].startswith("Doe, Jane Q., and John Smith. A Small Book. ")
    assert found["Chicago"].startswith("Doe, Jane Q., and John Smith. A Small Book. ")
    for text in found.values():
        assert f"Version {VERSION}" in text
        assert EDITION in text
        assert "/latest/" not in text


def test_the_citation_files_name_persons_and_this_edition(second_edition):
    app = second_edition["html"]
    (item,) = json.loads(citation_file(app, ".csl.json"))
    assert item["author"] == [
        {"family": "Doe", "given": "Jane Q."},
        {"family": "Smith", "given": "John"},
    ]
    assert item["version"] == VERSION
    assert item["issued"] == {"date-parts": [[DATE.year, DATE.month, DATE.day]]}
    assert item["URL"] == EDITION
    assert "  author    = {Doe, Jane Q. and Smith, John},\n" in citation_file(app, ".bib")
    assert f"  url       = {{{EDITION}}},\n" in citation_file(app, ".bib")
    ris = citation_file(app, ".ris").split("\r\n")
    assert [line for line in ris if line[:2] in ("AU", "ET", "UR")] == [
        "AU  - Doe, Jane Q.",
        "AU  - Smith, John",
        f"ET  - {VERSION}",
        f"UR  - {EDITION}",
    ]


def test_a_paragraphs_copy_quote_address_is_in_this_edition(second_edition):
    page = soup(second_edition["html"], "chapters/01-first.html")
    numbers = page.select("a.book-pnum")
    assert numbers
    for number in numbers:
        assert number["data-url"].startswith(f"{EDITION}chapters/01-first.html#p-"), number


def opf(app: SphinxTestApp) -> str:
    with zipfile.ZipFile(app.outdir / f"{app.config.epub_basename}.epub") as book:
        return book.read("content.opf").decode()


def identifier(app: SphinxTestApp) -> str:
    return BeautifulSoup(opf(app), "xml").find("dc:identifier").get_text()


def test_the_epub_of_a_new_edition_has_its_own_identifier_and_names_its_authors(
    second_edition, small_book
):
    first, second = small_book("epub"), second_edition["epub"]
    assert identifier(second) != identifier(first)
    assert identifier(second).startswith("urn:uuid:")
    package = BeautifulSoup(opf(second), "xml")
    assert package.find("dc:creator").get_text() == "Jane Q. Doe and John Smith"
    assert package.find("dc:date").get_text() == DATE.isoformat()


def test_the_epubs_title_page_comes_first_and_names_the_new_edition_and_its_authors(
    second_edition,
):
    app = second_edition["epub"]
    package = BeautifulSoup(opf(app), "xml")
    first = package.find("spine").find("itemref")["idref"]
    href = package.find("item", id=first)["href"]
    with zipfile.ZipFile(app.outdir / f"{app.config.epub_basename}.epub") as book:
        page = BeautifulSoup(book.read(href), "html.parser")
    title_page = page.find("section", attrs={"epub:type": "frontmatter titlepage"})
    lines = [line.get_text(" ", strip=True) for line in title_page.find_all(["h1", "p"])]
    # no subtitle on the small book's landing page, no publisher in its conf.py
    assert lines == [app.config.project, "Jane Q. Doe and John Smith", f"Edition {VERSION}"]
    assert app.config.edition == f"Edition {VERSION}"
