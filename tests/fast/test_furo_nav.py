"""furo's navigation computed once per build (``book.furo_nav``) writes what furo's
own code writes, on every page: the small book and a book whose contents nest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from book import furo_nav
from smallbook import SMALL_BOOK, build_small_book
from tools import ROOT, tree_digest

NESTED_BOOK = ROOT / "tests" / "roots" / "test-nav"


@pytest.fixture(autouse=True)
def on_the_installed_releases(monkeypatch):
    """The patch compared with furo's own code on the furo and Sphinx installed, listed
    or not: a new release is checked here before it is added to the lists."""
    furo_version, sphinx_version = furo_nav.versions()
    monkeypatch.setattr(furo_nav, "FURO_VERSIONS", (furo_version,))
    monkeypatch.setattr(furo_nav, "SPHINX_VERSIONS", (sphinx_version,))


def build(src: Path, patched: bool, monkeypatch: pytest.MonkeyPatch, copy: Path | None = None):
    """Build *src* (copied first when *copy* is given), with the patch or furo's own code."""
    with monkeypatch.context() as patch:
        if not patched:  # as with any furo release the patch was not checked against
            patch.setattr(furo_nav, "FURO_VERSIONS", ("0",))
        if copy is not None:
            shutil.copytree(copy, src)
            app = SphinxTestApp("html", srcdir=src)
            try:
                app.build()
            finally:
                app.cleanup()
            assert app.warning.getvalue() == "", app.warning.getvalue()
        else:
            app = build_small_book(src, "html")
        pages = furo_nav.BUILD.pages
    return app, pages


def html_pages(outdir: Path) -> dict[str, str]:
    digest = tree_digest(outdir)
    return {name: sha for name, sha in digest.items() if name.endswith(".html")}


def assert_same_pages(ours: Path, furos: Path) -> None:
    mine, theirs = html_pages(ours), html_pages(furos)
    assert mine.keys() == theirs.keys()
    differ = [name for name in mine if mine[name] != theirs[name]]
    assert not differ, f"the navigation differs from furo's own on {differ}"


def test_a_nested_book_has_furos_navigation_on_every_page(tmp_path, monkeypatch):
    patched, pages = build(tmp_path / "ours", True, monkeypatch, copy=NESTED_BOOK)
    plain, plain_pages = build(tmp_path / "furos", False, monkeypatch, copy=NESTED_BOOK)
    # every document, the index and the search page took the tree computed once
    assert pages == len(patched.env.found_docs) + 2
    assert plain_pages == 0
    assert_same_pages(patched.outdir, plain.outdir)
    leaf = (patched.outdir / "part-one" / "deeper" / "leaf.html").read_text(encoding="utf-8")
    assert 'class="toctree-l3 current current-page"' in leaf  # the marks are there to compare
    assert leaf.count('checked=""') == 2


def test_the_small_book_has_furos_navigation_on_every_page(small_book, tmp_path, monkeypatch):
    patched = small_book("html")
    plain, plain_pages = build(tmp_path / "src", False, monkeypatch)
    assert plain_pages == 0
    assert_same_pages(patched.outdir, plain.outdir)


def test_with_another_furo_or_sphinx_the_navigation_is_furos_own_and_v_says_so(
    small_book, tmp_path, monkeypatch
):
    monkeypatch.setattr(furo_nav, "SPHINX_VERSIONS", ("9.0.3",))
    assert not furo_nav.supported()
    src = tmp_path / "src"
    shutil.copytree(SMALL_BOOK, src)
    app = SphinxTestApp("html", srcdir=src, verbosity=1)
    try:
        app.build()
    finally:
        app.cleanup()
    assert furo_nav.BUILD.pages == 0
    [line] = [line for line in app.status.getvalue().splitlines() if "book.furo_nav" in line]
    assert "furo's navigation, computed per page" in line
    assert f"on Sphinx {furo_nav.versions()[1]}" in line
    checked = " or ".join(furo_nav.FURO_VERSIONS)
    assert f"checked with furo {checked} on Sphinx 9.0.3" in line
    for page in ("index.html", "chapters/01-first.html"):  # furo's own, as patched
        assert (app.outdir / page).read_bytes() == (small_book("html").outdir / page).read_bytes()


def test_the_installed_furo_and_sphinx_are_those_the_navigation_was_checked_with(monkeypatch):
    """Fails after an update of furo or Sphinx: if the tests above pass with it (they
    run on the installed releases), add its version to book.furo_nav's lists."""
    monkeypatch.undo()  # the lists as book.furo_nav has them
    furo_version, sphinx_version = furo_nav.versions()
    assert furo_version in furo_nav.FURO_VERSIONS
    assert sphinx_version in furo_nav.SPHINX_VERSIONS
