"""Which edition a builder makes, decided from the builder's own properties.

Every module of the book asks these, instead of keeping lists of builder names:

============  =========  ========  =========================================
builder       format     embedded  edition
============  =========  ========  =========================================
html, dirhtml html       no        the web edition (``is_website``)
singlehtml    html       no        the one-page edition (``is_single_page``)
epub          html       yes       the EPUB (``is_epub``)
latex         latex      --        the PDF (``is_latex``)
============  =========  ========  =========================================

``is_web_page`` is true for the first two rows: pages a browser shows with the theme.
"""

from __future__ import annotations

from sphinx.builders import Builder
from sphinx.builders.singlehtml import SingleFileHTMLBuilder


def writes_html(builder: Builder) -> bool:
    """Any builder that writes HTML pages: the web editions and the EPUB."""
    return builder.format == "html"


def is_epub(builder: Builder) -> bool:
    return writes_html(builder) and builder.embedded


def is_web_page(builder: Builder) -> bool:
    """The web edition or the one-page edition: HTML in a browser, with the theme."""
    return writes_html(builder) and not builder.embedded


def is_single_page(builder: Builder) -> bool:
    return isinstance(builder, SingleFileHTMLBuilder)


def is_website(builder: Builder) -> bool:
    """The web edition, a page per document (not the one-page edition)."""
    return is_web_page(builder) and not is_single_page(builder)


def is_latex(builder: Builder) -> bool:
    return builder.format == "latex"
