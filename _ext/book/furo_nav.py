"""furo's navigation tree, computed once per build instead of once per page.

Workaround for pradyunsg/furo#939 (open; see also furo#674 and docs/upstream.md).
For every page, furo asks Sphinx for the whole global toctree (Sphinx resolves
it, copies it and renders it through docutils) and re-parses the result with
BeautifulSoup to add its checkboxes: a build costs pages x navigation, 58 of
76 s at 320 chapters.  The tree is the same on every page but for a few marks,
so, as furo#939 does, it is computed here once per build, by Sphinx's and
furo's own code, for a page that is in no toctree.  What depends on the page is
left as slots, filled in for each page:

* each link's address, relative to the page (``#`` for the page itself), as
  Sphinx's ``get_relative_uri`` makes it;
* ``current`` on the page's own link and on every list and item that holds it,
  as Sphinx marks them; ``checked`` on those items' checkboxes and
  ``current-page`` on the last of them, as furo marks them.

One narrow patch: ``furo._compute_navigation_tree``, which furo's
``html-page-context`` handler calls, is replaced for the web edition's builder
(``html``) only.  It is used only with the furo release it was checked against
(``FURO_VERSION``) on Sphinx's major version ``SPHINX_MAJOR``; with any other,
or a tree holding something the slots do not cover, furo's own code runs.  The
fast layer proves every page identical with and without it
(``tests/fast/test_furo_nav.py``).  It can go when furo computes its navigation
once per build (furo#939 merged and released).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sphinx
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment.adapters.toctree import global_toctree_for_doc
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

logger = logging.getLogger(__name__)

#: The furo release whose ``_compute_navigation_tree`` this reproduces.
FURO_VERSION = "2025.12.19"
#: The Sphinx major version whose toctree marks this reproduces.
SPHINX_MAJOR = 9
#: What furo asks Sphinx for (furo/__init__.py, ``_compute_navigation_tree``).
FURO_TOCTREE = {"collapse": False, "titles_only": True, "maxdepth": -1, "includehidden": True}
#: A page name in no toctree, at the top of the site: its tree carries no marks.
NEUTRAL = "book-furo-nav-neutral"
#: The prefix of the marks put into the neutral tree (no page's HTML holds it).
MARK = "xbooknavx"
#: Sphinx's own ``toctree`` in a page's context; another's (sphinx-notfound-page's on the
#: 404 page, with absolute addresses) is left to furo's code.
SPHINX_TOCTREE = "StandaloneHTMLBuilder.handle_page.<locals>.<lambda>"
#: Characters an address could need escaped: such a tree is left to furo's code.
ESCAPED = frozenset("&<>\"'")


class Unexpected(Exception):
    """The tree holds something the slots do not cover: furo's own code is used."""


@dataclass
class Link:
    target: str  # the page's address from the top of the site; '' for a web address
    anchor: str  # '#section', or the whole web address
    holders: list[int]  # the lists and items that hold the link


@dataclass
class Navigation:
    """The tree as furo writes it, as text between slots for what depends on the page.

    A slot is an attribute: ``("href", link)``, ``("checked", item)`` or
    ``("class", words)``, whose words are kept (``"w"``), or marks: ``"a"`` the
    link is the page's, ``"c"`` the list or item holds it, ``"p"`` the item is the
    last that does.
    """

    parts: list[str | tuple] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    items: set[int] = field(default_factory=set)  # the numbers of the list items

    def html(self, here: str) -> str:
        """The tree for the page at address *here*."""
        own = {n for n, link in enumerate(self.links) if link.target == here and not link.anchor}
        holding: dict[int, int] = {}
        for number in own:
            for holder in self.links[number].holders:
                holding[holder] = holding.get(holder, 0) + 1
        # furo: current-page on the last item (in document order) that is current
        last = max((h for h in holding if h in self.items), default=None)
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            elif part[0] == "href":
                link = self.links[part[1]]
                uri = relative_uri(here, link.target) + link.anchor if link.target else link.anchor
                out.append(f' href="{uri or "#"}"')
            elif part[0] == "checked":
                if part[1] in holding:
                    out.append(' checked=""')
            else:
                words: list[str] = []
                for kind, value in part[1]:
                    if kind == "w":
                        words.append(value)
                    elif kind == "a":
                        words += ["current"] if value in own else []
                    elif kind == "c":
                        words += ["current"] * holding.get(value, 0)
                    elif value == last:
                        words.append("current-page")
                if words:
                    out.append(f' class="{" ".join(words)}"')
        return "".join(out)


