"""The About page's list of copy-edits by edition, each citing its paragraph (and page).

``book_copy_edits`` (in ``conf.py``) names a TOML file of ``[[edit]]`` entries, the one
record of the book's corrections (the tests apply them all to the manuscript):
``manuscript`` (the text as received), ``edition`` (what the book prints), ``chapter``
(the label of the chapter) and, for a correction made after the first edition,
``since`` (the edition that made it, as ``version`` in ``CITATION.cff`` names it:
``since = "1.1"``).  The ``{copy-edits}`` directive lists them by edition, newest
first (the first edition's last), each as a reader needs it: only the words that
changed, in curly quotes, a link to the chapter, and the paragraph, cited as the book
cites one ("ch. 4, ¶ 2": ``paragraphs.citation_of``) and linked to it.  The PDF adds
the page the words are on ("ch. 4, ¶ 2, p. 17"), and sets each edition's list as one
run-in paragraph, without the chapters' titles that its "ch. 4" names (:func:`run_in`):
the About page is the PDF's small print, two pages at most (issue 23).

**Where.**  The paragraph is found as the page is written, once every document is
read (the entry's pending ``copy_edit_place``, resolved at ``doctree-resolved``): the
one numbered paragraph of the chapter (``paragraphs``) whose text holds the entry's
``edition`` words (quotes straight or curly, runs of spaces and ``*`` emphasis marks
aside).  Words in no paragraph, or in two, are a warning at the entry's line.  In the
PDF a ``\\label`` goes just before the words themselves, so the listing's
``\\pageref`` gives the page they are on, not the page their paragraph starts on.  The
web edition and the EPUB cite the paragraph alone: they cannot know the PDF's pages
unless the PDF is built first, and the same sources must give the same pages however
they were built before.

**When.**  The listing's page is read again whenever the file changes, or a chapter
an entry names (a paragraph added renumbers it: ``env-get-outdated``).  A problem with an entry (its
chapter is gone, a key is missing, its words are not in one paragraph) is reported at
the entry's line in the file, not at the directive's; a file that is not TOML, at the
line TOML names.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Set
from itertools import groupby
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import NoUri
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from . import order
from .builders import is_latex
from .envstate import DocSet
from .paragraphs import (
    NOT_PRINTED,
    citation_of,
    documents_of,
    paragraph_id,
    paragraph_number,
)

logger = logging.getLogger(__name__)

#: The pages that list the copy-edits (``{copy-edits}``).
LISTING = DocSet("book_copy_edit_docs")

#: Characters a reader does not tell apart from the record's: curly quotes, no-break spaces.
PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " "})
#: The classes of an edition's name, before its list, and of an entry's "in" and chapter.
EDITION = "book-copy-edits-edition"
CHAPTER = "book-copy-edit-chapter"
#: An entry's citation when its words are the chapter's title (kept with the title in print).
ITS_TITLE = " (its title)"
#: Within a paragraph, text of these is not the running text a copy-edit's words are in.
NOT_RUNNING_TEXT = (*NOT_PRINTED, nodes.footnote_reference, nodes.citation_reference)


def load(path: Path) -> list[dict[str, str]]:
    """The file's edits; a file with none (a new book's) gives none."""
    with path.open("rb") as file:
        return tomllib.load(file).get("edit", [])


def entry_lines(text: str) -> list[dict[str, int]]:
    """For each ``[[edit]]`` of the file, in order: the line of each of its keys (and of
    the header itself, as ``""``)."""
    entries: list[dict[str, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() == "[[edit]]":
            entries.append({"": number})
        elif entries and (key := re.match(r"\s*([A-Za-z_-]+)\s*=", line)):
            entries[-1].setdefault(key[1], number)
    return entries


def edition_order(since: Any) -> tuple:
    """A sort key for an entry's ``since``: editions in version order ("1.10" after
    "1.9"), the first edition's entries (no ``since``) before all."""
    if since is None:
        return ()
    parts = re.findall(r"\d+|[^\d.]+", str(since))
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def in_listing_order(edits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries as the listing gives them: by edition, newest first, the first
    edition's last; each edition's in the file's order."""
    return sorted(edits, key=lambda edit: edition_order(edit.get("since")), reverse=True)


def changed_words(old: str, new: str) -> tuple[str, str]:
    """The words that differ, without the context they share at either end."""
    a, b = old.split(), new.split()
    while len(a) > 1 and len(b) > 1 and a[0] == b[0]:
        a, b = a[1:], b[1:]
    while len(a) > 1 and len(b) > 1 and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    return " ".join(a).strip(",;:."), " ".join(b).strip(",;:.")


def curly(text: str) -> str:
    """Words in curly quotes, with their apostrophes curly and a quotation within them in
    single quotes: ``"Her"`` -> ``“‘Her’”``."""
    text = re.sub(r'"([^"]*)"', r"‘\1’", text.replace("'", "’"))
    return f"“{text}”"


def plain(text: str) -> str:
    """Text as the record's words and the printed paragraph are compared: straight
    quotes, single spaces, no soft hyphens."""
    return re.sub(r"\s+", " ", text.translate(PLAIN).replace("\u00ad", "")).strip()


def running_text(paragraph: nodes.paragraph) -> tuple[str, list[tuple[nodes.Text, int]]]:
    """A paragraph's text as :func:`plain` gives it, and for each of its characters the
    text node and offset it comes from."""
    chars: list[str] = []
    where: list[tuple[nodes.Text, int]] = []
    for text in paragraph.findall(nodes.Text):
        above, skipped = text.parent, False
        while above is not None and above is not paragraph:
            skipped = skipped or isinstance(above, NOT_RUNNING_TEXT)
            above = above.parent
        if skipped:
            continue
        for offset, char in enumerate(str(text).translate(PLAIN)):
            if char == "\u00ad" or (char.isspace() and (not chars or chars[-1] == " ")):
                continue
            chars.append(" " if char.isspace() else char)
            where.append((text, offset))
    return "".join(chars), where


class copy_edit_place(nodes.Inline, nodes.Element):
    """Where an entry's words are: ``chapter`` (its label), ``words`` (the edition's),
    ``entry`` (its place in the file); replaced as the page is written."""


class CopyEditsDirective(SphinxDirective):
    """``{copy-edits}``: the list of the book's corrections, by edition."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        path = Path(self.env.srcdir, self.config.book_copy_edits)
        self.env.note_dependency(path)
        LISTING.of(self.env).add(self.env.docname)
        text = path.read_text(encoding="utf-8")
        try:
            edits = tomllib.loads(text).get("edit", [])
        except tomllib.TOMLDecodeError as error:
            where = re.search(r"\(at line (\d+), column \d+\)", str(error))
            logger.warning(
                "not valid TOML: %s", error, location=f"{path}:{where[1] if where else 1}"
            )
            return []
        lines = entry_lines(text)
        entries = []
        for number, edit in enumerate(edits):
            at = lines[number] if number < len(lines) else {"": 1}
            missing = [k for k in ("manuscript", "edition", "chapter") if k not in edit]
            if missing:
                logger.warning(
                    "this [[edit]] needs %s", " and ".join(missing), location=f"{path}:{at['']}"
                )
                continue
            if "since" in edit and not isinstance(edit["since"], str):
                line = at.get("since", at[""])
                written = text.splitlines()[line - 1].partition("=")[2].strip()
                logger.warning(
                    "since names an edition as CITATION.cff's version does, in quotes "
                    '(TOML reads 1.10 as 1.1): since = "%s"',
                    written,
                    location=f"{path}:{line}",
                )
                continue
            entries.append({**edit, "entry": number, "at": at})
        entries = in_listing_order(entries)
        markdown = []
        for since, group in groupby(entries, key=lambda entry: entry.get("since")):
            markdown.append(f"In edition {since}:" if since else "In the first edition:")
            for entry in group:
                old, new = changed_words(entry["manuscript"], entry["edition"])
                markdown.append(
                    f"- {curly(old)} becomes {curly(new)} in {{ref}}`{entry['chapter']}`."
                )
            markdown.append("")
        parsed = self.parse_text_to_nodes("\n".join(markdown) or "None so far.")
        for node in parsed:  # an edition's name introduces its list: set flush, not indented
            if entries and isinstance(node, nodes.paragraph):
                node["classes"].append(EDITION)
        # a chapter that is gone is reported at its entry's line, not the directive's
        xrefs = [xref for node in parsed for xref in node.findall(addnodes.pending_xref)]
        for xref, entry in zip(xrefs, entries, strict=True):
            xref.source, xref.line = str(path), entry["at"].get("chapter", entry["at"][""])
            place = copy_edit_place(
                chapter=entry["chapter"], words=entry["edition"], entry=entry["entry"]
            )
            place.source, place.line = str(path), entry["at"].get("edition", entry["at"][""])
            xref.parent.insert(xref.parent.index(xref) + 1, place)
            # "in" and the chapter's title, which the PDF leaves to the citation
            lead = xref.parent[xref.parent.index(xref) - 1]
            words, _, _ = str(lead).rpartition(" in ")
            chapter = nodes.inline("", " in ", classes=[CHAPTER])
            lead.parent.replace(lead, [nodes.Text(words), chapter])
            xref.parent.remove(xref)
            chapter += xref
        return parsed


def reread_on_renumbering(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """The pages that list the copy-edits are read again when a chapter an entry names
    changes (a paragraph added renumbers it), is renamed or is gone; no other edit
    touches them.  The chapters are found by their labels as the last build knew them."""
    listing = LISTING.of(env) - removed
    if not listing:
        return []
    try:
        edits = load(Path(env.srcdir, env.config.book_copy_edits))
    except (OSError, tomllib.TOMLDecodeError):
        return sorted(listing)  # the directive says what is wrong, at its line
    labels = env.domains.standard_domain.labels
    named = {str(edit.get("chapter", "")).lower() for edit in edits}
    chapters = {labels[label][0] for label in named if label in labels}
    return sorted(listing) if chapters & (added | changed | removed) else []


def place_copy_edits(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Each entry's paragraph, found in its chapter: a link to it, cited as the book
    cites it; in the PDF, the page too, and the lists run in."""
    labelled: set[str] = set()
    for place in list(doctree.findall(copy_edit_place)):
        place.replace_self(cite_place(app, doctree, docname, place, labelled))
    if is_latex(app.builder):
        run_in(doctree)


def run_in(doctree: nodes.document) -> None:
    """The PDF: each edition's list one paragraph after its name ("In the first edition:
    “Seek” becomes “seek” (ch. 2, ¶ 1, p. 1); …"), each entry without "in" and the
    chapter's title, unless its words are that title."""
    for lead in list(doctree.findall(nodes.paragraph)):
        listing = lead.next_node(descend=False, siblings=True)
        if EDITION not in lead["classes"] or not isinstance(listing, nodes.bullet_list):
            continue
        for number, item in enumerate(listing.children):
            (paragraph,) = item.children
            if ITS_TITLE not in paragraph.astext():
                for chapter in list(paragraph.findall(nodes.inline)):
                    if CHAPTER in chapter["classes"]:
                        chapter.parent.remove(chapter)
            last = paragraph[-1]
            if isinstance(last, nodes.Text) and str(last).endswith("."):
                paragraph.replace(last, nodes.Text(str(last)[:-1]))
            lead += [nodes.Text("; " if number else " "), *paragraph.children]
        lead += nodes.Text(".")
        listing.parent.remove(listing)


def cite_place(
    app: Sphinx, doctree: nodes.document, docname: str, place: copy_edit_place, labelled: set
) -> list[nodes.Node]:
    env = app.env
    target = env.domains.standard_domain.labels.get(place["chapter"].lower())
    if target is None:
        return []  # the chapter's link says so, at the same entry
    chapter = target[0]
    latex = is_latex(app.builder)
    # the PDF's one tree holds the chapter, where its words get their page's label
    tree = doctree if latex else env.get_doctree(chapter)
    documents = documents_of(tree, docname if latex else chapter)
    words = plain(place["words"].replace("*", ""))
    found = []
    for number in tree.findall(paragraph_number):
        if documents[id(number)] == chapter:
            text, where = running_text(number.parent)
            if (start := text.find(words)) >= 0:
                found.append((number, where[start]))
    if not found and words in plain(env.titles[chapter].astext()):
        return [nodes.Text(ITS_TITLE)]  # the link to the chapter shows it
    if len(found) != 1:
        cited = ", ".join(f"¶ {number['number']}" for number, _ in found)
        logger.warning(
            "the edition's words %r are in %s of the chapter %r%s",
            place["words"],
            f"{len(found)} numbered paragraphs ({cited})" if found else "no numbered paragraph",
            place["chapter"],
            ": add neighbouring words until they are in one" if found else "",
            location=place,
        )
        return []
    number, (text, offset) = found[0]
    # kept on one line with what it numbers: "ch. 4", "¶ 2", "p. 17"
    cited = citation_of(env, chapter, number).replace(". ", ".\u00a0").replace("¶ ", "¶\u00a0")
    if latex:
        label = f"book-copy-edit-{place['entry']}"
        if label not in labelled:
            mark = nodes.raw("", rf"\label{{{label}}}", format="latex")
            pieces = [nodes.Text(text[:offset])] if offset else []
            text.parent.replace(text, [*pieces, mark, nodes.Text(text[offset:])])
            labelled.add(label)
        return [
            nodes.Text(" ("),
            nodes.raw("", rf"\hyperlink{{{paragraph_id(number)}}}{{", format="latex"),
            nodes.Text(f"{cited}, p.\u00a0"),
            nodes.raw("", rf"\pageref*{{{label}}}}}", format="latex"),
            nodes.Text(")"),
        ]
    try:
        link = make_refnode(app.builder, docname, chapter, paragraph_id(number), nodes.Text(cited))
    except NoUri:
        return [nodes.Text(f" ({cited})")]
    link["classes"].append("book-copy-edit-paragraph")
    return [nodes.Text(" ("), link, nodes.Text(")")]


def setup(app: Sphinx) -> None:
    app.add_config_value("book_copy_edits", "", "env", types=frozenset({str}))
    app.add_node(copy_edit_place)
    app.add_directive("copy-edits", CopyEditsDirective)
    app.connect("env-get-outdated", reread_on_renumbering)
    LISTING.connect(app)
    app.connect("doctree-resolved", place_copy_edits, priority=order.PLACE_COPY_EDITS)
