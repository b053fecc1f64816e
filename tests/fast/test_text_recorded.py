"""The quick check after an edit to the text (``make test-fast``): every sentence of the
manuscript is in the sources, unless the copy-edit log records its change.  The
editions themselves are checked against the manuscript end to end (test_content.py)."""

from __future__ import annotations

from manuscript import unprinted_sentences
from tools import copy_source


def test_every_sentence_of_the_manuscript_is_in_the_sources_or_its_change_recorded():
    assert unprinted_sentences() == []


def test_an_unrecorded_word_change_names_the_file_the_sentence_and_where_to_record_it(
    tmp_path,
):
    src = copy_source(tmp_path / "src")
    chapter = src / "chapters" / "amy.md"
    text = chapter.read_text(encoding="utf-8")
    words = next(w for w in text.split() if w.isalpha() and len(w) > 6)
    chapter.write_text(text.replace(words, words[::-1], 1), encoding="utf-8")

    problems = unprinted_sentences(src)
    assert len(problems) == 1, problems
    assert problems[0].startswith("chapters/amy.md: the manuscript's '")
    assert words in problems[0]
    assert "record it in backmatter/copy-edits.toml" in problems[0]
