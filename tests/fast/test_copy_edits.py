"""The copy-edits (backmatter/copy-edits.toml): each one exact, and each where it says.

The quick check after fixing a word: ``make test-fast``.
"""

from __future__ import annotations

import re

import pytest

from manuscript import ESSAY_START, copy_edits, manuscript_text
from tools import ROOT


def label_files() -> dict[str, str]:
    """Each chapter's label, with the source file that declares it."""
    found = {}
    for path in (ROOT / "chapters").glob("*.md"):
        for label in re.findall(r"^\((.+)\)=$", path.read_text(encoding="utf-8"), re.MULTILINE):
            found[label] = path.read_text(encoding="utf-8")
    return found


@pytest.mark.parametrize("edit", copy_edits(), ids=lambda e: e["manuscript"])
def test_each_copy_edit_matches_exactly_one_place_in_the_manuscript(edit):
    essay = manuscript_text()[manuscript_text().index(ESSAY_START) :]
    assert essay.count(edit["manuscript"]) == 1, "add neighbouring words until it matches once"
    assert edit["manuscript"] != edit["edition"]


@pytest.mark.parametrize("edit", copy_edits(), ids=lambda e: e["manuscript"])
def test_each_copy_edit_is_printed_in_the_chapter_it_names(edit):
    chapters = label_files()
    assert edit["chapter"] in chapters, f"no chapter has the label {edit['chapter']!r}"
    printed = re.sub(r"\{term\}`([^`<]+?)(?: <[^>]+>)?`", r"\1", chapters[edit["chapter"]])
    assert edit["edition"].replace("'", "’") in printed
