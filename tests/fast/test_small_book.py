"""What each edition of a small book gets from the book's extension, read from its output."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import sphinx_design
from bs4 import BeautifulSoup
from docutils import nodes
from sphinx.testing.util import SphinxTestApp

from book.accessibility import IN_PRINT, wording
from book.css_subset import STYLESHEET, classes_in, subset
from smallbook import SMALL_BOOK, build_small_book
from tools import ROOT, problems_in, sphinx_build, tree_digest


def soup(app, page: str) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / page).read_text(encoding="utf-8"), "html.parser")


# -- The web edition -----------------------------------------------------------------


def test_a_chapter_states_its_reading_time_and_words_under_its_title(small_book):
    page = soup(small_book("html"), "chapters/01-first.html")
    line = page.select_one("h1 + p.book-reading-time")
    assert re.fullmatch(r"¼ min read · \d+ words", line["data-reading-time"]), line
    assert line.get_text() == ""  # shown by the stylesheet: no snippet or copy takes it


def test_the_contents_give_each_chapters_reading_time_and_the_landing_page_the_total(
    small_book,
):
    page = soup(small_book("html"), "index.html")
    entries = page.select("article .toctree-wrapper li")
    times = [li.select_one("span.book-reading-time") for li in entries]
    assert [t is not None for t in times] == [True, True, True, False]  # not the glossary
    assert page.select_one("p.book-essay-length")["data-reading-time"].startswith("About ")


def test_reading_times_are_neither_searched_nor_quoted_in_the_description(small_book):
    app = small_book("html")
    index = (app.outdir / "searchindex.js").read_text(encoding="utf-8")
    assert '"min"' not in index
    description = soup(app, "chapters/01-first.html").find("meta", property="og:description")
    assert description["content"].startswith("Theodore writes letters")


def test_the_contents_captions_are_level_two_headings(small_book):
    captions = soup(small_book("html"), "index.html").select("article p.caption")
    assert [(c["role"], c["aria-level"]) for c in captions] == [("heading", "2")] * 2


def test_a_dropdown_keeps_one_id_and_its_summary_comes_first(small_book):
    details = soup(small_book("html"), "backmatter/faq.html").select_one("details")
    assert details["id"] == "faq-why"
    assert details.find(True).name == "summary"


def test_the_landing_page_has_the_downloads_panel_that_says_how_to_build_them(small_book):
    panel = soup(small_book("html"), "index.html").select_one("section#downloads")
    assert "make dist" in panel.get_text()


def test_the_sitemap_lists_every_page_under_the_base_url(small_book):
    app = small_book("html")
    sitemap = (app.outdir / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations == [
        f"https://example.org/book/{doc}.html" for doc in sorted(app.env.found_docs)
    ]
    assert (
        "Sitemap: https://example.org/book/sitemap.xml" in (app.outdir / "robots.txt").read_text()
    )


def test_only_the_sphinx_design_rules_the_pages_use_are_shipped(small_book):
    app = small_book("html")
    css = (app.outdir / "_static" / "sphinx-design.min.css").read_text(encoding="utf-8")
    assert ".sd-dropdown" in css
    assert ".sd-tab-set" not in css


def test_an_old_address_forwards_to_the_page_that_moved(small_book):
    page = soup(small_book("html"), "chapters/00-first.html")
    assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=01-first.html"
    assert (
        page.find("link", rel="canonical")["href"]
        == "https://example.org/book/chapters/01-first.html"
    )
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"


# -- The one-page edition ----------------------------------------------------------------


def test_the_one_page_edition_links_to_places_on_its_own_page(small_book):
    page = soup(small_book("singlehtml"), "index.html")
    hrefs = [a["href"] for a in page.select("article a[href]")]
    assert {"#second", "#faq-why"} <= set(hrefs)
    assert not [h for h in hrefs if h.count("#") > 1]
    ids = [tag["id"] for tag in page.select("[id]")]
    assert len(ids) == len(set(ids))


def test_the_one_page_edition_has_no_downloads_panel_and_no_reading_time_list(small_book):
    page = soup(small_book("singlehtml"), "index.html")
    assert page.select_one("#downloads") is None
    assert page.select("h2 + p.book-reading-time")  # under each chapter's title, but
    assert not page.select("span.book-reading-time")  # no list of times in the contents


# -- The EPUB --------------------------------------------------------------------------


def epub_page(app, name: str) -> BeautifulSoup:
    with zipfile.ZipFile(app.outdir / f"{app.config.epub_basename}.epub") as book:
        return BeautifulSoup(book.read(name), "html.parser")


def test_in_the_epub_a_dropdown_is_an_open_box_titled_with_its_question(small_book):
    page = epub_page(small_book("epub"), "backmatter/faq.xhtml")
    box = page.select_one("section.admonition.book-faq#faq-why")
    title = box.select_one(".admonition-title")
    assert (title.name, title.get_text(strip=True)) == ("h2", "Why is Theodore alone?")
    assert box["aria-labelledby"] == title["id"]
    assert page.select("details, svg") == []


def test_the_epub_has_no_downloads_panel_or_reading_times(small_book):
    page = epub_page(small_book("epub"), "index.xhtml")
    assert page.select("#downloads, .book-reading-time") == []


def test_the_epub_carries_accessibility_metadata_and_a_reproducible_zip(small_book):
    app = small_book("epub")
    with zipfile.ZipFile(app.outdir / f"{app.config.epub_basename}.epub") as book:
        assert book.namelist()[0] == "mimetype"
        assert book.infolist()[0].compress_type == zipfile.ZIP_STORED
        opf = book.read("content.opf").decode()
    assert 'property="schema:accessibilitySummary"' in opf
    assert 'properties="cover-image"' not in opf  # the small book has no cover


# -- The PDF (the .tex; no TeX needed) ----------------------------------------------------


def tex(app) -> str:
    return (app.outdir / "small.tex").read_text(encoding="utf-8")


def test_in_the_pdf_numbering_stops_where_the_back_matter_starts(small_book):
    text = tex(small_book("latex"))
    stop = text.index(r"\setcounter{secnumdepth}{0}")
    assert text.index("The Second Chapter") < stop < text.index(r"\section{Questions}")


def test_in_the_pdf_a_reference_to_a_question_has_a_label_to_land_on(small_book):
    text = tex(small_book("latex"))
    assert r"\label{\detokenize{backmatter/faq:faq-why}}" in text
    assert r"\hyperref[\detokenize{backmatter/faq:faq-why}]" in text


def test_in_the_pdf_a_web_address_in_the_text_can_break_at_the_margin(small_book):
    assert r"\sphinxurl{https://example.org/a/very/long/address" in tex(small_book("latex"))


def test_in_the_pdf_the_pages_book_small_print_names_are_small_print_below_their_heading(
    small_book,
):
    """From just below the page's own heading to the end of its last section, and only
    those pages (book.sty's BookSmallPrint sets the type)."""
    app = small_book("latex")
    text = tex(app)
    (page,) = app.config.book_small_print
    title = re.escape(app.env.titles[page].astext())
    assert len(re.findall(r"\\begin\{BookSmallPrint\}", text)) == 1
    assert len(re.findall(r"\\end\{BookSmallPrint\}", text)) == 1
    opened = re.search(
        rf"\\section\*?\{{{title}\}}\n(\\label\{{[^\n]*\}}\n)*\\begin\{{BookSmallPrint\}}", text
    )
    assert opened, "not opened below the page's heading"
    inside = text[opened.end() :].split(r"\end{BookSmallPrint}")[0]
    assert r"\section" not in inside
    subsections = sum(1 for _ in app.env.get_doctree(page).findall(nodes.section)) - 1
    assert subsections > 0
    assert inside.count(r"\subsection") == subsections


def test_in_the_pdf_the_dropdown_is_a_titled_box(small_book):
    app = small_book("latex")
    doctree = app.env.get_and_resolve_doctree("backmatter/faq", app.builder, tags=app.tags)
    assert not [n for n in doctree.findall(nodes.Element) if "sd-dropdown" in n.get("classes", [])]
    assert r"\begin{sphinxadmonition}{note}{Why is Theodore alone?}" in tex(app)


# -- Each kind of box in its named colours, in every edition ------------------------------


def test_each_box_has_its_named_colours_in_every_edition(small_book):
    web = (small_book("html").outdir / "_static" / "book-boxes.css").read_text()
    assert "--book-highlight-accent:#aa0000;" in web
    assert "--book-faq-accent:#aaaaff;" in web  # dark theme
    assert "book-boxes.css" in (small_book("html").outdir / "index.html").read_text()
    app = small_book("epub")
    with zipfile.ZipFile(app.outdir / f"{app.config.epub_basename}.epub") as book:
        epub = book.read("_static/book-boxes.css").decode()
    assert ".admonition.book-faq{border-color:rgba(0,0,170,0.45)" in epub
    # a kind with an accent alone is a rule and a title: no frame, no tint
    assert (
        ".admonition.book-highlight{border-color:transparent;border-left-color:rgb(170,0,0)}"
        in (epub)
    )
    assert r"\begingroup\sphinxsetup{div.note_border-TeXcolor={HTML}{0000AA}" in tex(
        small_book("latex")
    )


# -- Every edition ------------------------------------------------------------------------


def test_every_edition_sets_out_the_accessibility_statement_under_its_heading(small_book):
    summary = small_book("html").config.book_epub_accessibility_summary
    for builder, page in [
        ("html", "backmatter/glossary.html"),
        ("singlehtml", "index.html"),
        ("epub", "backmatter/glossary.xhtml"),
    ]:
        statement = soup(small_book(builder), page).select_one(".book-accessibility-statement")
        own = statement.find_parent("section").find(re.compile(r"^h[1-6]$"))
        below = f"h{int(own.name[1]) + 1}"  # h3 on its page, h4 in the one-page edition
        headings = [h.get_text(strip=True).rstrip("¶") for h in statement.find_all(below)]
        assert headings[:2] == ["Ways of reading", "Conformance"], builder
        assert summary in statement.get_text(" ", strip=True), builder


def test_the_pdf_says_where_to_read_the_epubs_accessibility_metadata_and_prints_none(small_book):
    """The metadata describes the EPUB: the PDF's About page sends its reader to the
    editions that set it out, and prints none of the Display Guide's statements."""
    latex = " ".join(tex(small_book("latex")).replace(r"\sphinxhyphen{}", "-").split())
    summary = small_book("html").config.book_epub_accessibility_summary
    printed = [s for s in [summary, *wording()] if " ".join(s.split()) in latex]
    assert printed == []
    assert " ".join(IN_PRINT.split()) in latex


def test_a_statement_with_text_after_it_is_an_error_naming_file_and_line(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(SMALL_BOOK, src)
    glossary = src / "backmatter" / "glossary.md"
    lines = glossary.read_text(encoding="utf-8").splitlines()
    glossary.write_text("\n".join([*lines, "", "More text.", ""]), encoding="utf-8")
    app = SphinxTestApp("html", srcdir=src)
    try:
        app.build()
    finally:
        app.cleanup()
    directive_line = lines.index("```{accessibility-statement}") + 1
    warning = f"glossary.md:{directive_line}: WARNING: the accessibility statement must end"
    assert warning in app.warning.getvalue(), app.warning.getvalue()


# -- A parallel build ----------------------------------------------------------------------


def test_a_parallel_build_writes_what_a_serial_build_writes(small_book, tmp_path):
    serial = small_book("html")
    # sphinx-build -j 2 in a process of its own: Sphinx forks its workers, which Python
    # 3.12 and later warn against in a process with threads (a pytest-xdist worker has)
    src = shutil.copytree(SMALL_BOOK, tmp_path / "src")
    book = {"PYTHONPATH": str(ROOT / "_ext")}  # where the copy's conf.py cannot see it
    result = sphinx_build("html", tmp_path / "html", src, "-j", "2", check=False, env=book)
    assert (result.returncode, problems_in(result.stdout)) == (0, []), result.stdout
    ours, theirs = tree_digest(serial.outdir), tree_digest(tmp_path / "html")
    for digest in (ours, theirs):
        digest.pop(".buildinfo", None)
    assert ours == theirs


# -- sphinx-design's stylesheet, cut to the classes the pages use --------------------------


def full_stylesheet() -> str:
    return (Path(sphinx_design.__file__).parent / "static" / STYLESHEET).read_text(encoding="utf-8")


def test_the_cut_stylesheet_keeps_what_reading_every_page_would_keep(small_book):
    app = small_book("html")
    shipped = (app.outdir / "_static" / STYLESHEET).read_text(encoding="utf-8")
    assert shipped == subset(full_stylesheet(), classes_in(app.outdir))


def test_a_rebuild_cuts_the_stylesheet_as_a_clean_build_does(tmp_path):
    app = build_small_book(tmp_path / "src", "html")
    clean = (app.outdir / "_static" / STYLESHEET).read_bytes()
    again = build_small_book(tmp_path / "src", "html")  # nothing changed: few pages written
    assert (again.outdir / "_static" / STYLESHEET).read_bytes() == clean
    # the FAQ's dropdown (the book's only one) becomes a section: its rules go
    faq = tmp_path / "src" / "backmatter" / "faq.md"
    text = faq.read_text(encoding="utf-8")
    faq.write_text(text[: text.index("::::{dropdown}")] + "(faq-why)=\n\n## Why?\n")
    gone = build_small_book(tmp_path / "src", "html")
    shipped = (gone.outdir / "_static" / STYLESHEET).read_text(encoding="utf-8")
    assert ".sd-dropdown" not in shipped
    assert shipped == subset(full_stylesheet(), classes_in(gone.outdir))
