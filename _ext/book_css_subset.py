"""Ship only the sphinx-design rules the web edition's pages use.

sphinx-design's stylesheet (55 KB) styles every component it offers; the book
uses a handful (dropdowns, cards, buttons, a grid, octicons).  When the build
is done, the copy in ``_static`` is cut down to the rules whose selectors name
only classes that occur in the pages written, so the landing page stays light.
Rules that name no class (custom properties, element rules) and keyframes stay.
The cut is deterministic, and made again from the full file on every build.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

STYLESHEET = "sphinx-design.min.css"
#: Builders that write the web edition and link sphinx-design's stylesheet.
WEB_BUILDERS = ("html", "dirhtml", "singlehtml")
CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")


class ClassCollector(HTMLParser):
    """Every class named in a page's ``class`` attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.classes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "class" and value:
                self.classes.update(value.split())


def blocks(css: str) -> Iterator[tuple[str, str]]:
    """The top-level ``prelude { body }`` blocks of a stylesheet without comments."""
    depth, start, prelude = 0, 0, ""
    for index, char in enumerate(css):
        if char == "{":
            if depth == 0:
                prelude, start = css[start:index].strip(), index + 1
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                yield prelude, css[start:index]
                start = index + 1


def selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside ``:is(...)``)."""
    parts, depth, current = [], 0, ""
    for char in prelude:
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def subset(css: str, used: set[str]) -> str:
    """The rules of *css* whose selectors name only classes in *used*."""
    kept = []
    for prelude, body in blocks(css):
        if prelude.startswith("@media") or prelude.startswith("@supports"):
            inner = subset(body, used)
            if inner:
                kept.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            kept.append(f"{prelude}{{{body}}}")
        else:
            matching = [s for s in selectors(prelude) if set(CLASS.findall(s)) <= used]
            if matching:
                kept.append(f"{','.join(matching)}{{{body}}}")
    return "".join(kept)


def classes_in(outdir: Path) -> set[str]:
    collector = ClassCollector()
    for page in sorted(outdir.rglob("*.html")):
        collector.feed(page.read_text(encoding="utf-8"))
    return collector.classes


def cut_stylesheet(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name not in WEB_BUILDERS:
        return
    path = Path(app.builder.outdir, "_static", STYLESHEET)
    if not path.exists():
        return
    css = path.read_text(encoding="utf-8")
    cut = subset(css, classes_in(Path(app.builder.outdir)))
    path.write_text(cut, encoding="utf-8")
    logger.info("[book] %s: %d of %d bytes kept", STYLESHEET, len(cut), len(css))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", cut_stylesheet)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
