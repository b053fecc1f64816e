"""The Downloads panel of a ``make dist`` build, made by sphinx-design's own directives."""

from __future__ import annotations

import shutil

from bs4 import BeautifulSoup

from book.downloads import book_files, paper_name
from smallbook import SMALL_BOOK, build_small_book

#: The one-page edition's button, where a build has the edition beside it.
ONE_PAGE = [("The whole essay on one page", "single/index.html")]


def ways_in(page: BeautifulSoup) -> list[tuple[str, str]]:
    """The landing page's buttons into the essay, in order: label and address."""
    return [(a.get_text(strip=True), a["href"]) for a in page.select("div.book-start a.sd-btn")]


def first_chapter(app) -> str:
    """The first page of the contents, as the page's first toctree links it."""
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    return page.select_one(".toctree-wrapper li > a")["href"]


def test_a_plain_build_offers_the_start_of_the_essay_and_no_missing_one_page_edition(small_book):
    app = small_book("html")
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert ways_in(page) == [("Start reading", first_chapter(app))]
    # the EPUB's reader turns the page instead
    epub = small_book("epub")
    assert "book-start" not in (epub.outdir / "index.xhtml").read_text(encoding="utf-8")


def test_a_dist_build_shows_a_card_per_edition_side_by_side_each_button_at_its_foot(
    small_book, tmp_path, monkeypatch
):
    files = book_files(small_book("html").config)
    for relpath in files.values():
        (tmp_path / "dist" / relpath).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "dist" / relpath).write_bytes(b"x" * 2600)
    # the EPUB is read (its accessibility metadata): the small book's own
    epub = small_book("epub")
    shutil.copy(
        epub.outdir / f"{epub.config.epub_basename}.epub", tmp_path / "dist" / files["epub"]
    )
    monkeypatch.setenv("BOOK_DOWNLOADS", str(tmp_path / "dist"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    src = tmp_path / "src"
    shutil.copytree(SMALL_BOOK, src)
    app = build_small_book(src, "html")
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")

    row = page.select_one("section#downloads .sd-container-fluid > .sd-row.book-downloads")
    cards = row.select(":scope > .sd-col > .sd-card.book-download")
    assert len(cards) == len(files) + 1  # and the one-page edition's
    assert {"sd-row-cols-1", f"sd-row-cols-sm-{len(cards)}"} <= set(row["class"])
    for card, title in zip(cards, ["PDF", "EPUB", "One page"], strict=True):
        body = card.select_one(":scope > .sd-card-body")
        parts = body.find_all(recursive=False)
        assert parts[0]["class"][0] == "sd-card-title"
        assert parts[0].get_text(strip=True) == title
        assert all("sd-card-text" in p["class"] for p in parts[1:])
        button = parts[-1].select_one("a.sd-btn.sd-btn-primary")
        assert "book-download-link" in parts[-1]["class"]
        assert button["href"] in [
            *(name.rsplit("/")[-1] for name in files.values()),
            "single/index.html",
        ]
        assert "reference internal" in " ".join(button["class"])
    # the first screen's ways in: the first chapter, and the one-page edition beside it
    assert ways_in(page) == [("Start reading", first_chapter(app)), *ONE_PAGE]
    pdf = cards[0].get_text(" ", strip=True)
    assert f"{paper_name(app.config)} pages with contents and index" in pdf
    assert "3 KB, built 14 November 2023" in pdf
