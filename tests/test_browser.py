"""The `make dist` site in a real browser: what a reader clicks, sees and prints.

The site is served and Chromium driven by the ``browser`` plugin (``browser.py``) on
pytest-playwright's fixtures.  The costly checks of every page (axe-core in both
themes and both widths, the page width on a phone, the requests each page makes)
read one pass over the site, made once for the session (``audit``), as does the
Nu Html Checker (``vnu_report``).  Screenshots of the landing
page, a chapter and the FAQ are saved under ``_build/screenshots/`` for people to
look at; no test passes because of them.
"""

from __future__ import annotations

import re
import urllib.request
from fnmatch import fnmatchcase
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import (
    AUDIT,
    AXE_COLOUR_RULES,
    AXE_TAGS,
    CHAPTER,
    FAQ,
    NARROW,
    SCREENSHOTS,
    WIDE,
    QuietHandler,
    reads_the_audit,
)
from bs4 import BeautifulSoup

import expected
from manuscript import question_count, squash
from tools import CHAPTERS, REDIRECTS, book_config, require_npm, source_docs, source_text


@pytest.fixture
def page(open_context):
    context = open_context()
    yield context.new_page()
    context.close()


def is_open(page, selector: str) -> bool:
    return page.locator(selector).evaluate("details => details.open")


def wait_until_in_view(page, selector: str) -> None:
    """Wait until the element has scrolled into the window, under no fixed header."""
    page.wait_for_function(
        """selector => {
            const el = document.querySelector(selector);
            const box = el.getBoundingClientRect();
            const x = box.left + 20, y = box.top + 5;
            return y >= 0 && y < innerHeight && el.contains(document.elementFromPoint(x, y));
        }""",
        arg=selector,
    )


# -- The landing page -------------------------------------------------------------


@pytest.mark.parametrize("viewport", [NARROW, WIDE], ids=["phone", "desktop"])
def test_the_first_screen_offers_the_start_of_the_essay_and_the_whole_essay_on_one_page(
    open_context, viewport
):
    """Issue 22: the one-page edition was the third card at the foot of the page."""
    tab = open_context(viewport=viewport).new_page()
    tab.goto("index.html")
    ways = {
        "Start reading": f"chapters/{CHAPTERS[0]}.html",
        "The whole essay on one page": "single/index.html",
    }
    for label, address in ways.items():
        button = tab.get_by_role("link", name=label, exact=True)
        box = button.bounding_box()
        assert box is not None, label
        assert box["y"] >= 0, label
        assert box["y"] + box["height"] <= viewport["height"], f"{label} is below the first screen"
        assert button.get_attribute("href") == address
    # the title once, as the page's heading: not again in the menu or the header
    copies = [".sidebar-brand-text", ".mobile-header .brand", "article h1"]
    shown = [c for c in copies if tab.locator(c).first.evaluate("e => e.checkVisibility()")]
    assert shown == ["article h1"]
    tab.get_by_role("link", name="Start reading", exact=True).click()
    tab.wait_for_url(f"**/chapters/{CHAPTERS[0]}.html")
    assert tab.locator("article h1").count() == 1


def test_a_chapter_leads_on_to_its_own_place_in_the_whole_essay_on_one_page(open_context):
    """Issue 22: a reader who began page by page had sixteen pages to turn, and the
    one-page edition started from the top."""
    tab = open_context(viewport=NARROW).new_page()
    tab.goto(CHAPTER)
    heading = tab.locator("article h1").inner_text()
    tab.locator("article p.book-read-on a").click()
    tab.wait_for_url("**/single/index.html#*")
    place = tab.url.split("#")[1]
    there = f"section[id='{place}'] > :is(h1, h2)"
    assert " ".join(tab.locator(there).inner_text().split()) == " ".join(heading.split())
    # in the top quarter of the screen, once the browser's (smooth) scroll has come to it
    tab.wait_for_function(
        """([selector, share]) => {
            const top = document.querySelector(selector).getBoundingClientRect().top;
            return top >= 0 && top < innerHeight * share;
        }""",
        arg=[there, 0.25],
        timeout=5000,
    )


