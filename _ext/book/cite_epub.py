"""The EPUB as a citable edition: the date cited, and the PDF edition's page numbers.

**The date.** Sphinx dates the package document's ``dc:date`` and ``dcterms:modified``
alike, from ``SOURCE_DATE_EPOCH``.  ``dcterms:modified`` is when the file was made and
stays so; ``dc:date`` is the publication's date, the one ``CITATION.cff`` gives.

**The PDF's pages.** A reader of the EPUB can cite "p. 5" of the PDF: where each page
of the PDF edition begins, the EPUB has a page break marker (``epub:type="pagebreak"``,
``role="doc-pagebreak"``, labelled with the PDF's printed page number), its navigation
document a ``page-list``, and its package document names the PDF edition as the source
of the pagination (a ``dc:source`` refined by ``source-of`` ``pagination``: EPUBCheck
4.2.6, which Debian ships, predates EPUB 3.3's ``pageBreakSource``).

The pages come from the PDF that ``make latexpdf`` left beside the EPUB's folder
(``<build folder>/latex/<name>.pdf``; ``make dist`` builds it first), read with
poppler's ``pdftotext``, one page at a time, each with its printed number (a page that
prints none, the title page, numbered from its neighbour: "i" before "ii").  Every page
is marked:

* the front matter (the roman pages before the essay): its first page, the title page,
  at the start of the EPUB's title page; the next, the contents, at the start of the
  landing page, which holds the EPUB's contents;
* each page of the essay and its back matter: found in the EPUB's text, once the
  sources are read: its first words, letters and digits only (so line breaks, hyphens
  and the margin's paragraph numbers do not matter), searched for in the text of the
  book's documents in reading order.  The marker goes before the first of those words,
  or before the heading, paragraph or box that they begin;
* the pages after the last of those, the general index: at the start of the EPUB's own
  index.

Read the Docs builds the PDF before the EPUB and keeps it in ``$READTHEDOCS_OUTPUT/pdf/``:
the EPUB takes its pages from there, and names the PDF by its download address for
this edition.  Without a PDF (a plain ``make epub`` without TeX, Read the Docs building
the EPUB alone), or with one older than the sources, the EPUB has no page numbers, and the build
says so.  A page of the essay whose words are not in the EPUB's text is a warning: the
PDF is of another text.

The builder extends the book's EPUB builder (``epub.BookEpubBuilder``) and takes the
``epub`` name over from it, so this module is wired after ``epub`` in ``PIPELINE``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

from . import order
from .builders import is_epub
from .citation import MOVING_VERSIONS, book_citation, cited_url
from .downloads import readthedocs_url
from .epub import TITLE_PAGE, BookEpubBuilder, edit_xml
from .paragraphs import NOT_PRINTED

logger = logging.getLogger(__name__)

#: How many letters and digits of a page's start are looked for in the EPUB's text.
KEY = 40
#: How many letters and digits at a page's start may be skipped in the search: a
#: heading's number, which the EPUB's text does not hold.
SKIPPABLE = 12
#: An element can be preceded by a page break marker only within these.
FLOW = (
    nodes.section, nodes.document, addnodes.start_of_file, nodes.Admonition,
    nodes.container, nodes.topic, nodes.list_item, nodes.definition, nodes.block_quote,
    nodes.compound, nodes.entry,
)  # fmt: skip
MARGIN_NUMBER = re.compile(r"(?<=\S) {3,}\d{1,4} *$", re.MULTILINE)
PAGE_SOURCE_ID = "pagination-source"


class page_break(nodes.Element):
    """Where a page of the PDF edition begins (EPUB only)."""


def marker_attributes(label: str) -> dict[str, str]:
    """A page break marker's attributes, on an empty ``<span>``."""
    return {
        "id": f"page-{label}",
        "epub:type": "pagebreak",
        "role": "doc-pagebreak",
        "aria-label": label,
    }


def visit_page_break(self: HTML5Translator, node: page_break) -> None:
    attributes = " ".join(f'{k}="{v}"' for k, v in marker_attributes(node["label"]).items())
    self.body.append(f"<span {attributes}></span>")
    raise nodes.SkipNode


