"""The fast layer: the book's extension at work on a small book, in-process.

``tests/roots/test-book`` holds every construct the real book uses (a numbered glob
toctree, highlights, a FAQ dropdown with a name, a glossary, index entries, a plain
web address, the downloads and reading-time directives).  Each builder builds it
once per session, with Sphinx's own test application; nothing here needs TeX, Java
or Node.js.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sphinx.testing.util import SphinxTestApp

from smallbook import build_small_book


@pytest.fixture(scope="session")
def small_book(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], SphinxTestApp]:
    """``small_book("html")``: the small book built by that builder (once a session)."""
    src = tmp_path_factory.mktemp("small-book") / "src"
    built: dict[str, SphinxTestApp] = {}

    def build(builder: str) -> SphinxTestApp:
        if builder not in built:
            built[builder] = build_small_book(src, builder)
        return built[builder]

    return build
