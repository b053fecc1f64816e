"""Offer the PDF, the EPUB and the one-page edition in a panel on the landing page,
and the ways into the essay at the top of it.

The ``{start-reading}`` directive marks the landing page's first screen: a button to the
first chapter in the reading order, and one to the one-page edition wherever this
build has one beside it (the same settings as the panel's, below).  Where it has one,
each page of the essay ends with a link to the same place in it, so a reader who
began page by page reads on without turning pages, and without losing the place.

The ``{downloads}`` directive marks the place.  What the panel says is decided
when the page is written, from the environment, so one doctree serves every
setting:

* ``BOOK_DOWNLOADS=<build folder>`` (``make dist`` sets it): the PDF and the
  EPUB that ``make latexpdf`` and ``make epub`` left in ``<build folder>/latex``
  and ``<build folder>/epub`` are copied beside the pages and linked, with their
  size and build date (``SOURCE_DATE_EPOCH`` when set, else the file's date);
* on Read the Docs (``READTHEDOCS=True``): links to Read the Docs' download URLs
  on the origin of ``READTHEDOCS_CANONICAL_URL``; pull-request builds
  (``READTHEDOCS_VERSION_TYPE=external``) have no downloads, and the panel says so
  beside the link to the one-page edition, which Read the Docs builds for them too;
* anywhere else: the panel says how to get them (``make dist``).

The panel is sphinx-design's own: its ``grid``, ``grid-item-card`` and ``button-link``
directives make the grid of cards, their titles and buttons, from markup written as the
page is (``design_markup``); each card's paragraphs then go in under its title.  The
PDF's card names the paper ``latex_elements`` sets, says that the PDF is untagged and
links screen-reader users to the EPUB and the one-page edition.  Only the web edition
(``builders.is_website``) shows the panel.  The EPUB, the PDF and the one-page edition
leave out the section that holds it.
When the setting changes between two builds of the same environment, the pages
with a panel are written again.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from docutils import nodes
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError, ExtensionError
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx_design.cards import CardDirective
from sphinx_design.shared import is_component

from . import order
from .builders import is_website
from .envstate import DocSet
from .paragraphs import is_essay_page
from .quiet import stop

logger = logging.getLogger(__name__)

#: Where the one-page edition lives, relative to the web edition's root.
ONE_PAGE = "single/index.html"
#: The pages with a panel or the buttons into the essay.
PLACED = DocSet("book_downloads_docs")
#: The words of the link from an essay page to its place in the one-page edition.
READ_ON = "Read on from here with the whole essay on one page"


@dataclass(frozen=True)
class Download:
    """One file the panel offers."""

    format: str
    href: str
    size: int | None = None
    date: str | None = None
    source: Path | None = None


@dataclass(frozen=True)
class Offer:
    """What the panel offers: ``files``, ``readthedocs``, ``pull-request`` or ``none``."""

    setting: str
    downloads: tuple[Download, ...] = ()


class downloads_panel(nodes.General, nodes.Element):
    """Placeholder for the panel, filled in when the page is written."""


class start_reading(nodes.General, nodes.Element):
    """Placeholder for the buttons into the essay, filled in when the page is written."""


class PlaceholderDirective(SphinxDirective):
    """A placeholder of *node*'s kind, filled in as the page is written for this offer."""

    has_content = False
    node: type[nodes.Element]

    def run(self) -> list[nodes.Node]:
        PLACED.of(self.env).add(self.env.docname)
        node = self.node()
        self.set_source_info(node)
        return [node]


class DownloadsDirective(PlaceholderDirective):
    """``{downloads}``: the place of the Downloads panel."""

    node = downloads_panel


class StartReadingDirective(PlaceholderDirective):
    """``{start-reading}``: the place of the buttons into the essay."""

    node = start_reading


