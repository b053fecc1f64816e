"""The book's joints with sphinx-design and Sphinx's assets, on copies of the small book:
a renamed stylesheet is reported, and the unused assets are unlinked by their address."""

from __future__ import annotations

import shutil
from pathlib import Path

from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from book import css_subset, web
from smallbook import SMALL_BOOK


def test_a_renamed_sphinx_design_stylesheet_is_reported_not_shipped_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(css_subset, "STYLESHEET", "sphinx-design.renamed.css")
    src = Path(shutil.copytree(SMALL_BOOK, tmp_path / "src"))
    app = SphinxTestApp("html", srcdir=src)
    try:
        app.build()
    finally:
        app.cleanup()
    [warning] = app.warning.getvalue().splitlines()
    assert "_ext/book/css_subset.py: sphinx-design" in warning
    assert "wrote no _static/sphinx-design.renamed.css" in warning
    assert "check STYLESHEET there" in warning


def test_the_pages_link_no_unused_asset_and_every_other(small_book):
    app = small_book("html")
    for page in ("index.html", "chapters/01-first.html"):
        soup = BeautifulSoup((app.outdir / page).read_text(encoding="utf-8"), "html.parser")
        linked = [
            tag.get("href") or tag.get("src") for tag in soup.select("link[href], script[src]")
        ]
        assert not [a for a in linked if any(name in a for name in web.UNUSED)], page
        assert [a for a in linked if "sphinx-design.min.css" in a], page


def test_an_asset_is_known_by_its_address_relative_or_absolute():
    assert web.asset_path("chapters/one", '<link href="../_static/a.css?v=1" />') == "_static/a.css"
    assert web.asset_path("index", '<script src="_static/b.js"></script>') == "_static/b.js"
    assert web.asset_path("index", "<script>inline();</script>") is None
    assert web.is_one_of("/en/latest/_static/a.css", {"_static/a.css"})
    assert not web.is_one_of("_static/a.css.map", {"_static/a.css"})