def test_a_chapter_on_a_wide_screen_has_its_text_in_the_middle_not_an_empty_column_beside(
    open_context,
):
    """Issue 22: at 1440 px a chapter's text stood against the menu, and a 350 px column
    with nothing in it (furo's place for the page's own contents) filled the right."""
    tab = open_context(viewport={"width": 1440, "height": 900}).new_page()
    tab.goto(CHAPTER)
    room = tab.evaluate(
        """() => {
            const menu = document.querySelector('.sidebar-drawer').getBoundingClientRect();
            const text = document.querySelector('.content').getBoundingClientRect();
            return {before: text.left - menu.right, after: innerWidth - text.right};
        }"""
    )
    assert abs(room["before"] - room["after"]) <= 2, room


def test_the_one_page_editions_contents_show_every_entry(open_context):
    """Issue 22: furo hid the first entry under each caption ("1. Introduction")."""
    tab = open_context(viewport={"width": 1440, "height": 900}).new_page()
    tab.goto("single/index.html")
    links = tab.locator(".toc-drawer .toc-tree a")
    hidden = [a.inner_text() for a in links.all() if not a.is_visible()]
    assert links.count() >= len(CHAPTERS)
    assert not hidden


# -- The FAQ's dropdowns ------------------------------------------------------------

#: The questions' anchors, in order; one that another page links to, and that page.
QUESTIONS = expected.faq_names()
LINKING_PAGE, LINKED = expected.linked_question()
OTHERS = [q for q in QUESTIONS if q != LINKED]


def test_a_faq_dropdown_opens_when_its_question_is_clicked(page):
    page.goto(FAQ)
    first = QUESTIONS[0]
    answer = page.locator(f"#{first} .sd-summary-content")
    assert not answer.is_visible()
    page.locator(f"#{first} summary").click()
    assert is_open(page, f"#{first}")
    assert answer.is_visible()
    assert squash(expected.faq_answers()[first]) in squash(answer.inner_text())


def test_following_a_link_to_a_faq_question_opens_it_and_scrolls_to_it(page):
    page.goto(f"{FAQ}#{LINKED}")
    page.wait_for_function(f"document.getElementById('{LINKED}').open")
    assert page.locator(f"#{LINKED} .sd-summary-content").is_visible()
    assert not any(is_open(page, f"#{q}") for q in OTHERS)
    wait_until_in_view(page, f"#{LINKED} summary")


def test_a_link_from_another_page_to_a_faq_question_opens_it(page):
    page.goto(f"{LINKING_PAGE}.html")
    page.locator(f"a[href$='faq.html#{LINKED}']").click()
    page.wait_for_url(re.compile(rf"faq\.html#{LINKED}$"))
    page.wait_for_function(f"document.getElementById('{LINKED}').open")
    wait_until_in_view(page, f"#{LINKED} summary")


def test_a_link_within_the_page_opens_the_question_even_when_followed_twice(page):
    page.goto("single/index.html")
    link = page.locator(f"a[href='#{LINKED}']").first
    link.click()
    page.wait_for_function(f"document.getElementById('{LINKED}').open")
    # The reader closes it and follows the same link again: no hashchange this time.
    page.locator(f"#{LINKED} summary").click()
    assert not is_open(page, f"#{LINKED}")
    link.click()
    page.wait_for_function(f"document.getElementById('{LINKED}').open")
    wait_until_in_view(page, f"#{LINKED} summary")


def test_typing_a_faq_anchor_into_the_address_bar_opens_that_question(page):
    page.goto(FAQ)
    last = QUESTIONS[-1]
    page.evaluate(f"location.hash = '#{last}'")
    page.wait_for_function(f"document.getElementById('{last}').open")
    assert not is_open(page, f"#{QUESTIONS[0]}")


def in_some_answers(answers: dict[str, str]) -> str:
    """A word of some answers but not of the first one."""
    first = set(answers[QUESTIONS[0]].lower().split())
    return next(
        word
        for answer in list(answers.values())[1:]
        for word in answer.lower().split()
        if word.isalpha() and len(word) > 6 and word not in first
    )


