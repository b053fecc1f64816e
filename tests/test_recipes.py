"""The README's recipes, replayed on a copy of the book as a maintainer would follow them."""

from __future__ import annotations

import sys

import pytest

from tools import CHAPTERS, LOCAL_ENV, ROOT, add_chapter, copy_source, run, sphinx_build

NEW = """(a-new-chapter)=

# A New Chapter

A chapter this edition adds between two others, long enough to be read as one: it says
what a reader would expect a short chapter of this essay to say.
"""


@pytest.mark.slow
def test_adding_a_chapter_between_8_and_9_is_one_file_and_one_line(tmp_path):
    src = copy_source(tmp_path / "src")
    add_chapter(src, "a-new-chapter", NEW, after=CHAPTERS[7])
    out = tmp_path / "html"
    sphinx_build("html", out, src, env=LOCAL_ENV)

    page = (out / "chapters" / "a-new-chapter.html").read_text(encoding="utf-8")
    assert '<span class="section-number">9. </span>A New Chapter' in page
    assert f'href="{CHAPTERS[7]}.html"' in page.split('class="related-pages"')[1]
    assert f'href="{CHAPTERS[8]}.html"' in page.split('class="related-pages"')[1]
    assert "Seventeen brief chapters" in (out / "index.html").read_text(encoding="utf-8")
    # no other chapter moved: every published address still holds its page
    for chapter in CHAPTERS:
        assert "moved to" not in (out / "chapters" / f"{chapter}.html").read_text("utf-8")
    assert (src / "redirects.toml").read_text() == (ROOT / "redirects.toml").read_text()

    # and the content suite, run on the copy, still passes: every sentence, every link
    suite = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "not pdf"]
    result = run([*suite, "tests/test_content.py", "tests/test_html.py"], cwd=src, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
