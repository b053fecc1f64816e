"""CITATION.cff as conf.py reads it: the book's fields, and clear errors with file and line."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import yaml
from sphinx.errors import ConfigError

from book.citation import read_cff
from tools import ROOT

BOOK = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
#: The book as CITATION.cff writes it, read with PyYAML alone.
CITED = yaml.safe_load(BOOK)["preferred-citation"]


def line_of(key: str) -> str:
    """The line of the book's entry that gives *key*, as it is written: ``  version: "1.0"``."""
    (line,) = [line for line in BOOK.splitlines() if line.startswith(f"  {key}:")]
    return line


def test_the_book_is_read_from_its_preferred_citation():
    citation = read_cff(ROOT / "CITATION.cff")
    assert citation.title == CITED["title"]
    assert [str(a) for a in citation.authors] == [
        a.get("name") or " ".join(filter(None, [a.get("given-names"), a.get("family-names")]))
        for a in CITED["authors"]
    ]
    assert citation.version == CITED["version"]
    assert citation.date == CITED["date-released"]
    assert isinstance(citation.date, datetime.date)
    assert citation.url.endswith("/")


@pytest.mark.parametrize(
    ("key", "new", "message"),
    [
        ("version", "version: 1.0", "'version' as text (quote it"),
        ("date-released", "date-released: soon", "'date-released' as a date"),
        ("type", "type: article", "type: book"),
        ("title", "title: [unclosed", "not valid YAML"),
    ],
)
def test_a_broken_citation_file_is_named_with_its_line(tmp_path: Path, key, new, message):
    old = line_of(key)
    text = BOOK.replace(old, f"  {new}")
    path = tmp_path / "CITATION.cff"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        read_cff(path)
    assert message in str(error.value)
    where = re.match(rf"{re.escape(str(path))}:(\d+): ", str(error.value))
    assert where, str(error.value)
    if key != "title":  # YAML's own error names where the parser stopped
        expected = text.splitlines().index(f"  {new}") + 1
        assert int(where[1]) == expected


def test_an_author_without_a_name_is_named_with_its_line(tmp_path: Path):
    path = tmp_path / "CITATION.cff"
    text = "\n".join(
        [
            "cff-version: 1.2.0",
            "message: Cite it.",
            "title: A Book",
            "authors: [{name: A}]",
            "preferred-citation:",
            "  type: book",
            "  title: A Book",
            "  authors:",
            "    - family-names: Doe",
            "      given-names: Jane Q.",
            "    - affiliation: Nowhere",
            '  version: "2.0"',
            "  date-released: 2027-01-02",
            "  publisher: {name: P}",
            "  languages: [en]",
            "  abstract: A.",
            "  keywords: [k]",
            "  url: https://example.org/book/",
        ]
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        read_cff(path)
    assert str(error.value).startswith(f"{path}:11: each author needs 'family-names'")


def test_a_missing_citation_file_is_named(tmp_path: Path):
    with pytest.raises(ConfigError, match=r"CITATION\.cff: cannot read"):
        read_cff(tmp_path / "CITATION.cff")
