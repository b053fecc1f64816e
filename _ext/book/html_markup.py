"""Valid, accessible HTML where Sphinx's and sphinx-design's defaults fall short.

* Sphinx renders a toctree's caption as ``<p role="heading">`` with no
  ``aria-level``, which ARIA requires (axe's ``aria-required-attr`` and the Nu
  Html Checker both report it, in the page's contents and in furo's sidebar).
  The captions in the page's text sit under its title, so they become level-2
  headings; those of the sidebars (the theme's ``toctree()``) are plain text: they
  are no part of the page's outline, and the menu's come before its h1.
* Sphinx writes an admonition as a ``<div>`` titled by a ``<p>``: a highlight becomes an
  ``<aside>`` and a FAQ box (the EPUB's and the PDF's, where the FAQ's dropdowns are
  boxes) a ``<section>``, each named by a real heading one level below its section.
  On the web a FAQ question stays a dropdown's ``<summary>``, its words a heading
  inside it (HTML allows one there), so a screen reader moves from question to
  question as from heading to heading.
* A target just before a dropdown (an ``{index}`` entry, say) adds a second id
  to the dropdown, and docutils writes extra ids as empty ``<span>`` elements
  after the start tag: inside ``<details>`` that puts a ``<span>`` before the
  ``<summary>``, which must come first.  The extra ids move onto the summary.
* furo's page (``_templates/page.html`` passes it to ``book_furo_page``) is edited
  by what its elements are, read with the standard library's HTML parser, not by
  their exact text, so that an attribute furo adds or moves changes nothing here:
  the menu and contents icons (a ``<label>`` for the ``__navigation`` or ``__toc``
  checkbox that is not an overlay) become buttons that name and control their
  drawers (``_static/book.js`` opens and closes them); the navigation drawer
  (``aside.sidebar-drawer``) becomes a ``<nav>`` named "Book", the contents drawer
  (``aside.toc-drawer``) a named region.  Only those tags are rewritten;
  every other byte of furo's page is left as it is.  An element that is not found
  is reported once per build, naming what to check.  Upstream text:
  docs/upstream.md, "furo: the drawers, the sidebars and the header with a keyboard,
  a screen reader and zoom"; this goes when furo's page does it itself.
"""

from __future__ import annotations

import html
import re
import weakref
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx_design.dropdown import dropdown_main, dropdown_title

from . import order
from .builders import is_web_page, writes_html

logger = logging.getLogger(__name__)


def in_the_page(caption: nodes.title) -> bool:
    """Whether a toctree's caption is in the page's text, where the toctree directive left
    it in its ``toctree-wrapper``, not in a theme's sidebar, which Sphinx renders from the
    toctree alone (``toctree()`` in a template)."""
    wrapper = caption.parent.parent
    return isinstance(wrapper, nodes.compound) and "toctree-wrapper" in wrapper["classes"]


class CaptionLevels:
    """A translator mixin that gives the page's toctree captions a heading level, and
    the sidebars' none."""

    def visit_title(self, node: nodes.title) -> None:
        parent = node.parent
        if isinstance(parent, addnodes.compact_paragraph) and parent.get("toctree"):
            if in_the_page(node):
                attributes = {"CLASS": "caption", "ROLE": "heading", "aria-level": "2"}
            else:
                attributes = {"CLASS": "caption"}
            self.body.append(self.starttag(node, "p", "", **attributes))
            self.body.append('<span class="caption-text">')
            self.context.append("</span></p>\n")
        else:
            super().visit_title(node)


#: The element each kind of box becomes: a highlight is an aside to the chapter, a FAQ
#: box (in the EPUB, where it is no dropdown) a part of the FAQ's own text.
BOX_ELEMENTS = {"book-highlight": "aside", "book-faq": "section"}


def box_element(node: nodes.Element) -> str | None:
    """``aside`` or ``section`` for a highlight or FAQ box with a title, else None."""
    if not isinstance(node, nodes.Admonition) or not node.children:
        return None
    if not isinstance(node[0], nodes.title):
        return None
    return next((tag for cls, tag in BOX_ELEMENTS.items() if cls in node["classes"]), None)


