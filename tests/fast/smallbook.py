"""Building the small book (``tests/roots/test-book``) in-process, for the fast layer."""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.testing.util import SphinxTestApp

from tools import ROOT

SMALL_BOOK = ROOT / "tests" / "roots" / "test-book"


def build_small_book(
    dest: Path, builder: str, parallel: int = 0, confoverrides: dict | None = None
) -> SphinxTestApp:
    """Copy the small book to *dest* (unless a copy is there) and build it, with
    *confoverrides* over its conf.py; fail on any warning."""
    if not dest.exists():
        shutil.copytree(SMALL_BOOK, dest)
    app = SphinxTestApp(builder, srcdir=dest, parallel=parallel, confoverrides=confoverrides)
    try:
        app.build()
    finally:
        app.cleanup()
    assert app.warning.getvalue() == "", app.warning.getvalue()
    return app
