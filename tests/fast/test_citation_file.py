"""CITATION.cff as conf.py reads it: the book's fields, and clear errors with file and line."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from sphinx.errors import ConfigError

from book.citation import read_cff
from tools import ROOT

BOOK = (ROOT / "CITATION.cff").read_text(encoding="utf-8")


def test_the_book_is_read_from_its_preferred_citation():
    citation = read_cff(ROOT / "CITATION.cff")
    assert citation.title == "Craving Genuine Connection in the Digital Age"
    assert citation.authors == ("Anonymous",)
    assert re.fullmatch(r"\d+\.\d+", citation.version)
    assert isinstance(citation.date, datetime.date)
    assert citation.url.endswith("/")


@pytest.mark.parametrize(
    ("change", "message", "line_of"),
    [
        (('version: "1.0"', "version: 1.0"), "'version' as text (quote it", "  version:"),
        (("date-released: 2026-11-30", "date-released: soon"), "'date-released' as a date",
         "  date-released:"),
        (("  type: book", "  type: article"), "type: book", "  type: article"),
        (("  title: *title", "  title: [unclosed"), "not valid YAML", None),
    ],
)  # fmt: skip
def test_a_broken_citation_file_is_named_with_its_line(tmp_path: Path, change, message, line_of):
    old, new = change
    assert old in BOOK
    text = BOOK.replace(old, new)
    path = tmp_path / "CITATION.cff"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        read_cff(path)
    assert message in str(error.value)
    where = re.match(rf"{re.escape(str(path))}:(\d+): ", str(error.value))
    assert where, str(error.value)
    if line_of is not None:
        expected = next(
            i for i, line in enumerate(text.splitlines(), 1) if line.startswith(line_of)
        )
        assert int(where[1]) == expected


def test_a_missing_citation_file_is_named(tmp_path: Path):
    with pytest.raises(ConfigError, match=r"CITATION\.cff: cannot read"):
        read_cff(tmp_path / "CITATION.cff")
