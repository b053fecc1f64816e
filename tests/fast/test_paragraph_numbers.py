"""Paragraph numbers on the small book: counted per page, so an edit stays local."""

from __future__ import annotations

from bs4 import BeautifulSoup

from smallbook import build_small_book


def paragraph_ids(app, page: str) -> list[str]:
    soup = BeautifulSoup((app.outdir / page).read_text(encoding="utf-8"), "html.parser")
    return [p["id"] for p in soup.select("p[id^='p-']")]


def test_a_paragraph_added_to_one_chapter_renumbers_and_rewrites_no_other(tmp_path):
    src = tmp_path / "src"
    app = build_small_book(src, "html")
    first, second = app.outdir / "chapters/01-first.html", app.outdir / "chapters/02-second.html"
    before = (
        paragraph_ids(app, "chapters/01-first.html"),
        paragraph_ids(app, "chapters/02-second.html"),
    )
    assert before[0] == ["p-1-1", "p-1-2"]  # the text, then the highlight's
    assert before[1]
    assert all(i.startswith("p-2-") for i in before[1])
    written = second.stat().st_mtime_ns, second.read_bytes()

    chapter = src / "chapters" / "01-first.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(
        text.replace("\n:::{admonition}", "\nA new paragraph.\n\n:::{admonition}", 1)
    )
    app = build_small_book(src, "html")

    assert paragraph_ids(app, "chapters/01-first.html") == ["p-1-1", "p-1-2", "p-1-3"]
    assert "A new paragraph." in first.read_text(encoding="utf-8")
    assert (second.stat().st_mtime_ns, second.read_bytes()) == written


def test_the_epub_and_the_pdf_source_number_the_same_paragraphs(small_book):
    epub = small_book("epub")
    xhtml = (epub.outdir / "chapters" / "01-first.xhtml").read_text(encoding="utf-8")
    number = '<span class="book-pnum" aria-hidden="true">1</span>'
    assert f'<p id="p-1-1"><span id="index-0"></span>{number}' in xhtml
    latex = small_book("latex")
    tex = (latex.outdir / "small.tex").read_text(encoding="utf-8")
    assert r"\BookParagraph{p-1-1}{1}" in tex
    assert r"\BookParagraph{p-faq-1}{1}" in tex