def faq_question(node: nodes.Element) -> bool:
    """Whether *node* holds the words of a FAQ dropdown's question (sphinx-design's
    ``sd-summary-text`` inline, in the ``<summary>`` of a ``book-faq`` dropdown)."""
    title = node.parent
    return (
        isinstance(node, nodes.inline)
        and "sd-summary-text" in node["classes"]
        and isinstance(title, dropdown_title)
        and "book-faq" in title.parent.get("classes", [])
    )


class BoxElements:
    """A translator mixin that writes each highlight as an ``<aside>`` and each FAQ box
    as a ``<section>``, named by a real heading one level below the section it sits in,
    so that a screen reader can list them and move from one to the next (Sphinx writes
    an admonition as a ``<div>`` titled by a ``<p>``); a FAQ dropdown's question, a
    heading of that level inside its ``<summary>``."""

    def __init__(self, document: nodes.document, builder: Any) -> None:
        super().__init__(document, builder)
        self.box_count = 0
        self.box_title_ids: list[str] = []

    def visit_admonition(self, node: nodes.Element, name: str = "") -> None:
        tag = box_element(node)
        if tag is None:
            super().visit_admonition(node, name)
            return
        self.box_count += 1
        title_id = f"{node['ids'][0] if node['ids'] else f'book-box-{self.box_count}'}-title"
        self.box_title_ids.append(title_id)
        self.body.append(
            self.starttag(node, tag, CLASS="admonition", **{"aria-labelledby": title_id})
        )

    def depart_admonition(self, node: nodes.Element | None = None) -> None:
        tag = box_element(node) if node is not None else None
        if tag is None:
            super().depart_admonition(node)
            return
        self.box_title_ids.pop()
        self.body.append(f"</{tag}>\n")

    def visit_title(self, node: nodes.title) -> None:
        if box_element(node.parent) is None:
            super().visit_title(node)
            return
        # one level below the section the box sits in: h2 in a chapter or the FAQ
        level = self.heading_level()
        title_id = self.box_title_ids[-1]
        self.body.append(
            self.starttag(node, f"h{level}", "", CLASS="admonition-title", ids=[title_id])
        )
        self.context.append(f"</h{level}>\n")

    def heading_level(self) -> int:
        return min(self.section_level + self.initial_header_level, 6)

    def visit_inline(self, node: nodes.inline) -> None:
        if not faq_question(node):
            super().visit_inline(node)
            return
        self.body.append(self.starttag(node, f"h{self.heading_level()}", ""))

    def depart_inline(self, node: nodes.inline) -> None:
        if not faq_question(node):
            super().depart_inline(node)
            return
        self.body.append(f"</h{self.heading_level()}>")


def wrap_translator(app: Sphinx) -> None:
    """Wrap whichever translator the builder would use (another extension's, too) in the
    caption levels and the box elements."""
    if not writes_html(app.builder):
        return
    base = app.builder.get_translator_class()
    translator = type(f"Book{base.__name__}", (CaptionLevels, BoxElements, base), {})
    app.set_translator(app.builder.name, translator, override=True)


class OneIdPerDetails(SphinxPostTransform):
    """Keep a dropdown's first id on ``<details>`` and move the rest to ``<summary>``."""

    default_priority = order.ONE_ID_PER_DETAILS
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for details in self.document.findall(dropdown_main):
            if len(details["ids"]) > 1 and isinstance(details[0], dropdown_title):
                details[0]["ids"][:0] = details["ids"][1:]
                del details["ids"][1:]


# -- furo's page, edited by element -----------------------------------------------------

