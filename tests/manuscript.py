"""The essay as received, this edition's copy-edits, and what the tests derive from them.

Each book names its manuscript, a copy of the text as received that is never edited,
in its ``conf.py`` (``book_manuscript``: the file, where the text starts and ends, and
the web page's chrome that no edition may keep); the copy-edits are read from the file
the About page lists them from.  Counts (chapters, highlights, questions) come from the
manuscript, never from the sources under test.  Every function takes the book's folder
(*src*), the repository's own by default.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from book.copy_edits import load
from tools import ROOT, book_config


def manuscript(src: Path = ROOT) -> dict:
    """The book's ``book_manuscript``: ``file``, ``start``, ``end`` and ``residue``."""
    return book_config(src)["book_manuscript"]


#: The essay's manuscript, and the web page's chrome after it that no edition may keep.
MANUSCRIPT = ROOT / manuscript()["file"]
RESIDUE = manuscript()["residue"]


def manuscript_text(src: Path = ROOT) -> str:
    return (src / manuscript(src)["file"]).read_text(encoding="utf-8")


def residue(src: Path = ROOT) -> list[str]:
    return manuscript(src)["residue"]


def copy_edits_file(src: Path = ROOT) -> Path:
    """The book's copy-edits (``book_copy_edits``: ``backmatter/copy-edits.toml``)."""
    return src / book_config(src)["book_copy_edits"]


def copy_edits(src: Path = ROOT) -> list[dict[str, str]]:
    """The copy-edits of the book in *src*."""
    return load(copy_edits_file(src))


def essay_part(src: Path = ROOT) -> str:
    """The manuscript from where its text starts to where it ends."""
    facts, text = manuscript(src), manuscript_text(src)
    start = text.index(facts["start"])
    return text[start : text.index(facts["end"]) if facts["end"] else len(text)]


def edited_essay(src: Path = ROOT) -> str:
    """The essay part of the manuscript with the copy-edits of the book in *src* applied."""
    return _edited(essay_part(src), tuple(tuple(sorted(e.items())) for e in copy_edits(src)))


@cache
def _edited(text: str, edits: tuple[tuple[tuple[str, str], ...], ...]) -> str:
    for edit in map(dict, edits):
        assert text.count(edit["manuscript"]) == 1, edit
        text = text.replace(edit["manuscript"], edit["edition"])
    return text


def essay_lines(src: Path = ROOT) -> list[str]:
    return [line.strip() for line in edited_essay(src).splitlines() if line.strip()]


def copy_edit_mismatch(edit: dict[str, str], src: Path = ROOT) -> str | None:
    """What is wrong with a copy-edit's words as received, if anything: they must match
    exactly one place of the manuscript's essay, and differ from the edition's."""
    essay = manuscript_text(src)[manuscript_text(src).index(manuscript(src)["start"]) :]
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


def contents_titles(src: Path = ROOT) -> list[str]:
    """The titles of the manuscript's own table of contents (before the essay), if any."""
    text = manuscript_text(src)
    contents = text[: text.index(manuscript(src)["start"])]
    return re.findall(r"^\s*\d+\. (.+?)\s*$", contents, flags=re.MULTILINE)


def chapter_titles(src: Path = ROOT) -> list[str]:
    """The chapter titles of the manuscript's contents, less the sections this edition
    sets as back matter (those with a back matter page's title)."""
    from expected import back_matter_titles

    back = set(back_matter_titles(src))
    return [t for t in contents_titles(src) if normalise(t) not in back]


def highlight_count(src: Path = ROOT) -> int:
    return sum(line.startswith("Highlight:") for line in essay_lines(src))


def question_count(src: Path = ROOT) -> int:
    return sum(line.startswith("Q:") for line in essay_lines(src))


def normalise(text: str) -> str:
    """Plain quotes, single spaces and no emphasis marks (a copy-edit's ``*Her*``), so
    text from any format compares."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("*", "")
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip()


def essay_sentences(src: Path = ROOT) -> list[str]:
    """Every sentence of the edited essay, without its labels and list marks."""
    sentences = []
    for line in edited_essay(src).splitlines():
        line = line.strip().removeprefix("•").lstrip("#").strip()  # a list or heading mark
        line = line.removeprefix("Highlight:").strip()
        for part in re.split(r"\s*\b[QA]: ", line):
            sentences += [s for s in re.split(r"(?<=[.?!])\s+", part) if s]
    return [normalise(s) for s in sentences]


def squash(text: str) -> str:
    """Letters and digits only: markup, line breaks, hyphenation and running heads aside."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


#: MyST that is not text: labels, fences and their options.
MARKUP_LINES = re.compile(r"^(\(.+\)=|:{3,}\s*$|`{3,}\s*$|:[\w-]+:.*|\{[.#][^}]*\})$")


def source_text(path: Path) -> str:
    """A MyST file's words: its labels, fences and options left out, roles' text kept."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if MARKUP_LINES.match(line):
            continue
        line = re.sub(r"^(:{3,}|`{3,})\{[^}]*\}", "", line)  # a directive's name
        line = re.sub(r"\{[\w:-]+\}`([^`<]*?)(?: <[^>]+>)?`", r"\1", line)  # roles
        lines.append(line.lstrip("# "))
    return "\n".join(lines)


def unprinted_sentences(src: Path = ROOT) -> list[str]:
    """The manuscript's sentences (copy-edits applied) that no source file of the
    essay's pages prints, each with the file whose text is nearest."""
    from fnmatch import fnmatch

    from tools import source_docs

    patterns = book_config(src)["book_essay_docs"]
    docs = [d for d in source_docs(src) if any(fnmatch(d, p) for p in patterns)]
    texts = {f"{doc}.md": source_text(src / f"{doc}.md") for doc in docs}
    squashed = {name: squash(text) for name, text in texts.items()}
    everything = "".join(squashed.values())
    problems = []
    for sentence in essay_sentences(src):
        if squash(sentence) in everything:
            continue
        words = set(sentence.lower().split())
        nearest = max(
            texts, key=lambda name: len(words & set(normalise(texts[name]).lower().split()))
        )
        problems.append(
            f"{nearest}: the manuscript's {sentence!r} is not in the text. If the change "
            f"is meant, record it in {copy_edits_file(src).relative_to(src)} (its header gives "
            "the format)."
        )
    return problems
