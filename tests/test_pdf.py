"""The PDF edition: a clean LaTeX run, a small book, findable, clickable, the same every build.

Every test reads what Read the Docs' commands produced (the ``pdf`` fixture): the LaTeX
``.log`` of the last run, and the PDF itself through poppler's tools and pypdf.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from functools import cache
from xml.etree import ElementTree

from pdf_page import (
    HYPHENS,
    address_break_problems,
    extents,
    hex_rgb,
    is_folio,
    layout_lines,
    line_spacings,
    link_colours,
    link_lines,
    same_colour,
    web_addresses_as_set,
)
from pypdf import PdfReader

import expected
from book.accessibility import wording
from book.copy_edits import in_listing_order
from latex_log import unwrapped
from manuscript import copy_edits, manuscript_text, normalise
from tools import CHAPTERS, book_config, page_label, require, run, source_text

TITLE = normalise(book_config()["project"])
SUBTITLE = normalise(book_config()["subtitle"])
AUTHOR = normalise(book_config()["author"])
#: The book's brand colour, which the web edition's light theme gives its links too.
BRAND = book_config()["html_theme_options"]["light_css_variables"]["color-brand-primary"]
BACK_MATTER = expected.back_matter_titles()
#: LaTeX's paper sizes in PostScript points, and how far a page may be off its size.
PAPER = {"a5paper": (419.53, 595.28), "a4paper": (595.28, 841.89), "letterpaper": (612, 792)}
TOLERANCE = 0.5
#: The widest overfull line we accept, in points (a hair beyond the margin is invisible).
OVERFULL_LIMIT = 3.0
#: The most lines in a row that may end in a hyphen: three make a ladder.
HYPHEN_LADDER = 2
#: LaTeX warnings that say nothing about this book.
HARMLESS_WARNINGS = [
    # cmap is for pdfTeX; Sphinx loads it for every engine and it steps aside under XeTeX
    "Package cmap Warning: pdftex not detected - exiting.",
]


def chapter_titles() -> list[str]:
    """The chapters' titles, in reading order, as text compares."""
    return expected.chapter_titles()


def faq_answers() -> list[str]:
    return [normalise(a) for a in re.findall(r"\bA: (.+)$", manuscript_text(), re.MULTILINE)]


@cache
def reader(path) -> PdfReader:
    return PdfReader(path)


def outline(pdf) -> list[tuple[int, str, int]]:
    """(depth, title, 0-based page) of every bookmark, in order."""
    book = reader(pdf.pdf)
    entries = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                entries.append(
                    (depth, normalise(item.title), book.get_destination_page_number(item))
                )

    walk(book.outline, 0)
    return entries


def pdfinfo(pdf) -> dict[str, str]:
    require("pdfinfo")
    out = run(["pdfinfo", "-enc", "UTF-8", str(pdf.pdf)]).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def page_text(pdf, page: int) -> str:
    """The text of one page (1-based), as pdftotext reads it."""
    require("pdftotext")
    return run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf.pdf), "-"]).stdout


# -- The LaTeX log ------------------------------------------------------------------


def test_latex_log_has_no_undefined_references_or_citations(pdf):
    undefined = [
        line
        for line in unwrapped(pdf.latex_log)
        if re.search(r"(Reference|reference|Citation) .* undefined|undefined references", line)
    ]
    assert undefined == []


def test_latex_log_has_no_missing_characters(pdf):
    assert [line for line in unwrapped(pdf.latex_log) if "Missing character" in line] == []


def test_no_line_sticks_out_into_the_margin(pdf):
    overfull = re.findall(r"Overfull \\[hv]box \((\d+(?:\.\d+)?)pt too \w+\)", pdf.latex_log)
    assert [float(pt) for pt in overfull if float(pt) > OVERFULL_LIMIT] == []


def test_no_line_is_stretched_loose(pdf):
    """No line's spaces stretched wide: the log names every line looser than LaTeX's
    default badness of 1000 (book.sty sets \\hbadness so), and names none."""
    loose = re.findall(r"^Underfull \\hbox \(badness (\d+)\).*\n(.*)", pdf.latex_log, re.M)
    assert loose == []