def human_size(size: int) -> str:
    """``412 KB``, ``1.3 MB``: file sizes as a reader reads them (decimal units)."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{round(size / 1000)} KB"
    return f"{size / 1_000_000:.1f} MB"


def human_date(iso: str) -> str:
    """``2025-11-26`` -> ``26 November 2025``."""
    day = datetime.strptime(iso, "%Y-%m-%d")
    return f"{day.day} {day:%B %Y}"


def build_date(environ: Mapping[str, str], path: Path) -> str:
    """The build date of a file: ``SOURCE_DATE_EPOCH`` when set, else its modification time."""
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            stamp = int(epoch)
        except ValueError:
            raise ConfigError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
    else:
        stamp = int(path.stat().st_mtime)
    return datetime.fromtimestamp(stamp, UTC).date().isoformat()


def readthedocs_url(environ: Mapping[str, str], fmt: str) -> str:
    """Read the Docs' download URL of one format, on the origin of the canonical URL."""
    names = ("READTHEDOCS_CANONICAL_URL", "READTHEDOCS_LANGUAGE", "READTHEDOCS_VERSION")
    missing = [name for name in names if not environ.get(name)]
    if missing:
        raise ConfigError(
            f"READTHEDOCS=True but {', '.join(missing)} not set: "
            "the Downloads panel cannot link to Read the Docs' downloads"
        )
    url = urlsplit(environ["READTHEDOCS_CANONICAL_URL"])
    if not url.scheme or not url.netloc:
        raise ConfigError(
            f"READTHEDOCS_CANONICAL_URL={environ['READTHEDOCS_CANONICAL_URL']!r} "
            "is not an absolute URL"
        )
    language, version = environ["READTHEDOCS_LANGUAGE"], environ["READTHEDOCS_VERSION"]
    return f"{url.scheme}://{url.netloc}/_/downloads/{language}/{version}/{fmt}/"


def decide(environ: Mapping[str, str], files: Mapping[str, str]) -> Offer:
    """What the panel offers in this environment.

    *files* maps each format (``pdf``, ``epub``) to its file's path inside the
    build folder, e.g. ``latex/book.pdf``.
    """
    folder = environ.get("BOOK_DOWNLOADS")
    if folder:
        downloads = []
        for fmt, relpath in files.items():
            path = Path(folder, relpath).resolve()
            if not path.is_file():
                raise ConfigError(
                    f"BOOK_DOWNLOADS={folder!r}, but there is no {path}: "
                    f"build the {fmt.upper()} first (make dist does both)"
                )
            size, date = path.stat().st_size, build_date(environ, path)
            downloads.append(Download(fmt, path.name, size, date, path))
        return Offer("files", tuple(downloads))
    if environ.get("READTHEDOCS") == "True":
        if environ.get("READTHEDOCS_VERSION_TYPE") == "external":
            return Offer("pull-request")
        date = build_date(environ, Path()) if environ.get("SOURCE_DATE_EPOCH") else None
        return Offer(
            "readthedocs",
            tuple(Download(fmt, readthedocs_url(environ, fmt), date=date) for fmt in files),
        )
    return Offer("none")


def book_files(config: Config) -> dict[str, str]:
    """Where ``make latexpdf`` and ``make epub`` put the book, inside the build folder."""
    tex = config.latex_documents[0][1]
    return {
        "pdf": f"latex/{Path(tex).with_suffix('.pdf').name}",
        "epub": f"epub/{config.epub_basename}.epub",
    }


def current_offer(config: Config) -> Offer:
    try:
        return decide(os.environ, book_files(config))
    except ConfigError as error:
        stop(str(error))


# -- The panel -------------------------------------------------------------------

#: What each file is; ``{paper}`` is the PDF's paper, as ``paper_name`` names it.
DESCRIPTIONS = {
    "pdf": "{paper} pages with contents and index, to print or to read on a tablet.",
    "epub": "Text that reflows to fit any e-reader or reading app.",
}


