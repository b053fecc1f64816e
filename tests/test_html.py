"""The web edition: structure, navigation, highlights, FAQ and cross-references."""

from __future__ import annotations

import os
import posixpath
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sphinx_design

import expected
from book.copy_edits import in_listing_order, plain
from book.css_subset import STYLESHEET, classes_in, subset
from editions import (
    READING_TIME,
    SITE,
    article,
    chapter_page_problems,
    contents_problems,
    copy_edit_list_problems,
    curly,
    essay_length_problems,
    essay_pages,
    highlight_problems,
    html_pages,
    index_place_problems,
    label_target_problems,
    sitemap_problems,
    stated_words_problems,
    straight_quotes,
)
from manuscript import (
    RESIDUE,
    copy_edits,
    manuscript_text,
)
from tools import (
    CHAPTERS,
    OTHER_HOST,
    REDIRECTS,
    SLUG,
    accessibility_statement,
    book_config,
    epub_package_metadata,
    problems_in,
    source_text,
    statement_disagreements,
)


def test_build_prints_no_warning_not_even_a_deprecation(html, readthedocs_html):
    assert problems_in(html.log) == []
    assert problems_in(readthedocs_html.log) == []


def test_a_successful_build_prints_only_sphinxs_progress(html):
    """No configuration dump, no notice about a feature that is turned off, no chatter."""
    for noise in ("MdParserConfig", "matplotlib", "social cards", "[book]"):
        assert noise not in html.log, noise


def test_contents_number_every_chapter_in_reading_order_then_list_the_back_matter(html):
    assert contents_problems(html) == []


def test_contents_have_captions_for_essay_and_back_matter(html):
    captions = [c.get_text(strip=True) for c in article(html, "index.html").select("p.caption")]
    assert captions == ["The essay", "Back matter"]


@pytest.mark.parametrize("number", range(1, len(CHAPTERS) + 1))
def test_each_chapter_is_numbered_with_previous_and_next_links(html, number):
    assert chapter_page_problems(html, number) == []


def test_every_page_opens_at_the_target_of_its_label(html):
    assert label_target_problems(html) == []


def test_every_highlight_of_the_manuscript_is_a_box_titled_highlight_with_an_icon(html):
    assert highlight_problems(html) == []


def test_faq_has_closed_dropdowns_with_the_questions_as_titles_and_anchors(html):
    text = manuscript_text()
    questions = [curly(q) for q in re.findall(r"Q: (.*?\?) A:", text)]
    dropdowns = article(html, "backmatter/faq.html").select("details.sd-dropdown")
    assert [d.select_one("summary").get_text(" ", strip=True) for d in dropdowns] == questions
    assert [d["id"] for d in dropdowns] == expected.faq_names()
    assert not any(d.has_attr("open") for d in dropdowns)


def test_every_faq_answer_links_to_a_chapter(html):
    for dropdown in article(html, "backmatter/faq.html").select("details.sd-dropdown"):
        hrefs = [a["href"] for a in dropdown.select(".sd-summary-content a.reference.internal")]
        assert any(h.startswith("../chapters/") for h in hrefs), dropdown["id"]


def test_every_highlights_bullet_links_to_a_chapter(html):
    bullets = article(html, "backmatter/highlights.html").select("li")
    items = re.findall(r"^[-*] ", source_text("backmatter/highlights"), flags=re.MULTILINE)
    assert len(bullets) == len(items)
    for li in bullets:
        assert li.select_one('a.reference.internal[href^="../chapters/"]'), li.get_text()


def test_chapters_link_to_each_other_and_to_the_glossary(html):
    """Each {ref} and {term} of a chapter's source is a link to its target's page."""
    labels = expected.labels()
    for chapter in CHAPTERS:
        page = f"chapters/{chapter}"
        hrefs = {a["href"] for a in article(html, f"{page}.html").select("a.reference")}
        for label in expected.references(page):
            target = posixpath.relpath(labels[label], "chapters")
            assert f"{target}.html#{label}" in hrefs, (chapter, label)
        for term in expected.terms_used(page):
            assert f"../backmatter/glossary.html#{expected.term_anchor(term)}" in hrefs, term
    assert any(expected.references(f"chapters/{c}") for c in CHAPTERS)
    assert any(expected.terms_used(f"chapters/{c}") for c in CHAPTERS)


