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


def place_names(app: Sphinx) -> dict[str, str]:
    """Each page's name in the index, by its address relative to the index page."""
    env, builder = app.env, app.builder
    names = {}
    for docname in env.found_docs:
        title = env.titles[docname].astext() if docname in env.titles else docname
        number = env.toc_secnumbers.get(docname, {}).get("")
        name = f"{'.'.join(map(str, number))}. {title}" if number else title
        names[builder.get_relative_uri("genindex", docname)] = name
    return names


def add_place_names(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """The names, and the block of the theme's index page the index goes in: furo's
    ``content``, the EPUB theme's ``body``."""
    if pagename == "genindex" and (is_web_page(app.builder) or is_epub(app.builder)):
        names = context["book_index_places"] = place_names(app)
        order = reading_order(app.env, app.config.root_doc)
        position = {
            uri: order.index(doc) if doc in order else len(order)
            for doc in app.env.found_docs
            if (uri := app.builder.get_relative_uri("genindex", doc)) in names
        }

        def in_order(links: list[tuple[bool, str]]) -> list[tuple[bool, str]]:
            def key(link: tuple[bool, str]) -> tuple[bool, int]:
                return not link[0], position.get(link[1].split("#")[0], 0)

            return sorted(links, key=key)

        for _key, entries in context.get("genindexentries", []):
            for _name, (links, subitems, _sort) in entries:
                links[:] = in_order(links)
                for _subname, sublinks in subitems:
                    sublinks[:] = in_order(sublinks)
        context["book_index_block"] = "body" if is_epub(app.builder) else "content"


def setup(app: Sphinx) -> None:
    app.connect("html-page-context", add_place_names)
