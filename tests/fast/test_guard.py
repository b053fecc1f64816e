"""The build guard (``book.guard``) on copies of the small book, in-process: a failed
build of one edition is not forgotten by a build of another, and the warning count
Sphinx prints is its own."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.testing.util import SphinxTestApp

from book import guard
from smallbook import SMALL_BOOK
from tools import append, build_in_process

CHAPTER = "chapters/02-second"


@pytest.fixture
def src(tmp_path) -> Path:
    """A copy of the small book, not built yet."""
    return Path(shutil.copytree(SMALL_BOOK, tmp_path / "src"))


def quiet_build(src: Path) -> SphinxTestApp:
    """``make html`` without ``-W``: warnings are printed and counted, the build succeeds."""
    app = SphinxTestApp("html", srcdir=src, builddir=src / "_build")
    try:
        app.build()
    finally:
        app.cleanup()
    return app


@pytest.mark.parametrize("broken", [1, 2])
def test_the_build_counts_each_warning_once(src, broken):
    for number in range(broken):
        append(src, CHAPTER, f"See {{ref}}`no-such-label-{number}`.")
    app = quiet_build(src)
    printed = app.warning.getvalue().count("WARNING: undefined label")
    assert printed == broken
    plural = "warning" if broken == 1 else "warnings"
    assert f"build succeeded, {broken} {plural}." in app.status.getvalue()


def test_a_suppressed_warning_fails_nothing_and_a_shown_one_is_not_forgotten(src):
    append(src, CHAPTER, "See {ref}`no-such-label`.")
    app = SphinxTestApp(
        "html", srcdir=src, builddir=src / "_build", confoverrides={"suppress_warnings": ["ref"]}
    )
    try:
        app.build()
    finally:
        app.cleanup()
    assert app.warning.getvalue() == ""
    assert not (src / "_build" / "doctrees" / guard.UNFINISHED).exists()
    app = quiet_build(src)  # the same warning, shown: the build is not trusted
    assert "undefined label" in app.warning.getvalue()
    assert (src / "_build" / "doctrees" / guard.UNFINISHED).exists()


def navigation_titles(outdir: Path) -> dict[str, list[str]]:
    """The chapter titles in the navigation of every page of the web edition."""
    titles = {}
    for page in sorted(outdir.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        nav = soup.select_one(".sidebar-tree")
        if nav is not None:
            titles[str(page.relative_to(outdir))] = [a.get_text() for a in nav.select("a")]
    return titles


def test_a_failed_web_build_is_made_whole_even_after_an_epub_build(src, monkeypatch):
    """Issue 21, case 2, in-process: the web build fails while it writes its pages (here
    by an exception after the first page; ``tests/test_faults.py`` kills a real one), an
    EPUB build succeeds, and the next web build still writes every page again."""
    for builder in ("html", "epub"):
        assert build_in_process(src, builder).status == 0
    chapter = src / f"{CHAPTER}.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8").replace("# The Second Chapter", "# A Renamed Chapter"),
        encoding="utf-8",
    )
    write_doc, written = StandaloneHTMLBuilder.write_doc, []

    def write_then_fail(self, *args):
        if written:
            raise RuntimeError("cut short while writing pages")
        write_doc(self, *args)
        written.append(1)

    with monkeypatch.context() as patch:
        patch.setattr(StandaloneHTMLBuilder, "write_doc", write_then_fail)
        with pytest.raises(RuntimeError, match="cut short"):
            build_in_process(src, "html")
    doctrees = src / "_build" / "doctrees"
    html_mark = guard.output_mark(doctrees, "html", src / "_build" / "html")
    assert html_mark.exists()

    epub = build_in_process(src, "epub")
    assert (epub.status, epub.warnings) == (0, [])
    assert html_mark.exists(), "the EPUB build cleared the web edition's mark"
    html = build_in_process(src, "html")
    assert (html.status, html.warnings) == (0, [])
    stale = {
        page: titles
        for page, titles in navigation_titles(src / "_build" / "html").items()
        if not any(re.search("A Renamed Chapter", title) for title in titles)
    }
    assert stale == {}, "pages still showing the old title in their navigation"
    index = (src / "_build" / "html" / "searchindex.js").read_text(encoding="utf-8")
    assert "The Second Chapter" not in index
    assert not html_mark.exists()
    assert not (doctrees / guard.UNFINISHED).exists()


def test_an_application_that_builds_again_is_guarded_each_time(src):
    """The warm preview's way (``make livehtml``): one application, ``build()`` again.
    A failed build by another process in between is not trusted by the next."""
    app = SphinxTestApp("html", srcdir=src, builddir=src / "_build")
    try:
        app.build()
        doctrees = Path(app.doctreedir)
        assert not (doctrees / guard.UNFINISHED).exists()
        (doctrees / guard.UNFINISHED).write_text("html (another build)\n", encoding="utf-8")
        app.status.truncate(0)
        app.build()
    finally:
        app.cleanup()
    status = re.sub(r"\x1b\[[0-9;]*m", "", app.status.getvalue())
    assert "reading every document again into it" in status
    assert f"0 added, {len(app.env.found_docs)} changed, 0 removed" in status
    assert not (doctrees / guard.UNFINISHED).exists()
    assert not guard._held, "the lock is let go after each build"
