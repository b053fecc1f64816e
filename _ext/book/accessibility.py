"""The About page's accessibility statement, made from the EPUB's own accessibility metadata.

The ``{accessibility-statement}`` directive marks the place.  When the page is written
(every edition: the About page is in all of them), the metadata that the EPUB's package
document declares (``epub.accessibility_metadata``, from ``conf.py`` and the book's
content) is set out as the W3C's *Accessibility Metadata Display Guide for Digital
Publications 2.0* asks: its headings, in its order, and its plain-language
("descriptive") statements in English.  As the guide allows, a group is shown only when
the metadata says something for it; "Ways of reading" and "Conformance" always are.

The PDF sets out none of it: the metadata describes the EPUB, not the PDF, and printed
it ran to a page and a half of an About page now kept to two pages at most (issue
23).  There the statement is one paragraph: the PDF is not tagged, so read the EPUB or
the one-page edition, whose About pages set the metadata out.

Which metadata: the EPUB's statement sets out its own package's.  The other editions
describe the EPUB they are published with: the one in ``BOOK_DOWNLOADS`` (``make dist``
builds the web editions beside it), read from its package; without one, the metadata
of an EPUB made without a PDF at hand, with no page numbers.  So the same sources give
the same web pages and PDF, whatever was built before them (a PDF's statement once
took the page features from the last EPUB built in the same folder).

Guide: https://www.w3.org/publishing/a11y/UX-Guide-metadata/principles/
Statements: its en-US vocabulary (``display_guide_vocabulary_w3c_en-US.json`` in
https://github.com/w3c/publ-a11y, ``a11y-meta-display-guide/2.0``).
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError, SphinxError
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from . import order
from .builders import is_epub, is_latex, is_web_page
from .envstate import DocSet
from .epub import accessibility_metadata

logger = logging.getLogger(__name__)

#: The pages that carry the accessibility statement.
STATING = DocSet("book_statement_docs")

#: The guide's statements for the metadata the book declares.
APPEARANCE_MODIFIABLE = (
    "Appearance of the text and page layout can be modified according to the capabilities "
    "of the reading system (font family and font size, spaces between paragraphs, "
    "sentences, words, and letters, as well as color of background and text)"
)
READABLE = "All content can be read as read aloud speech or dynamic braille"
NO_INFORMATION = "No information is available."
NAVIGATION = {
    "tableOfContents": "Table of contents to all chapters of the text via links",
    "index": "Index with links to referenced entries",
    "structuralNavigation": "Elements such as headings, tables, etc for structured navigation",
    "pageNavigation": "Page list to go to pages from the print source version",
}
HAZARDS = {"none": "The publication contains no hazards"}
ADDITIONAL = {
    "ARIA": (
        "Content is enhanced with ARIA roles to optimize organization and facilitate navigation"
    ),
    "pageBreakMarkers": "Page breaks included from the original print source",
}
#: The features an EPUB has only when the PDF's pages were at hand as it was made.
PAGINATION = {
    ("schema:accessibilityFeature", "pageBreakMarkers"),
    ("schema:accessibilityFeature", "pageNavigation"),
}
#: Features shown elsewhere ("Ways of reading") or for which the guide has no statement.
NOT_LISTED = {"displayTransformability", "readingOrder"}
PROPERTIES = {
    "accessMode",
    "accessModeSufficient",
    "accessibilityFeature",
    "accessibilityHazard",
    "accessibilitySummary",
}
#: The groups set as a paragraph, not as a list.
PROSE = {"Conformance", "Accessibility summary"}
#: Said under "Conformance" after the guide's statement: why the EPUB makes no claim.
NO_CLAIM = (
    "The EPUB makes no conformance claim: the automated checkers EPUBCheck and Ace by DAISY "
    "report no problems with it, but it has not had the full audit by hand that a claim needs."
)
#: What every edition says of the PDF.
UNTAGGED = (
    "The PDF is not tagged: a screen reader cannot follow its headings or reading order, "
    "so read the EPUB or the one-page web edition instead"
)
#: The statement's opening, around the guide's title: what it describes, and the
#: edition it does not.
INTRODUCTION = (
    "What the EPUB edition’s own accessibility metadata says, set out as the W3C’s ",
    "Accessibility Metadata Display Guide for Digital Publications",
    f" suggests. {UNTAGGED}.",
)
#: The PDF's whole statement: where to read the metadata it leaves out.
IN_PRINT = f"{UNTAGGED}, whose About pages set out what the EPUB’s accessibility metadata says."


def wording() -> list[str]:
    """Every phrase of a statement the EPUB's metadata may get, bar its summary (which
    ``conf.py`` gives): what the PDF, which describes no EPUB, leaves out."""
    lead, title, _rest = INTRODUCTION
    return [
        lead.split(",")[0],
        title,
        APPEARANCE_MODIFIABLE,
        READABLE,
        NO_INFORMATION,
        NO_CLAIM,
        *NAVIGATION.values(),
        *HAZARDS.values(),
        *ADDITIONAL.values(),
    ]


def statement(metadata: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """The statement's groups, ``(heading, statements)``, for the package's metadata.

    Metadata the statement has no wording for is an error, not left out in silence.
    """
    values: dict[str, list[str]] = {}
    for prop, value in metadata:
        values.setdefault(prop.removeprefix("schema:"), []).append(value)
    features = values.get("accessibilityFeature", [])
    hazards = values.get("accessibilityHazard", [])
    unknown = sorted(set(values) - PROPERTIES) + [
        value
        for value in [*features, *hazards]
        if value not in {*NOT_LISTED, *NAVIGATION, *ADDITIONAL, *HAZARDS}
    ]
    if unknown:
        raise ExtensionError(
            f"the accessibility statement has no wording for {', '.join(unknown)}: "
            "add the Display Guide's statement for it to _ext/book/accessibility.py"
        )
    readable = "textual" in values.get("accessModeSufficient", [])
    groups = [
        (
            "Ways of reading",
            [APPEARANCE_MODIFIABLE] * ("displayTransformability" in features)
            + [READABLE] * readable,
        ),
        ("Conformance", [NO_INFORMATION, NO_CLAIM]),
        ("Navigation", [text for feature, text in NAVIGATION.items() if feature in features]),
        ("Hazards", [HAZARDS[hazard] for hazard in hazards]),
        ("Accessibility summary", values.get("accessibilitySummary", [])),
        (
            "Additional accessibility information",
            [text for feature, text in ADDITIONAL.items() if feature in features],
        ),
    ]
    return [(heading, lines) for heading, lines in groups if lines]


def package_metadata(epub_file: Path) -> list[tuple[str, str]]:
    """The schema.org accessibility properties of an EPUB's package document."""
    try:
        with zipfile.ZipFile(epub_file) as epub:
            container = ET.fromstring(epub.read("META-INF/container.xml"))
            opf = ET.fromstring(epub.read(container.find(".//{*}rootfile").get("full-path")))
    except (zipfile.BadZipFile, KeyError, AttributeError, ET.ParseError) as error:
        raise SphinxError(f"{epub_file}: no EPUB the book can read ({error})") from error
    return [
        (meta.get("property"), (meta.text or "").strip())
        for meta in opf.iterfind("{*}metadata/{*}meta")
        if (meta.get("property") or "").startswith("schema:access")
    ]