def paper_name(config: Config) -> str:
    """The PDF's paper size as a reader names it, from ``latex_elements`` (the one place
    it is set): ``a5paper`` -> ``A5``, ``letterpaper`` (Sphinx's default) -> ``Letter``."""
    size = config.latex_elements.get("papersize", "letterpaper").removesuffix("paper")
    return size.upper() if re.fullmatch(r"[a-c]\d+", size) else size.capitalize()


@dataclass(frozen=True)
class Button:
    """The link at the foot of a card."""

    label: str
    href: str
    internal: bool


@dataclass(frozen=True)
class Card:
    """One card of the panel: its title, its paragraphs, and its button if it has one."""

    title: str
    texts: tuple[nodes.paragraph, ...]
    button: Button | None = None

    def astext(self) -> str:
        return "\n\n".join([self.title, *(text.astext() for text in self.texts)])


def paragraph(*children: nodes.Node | str, classes: list[str] | None = None) -> nodes.paragraph:
    kids = [nodes.Text(c) if isinstance(c, str) else c for c in children]
    return nodes.paragraph("", "", *kids, classes=classes or [])


def cards(offer: Offer, root: str, paper: str) -> list[Card]:
    """The cards of an offer; *root* is the relative path from the page to the site's root,
    *paper* the PDF's paper size (``paper_name``)."""
    if offer.setting == "none":
        text = paragraph(
            "This build has none of them. Run ",
            nodes.literal("", "make dist"),
            " to build them beside the web edition, into ",
            nodes.literal("", "_build/dist/"),
            ".",
        )
        return [Card("PDF, EPUB and one-page edition", (text,))]
    if offer.setting == "pull-request":
        text = paragraph(
            "This is a preview of a pull request. Read the Docs builds no PDF or EPUB "
            "for previews: the published book offers them here."
        )
        return [Card("No downloads in previews", (text,)), one_page_card(root)]
    result = []
    for download in offer.downloads:
        label = download.format.upper()
        facts = []
        if download.size is not None:
            facts.append(human_size(download.size))
        if download.date is not None:
            facts.append(f"built {human_date(download.date)}")
        texts = [paragraph(DESCRIPTIONS[download.format].format(paper=paper))]
        if facts:
            texts.append(paragraph(", ".join(facts), classes=["book-download-facts"]))
        if download.format == "pdf":
            texts.append(untagged_pdf_note(offer, root))
        href = download_href(download, root)
        result.append(
            Card(
                label,
                tuple(texts),
                Button(f"Download the {label}", href, download.source is not None),
            )
        )
    return [*result, one_page_card(root)]


def download_href(download: Download, root: str) -> str:
    """A file copied beside the pages, relative to the page; else its own address."""
    return posixpath.join(root, download.href) if download.source is not None else download.href


def untagged_pdf_note(offer: Offer, root: str) -> nodes.paragraph:
    """The PDF card's warning: no tags for a screen reader; the accessible editions, linked."""
    (epub,) = (download for download in offer.downloads if download.format == "epub")
    alternatives = [
        nodes.reference(
            "", "the EPUB", refuri=download_href(epub, root), internal=epub.source is not None
        ),
        " or ",
        nodes.reference(
            "", "the one-page edition", refuri=posixpath.join(root, ONE_PAGE), internal=True
        ),
    ]
    return paragraph(
        "The PDF is untagged: screen readers cannot follow its headings or reading order. "
        "With a screen reader, read ",
        *alternatives,
        " instead.",
        classes=["book-download-untagged"],
    )


def one_page_card(root: str) -> Card:
    one_page = paragraph(
        "The whole essay on a single page, to read offline or print from the browser."
    )
    button = Button("Open the one-page edition", posixpath.join(root, ONE_PAGE), True)
    return Card("One page", (one_page,), button)


# -- The panel, made by sphinx-design ----------------------------------------------


def escaped(text: str) -> str:
    """*text* as reStructuredText that stands for itself: each mark escaped."""
    return re.sub(r"([^\w\s])", r"\\\1", text)


