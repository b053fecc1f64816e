"""The warm preview (``make livehtml``, tools/live/preview.py) on a copy of the book:
what it writes after a save is what a cold build writes, and a broken save shows
its file and line in the terminal and the browser until the next good save."""

from __future__ import annotations

import json
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tools import CHAPTERS, ROOT, copy_source, sphinx_build, tree_digest

#: The chapter saved in the preview: one in the middle of the book.
CHAPTER = f"chapters/{CHAPTERS[len(CHAPTERS) // 2]}"
DATE = {"SOURCE_DATE_EPOCH": "1764115200"}
#: How long a build may take on a loaded machine before a test gives up on it.
PATIENCE = 60


@dataclass
class Preview:
    """The preview running on a copy of the book, and what it printed."""

    src: Path
    url: str
    process: subprocess.Popen
    lines: queue.Queue = field(default_factory=queue.Queue)
    printed: list[str] = field(default_factory=list)

    def next_build(self) -> str:
        """Wait for the next ``[preview]`` line, and return it."""
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                assert self.process.poll() is None, "\n".join(self.printed)
                continue
            if line.startswith("[preview]"):
                return line
        pytest.fail("no build in time:\n" + "\n".join(self.printed))

    def edit(self, text: str) -> str:
        """Save the chapter with *text* at its end; the build's line."""
        path = self.src / f"{CHAPTER}.md"
        path.write_text(self.original + text, encoding="utf-8")
        return self.next_build()

    @property
    def original(self) -> str:
        return (ROOT / f"{CHAPTER}.md").read_text(encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def preview(tmp_path_factory) -> Iterator[Preview]:
    src = copy_source(tmp_path_factory.mktemp("preview") / "book")
    port = free_port()
    cmd = [sys.executable, str(ROOT / "tools" / "live" / "preview.py"), "-W", "-n"]
    cmd += ["--keep-going", "-d", "_build/doctrees", "--port", str(port), ".", "_build/html"]
    process = subprocess.Popen(
        cmd,
        cwd=src,
        env={**os.environ, **DATE},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    running = Preview(src, f"http://127.0.0.1:{port}", process)

    def read() -> None:
        for line in process.stdout:
            running.printed.append(line.rstrip())
            running.lines.put(line.rstrip())

    threading.Thread(target=read, daemon=True).start()
    assert "built in" in running.next_build()
    yield running
    process.terminate()
    process.wait(timeout=10)


def without_empty_words(digest: dict[str, str], site: Path) -> dict[str, str]:
    """The digest with searchindex.js read as a cold build writes it: an incremental
    build keeps words no page has any more, with no pages (docs/upstream.md)."""
    text = (site / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    for key in ("terms", "titleterms"):
        index[key] = {word: pages for word, pages in index[key].items() if pages != []}
    return {**digest, "searchindex.js": json.dumps(index, sort_keys=True)}


def test_after_a_save_the_preview_writes_what_a_cold_build_writes(preview, tmp_path):
    line = preview.edit("\nA sentence written in the preview.\n")
    assert "built in" in line, line
    assert "(1 read," in line, line  # that chapter only
    cold = tmp_path / "cold"
    sphinx_build("html", cold, preview.src, env=DATE)
    site = preview.src / "_build" / "html"
    ours = without_empty_words(tree_digest(site), site)
    theirs = without_empty_words(tree_digest(cold), cold)
    assert ours.keys() == theirs.keys()
    assert [name for name in ours if ours[name] != theirs[name]] == []
    assert "A sentence written in the preview." in (site / f"{CHAPTER}.html").read_text()


def test_a_broken_save_shows_file_and_line_until_the_next_good_save(preview, browser):
    """In pytest-playwright's browser (Debian's Chromium, ``browser.py``)."""
    page = browser.new_page()
    page.goto(f"{preview.url}/{CHAPTER}.html")
    start = len(preview.printed)
    line = preview.edit("\nSee {ref}`a-label-nowhere`.\n")
    assert "FAILED" in line, line
    where = f"{CHAPTER}.md:{preview.original.count(chr(10)) + 2}"
    terminal = "\n".join(preview.printed[start:])
    assert re.search(rf"{re.escape(where)}: WARNING: undefined label", terminal), terminal
    problems = page.locator("#book-preview-problems")
    problems.wait_for(timeout=PATIENCE * 1000)
    assert where in problems.inner_text()
    assert "undefined label: 'a-label-nowhere'" in problems.inner_text()
    # the next good save: the page reloads with the new text, the problems gone
    with page.expect_navigation(timeout=PATIENCE * 1000):
        assert "built in" in preview.edit("\nThe sentence after the fix.\n")
    assert page.locator("#book-preview-problems").count() == 0
    assert "The sentence after the fix." in page.inner_text("article")
    page.close()
    assert preview.process.poll() is None  # the same process all along
