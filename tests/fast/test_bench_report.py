"""``make bench``'s report (``tests/bench.py``): a run of some of its parts
(``--parts``) leaves the other parts' figures in docs/benchmark.md as they were."""

from __future__ import annotations

import bench

OLD = """# Benchmark

Written by `make bench` on an earlier day.

| figure        | value    | target     |
|---------------|----------|------------|
| html_cold_s   | 1.18 s   | ok         |
| html_vs_bare  | 1.34x    | MISSES 1.0 |
| tests_s       | 500.00 s | ok         |

## The long book

the long book's table

## Jupyter Book 1, the same essay

the peer's table
"""


def test_a_run_of_one_part_keeps_the_other_parts_sections_and_adds_its_own_before_the_peer():
    new = bench.merged_report(OLD, None, {bench.MECHANISMS_HEADING: "the mechanisms' table"})
    headings = [line for line in new.splitlines() if line.startswith("## ")]
    assert headings == [
        "## The long book",
        f"## {bench.MECHANISMS_HEADING}",
        "## Jupyter Book 1, the same essay",
    ]
    assert "the long book's table" in new
    assert "the peer's table" in new
    assert "Written by `make bench` on an earlier day." in new
    # run again: the section is replaced, not repeated
    again = bench.merged_report(new, None, {bench.MECHANISMS_HEADING: "new figures"})
    assert again.count(bench.MECHANISMS_HEADING) == 1
    assert "the mechanisms' table" not in again


def test_a_partial_run_replaces_only_its_own_figures_and_marks_every_one_against_the_targets():
    mine = bench.table({"html_cold_s": 9.5})
    rows = {row[0]: row for row in bench.table_rows(bench.merged_report(OLD, mine, {}))[1:]}
    assert rows["html_cold_s"] == [
        "html_cold_s",
        "9.50 s",
        f"MISSES {bench.TARGETS['html_cold_s']}",
    ]
    assert rows["html_vs_bare"][1] == "1.34x"
    assert rows["html_vs_bare"][2] == bench.mark("html_vs_bare", 1.34)
    assert rows["tests_s"][2] == bench.mark("tests_s", 500.0) != "ok"
