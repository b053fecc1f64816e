"""Sphinx configuration for the book "Craving Genuine Connection in the Digital Age".

Sections follow Sphinx's configuration page: project, general, MyST, HTML, EPUB,
LaTeX; then each extension's settings, with a link to its documentation.
"""

import contextlib
import datetime
import html
import io
import os
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import furo
from sphinx.errors import ConfigError
from sphinx.util import texescape

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

from book.boxes import latex_setup, tex_colour
from book.citation import edition_identifier, edition_url, read_cff
from book.quiet import stop

# sphinxext-opengraph prints a notice when it is imported without matplotlib, which
# only its social cards need, and the book turns them off (below): it is imported
# quietly here, before Sphinx loads it. Upstream text in docs/upstream.md.
with contextlib.redirect_stdout(io.StringIO()):
    import sphinxext.opengraph  # noqa: F401

# Dates in the book (the copyright year, the EPUB's and the PDF's dates) come from
# SOURCE_DATE_EPOCH when it is set: the Makefile sets it from this repository's last commit.
if not os.environ.get("SOURCE_DATE_EPOCH", "0").isdigit():
    stop(
        f"SOURCE_DATE_EPOCH={os.environ['SOURCE_DATE_EPOCH']!r} is not a time in seconds "
        "since 1970: unset it, or set it as the Makefile does (git log -1 --format=%ct)"
    )

# -- Project information -----------------------------------------------------------

# The book's folder: this one, or another book's that runs this file from its own conf.py
# (README, "Another book from this repository").
_book = Path(__file__).parent
# Title, author, version, date, publisher, description and keywords: CITATION.cff's
# preferred-citation, the book's one record of them (_ext/book/citation.py).
try:
    book_citation = read_cff(_book / "CITATION.cff")
except ConfigError as error:
    stop(str(error))
project = book_citation.title
# The subtitle, if any, is the landing page's: the paragraph marked {.book-subtitle} in
# index.md, in MyST, whose *emphasis* the PDF's title page keeps in italics.
_index = _book / "index.md"
_subtitle = (
    re.findall(r"^\{\.book-subtitle\}\n(.+)$", _index.read_text("utf-8"), re.M)
    if _index.exists()
    else []
)
subtitle = "".join(_subtitle[:1]).replace("*", "")
author = book_citation.author
publisher = book_citation.publisher
description = book_citation.abstract
keywords = ", ".join(book_citation.keywords)
copyright = f"%Y, {author} (text); the editors (this edition)"
version = release = book_citation.version
edition = f"Edition {release}"
# The PDF's and the EPUB's file name (the Makefile reads this line as it is).
slug = "craving-genuine-connection"

# -- General configuration -------------------------------------------------------

# The book's own extension (_ext/book/) sets up the ones it builds on: sphinx-design,
# sphinxext-opengraph and sphinx-notfound-page (their settings are below).
extensions = ["myst_parser", "book"]

root_doc = "index"
language = "en"
templates_path = ["_templates"]
include_patterns = ["index.md", "chapters/*.md", "backmatter/*.md"]
# Sphinx walks the whole folder before it applies include_patterns; these it skips.
exclude_patterns = ["_build", ".venv", ".git", "tests", "_static", "_templates", "_ext"]
nitpicky = True
# Figures and tables with a caption are numbered through the book ("Fig. 1"), alike in
# every edition (the PDF numbers them so in any case).
numfig = True
numfig_secnum_depth = 0
# The brand colour, as (light theme, dark theme): links and headings in the web editions
# (furo's brand colours, below), and the PDF's headings and links (the light one).
_brand = ("#8a2f1d", "#f2a38c")
# One named style per kind of box, for every edition (_ext/book/boxes.py): colours as
# (light theme, dark theme). The PDF and the EPUB use the light ones.
# The typeface of every edition (OFL, licence in fonts/OFL.txt): whole in the PDF, cut
# to the characters the book uses in the web editions and the EPUB (_ext/book/fonts.py).
book_typeface = {
    "family": "Literata",
    "files": {
        "regular": "fonts/Literata-Regular.ttf",
        "italic": "fonts/Literata-Italic.ttf",
        "bold": "fonts/Literata-Bold.ttf",
    },
}
book_box_styles = {
    "highlight": {
        # the brand colour's values, but a setting of their own: a highlight may differ;
        # an accent alone: a rule and a title, no card (a FAQ box has its backgrounds)
        "accent": ("#8a2f1d", "#f2a38c"),
    },
    "faq": {
        "accent": ("#4f5d66", "#aab6bd"),
        "title-background": ("#e9eef1", "#2b3236"),
        "background": ("#f8fafb", "#1d2124"),
    },
}

