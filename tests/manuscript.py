"""The essay as received, this edition's copy-edits, and what the tests derive from them.

``tests/fixtures/manuscript.txt`` is a copy of the manuscript, never edited; the
copy-edits are read from the file the About page lists them from.  Counts (chapters,
highlights, questions) come from the manuscript, never from the sources under test.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from book.copy_edits import load
from tools import ROOT

MANUSCRIPT = ROOT / "tests" / "fixtures" / "manuscript.txt"
COPY_EDITS = ROOT / "backmatter" / "copy-edits.toml"
#: Where the essay starts and the web page's chrome after it begins.
ESSAY_START, ESSAY_END = "In a modern age", "Most people like"
RESIDUE = ["Most people like", "Toolify", "TOOLIFY", "Get started", "Sign Up", "App rating",
           "Trusted Users", "No complicated", "Free forever", "Browse More Content"]  # fmt: skip
#: The back matter pages, in reading order (their files are this edition's own).
BACK_MATTER = ["highlights", "faq", "glossary", "about"]
#: Sections of the manuscript's contents that this edition sets as back matter.
BACK_MATTER_SECTIONS = ("Highlights", "FAQs")


def manuscript_text() -> str:
    return MANUSCRIPT.read_text(encoding="utf-8")


def copy_edits(src: Path = ROOT) -> list[dict[str, str]]:
    """The copy-edits of the book in *src* (``backmatter/copy-edits.toml``)."""
    return load(src / COPY_EDITS.relative_to(ROOT))


def edited_essay(src: Path = ROOT) -> str:
    """The essay part of the manuscript with the copy-edits of the book in *src* applied."""
    return _edited(tuple(tuple(sorted(edit.items())) for edit in copy_edits(src)))


@cache
def _edited(edits: tuple[tuple[tuple[str, str], ...], ...]) -> str:
    text = manuscript_text()
    text = text[text.index(ESSAY_START) : text.index(ESSAY_END)]
    for edit in map(dict, edits):
        assert text.count(edit["manuscript"]) == 1, edit
        text = text.replace(edit["manuscript"], edit["edition"])
    return text


def essay_lines() -> list[str]:
    return [line.strip() for line in edited_essay().splitlines() if line.strip()]


def copy_edit_mismatch(edit: dict[str, str]) -> str | None:
    """What is wrong with a copy-edit's words as received, if anything: they must match
    exactly one place of the manuscript's essay, and differ from the edition's."""
    essay = manuscript_text()[manuscript_text().index(ESSAY_START) :]
    if essay.count(edit["manuscript"]) != 1:
        return f"{edit['manuscript']!r}: add neighbouring words until it matches once"
    if edit["manuscript"] == edit["edition"]:
        return f"{edit['manuscript']!r}: the edition prints the words as received"
    return None


def label_files(src: Path = ROOT) -> dict[str, str]:
    """Each chapter's label, with the text of the source file that declares it."""
    found = {}
    for path in (src / "chapters").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        for label in re.findall(r"^\((.+)\)=$", text, re.MULTILINE):
            found[label] = text
    return found


def copy_edit_unprinted(edit: dict[str, str], src: Path = ROOT) -> str | None:
    """What is wrong with where a copy-edit says it is printed, if anything: the chapter
    it names must print the edition's words (curly apostrophes, glossary links aside)."""
    chapters = label_files(src)
    if edit["chapter"] not in chapters:
        return f"no chapter has the label {edit['chapter']!r}"
    printed = re.sub(r"\{term\}`([^`<]+?)(?: <[^>]+>)?`", r"\1", chapters[edit["chapter"]])
    if edit["edition"].replace("'", "’") not in printed:
        return f"{edit['chapter']} does not print {edit['edition']!r}"
    return None


def chapter_titles() -> list[str]:
    """The chapter titles of the manuscript's own table of contents (before the essay),
    less the sections this edition sets as back matter."""
    contents = manuscript_text()[: manuscript_text().index(ESSAY_START)]
    titles = re.findall(r"^\s*\d+\. (.+?)\s*$", contents, flags=re.MULTILINE)
    return [t for t in titles if t not in BACK_MATTER_SECTIONS]


def highlight_count() -> int:
    return sum(line.startswith("Highlight:") for line in essay_lines())


def question_count() -> int:
    return sum(line.startswith("Q:") for line in essay_lines())


def normalise(text: str) -> str:
    """Plain quotes and single spaces, so text from any format compares."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip()


def essay_sentences(src: Path = ROOT) -> list[str]:
    """Every sentence of the edited essay, without its labels and list marks."""
    sentences = []
    for line in edited_essay(src).splitlines():
        line = line.strip().removeprefix("•").strip().removeprefix("Highlight:").strip()
        for part in re.split(r"\s*\b[QA]: ", line):
            sentences += [s for s in re.split(r"(?<=[.?!])\s+", part) if s]
    return [normalise(s) for s in sentences]
