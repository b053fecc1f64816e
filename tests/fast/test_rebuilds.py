"""A rebuild writes what a clean build of the same sources writes, on the small book.

Each case builds a copy of the small book, changes it (or not), builds it again in
the same folders, as ``make html`` twice does, and compares the output with a clean
build of the same sources.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from smallbook import SMALL_BOOK
from tools import append, build_in_process, remove_chapter


def search_index(outdir: Path) -> dict:
    text = (outdir / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


def clean_build_of(src: Path, tmp: Path) -> Path:
    clean = Path(shutil.copytree(src, tmp, ignore=shutil.ignore_patterns("_build")))
    assert build_in_process(clean).status == 0
    return clean / "_build" / "html"


@pytest.fixture
def src(tmp_path) -> Path:
    """A copy of the small book, built once."""
    copy = Path(shutil.copytree(SMALL_BOOK, tmp_path / "src"))
    first = build_in_process(copy)
    assert (first.status, first.warnings) == (0, [])
    return copy


def test_the_search_lists_each_page_once_not_again_for_its_index_entries_or_boxes(src):
    """Issue 22: a word in a page's index entries or a box's title ("Chapter >
    Highlight") listed that page again, as a title with no snippet (web.py)."""
    html = src / "_build" / "html"
    index = search_index(html)
    assert index["indexentries"] == {}
    box_titles = {
        " ".join(re.sub(r"<[^>]+>", "", title).split())
        for page in html.rglob("*.html")
        for title in re.findall(
            r'class="[^"]*admonition-title[^"]*"[^>]*>(.*?)</', page.read_text()
        )
    }
    assert box_titles, "the small book has boxes"
    assert box_titles.isdisjoint(" ".join(t.split()) for t in index["alltitles"])


def test_a_second_build_leaves_the_search_index_as_it_was(src, tmp_path):
    html = src / "_build" / "html"
    first = (html / "searchindex.js").read_bytes()
    again = build_in_process(src)
    assert (again.status, again.warnings) == (0, [])
    assert (html / "searchindex.js").read_bytes() == first


def test_after_an_edit_the_search_index_is_a_clean_builds(src, tmp_path):
    append(src, "chapters/01-first", "A zeppelin passes, once.")
    assert build_in_process(src).status == 0
    html = src / "_build" / "html"
    assert "zeppelin" in search_index(html)["terms"]
    clean = clean_build_of(src, tmp_path / "clean")
    assert (html / "searchindex.js").read_text() == (clean / "searchindex.js").read_text()


def test_a_removed_word_leaves_no_empty_entry_in_the_search_index(src, tmp_path):
    chapter = src / "chapters" / "02-second.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text + "\nA zeppelin passes, once.\n", encoding="utf-8")
    assert build_in_process(src).status == 0
    chapter.write_text(text, encoding="utf-8")  # the word reverted
    assert build_in_process(src).status == 0
    html = src / "_build" / "html"
    index = search_index(html)
    assert "zeppelin" not in index["terms"]
    assert [w for key in ("terms", "titleterms") for w, d in index[key].items() if d == []] == []
    clean = clean_build_of(src, tmp_path / "clean")
    assert (html / "searchindex.js").read_text() == (clean / "searchindex.js").read_text()


def test_a_removed_chapter_leaves_the_search_index_a_clean_builds(src, tmp_path):
    # the small book lists chapters/* in its contents
    (src / "chapters" / "03-gone.md").write_text(
        "(gone)=\n\n# Gone Quixotically\n\n```{index} Zebra\n```\n\nZanzibar.\n", "utf-8"
    )
    assert build_in_process(src).status == 0
    assert "zanzibar" in search_index(src / "_build" / "html")["terms"]
    remove_chapter(src, "03-gone")
    assert build_in_process(src).status == 0
    html = src / "_build" / "html"
    clean = clean_build_of(src, tmp_path / "clean")
    assert (html / "searchindex.js").read_text() == (clean / "searchindex.js").read_text()


@pytest.mark.xfail(
    strict=True,
    reason="Sphinx keeps a word with no page in an incremental search index (docs/upstream.md)",
)
def test_bare_sphinx_drops_a_removed_word_from_the_search_index(tmp_path):
    """Sphinx alone, without the book: when this passes, the step in outputs.py
    (SEARCH_INDEX_FIX) can go."""
    (tmp_path / "conf.py").write_text("", encoding="utf-8")
    (tmp_path / "index.rst").write_text("Home\n====\n\nA zeppelin passes.\n", "utf-8")
    terms = []
    for _ in range(2):
        app = SphinxTestApp("html", srcdir=tmp_path)
        try:
            app.build()
        finally:
            app.cleanup()
        terms.append(search_index(Path(app.outdir))["terms"])
        (tmp_path / "index.rst").write_text("Home\n====\n\nA plane passes.\n", "utf-8")
    assert "zeppelin" in terms[0]
    assert "zeppelin" not in terms[1]


def test_the_pdfs_text_does_not_depend_on_the_epub_built_before_it(tmp_path, monkeypatch):
    """Issue 21, case 5: a PDF written after an EPUB that had the PDF's pages said so in
    its accessibility statement ("Page list to go to pages…"); a clean one did not."""
    import book.cite_epub

    fresh = Path(shutil.copytree(SMALL_BOOK, tmp_path / "fresh"))
    assert build_in_process(fresh, "latex").status == 0
    after_epub = Path(shutil.copytree(SMALL_BOOK, tmp_path / "after-epub"))
    with monkeypatch.context() as patch:  # an EPUB made with a PDF's pages at hand
        patch.setattr(book.cite_epub, "why_no_pages", lambda app, pdf: None)
        patch.setattr(book.cite_epub, "pdf_pages", lambda pdf: [])
        epub = build_in_process(after_epub, "epub")
    assert epub.status == 0
    assert "Page list to go to pages" in (
        after_epub / "_build" / "epub" / "backmatter" / "glossary.xhtml"
    ).read_text(encoding="utf-8")  # the EPUB's own statement says what it has
    assert build_in_process(after_epub, "latex").status == 0
    [tex] = (after_epub / "_build" / "latex").glob("*.tex")
    assert "Page list" not in tex.read_text(encoding="utf-8")
    assert tex.read_text(encoding="utf-8") == (fresh / "_build" / "latex" / tex.name).read_text(
        encoding="utf-8"
    )


def reread(build) -> set[str]:
    """The documents a build read, from its log ("reading sources... [ 50%] index")."""
    log = re.sub(r"\x1b\[[0-9;]*m", "", build.app.status.getvalue())
    return set(re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", log))


def test_an_edit_to_the_books_extension_reads_every_page_again(src, monkeypatch):
    """Sphinx keeps the doctrees that older code made unless an extension's
    ``env_version`` changes: after an edit to ``_ext/book``, pages were written from
    doctrees the old code had made (``book.code_version``)."""
    import book

    unchanged = build_in_process(src)
    assert reread(unchanged) == set()
    edited = book.code_version() + 1
    monkeypatch.setattr(book, "code_version", lambda: edited)
    again = build_in_process(src)
    assert (again.status, again.warnings) == (0, [])
    assert reread(again) == set(again.app.env.found_docs)
