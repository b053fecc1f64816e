"""Ship only the sphinx-design rules the web edition's pages use.

sphinx-design's stylesheet (55 KB) styles every component it offers; the book
uses a handful (dropdowns, cards, buttons, a grid, octicons).  When the build
is done, the copy in ``_static`` is cut down to the rules whose selectors name
only classes that occur in the pages written, so the landing page stays light.
Rules that name no class (custom properties, element rules) and other at-rules
(keyframes) stay; ``@media`` and ``@supports`` blocks are cut in the same way.
The stylesheet is parsed with tinycss2; the cut is deterministic, and made again
from the full file on every build.  Should sphinx-design write its stylesheet under
another name, the build says so (a warning) rather than ship it whole unnoticed.

The classes are recorded as each page is written, from the HTML Sphinx renders
for it (its body and its contents; the theme's own markup uses none of the
stylesheet's classes), one small record per page beside the doctrees: in a
parallel build each writing process leaves its pages' records.  A rebuild reads
the records of the pages it did not write instead of the pages, so the cut costs
the same on a no-op rebuild whatever the book's size, and never pages x page size;
when the stylesheet and the classes are those of the last build, so is the cut,
kept beside the records.
A page written some other way (a forwarding page of ``redirects``) is read whole.
What they save (``make bench``, 2026-12-07): the cut takes 47 KB (21 %, 6 KB gzipped) off
the landing page, and its records 15 s off a one-chapter edit of the x40 book (4.6 s
against 20 s).
"""

from __future__ import annotations

import hashlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import tinycss2
from sphinx.application import Sphinx
from sphinx.util import logging

from .builders import is_web_page

logger = logging.getLogger(__name__)

STYLESHEET = "sphinx-design.min.css"
#: At-rules whose blocks hold rules, cut like the top level.
NESTING = ("media", "supports")


class ClassCollector(HTMLParser):
    """Every class named in a page's ``class`` attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.classes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "class" and value:
                self.classes.update(value.split())


def selectors(prelude: list) -> list[list]:
    """A rule's selector list, split at its top-level commas."""
    parts: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


def classes_named(tokens: list) -> set[str]:
    """The classes a selector names, inside ``:is(...)`` and the like too."""
    found: set[str] = set()
    for previous, token in zip([None, *tokens], tokens, strict=False):
        if token.type == "ident" and previous is not None and previous.type == "literal":
            if previous.value == ".":
                found.add(token.value)
        elif token.type == "function":
            found |= classes_named(token.arguments)
    return found


def subset_rules(rules: list, used: set[str]) -> str:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            matching = [
                tinycss2.serialize(s).strip()
                for s in selectors(rule.prelude)
                if classes_named(s) <= used
            ]
            if matching:
                kept.append(f"{','.join(matching)}{{{tinycss2.serialize(rule.content)}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in NESTING:
            inner = subset_rules(tinycss2.parse_rule_list(rule.content), used)
            if inner:
                prelude = tinycss2.serialize(rule.prelude).strip()
                kept.append(f"@{rule.at_keyword} {prelude}{{{inner}}}")
        elif rule.type == "at-rule":
            kept.append(tinycss2.serialize([rule]))
    return "".join(kept)


def subset(css: str, used: set[str]) -> str:
    """The rules of *css* whose selectors name only classes in *used* (a minified
    stylesheet with every class used comes back unchanged)."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return subset_rules(rules, used) + ("\n" if css.endswith("\n") else "")


def classes_in(outdir: Path) -> set[str]:
    """Every class in every page under *outdir*, read from the pages (the tests' check)."""
    collector = ClassCollector()
    for page in sorted(outdir.rglob("*.html")):
        collector.feed(page.read_text(encoding="utf-8"))
    return collector.classes


def records(app: Sphinx) -> Path:
    """Where this output folder's pages leave their classes (one folder per output:
    ``make html`` and ``make dist`` share their doctrees)."""
    outdir = hashlib.sha256(str(Path(app.outdir).resolve()).encode()).hexdigest()[:16]
    return Path(app.doctreedir, "book-css-classes", f"{app.builder.name}-{outdir}")


def record_classes(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """The classes of the page being written, from what Sphinx rendered for it."""
    if not is_web_page(app.builder):
        return
    collector = ClassCollector()
    for part in ("body", "toc"):
        collector.feed(context.get(part) or "")
    folder = records(app)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / quote(pagename, safe="")).write_text(" ".join(sorted(collector.classes)))


def classes_used(app: Sphinx) -> set[str]:
    """The classes of every page in the output: from the records, or the page itself."""
    outdir, used = Path(app.outdir), set()
    recorded = set()
    folder = records(app)
    for record in folder.iterdir() if folder.is_dir() else ():
        page = Path(app.builder.get_outfilename(unquote(record.name)))
        if not page.exists():  # a page deleted since (outputs.py)
            record.unlink()
            continue
        recorded.add(page.resolve())
        used.update(record.read_text().split())
    collector = ClassCollector()
    for page in outdir.rglob("*.html"):
        if page.resolve() not in recorded:
            collector.feed(page.read_text(encoding="utf-8"))
    return used | collector.classes


def cut_stylesheet(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not is_web_page(app.builder):
        return
    path = Path(app.builder.outdir, "_static", STYLESHEET)
    if not path.exists():
        import sphinx_design

        logger.warning(
            "_ext/book/css_subset.py: sphinx-design %s wrote no _static/%s into %s: check "
            "STYLESHEET there against the stylesheet sphinx-design's pages link now",
            sphinx_design.__version__, STYLESHEET, app.builder.outdir,
            type="book", subtype="css_subset",
        )  # fmt: skip
        return
    css = path.read_text(encoding="utf-8")
    used = classes_used(app)
    # the same stylesheet and classes as last time (a no-op rebuild): the same cut
    key = hashlib.sha256("\n".join([css, *sorted(used)]).encode()).hexdigest()
    last = records(app).parent / f"{records(app).name}.cut"
    if last.is_file() and last.read_text(encoding="utf-8").startswith(f"{key}\n"):
        cut = last.read_text(encoding="utf-8").removeprefix(f"{key}\n")
    else:
        cut = subset(css, used)
        last.parent.mkdir(parents=True, exist_ok=True)
        last.write_text(f"{key}\n{cut}", encoding="utf-8")
    path.write_text(cut, encoding="utf-8")
    logger.verbose("[book] %s: %d of %d bytes kept", STYLESHEET, len(cut), len(css))


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", record_classes)
    app.connect("build-finished", cut_stylesheet)