# -- MyST ------------------------------------------------------------------------

myst_enable_extensions = ["attrs_block", "colon_fence", "substitution"]
_NUMBERS = [
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"),
    *("seventeen", "eighteen", "nineteen"),
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _in_words(number: int) -> str:
    """A count as the landing page's prose says it: ``16`` -> ``sixteen``."""
    if number < 20:
        return _NUMBERS[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return _TENS[tens] + (f"-{_NUMBERS[ones]}" if ones else "")
    return str(number)


def _as_text(value: str) -> str:
    """A field as MyST text, not markup: a substitution is parsed as Markdown, so every
    ASCII punctuation mark is escaped (``<`` as ``\\<``), as CommonMark allows."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", value)


# Counts and CITATION.cff's fields in the prose: {{ chapter_count }} in index.md, the
# title and the author on the About page.
myst_substitutions = {
    "chapter_count": _in_words(len(list(_book.glob("chapters/*.md")))).capitalize(),
    "book_title": _as_text(project),
    "book_author": _as_text(author),
}

# -- HTML output -----------------------------------------------------------------

html_theme = "furo"
# html_title is text: Sphinx's templates escape it (docstitle|e), but furo up to 2025.12.19
# prints it as HTML in the sidebar's brand and the search page's <title> (and its
# |striptags|e elsewhere undoes an escape), so it is escaped here, once, for those
# versions (docs/upstream.md).
FURO_WRITES_TITLE_AS_HTML = tuple(
    int(part) for part in re.findall(r"\d+", furo.__version__)[:3]
) <= (2025, 12, 19)
html_title = html.escape(project) if FURO_WRITES_TITLE_AS_HTML else project
html_short_title = "Craving Genuine Connection"
html_static_path = ["_static"]
# The web edition's styles and script (the EPUB has its own: epub_css_files).
html_css_files = ["book.css"]
html_js_files = [("book.js", {"defer": "defer"})]
# the essay's pages first in search results, the apparatus after them
html_search_scorer = "_ext/book/search-scorer.js"
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/book-links.html",
        "sidebar/scroll-end.html",
    ]
}
html_theme_options = {
    "light_css_variables": {
        "font-stack": f"{book_typeface['family']}, Georgia, serif",
        # nothing smaller than 14 px: furo's small sizes, which nest, become one
        "font-size--small": "0.875rem",
        "font-size--small--2": "0.875rem",
        "font-size--small--3": "0.875rem",
        "font-size--small--4": "0.875rem",
        "color-brand-primary": _brand[0],
        "color-brand-content": _brand[0],
        # cards and dropdowns get a visible edge (furo draws it in the background colour)
        "color-card-border": "var(--color-background-border)",
        # links are underlined in their own colour, not in a grey that hardly shows
        "color-link-underline": "currentColor",
        "color-link-underline--visited": "currentColor",
    },
    "dark_css_variables": {
        "color-brand-primary": _brand[1],
        "color-brand-content": _brand[1],
        "color-card-border": "var(--color-background-border)",
        "color-link-underline": "currentColor",
        "color-link-underline--visited": "currentColor",
    },
}
html_copy_source = False
html_favicon = "_static/favicon.svg"
# scroll-start/-end make the menu scroll on its own, or its last links are out of reach
singlehtml_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/scroll-end.html",
    ]
}
# The web edition's address, for canonical links, OpenGraph, the sitemap and robots.txt:
# Read the Docs sets its own; BOOK_BASEURL names another host's (make dist
# BOOK_BASEURL=https://example.org/book/); else the book's address in CITATION.cff.
html_baseurl = (
    os.environ.get("READTHEDOCS_CANONICAL_URL")
    or os.environ.get("BOOK_BASEURL")
    or book_citation.url
)
# An http(s) address ending in /, its characters already encoded (a space as %20): it is
# written as it is into the About page, the sitemap, robots.txt and the 404 page.
_SITE_ADDRESS = re.compile(
    r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?/(?:[A-Za-z0-9._~!$'()*+,;=:@-]|%[0-9A-Fa-f]{2}|/)*"
)
if not (_SITE_ADDRESS.fullmatch(html_baseurl) and html_baseurl.endswith("/")):
    _setting = next(
        (
            f"{name}="
            for name in ("READTHEDOCS_CANONICAL_URL", "BOOK_BASEURL")
            if os.environ.get(name)
        ),
        "CITATION.cff's url: ",
    )
    stop(
        f"{_setting}{html_baseurl!r} is no site address: give an http or https one that ends "
        "in /, its spaces and other characters encoded, like https://example.org/my%20book/"
    )

# -- EPUB output -----------------------------------------------------------------

epub_basename = slug
epub_publisher = publisher
epub_contributor = publisher
epub_description = description
# One identifier per edition: a UUID of the book's address and version (CITATION.cff).
epub_identifier = edition_identifier(book_citation)
epub_uid = "bookid"
epub_cover = ("_static/cover.png", "")
epub_css_files = ["book-epub.css"]
epub_show_urls = "no"
epub_tocdepth = 1
# HTML-only files, art sources and the unused theme files stay out of the book; so does
# the copy of .buildinfo that Sphinx makes when the configuration changes, which its EPUB
# builder would report as a file of unknown type (docs/upstream.md; it ignores .buildinfo).
epub_exclude_files = [
    ".buildinfo.bak",
    "_static/basic.css",
    "_static/design-tabs.js",
    "_static/sphinx-design.min.css",
    "_static/pygments.css",
    "_static/book.css",
    "_static/book.js",
    "_static/cover.svg",
    "_static/social.png",
    "_static/social.svg",
    "_static/favicon.png",
    "_static/favicon.svg",
    "_static/minus.png",
    "_static/plus.png",
]

# -- LaTeX output ------------------------------------------------------------------

latex_engine = "xelatex"
latex_use_xindy = False
texescape.init()  # the tables Sphinx's LaTeX builder fills as it starts


def _tex(text: str) -> str:
    """A field of CITATION.cff as LaTeX text: escaped as Sphinx escapes the body, so
    ``\\input{...}`` or ``&`` in a title is printed, not run."""
    return texescape.escape(str(text), latex_engine)


# The ``howto`` class sets chapters as sections that run on, which suits a short
# essay; toctree_only leaves the landing page's blurb out of the PDF.
latex_documents = [(root_doc, f"{slug}.tex", _tex(project), _tex(author), "howto", True)]
latex_logo = "_static/cover.png"
latex_additional_files = ["latex/book.sty", *book_typeface["files"].values()]
# The title page sets the title in two lines, as the cover does, and the subtitle in
# italics but for what its markup leaves upright (the film's title).
_lead, _in, _tail = project.partition(" in ")
_made = datetime.datetime.fromtimestamp(
    int(os.environ.get("SOURCE_DATE_EPOCH") or time.time()), datetime.UTC
)
_book_macros = {
    "BookTitle": _tex(project),
    "BookTitleLines": rf"{_tex(_lead)}\\\itshape in {_tex(_tail)}" if _in else _tex(project),
    # italic, as book.sty sets it, but for the words the markup does not emphasise
    "BookSubtitle": "".join(
        _tex(part) if i % 2 else re.sub(r"\S(.*\S)?", lambda m: rf"\textup{{{_tex(m[0])}}}", part)
        for i, part in enumerate("".join(_subtitle[:1]).split("*"))
    ),
    "BookAuthor": _tex(author),
    "BookEdition": _tex(edition),
    "BookVersion": _tex(release),
    "BookDate": book_citation.date.isoformat(),
    # the PDF's XMP rights statement: the copyright line, in the year of this edition
    "BookRights": _tex(f"© {copyright.replace('%Y', str(book_citation.date.year))}"),
    # when the PDF is made, as xdvipdfmx dates it (SOURCE_DATE_EPOCH), and which edition
    # it is: hyperxmp would read TeX's clock for the XMP metadata's dates and instance
    "BookMade": _made.strftime("D:%Y%m%d%H%M%SZ"),
    "BookInstance": edition_identifier(book_citation).replace("urn:uuid:", "uuid:"),
    "BookDescription": _tex(description),
    "BookKeywords": _tex(keywords),
    "BookLanguage": _tex(language),
    "BookCover": Path(latex_logo).name,
    **{
        f"BookFont{style.title()}": Path(file).name
        for style, file in book_typeface["files"].items()
    },
}


def _latex_preamble(macros: dict[str, str]) -> str:
    """The metadata as macros for latex/book.sty, which sets the rest."""
    lines = [rf"\newcommand{{\{name}}}{{{value}}}" for name, value in macros.items()]
    return "\n".join([*lines, r"\usepackage{book}"])


latex_elements = {
    # the one place of the paper size: the Downloads panel's PDF card names it
    "papersize": "a5paper",
    "pointsize": "10pt",
    "classoptions": ",oneside",
    "babel": r"\usepackage[english]{babel}",
    # The typeface is book.sty's (\BookFontRegular and its siblings, above).
    "fontpkg": "",
    "sphinxsetup": ", ".join(
        [
            "hmargin={17mm,17mm}",
            "vmargin={17mm,19mm}",
            r"HeaderFamily=\rmfamily",
            "iconpackage=none",
            f"TitleColor={tex_colour(_brand[0])}",
            f"InnerLinkColor={tex_colour(_brand[0])}",
            *latex_setup(book_box_styles["highlight"]),
            "div.note_border-left-width=2.5pt",
            "div.note_padding=7pt",
            r"div.note_TeXextras=\raggedright",
        ]
    ),
    "preamble": _latex_preamble(_book_macros),
    "maketitle": r"\BookTitlePage",
    "tableofcontents": r"\sphinxtableofcontents\clearpage\pagenumbering{arabic}",
}

# -- linkcheck -----------------------------------------------------------------------

# The citations (About page) link the book's own address, as this edition's (on Read the
# Docs, the git tag's version): it cannot be checked before it is published, and is no
# link that leaves the book.
linkcheck_ignore = [
    f"^{re.escape(html_baseurl)}",
    f"^{re.escape(edition_url(html_baseurl, release))}",
]

# -- The book's own extension (_ext/book/) ---------------------------------------

book_copy_edits = "backmatter/copy-edits.toml"
book_redirects = "redirects.toml"
book_words_per_minute = 230
book_essay_docs = ["chapters/*", "backmatter/highlights", "backmatter/faq"]
# The pages the PDF sets as small print, as a colophon (_ext/book/latex.py).
book_small_print = ["backmatter/about"]
# Paragraph ids name their chapter by its label (p-amy-3). Edition 1.0 named it by its
# number (p-11-3): those ids, published in citations, stay on the same paragraphs. The
# chapters' labels in that edition's order; never reorder or shorten this list.
book_paragraph_id_aliases = {
    "1.0": [
        *("introduction", "struggle-to-feel-connected", "isolation-of-theodore"),
        *("flashbacks", "fear-of-heartbreak", "anonymous-phone-line", "failed-blind-date"),
        *("misguided-approach", "samantha-operating-system", "samantha-idealized-existence"),
        *("amy", "shared-loneliness", "samantha-evolution", "self-improvement"),
        *("honest-relationships", "conclusion"),
    ]
}
# The essay as received, never edited: the tests check every sentence of it, from
# `start` to `end` (where the web page's chrome begins; "" for the file's end), with the
# copy-edits applied, in every edition, and that none of `residue` reaches one.
book_manuscript = {
    "file": "tests/fixtures/manuscript.txt",
    "start": "In a modern age",
    "end": "Most people like",
    "residue": [
        *("Most people like", "Toolify", "TOOLIFY", "Get started", "Sign Up", "App rating"),
        *("Trusted Users", "No complicated", "Free forever", "Browse More Content"),
    ],
}
book_epub_accessibility_summary = (
    "A reflowable text with no images in its content: headings structure every chapter, "
    "the table of contents, a glossary and an index link to each part, and the reading "
    "order follows the essay. Each highlight is an aside with its own heading, and each "
    "question of the FAQ is a heading, so a screen reader can move from one to the next."
)

# -- sphinxext-opengraph: https://sphinxext-opengraph.readthedocs.io/ ---------------

ogp_site_url = html_baseurl
ogp_description_length = 160
ogp_image = "_static/social.png"
ogp_image_alt = f"The cover art of {project}{f': {subtitle}' if subtitle else ''}."
ogp_social_cards = {"enable": False}
ogp_custom_meta_tags = ['<meta name="twitter:card" content="summary_large_image">']

# -- sphinx-notfound-page: https://sphinx-notfound-page.readthedocs.io/ ------------

# The 404 page links its styles absolutely: under the site's path (/<language>/<version>/
# on Read the Docs, BOOK_BASEURL's on another host), else at the root of the host.
notfound_urls_prefix = (
    urlsplit(html_baseurl).path
    if os.environ.get("READTHEDOCS") == "True" or os.environ.get("BOOK_BASEURL")
    else "/"
)
notfound_context = {
    "title": "Page not found",
    "body": "\n".join(
        [
            "<h1>Page not found</h1>",
            f"<p>There is no such page in <em>{html.escape(project)}</em>.</p>",
            "<ul>",
            f'<li>Start again from <a href="{notfound_urls_prefix}">the contents</a>;</li>',
            f'<li>look a name or a theme up in <a href="{notfound_urls_prefix}genindex.html">'
            "the index</a>;</li>",
            "<li>or search the book with the box at the side.</li>",
            "</ul>",
        ]
    ),
}
