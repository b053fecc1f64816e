"""The table of the book extension's modules, kept in README.md alone."""

from __future__ import annotations

import re

import book
from tools import ROOT


def test_the_readmes_module_table_lists_every_module_of_the_pipeline_in_its_order():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)` \| [^|]+ \| [^|]+ \|$", readme, flags=re.MULTILINE)
    assert rows == [module.__name__.rsplit(".", 1)[-1] for module in book.PIPELINE]
