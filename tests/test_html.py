"""The web edition: structure, navigation, highlights, FAQ and cross-references."""

from __future__ import annotations

import re

import pytest

from conftest import RESIDUE, manuscript_text

CHAPTERS = sorted(p.stem for p in (__import__("conftest").ROOT / "chapters").glob("*.md"))
BACK_MATTER = ["highlights", "faq", "glossary", "about"]


def manuscript_contents() -> list[str]:
    """The 18 entries of the manuscript's own table of contents."""
    text = manuscript_text()
    block = text[text.index("Table of Contents") : text.index("In a modern age")]
    return [re.sub(r"^\s*\d+\.\s*", "", line) for line in block.splitlines()[1:] if line.strip()]


def curly(text: str) -> str:
    return text.replace("'", "\u2019")


def article(build, page):
    return build.soup(page).select_one("article[role=main]")


def test_build_prints_no_warning(html):
    assert "WARNING" not in html.log
    assert "ERROR" not in html.log


def test_contents_list_the_sixteen_chapters_then_highlights_and_faq_in_manuscript_order(html):
    links = article(html, "index.html").select(".toctree-wrapper a.reference")
    titles = [re.sub(r"^\d+\.\s*", "", a.get_text(" ", strip=True)) for a in links]
    assert titles[:18] == [curly(t) for t in manuscript_contents()]
    assert len(CHAPTERS) == 16


def test_contents_have_captions_for_essay_and_back_matter(html):
    captions = [c.get_text(strip=True) for c in article(html, "index.html").select("p.caption")]
    assert captions == ["The essay", "Back matter"]


@pytest.mark.parametrize("number", range(1, 17))
def test_each_chapter_is_numbered_with_previous_and_next_links(html, number):
    page = f"chapters/{CHAPTERS[number - 1]}.html"
    soup = html.soup(page)
    assert soup.select_one("h1 .section-number").get_text(strip=True) == f"{number}."
    assert soup.select_one(".related-pages a.prev-page") is not None
    nxt = soup.select_one(".related-pages a.next-page")
    expected = CHAPTERS[number] + ".html" if number < 16 else "../backmatter/highlights.html"
    assert nxt["href"] == expected


def test_every_page_has_a_label_target_named_after_it(html):
    for page in [f"chapters/{c}.html" for c in CHAPTERS]:
        section = article(html, page).select_one("section[id]")
        assert section["id"] == re.sub(r"^\d\d-", "", page.split("/")[1][:-5])


def test_thirteen_highlight_boxes_titled_highlight_with_an_icon(html):
    boxes = []
    for chapter in CHAPTERS:
        boxes += article(html, f"chapters/{chapter}.html").select(".admonition.book-highlight")
    assert len(boxes) == 13
    for box in boxes:
        title = box.select_one(".admonition-title")
        assert title.get_text(strip=True) == "Highlight"
        assert title.select_one("svg.sd-octicon")


def test_faq_has_four_closed_dropdowns_with_the_questions_as_titles_and_anchors(html):
    text = manuscript_text()
    questions = [curly(q) for q in re.findall(r"Q: (.*?\?) A:", text)]
    dropdowns = article(html, "backmatter/faq.html").select("details.sd-dropdown")
    assert [d.select_one("summary").get_text(" ", strip=True) for d in dropdowns] == questions
    assert [d["id"] for d in dropdowns] == [
        "faq-struggle",
        "faq-samantha",
        "faq-honesty",
        "faq-journey",
    ]
    assert not any(d.has_attr("open") for d in dropdowns)


def test_every_faq_answer_links_to_a_chapter(html):
    for dropdown in article(html, "backmatter/faq.html").select("details.sd-dropdown"):
        hrefs = [a["href"] for a in dropdown.select(".sd-summary-content a.reference.internal")]
        assert any(h.startswith("../chapters/") for h in hrefs), dropdown["id"]


def test_every_highlights_bullet_links_to_a_chapter(html):
    bullets = article(html, "backmatter/highlights.html").select("li")
    assert len(bullets) == 10
    for li in bullets:
        assert li.select_one('a.reference.internal[href^="../chapters/"]'), li.get_text()


def test_chapters_link_to_each_other_and_to_the_glossary(html):
    def hrefs(chapter):
        return [a["href"] for a in article(html, f"chapters/{chapter}.html").select("a.reference")]

    assert "04-flashbacks.html#flashbacks" in hrefs("03-isolation-of-theodore")
    assert "11-amy.html#amy" in hrefs("15-honest-relationships")
    assert any("13-samantha-evolution.html" in h for h in hrefs("09-samantha-operating-system"))
    glossary_links = {h for c in CHAPTERS for h in hrefs(c) if "glossary.html#term-" in h}
    for term in ["Theodore", "Samantha", "Amy", "Catherine", "operating-system"]:
        assert f"../backmatter/glossary.html#term-{term}" in glossary_links


def test_glossary_defines_the_characters_and_concepts(html):
    terms = [
        dt.get_text(strip=True).rstrip("¶")
        for dt in article(html, "backmatter/glossary.html").select("dt")
    ]
    for term in ["Theodore", "Samantha", "Amy", "Catherine", "operating system"]:
        assert term in terms


def test_general_index_lists_characters_and_themes(html):
    entries = html.soup("genindex.html").select("table.indextable a")
    names = {a.get_text(strip=True) for a in entries}
    for name in ["Theodore", "Samantha", "Amy", "Catherine", "loneliness", "operating system"]:
        assert name in names


def test_general_index_is_linked_from_the_landing_page_and_every_sidebar(html):
    assert article(html, "index.html").select_one('a[href="genindex.html"]')
    sidebar = html.soup("chapters/01-introduction.html").select_one(".sidebar-drawer")
    assert sidebar.select_one('a[href="../genindex.html"]')


def test_no_web_page_residue_on_any_page(html):
    for page in html.outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for residue in RESIDUE:
            assert residue not in text, f"{residue!r} in {page.name}"


def test_essay_text_uses_curly_quotes_and_apostrophes(html):
    for chapter in CHAPTERS:
        for p in article(html, f"chapters/{chapter}.html").select("p"):
            assert not re.search("[\"']", p.get_text()), p.get_text()


def test_about_page_credits_the_anonymous_source_and_the_film(html):
    text = article(html, "backmatter/about.html").get_text(" ", strip=True)
    for fact in ["Anonymous", "names no author", "2013", "Spike Jonze", "Theater’s", "Katherine"]:
        assert fact in text
