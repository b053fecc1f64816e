"""Make every link of the one-page edition (``singlehtml``) work and every id unique.

Sphinx 9.0's ``singlehtml`` builder has two faults this book would show:

* cross-references to a label in another document come out as
  ``#document-chapters/x#label``, a fragment no element has
  (sphinx-doc/sphinx#14221): they become ``#label``;
* ids that are unique within one document are not unique once all documents
  share a page: every ``{index}`` target of every chapter is ``index-0``, the
  extra id of a labelled section ``id1``.  The second and later ones get the
  document's name as a prefix, and references within that document follow.

A link within the book that does not point at a place on the page can only
lead to a page the one-page edition does not have (the general index, the
search page): it becomes plain text, and the page's head does not link there.
The page gets no canonical link or OpenGraph tags: the web edition is the one to share.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

from . import order
from .builders import is_single_page

logger = logging.getLogger(__name__)

DOCUMENT_PREFIX = "#document-"
#: Pages of the web edition that the one-page edition does not have.
MISSING_PAGES = ("genindex", "search")


def fix_double_fragment(refuri: str) -> str:
    """``#document-x#label`` -> ``#label``; anything else stays as it is."""
    if refuri.startswith(DOCUMENT_PREFIX) and "#" in refuri[1:]:
        return "#" + refuri.split("#", 2)[2]
    return refuri


def document_of(node: nodes.Node, root: str) -> str:
    """The document a node of the assembled tree comes from."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, addnodes.start_of_file):
            return parent["docname"]
        parent = parent.parent
    return root


def id_prefix(docname: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", docname).strip("-")


def make_ids_unique(tree: nodes.document, root: str) -> dict[tuple[str, str], str]:
    """Rename repeated ids; returns ``{(document, old id): new id}``."""
    seen: set[str] = set()
    renamed: dict[tuple[str, str], str] = {}
    for node in tree.findall(nodes.Element):
        ids = node.get("ids", [])
        for position, old in enumerate(ids):
            if old not in seen:
                seen.add(old)
                continue
            docname = document_of(node, root)
            new, number = f"{id_prefix(docname)}-{old}", 1
            while new in seen:
                number += 1
                new = f"{id_prefix(docname)}-{old}-{number}"
            ids[position] = new
            seen.add(new)
            renamed[docname, old] = new
    return renamed


def follow_renamed_ids(tree: nodes.document, root: str, renamed: dict) -> None:
    for node in tree.findall(nodes.Element):
        if "refid" in node and (key := (document_of(node, root), node["refid"])) in renamed:
            node["refid"] = renamed[key]
        if node.get("backrefs"):
            docname = document_of(node, root)
            node["backrefs"] = [renamed.get((docname, ref), ref) for ref in node["backrefs"]]


def fix_single_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not is_single_page(app.builder):
        return
    renamed = make_ids_unique(doctree, docname)
    follow_renamed_ids(doctree, docname, renamed)
    for ref in list(doctree.findall(nodes.reference)):
        refuri = ref.get("refuri")
        if refuri is None or "://" in refuri:
            continue
        if refuri.startswith("#"):
            fixed = fix_double_fragment(refuri)
            if fixed != refuri:
                target = refuri[len(DOCUMENT_PREFIX) :].split("#")[0]
                fixed = "#" + renamed.get((target, fixed[1:]), fixed[1:])
            ref["refuri"] = fixed
        else:
            ref.replace_self(nodes.inline("", "", *ref.children))
    logger.debug("[book] one-page edition: %d ids renamed", len(renamed))


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """No head links to pages the one-page edition lacks; it is no page to share or index."""
    if not is_single_page(app.builder):
        return
    hasdoc = context["hasdoc"]
    context["hasdoc"] = lambda name: name not in MISSING_PAGES and hasdoc(name)
    context["meta"] = {**(context.get("meta") or {}), "ogp_disable": True}
    context["pageurl"] = None


def setup(app: Sphinx) -> None:
    app.connect("doctree-resolved", fix_single_page)
    app.connect("html-page-context", page_context, priority=order.SINGLE_PAGE_CONTEXT)
