"""In the PDF, a web address written as plain text breaks at the margin.

TeX breaks lines at spaces and hyphens only, so an address typed as text (not
as a link) ran past the page edge.  For the LaTeX builder, each one becomes a
link, which Sphinx sets with ``\\url``; ``xurl`` (in ``latex/book.sty``) lets
that break after any character.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

URL = re.compile(r"\bhttps?://[^\s<>\"]+[^\s<>\".,;:!?)\]’”]")


class BreakableUrls(SphinxPostTransform):
    default_priority = 400
    formats = ("latex",)

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
                pieces.append(nodes.Text(value[last : match.start()]))
                url = match.group()
                pieces.append(nodes.reference(url, url, refuri=url))
                last = match.end()
            pieces.append(nodes.Text(value[last:]))
            text.parent.replace(text, [p for p in pieces if p.astext()])


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_post_transform(BreakableUrls)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
