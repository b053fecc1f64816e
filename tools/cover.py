"""make cover: the cover, the social card and the favicon, from their SVGs in _static/.

Each SVG names the book in its text: the title's lines (``<text id="title-1">`` and
on), the subtitle (``<text id="subtitle">``, its emphasis in italics),
the authors (``<text id="author">``, in capitals) and its ``<title>``.  These are set
from ``conf.py`` (``project``, ``author`` and ``html_short_title``, which it reads from
CITATION.cff, and the subtitle, from the landing page), the SVG is written back if
they changed, and the PNG beside it is rendered with resvg-py in the book's typeface
(``book_typeface``'s files, and no system font, so every machine renders the same PNG).

    python tools/cover.py cover:800x1280 social:1200x630 favicon:64x64
"""

from __future__ import annotations

import html
import re
import runpy
import sys
import textwrap
from pathlib import Path

import resvg_py

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "_static"
#: The longest line of the title's first part on the cover and the card.
TITLE_LINE = 16


def book() -> dict:
    """conf.py's settings (it reads CITATION.cff)."""
    return runpy.run_path(str(ROOT / "conf.py"))


def title_lines(title: str) -> list[str]:
    """The title as the cover sets it: its first part wrapped, then "in …" on a line of
    its own ("Craving Genuine", "Connection", "in the Digital Age")."""
    lead, found, tail = title.partition(" in ")
    return textwrap.wrap(lead, TITLE_LINE) + ([f"in {tail}"] if found else [])


def element(svg: str, ident: str, tag: str = "text") -> re.Match | None:
    return re.search(rf'(<{tag}\b[^>]*\bid="{ident}"[^>]*>)(.*?)(</{tag}>)', svg, re.S)


def subtitle_markup(markup: str) -> str:
    """The subtitle as the art sets it: its ``*emphasis*`` in italics, as the title page's."""
    pieces = []
    for number, part in enumerate(markup.split("*")):
        words = html.escape(part.strip(), quote=False)
        if not words:
            continue
        lead = " " if part[:1].isspace() else ""
        tail = " " if part[-1:].isspace() else ""
        italic = f'{lead}<tspan font-style="italic">{words}</tspan>{tail}'
        pieces.append(italic if number % 2 else html.escape(part, quote=False))
    return "".join(pieces)


def named(svg: str, name: str, conf: dict) -> str:
    """*svg* with the title, subtitle and authors of conf.py; a layout with another number
    of title lines than the title needs stops with the file's name."""
    replacements = {}
    lines = title_lines(conf["project"])
    slots = sorted(re.findall(r'\bid="title-(\d+)"', svg), key=int)
    if slots:
        if len(slots) != len(lines):
            sys.exit(
                f"_static/{name}.svg: the title takes {len(lines)} lines ({' / '.join(lines)}), "
                f"the art has {len(slots)} (title-1 …): lay the title out anew"
            )
        replacements.update({f"title-{n}": line for n, line in zip(slots, lines, strict=True)})
    if element(svg, "author"):
        replacements["author"] = conf["author"].upper()
    for ident, text in replacements.items():
        found = element(svg, ident)
        svg = svg[: found.start(2)] + html.escape(text, quote=False) + svg[found.end(2) :]
    found = element(svg, "subtitle")
    if found:
        markup = subtitle_markup("".join(conf["_subtitle"][:1]))
        svg = svg[: found.start(2)] + markup + svg[found.end(2) :]
    found = element(svg, "t", "title")
    if found:
        parts = [conf["project"], *([conf["subtitle"]] if conf["subtitle"] else []), conf["author"]]
        label = " — ".join(parts) if " — " in found[2] else conf["html_short_title"]
        svg = svg[: found.start(2)] + html.escape(label, quote=False) + svg[found.end(2) :]
    return svg


def render(svg: str, size: str, conf: dict) -> bytes:
    """The SVG as a PNG of *size* (``800x1280``), in the book's typeface."""
    width, height = (int(n) for n in size.split("x"))
    files = [str(ROOT / f) for f in conf["book_typeface"]["files"].values()]
    family = conf["book_typeface"]["family"]
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg, width=width, height=height, skip_system_fonts=True,
            font_files=files, font_family=family, serif_family=family,
        )
    )  # fmt: skip


def main(art: list[str]) -> None:
    conf = book()
    for item in art:
        name, size = item.split(":")
        source = STATIC / f"{name}.svg"
        before = source.read_text(encoding="utf-8")
        svg = named(before, name, conf)
        if svg != before:
            source.write_text(svg, encoding="utf-8")
            print(f"_static/{name}.svg: title and authors from CITATION.cff")
        (STATIC / f"{name}.png").write_bytes(render(svg, size, conf))
        print(f"_static/{name}.svg -> _static/{name}.png ({size})")


if __name__ == "__main__":
    main(sys.argv[1:])