def test_no_more_than_two_lines_in_a_row_end_in_a_hyphen(pdf_text):
    ladders, ladder = [], []
    for line in [*pdf_text.splitlines(), ""]:
        if re.search(r"\w-$", line.rstrip()):
            ladder.append(line.strip())
        else:
            if len(ladder) > HYPHEN_LADDER:
                ladders.append(ladder)
            ladder = []
    assert ladders == []


def test_latex_log_has_no_warnings_of_note(pdf):
    warnings = [
        line
        for line in unwrapped(pdf.latex_log)
        if re.search(r"\b(LaTeX|Package|Class) (\S+ )?Warning\b", line)
        and line.strip() not in HARMLESS_WARNINGS
    ]
    assert warnings == []


def test_log_is_from_xelatex(pdf):
    """XeLaTeX sets the book's own typeface (tests/test_typeface.py checks which)."""
    assert pdf.latex_log.startswith("This is XeTeX")


# -- The document -------------------------------------------------------------------


def test_metadata_names_title_author_subject_and_keywords(pdf):
    info = pdfinfo(pdf)
    assert info["Title"] == TITLE
    assert info["Author"] == AUTHOR
    assert normalise(info["Subject"]) == normalise(book_config()["description"])
    keywords = [k.strip() for k in info["Keywords"].split(",")]
    assert keywords == [k.strip() for k in book_config()["keywords"].split(",")]


def xmp(pdf) -> dict[str, list[str]]:
    """The XMP metadata's Dublin Core fields, as `pdfinfo -meta` reads them: each
    field's values (an rdf:Alt, Bag or Seq holds one or more)."""
    require("pdfinfo")
    packet = run(["pdfinfo", "-meta", str(pdf.pdf)]).stdout
    assert "<x:xmpmeta" in packet, "no XMP metadata"
    end = packet.index("</x:xmpmeta>") + len("</x:xmpmeta>")
    root = ElementTree.fromstring(packet[packet.index("<x:xmpmeta") : end])
    dc = "{http://purl.org/dc/elements/1.1/}"
    return {
        field.tag.removeprefix(dc): [
            normalise(li.text or "") for li in field.iter() if li.tag.endswith("}li")
        ]
        or [normalise(field.text or "")]
        for field in root.iter()
        if field.tag.startswith(dc)
    }


def test_xmp_metadata_gives_title_author_language_date_and_rights(pdf):
    """What a catalogue or a reader's library reads first, from CITATION.cff and conf.py."""
    config = book_config()
    fields = xmp(pdf)
    assert fields["title"] == [TITLE]
    assert fields["creator"] == [AUTHOR]
    assert fields["language"] == [config["language"]]
    assert fields["date"] == [config["book_citation"].date.isoformat()]
    year = str(config["book_citation"].date.year)
    assert fields["rights"] == [normalise(f"© {config['copyright'].replace('%Y', year)}")]
    # one packet: book.sty's workaround stands aside where hyperxmp writes it itself
    assert pdf.pdf.read_bytes().count(b"<?xpacket begin") == 1


def test_viewers_show_the_title_not_the_file_name(pdf):
    preferences = reader(pdf.pdf).trailer["/Root"]["/ViewerPreferences"]
    assert bool(preferences["/DisplayDocTitle"])  # a pypdf BooleanObject


def test_document_language_is_english(pdf):
    assert reader(pdf.pdf).trailer["/Root"]["/Lang"] == "en"


