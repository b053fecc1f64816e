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
  Sphinx makes it;
* ``current`` on the page's own link and on every list and item that holds it,
  as Sphinx marks them; ``checked`` on those items' checkboxes and
  ``current-page`` on the last of them, as furo marks them.

One narrow patch: ``furo._compute_navigation_tree``, which furo's
``html-page-context`` handler calls, is replaced at ``builder-inited`` for the web
edition's builder (``html``) only, and put back at ``build-finished``.  It is used
only with the releases it was checked against, exactly (``FURO_VERSIONS``,
``SPHINX_VERSIONS``); with any other, furo's own code runs, and ``-v`` says so in
one line.  On a page whose ``toctree`` is not Sphinx's own (the one in the page's
context before any other handler of ``html-page-context`` runs:
sphinx-notfound-page puts its own on the 404 page), or with a tree holding something
the slots do not cover, furo's own code runs too.  The fast layer proves every page
identical with and without it on the installed releases
(``tests/fast/test_furo_nav.py``, which fails when they are not the ones listed
here).  It can go when furo computes its navigation once per build (furo#939 merged
and released).  What it saves (``make bench``, docs/benchmark.md, 2026-12-07): a cold
``make html`` of the x40 book in 40 s with it, 298 s without (CPU 33 s against 268 s).

Sphinx documents no function that gives a toctree's nodes (``toctree()`` in a
template gives HTML): ``global_toctree_for_doc``, Sphinx's own (since 7.2), is
imported if it is there, and if it is not, furo's own code runs, with one line.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sphinx
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging

from . import order

try:  # not in Sphinx's documentation (sphinx/environment/adapters/toctree.py, Sphinx 7.2+)
    from sphinx.environment.adapters.toctree import global_toctree_for_doc
except ImportError:  # then furo's own code runs: start() says so
    global_toctree_for_doc = None

logger = logging.getLogger(__name__)

#: The furo releases whose ``_compute_navigation_tree`` this reproduces, checked by
#: tests/fast/test_furo_nav.py.
FURO_VERSIONS = ("2025.12.19",)
#: The Sphinx releases whose toctree marks this reproduces, checked the same way.
SPHINX_VERSIONS = ("9.0.4",)
#: What furo asks Sphinx for (furo/__init__.py, ``_compute_navigation_tree``).
FURO_TOCTREE = {"collapse": False, "titles_only": True, "maxdepth": -1, "includehidden": True}
#: A page name in no toctree, at the top of the site: its tree carries no marks.
NEUTRAL = "book-furo-nav-neutral"
#: The prefix of the marks put into the neutral tree (no page's HTML holds it).
MARK = "xbooknavx"
#: Where Sphinx's own ``toctree`` of a page is kept in its context, as it was before any
#: other handler of ``html-page-context`` ran; another's (sphinx-notfound-page's on the
#: 404 page, with absolute addresses) is left to furo's code.
SPHINX_TOCTREE = "book_sphinx_toctree"
#: Characters an address could need escaped: such a tree is left to furo's code.
ESCAPED = frozenset("&<>\"'")


def relative_uri(base: str, to: str) -> str:
    """The address of *to* from the page at *base*, both from the top of the site, as
    Sphinx writes it in a toctree (``Builder.get_relative_uri``, documented, takes
    document names; this takes addresses, as the slots keep them)."""
    if to.startswith("/"):
        return to
    here, there = base.split("#")[0].split("/"), to.split("#")[0].split("/")
    while len(here) > 1 and len(there) > 1 and here[0] == there[0]:
        here.pop(0)
        there.pop(0)
    if here == there:
        return ""
    if len(here) == 1 and there == [""]:
        return "./"
    return "../" * (len(here) - 1) + "/".join(there)


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


# -- The patch ------------------------------------------------------------------------

#: furo's own ``_compute_navigation_tree``, kept while the patch is in place.
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
    if builder is None or toctree is None or toctree is not context.get(SPHINX_TOCTREE):
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


def keep_sphinx_toctree(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Before any other handler: the page's ``toctree``, as Sphinx put it there."""
    if BUILD.builder is not None and "toctree" in context:
        context[SPHINX_TOCTREE] = context["toctree"]


def versions() -> tuple[str, str]:
    import furo  # the theme: Sphinx has imported it once the builder is made

    return furo.__version__, sphinx.__version__


def supported() -> bool:
    furo_version, sphinx_version = versions()
    return (
        furo_version in FURO_VERSIONS
        and sphinx_version in SPHINX_VERSIONS
        and global_toctree_for_doc is not None
    )


def start(app: Sphinx) -> None:
    """For the web edition on the furo and Sphinx this knows, put the patch in place."""
    global ORIGINAL
    BUILD.builder, BUILD.navigation, BUILD.pages = None, None, 0
    if type(app.builder) is not StandaloneHTMLBuilder or app.config.html_theme != "furo":
        return
    if not supported():
        logger.verbose(
            "[book] furo %s on Sphinx %s: furo's navigation, computed per page "
            "(book.furo_nav was checked with furo %s on Sphinx %s%s)",
            *versions(), " or ".join(FURO_VERSIONS), " or ".join(SPHINX_VERSIONS),
            "" if global_toctree_for_doc else ", which had global_toctree_for_doc",
        )  # fmt: skip
        return
    import furo

    if furo._compute_navigation_tree is not compute_navigation_tree:
        ORIGINAL = furo._compute_navigation_tree
        furo._compute_navigation_tree = compute_navigation_tree
    BUILD.builder = app.builder


def forget(app: Sphinx, builder: Any) -> None:
    """Each build computes the tree afresh: its sources may have changed."""
    BUILD.navigation = None


def finish(app: Sphinx, exception: Exception | None) -> None:
    """furo's own function again, for whatever this process builds next."""
    furo = sys.modules.get("furo")
    if furo is not None and furo._compute_navigation_tree is compute_navigation_tree:
        furo._compute_navigation_tree = ORIGINAL
    BUILD.builder = None


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", start)
    app.connect("write-started", forget)
    app.connect("html-page-context", keep_sphinx_toctree, priority=order.KEEP_SPHINX_TOCTREE)
    app.connect("build-finished", finish)
