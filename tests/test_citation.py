"""The book is citable: one record (CITATION.cff), the same in every edition's metadata.

The facts come from ``CITATION.cff`` itself, read here with PyYAML, not through the
book's extension: title, author, version and date must be the same in the web pages'
meta tags and JSON-LD, the EPUB's package document and the PDF's metadata.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from zipfile import ZipFile

import yaml

from tools import ROOT, require, run

CFF = ROOT / "CITATION.cff"
OPF_NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}


@cache
def cited() -> dict:
    """The book as CITATION.cff's preferred-citation gives it."""
    book = yaml.safe_load(CFF.read_text(encoding="utf-8"))["preferred-citation"]
    return {
        "title": book["title"],
        "author": book["authors"][0]["name"],
        "version": book["version"],
        "date": book["date-released"].isoformat(),
    }


def meta(soup, name: str) -> list[str]:
    return [tag["content"] for tag in soup.find_all("meta", attrs={"name": name})]


def json_ld(soup) -> list[dict]:
    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


# -- The record ------------------------------------------------------------------------


def test_citation_file_is_valid_citation_file_format():
    checker = Path(sys.executable).parent / "check-jsonschema"
    result = run([str(checker), "--builtin-schema", "vendor.citation-file-format", str(CFF)])
    assert "ok -- validation done" in result.stdout


def test_citation_file_cites_a_book_with_a_title_author_version_and_date():
    book = yaml.safe_load(CFF.read_text(encoding="utf-8"))["preferred-citation"]
    assert book["type"] == "book"
    assert all(cited().values()), cited()


# -- The same facts in every edition ---------------------------------------------------


def test_web_pages_meta_tags_give_the_cited_title_author_date_and_version(html):
    for page in ("index.html", "chapters/introduction.html", "backmatter/about.html"):
        soup = html.soup(page)
        assert meta(soup, "citation_title") == [cited()["title"]], page
        assert meta(soup, "citation_author") == [cited()["author"]], page
        assert meta(soup, "citation_publication_date") == [cited()["date"].replace("-", "/")]
        assert meta(soup, "citation_edition") == [cited()["version"]], page


def test_landing_page_json_ld_gives_the_cited_title_author_date_and_version(html):
    (book,) = json_ld(html.soup("index.html"))
    assert book["@context"] == "https://schema.org"
    assert book["@type"] == "Book"
    assert book["name"] == cited()["title"]
    assert [a["name"] for a in book["author"]] == [cited()["author"]]
    assert book["datePublished"] == cited()["date"]
    assert book["version"] == cited()["version"]


def test_epub_package_gives_the_cited_title_author_date_and_version(epub_file):
    with ZipFile(epub_file) as epub:
        opf = ET.fromstring(epub.read("content.opf"))
    metadata = opf.find("opf:metadata", OPF_NS)
    assert metadata.findtext("dc:title", namespaces=OPF_NS) == cited()["title"]
    assert metadata.findtext("dc:creator", namespaces=OPF_NS) == cited()["author"]
    assert metadata.findtext("dc:date", namespaces=OPF_NS) == cited()["date"]
    version = metadata.find("opf:meta[@property='ibooks:version']", OPF_NS)
    assert version.text == cited()["version"]


def test_pdf_metadata_gives_the_cited_title_author_date_and_version(pdf):
    require("pdfinfo")
    out = run(["pdfinfo", "-custom", "-enc", "UTF-8", str(pdf.pdf)]).stdout
    info = {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}
    assert info["Title"] == cited()["title"]
    assert info["Author"] == cited()["author"]
    assert info["Published"] == cited()["date"]
    assert info["Version"] == cited()["version"]