# -- The PDF's pages -------------------------------------------------------------------


def squash(text: str) -> str:
    """Letters and digits only, in lower case: text from either edition compares."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).lower() if c.isalnum())


@dataclass(frozen=True)
class Page:
    label: str  # the printed page number ("ii", "5")
    start: str  # the page's text, squashed


ROMAN = re.compile(r"[ivxlcdm]+")
ROMAN_DIGITS = [
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
]  # fmt: skip


def roman(number: int) -> str:
    """``4`` -> ``iv``."""
    out = ""
    for value, letters in ROMAN_DIGITS:
        count, number = divmod(number, value)
        out += letters * count
    return out


def from_roman(text: str) -> int:
    """``iv`` -> ``4``: the number whose numeral it is (0 for none)."""
    return next((n for n in range(1, 4000) if roman(n) == text), 0)


def page_number(label: str) -> tuple[str, int]:
    """A printed page number's style and value: ``("roman", 2)``, ``("arabic", 5)``."""
    return ("arabic", int(label)) if label.isdigit() else ("roman", from_roman(label))


def labelled(pages: list[tuple[str | None, str]]) -> list[Page]:
    """Each page with its printed number; a page that prints none (the title page) takes
    the number before its next page's, in that page's style, or after its last one's."""
    labels = [label for label, _ in pages]
    for i in reversed(range(len(labels))):
        following = labels[i + 1] if i + 1 < len(labels) else None
        if labels[i] is None and following:
            style, value = page_number(following)
            if value > 1:
                labels[i] = str(value - 1) if style == "arabic" else roman(value - 1)
    for i in range(1, len(labels)):
        if labels[i] is None and labels[i - 1]:
            style, value = page_number(labels[i - 1])
            labels[i] = str(value + 1) if style == "arabic" else roman(value + 1)
    return [Page(label, text) for label, (_, text) in zip(labels, pages, strict=True) if label]


def pdf_pages(pdf: Path) -> list[Page]:
    """The PDF's pages, each with its printed number and its text."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    pages: list[tuple[str | None, str]] = []
    for text in result.stdout.split("\f")[:-1]:  # the text ends with a form feed
        lines = [line for line in text.splitlines() if line.strip()]
        foot = lines[-1].strip() if lines else ""
        if foot.isdigit() or ROMAN.fullmatch(foot):
            pages.append((foot, squash(MARGIN_NUMBER.sub("", "\n".join(lines[:-1])))))
        else:
            pages.append((None, squash("\n".join(lines))))
    return labelled(pages)


def pdf_of(app: Sphinx) -> Path:
    """Where ``make latexpdf`` leaves the PDF, beside the EPUB's build folder; on Read
    the Docs, where it keeps the PDF it has built before the EPUB: the one file in
    ``$READTHEDOCS_OUTPUT/pdf/``, named after the project there (README, "Hosting")."""
    target = app.config.latex_documents[0][1]
    beside = Path(app.outdir).parent / "latex" / Path(target).with_suffix(".pdf").name
    output = os.environ.get("READTHEDOCS_OUTPUT")
    if os.environ.get("READTHEDOCS") == "True" and output and not beside.is_file():
        built = sorted(Path(output, "pdf").glob("*.pdf"))
        if len(built) == 1:
            return built[0]
    return beside


def pdf_address(config: Any) -> str:
    """The address of this edition's PDF, which does not change with later editions: on
    Read the Docs, its download address for this edition's version (``latest`` made
    ``1.0``, as ``citation.edition_url`` does for the site); elsewhere, beside the
    edition's pages, where ``make dist`` puts it."""
    if os.environ.get("READTHEDOCS") == "True":
        environ = dict(os.environ)
        if environ.get("READTHEDOCS_VERSION") in MOVING_VERSIONS:
            environ["READTHEDOCS_VERSION"] = book_citation(config).version.lower()
        return readthedocs_url(environ, "pdf")
    pdf_name = Path(config.latex_documents[0][1]).with_suffix(".pdf").name
    return f"{cited_url(config)}{pdf_name}"


