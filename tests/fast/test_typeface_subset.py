"""The typeface, subset beside the build (``_ext/book/fonts.py``, ``font_subset.py``):
what an author sees when a face cannot be cut."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont, newTable
from sphinx.errors import ExtensionError
from sphinx.testing.util import SphinxTestApp

from smallbook import SMALL_BOOK, build_small_book
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


def another_face(src: Path) -> dict:
    """A second typeface for the small book, as another book would set it: its own family
    name and files, with a table fontTools cannot subset (as SIL's faces have Graphite's)."""
    (src / "fonts").mkdir(exist_ok=True)
    files = {}
    for style in ("regular", "italic", "bold"):
        font = TTFont(ROOT / "fonts" / f"Literata-{style.title()}.ttf")
        silt = newTable("Silt")
        silt.data = b"\0\1\0\0" * 4
        font["Silt"] = silt
        font.save(src / "fonts" / f"BookFace-{style}.ttf")
        files[style] = f"fonts/BookFace-{style}.ttf"
    return {"family": "Book Face", "files": files}


def build(src: Path, builder: str, typeface: dict) -> SphinxTestApp:
    return build_small_book(src, builder, confoverrides={"book_typeface": typeface})


@pytest.mark.parametrize("builder", ["html", "epub"])
def test_another_typeface_is_the_only_one_every_edition_ships_and_names(tmp_path, builder):
    src = tmp_path / "src"
    shutil.copytree(SMALL_BOOK, src)
    (src / "fonts").mkdir()
    for style in ("Regular", "Italic", "Bold"):
        shutil.copy(ROOT / "fonts" / f"Literata-{style}.ttf", src / "fonts")
    literata = {
        "family": "Literata",
        "files": {s: f"fonts/Literata-{s.title()}.ttf" for s in ("regular", "italic", "bold")},
    }
    build(src, builder, literata)
    # the author changes the typeface: no warning for the table left out, and the
    # first face's files are gone from the output
    app = build(src, builder, another_face(src))
    fonts = sorted(p.name for p in (app.outdir / "_static" / "fonts").iterdir())
    extension = "ttf" if builder == "epub" else "woff2"
    assert fonts == [f"book-face-{s}.{extension}" for s in ("bold", "italic", "regular")]
    css = (app.outdir / "_static" / "book-fonts.css").read_text(encoding="utf-8")
    assert css.count('font-family:"Book Face"') == 3 + (builder == "epub")
    assert "Silt" not in TTFont(app.outdir / "_static" / "fonts" / fonts[-1])
    if builder == "epub":
        with zipfile.ZipFile(app.outdir / f"{app.config.epub_basename}.epub") as epub:
            packed = [n for n in epub.namelist() if "/fonts/" in n]
            stylesheets = "".join(
                epub.read(n).decode() for n in epub.namelist() if n.endswith(".css")
            )
        assert sorted(n.rsplit("/", 1)[1] for n in packed) == fonts
        assert "Literata" not in stylesheets
        assert 'body{font-family:"Book Face",serif}' in stylesheets
