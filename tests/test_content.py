"""Nothing is lost: every sentence of the manuscript reaches every edition."""

from __future__ import annotations

import pytest

from editions import epub_text, html_text, missing_sentences, residue_in
from manuscript import chapter_titles, edited_essay, essay_sentences, normalise, squash


def test_manuscript_yields_every_sentence_of_the_essay():
    sentences = essay_sentences()
    assert sentences
    # the chapter titles within the essay's text are sentences of their own
    titles = {normalise(t) for t in chapter_titles() if f"\n{t}\n" in edited_essay()}
    assert titles
    assert titles <= set(sentences)
    assert not [s for s in sentences if s.startswith(("Highlight:", "Q:", "A:", "Table of"))]


def test_every_sentence_reaches_the_web_edition(html):
    assert missing_sentences(html_text(html)) == []


def test_every_sentence_reaches_the_epub(epub_file):
    assert missing_sentences(epub_text(epub_file)) == []


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
    assert residue_in(text) == []