def test_every_page_has_the_paper_size_conf_py_sets(pdf):
    sizes = {(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
             for p in reader(pdf.pdf).pages}  # fmt: skip
    assert len(sizes) == 1
    (width, height) = sizes.pop()
    paper = PAPER[book_config()["latex_elements"].get("papersize", "letterpaper")]
    assert abs(width - paper[0]) < TOLERANCE
    assert abs(height - paper[1]) < TOLERANCE


def test_the_essay_is_a_small_book_not_a_manual(pdf):
    """Sphinx's default manual class gives 47 letter pages; a run-on essay gives about 13."""
    pages = len(reader(pdf.pdf).pages)
    assert 8 <= pages <= 20, f"{pages} pages"


def test_chapters_run_on_rather_than_each_starting_a_page(pdf):
    chapters = [page for depth, title, page in outline(pdf) if title in chapter_titles()]
    assert len(set(chapters)) < len(chapters) / 1.5


def test_bookmarks_list_every_chapter_then_the_back_matter_and_index(pdf):
    top = [title for depth, title, _ in outline(pdf) if depth == 0]
    assert top == [*chapter_titles(), *BACK_MATTER, "Index"]


def test_bookmarks_point_to_pages_in_reading_order(pdf):
    pages = [page for depth, _, page in outline(pdf) if depth == 0]
    assert pages == sorted(pages)
    assert pages[0] > 0


def test_chapter_pages_have_working_internal_links(pdf):
    book = reader(pdf.pdf)
    names = set(book.named_destinations)
    first_chapter = outline(pdf)[0][2]
    faq = next(page for _, title, page in outline(pdf) if title == expected.title("backmatter/faq"))
    for number in range(first_chapter, faq):
        links = [a.get_object() for a in book.pages[number].get("/Annots") or []]
        targets = [
            link["/A"]["/D"] if "/A" in link else link["/Dest"]
            for link in links
            if link["/Subtype"] == "/Link" and ("/Dest" in link or link["/A"]["/S"] == "/GoTo")
        ]
        assert targets, f"no internal link on page {number + 1}"
        dangling = [t for t in targets if not isinstance(t, list) and str(t) not in names]
        assert dangling == [], f"links to nowhere on page {number + 1}"


def test_links_lead_to_chapters_the_glossary_and_the_faq(pdf):
    book = reader(pdf.pdf)
    landed = set()
    for page in book.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            if action.get("/S") == "/GoTo":
                target = book.named_destinations[str(action["/D"])]
                landed.add(book.get_destination_page_number(target))
    starts = {title: page for _, title, page in outline(pdf)}
    # a chapter the text links to, as its sources say
    linked = next(
        expected.title(f"chapters/{c}")
        for c in CHAPTERS
        if any(
            f"<{page_label(f'chapters/{c}')}>`" in source_text(f"chapters/{o}") for o in CHAPTERS
        )
    )
    for title in [linked, expected.title("backmatter/glossary"), expected.title("backmatter/faq")]:
        assert starts[title] in landed, f"no link leads to {title}"


def test_every_link_is_drawn_in_the_books_one_brand_colour(pdf):
    """References, glossary terms, the index's pages and web addresses alike: not
    hyperref's red, Sphinx's teal for addresses or black."""
    found = link_colours(pdf.pdf)
    kinds = {"web address" if link.uri else "reference" for link, _ in found}
    assert kinds == {"web address", "reference"}, kinds
    brand = hex_rgb(BRAND)
    off = [
        (link.page + 1, link.uri or link.destination, sorted(colours))
        for link, colours in found
        if not colours or not all(same_colour(colour, brand) for colour in colours)
    ]
    assert off == [], f"not in {BRAND}: {off}"


def test_no_line_of_a_link_ends_in_a_hyphen(pdf):
    """A hyphen at the end of a linked line could be the link's own: words inside a
    reference (in the text, the contents, the index) are not hyphenated or broken at
    their hyphens."""
    found = [(link, text) for link, text in link_lines(pdf.pdf) if link.uri is None]
    assert len(found) > len(chapter_titles())
    hyphenated = [(link.page + 1, text) for link, text in found if text.endswith(HYPHENS)]
    assert hyphenated == []


def test_web_addresses_break_only_after_their_own_separators(pdf):
    """ "https://cr|aving" is no break; "https://|craving-|genuine" are, and no hyphen is
    added to the address, nor a break made between two separators ("https:/|/")."""
    assert any(len(pieces) > 1 for _, pieces in web_addresses_as_set(pdf.pdf)), "none broken"
    assert address_break_problems(pdf.pdf) == []


def test_the_essay_is_set_with_leading_about_1_3_times_its_type_size(pdf):
    """10 on 13 for Literata's tall lowercase (10 on 12 looked cramped): the distance from
    one line of a chapter's text to the next, at the type size conf.py sets."""
    size = float(book_config()["latex_elements"]["pointsize"].removesuffix("pt"))
    first_chapter = outline(pdf)[0][2]
    faq = next(page for _, title, page in outline(pdf) if title == expected.title("backmatter/faq"))
    spacings = line_spacings(pdf.pdf, range(first_chapter, faq))
    assert len(spacings) > 50
    assert all(1.25 * size <= spacing <= 1.35 * size for spacing in spacings), sorted(spacings)


def test_faq_answers_are_printed_in_full(pdf, pdf_text):
    text = normalise(pdf_text.replace("-\n", ""))
    for answer in faq_answers():
        assert answer[:60] in text
        assert answer[-40:] in text


def test_title_page_carries_title_subtitle_edition_author_and_cover_art(pdf):
    text = normalise(page_text(pdf, 1))
    assert TITLE in text
    assert SUBTITLE in text
    assert re.search(r"\bEdition \d+(\.\d+)*\b", text)
    assert AUTHOR.lower() in text.lower()
    require("pdfimages")
    images = run(["pdfimages", "-list", "-f", "1", "-l", "1", str(pdf.pdf)]).stdout
    assert len(images.splitlines()) > 2, "no image on the title page"


def test_contents_follow_the_title_page_with_chapters_numbered_and_back_matter_not(pdf):
    text = normalise(page_text(pdf, 2))
    assert text.startswith("Contents")
    titles = chapter_titles()
    assert f"1 {titles[0]}" in text
    assert f"{len(titles)} {titles[-1]}" in text
    for number, title in enumerate(BACK_MATTER, start=len(titles) + 1):
        assert title in text
        assert f"{number} {title}" not in text


def heading_pages(pdf) -> list[tuple[str, str]]:
    """(title, text of the page its bookmark opens, page number aside) for every bookmark."""
    return [
        (title, re.sub(r"\s(\d+|[ivx]+)\s*$", "", normalise(page_text(pdf, page + 1))))
        for _, title, page in outline(pdf)
    ]


def test_each_bookmark_opens_the_page_that_shows_its_heading(pdf):
    misplaced = [title for title, text in heading_pages(pdf) if title not in text]
    assert misplaced == []


def test_no_heading_is_left_at_the_foot_of_a_page(pdf):
    """Each heading has at least a couple of lines of its text below it on its page."""
    for title, text in heading_pages(pdf):
        if title in text:
            assert len(text.split(title, 1)[1].split()) >= 12, f"{title} ends its page"


def test_general_index_closes_the_book(pdf):
    book = reader(pdf.pdf)
    *_, (depth, title, page) = outline(pdf)
    assert (depth, title) == (0, "Index")
    assert page >= len(book.pages) - 2
    index = normalise(" ".join(page_text(pdf, n + 1) for n in range(page, len(book.pages))))
    assert index.startswith("Index")
    assert re.search(rf"{re.escape(expected.glossary_terms()[0])}, \d+", index)


# -- Reproducible output ------------------------------------------------------------


def test_two_builds_in_different_folders_give_a_byte_identical_pdf(pdf, dist):
    """With SOURCE_DATE_EPOCH set (conftest sets it), the PDF does not depend on when or where.

    xdvipdfmx (TeX Live 2022) takes the CreationDate from SOURCE_DATE_EPOCH (it writes no
    ModDate) and derives the trailer /ID from an MD5 of that date, its producer string and
    the names of the .xdv and .pdf files as it is given them: latexmk passes the relative
    names ``<jobname>.xdv`` and ``<jobname>.pdf``, so the folder does not enter the PDF.
    Nothing in the book prints TeX's own clock (``\\today``, ``\\time``), so FORCE_SOURCE_DATE is
    not needed.  A different job name would give a different /ID.  The second build is the
    one `make dist` made (``make latexpdf``) from the working tree, in another folder.
    """
    first, second = pdf.pdf.read_bytes(), dist.pdf_file.read_bytes()
    assert len(first) == len(second), f"{len(first)} bytes, then {len(second)}"
    offsets = [i for i, (a, b) in enumerate(zip(first, second, strict=True)) if a != b]
    assert offsets == [], (
        f"{len(offsets)} bytes differ, around {first[max(0, offsets[0] - 40) :][:80]!r}"
    )


def test_pdf_date_comes_from_source_date_epoch_not_the_clock(pdf):
    stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(int(os.environ["SOURCE_DATE_EPOCH"])))
    assert str(reader(pdf.pdf).metadata["/CreationDate"]).startswith(f"D:{stamp}")


