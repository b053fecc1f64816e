"""The web edition: what search engines and link previews need, and lean pages.

* ``sitemap.xml``: every page of the essay under ``html_baseurl`` (not the index,
  search and 404 pages), written from the environment on every build.  It replaces
  sphinx-sitemap, whose sitemap lists only the pages written by the last run, so an
  incremental build published a sitemap of 2 pages out of 21
  (jdillard/sphinx-sitemap#13, open since 2019).  This can go, with a return to
  sphinx-sitemap, once that issue is fixed and the tests' incremental-build case
  passes with it;
* ``robots.txt`` at the root of the web edition, pointing at the sitemap
  under ``html_baseurl`` (so it names the same address as the canonical links);
* the book's description (``description`` in ``conf.py``) as the landing page's
  description, and on the pages opengraph skips because they have no text of
  their own (general index, search, 404);
* ``noindex`` and no canonical link on the 404 page;
* the search page names the pages that are apparatus, not essay (those
  ``book_essay_docs`` leaves out), for the search's scorer to rank below the essay's
  (``search-scorer.js``, ``html_search_scorer``);
* the search lists each page once: Sphinx's searchtools.js keeps a result per anchor,
  so a word in a page's index entries or a box's title ("Chapter > Highlight") listed
  that page again, without a snippet (sphinx-doc/sphinx#11961 merged only a page's
  title with its text).  The pages the search indexes keep neither: the index nodes
  are dropped once references are resolved (the general index is the environment's,
  and their anchors stay for it to link), and a box's title, a label like "Highlight",
  is marked ``no-search`` (Sphinx's class for what the search leaves out).  A
  section's title still finds its section, with its own snippet.

These are for the web edition only, not in the EPUB's or the one-page edition's folder.
Every HTML page, the EPUB's too, links only the assets it uses: not Pygments'
stylesheet (the book shows no code) nor sphinx-design's tabs script (it has no tabs),
and in the EPUB none of the files ``epub_exclude_files`` leaves out of the package.
Each asset is known by the address its tag gives, as the page's own ``css_tag`` and
``js_tag`` render it (the objects in ``css_files`` are Sphinx's private classes).
"""

from __future__ import annotations

import html
import posixpath
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

from . import order
from .builders import is_epub, is_web_page, is_website, writes_html
from .paragraphs import is_essay_page

logger = logging.getLogger(__name__)

SITEMAP = "sitemap.xml"
#: Assets that other extensions add to every page and the book does not use.
UNUSED = ("pygments.css", "design-tabs.js")


def robots_txt(baseurl: str, sitemap: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {baseurl.rstrip('/')}/{sitemap}\n"


def describe_the_book(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """The landing page is described by the book's description, not by its first lines."""
    if not is_website(app.builder) or pagename != app.config.root_doc:
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
    if not is_web_page(app.builder):
        return
    metatags = context.get("metatags", "")
    if 'name="description"' not in metatags:
        description = html.escape(app.config.description, quote=True)
        metatags += f'<meta name="description" content="{description}">\n'
    if pagename == app.config.notfound_pagename:
        metatags += '<meta name="robots" content="noindex">\n'
        context["pageurl"] = None
    context["metatags"] = metatags


def name_the_apparatus(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """The search page's ``book_apparatus``: the pages that are not the essay's."""
    if is_website(app.builder) and templatename == "search.html":
        docs = app.env.found_docs
        context["book_apparatus"] = sorted(d for d in docs if not is_essay_page(app.config, d))


def one_hit_per_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """What would list a page twice in the search, left out of its index (above)."""
    if not is_website(app.builder):
        return
    for entry in list(doctree.findall(addnodes.index)):
        entry.parent.remove(entry)
    for box in doctree.findall(nodes.Admonition):
        for title in box.findall(nodes.title):
            title["classes"].append("no-search")


def sitemap_xml(baseurl: str, pages: list[str]) -> bytes:
    """A sitemap of *pages* (URLs relative to *baseurl*), in the order given."""
    urlset = ET.Element("urlset", xmlns="http://www.sitemaps.org/schemas/sitemap/0.9")
    for page in pages:
        ET.SubElement(ET.SubElement(urlset, "url"), "loc").text = baseurl + page
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True)


def write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not is_website(app.builder):
        return
    pages = sorted(app.builder.get_target_uri(doc) for doc in app.env.found_docs)
    (Path(app.outdir) / SITEMAP).write_bytes(sitemap_xml(app.config.html_baseurl, pages))


def write_robots(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not is_website(app.builder):
        return
    text = robots_txt(app.config.html_baseurl, SITEMAP)
    (Path(app.outdir) / "robots.txt").write_text(text, encoding="utf-8")


class AssetAddress(HTMLParser):
    """The address in a rendered ``<link>`` or ``<script>`` tag (``None``: inline)."""

    def __init__(self, tag: str) -> None:
        super().__init__()
        self.address: str | None = None
        self.feed(tag)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"link": "href", "script": "src"}.get(tag)
        self.address = next((value for name, value in attrs if name == wanted), self.address)


def asset_path(pagename: str, rendered: str) -> str | None:
    """Where an asset is in the output folder, from its tag as the page renders it
    (``css_tag`` and ``js_tag``, the templates' own): relative to the page, with a
    checksum after ``?``."""
    address = AssetAddress(rendered).address
    if not address or "://" in address:
        return None
    address = address.split("?")[0].split("#")[0]
    return posixpath.normpath(posixpath.join(posixpath.dirname(pagename), address))


def is_one_of(path: str | None, names: set[str]) -> bool:
    """Whether *path* is one of *names* (paths in the output folder); an absolute path
    (sphinx-notfound-page's, on the 404 page) is one if it ends with it."""
    if path is None:
        return False
    return path in names or (path.startswith("/") and any(path.endswith(f"/{n}") for n in names))


def drop_unused_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if not writes_html(app.builder):
        return
    if is_epub(app.builder):  # what the package leaves out, no page links
        unused = set(app.config.epub_exclude_files)
    else:
        unused = {posixpath.join("_static", name) for name in UNUSED}
    for key, render in (("css_files", "css_tag"), ("script_files", "js_tag")):
        assets, tag = context.get(key), context.get(render)
        if assets is not None and tag is not None:
            assets[:] = [
                a for a in assets if not is_one_of(asset_path(pagename, str(tag(a))), unused)
            ]


def setup(app: Sphinx) -> None:
    app.add_config_value("description", "", "html", types=frozenset({str}))
    app.connect("html-page-context", describe_the_book, priority=order.DESCRIBE_THE_BOOK)
    app.connect("html-page-context", add_missing_meta, priority=order.MISSING_META)
    app.connect("html-page-context", drop_unused_assets)
    app.connect("html-page-context", name_the_apparatus)
    app.connect("doctree-resolved", one_hit_per_page)
    app.connect("build-finished", write_sitemap)
    app.connect("build-finished", write_robots)
