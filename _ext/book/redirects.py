"""Pages that moved keep their old address: a small page there forwards to the new one.

``book_redirects`` (in ``conf.py``) names a TOML file of ``"old/docname" = "new/docname"``
lines.  For the web edition, each old address gets a page that sends the reader (and a
search engine, through its canonical link) to the new one; it is left out of the
sitemap and asks not to be indexed.  A line whose new document does not exist gets
a warning (an error under ``-W``, as the Makefile builds); so does one whose old
address is a page again.
"""

from __future__ import annotations

import html
import posixpath
import tomllib
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from .builders import is_website

logger = logging.getLogger(__name__)

PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
<link rel="canonical" href="{canonical}">
<meta http-equiv="refresh" content="0; url={href}">
</head>
<body>
<p>This page has moved to <a href="{href}">{title}</a>.</p>
</body>
</html>
"""


def load(path: Path) -> dict[str, str]:
    with path.open("rb") as file:
        return tomllib.load(file)


def write_redirects(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not is_website(app.builder) or not app.config.book_redirects:
        return
    path = Path(app.srcdir, app.config.book_redirects)
    for old, new in load(path).items():
        where = str(path)
        if new not in app.env.found_docs:
            logger.warning("%s redirects to %s, which is no document", old, new, location=where)
            continue
        if old in app.env.found_docs:
            logger.warning("%s is a document again: drop its redirect", old, location=where)
            continue
        old_uri, new_uri = app.builder.get_target_uri(old), app.builder.get_target_uri(new)
        href = posixpath.relpath(new_uri, posixpath.dirname(old_uri) or ".")
        title = app.env.titles[new].astext()
        page = Path(app.outdir, app.builder.get_outfilename(old))
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            PAGE.format(
                lang=html.escape(app.config.language or "en"),
                title=html.escape(title),
                canonical=html.escape(app.config.html_baseurl + new_uri),
                href=html.escape(href),
            ),
            encoding="utf-8",
        )


def setup(app: Sphinx) -> None:
    app.add_config_value("book_redirects", "", "html", types=frozenset({str}))
    app.connect("build-finished", write_redirects)
