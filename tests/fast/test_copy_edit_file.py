"""copy-edits.toml on a copy of the small book: a wrong entry is named at its own line.

The copy's glossary page lists its copy-edits (``{copy-edits}``); each test writes the
record it names (``copy-edits.toml``) over the copy's own.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from smallbook import SMALL_BOOK

#: An entry whose words the small book's first chapter prints.
ENTRY = (
    '[[edit]]\nmanuscript = "writes leters for"\nedition = "writes letters for"\n'
    'chapter = "{chapter}"\n'
)


@pytest.fixture
def src(tmp_path) -> Path:
    return Path(shutil.copytree(SMALL_BOOK, tmp_path / "src"))


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


def test_a_copy_edit_whose_words_are_in_no_paragraph_is_named_at_its_line(src):
    edits = ENTRY.format(chapter="first") + "\n" + ENTRY.format(chapter="second")
    status, warnings = build(src, edits)
    assert status != 0
    line = len(ENTRY.splitlines()) + 1 + 3  # the second entry's `edition`
    assert edits.splitlines()[line - 1].startswith("edition =")
    assert warnings == [
        f"{src}/copy-edits.toml:{line}: WARNING: the edition's words 'writes letters for' "
        "are in no numbered paragraph of the chapter 'second'"
    ]


def test_a_copy_edit_whose_words_are_in_two_paragraphs_is_named_at_its_line(src):
    chapter = src / "chapters" / "02-second.md"
    chapter.write_text(
        chapter.read_text("utf-8") + "\nLater, Theodore plays a video game again.\n", "utf-8"
    )
    edits = ENTRY.replace("writes", "plays").replace("letters for", "a video game")
    status, warnings = build(src, edits.format(chapter="second"))
    assert status != 0
    assert warnings == [
        f"{src}/copy-edits.toml:3: WARNING: the edition's words 'plays a video game' are in "
        "2 numbered paragraphs (¶ 1, ¶ 2) of the chapter 'second': add neighbouring words "
        "until they are in one"
    ]


def test_a_since_that_is_not_in_quotes_is_named_at_its_line(src):
    status, warnings = build(src, ENTRY.format(chapter="first") + "since = 1.10\n")
    assert status != 0
    assert warnings == [
        f"{src}/copy-edits.toml:5: WARNING: since names an edition as CITATION.cff's "
        'version does, in quotes (TOML reads 1.10 as 1.1): since = "1.10"'
    ]
