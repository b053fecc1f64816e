"""Give admonitions with an id a LaTeX label, so references to them resolve.

Sphinx's LaTeX writer writes no ``\\label`` for the ids of an admonition, so a
reference to a named box (a FAQ answer, which ``book_dropdowns`` turns into an
admonition carrying the dropdown's ``:name:``) is an undefined reference in the
PDF.  For the LaTeX builder only, this post-transform moves such ids onto a
target just before the box, which the writer turns into a label.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform


class LabelAdmonitions(SphinxPostTransform):
    """Move each admonition's ids onto a target in front of it."""

    builders = ("latex",)
    # after book_dropdowns has turned dropdowns into admonitions (190)
    default_priority = 200

    def run(self, **kwargs: Any) -> None:
        for box in list(self.document.findall(nodes.Admonition)):
            if box["ids"]:
                target = nodes.target("", "", ids=box["ids"])
                box["ids"] = []
                box.parent.insert(box.parent.index(box), target)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_post_transform(LabelAdmonitions)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
