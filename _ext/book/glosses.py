"""Glossary terms read in place, on the web.

A term the text links to the glossary (``{term}``) stays a link to its entry: that is
all a reader without JavaScript needs.  On the web and one-page editions the link also
carries the entry's definition as plain text, in its ``title``: a pointer shows it as
the link's tooltip and a screen reader reads it as the link's description, and
``_static/book.js`` opens it in a small popover beside the term, with a link to the
entry, so that a reader on a 100-word page need not leave it for the glossary and
come back.  The definitions are taken from the glossary's doctree once the sources are
read (``env-updated``), kept with the environment, and given to each page's links as it
is written (after Sphinx has resolved the references); the pages that link a term are
noted as they are read, and read and written again when the glossary changes.
"""

from __future__ import annotations

from collections.abc import Set
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform

from . import order
from .builders import is_web_page
from .envstate import DocSet

#: The class of a link to a glossary entry that carries its definition.
GLOSS = "book-gloss"
#: The pages that link a glossary term.
LINKING = DocSet("book_gloss_docs")


def term_places(env: BuildEnvironment) -> dict[str, str]:
    """Each glossary term's id, with the document that defines it (the std domain's)."""
    objects = env.domains.standard_domain.objects
    return {labelid: docname for (kind, _), (docname, labelid) in objects.items() if kind == "term"}


def definitions(env: BuildEnvironment, docname: str) -> dict[str, str]:
    """Each glossary term's id on *docname*, with its definition as one line of text."""
    found: dict[str, str] = {}
    for term in env.get_doctree(docname).findall(nodes.term):
        item = term.parent
        definition = next(iter(item.findall(nodes.definition)), None)
        if definition is not None:
            text = " ".join(definition.astext().split())
            found.update(dict.fromkeys(term["ids"], text))
    return found


def collect_definitions(app: Sphinx, env: BuildEnvironment) -> None:
    """Once the sources are read: each term's id, with its page and its definition."""
    places = term_places(env)
    env.book_gloss_definitions = {}
    for docname in sorted(set(places.values())):
        for labelid, text in definitions(env, docname).items():
            if places.get(labelid) == docname:
                env.book_gloss_definitions[labelid] = (docname, text)


class GlossTerms(SphinxPostTransform):
    """Give each resolved link to a glossary term its definition (``title``)."""

    default_priority = order.ANY_TIME

    def run(self, **kwargs: Any) -> None:
        known = getattr(self.env, "book_gloss_definitions", {})
        for link in self.document.findall(nodes.reference):
            term = next(iter(link.findall(nodes.inline)), None)
            if term is None or "std-term" not in term["classes"]:
                continue
            labelid = link.get("refuri", "").rpartition("#")[2] or link.get("refid", "")
            docname, text = known.get(labelid, (None, ""))
            if docname is None or docname == self.env.docname:
                continue  # the glossary's own links to its terms stay as they are
            if text:
                link["reftitle"] = text
                link["classes"].append(GLOSS)


# -- Which pages to write again ---------------------------------------------------------


def note_links(app: Sphinx, doctree: nodes.document) -> None:
    """Note a page that links a glossary term."""
    if any(xref.get("reftype") == "term" for xref in doctree.findall(addnodes.pending_xref)):
        LINKING.of(app.env).add(app.env.docname)


def rewrite_on_glossary_change(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """The pages that link a term, when a page that defines terms has changed."""
    if not set(term_places(env).values()) & (set(added) | set(changed)):
        return []
    return sorted(LINKING.of(env) & env.found_docs)


def add_transform(app: Sphinx) -> None:
    """The web and one-page editions' pages get the definitions; the EPUB's and the PDF's
    none (their readers have no popover)."""
    if is_web_page(app.builder):
        app.add_post_transform(GlossTerms)


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", add_transform)
    app.connect("doctree-read", note_links)
    app.connect("env-get-outdated", rewrite_on_glossary_change)
    app.connect("env-updated", collect_definitions)
    LINKING.connect(app)
