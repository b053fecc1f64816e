"""The book's citation: read from ``CITATION.cff``, given in every edition's metadata.

``CITATION.cff`` (Citation File Format 1.2.0) is the one record of the title, the
author, the version and the date.  CFF allows only ``software`` or ``dataset`` as its
top-level ``type``, so the book is its ``preferred-citation``, of ``type: book``; that
entry's ``date-released`` is the date a citation gives.  ``conf.py`` reads it with
:func:`read_cff` before anything else is set, so ``project``, ``author``, ``release``
and the rest follow it.  From there:

* every web page (both web editions) carries Google Scholar's ``citation_*`` meta tags;
* the landing page carries schema.org JSON-LD: a ``Book``;
* the EPUB's package document gives the citation's date as ``dc:date`` (Sphinx gives
  the build time, which stays as ``dcterms:modified``);
* the PDF's metadata (``latex/book.sty``) names the version and the date.

A file that cannot be read, or lacks what the book needs, stops the build with the
file and the line.
"""

from __future__ import annotations

import datetime
import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.util import logging

from .builders import is_web_page, is_website

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Citation:
    """The book as ``CITATION.cff``'s ``preferred-citation`` describes it."""

    title: str
    authors: tuple[str, ...]
    version: str
    date: datetime.date
    publisher: str
    language: str
    abstract: str
    keywords: tuple[str, ...]
    url: str

    @property
    def author(self) -> str:
        """The authors as a title page names them."""
        return " and ".join(self.authors)


def _line(node: yaml.Node | None, *keys: str) -> int:
    """The line (from 1) of the value at *keys* in a composed YAML mapping, or of the
    deepest mapping that holds part of the path."""
    line = 1 if node is None else node.start_mark.line + 1
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            break
        found = [(k, v) for k, v in node.value if k.value == key]
        if not found:
            break
        node = found[0][1]
        line = node.start_mark.line + 1
    return line


def _person(entry: Any) -> str | None:
    """A CFF person's or entity's name, as a citation gives it."""
    if not isinstance(entry, dict):
        return None
    if "name" in entry:
        return str(entry["name"])
    parts = [entry.get("given-names"), entry.get("name-particle"), entry.get("family-names")]
    return " ".join(str(p) for p in parts if p) or entry.get("alias")


def read_cff(path: Path) -> Citation:
    """The book's citation from ``CITATION.cff``; a clear error names file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the book's citation: {error}") from error
    try:
        tree = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"{where}: not valid YAML: {error}") from error

    def fail(message: str, *keys: str) -> ConfigError:
        return ConfigError(f"{path}:{_line(tree, *keys)}: {message}")

    book = data.get("preferred-citation") if isinstance(data, dict) else None
    if not isinstance(book, dict):
        raise fail("the book must be the preferred-citation (type: book)", "preferred-citation")
    if book.get("type") != "book":
        raise fail("preferred-citation must have type: book", "preferred-citation", "type")

    def field(key: str, kind: type = str) -> Any:
        value = book.get(key)
        if not isinstance(value, kind) or (kind is str and not value.strip()):
            what = {str: "text", list: "a list", dict: "a mapping"}.get(kind, kind.__name__)
            hint = ' (quote it: "1.0")' if key == "version" else ""
            raise fail(
                f"preferred-citation needs {key!r} as {what}{hint}", "preferred-citation", key
            )
        return value

    date = book.get("date-released")
    if isinstance(date, str):
        try:
            date = datetime.date.fromisoformat(date)
        except ValueError:
            date = None
    if not isinstance(date, datetime.date) or isinstance(date, datetime.datetime):
        raise fail(
            "preferred-citation needs 'date-released' as a date (YYYY-MM-DD)",
            "preferred-citation",
            "date-released",
        )
    authors = tuple(_person(entry) for entry in field("authors", list))
    if not authors or None in authors:
        raise fail("each author needs a name", "preferred-citation", "authors")
    publisher = _person(field("publisher", dict))
    if not publisher:
        raise fail("the publisher needs a name", "preferred-citation", "publisher")
    languages = field("languages", list)
    return Citation(
        title=field("title").strip(),
        authors=authors,
        version=field("version"),
        date=date,
        publisher=publisher,
        language=str(languages[0]),
        abstract=" ".join(field("abstract").split()),
        keywords=tuple(str(k) for k in field("keywords", list)),
        url=field("url"),
    )


def book_citation(config: Config) -> Citation:
    """The citation conf.py read (``book_citation``)."""
    citation = config.book_citation
    if not isinstance(citation, Citation):
        raise ConfigError("book_citation must be read in conf.py with book.citation.read_cff()")
    return citation


# -- Web pages: Google Scholar's meta tags, and schema.org on the landing page ----------


def scholar_meta(citation: Citation, baseurl: str) -> list[tuple[str, str]]:
    """Google Scholar's (Highwire Press) tags for the book, in their order."""
    return [
        ("citation_title", citation.title),
        *[("citation_author", author) for author in citation.authors],
        ("citation_publication_date", citation.date.strftime("%Y/%m/%d")),
        ("citation_edition", citation.version),
        ("citation_publisher", citation.publisher),
        ("citation_language", citation.language),
        ("citation_public_url", baseurl),
    ]


def book_json_ld(citation: Citation, baseurl: str) -> dict[str, Any]:
    """schema.org's description of the book."""
    return {
        "@context": "https://schema.org",
        "@type": "Book",
        "name": citation.title,
        "author": [{"@type": "Person", "name": author} for author in citation.authors],
        "datePublished": citation.date.isoformat(),
        "version": citation.version,
        "bookEdition": citation.version,
        "publisher": {"@type": "Organization", "name": citation.publisher},
        "inLanguage": citation.language,
        "description": citation.abstract,
        "keywords": ", ".join(citation.keywords),
        "url": baseurl,
    }


def json_script(data: dict[str, Any]) -> str:
    """JSON-LD in a ``<script>``, safe inside HTML (no ``</`` can close it)."""
    text = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>\n'


def add_meta(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if not is_web_page(app.builder):
        return
    citation = book_citation(app.config)
    baseurl = app.config.html_baseurl
    tags = "".join(
        f'<meta name="{name}" content="{html.escape(value, quote=True)}">\n'
        for name, value in scholar_meta(citation, baseurl)
    )
    if is_website(app.builder) and pagename == app.config.root_doc:
        tags += json_script(book_json_ld(citation, baseurl))
    context["metatags"] = context.get("metatags", "") + tags


def setup(app: Sphinx) -> None:
    app.add_config_value("book_citation", None, "env", types=frozenset({Citation, type(None)}))
    app.connect("html-page-context", add_meta)
