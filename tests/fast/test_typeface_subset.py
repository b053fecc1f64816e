"""The typeface, subset beside the build (``_ext/book/fonts.py``, ``font_subset.py``):
what an author sees when a face cannot be cut."""

from __future__ import annotations

import shutil

import pytest
from sphinx.errors import ExtensionError
from sphinx.testing.util import SphinxTestApp

from smallbook import SMALL_BOOK
from tools import ROOT


def test_a_face_that_is_no_font_fails_the_build_naming_its_file(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(SMALL_BOOK, src)
    (src / "fonts").mkdir()
    for style in ("Italic", "Bold"):
        shutil.copy(ROOT / "fonts" / f"Literata-{style}.ttf", src / "fonts")
    (src / "fonts" / "not-a-font.ttf").write_text("no font here\n", encoding="utf-8")
    typeface = {
        "family": "Literata",
        "files": {
            "regular": "fonts/not-a-font.ttf",
            "italic": "fonts/Literata-Italic.ttf",
            "bold": "fonts/Literata-Bold.ttf",
        },
    }
    app = SphinxTestApp("html", srcdir=src, confoverrides={"book_typeface": typeface})
    try:
        with pytest.raises(ExtensionError, match=r"could not be subset: \S*fonts/not-a-font\.ttf"):
            app.build()
    finally:
        app.cleanup()
    assert not (app.outdir / "_static" / "fonts" / "literata-regular.woff2").exists()
