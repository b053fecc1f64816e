"""Make every link of the one-page edition (``singlehtml``) work and every id unique.

Sphinx 9.0's ``singlehtml`` builder has two faults this book would show:

* cross-references to a label in another document come out as
  ``#document-chapters/x#label``, a fragment no element has
  (sphinx-doc/sphinx#14221): they become ``#label``;
* ids that are unique within one document are not unique once all documents
  share a page: every ``{index}`` target of every chapter is ``index-0``, the
  extra id of a labelled section ``id1``.  The ids docutils and Sphinx number
  per document (``index-3``, ``id2``) get their document's name as a prefix
  (``chapters-amy-index-0``) wherever they stand but on the landing page, and so
  does any other id that more than one document has; references within the
  document follow.  A chapter's ids so depend on the chapter alone, not on
  which chapters come before it: adding one renames nothing in the others.
  (Which document a node comes from is found from the top down:
  ``paragraphs.documents_of`` works around Sphinx's ``start_of_file`` fault.)

A link within the book that does not point at a place on the page can only
lead to a page the one-page edition does not have (the general index, the
search page): it becomes plain text, and the page's head does not link there.
The page gets no canonical link or OpenGraph tags: the web edition is the one to share.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from . import order
from .builders import is_single_page
from .paragraphs import documents_of

logger = logging.getLogger(__name__)

DOCUMENT_PREFIX = "#document-"
#: Pages of the web edition that the one-page edition does not have.
MISSING_PAGES = ("genindex", "search")
#: Ids that docutils (``id3``) and Sphinx (``index-3``, for index entries) number per document.
NUMBERED_ID = re.compile(r"(?:index-|id)\d+")


def fix_double_fragment(refuri: str) -> str:
    """``#document-x#label`` -> ``#label``; anything else stays as it is."""
    if refuri.startswith(DOCUMENT_PREFIX) and "#" in refuri[1:]:
        return "#" + refuri.split("#", 2)[2]
    return refuri


def id_prefix(docname: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", docname).strip("-")


def make_ids_unique(
    tree: nodes.document, root: str, documents: dict[int, str]
) -> dict[tuple[str, str], str]:
    """Give the ids of each document but *root* that are not the page's alone the
    document's name as a prefix; returns ``{(document, old id): new id}``.

    *documents* maps each element, by ``id()``, to its document (``documents_of``)."""
    places = [(node, documents[id(node)]) for node in tree.findall(nodes.Element)]
    holders: dict[str, set[str]] = {}
    for node, docname in places:
        for ident in node["ids"]:
            holders.setdefault(ident, set()).add(docname)
    renamed: dict[tuple[str, str], str] = {}
    for node, docname in places:
        if docname == root:
            continue
        for position, old in enumerate(node["ids"]):
            if not (NUMBERED_ID.fullmatch(old) or len(holders[old]) > 1):
                continue
            new, number = f"{id_prefix(docname)}-{old}", 1
            while new in holders:  # a prefixed id that some document has as it is
                number += 1
                new = f"{id_prefix(docname)}-{old}-{number}"
            node["ids"][position] = new
            holders[new] = {docname}
            renamed[docname, old] = new
    return renamed


def follow_renamed_ids(
    tree: nodes.document, documents: dict[int, str], renamed: dict[tuple[str, str], str]
) -> None:
    """References within a document to its renamed ids follow them."""
    for node in tree.findall(nodes.Element):
        docname = documents[id(node)]
        if "refid" in node:
            node["refid"] = renamed.get((docname, node["refid"]), node["refid"])
        if node.get("backrefs"):
            node["backrefs"] = [renamed.get((docname, ref), ref) for ref in node["backrefs"]]


def fix_single_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not is_single_page(app.builder):
        return
    documents = documents_of(doctree, docname, nodes.Element)
    renamed = make_ids_unique(doctree, docname, documents)
    follow_renamed_ids(doctree, documents, renamed)
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