def test_a_search_hit_inside_a_closed_dropdown_opens_it(page):
    # what a click on a search result leads to
    answers = expected.faq_answers()
    word = in_some_answers(answers)
    page.goto(f"{FAQ}?highlight={word}")
    page.wait_for_selector("details .highlighted")
    hits = page.locator("details:has(.highlighted)")
    page.wait_for_function("[...document.querySelectorAll('details')].some(d => d.open)")
    assert hits.count() == sum(word in answer.lower() for answer in answers.values())
    assert all(hits.nth(i).evaluate("d => d.open") for i in range(hits.count()))
    assert not is_open(page, f"#{QUESTIONS[0]}")


def test_without_javascript_every_answer_is_in_the_page_and_opens_on_click(open_context):
    page = open_context(java_script_enabled=False).new_page()
    page.goto(f"{FAQ}#{LINKED}")
    assert page.locator("details.sd-dropdown").count() == question_count()
    text = squash(page.locator("article").text_content())
    assert all(squash(answer) in text for answer in expected.faq_answers().values())
    page.locator(f"#{LINKED} summary").click()
    assert page.locator(f"#{LINKED} .sd-summary-content").is_visible()


def test_printing_shows_every_answer_and_leaves_out_the_navigation(open_context):
    page = open_context(scheme="dark").new_page()
    page.goto(FAQ)
    page.emulate_media(media="print")
    for question in QUESTIONS:
        assert page.locator(f"#{question} .sd-summary-content").is_visible()
    for navigation in (".sidebar-drawer", ".toc-drawer", ".theme-toggle", ".related-pages"):
        assert page.locator(navigation).filter(visible=True).count() == 0, navigation
    # black on white, even when the reader's screen is dark
    answer = page.locator(f"#{QUESTIONS[0]} .sd-summary-content p").first
    colour = answer.evaluate("p => getComputedStyle(p).color")
    assert colour == "rgb(0, 0, 0)"


def test_the_browser_print_command_opens_the_dropdowns_and_closes_them_after(page):
    page.goto(FAQ)
    page.locator(f"#{QUESTIONS[1]} summary").click()
    page.evaluate("dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details:not([open])").count() == 0
    page.evaluate("dispatchEvent(new Event('afterprint'))")
    assert [is_open(page, f"#{q}") for q in QUESTIONS] == [q == QUESTIONS[1] for q in QUESTIONS]


# -- Theme, search and downloads -------------------------------------------------------


