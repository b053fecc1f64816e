"""EPUB and PDF: sphinx-design dropdowns become always-open titled boxes.

LaTeX has no ``<details>`` element and EPUB readers handle it poorly, so for
those builders each dropdown becomes an admonition whose title is the
dropdown's title and whose body is always visible.  The dropdown's ``:name:``
target moves onto the admonition, so references to it keep resolving.  The
octicon SVGs that sphinx-design writes inline are dropped there too: EPUB
validators reject them and LaTeX cannot show them.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx_design.icons import sd_icon
from sphinx_design.shared import is_component

from . import order
from .builders import is_epub, is_latex

logger = logging.getLogger(__name__)


class DropdownsAsBoxes(SphinxPostTransform):
    """Turn dropdown containers into titled admonitions."""

    default_priority = order.DROPDOWNS_AS_BOXES

    def run(self, **kwargs: Any) -> None:
        for icon in list(self.document.findall(sd_icon)):
            parent = icon.parent
            index = parent.index(icon)
            parent.remove(icon)
            if index < len(parent) and isinstance(parent[index], nodes.Text):
                parent[index] = nodes.Text(parent[index].astext().lstrip())

        for dropdown in list(self.document.findall(lambda n: is_component(n, "dropdown"))):
            classes = ["book-faq", *dropdown.get("container_classes", [])]
            box = nodes.admonition(classes=list(dict.fromkeys(classes)))
            box.source, box.line = dropdown.source, dropdown.line
            body = list(dropdown.children)
            if dropdown.get("has_title"):
                rubric = body.pop(0)
                box["ids"].extend(rubric["ids"])
                box += nodes.title("", "", *rubric.children)
            else:
                logger.warning("dropdown without a title", location=dropdown)
            box["ids"].extend(dropdown["ids"])
            box.extend(body)
            dropdown.replace_self(box)


def add_transform(app: Sphinx) -> None:
    if is_epub(app.builder) or is_latex(app.builder):
        app.add_post_transform(DropdownsAsBoxes)


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", add_transform)