#: The checkboxes furo's icons toggle: the drawer each opens (its id, set below) and the
#: icon's name.
DRAWERS = {"__navigation": ("book-navigation", "Menu"), "__toc": ("book-toc", "On this page")}
#: What is edited, as a reader of furo's page.html would look for it.
EXPECTED = {
    "menu": 'the menu icon, a <label for="__navigation"> that is not the overlay',
    "contents": 'the contents icons, a <label for="__toc"> that is not the overlay',
    "navigation": 'the navigation drawer, <aside class="sidebar-drawer">',
    "toc": 'the contents drawer, <aside class="toc-drawer">',
}
#: What stands for a part of the page set aside while it is read (a comment: no tags).
ASIDE = "<!-- book: part {} of the page, set aside -->"


@dataclass
class Tag:
    """A start or end tag of the page, and where its text starts and ends."""

    name: str
    attrs: list[tuple[str, str | None]]
    start: int
    end: int
    closing: bool = False

    @property
    def classes(self) -> list[str]:
        return (dict(self.attrs).get("class") or "").split()

    def get(self, name: str) -> str | None:
        return dict(self.attrs).get(name)


class Tags(HTMLParser):
    """Every tag of a page, in order, with its place in the text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.lines = [0, *(m.end() for m in re.finditer("\n", text))]
        self.tags: list[Tag] = []
        self.feed(text)
        self.close()

    def here(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self.here()
        self.tags.append(Tag(tag, attrs, start, start + len(self.get_starttag_text())))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        start = self.here()
        self.tags.append(Tag(tag, [], start, self.text.index(">", start) + 1, closing=True))


def attribute_value(value: str) -> str:
    """An attribute value escaped as docutils escapes it: &, <, > and the double quote."""
    return html.escape(value, quote=False).replace('"', "&quot;")


def start_tag(name: str, attrs: list[tuple[str, str | None]]) -> str:
    """A start tag, its attribute values escaped as docutils escapes them."""
    text = "".join(
        f" {key}" if value is None else f' {key}="{attribute_value(value)}"' for key, value in attrs
    )
    return f"<{name}{text}>"


def end_of(tags: list[Tag], number: int) -> int | None:
    """The number of the tag that ends the element that tag *number* starts (None if
    nothing does: the element is then left as it is, and reported as not found)."""
    name, depth = tags[number].name, 0
    for later in range(number + 1, len(tags)):
        tag = tags[later]
        if tag.name == name:
            if tag.closing and depth == 0:
                return later
            depth += -1 if tag.closing else 1
    return None


def without(attrs: list[tuple[str, str | None]], *names: str) -> list[tuple[str, str | None]]:
    return [(key, value) for key, value in attrs if key not in names]


def edit_furo_page(text: str, *parts: str) -> tuple[str, set[str]]:
    """furo's rendered page with its controls and landmarks edited; and what of
    ``EXPECTED`` it lacks.  The *parts* of the page with nothing to edit (the navigation
    tree, which grows with the book, and the page's text) are set aside while the page is
    read, and put back: reading costs the same whatever the book's size."""
    kept = {}
    for number, part in enumerate(parts):
        stand_in = ASIDE.format(number)
        if part and stand_in not in text and text.count(part) == 1:
            text = text.replace(part, stand_in)
            kept[stand_in] = part
    tags = Tags(text).tags
    edits: list[tuple[int, int, str]] = []  # start, end, replacement
    found: set[str] = set()
    for number, tag in enumerate(tags):
        if tag.closing:
            continue
        target = tag.get("for")
        if tag.name == "label" and target in DRAWERS and "overlay" not in tag.classes:
            drawer, name = DRAWERS[target]
            own = {"type", "aria-expanded", "aria-controls", "data-book-toggle", "aria-label"}
            attrs = [
                *without(tag.attrs, "for", *own),
                ("type", "button"),
                ("aria-expanded", "false"),
                ("aria-controls", drawer),
                ("data-book-toggle", target),
                ("aria-label", name),
            ]
            edits.append((tag.start, tag.end, start_tag("button", attrs)))
            last = end_of(tags, number)
            if last is None:
                continue
            for inner in tags[number + 1 : last]:
                if inner.name == "svg" and not inner.closing and inner.get("aria-hidden") is None:
                    inner_attrs = [*inner.attrs, ("aria-hidden", "true")]
                    edits.append((inner.start, inner.end, start_tag("svg", inner_attrs)))
            edits.append((tags[last].start, tags[last].end, "</button>"))
            found.add("menu" if target == "__navigation" else "contents")
        elif tag.name == "aside" and "sidebar-drawer" in tag.classes:
            last = end_of(tags, number)
            if last is None:
                continue
            found.add("navigation")
            attrs = [*without(tag.attrs, "id", "aria-label"), ("id", DRAWERS["__navigation"][0])]
            edits.append((tag.start, tag.end, start_tag("nav", [*attrs, ("aria-label", "Book")])))
            edits.append((tags[last].start, tags[last].end, "</nav>"))
        elif tag.name == "aside" and "toc-drawer" in tag.classes:
            found.add("toc")
            drawer, name = DRAWERS["__toc"]
            attrs = [("id", drawer), ("aria-label", name), *without(tag.attrs, "id", "aria-label")]
            edits.append((tag.start, tag.end, start_tag("aside", attrs)))
    pieces, position = [], 0
    for start, end, replacement in sorted(edits):
        pieces += [text[position:start], replacement]
        position = end
    pieces.append(text[position:])
    edited = "".join(pieces)
    for stand_in, part in kept.items():
        edited = edited.replace(stand_in, part)
    return edited, set(EXPECTED) - found


def furo_version() -> str:
    import furo  # the theme, imported by Sphinx once the builder is made

    return furo.__version__


#: An element at least this long, with nothing to edit in it, is set aside on every page
#: where it comes back the same (furo's icons: 10 kB of SVG paths on every page).
LONG = 4096
#: The tags that are edited, or hold what is.
EDITED = frozenset({"label", "aside"})


def unchanging_parts(text: str, *parts: str) -> list[str]:
    """The long elements of a page that hold nothing to edit nor any of *parts*, outermost
    first: set aside on the build's other pages, where they come back the same."""
    tags = Tags(text).tags
    found, covered = [], 0
    for number, tag in enumerate(tags):
        if tag.closing or tag.start < covered:
            continue
        last = end_of(tags, number)
        if last is None or tags[last].end - tag.start < LONG:
            continue
        inner = tags[number : last + 1]
        element = text[tag.start : tags[last].end]
        if any(t.name in EDITED for t in inner) or any(p and p in element for p in parts):
            continue
        found.append(element)
        covered = tags[last].end
    return found


#: The parts set aside on every page of a build, found on its first page.
_unchanging: weakref.WeakKeyDictionary[Sphinx, list[str]] = weakref.WeakKeyDictionary()
#: What each build has reported missing from furo's page (once per build, not per page).
_reported: weakref.WeakKeyDictionary[Sphinx, set[str]] = weakref.WeakKeyDictionary()


def furo_page(app: Sphinx, text: str, *parts: str) -> str:
    """``book_furo_page`` in ``_templates/page.html``: furo's page, edited."""
    text, parts = str(text), [str(part or "") for part in parts]
    if app not in _unchanging:
        _unchanging[app] = unchanging_parts(text, *parts)
    edited, missing = edit_furo_page(text, *parts, *_unchanging[app])
    reported = _reported.setdefault(app, set())
    for what in sorted(missing - reported):
        reported.add(what)
        logger.warning(
            "_templates/page.html: furo %s's page has no %s: check the markup that "
            "_ext/book/html_markup.py (edit_furo_page) looks for against furo's page.html, "
            "and _static/book.js, which opens the drawers",
            furo_version(),
            EXPECTED[what],
            type="book",
            subtype="furo_page",
        )
    return edited


def offer_furo_page(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if is_web_page(app.builder):
        context["book_furo_page"] = lambda text, *parts: furo_page(app, text, *parts)


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", wrap_translator, priority=order.WRAP_TRANSLATOR)
    app.add_post_transform(OneIdPerDetails)
    app.connect("html-page-context", offer_furo_page)