def background_luminance(page) -> float:
    rgb = page.evaluate("getComputedStyle(document.body).backgroundColor")
    red, green, blue = (int(c) for c in re.findall(r"\d+", rgb)[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


def test_the_theme_toggle_switches_to_dark(page):
    page.goto(CHAPTER)
    assert background_luminance(page) > 0.9
    page.locator(".theme-toggle").filter(visible=True).click()
    assert page.evaluate("document.body.dataset.theme") == "dark"
    assert background_luminance(page) < 0.1
    page.reload()
    assert page.evaluate("document.body.dataset.theme") == "dark", "the choice is not kept"


def chapters_mentioning(site, term: str) -> set[str]:
    return {
        page_name.removesuffix(".html")
        for page_name in site.pages
        if page_name.startswith("chapters/") and term in site.article_text(page_name)
    }


def most_mentioned_term(site) -> str:
    """The one-word glossary term that most chapters mention."""
    words = [t for t in expected.glossary_terms() if " " not in t]
    return max(words, key=lambda t: len(chapters_mentioning(site, t)))


def search(page, term: str) -> None:
    page.goto(f"search.html?q={term}")
    page.wait_for_function(
        "document.querySelector('#search-results .search-summary')?.textContent.includes('found')"
    )


def test_search_for_a_glossary_term_lists_every_chapter_that_mentions_it(page, site):
    term = most_mentioned_term(site)
    mentions = chapters_mentioning(site, term)
    assert len(mentions) >= 2, term
    search(page, term)
    hrefs = page.locator("#search-results ul.search li > a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    found = {re.sub(r"\.html.*", "", href) for href in hrefs}
    assert mentions <= found, f"chapters missing from the results: {sorted(mentions - found)}"


def test_search_snippets_quote_the_essay_not_its_reading_times(page, site):
    """Issue 22: a snippet began "¼ min read · 70 words" (Sphinx cuts it from the page's text)."""
    search(page, most_mentioned_term(site))
    page.wait_for_function("document.querySelectorAll('#search-results p.context').length > 0")
    snippets = page.locator("#search-results p.context").all_inner_texts()
    assert [s for s in snippets if re.search(r" read · |\bmin read\b|words of essay", s)] == []


def box_title_word(site) -> str:
    """The last word of the title the most boxes of the essay share ("Highlight")."""
    titles = [
        title.get_text(" ", strip=True)
        for name in site.pages
        for title in BeautifulSoup(
            (site.root / name).read_text(encoding="utf-8"), "html.parser"
        ).select("article .admonition-title")
    ]
    return max(set(titles), key=titles.count).split()[-1]


@pytest.mark.parametrize("query", ["glossary term", "box title"])
def test_search_lists_each_page_once(page, site, query):
    """Issue 22: a page came again as a title without a snippet, once for each of its
    index entries ("#index-0") or its box's title ("Chapter > Highlight")."""
    term = most_mentioned_term(site) if query == "glossary term" else box_title_word(site)
    search(page, term)
    hrefs = page.locator("#search-results ul.search li > a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    pages = [href.split("#")[0] for href in hrefs]
    assert pages, term
    assert sorted(p for p in set(pages) if pages.count(p) > 1) == [], (term, hrefs)


def test_search_ranks_the_essays_pages_above_its_apparatus(page, site):
    """Issue 22: the About page's copy-edit log ranked among the chapters."""
    patterns = book_config()["book_essay_docs"]
    apparatus = {
        f"{doc}.html"
        for doc in source_docs()
        if not any(fnmatchcase(doc, pattern) for pattern in patterns)
    }
    found_in = {name: site.article_text(name) for name in site.pages}
    # a glossary term found on a page of the apparatus and on a chapter
    term = next(
        t
        for t in sorted(expected.glossary_terms(), key=len, reverse=True)
        if " " not in t
        and any(t in found_in.get(name, "") for name in apparatus)
        and chapters_mentioning(site, t)
    )
    search(page, term)
    hrefs = page.locator("#search-results ul.search li > a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    pages = [href.split("#")[0] for href in hrefs if "#" not in href]  # the text's hits
    ranks = [pages.index(name) for name in apparatus if name in pages]
    essay = [i for i, name in enumerate(pages) if name not in apparatus]
    assert ranks, f"{term}: no page of the apparatus found"
    assert essay, f"{term}: no page of the essay found"
    assert min(ranks) > max(essay), pages


def test_the_results_page_offers_a_field_holding_the_query_at_a_phones_width(page, site):
    """Issue 22: at 375 px furo's only search field was in the closed menu."""
    term = most_mentioned_term(site)
    page.set_viewport_size({"width": 375, "height": 740})
    search(page, term)
    field = page.locator("article form[role=search] input[name=q]")
    assert field.is_visible()
    assert field.input_value() == term
    box = field.bounding_box()
    assert 0 <= box["x"] <= box["x"] + box["width"] <= 375
    assert box["height"] >= 24
    field.fill(next(other for other in expected.glossary_terms() if other != term))
    field.press("Enter")
    page.wait_for_url(lambda url: term not in url)
    assert page.locator("article form[role=search] input[name=q]").input_value() != term


def test_each_highlight_is_an_aside_a_screen_reader_lists_by_its_heading(page):
    """Issue 22: a highlight was a <div> titled by a <p>, no landmark and no heading."""
    box = re.compile(r"^:::\{admonition\} (.+)\n:class: book-highlight$", re.MULTILINE)
    chapter = next(c for c in CHAPTERS if box.search(source_text(f"chapters/{c}")))
    # the title's words: its icon ({octicon}`light-bulb`) is decoration
    titles = [
        expected.plain(re.sub(r"\{octicon\}`[^`]*`", "", t)).strip()
        for t in box.findall(source_text(f"chapters/{chapter}"))
    ]
    page.goto(f"chapters/{chapter}.html")
    for title in set(titles):
        asides = page.locator("article").get_by_role("complementary", name=title, exact=True)
        assert asides.count() == titles.count(title), title
        for aside in asides.all():
            assert aside.get_by_role("heading", level=2, name=title, exact=True).count() == 1


def test_each_faq_question_is_a_heading_a_screen_reader_jumps_to_and_still_opens_it(page):
    """Issue 22: the questions were <summary>s alone, no heading to move between."""
    page.goto(FAQ)
    headings = page.locator("article").get_by_role("heading", level=2)
    questions = expected.faq_questions()
    assert [squash(h) for h in headings.all_inner_texts()] == [squash(q) for q in questions]
    # the heading is the question's summary: Enter on it, focused, opens the answer
    for name in QUESTIONS:
        heading = page.locator(f"#{name} summary").get_by_role("heading", level=2)
        assert heading.count() == 1, name
    first = QUESTIONS[0]
    page.locator(f"#{first} summary").focus()
    page.keyboard.press("Enter")
    assert is_open(page, f"#{first}")
    assert page.locator(f"#{first} .sd-summary-content").is_visible()


def test_a_glossary_term_opens_its_definition_beside_it_and_escape_returns_to_the_term(page):
    """Issue 22: a glossary link sent the reader away from a 100-word page and back."""
    chapter = next(c for c in CHAPTERS if expected.terms_used(f"chapters/{c}"))
    term = expected.terms_used(f"chapters/{chapter}")[0]
    page.goto("backmatter/glossary.html")
    definition = page.locator(f"dt#{expected.term_anchor(term)} ~ dd").first.inner_text()
    page.goto(f"chapters/{chapter}.html")
    # Lighthouse: a link without an address is not one a crawler (or a reader) can follow
    assert page.locator("a:not([href])").count() == 0
    link = page.locator(f"article a[href$='#{expected.term_anchor(term)}']").first
    link.focus()
    page.keyboard.press("Enter")  # the keyboard alone
    note = page.get_by_role("dialog", name=link.inner_text())
    assert note.is_visible()
    assert squash(definition) in squash(note.inner_text())
    assert note.evaluate("n => n.contains(document.activeElement)")  # a screen reader is there
    assert page.url.endswith(f"chapters/{chapter}.html")  # the page was not left
    entry = note.get_by_role("link", name="The entry in the glossary")
    assert entry.evaluate("a => a.href") == link.evaluate("a => a.href")
    page.keyboard.press("Escape")
    assert not note.is_visible()
    assert link.evaluate("l => l === document.activeElement")


def test_the_glossarys_headwords_stand_out_from_their_definitions(page):
    page.goto("backmatter/glossary.html")
    weights = page.eval_on_selector_all(
        "dl.glossary > dt, dl.glossary > dd",
        "els => els.map(e => [e.tagName, Number(getComputedStyle(e).fontWeight)])",
    )
    assert {tag for tag, _ in weights} == {"DT", "DD"}
    assert min(w for tag, w in weights if tag == "DT") >= 600
    assert max(w for tag, w in weights if tag == "DD") < 600


def test_an_old_address_takes_the_reader_to_the_page_that_moved(page):
    old, new = next(iter(REDIRECTS.items()))
    page.goto(f"{old}.html")
    page.wait_for_url(f"**/{new}.html")
    assert page.locator("article h1").count() == 1


DOWNLOADS = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".epub": ("application/epub+zip", b"PK\x03\x04"),
    ".html": ("text/html", b"<!doctype html>"),
}


def test_every_download_on_the_landing_page_resolves(page, site):
    page.goto("index.html")
    cards = page.locator("#downloads .book-download")
    assert cards.count() == 3
    for card in cards.all():
        href = card.locator("a.sd-btn").evaluate("a => a.href")
        path = urlsplit(href).path
        content_type, magic = DOWNLOADS[Path(path).suffix]
        with urllib.request.urlopen(href) as response:
            body = response.read()
            assert response.status == 200
            assert response.headers["Content-Type"].startswith(content_type)
        assert body[: len(magic)].lower() == magic.lower(), href
        assert len(body) == (site.root / path.removeprefix(QuietHandler.prefix)).stat().st_size
        if path.endswith(".epub"):
            assert body[30:58] == b"mimetypeapplication/epub+zip"
        facts = card.locator(".book-download-facts")
        if facts.count():
            stated = int(re.search(r"(\d+) KB", facts.inner_text())[1])
            assert stated == round(len(body) / 1000), f"{href}: {facts.inner_text()}"


# -- Every page: accessible, valid, self-contained, and fits a phone -----------------


def test_search_highlights_are_legible_in_both_themes(open_context):
    context = open_context(reduced_motion="reduce")
    context.add_init_script(path=require_npm("axe-core") / "axe.min.js")
    page = context.new_page()
    problems = []
    word, term = in_some_answers(expected.faq_answers()), expected.glossary_terms()[0]
    for url in (f"{FAQ}?highlight={word}", f"search.html?q={term}"):
        page.goto(url)
        page.wait_for_selector(".highlighted")
        page.evaluate(AUDIT, [AXE_TAGS, AXE_COLOUR_RULES, ["light", "dark"], []])
        problems += [f"{url}: {v}" for v in page.evaluate("window.bookAudit")["violations"]]
    assert not problems, "\n".join(problems)


@reads_the_audit
def test_every_page_has_no_axe_violations_in_either_theme_or_width(audit, site):
    assert len(audit.results) == len(site.pages) >= 24
    problems = [
        f"{name} at {width} px, {violation}"
        for name, widths in audit.results.items()
        for width, result in widths.items()
        for violation in result["violations"]
    ]
    assert not problems, "\n".join(problems)


@reads_the_audit
def test_no_page_scrolls_sideways_on_a_375_pixel_screen(audit):
    too_wide = {
        name: widths[NARROW["width"]]["scrollWidth"]
        for name, widths in audit.results.items()
        if widths[NARROW["width"]]["scrollWidth"] > NARROW["width"]
    }
    assert not too_wide


@reads_the_audit
def test_no_page_asks_for_anything_outside_the_site_or_missing_from_it(audit, site):
    """Every page, as the audit loaded it; what the other tests' pages ask for is
    checked as each of them ends (``open_context``)."""
    assert len(audit.requests) > 2 * len(site.pages)
    outside = sorted({url for url in audit.requests if not url.startswith(audit.url)})
    assert not outside, "requests to other hosts"
    assert not audit.problems, "requests that failed"


def test_every_page_is_valid_html(vnu_report):
    messages = vnu_report["messages"]
    errors = [
        f"{m['url'].rsplit('/dist/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert not errors, "\n".join(errors)
    assert vnu_report["returncode"] == 0


# -- What a reader sees: checked, then saved for people to look at --------------------

VIEWS = {
    "light": (WIDE, "light"),
    "dark": (WIDE, "dark"),
    "narrow-light": (NARROW, "light"),
    "narrow-dark": (NARROW, "dark"),
}


@pytest.mark.parametrize("view", VIEWS)
def test_landing_page_chapter_and_faq_read_well_in_each_theme_and_width(open_context, view):
    viewport, scheme = VIEWS[view]
    page = open_context(viewport=viewport, scheme=scheme, reduced_motion="reduce").new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    dark = scheme == "dark"

    page.goto("index.html")
    assert (background_luminance(page) < 0.1) is dark
    assert page.locator("#downloads").is_visible()
    page.screenshot(path=SCREENSHOTS / f"landing-{view}.png", full_page=True)

    page.goto(CHAPTER)
    box = page.locator(".admonition.book-highlight")
    assert box.is_visible()
    title = box.locator(".admonition-title")
    assert title.is_visible()
    # the title lines up with the text below it, set at the essay's size
    text = box.locator("p:not(.admonition-title)").first
    assert abs(title.bounding_box()["x"] - text.bounding_box()["x"]) <= 2
    essay = page.locator("article section > p:not([class])").first
    size = "p => getComputedStyle(p).fontSize"
    assert text.evaluate(size) == essay.evaluate(size)
    page.screenshot(path=SCREENSHOTS / f"chapter-{view}.png", full_page=True)

    page.goto(f"{FAQ}#{QUESTIONS[1]}")
    page.wait_for_function(f"document.getElementById('{QUESTIONS[1]}').open")
    assert page.locator(f"#{QUESTIONS[1]} .sd-summary-content").is_visible()
    # what the reader sees on arriving: the question just below the top of the window
    wait_until_in_view(page, f"#{QUESTIONS[1]} summary")
    page.screenshot(path=SCREENSHOTS / f"faq-{view}.png")
