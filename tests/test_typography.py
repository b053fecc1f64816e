"""The web edition's typography, measured in Chromium as a reader meets it.

At a phone's width, a tablet's (furo hides the sidebar below 1008 px), a laptop's and a
large screen's: the size of the text, the characters per line counted from the line
boxes of real paragraphs, the line height, the chapter titles' lines on a phone, the
smallest text anywhere, and the face the text is actually rendered in.
"""

from __future__ import annotations

import statistics

import pytest

from tools import CHAPTERS, source_text

WIDTHS = (375, 768, 1280, 1920)
LANDING, FAQ, ONE_PAGE = "index.html", "backmatter/faq.html", "single/index.html"
#: The chapter measured at every width: the one with the most text.
LONGEST = "chapters/{}.html".format(max(CHAPTERS, key=lambda n: len(source_text(f"chapters/{n}"))))

#: Per page: the text size and line height of its running text, the characters of
#: every full line (a paragraph's last line is not full), the number of lines of its
#: title, and every visible piece of text set smaller than 14 px.
MEASURE = """() => {
  const article = document.querySelector("article[role=main]");
  const paragraphs = [...article.querySelectorAll("section > p:not([class])")];
  const lines = [];
  const range = document.createRange();
  for (const p of paragraphs) {
    const tops = new Map();
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const box = range.getClientRects()[0];
        if (box) tops.set(Math.round(box.top), (tops.get(Math.round(box.top)) || 0) + 1);
      }
    }
    lines.push(...[...tops.values()].slice(0, -1));
  }
  const style = getComputedStyle(paragraphs[0] || article);
  const title = article.querySelector("h1");
  const small = [];
  for (const el of document.body.querySelectorAll("*")) {
    const text = [...el.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim());
    if (!text || !el.checkVisibility({ visibilityProperty: true })) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    const words = el.textContent.trim().slice(0, 30);
    if (size < 13.95) small.push(`${el.tagName}.${el.className} ${size}px: ${words}`);
  }
  return {
    size: parseFloat(style.fontSize),
    lineHeight: parseFloat(style.lineHeight) / parseFloat(style.fontSize),
    lines,
    titleLines: Math.round(
      title.getBoundingClientRect().height / parseFloat(getComputedStyle(title).lineHeight)
    ),
    small,
  };
}"""


@pytest.fixture(scope="module")
def longest_title(site) -> str:
    titles = {f"chapters/{c}.html": site.article_text(f"chapters/{c}.html") for c in CHAPTERS}
    return max(titles, key=lambda page: len(titles[page].strip().splitlines()[0]))


@pytest.fixture(scope="module")
def measured(browser, site, longest_title) -> dict[tuple[int, str], dict]:
    """Every page the tests look at, loaded once and measured at each width (the window
    resized, with nothing left moving: reduced motion turns the transitions off)."""
    figures = {}
    context = browser.new_context(base_url=site.url, reduced_motion="reduce")
    page = context.new_page()
    for name in (LANDING, LONGEST, longest_title, FAQ, ONE_PAGE):
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        page.goto(name)
        page.evaluate("document.fonts.ready")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.evaluate("new Promise(done => requestAnimationFrame(() => setTimeout(done)))")
            figures[width, name] = page.evaluate(MEASURE)
    context.close()
    return figures


@pytest.mark.parametrize("width", WIDTHS)
def test_body_text_is_at_least_17px_on_phones_and_18_to_20px_from_1024px(measured, width):
    size = measured[width, LONGEST]["size"]
    if width >= 1024:
        assert 18 <= size <= 20, size
    else:
        assert size >= 17, size


@pytest.mark.parametrize("width", [w for w in WIDTHS if w >= 768])
def test_lines_of_the_essay_hold_60_to_75_characters(measured, width):
    lines = [n for (w, _), page in measured.items() if w == width for n in page["lines"]]
    assert len(lines) > 20
    assert 60 <= statistics.median(lines) <= 75, sorted(lines)
    assert min(lines) >= 50, sorted(lines)
    assert max(lines) <= 80, sorted(lines)


@pytest.mark.parametrize("width", WIDTHS)
def test_line_height_is_between_1_5_and_1_65(measured, width):
    assert 1.5 <= measured[width, LONGEST]["lineHeight"] <= 1.65


def test_the_longest_chapter_title_takes_at_most_three_lines_on_a_phone(measured, longest_title):
    assert measured[375, longest_title]["titleLines"] <= 3


@pytest.mark.parametrize("width", WIDTHS)
def test_no_text_anywhere_is_smaller_than_14px(measured, width):
    small = {name: page["small"] for (w, name), page in measured.items() if w == width}
    assert not any(small.values()), small


def test_paragraphs_follow_each_other_with_an_indent_and_no_gap(open_context):
    """The essay's chapters have one paragraph each before their highlight today: the
    page gets a second one, a copy of the first, as a longer chapter would have."""
    page = open_context().new_page()
    page.goto(LONGEST)
    first = page.locator("article section > p:not([class])").first
    first.evaluate("p => p.after(p.cloneNode(true))")
    second = page.locator("article section > p:not([class]) + p:not([class])")
    assert first.evaluate("p => getComputedStyle(p).textIndent") == "0px"
    assert second.evaluate("p => parseFloat(getComputedStyle(p).textIndent)") > 10
    gap = second.evaluate(
        "p => p.getBoundingClientRect().top - p.previousElementSibling.getBoundingClientRect()"
        ".bottom"
    )
    assert abs(gap) < 1
    assert page.evaluate("document.documentElement.lang") == "en"
    assert second.evaluate("p => getComputedStyle(p).hyphens") == "auto"
    page.close()


def test_the_books_face_is_loaded_and_renders_the_running_text(open_context, family):
    page = open_context().new_page()
    page.goto(LONGEST)
    page.evaluate("document.fonts.ready")
    faces = page.evaluate(
        "[...document.fonts].map(f => [f.family.replaceAll('\"', ''), f.style, f.weight, f.status])"
    )
    assert [family, "normal", "400", "loaded"] in faces
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    paragraph = session.send(
        "DOM.querySelector", {"nodeId": root, "selector": "article section > p:not([class])"}
    )["nodeId"]
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": paragraph})["fonts"]
    assert {font["familyName"] for font in fonts} == {family}, fonts
    page.close()


def test_the_landing_page_contents_set_numbers_titles_and_times_in_columns(open_context):
    page = open_context().new_page()
    page.goto(LANDING)
    entries = page.locator("article .toctree-wrapper li")
    assert entries.first.evaluate("li => getComputedStyle(li).listStyleType") == "none"
    numbers = page.locator("article .book-toc-number").evaluate_all(
        "spans => spans.map(s => [s.textContent, Math.round(s.getBoundingClientRect().left)])"
    )
    assert [n for n, _ in numbers] == [str(i) for i in range(1, len(CHAPTERS) + 1)]
    assert len({left for _, left in numbers}) == 1, "the numbers are not in one column"
    rights = page.locator("article .toctree-wrapper .book-reading-time").evaluate_all(
        "spans => spans.map(s => Math.round(s.getBoundingClientRect().right))"
    )
    assert len(rights) > len(CHAPTERS)
    assert len(set(rights)) == 1, "the reading times are not aligned"
    page.close()
