"""What search engines and link previews need beyond sphinxext-opengraph and sphinx-sitemap.

* ``robots.txt`` at the root of the web edition, pointing at the sitemap
  under ``html_baseurl`` (so it names the same address as the canonical links);
* the book's description (``description`` in ``conf.py``) as the landing page's
  description, and on the pages opengraph skips because they have no text of
  their own (general index, search, 404);
* ``noindex`` and no canonical link on the 404 page;
* a sitemap for the web edition only (not in the EPUB's or the one-page edition's folder).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ConfigError
from sphinx.util import logging

logger = logging.getLogger(__name__)

WEB_BUILDERS = ("html", "dirhtml")


def robots_txt(baseurl: str, sitemap: str) -> str:
    if "://" not in baseurl:
        raise ConfigError(f"html_baseurl must be an absolute URL, not {baseurl!r}")
    return f"User-agent: *\nAllow: /\n\nSitemap: {baseurl.rstrip('/')}/{sitemap}\n"


def describe_the_book(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """The landing page is described by the book's description, not by its first lines."""
    if app.builder.name not in WEB_BUILDERS or pagename != app.config.root_doc:
        return
    description = app.config.description
    context["meta"] = {**(context.get("meta") or {}), "og:description": description}
    escaped = html.escape(description, quote=True)
    context["metatags"] = context.get("metatags", "") + (
        f'<meta name="description" content="{escaped}">\n'
    )


def add_missing_meta(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if app.builder.name not in WEB_BUILDERS:
        return
    metatags = context.get("metatags", "")
    if 'name="description"' not in metatags:
        description = html.escape(app.config.description, quote=True)
        metatags += f'<meta name="description" content="{description}">\n'
    if pagename == app.config.notfound_pagename:
        metatags += '<meta name="robots" content="noindex">\n'
        context["pageurl"] = None
    context["metatags"] = metatags


def sitemap_for_the_web_edition_only(app: Sphinx) -> None:
    """Keep sphinx-sitemap out of the EPUB's and the one-page edition's folders."""
    if app.builder.name in WEB_BUILDERS:
        return
    for event in ("html-page-context", "build-finished"):
        for listener in list(app.events.listeners.get(event, [])):
            if listener.handler.__module__ == "sphinx_sitemap":
                app.disconnect(listener.id)


def write_robots(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name not in WEB_BUILDERS:
        return
    text = robots_txt(app.config.html_baseurl, app.config.sitemap_filename)
    (Path(app.outdir) / "robots.txt").write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxext.opengraph")
    app.setup_extension("sphinx_sitemap")
    app.setup_extension("notfound.extension")
    app.add_config_value("description", "", "html", types=frozenset({str}))
    # before opengraph (500), which keeps a description it finds
    app.connect("html-page-context", describe_the_book, priority=400)
    # after opengraph, which adds a description wherever the page has text
    app.connect("html-page-context", add_missing_meta, priority=600)
    app.connect("builder-inited", sitemap_for_the_web_edition_only)
    app.connect("build-finished", write_robots)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
