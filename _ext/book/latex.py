"""The PDF edition's doctree changes (its LaTeX is in ``latex/book.sty``).

* **Unnumbered back matter.** The root document's toctrees decide which documents
  are numbered in HTML (``:numbered:``); LaTeX numbers every section.  Section
  numbering is switched off where the numbered documents end and the unnumbered
  ones (highlights, FAQ, glossary, about) begin.  They stay in the contents.
* **Labels for named boxes.** Sphinx's LaTeX writer writes no ``\\label`` for an
  admonition's ids, so a reference to a named box (a FAQ answer, which
  ``dropdowns`` turns into an admonition carrying the dropdown's ``:name:``) would
  be undefined.  The ids move onto a target just before the box.
* **Small print.**  The pages ``book_small_print`` (in ``conf.py``) names, the About
  page, are set as ``book.sty``'s ``BookSmallPrint``: small type, their sections'
  headings run in, so the edition's notes take the room of a colophon, not of chapters
  (issue 23).  The page's heading stays as every page's.
* **Breakable web addresses.** TeX breaks lines at spaces and hyphens only, so an
  address typed as text ran past the page edge.  Each one becomes a link, which
  Sphinx sets with ``\\url``; ``book.sty`` lets it break after its own separators
  (``/``, ``.``, ``-`` and the like) only.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from . import order
from .builders import is_latex

logger = logging.getLogger(__name__)

#: What the LaTeX document gets at the start of the back matter.
BACKMATTER = r"\setcounter{secnumdepth}{0}"
#: What opens and closes a page ``book_small_print`` names.
SMALL_PRINT = (r"\begin{BookSmallPrint}", r"\end{BookSmallPrint}")
URL = re.compile(r"\bhttps?://[^\s<>\"]+[^\s<>\".,;:!?)\]’”]")


class UnnumberedBackMatter(SphinxPostTransform):
    """Switch section numbering off before the first unnumbered document."""

    default_priority = order.ANY_TIME

    def run(self, **kwargs: Any) -> None:
        root = self.env.get_doctree(self.config.root_doc)
        numbered, unnumbered = set(), set()
        for toctree in root.findall(addnodes.toctree):
            docnames = {docname for _title, docname in toctree["entries"]}
            (numbered if toctree.get("numbered") else unnumbered).update(docnames)
        if not numbered:
            return
        seen_numbered = False
        for start in self.document.findall(addnodes.start_of_file):
            docname = start["docname"]
            seen_numbered = seen_numbered or docname in numbered
            if seen_numbered and docname in unnumbered:
                start.parent.insert(
                    start.parent.index(start), nodes.raw("", BACKMATTER, format="latex")
                )
                logger.debug("back matter starts at %s", docname)
                return


class LabelAdmonitions(SphinxPostTransform):
    """Move each admonition's ids onto a target in front of it."""

    default_priority = order.LATEX_LABELS

    def run(self, **kwargs: Any) -> None:
        for box in list(self.document.findall(nodes.Admonition)):
            if box["ids"]:
                target = nodes.target("", "", ids=box["ids"])
                box["ids"] = []
                box.parent.insert(box.parent.index(box), target)


class SmallPrint(SphinxPostTransform):
    """Set each page ``book_small_print`` names, below its heading, as small print."""

    default_priority = order.ANY_TIME

    def run(self, **kwargs: Any) -> None:
        pages = set(self.config.book_small_print)
        for start in self.document.findall(addnodes.start_of_file):
            section = start.next_node(nodes.section)
            if start["docname"] not in pages or section is None:
                continue
            heading = section.first_child_matching_class(nodes.title)
            below = 0 if heading is None else heading + 1
            section.insert(below, nodes.raw("", SMALL_PRINT[0], format="latex"))
            start += nodes.raw("", SMALL_PRINT[1], format="latex")


class BreakableUrls(SphinxPostTransform):
    """Make a link of every web address written as plain text."""

    default_priority = order.ANY_TIME

    def run(self, **kwargs: Any) -> None:
        for text in list(self.document.findall(nodes.Text)):
            if isinstance(text.parent, (nodes.reference, nodes.literal, nodes.FixedTextElement)):
                continue
            value = str(text)
            if not URL.search(value):
                continue
            pieces: list[nodes.Node] = []
            last = 0
            for match in URL.finditer(value):
                url = match.group()
                pieces += [
                    nodes.Text(value[last : match.start()]),
                    nodes.reference(url, url, refuri=url),
                ]
                last = match.end()
            pieces.append(nodes.Text(value[last:]))
            text.parent.replace(text, [p for p in pieces if p.astext()])


def add_transforms(app: Sphinx) -> None:
    if is_latex(app.builder):
        for transform in (UnnumberedBackMatter, LabelAdmonitions, SmallPrint, BreakableUrls):
            app.add_post_transform(transform)


def setup(app: Sphinx) -> None:
    app.add_config_value("book_small_print", [], "", types=frozenset({list, tuple}))
    app.connect("builder-inited", add_transforms)
