"""A mistake in the book's settings stops sphinx-build with one line naming it.

``conf.py`` is run by ``sphinx-build``, as ``make`` runs it, in a folder with the book's
settings (``conf.py``, ``CITATION.cff``, the extension and the typeface) and one
mistake; it stops before any page is read, so each case takes a second.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools import ROOT

CFF = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
CONF = (ROOT / "conf.py").read_text(encoding="utf-8")


def sphinx_build(
    folder: Path, cff: str = CFF, *options: str, **environ: str
) -> tuple[int, list[str]]:
    """Run sphinx-build on conf.py in *folder*; its exit status and what it printed."""
    if not (folder / "conf.py").exists():
        folder.mkdir(exist_ok=True)
        shutil.copy(ROOT / "conf.py", folder / "conf.py")
        for linked in ("_ext", "fonts"):
            (folder / linked).symlink_to(ROOT / linked)
    (folder / "CITATION.cff").write_text(cff, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in {"BOOK_BASEURL", "READTHEDOCS"}}
    env.pop("READTHEDOCS_CANONICAL_URL", None)
    result = subprocess.run(
        # --no-color: FORCE_COLOR (as some CI and terminals set it) would colour the lines
        [
            sys.executable,
            "-m",
            "sphinx",
            "--no-color",
            "-b",
            "html",
            "-W",
            *options,
            str(folder),
            str(folder / "out"),
        ],
        env={**env, **environ},
        capture_output=True,
        text=True,
        check=False,
    )
    lines = (result.stdout + result.stderr).splitlines()
    return result.returncode, [x for x in lines if x.strip() and not x.startswith("Running Sphinx")]


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


@pytest.mark.parametrize(
    ("change", "message", "line_starts"),
    [
        ((r'^(  version: )"[^"]*"$', r"\g<1>1.0"),
         "preferred-citation needs 'version' as text (quote it: \"1.0\")", "  version:"),
        ((r"^(  date-released: ).*$", r"\g<1>soon"),
         "preferred-citation needs 'date-released' as a date", "  date-released:"),
        ((r"^(  title: )\*title$", r"\g<1>[unclosed"),
         "not valid YAML: while parsing a flow sequence: expected ',' or ']', but got ':'", None),
    ],
    ids=["float version", "bad date", "bad YAML"],
)  # fmt: skip
def test_a_broken_citation_file_stops_the_build_with_one_line(
    tmp_path, change, message, line_starts
):
    """Issue 21: each printed a 38-line "Configuration error! … Traceback … please open an
    issue at sphinx-doc" around the message."""
    # whatever edition CITATION.cff is at: the line is found by its key
    cff, count = re.subn(*change, CFF, count=1, flags=re.MULTILINE)
    assert count == 1, change
    status, printed = sphinx_build(tmp_path / "book", cff)
    assert status == 2
    assert len(printed) == 1, printed
    where = f"{tmp_path}/book/CITATION.cff:"
    assert printed[0].startswith(where), printed
    assert message in printed[0], printed
    if line_starts:
        assert printed[0].startswith(f"{where}{line_of(cff, line_starts)}: ")


@pytest.mark.parametrize(
    "address",
    [
        "javascript://x/",
        "https://exa mple.org/my book/",
        "https://example.org/book",
        "ftp://x.org/",
    ],
)
def test_a_site_address_that_is_no_web_address_stops_the_build_with_one_line(tmp_path, address):
    """Issue 21: ``javascript://x/`` and an address with spaces were written into the
    About page, the sitemap and robots.txt; one without its ``/`` got a crash report."""
    status, printed = sphinx_build(tmp_path / "book", BOOK_BASEURL=address)
    assert status == 2
    assert printed == [
        f"BOOK_BASEURL={address!r} is no site address: give an http or https one that ends "
        "in /, its spaces and other characters encoded, like https://example.org/my%20book/"
    ]


def test_a_bad_source_date_epoch_stops_sphinx_build_with_one_line(tmp_path):
    status, printed = sphinx_build(tmp_path / "book", SOURCE_DATE_EPOCH="yesterday")
    assert status == 2
    assert len(printed) == 1, printed
    assert re.match(r"SOURCE_DATE_EPOCH='yesterday' is not", printed[0])


def test_an_encoded_site_address_is_accepted(tmp_path):
    """It gets past the settings: the build goes on to read this folder (which has no pages)."""
    _, printed = sphinx_build(tmp_path / "book", BOOK_BASEURL="https://example.org/my%20book/")
    assert not [line for line in printed if "no site address" in line]
    assert [line for line in printed if line.startswith("updating environment")], printed


def test_a_missing_typeface_file_stops_the_build_with_one_line(tmp_path):
    """Issue 21: a ConfigError from the book's extension (its check of ``book_typeface``)
    still printed the crash report."""
    folder = tmp_path / "book"
    sphinx_build(folder)
    (folder / "fonts").unlink()
    status, printed = sphinx_build(folder)
    assert status == 2
    regular = next(line for line in CONF.splitlines() if '"regular":' in line)
    assert printed[-1] == (
        f"book_typeface: the regular file {regular.split(chr(34))[3]} does not exist"
    )
    assert [line for line in printed if "Traceback" in line or "Configuration error" in line] == []


def test_a_reading_speed_that_is_no_whole_number_stops_the_build_with_one_line(tmp_path):
    status, printed = sphinx_build(tmp_path / "book", CFF, "-D", "book_words_per_minute=0")
    assert status == 2
    assert printed[-1] == "book_words_per_minute must be a positive whole number, not 0"
    assert [line for line in printed if "Traceback" in line or "Configuration error" in line] == []
