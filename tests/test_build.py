"""Build behaviour: clear errors, reproducible output and incremental rebuilds."""

from __future__ import annotations

import os
import re
import time
import zipfile

import pytest

from manuscript import copy_edits
from tools import (
    CHAPTERS,
    LOCAL_ENV,
    ROOT,
    SLUG,
    copy_source,
    page_label,
    problems_in,
    source_docs,
    source_text,
    sphinx_build,
    tree_digest,
)


def step_names(log: str, step: str) -> list[str]:
    """The documents Sphinx names in a "reading sources" or "writing output" step."""
    # On a terminal (and under CI) Sphinx redraws one line with \r and ANSI escapes.
    log = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", log).replace("\r", "\n")
    return re.findall(rf"^{step}\.\.\. \[\s*\d+%\] (\S+)", log, flags=re.MULTILINE)


def test_broken_reference_and_unknown_directive_fail_the_build_with_file_and_line(tmp_path):
    src = copy_source(tmp_path / "src")
    where = f"chapters/{CHAPTERS[-1]}.md"
    chapter = src / where
    lines = chapter.read_text(encoding="utf-8").splitlines()
    broken = [*lines, "", "See {ref}`no-such-chapter`.", "", ":::{no-such-directive}", ":::", ""]
    chapter.write_text("\n".join(broken), encoding="utf-8")

    result = sphinx_build("html", tmp_path / "html", src, check=False)

    assert result.returncode != 0
    assert re.search(rf"{where}:{len(lines) + 2}: WARNING: undefined label: 'no-such-chapter'",
                     result.stdout), result.stdout  # fmt: skip
    assert re.search(rf"{where}:{len(lines) + 4}: .*Unknown directive type: 'no-such-directive'",
                     result.stdout), result.stdout  # fmt: skip


def test_two_clean_builds_in_different_folders_give_identical_html(html, html_elsewhere):
    first, second = tree_digest(html.outdir), html_elsewhere.digest
    assert sorted(first.keys() ^ second.keys()) == []
    assert [name for name in first if first[name] != second[name]] == []


def test_epub_builds_again_after_a_configuration_change(tmp_path):
    """Sphinx keeps the old build information as ``.buildinfo.bak`` in the output
    folder; the EPUB builder must not take it for a file of the book (docs/upstream.md)."""
    out = tmp_path / "epub"
    sphinx_build("epub", out)
    again = sphinx_build("epub", out, ROOT, "-D", "html_title=Another title", check=False)
    assert again.returncode == 0, again.stdout
    assert problems_in(again.stdout) == []
    with zipfile.ZipFile(out / f"{SLUG}.epub") as epub:
        assert [name for name in epub.namelist() if "buildinfo" in name] == []


#: The incremental rebuilds share one copy of the book: one worker does them all
#: (``--dist loadgroup``), which builds it once.
rebuilds_the_shared_copy = pytest.mark.xdist_group("incremental")


@pytest.fixture(scope="module")
def incremental(tmp_path_factory):
    """A clean build of a copy of the sources, then two rebuilds: unchanged, then after
    a one-chapter edit (a copy of its own: no other test reads what the edit changes)."""
    tmp = tmp_path_factory.mktemp("incremental")
    src = copy_source(tmp / "src")
    args = ("html", tmp / "html", src, "-d", str(tmp / "doctrees"))
    cold = sphinx_build(*args, env=LOCAL_ENV).stdout
    unchanged = sphinx_build(*args, env=LOCAL_ENV).stdout
    chapter = src / "chapters" / f"{EDITED}.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(f"{text.rstrip()}\n\nA sentence added by the test.\n", "utf-8")
    # saved a moment after the last read, on any file system's clock
    later = time.time_ns() + 2_000_000_000
    os.utime(chapter, ns=(later, later))
    edited = sphinx_build(*args, env=LOCAL_ENV).stdout
    return cold, unchanged, edited


#: The chapter the test edits: one in the middle of the book.
EDITED = CHAPTERS[len(CHAPTERS) // 2]


@rebuilds_the_shared_copy
def test_unchanged_rebuild_reads_nothing(incremental):
    cold, unchanged, _ = incremental
    assert len(step_names(cold, "reading sources")) == len(source_docs())
    assert step_names(unchanged, "reading sources") == []
    assert "0 added, 0 changed, 0 removed" in unchanged


@rebuilds_the_shared_copy
def test_editing_one_chapter_rereads_only_it_and_rewrites_only_what_shows_it(incremental):
    _, _, edited = incremental
    page = f"chapters/{EDITED}"
    # the page that lists the copy-edits cites their paragraphs: it follows their chapters
    listing = {doc for doc in source_docs() if "{copy-edits}" in source_text(doc)}
    cited = page_label(page) in {edit["chapter"] for edit in copy_edits()}
    also = listing if cited else set()
    assert set(step_names(edited, "reading sources")) == {page} | also, edited
    assert set(step_names(edited, "writing output")) <= {page, "index"} | also, edited
    assert page in step_names(edited, "writing output"), edited
