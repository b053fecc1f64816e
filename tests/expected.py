"""What the tests expect of the book, read from its sources and configuration.

The tests never write a fact of this essay (a title, a count, a name) into an
assertion: they read it here, from the MyST pages, ``index.md``, ``conf.py`` and
``CITATION.cff`` of the book in *src*, so the suite follows the book as it changes.
"""

from __future__ import annotations

import re
from pathlib import Path

from manuscript import normalise
from tools import ROOT, chapters, source_docs, source_text

#: A role's shown text: {term}`Amy` -> Amy, {ref}`her words <amy>` -> her words.
ROLE = re.compile(r"\{[\w:-]+\}`([^`<]*?)(?: <[^>]+>)?`")


def plain(markup: str) -> str:
    """One line of MyST as text compares: roles' words, no emphasis marks."""
    return normalise(ROLE.sub(r"\1", markup).replace("*", "").replace("_", " "))


def title(page: str, src: Path = ROOT) -> str:
    """A page's title, its first ``#`` heading (``chapters/amy``)."""
    return plain(re.search(r"^# (.+)$", source_text(page, src), flags=re.MULTILINE)[1])


def chapter_titles(src: Path = ROOT) -> list[str]:
    """The chapters' titles, in reading order."""
    return [title(f"chapters/{c}", src) for c in chapters(src)]


def numbered_chapter_titles(src: Path = ROOT) -> list[str]:
    """The chapters' titles with their numbers, as the navigation shows them (``1. Title``)."""
    return [f"{number}. {name}" for number, name in enumerate(chapter_titles(src), 1)]


def back_matter(src: Path = ROOT) -> list[str]:
    """The back matter's pages, in reading order: the landing page's other contents."""
    index = (src / "index.md").read_text(encoding="utf-8")
    return re.findall(r"^backmatter/(\S+)$", index, flags=re.MULTILINE)


def back_matter_titles(src: Path = ROOT) -> list[str]:
    return [title(f"backmatter/{b}", src) for b in back_matter(src)]


def faq_names(src: Path = ROOT) -> list[str]:
    """The FAQ's questions' names (``:name:``), in order: each answer's anchor."""
    return re.findall(r"^:name: (\S+)$", source_text("backmatter/faq", src), flags=re.MULTILINE)


def faq_questions(src: Path = ROOT) -> list[str]:
    """The FAQ's questions, as the dropdowns title them."""
    faq = source_text("backmatter/faq", src)
    return [plain(q) for q in re.findall(r"^:{3,}\{dropdown\} (.+)$", faq, flags=re.MULTILINE)]


def glossary_terms(src: Path = ROOT) -> list[str]:
    """The glossary's terms: the unindented lines of its ``{glossary}`` directive."""
    body = source_text("backmatter/glossary", src).split("{glossary}", 1)[1].split("```", 1)[0]
    return [line for line in body.splitlines()[1:] if line and not line[0].isspace()
            and not line.startswith(":")]  # fmt: skip


def highlight_count(src: Path = ROOT) -> int:
    """The highlight boxes of the chapters."""
    return sum(
        source_text(f"chapters/{c}", src).count(":class: book-highlight") for c in chapters(src)
    )


def labels(src: Path = ROOT) -> dict[str, str]:
    """Every label of the book with the page it is on: ``{"amy": "chapters/amy"}``, the
    FAQ's named questions (``faq-struggle``) included."""
    found = {}
    for page in source_docs(src):
        text = source_text(page, src)
        for label in re.findall(r"^\((.+)\)=\s*$|^:name: (\S+)$", text, flags=re.MULTILINE):
            found["".join(label)] = page
    return found


def references(page: str, src: Path = ROOT) -> list[str]:
    """The labels a page links to with ``{ref}``, in order."""
    return re.findall(r"\{ref\}`(?:[^`<]*<)?([^`<>]+)>?`", source_text(page, src))


def terms_used(page: str, src: Path = ROOT) -> list[str]:
    """The glossary terms a page links to with ``{term}``, as the glossary writes them."""
    return re.findall(r"\{term\}`(?:[^`<]*<)?([^`<>]+)>?`", source_text(page, src))


def term_anchor(term: str) -> str:
    """A glossary term's anchor: ``operating system`` -> ``term-operating-system``."""
    return "term-" + re.sub(r"\s+", "-", term)


def index_entries(src: Path = ROOT) -> set[str]:
    """The main words of every ``{index}`` directive (``Theodore; blind date`` -> ``Theodore``)."""
    entries = set()
    for page in source_docs(src):
        for line in re.findall(r"^`{3,}\{index\} (.+)$", source_text(page, src), re.MULTILINE):
            entries |= {entry.split(";")[0].strip() for entry in line.split(",")}
    return entries


def faq_answers(src: Path = ROOT) -> dict[str, str]:
    """Each named question's answer, its first paragraph as text compares."""
    faq = source_text("backmatter/faq", src)
    blocks = re.findall(r"^:name: (\S+)\n(?::.*\n)*\n(.+)$", faq, flags=re.MULTILINE)
    return {name: plain(answer) for name, answer in blocks}


def linked_question(src: Path = ROOT) -> tuple[str, str]:
    """A page other than the FAQ and a question of the FAQ it links to."""
    names = faq_names(src)
    return next(
        (page, label) for page in source_docs(src) if page != "backmatter/faq"
        for label in references(page, src) if label in names
    )  # fmt: skip


def footnotes(src: Path = ROOT) -> list[str]:
    """Every footnote's text (``[^name]: the note.``), as text compares."""
    return [
        plain(note)
        for page in source_docs(src)
        for note in re.findall(r"^\[\^[^\]]+\]: (.+)$", source_text(page, src), re.MULTILINE)
    ]


def figures(src: Path = ROOT) -> list[tuple[Path, str]]:
    """Every figure's image file and text alternative (``:alt:``), in reading order."""
    found = []
    for page in source_docs(src):
        text = source_text(page, src)
        for image, alt in re.findall(
            r"^`{3,}\{figure\} (\S+)\n(?::(?!alt:).*\n)*:alt: (.+)$", text, re.MULTILINE
        ):
            found.append(((src / page).parent / image, alt))
    return found
