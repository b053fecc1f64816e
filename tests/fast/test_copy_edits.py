"""The copy-edits (backmatter/copy-edits.toml): each one exact, and each where it says.

The quick check after fixing a word: ``make test-fast``.  The checks themselves are in
``manuscript.py``, where the recipes (test_recipes.py) run them on a copy of the book.
"""

from __future__ import annotations

import shutil

import pytest

from manuscript import copy_edit_mismatch, copy_edit_unprinted, copy_edits
from smallbook import SMALL_BOOK, build_small_book


@pytest.mark.parametrize("edit", copy_edits(), ids=lambda e: e["manuscript"])
def test_each_copy_edit_matches_exactly_one_place_in_the_manuscript(edit):
    assert copy_edit_mismatch(edit) is None


@pytest.mark.parametrize("edit", copy_edits(), ids=lambda e: e["manuscript"])
def test_each_copy_edit_is_printed_in_the_chapter_it_names(edit):
    assert copy_edit_unprinted(edit) is None


def test_a_new_book_with_no_copy_edits_yet_says_so(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(SMALL_BOOK, src)
    (src / "copy-edits.toml").write_text("# none yet\n", encoding="utf-8")
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('book_copy_edits = "copy-edits.toml"\n')
    index = src / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8") + "\n## Copy-edits\n\n```{copy-edits}\n```\n",
        encoding="utf-8",
    )
    app = build_small_book(src, "html")
    assert "None so far." in (app.outdir / "index.html").read_text(encoding="utf-8")
