"""The cover, the social card and the favicon name the book as CITATION.cff does.

`make cover` (tools/cover.py) sets the SVGs' title and authors from conf.py, which reads
CITATION.cff, and renders each PNG with resvg-py in the book's typeface.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import cover
import pytest

from book.citation import read_cff
from tools import ROOT

CITED = read_cff(ROOT / "CITATION.cff")
#: The art `make cover` renders: ``{name: "WIDTHxHEIGHT"}``, from the Makefile.
ART = dict(
    item.split(":")
    for item in re.search(r"^ART\s*=\s*(.+)$", (ROOT / "Makefile").read_text(), re.M)[1].split()
)


@pytest.fixture(scope="module")
def conf() -> dict:
    return cover.book()


def text_of(svg: str, ident: str) -> str:
    found = ET.fromstring(svg).find(f".//*[@id='{ident}']")
    return "".join(found.itertext())


@pytest.mark.parametrize("name", ["cover", "social"])
def test_the_art_gives_the_title_and_authors_of_citation_cff(name):
    svg = (ROOT / "_static" / f"{name}.svg").read_text(encoding="utf-8")
    lines = [text_of(svg, f"title-{n}") for n in range(1, 4)]
    assert " ".join(lines) == CITED.title
    assert text_of(svg, "author") == CITED.author.upper()
    label = text_of(svg, "t")
    assert label.startswith(f"{CITED.title} — ")
    assert label.endswith(f" — {CITED.author}")


@pytest.mark.parametrize("name", ART)
def test_each_png_is_its_svg_as_make_cover_renders_it(name, conf):
    svg = (ROOT / "_static" / f"{name}.svg").read_text(encoding="utf-8")
    assert cover.named(svg, name, conf) == svg, f"run make cover: _static/{name}.svg is stale"
    png = (ROOT / "_static" / f"{name}.png").read_bytes()
    assert png == cover.render(svg, ART[name], conf), f"run make cover: _static/{name}.png"


def test_named_authors_go_on_the_cover_in_capitals(conf):
    svg = (ROOT / "_static" / "cover.svg").read_text(encoding="utf-8")
    named = cover.named(svg, "cover", {**conf, "author": "Jane Q. Doe and John Smith"})
    assert text_of(named, "author") == "JANE Q. DOE AND JOHN SMITH"
    assert text_of(named, "t").endswith(" — Jane Q. Doe and John Smith")


def test_a_title_the_layout_cannot_hold_is_named_with_the_file(conf):
    svg = (ROOT / "_static" / "cover.svg").read_text(encoding="utf-8")
    longer = {**conf, "project": "A Much Longer Title About Craving Genuine Connection in Time"}
    with pytest.raises(SystemExit, match=r"^_static/cover\.svg: the title takes 5 lines"):
        cover.named(svg, "cover", longer)


def test_the_art_gives_the_landing_pages_subtitle_with_its_emphasis_in_italics(conf):
    svg = (ROOT / "_static" / "cover.svg").read_text(encoding="utf-8")
    markup = "Another *Subtitle* & More"
    named = cover.named(
        svg, "cover", {**conf, "_subtitle": [markup], "subtitle": "Another Subtitle & More"}
    )
    subtitle = ET.fromstring(named).find(".//*[@id='subtitle']")
    assert "".join(subtitle.itertext()) == "Another Subtitle & More"
    assert [t.text for t in subtitle.iter() if t.get("font-style") == "italic"] == ["Subtitle"]
    assert " — Another Subtitle & More — " in text_of(named, "t")
