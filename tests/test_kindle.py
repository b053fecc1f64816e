"""The EPUB as a Kindle takes it: calibre converts it to AZW3 (Kindle's KF8 format), then
prints the AZW3 at a phone's screen size, and the pages are read back with poppler.

Send to Kindle converts an EPUB with Amazon's own tools, which cannot run here; calibre's
``ebook-convert`` is the stand-in the issue names (issue 23).  The session's EPUB (the one
`make epub` builds) is converted once, by the first test that asks for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from editions import pdf_missing_sentences
from jobs import background
from tools import SLUG, Build, book_config, require, run

#: A phone held upright, as the issue measured it: 90 x 160 mm, with the small margins
#: a reading app leaves (calibre's are in points: 14 pt is 5 mm).
PHONE_MM = (90, 160)
PHONE_MARGIN_PT = 14
#: QtWebEngine, which calibre prints with, headless: no display, and (as root, in a
#: container) no Chromium sandbox.  Set for the conversion's process only.
HEADLESS_QT = {
    "QT_QPA_PLATFORM": "offscreen",
    "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox",
    "QTWEBENGINE_DISABLE_SANDBOX": "1",
}
#: Printing the AZW3, calibre's structure detection would force a page break before every
#: h1 and h2 (its default ``--page-breaks-before``), the box titles among them; it turns
#: that off itself for an EPUB ("/", epub_input.py's recommendation), and neither Send to
#: Kindle nor a Kindle adds breaks the book's CSS does not ask for.  Off here too, so the
#: pages are set by the book's own CSS and markup, which is what is under test.  (At
#: calibre's defaults the book now prints on 96 pages, two of them a page's title alone
#: before its first h2; an empty element before each heading made 23 blank pages of 114
#: there, which test_epub.py now rules out.)
PDF_OPTIONS = [
    "--custom-size", "x".join(map(str, PHONE_MM)), "--unit", "millimeter",
    *(f"--pdf-page-margin-{side}={PHONE_MARGIN_PT}" for side in ("left", "right", "top", "bottom")),
    "--page-breaks-before", "/",
]  # fmt: skip


@background(needs=("epub",))
def kindle_conversion(tmp_path_factory, epub: Build) -> dict:
    """The session's EPUB converted by calibre to AZW3, then printed at a phone's size:
    the two files.  The two steps take about 3 and 17 seconds (calibre lets each of the
    book's files settle for a second before it prints it)."""
    require("ebook-convert")
    require("pdftotext")
    require("pdfimages")
    out = tmp_path_factory.mktemp("kindle")
    epub_file = epub.outdir / f"{SLUG}.epub"
    azw3, pdf = out / "book.azw3", out / "phone.pdf"
    run(["ebook-convert", str(epub_file), str(azw3)], env=HEADLESS_QT)
    run(["ebook-convert", str(azw3), str(pdf), *PDF_OPTIONS], env=HEADLESS_QT)
    return {"azw3": azw3, "pdf": pdf}


@dataclass
class Page:
    """One printed page: its number, its lines of text, and the images drawn on it with
    the share of the page's width each covers."""

    number: int
    lines: list[str]
    image_widths: list[float]


def pages(pdf: Path) -> list[Page]:
    info = run(["pdfinfo", str(pdf)]).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)[1])
    width = float(re.search(r"^Page size:\s+([\d.]+) x", info, re.MULTILINE)[1])
    # pdftotext ends each page with a form feed
    texts = run(["pdftotext", "-layout", str(pdf), "-"]).stdout.split("\f")[:count]
    images: dict[int, list[float]] = {}
    listing = run(["pdfimages", "-list", str(pdf)]).stdout.splitlines()[2:]
    for row in listing:
        # page num type width height color comp bpc enc interp object ID x-ppi y-ppi ...
        fields = row.split()
        page, pixels, ppi = int(fields[0]), int(fields[3]), float(fields[12])
        images.setdefault(page, []).append(pixels / ppi * 72 / width)
    return [
        Page(n, [line.strip() for line in text.splitlines() if line.strip()], images.get(n, []))
        for n, text in enumerate(texts, start=1)
    ]


@pytest.fixture(scope="module")
def phone_pages(kindle_conversion) -> list[Page]:
    return pages(kindle_conversion["pdf"])


def test_calibre_makes_a_kindle_book_and_prints_it_at_a_phones_size(kindle_conversion):
    """The AZW3 is a Kindle (KF8) book: a Palm database of type BOOK, creator MOBI."""
    assert kindle_conversion["azw3"].read_bytes()[60:68] == b"BOOKMOBI"
    info = run(["pdfinfo", str(kindle_conversion["pdf"])]).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups()
    assert tuple(round(float(pt) / 72 * 25.4) for pt in size) == PHONE_MM


def test_no_page_is_blank_or_nearly_blank_on_a_phone_after_the_kindle_conversion(phone_pages):
    """Converted to AZW3 and printed at 90 x 160 mm, 25 of 110 pages were blank or nearly
    so.  A page is blank when it has no text and no picture as wide as half the page
    (the cover is a picture the page's width, and no text); nearly blank when it holds a
    single line of text: the rules that break a page (widows and orphans of two lines,
    headings kept with what follows) never leave one line of the text alone, so such a
    page is the work of a forced break or of something too tall for its page."""
    blank = [
        f"page {page.number}: " + (f"only {page.lines[0]!r}" if page.lines else "nothing on it")
        for page in phone_pages
        if len(page.lines) <= 1 and not any(share >= 0.5 for share in page.image_widths)
    ]
    assert blank == [], f"{len(blank)} of {len(phone_pages)} pages are (nearly) blank"


def test_the_cover_is_the_first_page_as_a_picture_the_width_of_the_screen(phone_pages):
    """The book's cover (``epub_cover`` in conf.py) is what a Kindle shows first."""
    assert book_config()["epub_cover"][0]
    first = phone_pages[0]
    assert first.lines == []
    assert max(first.image_widths, default=0) > 0.9


def test_the_kindle_conversion_keeps_every_sentence_of_the_essay(kindle_conversion):
    text = run(["pdftotext", str(kindle_conversion["pdf"]), "-"]).stdout
    assert pdf_missing_sentences(text) == []