def test_glossary_defines_every_term_of_its_source(html):
    terms = [
        dt.get_text(strip=True).rstrip("¶")
        for dt in article(html, "backmatter/glossary.html").select("dt")
    ]
    assert sorted(terms, key=str.lower) == sorted(expected.glossary_terms(), key=str.lower)


def test_general_index_lists_every_glossary_term_and_index_entry(html):
    entries = html.soup("genindex.html").select("ul.book-index li")
    # an entry's word, linked, or heading its subentries
    names = {next(li.stripped_strings) for li in entries}
    assert set(expected.glossary_terms()) | expected.index_entries() <= names


def test_the_index_names_the_chapter_of_each_place_not_a_number_in_brackets(html):
    """Issue 22: Sphinx's index linked an entry's second place as "[1]"."""
    assert index_place_problems(html.soup("genindex.html")) == []


def test_general_index_is_linked_from_the_landing_page_and_every_sidebar(html):
    assert article(html, "index.html").select_one('a[href="genindex.html"]')
    sidebar = html.soup("chapters/introduction.html").select_one(".sidebar-drawer")
    assert sidebar.select_one('a[href="../genindex.html"]')


def test_the_shipped_sphinx_design_rules_are_those_every_page_uses(html):
    full = (Path(sphinx_design.__file__).parent / "static" / STYLESHEET).read_text(encoding="utf-8")
    shipped = (html.outdir / "_static" / STYLESHEET).read_text(encoding="utf-8")
    assert shipped == subset(full, classes_in(html.outdir))


def test_no_web_page_residue_on_any_page(html):
    for page in html.outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for residue in RESIDUE:
            assert residue not in text, f"{residue!r} in {page.name}"


def test_essay_text_uses_curly_quotes_and_apostrophes(html):
    assert straight_quotes(html) == []


def test_about_page_credits_the_author_citation_cff_names(html):
    text = article(html, "backmatter/about.html").get_text(" ", strip=True)
    assert book_config()["author"] in text
    assert "{{" not in text


def test_about_page_lists_every_copy_edit_with_a_link_to_its_chapter(html):
    assert copy_edit_list_problems(html) == []


def test_about_page_links_each_copy_edit_to_the_paragraph_that_prints_its_words(html):
    """Each entry's ¶ link reaches the numbered paragraph that holds the record's
    ``edition`` words, and cites it as that paragraph's own number does ("ch. 4, ¶ 2")."""
    about = article(html, "backmatter/about.html")
    links = about.select("section#copy-edits li a.book-copy-edit-paragraph")
    edits = in_listing_order(copy_edits())
    assert len(links) == len(edits)
    for edit, link in zip(edits, links, strict=True):
        address = posixpath.normpath(posixpath.join("backmatter", link["href"]))
        page, _, ident = address.partition("#")
        paragraph = html.soup(page).find(id=ident)
        assert paragraph is not None, address
        assert paragraph.name == "p", address
        assert plain(edit["edition"].replace("*", "")) in plain(paragraph.get_text()), address
        cited = paragraph.select_one("a.book-pnum")["data-cite"]
        assert link.get_text().split() == cited.split()


def test_about_page_accessibility_statement_says_what_the_epubs_metadata_says(html, epub_file):
    about = article(html, "backmatter/about.html")
    groups = accessibility_statement(about)
    assert statement_disagreements(groups, epub_package_metadata(epub_file)) == []
    section = about.select_one(".book-accessibility-statement").find_parent("section")
    assert section.find("h2").get_text(strip=True).rstrip("¶") == "Accessibility"
    headings = section.select(".book-accessibility-statement h3")  # real headings, below it
    assert [h.get_text(strip=True).rstrip("¶") for h in headings] == list(groups)
    assert "The PDF is not tagged" in section.get_text()


def test_dist_about_page_states_what_the_dist_epubs_metadata_says_its_pages_too(dist):
    metadata = epub_package_metadata(dist.epub_file)
    assert ("schema:accessibilityFeature", "pageNavigation") in metadata  # the PDF was at hand
    for page in ("backmatter/about.html", "single/index.html"):
        groups = accessibility_statement(dist.soup(page))
        assert statement_disagreements(groups, metadata) == [], page


# -- The reader's site: downloads, one-page edition, reading time, sharing (issue 4) ------