def first_page(env: BuildEnvironment) -> str | None:
    """The first page of the reading order: the first entry of the root's contents."""
    entries = env.toctree_includes.get(env.config.root_doc, [])
    return entries[0] if entries else None


def ways_in(offer: Offer, root: str, first: str | None) -> list[Button]:
    """The landing page's buttons: the start of the essay (*first*, a relative address)
    and, where this build has one, the one-page edition."""
    buttons = [Button("Start reading", first, True)] if first else []
    if offer.setting != "none":
        buttons.append(Button("The whole essay on one page", posixpath.join(root, ONE_PAGE), True))
    return buttons


def read_on(root: str, section: nodes.section) -> nodes.paragraph:
    """The link from an essay page to the same place in the one-page edition, whose
    sections keep their first id (``single_page``)."""
    href = f"{posixpath.join(root, ONE_PAGE)}#{section['ids'][0]}"
    link = nodes.reference("", READ_ON, refuri=href, internal=True)
    return nodes.paragraph("", "", link, classes=["book-read-on"])


def buttons_markup(buttons: list[Button]) -> str:
    """sphinx-design's markup for a row of buttons, the first the main one."""
    lines = []
    for index, button in enumerate(buttons):
        lines += [f".. button-link:: {button.href}", "   :color: primary"]
        lines += ["   :outline:"] if index else []
        lines += ["", f"   {escaped(button.label)}", ""]
    return "\n".join(lines)


def design_markup(shown: list[Card]) -> str:
    """sphinx-design's markup for the panel's frame: a grid of cards, one to a row on a
    phone and side by side from a tablet on, each with its title and its button."""
    columns = len(shown)
    lines = [
        f".. grid:: 1 {columns} {columns} {columns}",
        "   :gutter: 3",
        "   :class-row: book-downloads",
        "",
    ]
    for card in shown:
        lines += [
            f"   .. grid-item-card:: {escaped(card.title)}",
            "      :class-card: book-download",
            "",
        ]
        if card.button is not None:
            lines += [
                f"      .. button-link:: {card.button.href}",
                "         :color: primary",
                "",
                f"         {escaped(card.button.label)}",
                "",
            ]
    return "\n".join(lines)


def made_by_design(markup: str, what: str, settings: Any) -> list[nodes.Node]:
    """What sphinx-design's directives make of *markup*, as a page's markup would make
    it.  *settings* are the page's (with its environment)."""
    scratch = new_document(f"<{what}>", settings)
    Parser().parse(markup, scratch)
    problems = list(scratch.findall(nodes.system_message))
    if problems or not scratch.children:
        raise ExtensionError(f"sphinx-design did not make the {what}: {problems}")
    return scratch.children


def start_buttons(buttons: list[Button], settings: Any) -> nodes.Element:
    """The buttons into the essay, in a row (``book-start``)."""
    row = nodes.container(classes=["book-start"])
    row += made_by_design(buttons_markup(buttons), "buttons into the essay", settings)
    for button, link in zip(buttons, row.findall(nodes.reference), strict=True):
        link["internal"] = button.internal
    return row


def panel(shown: list[Card], settings: Any) -> nodes.Element:
    """The panel, made by sphinx-design's own directives (``grid``, ``grid-item-card``,
    ``button-link``) as a page's markup would make it, then each card's paragraphs put
    in under its title.  *settings* are the page's (with its environment)."""
    made = made_by_design(design_markup(shown), "Downloads panel", settings)
    if len(made) != 1:
        raise ExtensionError(f"sphinx-design did not make the Downloads panel: {made}")
    grid = made[0]
    bodies = [node for node in grid.findall(nodes.container) if is_component(node, "card-body")]
    for card, body in zip(shown, bodies, strict=True):
        texts = nodes.Element("", *card.texts)
        CardDirective.add_card_child_classes(texts)  # as a card's own paragraphs get them
        body[1:1] = texts.children
        if card.button is not None:
            link = body[-1]
            link["classes"].append("book-download-link")
            next(link.findall(nodes.reference))["internal"] = card.button.internal
    return grid


