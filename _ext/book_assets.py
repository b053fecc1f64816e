"""The web edition's own stylesheet and script, and none it does not use.

``book.css`` and ``book.js`` are registered here, for the HTML builders only
(the EPUB has its own stylesheet), so that they are part of the build and not
of the configuration.  Two files the book never needs are left out of every
page: Pygments' stylesheet (the book shows no code) and sphinx-design's tabs
script (it has no tabs).  EPUB pages link none of the files ``epub_exclude_files``
leaves out of the package, sphinx-design's stylesheet among them (its dropdowns are
plain boxes there, see ``book_dropdowns``).
"""

from __future__ import annotations

import posixpath
from typing import Any

from sphinx.application import Sphinx

#: Builders that write the web edition (not the EPUB, which is also "html").
WEB_BUILDERS = ("html", "dirhtml", "singlehtml")

#: Assets that other extensions add to every page and the book does not use.
UNUSED = ("pygments.css", "design-tabs.js")


def add_assets(app: Sphinx) -> None:
    if app.builder.name not in WEB_BUILDERS:
        return
    # after furo-extensions.css (600), as html_css_files would be
    app.add_css_file("book.css", priority=800)
    app.add_js_file("book.js", priority=800, loading_method="defer")


def drop_unused(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if app.builder.name == "epub":  # what the package leaves out, no page links
        unused = set(app.config.epub_exclude_files)
    else:
        unused = {posixpath.join("_static", name) for name in UNUSED}
    for key in ("css_files", "script_files"):
        assets = context.get(key)
        if assets is not None:
            assets[:] = [a for a in assets if a.filename not in unused]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", add_assets)
    app.connect("html-page-context", drop_unused)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
