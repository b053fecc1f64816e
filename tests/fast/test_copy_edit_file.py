"""copy-edits.toml on a copy of the small book: a wrong entry is named at its own line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from smallbook import SMALL_BOOK

ENTRY = '[[edit]]\nmanuscript = "Teh game"\nedition = "The game"\nchapter = "{chapter}"\n'


@pytest.fixture
def src(tmp_path) -> Path:
    copy = Path(shutil.copytree(SMALL_BOOK, tmp_path / "src"))
    glossary = copy / "backmatter" / "glossary.md"
    glossary.write_text(
        glossary.read_text("utf-8") + "\n## Copy-edits\n\n```{copy-edits}\n```\n", "utf-8"
    )
    return copy


def build(src: Path, edits: str) -> tuple[int, list[str]]:
    (src / "copy-edits.toml").write_text(edits, encoding="utf-8")
    app = SphinxTestApp(
        "html",
        srcdir=src,
        warningiserror=True,
        confoverrides={"book_copy_edits": "copy-edits.toml"},
    )
    try:
        app.build()
    finally:
        app.cleanup()
    log = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    return app.statuscode, [line for line in log.splitlines() if "WARNING" in line]


def test_a_copy_edit_whose_chapter_is_gone_is_named_at_its_line_in_the_file(src):
    """Issue 21: reported at the About page's directive, not at copy-edits.toml:48."""
    edits = "# Corrections\n\n" + ENTRY.format(chapter="first") + "\n"
    edits += ENTRY.format(chapter="no-such-chapter")
    status, warnings = build(src, edits)
    assert status != 0
    line = edits.splitlines().index('chapter = "no-such-chapter"') + 1
    assert warnings == [
        f"{src}/copy-edits.toml:{line}: WARNING: undefined label: 'no-such-chapter' [ref.ref]"
    ]


def test_a_copy_edit_without_its_chapter_is_named_at_its_line(src):
    edits = ENTRY.format(chapter="first") + "\n[[edit]]\nmanuscript = 'x'\nedition = 'y'\n"
    status, warnings = build(src, edits)
    assert status != 0
    line = edits.splitlines().index("[[edit]]", 1) + 1
    assert warnings == [f"{src}/copy-edits.toml:{line}: WARNING: this [[edit]] needs chapter"]


def test_a_copy_edits_file_that_is_not_toml_is_named_at_its_line(src):
    status, warnings = build(src, ENTRY.format(chapter="first") + 'chapter = "twice"\n')
    assert status != 0
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{src}/copy-edits.toml:5: WARNING: not valid TOML")