# -- The copy-edits' pages -------------------------------------------------------------


def squash(text: str) -> str:
    """Letters and digits only, in lower case: line breaks and hyphens do not matter."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).lower() if c.isalnum())


def printed_pages(pdf) -> dict[str, str]:
    """``{printed page number: the page's text}`` of the PDF's arabic-numbered pages,
    less the paragraph numbers in the margin."""
    require("pdftotext")
    pages = {}
    for text in run(["pdftotext", "-layout", str(pdf.pdf), "-"]).stdout.split("\f"):
        lines = [line for line in text.splitlines() if line.strip()]
        if lines and lines[-1].strip().isdigit():
            body = "\n".join(lines[:-1])
            pages[lines[-1].strip()] = re.sub(r"(?<=\S) {3,}\d+ *$", "", body, flags=re.M)
    return pages


def test_each_copy_edit_the_about_page_lists_gives_the_page_its_words_are_on(pdf, pdf_text):
    """The About page's list cites each correction "ch. 4, ¶ 2, p. 17": the record's
    words (its ``edition``) begin on that page (and may run on to the next)."""
    edits = in_listing_order(copy_edits())
    cited = re.findall(r"\(ch\. \d+, ¶ \d+, p\. (\d+)\)", " ".join(pdf_text.split()))
    assert len(cited) == len(edits), cited
    pages = printed_pages(pdf)
    for edit, page in zip(edits, cited, strict=True):
        words = squash(edit["edition"])
        here, then = squash(pages[page]), squash(pages.get(str(int(page) + 1), ""))
        assert -1 < (here + then).find(words) < len(here), (page, edit["edition"])


# -- The apparatus in proportion ---------------------------------------------------------


def test_no_page_prints_the_epubs_accessibility_metadata(pdf, pdf_text):
    """The metadata describes the EPUB, not the PDF ("Page list to go to pages…",
    "Conformance: No information is available"): none of the statements the About page's
    accessibility section can make of it (``book.accessibility.wording``), nor the
    summary conf.py gives the EPUB, is on a page of the PDF."""
    text = squash(pdf_text)
    summary = book_config()["book_epub_accessibility_summary"]
    printed = [phrase for phrase in [*wording(), summary] if squash(phrase) in text]
    assert printed == []


def test_the_apparatus_takes_less_room_than_the_essay_and_the_about_page_two_pages(pdf):
    """Issue 23: about 8 pages of back matter against 7 of essay, 3½ of them the About
    page.  Measured from each part's heading to the next, page by page
    (``pdf_page.extents``), against the fullest page's text.  (The issue asked for an
    About page no longer than the longest chapter, half a page: its facts, the text's
    source, three citations and every copy-edit with its page, take more at any size a
    reader can read; two pages, one spread, is what a reader turns past.)"""
    room = {normalise(title): points for title, points in extents(pdf.pdf)}
    chapters = chapter_titles()
    essay = sum(room[title] for title in chapters)
    apparatus = sum(points for title, points in room.items() if title not in chapters)
    assert apparatus < essay, f"back matter {apparatus:.0f} pt, essay {essay:.0f} pt"
    text = [line for line in layout_lines(pdf.pdf) if not is_folio(line, pdf.pdf)]
    page = max(line.bottom for line in text) - min(line.top for line in text)
    about = expected.title("backmatter/about")
    assert room[about] <= 2 * page, f"{about}: {room[about]:.0f} pt, a page's text {page:.0f} pt"
