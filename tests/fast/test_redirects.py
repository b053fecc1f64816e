"""redirects.toml on a copy of the small book: forwarding pages stay inside the output
folder, go when their line goes, and a wrong line is named with its line number."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from smallbook import SMALL_BOOK
from tools import build_in_process, tree_digest


@pytest.fixture
def src(tmp_path) -> Path:
    return Path(shutil.copytree(SMALL_BOOK, tmp_path / "src"))


def add_line(src: Path, line: str) -> int:
    """Append a line to redirects.toml; its line number."""
    path = src / "redirects.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, line, ""]), encoding="utf-8")
    return len(lines) + 1


@pytest.mark.parametrize(
    "old",
    ["../../../escaped", "{tmp}/escaped", "chapters/../../escaped", "chapters\\escaped"],
    ids=["up three folders", "absolute", "up from inside", "backslash"],
)
def test_a_redirect_never_writes_outside_the_output_folder(src, tmp_path, old):
    """Issue 21, case 9: ``"../../../escaped" = "chapters/amy"`` wrote escaped.html
    three levels above _build/html, with exit status 0."""
    old = old.format(tmp=tmp_path)  # an absolute path, in this test's own folder
    before = set(tmp_path.parent.rglob("*escaped*"))
    line = add_line(src, f'"{old}" = "chapters/01-first"'.replace("\\", "\\\\"))
    build = build_in_process(src)
    assert build.status != 0
    assert build.warnings == [
        f"{src}/redirects.toml:{line}: WARNING: {old!r} is no address in the book: give a "
        "document name such as chapters/old-name"
    ]
    assert set(tmp_path.parent.rglob("*escaped*")) == before
    assert not list((src / "_build").rglob("*escaped*"))


def test_a_redirect_never_replaces_a_page_the_build_writes(src):
    line = add_line(src, '"search" = "chapters/01-first"')
    build = build_in_process(src)
    assert build.status != 0
    assert [w for w in build.warnings if f"redirects.toml:{line}:" in w], build.warnings
    assert "This page has moved" not in (src / "_build/html/search.html").read_text("utf-8")


def test_a_forwarding_page_goes_when_its_line_goes(src, tmp_path):
    """Issue 21, case 3: a forwarding page outlived its line in redirects.toml."""
    assert build_in_process(src).status == 0
    html = src / "_build" / "html"
    assert (html / "chapters" / "00-first.html").is_file()
    (src / "redirects.toml").write_text("", encoding="utf-8")
    again = build_in_process(src)
    assert (again.status, again.warnings) == (0, [])
    assert not (html / "chapters" / "00-first.html").exists()

    clean = Path(shutil.copytree(src, tmp_path / "clean", ignore=shutil.ignore_patterns("_build")))
    assert build_in_process(clean).status == 0
    assert sorted(tree_digest(html)) == sorted(tree_digest(clean / "_build" / "html"))


def test_a_forwarding_page_is_written_again_when_its_line_comes_back(src):
    assert build_in_process(src).status == 0
    text = (src / "redirects.toml").read_text(encoding="utf-8")
    (src / "redirects.toml").write_text("", encoding="utf-8")
    assert build_in_process(src).status == 0
    (src / "redirects.toml").write_text(text, encoding="utf-8")
    again = build_in_process(src)
    assert (again.status, again.warnings) == (0, [])
    assert (src / "_build" / "html" / "chapters" / "00-first.html").is_file()


def test_a_redirects_file_that_is_not_toml_is_named_with_its_line(src):
    line = add_line(src, '"chapters/old" = chapters/01-first')
    build = build_in_process(src)
    assert build.status != 0
    assert len(build.warnings) == 1
    assert build.warnings[0].startswith(f"{src}/redirects.toml:{line}: WARNING: not valid TOML")


def test_a_page_renamed_twice_forwards_its_oldest_address_straight_to_the_newest(src):
    """The README's rename recipe, twice: the older line needs no edit."""
    (src / "chapters" / "01-first.md").rename(src / "chapters" / "01-opening.md")
    add_line(src, '"chapters/01-first" = "chapters/01-opening"')
    build = build_in_process(src)
    assert (build.status, build.warnings) == (0, [])
    html = src / "_build" / "html" / "chapters"
    for old in ("00-first", "01-first"):
        page = (html / f"{old}.html").read_text(encoding="utf-8")
        assert 'url=01-opening.html"' in page, old
        # the paragraph a link names (#p-first-2) is where the reader arrives
        assert '<script>location.replace("01-opening.html" + location.hash)</script>' in page