def why_no_pages(app: Sphinx, pdf: Path) -> str | None:
    """Why the EPUB gets no page numbers, or None when it can have them."""
    if not pdf.is_file():
        return f"no PDF edition at {pdf}"
    if not shutil.which("pdftotext"):
        return "pdftotext is missing (sudo apt-get install poppler-utils)"
    newest = max(Path(app.env.doc2path(doc)).stat().st_mtime for doc in app.env.found_docs)
    if pdf.stat().st_mtime < newest:
        return f"the PDF edition at {pdf} is older than the sources"
    return None


# -- The EPUB's text -------------------------------------------------------------------


@dataclass
class Run:
    """One text node of a document, as the search sees it."""

    node: nodes.Text
    start: int  # where its letters and digits start in the document's squashed text
    offsets: list[int]  # the position in the node of each of its letters and digits


def text_runs(tree: nodes.Node) -> list[Run]:
    """A document's text nodes in reading order, less what is not running text."""
    runs, position = [], 0
    stack: list[nodes.Node] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, NOT_PRINTED):  # in neither edition's running text
            continue
        if isinstance(node, nodes.Text):
            text = unicodedata.normalize("NFKC", str(node))
            offsets = [i for i, c in enumerate(text) if c.isalnum()]
            if len(text) != len(str(node)):  # a ligature or the like: no exact position
                offsets = [0] * len(squash(str(node)))
            if offsets:
                runs.append(Run(node, position, offsets))
                position += len(offsets)
        else:
            stack.extend(reversed(node.children))
    return runs


def reading_order(env: BuildEnvironment, root: str) -> list[str]:
    """The documents as the contents list them, depth first."""
    found: list[str] = []

    def walk(docname: str) -> None:
        for child in env.toctree_includes.get(docname, []):
            if child not in found:
                found.append(child)
                walk(child)

    walk(root)
    return found


def place_pages(
    pages: list[Page], texts: dict[str, str]
) -> tuple[dict[str, list[tuple[int, str]]], list[str], list[str]]:
    """Find each page's start in the documents' squashed texts, in order.

    Returns ``{document: [(offset, label)]}``, the labels of the pages not found, and
    those of the pages after the last one found (the general index, which the EPUB
    makes its own).
    """
    whole, starts = "", []
    for docname, text in texts.items():
        starts.append((len(whole), docname))
        whole += text
    placed: dict[str, list[tuple[int, str]]] = {}
    missing: list[str] = []
    cursor = 0
    for page in pages:
        found = -1
        for skip in range(min(SKIPPABLE, len(page.start) - 1) + 1):
            found = whole.find(page.start[skip : skip + KEY], cursor)
            if found >= 0:
                break
        if found < 0:
            missing.append(page.label)
            continue
        cursor = found + 1
        docstart, docname = max(s for s in starts if s[0] <= found)
        placed.setdefault(docname, []).append((found - docstart, page.label))
    labels = [page.label for page in pages]
    found_labels = {label for marks in placed.values() for _, label in marks}
    last = max((labels.index(label) for label in found_labels), default=-1)
    return (
        placed,
        [label for label in missing if labels.index(label) < last],
        [label for label in missing if labels.index(label) > last],
    )


def front_matter(pages: list[Page]) -> tuple[list[Page], list[Page]]:
    """The PDF's front matter (the pages before the first arabic number), and the rest."""
    first = next((i for i, page in enumerate(pages) if page.label.isdigit()), len(pages))
    return pages[:first], pages[first:]


