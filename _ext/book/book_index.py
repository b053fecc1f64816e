"""The index as a book's: each entry names the chapters it is in.

Sphinx's index page links an entry's first place by the entry's own words and every
other place as "[1]", "[2]"; the PDF's gives page numbers.  ``_templates/genindex.html``
writes each place as what a reader finds there, the chapter's number and title as the
navigation shows them (the back matter's pages by their titles), for the web edition and
the EPUB alike; this module gives it those names, by the address the index links, and
puts each entry's places in order: the one that defines it (in bold) first, then the
others in reading order.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .builders import is_epub, is_web_page


def reading_order(env: BuildEnvironment, root: str) -> list[str]:
    """The documents in the order the contents lists them, from *root*."""
    order: list[str] = []

    def visit(docname: str) -> None:
        if docname not in order:
            order.append(docname)
            for child in env.toctree_includes.get(docname, []):
                visit(child)

    visit(root)
    return order


def places(app: Sphinx) -> dict[str, tuple[int, str]]:
    """Each page, by its address relative to the index page: its place in the reading
    order and its name in the index."""
    env, builder = app.env, app.builder
    order = {doc: n for n, doc in enumerate(reading_order(env, app.config.root_doc))}
    found = {}
    for docname in env.found_docs:
        title = env.titles[docname].astext() if docname in env.titles else docname
        number = env.toc_secnumbers.get(docname, {}).get("")
        name = f"{'.'.join(map(str, number))}. {title}" if number else title
        uri = builder.get_relative_uri("genindex", docname)
        found[uri] = order.get(docname, len(order)), name
    return found


def add_place_names(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """The names, and the block of the theme's index page the index goes in: furo's
    ``content``, the EPUB theme's ``body``."""
    if pagename != "genindex" or not (is_web_page(app.builder) or is_epub(app.builder)):
        return
    pages = places(app)
    context["book_index_places"] = {uri: name for uri, (_, name) in pages.items()}

    def in_order(links: list[tuple[bool, str]]) -> list[tuple[bool, str]]:
        def key(link: tuple[bool, str]) -> tuple[bool, int]:
            return not link[0], pages.get(link[1].split("#")[0], (0, ""))[0]

        return sorted(links, key=key)

    for _key, entries in context.get("genindexentries", []):
        for _name, (links, subitems, _sort) in entries:
            links[:] = in_order(links)
            for _subname, sublinks in subitems:
                sublinks[:] = in_order(sublinks)
    context["book_index_block"] = "body" if is_epub(app.builder) else "content"


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", add_place_names)