RTD_SITE = "https://example.readthedocs.io/en/latest/"
ESSAY_PAGES = essay_pages()


def meta(soup, **attrs):
    tag = soup.find("meta", attrs=attrs)
    return tag["content"] if tag else None


def test_each_essay_page_states_its_reading_time_and_words_under_its_title(html):
    assert stated_words_problems(html) == []


def test_glossary_and_about_pages_have_no_reading_time(html):
    for page in ["backmatter/glossary.html", "backmatter/about.html", "genindex.html"]:
        assert not html.soup(page).select(".book-reading-time"), page


def test_landing_page_states_the_whole_essays_length_and_the_reading_rate(html):
    assert essay_length_problems(html) == []


def test_contents_show_each_essay_pages_reading_time_and_not_all_the_same(html):
    times = {}
    for li in article(html, "index.html").select(".toctree-wrapper li"):
        link = li.select_one("a.reference")
        span = li.select_one("span.book-reading-time")
        times[link["href"]] = span["data-reading-time"] if span else None
    assert {href for href, time in times.items() if time} == set(ESSAY_PAGES)
    assert all(READING_TIME.match(t) for t in times.values() if t)
    assert len({t for t in times.values() if t}) >= 3


def test_landing_page_downloads_panel_says_to_run_make_dist_without_broken_links(html):
    panel = article(html, "index.html").select_one("section#downloads")
    assert "Run make dist" in panel.get_text(" ", strip=True)
    assert not panel.select("a.sd-btn")
    assert not list(html.outdir.glob("*.pdf"))
    assert not list(html.outdir.glob("*.epub"))


def test_every_sidebar_links_to_the_downloads_panel(html):
    assert html.soup("index.html").select_one('.book-links a[href="#downloads"]')
    sidebar = html.soup("chapters/introduction.html").select_one(".sidebar-drawer")
    assert sidebar.select_one('a[href="../index.html#downloads"]').get_text() == "Downloads"


def test_every_page_has_a_meta_description(html):
    for page in html_pages(html):
        description = meta(html.soup(page), name="description")
        assert description, page
        assert len(description) > 50, page


def test_landing_page_is_described_by_the_books_description(html):
    soup = html.soup("index.html")
    assert meta(soup, name="description").startswith("A short essay on loneliness, technology")
    assert meta(soup, property="og:description") == meta(soup, name="description")


def test_every_page_with_text_has_opengraph_and_twitter_card_tags_and_a_canonical_url(html):
    for page in html_pages(html):
        if page in ("genindex.html", "search.html", "404.html"):
            continue
        soup = html.soup(page)
        assert meta(soup, property="og:title"), page
        assert meta(soup, property="og:description"), page
        assert meta(soup, property="og:url") == SITE + page
        assert meta(soup, property="og:image") == SITE + "_static/social.png"
        assert "cover art" in meta(soup, property="og:image:alt")
        assert meta(soup, name="twitter:card") == "summary_large_image"
        assert soup.find("link", rel="canonical")["href"] == SITE + page


