"""Leave the back matter unnumbered in the PDF, as it is on the web.

The root document's toctrees decide which documents are numbered in HTML
(``:numbered:``); LaTeX numbers every section.  This post-transform marks the
point in the single LaTeX document where the numbered documents end and the
unnumbered ones (highlights, FAQ, glossary, about) begin, by switching LaTeX's
section numbering off there.  The sections stay in the contents and bookmarks.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: What the LaTeX document gets at the start of the back matter.
BACKMATTER = r"\setcounter{secnumdepth}{0}"


class UnnumberedBackMatter(SphinxPostTransform):
    """Switch section numbering off before the first unnumbered document."""

    builders = ("latex",)
    default_priority = 400

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


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_post_transform(UnnumberedBackMatter)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
