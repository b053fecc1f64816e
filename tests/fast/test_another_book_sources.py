"""The second book's sources against its own manuscript, in a second (``make
test-fast``): each copy-edit exact and printed where it says, and every other sentence
in its chapters.  Its editions are checked end to end in test_another_book.py."""

from __future__ import annotations

import pytest

from manuscript import copy_edit_mismatch, copy_edit_unprinted, copy_edits, unprinted_sentences
from tools import ANOTHER


def test_the_second_book_records_at_least_one_copy_edit():
    assert copy_edits(ANOTHER)


@pytest.mark.parametrize("edit", copy_edits(ANOTHER), ids=lambda e: e["manuscript"])
def test_each_of_its_copy_edits_matches_one_place_of_its_manuscript_and_is_printed(edit):
    assert copy_edit_mismatch(edit, ANOTHER) is None
    assert copy_edit_unprinted(edit, ANOTHER) is None


def test_every_sentence_of_its_manuscript_is_in_its_sources_or_its_change_recorded():
    assert unprinted_sentences(ANOTHER) == []
