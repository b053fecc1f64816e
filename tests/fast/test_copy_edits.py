"""The copy-edits (backmatter/copy-edits.toml): each one exact, and each where it says.

The quick check after fixing a word: ``make test-fast``.  The checks themselves are in
``manuscript.py``, where the recipes (test_recipes.py) run them on a copy of the book.
"""

from __future__ import annotations

import pytest

from manuscript import copy_edit_mismatch, copy_edit_unprinted, copy_edits


@pytest.mark.parametrize("edit", copy_edits(), ids=lambda e: e["manuscript"])
def test_each_copy_edit_matches_exactly_one_place_in_the_manuscript(edit):
    assert copy_edit_mismatch(edit) is None


@pytest.mark.parametrize("edit", copy_edits(), ids=lambda e: e["manuscript"])
def test_each_copy_edit_is_printed_in_the_chapter_it_names(edit):
    assert copy_edit_unprinted(edit) is None
