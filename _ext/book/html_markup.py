"""Valid, accessible HTML where Sphinx's and sphinx-design's defaults fall short.

* Sphinx renders a toctree's caption as ``<p role="heading">`` with no
  ``aria-level``, which ARIA requires (axe's ``aria-required-attr`` and the Nu
  Html Checker both report it, in the page's contents and in furo's sidebar).
  The captions sit under the page title, so they become level-2 headings.
* A target just before a dropdown (an ``{index}`` entry, say) adds a second id
  to the dropdown, and docutils writes extra ids as empty ``<span>`` elements
  after the start tag: inside ``<details>`` that puts a ``<span>`` before the
  ``<summary>``, which must come first.  The extra ids move onto the summary.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx_design.dropdown import dropdown_main, dropdown_title

from . import order
from .builders import writes_html


class CaptionLevels:
    """A translator mixin that gives toctree captions a heading level."""

    def visit_title(self, node: nodes.title) -> None:
        parent = node.parent
        if isinstance(parent, addnodes.compact_paragraph) and parent.get("toctree"):
            attributes = {"CLASS": "caption", "ROLE": "heading", "aria-level": "2"}
            self.body.append(self.starttag(node, "p", "", **attributes))
            self.body.append('<span class="caption-text">')
            self.context.append("</span></p>\n")
        else:
            super().visit_title(node)


def add_caption_levels(app: Sphinx) -> None:
    """Wrap whichever translator the builder would use (another extension's, too)."""
    if not writes_html(app.builder):
        return
    base = app.builder.get_translator_class()
    translator = type(f"CaptionLevels{base.__name__}", (CaptionLevels, base), {})
    app.set_translator(app.builder.name, translator, override=True)


class OneIdPerDetails(SphinxPostTransform):
    """Keep a dropdown's first id on ``<details>`` and move the rest to ``<summary>``."""

    default_priority = order.ONE_ID_PER_DETAILS
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for details in self.document.findall(dropdown_main):
            if len(details["ids"]) > 1 and isinstance(details[0], dropdown_title):
                details[0]["ids"][:0] = details["ids"][1:]
                del details["ids"][1:]


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", add_caption_levels, priority=order.CAPTION_LEVELS)
    app.add_post_transform(OneIdPerDetails)