def neutral_tree(builder: StandaloneHTMLBuilder) -> Navigation:
    """The navigation tree, once, by Sphinx's and furo's code, with slots marked in it."""
    navigation = Navigation()
    tree = global_toctree_for_doc(builder.env, NEUTRAL, builder, tags=builder.tags, **FURO_TOCTREE)
    if tree is None:
        navigation.parts = [ORIGINAL({"toctree": lambda **kwargs: ""})]
        return navigation
    numbers: dict[int, int] = {}
    for node in tree.findall(nodes.Element):
        if isinstance(node, nodes.bullet_list | nodes.list_item):
            numbers[id(node)] = len(numbers)
            node["classes"].append(f"{MARK}c{numbers[id(node)]}")
            if isinstance(node, nodes.list_item):
                navigation.items.add(numbers[id(node)])
        elif isinstance(node, nodes.reference) and "refuri" in node:
            refuri, anchor = node["refuri"], node.get("anchorname", "")
            if ESCAPED.intersection(refuri) or refuri.startswith("/"):
                raise Unexpected(f"a link to {refuri!r}")
            if "://" in refuri:  # Sphinx leaves web addresses as they are
                target, anchor = "", refuri
            elif refuri.endswith(anchor) and "#" not in refuri[: len(refuri) - len(anchor)]:
                target = refuri[: len(refuri) - len(anchor)]
            else:
                raise Unexpected(f"a link to {refuri!r}")
            holders, parent = [], node.parent
            while parent is not None:
                if id(parent) in numbers:
                    holders.append(numbers[id(parent)])
                parent = parent.parent
            node["classes"].append(f"{MARK}a{len(navigation.links)}")
            node["refuri"] = f"{MARK}h{len(navigation.links)}"
            navigation.links.append(Link(target, anchor, holders))
    html = ORIGINAL({"toctree": lambda **kwargs: builder.render_partial(tree)["fragment"]})
    # furo's own marks: checked on a current item's checkbox, current-page on the last item
    from bs4 import BeautifulSoup  # furo's own dependency, imported with it

    soup = BeautifulSoup(html, "html.parser")
    for item in soup.find_all("li"):
        mark = next((c for c in item.get("class", []) if c.startswith(f"{MARK}c")), None)
        if mark is None:
            raise Unexpected("an item with no mark")
        checkbox = item.find("input", recursive=False)
        if checkbox is not None:
            checkbox["checked"] = f"{MARK}k{mark[len(MARK) + 1 :]}"
        item["class"] = [*item["class"], f"{MARK}p{mark[len(MARK) + 1 :]}"]
    return slots(navigation, str(soup))


def slots(navigation: Navigation, html: str) -> Navigation:
    """Cut furo's marked HTML into text and slots."""
    position = 0
    while (start := html.find(MARK, position)) != -1:
        begin = html.rfind(" ", 0, html.rfind('="', 0, start))
        end = html.index('"', start)
        attribute, value = html[begin + 1 : end].split('="', 1)
        if attribute in ("href", "checked"):
            if not value.startswith(MARK):
                raise Unexpected(f"a mark in {value!r}")
            part = (attribute, int(value[len(MARK) + 1 :]))
        elif attribute == "class":
            words = []
            for word in value.split(" "):
                if not word.startswith(MARK):
                    words.append(("w", word))
                else:
                    words.append((word[len(MARK)], int(word[len(MARK) + 1 :])))
            part = ("class", words)
        else:
            raise Unexpected(f"a mark in {attribute}")
        navigation.parts += [html[position:begin], part]
        position = end + 1
    navigation.parts.append(html[position:])
    return navigation


# -- The patch -------------------------------------------------------------------------

#: furo's own ``_compute_navigation_tree``, kept by ``setup``, which imports furo: after
#: the book's other steps are set up (``fonts`` starts its subsetter there), as Sphinx
#: would import it, for the theme, only once the builder is made.
ORIGINAL: Callable[[dict[str, Any]], str]


@dataclass
class Build:
    builder: StandaloneHTMLBuilder | None = None
    navigation: Navigation | None = None
    pages: int = 0  # pages whose tree came from here (the tests count them)


BUILD = Build()


def compute_navigation_tree(context: dict[str, Any]) -> str:
    """furo's ``_compute_navigation_tree``, from the tree computed once per build."""
    builder = BUILD.builder
    toctree = context.get("toctree")
    if builder is None or getattr(toctree, "__qualname__", None) != SPHINX_TOCTREE:
        return ORIGINAL(context)
    if BUILD.navigation is None:
        try:
            BUILD.navigation = neutral_tree(builder)
        except Unexpected as problem:
            logger.verbose("[book] furo's navigation, computed per page: %s", problem)
            BUILD.builder = None
            return ORIGINAL(context)
    BUILD.pages += 1
    return BUILD.navigation.html(builder.get_target_uri(context["pagename"]))


def supported() -> bool:
    import furo

    return furo.__version__ == FURO_VERSION and sphinx.version_info[0] == SPHINX_MAJOR


def start(app: Sphinx) -> None:
    """Use the tree computed once for the web edition, with the furo this knows."""
    web = type(app.builder) is StandaloneHTMLBuilder and app.config.html_theme == "furo"
    BUILD.builder = app.builder if web and supported() else None
    BUILD.navigation, BUILD.pages = None, 0
    if web and not supported():
        import furo

        logger.verbose(
            "[book] furo %s on Sphinx %s: furo's navigation, computed per page "
            "(book.furo_nav knows furo %s on Sphinx %d)",
            furo.__version__, sphinx.__display_version__, FURO_VERSION, SPHINX_MAJOR,
        )  # fmt: skip


def forget(app: Sphinx, builder: Any) -> None:
    """Each build computes the tree afresh: its sources may have changed."""
    BUILD.navigation = None


def setup(app: Sphinx) -> None:
    global ORIGINAL
    import furo

    if furo._compute_navigation_tree is not compute_navigation_tree:  # once per process
        ORIGINAL = furo._compute_navigation_tree
    furo._compute_navigation_tree = compute_navigation_tree
    app.connect("builder-inited", start)
    app.connect("write-started", forget)
