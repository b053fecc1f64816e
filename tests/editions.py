"""What an edition must hold, as checks that return what is wrong (``[]`` when nothing).

The content tests (test_content.py, test_html.py) run them on the session's builds of
the book; the README's recipes (test_recipes.py) run the same ones on a copy of the
book that a recipe changed.  So each check takes the sources it is about (*src*):
their chapters, in reading order, and their copy-edits.
"""

from __future__ import annotations

import re
import zipfile
from fnmatch import fnmatch
from pathlib import Path
from xml.etree import ElementTree

from bs4 import BeautifulSoup

import expected
from book.citation import read_cff
from book.copy_edits import changed_words, in_listing_order
from book.copy_edits import curly as curly_quoted
from manuscript import (
    contents_titles,
    copy_edits,
    essay_sentences,
    highlight_count,
    normalise,
    residue,
    squash,
)
from tools import MOVED_PAGES, ROOT, Build, book_config, chapters, page_label, require, run


def site(src: Path = ROOT) -> str:
    """The web edition's address when it is built for no other host: conf.py's default,
    the book's address in its CITATION.cff."""
    return read_cff(src / "CITATION.cff").url


SITE = site()
READING_TIME = re.compile(r"^(a few seconds|[¼½¾] min|[1-9]½? min|[1-5]?\d min|\d+ h( \d+ min)?)$")


class ParsedOnce(Build):
    """A build whose pages are each parsed once: the checks here only read them."""

    def soup(self, page: str) -> BeautifulSoup:
        parsed = self.__dict__.setdefault("_parsed", {})
        if page not in parsed:
            parsed[page] = super().soup(page)
        return parsed[page]


def curly(text: str) -> str:
    return text.replace("'", "\u2019")


def article(build: Build, page: str):
    return build.soup(page).select_one("article[role=main]")


def words(element, leave_out: str) -> list[str]:
    """The words of an element's text, less those inside what the selector *leave_out*
    matches (the page itself is left as it is: its soup may be read again)."""
    skipped = {id(e) for e in element.select(leave_out)}
    return [
        word
        for text in element.strings
        if not any(id(parent) in skipped for parent in text.parents)
        for word in text.split()
    ]


def reading_pages(src: Path = ROOT) -> list[str]:
    """The chapters' and the back matter's pages, in reading order."""
    return [f"chapters/{c}.html" for c in chapters(src)] + [
        f"backmatter/{b}.html" for b in expected.back_matter(src)
    ]


def essay_pages(src: Path = ROOT) -> list[str]:
    """The pages of essay text (``book_essay_docs``: the chapters, the highlights and
    the FAQ), in reading order."""
    patterns = book_config(src)["book_essay_docs"]
    return [
        page
        for page in reading_pages(src)
        if any(fnmatch(page.removesuffix(".html"), pattern) for pattern in patterns)
    ]


def html_pages(build: Build) -> list[str]:
    """The site's pages, less the forwarding pages at moved pages' old addresses."""
    pages = (p.relative_to(build.outdir).as_posix() for p in build.outdir.rglob("*.html"))
    return sorted(p for p in pages if p not in MOVED_PAGES)


# -- Every sentence, and nothing else --------------------------------------------------


def html_text(build: Build, src: Path = ROOT) -> str:
    return " ".join(article(build, page).get_text() for page in reading_pages(src))


def epub_text(epub_file: Path) -> str:
    with zipfile.ZipFile(epub_file) as z:
        pages = [n for n in sorted(z.namelist()) if n.endswith(".xhtml") and n != "nav.xhtml"]
        return " ".join(BeautifulSoup(z.read(n), "html.parser").body.get_text() for n in pages)


def pdf_reading_text(pdf: Path) -> str:
    """A PDF's text as pdftotext reads it, less the page numbers at the foot of each page
    and the paragraph numbers in the right margin (at the end of a paragraph's first line,
    after a gap; test_paragraphs.py reads them)."""
    require("pdftotext")
    text = run(["pdftotext", "-layout", str(pdf), "-"]).stdout
    text = re.sub(r"(?<=\S)[ ]{3,}\d+[ ]*$", "", text, flags=re.MULTILINE)
    return re.sub(r"^\s*(\d+|[ivxlc]+)\s*$", "", text, flags=re.MULTILINE)


def missing_sentences(text: str, src: Path = ROOT) -> list[str]:
    """The sentences of the essay (with src's copy-edits) that *text* lacks."""
    text = normalise(text)
    return [s for s in essay_sentences(src) if s not in text]


