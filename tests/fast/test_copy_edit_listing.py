"""The listing of copy-edits on the small book: by edition, newest first, each entry
linked to the paragraph its words are in (and, in the PDF, the page they are on).

The expectations come from the small book's record (``book_copy_edits`` in its
``conf.py``) and from the paragraphs as each edition prints them.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from book.copy_edits import in_listing_order, load, plain
from smallbook import SMALL_BOOK, build_small_book


def record(app) -> list[dict]:
    return in_listing_order(load(SMALL_BOOK / app.config.book_copy_edits))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def listing(app, suffix: str) -> tuple[str, BeautifulSoup]:
    """The page that lists the copy-edits (its name, relative to the output folder)."""
    for path in sorted(app.outdir.rglob(f"*{suffix}")):
        page = soup(path)
        if page.select("section#copy-edits li"):
            return path.relative_to(app.outdir).as_posix(), page
    raise AssertionError("no page lists the copy-edits")


def words(element: Tag) -> str:
    return plain(element.get_text(" ").replace(" ", " "))


def edition_words(edit: dict) -> str:
    return plain(edit["edition"].replace("*", ""))


def linked_paragraphs(app, suffix: str) -> list[tuple[str, Tag | None]]:
    """For each entry of the listing: its link's text, and the element its link reaches."""
    name, page = listing(app, suffix)
    found = []
    for item in page.select("section#copy-edits li"):
        link = item.select_one("a.book-copy-edit-paragraph")
        assert link is not None, item
        target, _, ident = link["href"].partition("#")
        there = (
            page
            if not target
            else soup(app.outdir / posixpath.join(posixpath.dirname(name), target))
        )
        found.append((link.get_text(), there.find(id=ident)))
    return found


def test_each_listed_copy_edit_links_to_the_paragraph_its_words_are_in_and_cites_it_so(
    small_book,
):
    app = small_book("html")
    edits = record(app)
    linked = linked_paragraphs(app, ".html")
    assert len(linked) == len(edits)
    for edit, (cited, paragraph) in zip(edits, linked, strict=True):
        assert paragraph is not None, edit
        assert edition_words(edit) in words(paragraph), edit
        # the words the paragraph's own number gives a citation: "ch. 1, ¶ 2"
        assert cited.split() == paragraph.select_one("a.book-pnum")["data-cite"].split()


def test_the_listing_gives_each_edition_newest_first_with_its_copy_edits_under_it(small_book):
    _, page = listing(small_book("html"), ".html")
    section = page.select_one("section#copy-edits")
    shown = []
    for element in section.find_all(["p", "ul"], recursive=False):
        if element.name == "p":
            shown.append((element.get_text(), []))
        else:
            shown[-1][1].extend(li.get_text() for li in element.select("li"))
    expected: list[tuple[str, list[str]]] = []
    for edit in record(small_book("html")):
        name = f"In edition {edit['since']}:" if "since" in edit else "In the first edition:"
        if not expected or expected[-1][0] != name:
            expected.append((name, []))
        expected[-1][1].append(edit)
    assert [name for name, _ in shown] == [name for name, _ in expected]
    assert len({name for name, _ in expected}) > 1, "the small book's record has two editions"
    for (_, items), (_, edits) in zip(shown, expected, strict=True):
        assert len(items) == len(edits)


def test_the_one_page_edition_and_the_epub_link_each_copy_edit_to_its_paragraph(small_book):
    for builder, suffix in [("singlehtml", ".html"), ("epub", ".xhtml")]:
        app = small_book(builder)
        for edit, (cited, paragraph) in zip(
            record(app), linked_paragraphs(app, suffix), strict=True
        ):
            assert paragraph is not None, (builder, edit)
            assert edition_words(edit) in words(paragraph), (builder, edit)
            assert re.fullmatch(r"ch\. \d+, ¶ \d+", " ".join(cited.split())), (builder, cited)


def test_the_pdf_gives_each_copy_edit_the_page_its_words_are_on(small_book):
    """The LaTeX source: the listing links the paragraph and gives the page of a label
    set just before the entry's words, in that paragraph."""
    app = small_book("latex")
    tex = (app.outdir / "small.tex").read_text(encoding="utf-8")
    cites = re.findall(
        r"\\hyperlink\{(p-[\w-]+)\}\{ch\.\s\d+, \\P\{\}\s(\d+), p\.\s\\pageref\*\{([\w-]+)\}\}",
        tex,
    )
    edits = record(app)
    assert len(cites) == len(edits)
    for edit, (ident, number, label) in zip(edits, cites, strict=True):
        assert tex.count(rf"\label{{{label}}}") == 1
        before, after = tex.split(rf"\label{{{label}}}")
        assert after.startswith(edition_words(edit).split()[0]), edit
        # the label sits in the paragraph cited: the last one begun before it
        last = re.findall(r"\\BookParagraph\{([\w-]+)\}\{(\d+)\}", before)[-1]
        assert last == (ident, number), edit


def cited_places(app) -> list[str]:
    """Each entry's citation, after checking its link reaches a paragraph with its words."""
    found = []
    for edit, (cited, paragraph) in zip(record(app), linked_paragraphs(app, ".html"), strict=True):
        assert paragraph is not None, edit
        assert edition_words(edit) in words(paragraph), edit
        assert cited.split() == paragraph.select_one("a.book-pnum")["data-cite"].split()
        found.append(" ".join(cited.split()))
    return found


def test_a_paragraph_added_before_an_entrys_words_moves_its_citation_on_the_next_build(
    tmp_path,
):
    src = tmp_path / "src"
    before = cited_places(build_small_book(src, "html"))
    chapter = src / "chapters" / "01-first.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("\n:::{admonition}", "\nA new paragraph.\n\n:::{admonition}"))
    after = cited_places(build_small_book(src, "html"))
    assert after != before  # the highlight's words are one paragraph further on

    # an edit to a page that no entry names leaves the listing's page as it was
    name, _ = listing(build_small_book(src, "html"), ".html")
    page = src / "_build" / "html" / name
    written = page.stat().st_mtime_ns
    faq = src / "backmatter" / "faq.md"
    faq.write_text(faq.read_text(encoding="utf-8").replace("he is afraid", "he is afraid, still"))
    build_small_book(src, "html")
    assert page.stat().st_mtime_ns == written


def test_the_pdf_runs_each_editions_copy_edits_into_one_paragraph_without_chapter_titles(
    small_book,
):
    """The PDF's About page is small print: "In edition 1.1: “a” becomes “b” (ch. 2, ¶ 1,
    p. 3); …", a paragraph per edition, not a list, the chapter named by its number in the
    citation rather than by its title."""
    app = small_book("latex")
    tex = (app.outdir / "small.tex").read_text(encoding="utf-8")
    section = tex.split(r"{Copy\sphinxhyphen{}edits}", 1)[1].split(r"\subsection", 1)[0]
    assert r"\begin{itemize}" not in section
    paragraphs = [p for p in re.split(r"\n\s*\n", section) if "becomes" in p]
    assert len(paragraphs) == len({edit.get("since") for edit in record(app)})
    assert sum(p.count("becomes") for p in paragraphs) == len(record(app))
    chapters = [doc for doc in app.env.found_docs if doc.startswith("chapters/")]
    assert chapters
    assert [c for c in chapters if app.env.titles[c].astext() in section] == []