def plan_page_breaks(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Once the sources are read and the sections numbered: where each page of the PDF
    begins in the EPUB (its text as it will be written: the About page's copy-edits
    cite "ch. 4, ¶ 2", which Sphinx's section numbers give).

    Returns the documents whose markers changed, to be written again.
    """
    if not is_epub(app.builder):
        return []
    before = getattr(env, "book_page_breaks", {})
    pdf = pdf_of(app)
    reason = why_no_pages(app, pdf)
    if reason is not None:
        logger.info(
            "EPUB: %s, so no page numbers of the PDF edition; build the PDF first "
            "(make latexpdf, or make dist)",
            reason,
        )
        env.book_page_breaks = {}
        env.book_whole_pages = {}
        env.book_page_labels = []
        env.book_pagination_source = None
        return sorted(before)
    # known before the planning reads the pages' text, which holds the About page's
    # accessibility statement: it names the page features (epub.accessibility_metadata)
    env.book_pagination_source = str(pdf)
    app.builder.book_planning = True
    try:
        texts = {}
        for docname in reading_order(env, app.config.root_doc):
            tree = env.get_and_resolve_doctree(docname, app.builder, tags=app.builder.tags)
            texts[docname] = "".join(squash(str(run.node)) for run in text_runs(tree))
    finally:
        app.builder.book_planning = False
    front, pages = front_matter(pdf_pages(pdf))
    placed, missing, end = place_pages(pages, texts)
    # the title page and the general index are written whole, after the documents
    whole: dict[str, list[str]] = {}
    if front:
        whole[TITLE_PAGE] = [front[0].label]
    for page in front[1:2]:  # the contents: the landing page holds the EPUB's
        placed.setdefault(app.config.root_doc, []).insert(0, (0, page.label))
    if front[2:]:
        logger.info(
            "EPUB: the PDF's contents run to page %s; pages after %s have no marker",
            front[-1].label, front[1].label,
        )  # fmt: skip
    if end and app.builder.use_index:
        whole["genindex"] = end
    for label in missing:
        logger.warning(
            "EPUB: page %s of the PDF edition (%s) begins with words the EPUB does not "
            "have: is the PDF of another text? Build it again (make latexpdf)",
            label, pdf, type="book", subtype="pagination",
        )  # fmt: skip
    env.book_page_breaks = placed
    env.book_whole_pages = whole
    env.book_page_labels = [page.label for page in [*front, *pages]]
    marked = sum(map(len, placed.values())) + sum(map(len, whole.values()))
    logger.info("EPUB: %d pages of the PDF edition marked, from %s", marked, pdf)
    return sorted(doc for doc in set(before) | set(placed) if before.get(doc) != placed.get(doc))


def insert_page_breaks(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """As an EPUB page is written: its page break markers, where the plan puts them."""
    if not is_epub(app.builder) or getattr(app.builder, "book_planning", False):
        return
    marks = getattr(app.env, "book_page_breaks", {}).get(docname)
    if not marks:
        return
    runs = text_runs(doctree)
    for offset, label in reversed(marks):  # from the end, so earlier offsets hold
        run = next(r for r in runs if r.start <= offset < r.start + len(r.offsets))
        marker = page_break(label=label)
        at = run.offsets[offset - run.start]
        if offset == run.start:
            block = block_started_by(run.node, runs)
            if block is not None:
                block.parent.insert(block.parent.index(block), marker)
                continue
        text = str(run.node)
        pieces = [nodes.Text(text[:at]), marker, nodes.Text(text[at:])]
        run.node.parent.replace(run.node, [p for p in pieces if not isinstance(p, nodes.Text) or p])


def block_started_by(text: nodes.Text, runs: list[Run]) -> nodes.Element | None:
    """The largest element (below a section) whose running text starts with *text*, and
    which may be preceded by a marker; None when there is none."""
    best, node = None, text
    while node.parent is not None and not isinstance(node.parent, (nodes.section, nodes.document)):
        parent = node.parent
        first = next((r.node for r in runs if _contains(parent, r.node)), None)
        if first is not text:
            break
        node = parent
        if isinstance(node.parent, FLOW):
            best = node
    return best


def _contains(element: nodes.Element, text: nodes.Text) -> bool:
    node: nodes.Node | None = text
    while node is not None:
        if node is element:
            return True
        node = node.parent
    return False


# -- The builder ---------------------------------------------------------------------


class CitableEpubBuilder(BookEpubBuilder):
    """The book's EPUB builder, with the citation's date and the PDF's pages."""

    book_planning = False

    def page_targets(self) -> list[tuple[str, str]]:
        """``(label, href)`` of every page break marker, in page order."""
        marks = getattr(self.env, "book_page_breaks", {})
        found = [
            (label, f"{self.get_target_uri(docname)}#page-{label}")
            for docname, pages in marks.items()
            for _offset, label in pages
        ]
        found += [
            (label, f"{page}{self.out_suffix}#page-{label}")
            for page, labels in getattr(self.env, "book_whole_pages", {}).items()
            for label in labels
        ]
        order = getattr(self.env, "book_page_labels", [])
        return sorted(found, key=lambda item: order.index(item[0]))

    def mark_whole_pages(self) -> None:
        """The markers of the PDF's pages that the title page and the index begin: at
        the start of their page's section (both are written again on every build)."""
        for page, labels in getattr(self.env, "book_whole_pages", {}).items():
            with edit_xml(Path(self.outdir, page + self.out_suffix)) as xhtml:
                section = xhtml.getElementsByTagName("section")[0]
                for label in reversed(labels):
                    marker = xhtml.createElement("span")
                    for name, value in marker_attributes(label).items():
                        marker.setAttribute(name, value)
                    marker.appendChild(xhtml.createTextNode(""))  # <span></span>, not <span/>
                    section.insertBefore(marker, section.firstChild)

    def build_content(self) -> None:
        self.mark_whole_pages()
        super().build_content()
        with edit_xml(Path(self.outdir, "content.opf")) as opf:
            (date,) = opf.getElementsByTagName("dc:date")
            date.firstChild.data = book_citation(self.config).date.isoformat()
            if self.page_targets():
                self.name_the_pages_source(opf)

    def name_the_pages_source(self, opf: Any) -> None:
        """``dc:source``: the PDF edition, refined as the source of the pagination."""
        metadata = opf.getElementsByTagName("metadata")[0]
        source = opf.createElement("dc:source")
        source.setAttribute("id", PAGE_SOURCE_ID)
        # the PDF of this edition (its own address), not whichever edition is latest
        source.appendChild(opf.createTextNode(pdf_address(self.config)))
        refines = opf.createElement("meta")
        refines.setAttribute("refines", f"#{PAGE_SOURCE_ID}")
        refines.setAttribute("property", "source-of")
        refines.appendChild(opf.createTextNode("pagination"))
        # pageBreakMarkers and pageNavigation come with the rest of the accessibility
        # metadata (epub.accessibility_metadata, which the About page's statement reads)
        for element in (source, refines):
            metadata.insertBefore(opf.createTextNode("\n    "), metadata.lastChild)
            metadata.insertBefore(element, metadata.lastChild)

    def build_navigation_doc(self) -> None:
        super().build_navigation_doc()
        targets = self.page_targets()
        if not targets:
            return
        with edit_xml(Path(self.outdir, "nav.xhtml")) as nav_doc:
            nav = nav_doc.createElement("nav")
            nav.setAttribute("epub:type", "page-list")
            nav.setAttribute("hidden", "hidden")
            heading = nav_doc.createElement("h2")
            heading.appendChild(nav_doc.createTextNode("Pages of the PDF edition"))
            pages = nav_doc.createElement("ol")
            for label, href in targets:
                link = nav_doc.createElement("a")
                link.setAttribute("href", href)
                link.appendChild(nav_doc.createTextNode(label))
                item = nav_doc.createElement("li")
                item.appendChild(link)
                pages.appendChild(item)
            nav.appendChild(heading)
            nav.appendChild(pages)
            body = nav_doc.getElementsByTagName("body")[0]
            body.appendChild(nav)
            body.appendChild(nav_doc.createTextNode("\n"))


def setup(app: Sphinx) -> None:
    app.add_node(page_break, html=(visit_page_break, None))
    app.add_builder(CitableEpubBuilder, override=True)
    app.connect("env-get-updated", plan_page_breaks, priority=order.PLAN_PAGE_BREAKS)
    app.connect("doctree-resolved", insert_page_breaks, priority=900)