def pdf_missing_sentences(text: str, src: Path = ROOT) -> list[str]:
    """The sentences of the essay (with src's copy-edits) that a PDF's *text* lacks, its
    letters and digits compared; the notes at the foot of a page (its number, then its
    text), which may fall within a sentence that runs on to the next page, left out."""
    text = squash(text)
    for note in expected.footnotes(src):
        text = re.sub(rf"\d+{re.escape(squash(note))}", "", text)
    return [s for s in essay_sentences(src) if squash(s) not in text]


def residue_in(text: str, src: Path = ROOT) -> list[str]:
    """What of the source web page's chrome *text* still holds."""
    return [r for r in residue(src) if r in text]


def straight_quotes(build: Build, src: Path = ROOT) -> list[str]:
    """The chapters' paragraphs that have a straight quote or apostrophe."""
    return [
        p.get_text()
        for chapter in chapters(src)
        for p in article(build, f"chapters/{chapter}.html").select("p")
        if re.search("[\"']", p.get_text())
    ]


# -- Contents, numbers and links between chapters ---------------------------------------


def contents_problems(build: Build, src: Path = ROOT) -> list[str]:
    """The landing page's contents: every chapter, numbered, in reading order, with its
    title, then the back matter; every title of the manuscript's contents among them."""
    names = chapters(src)
    links = article(build, "index.html").select(".toctree-wrapper a.reference")
    problems = []
    hrefs = [a["href"] for a in links][: len(names)]
    if hrefs != [f"chapters/{c}.html" for c in names]:
        problems.append(f"the contents list {hrefs}")
    numbers = [n.get_text() for a in links for n in a.select(".book-toc-number")]
    if numbers != [str(n) for n in range(1, len(names) + 1)]:
        problems.append(f"the contents number them {numbers}")
    titles = [normalise(" ".join(words(a, leave_out=".book-toc-number"))) for a in links]
    titled = expected.chapter_titles(src) + expected.back_matter_titles(src)
    if titles != titled:
        problems.append(f"the contents list {titles}, not the pages' titles {titled}")
    lost = {normalise(t) for t in contents_titles(src)} - set(titles)
    if lost:
        problems.append(f"the manuscript's titles {sorted(lost)} are not in the contents")
    return problems


def chapter_page_problems(build: Build, number: int, src: Path = ROOT) -> list[str]:
    """Chapter *number*'s page: its number in its title, a previous and a next link."""
    names = chapters(src)
    soup = build.soup(f"chapters/{names[number - 1]}.html")
    problems = []
    shown = soup.select_one("h1 .section-number").get_text(strip=True)
    if shown != f"{number}.":
        problems.append(f"chapter {number} is numbered {shown!r}")
    if soup.select_one(".related-pages a.prev-page") is None:
        problems.append(f"chapter {number} has no link to the previous page")
    nxt = soup.select_one(".related-pages a.next-page")
    last = number == len(names)
    after = (
        f"../backmatter/{expected.back_matter(src)[0]}.html" if last else names[number] + ".html"
    )
    if nxt is None or nxt["href"] != after:
        problems.append(f"chapter {number}'s next page is {nxt and nxt['href']}, not {after}")
    return problems


def label_target_problems(build: Build, src: Path = ROOT) -> list[str]:
    """Pages whose first section is not the target of the label its source gives it
    (the ``(label)=`` that references use)."""
    problems = []
    for page in ["index.html", *reading_pages(src)]:
        label = page_label(page.removesuffix(".html"), src)
        section = article(build, page).select_one("section[id]")
        if section["id"] != label:
            problems.append(f"{page}: its section is #{section['id']}, not #{label}")
    return problems


def highlight_problems(build: Build, src: Path = ROOT) -> list[str]:
    """The manuscript's highlights, each a box titled Highlight with an icon."""
    boxes = []
    for chapter in chapters(src):
        boxes += article(build, f"chapters/{chapter}.html").select(".admonition.book-highlight")
    problems = []
    if len(boxes) != highlight_count(src):
        problems.append(f"{len(boxes)} highlight boxes, for {highlight_count(src)} highlights")
    for box in boxes:
        title = box.select_one(".admonition-title")
        if title.get_text(strip=True) != "Highlight" or not title.select_one("svg.sd-octicon"):
            problems.append(f"a box titled {title.get_text(strip=True)!r}")
    return problems


