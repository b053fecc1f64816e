"""Paragraph numbers on the small book: counted per page, so an edit stays local, and
named by the page's label, so a citation's address keeps reaching the same words."""

from __future__ import annotations

from bs4 import BeautifulSoup

from smallbook import build_small_book
from tools import paragraph_addresses


def soup(app, page: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / page).read_text(encoding="utf-8"), "html.parser")


def paragraph_ids(app, page: str) -> list[str]:
    return [p["id"] for p in soup(app, page).select("p[id^='p-']")]


def test_a_paragraph_added_to_one_chapter_renumbers_and_rewrites_no_other(tmp_path):
    src = tmp_path / "src"
    app = build_small_book(src, "html")
    first, second = app.outdir / "chapters/01-first.html", app.outdir / "chapters/02-second.html"
    before = (
        paragraph_ids(app, "chapters/01-first.html"),
        paragraph_ids(app, "chapters/02-second.html"),
    )
    assert before[0] == ["p-first-1", "p-first-2"]  # the text, then the highlight's
    assert before[1]
    assert all(i.startswith("p-second-") for i in before[1])
    written = second.stat().st_mtime_ns, second.read_bytes()

    chapter = src / "chapters" / "01-first.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(
        text.replace("\n:::{admonition}", "\nA new paragraph.\n\n:::{admonition}", 1)
    )
    app = build_small_book(src, "html")

    assert paragraph_ids(app, "chapters/01-first.html") == ["p-first-1", "p-first-2", "p-first-3"]
    assert "A new paragraph." in first.read_text(encoding="utf-8")
    assert (second.stat().st_mtime_ns, second.read_bytes()) == written


def test_a_chapter_added_at_the_front_keeps_every_paragraph_address_on_its_words(tmp_path):
    src = tmp_path / "src"
    before = paragraph_addresses(build_small_book(src, "html").outdir)
    # an earlier edition's ids (p-1-1: book_paragraph_id_aliases) are among them
    assert "chapters/01-first.html#p-1-1" in before
    assert before["chapters/01-first.html#p-1-1"] == before["chapters/01-first.html#p-first-1"]

    # the README's recipe: a new first chapter (the contents take chapters/* in order),
    # with a footnote, which is apparatus, not a paragraph of the essay
    (src / "chapters" / "00-preface.md").write_text(
        "(preface)=\n\n# A Preface\n\nA new opening, with a note.[^n]\n\n[^n]: The note.\n",
        encoding="utf-8",
    )
    app = build_small_book(src, "html")
    after = paragraph_addresses(app.outdir)

    assert {address: after.get(address) for address in before} == before
    assert paragraph_ids(app, "chapters/00-preface.html") == ["p-preface-1"]
    first = soup(app, "chapters/01-first.html").select_one("p#p-first-1 a.book-pnum")
    assert first["data-cite"] == "ch. 2, ¶ 1"  # the citation names this edition's number
    assert first["aria-label"] == "Paragraph 1, chapter 2"  # and so does its name


def test_the_epub_and_the_pdf_source_number_the_same_paragraphs(small_book):
    epub = small_book("epub")
    xhtml = (epub.outdir / "chapters" / "01-first.xhtml").read_text(encoding="utf-8")
    number = '<span class="book-pnum">¶ 1</span> '
    assert f'<p id="p-first-1"><span id="p-1-1"></span><span id="index-0"></span>{number}' in xhtml
    latex = small_book("latex")
    tex = (latex.outdir / "small.tex").read_text(encoding="utf-8")
    assert r"\BookParagraph{p-first-1}{1}\BookParagraphAlias{p-1-1}" in tex
    assert r"\BookParagraph{p-faq-1}{1}" in tex