def test_social_image_is_1200_by_630(html):
    png = (html.outdir / "_static" / "social.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20]) == 1200
    assert int.from_bytes(png[20:24]) == 630


def local_file(build, page, href):
    """The file a local link of a page points at (absolute links start at the site root)."""
    path = href.split("#")[0].split("?")[0]
    if path.startswith("/"):
        return build.outdir / path.lstrip("/")
    return (build.outdir / page).parent / path


def test_every_page_has_a_favicon_that_exists(html):
    for page in html_pages(html):
        icon = html.soup(page).find("link", rel="icon")
        assert icon, page
        assert local_file(html, page, icon["href"]).is_file(), page


def test_sitemap_lists_every_reading_page_and_robots_txt_points_at_it(html):
    assert sitemap_problems(html) == []


def test_every_moved_page_forwards_from_its_old_address_to_its_new_one(html):
    sitemap = (html.outdir / "sitemap.xml").read_text()
    for old, new in REDIRECTS.items():
        soup = html.soup(f"{old}.html")
        assert meta(soup, name="robots") == "noindex"
        assert soup.find("link", rel="canonical")["href"] == f"{SITE}{new}.html"
        refresh = soup.find("meta", attrs={"http-equiv": "refresh"})["content"]
        target = (html.outdir / old).parent / refresh.removeprefix("0; url=")
        assert target.resolve() == (html.outdir / f"{new}.html").resolve()
        assert f"{old}.html" not in sitemap


def test_404_page_says_not_found_and_links_everything_from_the_site_root(html):
    soup = html.soup("404.html")
    assert soup.select_one("article h1").get_text(strip=True) == "Page not found"
    assert meta(soup, name="robots") == "noindex"
    urls = [t["href"] for t in soup.find_all(["a", "link"], href=True)]
    urls += [t["src"] for t in soup.find_all(["script", "img"], src=True)]
    local = [u for u in urls if "://" not in u and not u.startswith("#")]
    assert local
    assert [u for u in local if not u.startswith("/")] == []
    assert [u for u in local if not local_file(html, "404.html", u).exists()] == []


def built_on(epoch: str) -> str:
    day = datetime.fromtimestamp(int(epoch), UTC)
    return f"built {day.day} {day:%B %Y}"


def test_a_site_for_another_host_names_its_address_everywhere(dist):
    """make dist BOOK_BASEURL=...: canonical links, OpenGraph, the sitemap and robots.txt."""
    page = "chapters/introduction.html"
    soup = dist.soup(page)
    assert soup.find("link", rel="canonical")["href"] == OTHER_HOST + page
    assert meta(soup, property="og:url") == OTHER_HOST + page
    locations = re.findall(r"<loc>([^<]+)</loc>", (dist.outdir / "sitemap.xml").read_text())
    assert locations
    assert all(loc.startswith(OTHER_HOST) for loc in locations)
    assert f"Sitemap: {OTHER_HOST}sitemap.xml" in (dist.outdir / "robots.txt").read_text()
    styles = [link["href"] for link in dist.soup("404.html").find_all("link", rel="stylesheet")]
    assert all(href.startswith("/book/_static/") for href in styles)


def test_dist_site_offers_the_pdf_and_the_epub_with_size_and_build_date(dist):
    built = built_on(os.environ["SOURCE_DATE_EPOCH"])
    panel = article(dist, "index.html").select_one("section#downloads")
    for fmt in ["pdf", "epub"]:
        path = dist.outdir / f"{SLUG}.{fmt}"
        assert path.stat().st_size > 10_000
        button = panel.select_one(f'a.sd-btn[href="{SLUG}.{fmt}"]')
        assert button.get_text() == f"Download the {fmt.upper()}"
        facts = button.find_parent(class_="sd-card").select_one(".book-download-facts").get_text()
        assert facts == f"{round(path.stat().st_size / 1000)} KB, {built}"
    assert (dist.outdir / f"{SLUG}.pdf").read_bytes()[:5] == b"%PDF-"
    assert zipfile.ZipFile(dist.outdir / f"{SLUG}.epub").read("mimetype") == b"application/epub+zip"


def untagged_note(build, pdf_href):
    panel = article(build, "index.html").select_one("section#downloads")
    card = panel.select_one(f'a.sd-btn[href="{pdf_href}"]').find_parent(class_="sd-card")
    (note,) = panel.select(".book-download-untagged")  # on the PDF's card, and no other
    assert card.select_one(".book-download-untagged") is note
    return note.get_text(" ", strip=True), {a.get_text(): a["href"] for a in note.find_all("a")}


def test_dist_pdf_card_says_it_is_untagged_and_links_the_epub_and_the_one_page_edition(dist):
    text, links = untagged_note(dist, f"{SLUG}.pdf")
    assert "The PDF is untagged" in text
    assert "screen reader" in text
    assert links == {"the EPUB": f"{SLUG}.epub", "the one-page edition": "single/index.html"}
    assert all((dist.outdir / href).is_file() for href in links.values())


def test_readthedocs_pdf_card_links_its_epub_download_and_the_one_page_edition(readthedocs_html):
    text, links = untagged_note(
        readthedocs_html, "https://example.readthedocs.io/_/downloads/en/latest/pdf/"
    )
    assert "The PDF is untagged" in text
    assert links == {
        "the EPUB": "https://example.readthedocs.io/_/downloads/en/latest/epub/",
        "the one-page edition": "single/index.html",
    }


def test_dist_landing_page_links_resolve_to_files_in_the_site(dist):
    for a in dist.soup("index.html").find_all("a", href=True):
        href = a["href"].split("#")[0]
        if href and "://" not in href:
            assert (dist.outdir / href).is_file(), href
    assert panel_link(dist, "single/index.html")


def panel_link(build, href):
    return article(build, "index.html").select_one(f'section#downloads a.sd-btn[href="{href}"]')


def test_the_one_page_edition_is_described_for_search_engines(dist):
    """Lighthouse (SEO): the one-page edition had no meta description."""
    description = meta(dist.soup("single/index.html"), name="description")
    assert description == book_config()["description"]


def test_one_page_edition_has_every_chapter_and_every_fragment_link_works(dist):
    soup = dist.soup("single/index.html")
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    hrefs = [a["href"] for a in soup.find_all("a", href=True)]
    fragments = [h for h in hrefs if h.startswith("#") and h != "#"]
    assert len(fragments) > 100
    assert not [h for h in fragments if h[1:] not in ids]
    local = [h for h in hrefs if not h.startswith("#") and "://" not in h]
    assert not [h for h in local if not (dist.outdir / "single" / h.split("?")[0]).is_file()]
    for link in soup.find_all("link", href=True):
        href = link["href"]
        assert "://" in href or (dist.outdir / "single" / href.split("?")[0]).is_file(), href
    headings = [h.get_text(" ", strip=True) for h in soup.select("article h2")]
    assert sum(1 for h in headings if re.match(r"\d+\. ", h)) == len(CHAPTERS)


def test_one_page_edition_gives_each_chapters_index_entries_the_chapters_name(dist):
    """An index entry's id, ``index-0`` on each chapter's own page, is the chapter's name
    and that id on the one page (``chapters-amy-index-0``), whatever comes before it."""
    ids = {tag["id"] for tag in dist.soup("single/index.html").find_all(id=True)}
    # the chapters whose source has index entries
    indexed = [c for c in CHAPTERS if "{index}" in source_text(f"chapters/{c}")]
    assert indexed
    for chapter in indexed:
        own = [t["id"] for t in article(dist, f"chapters/{chapter}.html").find_all(id=True)]
        numbered = [i for i in own if re.fullmatch(r"index-\d+", i)]
        assert numbered, chapter
        assert {f"chapters-{chapter}-{i}" for i in numbered} <= ids, chapter


def test_one_page_edition_links_glossary_terms_and_chapters_within_the_page(dist):
    soup = dist.soup("single/index.html")
    hrefs = {a["href"] for a in soup.select("article a.reference.internal")}
    for chapter in CHAPTERS:
        assert {f"#{label}" for label in expected.references(f"chapters/{chapter}")} <= hrefs
        terms = expected.terms_used(f"chapters/{chapter}")
        assert {f"#{expected.term_anchor(term)}" for term in terms} <= hrefs
    assert not [h for h in hrefs if h.count("#") > 1]


def test_readthedocs_panel_links_to_read_the_docs_downloads(readthedocs_html):
    panel = article(readthedocs_html, "index.html").select_one("section#downloads")
    hrefs = [a["href"] for a in panel.select("a.sd-btn")]
    assert hrefs == [
        "https://example.readthedocs.io/_/downloads/en/latest/pdf/",
        "https://example.readthedocs.io/_/downloads/en/latest/epub/",
        "single/index.html",
    ]
    facts = [p.get_text() for p in panel.select(".book-download-facts")]
    assert facts == [built_on(os.environ["SOURCE_DATE_EPOCH"])] * 2  # a date, and no size


def test_readthedocs_build_uses_the_canonical_url_everywhere(readthedocs_html):
    soup = readthedocs_html.soup("chapters/introduction.html")
    assert soup.find("link", rel="canonical")["href"] == RTD_SITE + "chapters/introduction.html"
    assert meta(soup, property="og:image") == RTD_SITE + "_static/social.png"
    robots = (readthedocs_html.outdir / "robots.txt").read_text()
    assert f"Sitemap: {RTD_SITE}sitemap.xml" in robots
    sitemap = (readthedocs_html.outdir / "sitemap.xml").read_text()
    assert f"<loc>{RTD_SITE}index.html</loc>" in sitemap


def test_readthedocs_404_page_links_assets_under_the_version_prefix(readthedocs_html):
    soup = readthedocs_html.soup("404.html")
    styles = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    assert styles
    assert all(href.startswith("/en/latest/_static/") for href in styles)
    assert soup.select_one('article a[href="/en/latest/"]')