def copy_edit_list_problems(build: Build, src: Path = ROOT) -> list[str]:
    """The About page's list of copy-edits: one item per entry of src's list, in the
    listing's order (by edition, newest first)."""
    about = article(build, "backmatter/about.html")
    items = [li.get_text(" ", strip=True) for li in about.select("section#copy-edits li")]
    edits = in_listing_order(copy_edits(src))
    if len(items) != len(edits):
        return [f"{len(items)} items for {len(edits)} copy-edits"]
    problems = []
    for item, edit in zip(items, edits, strict=True):
        old, new = changed_words(edit["manuscript"], edit["edition"])
        shown = f"{curly_quoted(old)} becomes {curly_quoted(new)} in".replace("*", "")
        if not "".join(item.split()).startswith("".join(shown.split())):  # <em>'s spaces
            problems.append(item)
    return problems


# -- Reading times ------------------------------------------------------------------------


def essay_words(build: Build, page: str) -> int:
    """Words of a page's essay text, counted from the HTML as a reader counts them (runs
    of characters between spaces, or dashes, that hold a letter or a digit: "marry,—A"
    is two): no titles, questions, See: lines, figures, tables or notes."""
    body = article(build, page).select_one("section")
    apparatus = (
        "h1, .admonition-title, summary, .book-see, .book-reading-time, .headerlink, "
        "figure, table, .footnote-list, [role=doc-footnote]"
    )
    runs = (
        run for word in words(body, leave_out=apparatus) for run in re.split("[\u2014\u2013]", word)
    )
    return sum(any(c.isalnum() for c in run) for run in runs)


def stated_words(build: Build, page: str) -> int:
    line = article(build, page).select_one("h1 + p.book-reading-time")["data-reading-time"]
    time, words = re.fullmatch(r"(.+) read · ([\d,]+) words", line).groups()
    assert READING_TIME.match(time), line
    return int(words.replace(",", ""))


def stated_words_problems(build: Build, src: Path = ROOT) -> list[str]:
    """Essay pages whose stated count of words is not the count of their words."""
    counts = {
        page: (stated_words(build, page), essay_words(build, page)) for page in essay_pages(src)
    }
    return [
        f"{page} states {stated} words, and has {counted}"
        for page, (stated, counted) in counts.items()
        if stated != counted
    ]


def essay_length_problems(build: Build, src: Path = ROOT) -> list[str]:
    """The landing page's length of the whole essay: a reading time, and the sum of the
    words its pages state."""
    line = article(build, "index.html").select_one("p.book-essay-length")["data-reading-time"]
    rate = book_config(src)["book_words_per_minute"]
    match = re.fullmatch(
        rf"About (.+) to read: ([\d,]+) words of essay \(.+\) at {rate} words a minute\.", line
    )
    if not match or not READING_TIME.match(match[1]):
        return [f"the landing page says {line!r}"]
    total = sum(stated_words(build, page) for page in essay_pages(src))
    if int(match[2].replace(",", "")) != total or total <= 1000:
        return [f"the landing page says {match[2]} words in all, its pages {total}"]
    return []


# -- The sitemap ----------------------------------------------------------------------------


def sitemap_problems(build: Build, site: str = SITE) -> list[str]:
    """The sitemap against the reading pages, and robots.txt pointing at it."""
    sitemap = ElementTree.parse(build.outdir / "sitemap.xml").getroot()
    locs = {loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    expected = {
        site + p for p in html_pages(build) if p not in ("404.html", "genindex.html", "search.html")
    }
    problems = [f"not in the sitemap: {url}" for url in sorted(expected - locs)]
    problems += [f"in the sitemap, no page: {url}" for url in sorted(locs - expected)]
    robots = (build.outdir / "robots.txt").read_text()
    if f"Sitemap: {site}sitemap.xml" not in robots.splitlines():
        problems.append("robots.txt does not point at the sitemap")
    return problems


def index_place_problems(index: BeautifulSoup, src: Path = ROOT) -> list[str]:
    """The index page's places that are not a page's name (Sphinx's "[1]", "[2]"), or too
    few places for the entries."""
    titles = [*expected.numbered_chapter_titles(src), *expected.back_matter_titles(src)]
    names = {normalise(name) for name in titles}
    places = [a.get_text() for a in index.select("ul.book-index a")]
    problems = [f"a place named {place!r}" for place in places if normalise(place) not in names]
    if len(places) < len(expected.index_entries(src)):
        problems.append(f"{len(places)} places for {len(expected.index_entries(src))} entries")
    return problems
