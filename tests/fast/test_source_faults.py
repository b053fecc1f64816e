"""Mistakes in a source file, replayed on a copy of the small book, built in-process.

Every case asserts what the author would see: whether the build fails (``-W``), the
warning with its file and line, and that the next build after the fix is clean.  The
builds share a doctree folder per copy, as ``make`` does (``_build/doctrees``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from smallbook import SMALL_BOOK
from tools import append, build_in_process

CHAPTER = "chapters/02-second"


@pytest.fixture
def src(tmp_path) -> Path:
    """A copy of the small book, not built yet."""
    return Path(shutil.copytree(SMALL_BOOK, tmp_path / "src"))


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("See {ref}`no-such-chapter`.", "undefined label: 'no-such-chapter'"),
        ("A {term}`no such term`.", "term not in glossary: 'no such term'"),
        (":::{no-such-directive}\n:::", "Unknown directive type: 'no-such-directive'"),
    ],
    ids=["broken ref", "unknown term", "unknown directive"],
)
def test_a_broken_source_fails_every_build_until_it_is_fixed(src, fault, message):
    chapter = src / f"{CHAPTER}.md"
    good = chapter.read_text(encoding="utf-8")
    where = f"{CHAPTER}.md:{append(src, CHAPTER, fault)}"

    for attempt in ("first build", "build again"):
        build = build_in_process(src)
        assert build.status != 0, attempt
        assert [w for w in build.warnings if where in w and message in w], (attempt, build)
    chapter.write_text(good, encoding="utf-8")
    fixed = build_in_process(src)
    assert (fixed.status, fixed.warnings) == (0, [])


def test_a_fixed_duplicate_label_leaves_no_false_error_behind(src):
    assert build_in_process(src).status == 0
    other = src / f"{CHAPTER}.md"
    text = other.read_text(encoding="utf-8")
    other.write_text(f"(first)=\n\n{text}", encoding="utf-8")
    duplicate = build_in_process(src)
    assert duplicate.status != 0
    assert [w for w in duplicate.warnings if "duplicate label first" in w], duplicate.warnings

    other.write_text(text, encoding="utf-8")
    fixed = build_in_process(src)
    assert (fixed.status, fixed.warnings) == (0, [])
    first = src / "chapters" / "01-first.md"
    first.write_text(first.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    again = build_in_process(src)
    assert (again.status, again.warnings) == (0, [])


def test_an_unclosed_fence_is_reported_where_the_box_opens(src):
    line = append(src, CHAPTER, ":::{admonition} Highlight\n:class: book-highlight\n\nUnclosed.")
    build = build_in_process(src)
    assert build.status != 0
    assert [w for w in build.warnings if f"{CHAPTER}.md:{line}:" in w], build.warnings
    assert any("is never closed" in w for w in build.warnings), build.warnings


def test_a_file_that_is_not_utf8_is_named_with_its_line(src):
    path = src / f"{CHAPTER}.md"
    line = len(path.read_bytes().splitlines()) + 2
    path.write_bytes(path.read_bytes() + b"\nCaf\xe9 au lait.\n")
    build = build_in_process(src)
    assert build.status != 0
    assert build.warnings == [
        f"{src}/{CHAPTER}.md:{line}: WARNING: byte 0xe9 at column 4 is not UTF-8: "
        "save the file as UTF-8 [book.encoding]"
    ]


def test_an_empty_chapter_is_reported_once(src):
    (src / "chapters" / "03-empty.md").write_text("\n", encoding="utf-8")
    build = build_in_process(src)
    assert build.status != 0
    assert build.warnings == [
        f"{src}/chapters/03-empty.md:1: WARNING: the file is empty: give it a (label)= line "
        "and a # title, or delete it [book.empty]"
    ]


@pytest.mark.parametrize("builder", ["html", "epub"])
def test_raw_html_in_a_heading_fails_the_build_at_its_line(src, builder):
    """Issue 21, case 6: ``# Title "><img src=x onerror=alert(1)>`` built, and made an
    EPUB that EPUBCheck calls FATAL (RSC-016), with exit status 0."""
    chapter = src / f"{CHAPTER}.md"
    lines = chapter.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if text.startswith("# "))
    lines[line - 1] += ' "><img src=x onerror=alert(1)>'
    chapter.write_text("\n".join(lines) + "\n", encoding="utf-8")
    build = build_in_process(src, builder)
    assert build.status != 0
    assert build.warnings == [
        f"{src}/{CHAPTER}.md:{line}: WARNING: raw HTML in a heading "
        "(<img src=x onerror=alert(1)>) would be copied into every page's navigation and "
        "the EPUB's: write it as text (\\< for <) [book.raw_html]"
    ]


def test_raw_html_that_no_epub_can_hold_fails_the_build_at_its_line(src):
    line = append(src, CHAPTER, 'A picture: <img src=x alt="unclosed">.')
    build = build_in_process(src, "epub")
    assert build.status != 0
    assert len(build.warnings) == 1
    assert build.warnings[0].startswith(
        f"{src}/{CHAPTER}.md:{line}: WARNING: raw HTML that is not well-formed XML"
    )


def test_well_formed_raw_html_in_the_text_builds(src):
    append(src, CHAPTER, "A <kbd>key</kbd> and a break<br/>.")
    build = build_in_process(src, "epub")
    assert (build.status, build.warnings) == (0, [])


def test_a_chapter_without_a_title_is_reported_once_at_its_file(src):
    """Issue 21: the same warning three times, against the page that lists it."""
    (src / "chapters" / "03-untitled.md").write_text(
        "(untitled)=\n\nSome text, and no title.\n", encoding="utf-8"
    )
    build = build_in_process(src)
    assert build.status != 0
    assert build.warnings == [
        f"{src}/chapters/03-untitled.md:1: WARNING: the file has no heading: give it a "
        "(label)= line and a # title [book.no_title]"
    ]