def shipped_epub(app: Sphinx) -> Path | None:
    """The EPUB a web edition is published with (``BOOK_DOWNLOADS``), if any."""
    folder = os.environ.get("BOOK_DOWNLOADS")
    if not folder or not is_web_page(app.builder):
        return None
    epub = Path(folder, "epub", f"{app.config.epub_basename}.epub")
    return epub if epub.is_file() else None


def statement_source(app: Sphinx) -> str:
    """Whose metadata this build's statement sets out: ``own`` (the EPUB's), the path of
    the EPUB the edition is published with, or ``plain`` (the module's docstring says why)."""
    if is_epub(app.builder):
        return "own"
    epub = shipped_epub(app)
    return str(epub) if epub is not None else "plain"


def statement_metadata(config: Any, env: BuildEnvironment) -> list[tuple[str, str]]:
    """The metadata this build's statement sets out (known once ``cite_epub`` has looked
    for the PDF's pages, which it does reading the pages, the statement among them)."""
    source = getattr(env, "book_statement_source", "own")
    if source == "own":
        return accessibility_metadata(config, env)
    if source != "plain":
        return package_metadata(Path(source))
    return [m for m in accessibility_metadata(config, env) if m not in PAGINATION]


def note_source(app: Sphinx) -> None:
    app.env.book_statement_source = statement_source(app)