class FillDownloadsPanel(SphinxPostTransform):
    """The web edition: fill the panel and the buttons into the essay in."""

    default_priority = order.ANY_TIME

    def run(self, **kwargs: Any) -> None:
        panels = list(self.document.findall(downloads_panel))
        starts = list(self.document.findall(start_reading))
        essay = is_essay_page(self.config, self.env.docname)
        if not panels and not starts and not essay:
            return
        offer = current_offer(self.config)
        depth = self.env.docname.count("/")
        root = posixpath.join(*([".."] * depth)) if depth else ""
        section = next(iter(self.document.findall(nodes.section)), None)
        if essay and offer.setting != "none" and section is not None and section["ids"]:
            section += read_on(root, section)
        for node in panels:
            shown = cards(offer, root, paper_name(self.config))
            node.replace_self(panel(shown, self.document.settings))
        first = first_page(self.env)
        # the page's address as Sphinx's HTML builder links it (link_suffix, from these)
        suffix = self.config.html_link_suffix
        suffix = (self.config.html_file_suffix or ".html") if suffix is None else suffix
        href = posixpath.join(root, first + suffix) if first else None
        for node in starts:
            buttons = ways_in(offer, root, href)
            node.replace_self(start_buttons(buttons, self.document.settings) if buttons else [])


class DropDownloadsPanel(SphinxPostTransform):
    """The other editions: leave the panel out, with its section when it holds nothing else,
    and the buttons into the essay (the essay follows)."""

    default_priority = order.ANY_TIME

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(start_reading)):
            node.parent.remove(node)
        for node in list(self.document.findall(downloads_panel)):
            section = node.parent
            rest = [c for c in section.children if c is not node and not isinstance(c, nodes.title)]
            if isinstance(section, nodes.section) and not rest:
                section.parent.remove(section)
            else:
                node.parent.remove(node)


# -- Build events ----------------------------------------------------------------


def add_transform(app: Sphinx) -> None:
    """Fail early, with a clear message, when BOOK_DOWNLOADS points at missing files."""
    if is_website(app.builder):
        offer = current_offer(app.config)
        logger.verbose("[book] Downloads panel: %s", offer.setting)
        app.add_post_transform(FillDownloadsPanel)
    else:
        app.add_post_transform(DropDownloadsPanel)


def rewrite_on_new_offer(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages with a panel or buttons, and the essay's pages (their link to the one-page
    edition), are written again when what the panel offers has changed."""
    if not is_website(app.builder):
        return []
    offer = repr(current_offer(app.config))
    previous = getattr(env, "book_downloads_offer", None)
    env.book_downloads_offer = offer
    if offer == previous:
        return []
    essay = {doc for doc in env.found_docs if is_essay_page(app.config, doc)}
    return sorted((PLACED.of(env) | essay) & env.found_docs)


def copy_downloads(app: Sphinx, exception: Exception | None) -> None:
    """Copy the PDF and the EPUB beside the web edition's pages."""
    if exception is not None or not is_website(app.builder):
        return
    for download in current_offer(app.config).downloads:
        if download.source is not None:
            shutil.copyfile(download.source, Path(app.outdir) / download.href)
            logger.verbose("[book] copied %s into the site", download.href)


def setup(app: Sphinx) -> None:
    app.add_node(downloads_panel)
    app.add_node(start_reading)
    app.add_directive("downloads", DownloadsDirective)
    app.add_directive("start-reading", StartReadingDirective)
    app.connect("builder-inited", add_transform)
    app.connect("env-updated", rewrite_on_new_offer)
    PLACED.connect(app)
    app.connect("build-finished", copy_downloads)
