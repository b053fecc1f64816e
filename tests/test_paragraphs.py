"""Paragraph numbers: one paragraph is "ch. 7, ¶ 3" alike in the web page, the EPUB and the PDF.

Each edition is read as a reader gets it: the HTML pages, the XHTML inside the
``.epub``, and the PDF's text (pdftotext) with its named destinations (pdfinfo).
"""

from __future__ import annotations

import re
from functools import cache
from zipfile import ZipFile

from bs4 import BeautifulSoup

from expected import back_matter
from manuscript import normalise
from tools import CHAPTERS, page_label, require, run, source_text

#: The back matter pages whose paragraphs are numbered: the essay's highlights and answers.
NUMBERED_BACK_MATTER = [page for page in back_matter() if page in ("highlights", "faq")]
PAGES = [f"chapters/{c}" for c in CHAPTERS] + [f"backmatter/{b}" for b in NUMBERED_BACK_MATTER]
#: How many words of each paragraph's start are compared between editions.
WORDS = 6


def first_words(text: str, count: int = WORDS) -> str:
    return " ".join(normalise(text).split()[:count])


def html_paragraphs(soup: BeautifulSoup) -> dict[str, tuple[str, str]]:
    """``{id: (number shown, first words)}`` of a web page's numbered paragraphs."""
    found = {}
    for p in soup.select("article p[id^='p-']"):
        number = p.select_one("a.book-pnum")
        found[p["id"]] = (number["data-n"], first_words(p.get_text()))
    return found


def epub_paragraphs(epub_file) -> dict[str, tuple[str, str]]:
    found = {}
    with ZipFile(epub_file) as epub:
        for page in PAGES:
            soup = BeautifulSoup(epub.read(f"{page}.xhtml"), "html.parser")
            for p in soup.select("p[id^='p-']"):
                number = p.select_one("span.book-pnum").extract()  # "¶ 3"
                found[p["id"]] = (number.get_text().removeprefix("¶ "), first_words(p.get_text()))
    return found


@cache
def pdf_pages(pdf_path) -> list[str]:
    """Each page's text, laid out as printed (the margin's numbers at the lines' ends)."""
    require("pdftotext")
    return run(["pdftotext", "-layout", str(pdf_path), "-"]).stdout.split("\f")


def pdf_destinations(pdf_path) -> dict[str, int]:
    """The PDF's named destinations: ``{name: page (1-based)}``."""
    require("pdfinfo")
    out = run(["pdfinfo", "-dests", str(pdf_path)]).stdout
    return {m[2]: int(m[1]) for m in re.finditer(r'^\s*(\d+) \[.*\] "(.+)"$', out, re.M)}


def test_every_essay_page_numbers_its_paragraphs_from_one_with_ids_named_by_its_label(html):
    for page in PAGES:
        paragraphs = html_paragraphs(html.soup(f"{page}.html"))
        assert paragraphs, page
        scope = page_label(page)
        numbers = [n for n, _ in paragraphs.values()]
        assert numbers == [str(i) for i in range(1, len(numbers) + 1)], page
        assert list(paragraphs) == [f"p-{scope}-{n}" for n in numbers], page


def test_highlight_boxes_and_faq_answers_are_numbered_but_not_see_lines(html):
    boxed = next(c for c in CHAPTERS if "book-highlight" in source_text(f"chapters/{c}"))
    chapter = html.soup(f"chapters/{boxed}.html")
    assert chapter.select_one(".admonition.book-highlight p[id^='p-'] a.book-pnum")
    faq = html.soup("backmatter/faq.html")
    assert len(faq.select("details .sd-summary-content p[id^='p-']")) == len(faq.select("details"))
    assert not faq.select(".book-see .book-pnum, p.book-see[id^='p-']")
    about = html.soup("backmatter/about.html")
    assert not about.select(".book-pnum")


def test_each_number_links_to_its_own_paragraph_with_its_citation_and_canonical_address(html):
    number, chapter = len(CHAPTERS), CHAPTERS[-1]
    soup = html.soup(f"chapters/{chapter}.html")
    canonical = soup.find("link", rel="canonical")["href"]
    # a citation names its edition: the canonical page, /latest/ made /<version>/
    version = soup.find("meta", attrs={"name": "citation_edition"})["content"]
    canonical = canonical.replace("/latest/", f"/{version.lower()}/", 1)
    for p in soup.select("article p[id^='p-']"):
        link = p.select_one("a.book-pnum")
        assert link["href"] == f"#{p['id']}"
        assert link["data-url"] == f"{canonical}#{p['id']}"
        assert link["data-cite"] == f"ch. {number}, ¶ {link['data-n']}"
        assert link["aria-label"] == f"Paragraph {link['data-n']}, chapter {number}"
        assert link.get_text() == ""  # the digits are drawn by CSS, and copied by no one


def test_every_numbered_paragraph_starts_with_the_same_words_in_html_epub_and_pdf(
    html, epub_file, pdf
):
    web = {}
    for page in PAGES:
        web.update(html_paragraphs(html.soup(f"{page}.html")))
    assert len(web) > 40
    assert epub_paragraphs(epub_file) == web

    pages = pdf_pages(pdf.pdf)
    destinations = pdf_destinations(pdf.pdf)
    lost = []
    for ident, (number, words) in web.items():
        page = destinations.get(ident)
        if page is None:
            lost.append(f"{ident}: no destination")
            continue
        # the paragraph's first line on that page, its number at the line's end
        lines = [normalise(line.lstrip(" •")) for line in pages[page - 1].splitlines()]
        start = " ".join(words.split()[:3])
        if not any(line.startswith(start) and line.endswith(f" {number}") for line in lines):
            lost.append(f"{ident}: no line starting {start!r} and numbered {number} on page {page}")
    assert lost == []


def test_the_one_page_edition_has_every_paragraph_id_once_linked_to_itself(html, dist):
    web = {}
    for page in PAGES:
        web.update(html_paragraphs(html.soup(f"{page}.html")))
    single = dist.soup("single/index.html")
    ids = [p["id"] for p in single.select("p[id^='p-']")]
    assert ids == list(web)
    assert all(link["href"] == f"#{link.parent['id']}" for link in single.select("p > a.book-pnum"))
    # the citation's address is the web edition's page, not the one-page edition
    ident = f"p-{page_label(f'chapters/{CHAPTERS[-1]}')}-1"
    first = single.select_one(f"p#{ident} > a.book-pnum")
    assert first["data-url"].endswith(f"/chapters/{CHAPTERS[-1]}.html#{ident}")
