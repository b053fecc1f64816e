"""Nothing is lost: every sentence of the manuscript reaches every edition."""

from __future__ import annotations

import re
import zipfile

import pytest
from bs4 import BeautifulSoup

from manuscript import BACK_MATTER, RESIDUE, essay_sentences, normalise
from tools import CHAPTERS


def squash(text: str) -> str:
    """Letters and digits only: line breaks, hyphenation and running heads aside."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


def html_text(build) -> str:
    pages = [f"chapters/{c}.html" for c in CHAPTERS] + [f"backmatter/{b}.html" for b in BACK_MATTER]
    return " ".join(build.soup(page).select_one("article").get_text() for page in pages)


def epub_text(epub_file) -> str:
    with zipfile.ZipFile(epub_file) as z:
        pages = [n for n in sorted(z.namelist()) if n.endswith(".xhtml") and n != "nav.xhtml"]
        return " ".join(BeautifulSoup(z.read(n), "html.parser").body.get_text() for n in pages)


def missing(sentences, text):
    text = normalise(text)
    return [s for s in sentences if s not in text]


def test_manuscript_yields_every_sentence_of_the_essay():
    sentences = essay_sentences()
    assert len(sentences) > 100
    assert "The Isolation of Theodore" in sentences
    assert not [s for s in sentences if s.startswith(("Highlight:", "Q:", "A:", "Table of"))]


def test_every_sentence_reaches_the_web_edition(html):
    assert missing(essay_sentences(), html_text(html)) == []


def test_every_sentence_reaches_the_epub(epub_file):
    assert missing(essay_sentences(), epub_text(epub_file)) == []


def test_every_sentence_reaches_the_pdf(pdf_text):
    text = squash(pdf_text)
    lost = [s for s in essay_sentences() if squash(s) not in text]
    assert lost == []


@pytest.mark.parametrize("fmt", ["html", "epub", "pdf"])
def test_no_web_page_residue_in_any_edition(fmt, request):
    text = {
        "html": lambda: html_text(request.getfixturevalue("html")),
        "epub": lambda: epub_text(request.getfixturevalue("epub_file")),
        "pdf": lambda: request.getfixturevalue("pdf_text"),
    }[fmt]()
    assert [r for r in RESIDUE if r in text] == []
