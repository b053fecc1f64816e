"""furo's navigation computed once per build (``book.furo_nav``) writes what furo's
own code writes, on every page: the small book and a book whose contents nest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from book import furo_nav
from smallbook import build_small_book
from tools import ROOT, tree_digest

NESTED_BOOK = ROOT / "tests" / "roots" / "test-nav"


def build(src: Path, patched: bool, monkeypatch: pytest.MonkeyPatch, copy: Path | None = None):
    """Build *src* (copied first when *copy* is given), with the patch or furo's own code."""
    with monkeypatch.context() as patch:
        if not patched:  # as with any furo release the patch was not checked against
            patch.setattr(furo_nav, "FURO_VERSION", "0")
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


def test_with_another_furo_the_navigation_is_furos_own(monkeypatch):
    monkeypatch.setattr(furo_nav, "FURO_VERSION", "2099.1.1")
    assert not furo_nav.supported()