def rewrite_on_new_metadata(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The pages with a statement are written again when what it says has changed for
    this output folder (after ``cite_epub`` has looked for the PDF's pages)."""
    said = getattr(env, "book_statement_said", {})
    key, now = str(Path(app.outdir).resolve()), repr(statement_metadata(app.config, env))
    env.book_statement_said = {**said, key: now}
    if said.get(key, now) == now:
        return []
    docs = STATING.of(env)
    return sorted(docs & env.found_docs)


class accessibility_statement(nodes.General, nodes.Element):
    """Placeholder for the statement, filled in when the page is written."""


class AccessibilityStatementDirective(SphinxDirective):
    """``{accessibility-statement}``: the place of the statement, under a heading of its own."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        node = accessibility_statement()
        self.set_source_info(node)
        STATING.of(self.env).add(self.env.docname)
        return [node]


class FillAccessibilityStatement(SphinxPostTransform):
    """The web editions and the EPUB: the statement, each group under a heading one level
    below the directive's (:meth:`group` says how)."""

    default_priority = order.ANY_TIME

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(accessibility_statement)):
            parent = node.parent
            if not isinstance(parent, nodes.section) or parent[-1] is not node:
                logger.warning(
                    "the accessibility statement must end its section: give it a heading "
                    "of its own, with nothing after it",
                    location=node,
                )
            node.replace_self(
                nodes.container("", *self.content(node), classes=["book-accessibility-statement"])
            )

    def content(self, node: nodes.Element) -> list[nodes.Node]:
        """The introduction, then each group of the statement."""
        lead, title, rest = INTRODUCTION
        content: list[nodes.Node] = [
            nodes.paragraph("", lead, nodes.emphasis("", title), nodes.Text(rest))
        ]
        for heading, lines in statement(statement_metadata(self.config, self.env)):
            if heading in PROSE:
                text: nodes.Element = nodes.paragraph("", " ".join(lines))
            else:
                items = [nodes.list_item("", nodes.paragraph("", line)) for line in lines]
                text = nodes.bullet_list("", *items, bullet="-")
            content += self.group(node, heading, text)
        return content

    def group(self, node: nodes.Element, heading: str, text: nodes.Element) -> list[nodes.Node]:
        """HTML (web, one-page, EPUB): a section, whose heading the writer gives the level
        below the directive's wherever the page sits (the one-page edition nests it a
        level deeper)."""
        prefix = node.parent["ids"][0] if node.parent.get("ids") else "accessibility"
        section = nodes.section(ids=[f"{prefix}-{nodes.make_id(heading)}"])
        section += [nodes.title("", heading), text]
        return [section]


class FillAccessibilityStatementForLatex(FillAccessibilityStatement):
    """The PDF: no metadata of the EPUB's, only where to find it (the module says why)."""

    def content(self, node: nodes.Element) -> list[nodes.Node]:
        return [nodes.paragraph("", IN_PRINT)]


def add_transform(app: Sphinx) -> None:
    note_source(app)
    if is_latex(app.builder):
        app.add_post_transform(FillAccessibilityStatementForLatex)
    else:
        app.add_post_transform(FillAccessibilityStatement)


def setup(app: Sphinx) -> None:
    app.add_node(accessibility_statement)
    app.add_directive("accessibility-statement", AccessibilityStatementDirective)
    app.connect("builder-inited", add_transform)
    app.connect("env-get-updated", rewrite_on_new_metadata, priority=order.AFTER_PAGE_BREAKS)
    STATING.connect(app)
