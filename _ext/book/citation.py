"""The book's citation: read from ``CITATION.cff``, given in every edition's metadata.

``CITATION.cff`` (Citation File Format 1.2.0) is the one record of the title, the
author, the version and the date.  CFF allows only ``software`` or ``dataset`` as its
top-level ``type``, so the book is its ``preferred-citation``, of ``type: book``; that
entry's ``date-released`` is the date a citation gives.  ``conf.py`` reads it with
:func:`read_cff` before anything else is set, so ``project``, ``author``, ``release``
and the rest follow it.  From there:

* every web page (both web editions) carries Google Scholar's ``citation_*`` meta tags;
* the landing page carries schema.org JSON-LD: a ``Book``, its numbered chapters as
  ``hasPart``, and the accessibility properties the EPUB's package declares (asked of
  ``epub.BookEpubBuilder``, so they are said once);
* ``{cite-this}`` (on the About page) gives the citation in APA, MLA and Chicago
  style, written out here (the CSL styles repository is out of reach; the tests check
  the APA one against citeproc-py's); the web editions add the BibTeX, RIS and
  CSL-JSON files, written beside the pages in ``cite/``, and the EPUB and the PDF
  point to the web edition's About page for them;
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
import posixpath
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .builders import is_single_page, is_web_page, is_website
from .epub import BookEpubBuilder

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


def chapters(env: BuildEnvironment, root: str) -> list[tuple[int, str, str]]:
    """The numbered chapters in reading order: ``(number, document, title)``."""
    found = []
    for docname in env.toctree_includes.get(root, []):
        number = env.toc_secnumbers.get(docname, {}).get("")
        if number and len(number) == 1:
            found.append((number[0], docname, env.titles[docname].astext()))
    return found


def accessibility(app: Sphinx) -> dict[str, Any]:
    """The schema.org accessibility properties the EPUB's package document declares."""
    epub = SimpleNamespace(env=app.env, config=app.config, use_index=app.config.epub_use_index)
    found: dict[str, Any] = {}
    for prop, value in BookEpubBuilder.accessibility_metadata(epub):
        found.setdefault(prop.removeprefix("schema:"), []).append(value)
    found["accessibilitySummary"] = " ".join(found["accessibilitySummary"])
    return found


def book_json_ld(
    citation: Citation, baseurl: str, parts: list[tuple[int, str, str]], suffix: str, a11y: dict
) -> dict[str, Any]:
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
        "hasPart": [
            {
                "@type": "Chapter",
                "position": number,
                "name": title,
                "url": f"{baseurl}{docname}{suffix}",
            }
            for number, docname, title in parts
        ],
        **a11y,
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
        parts = chapters(app.env, app.config.root_doc)
        suffix = app.config.html_file_suffix or ".html"
        tags += json_script(book_json_ld(citation, baseurl, parts, suffix, accessibility(app)))
    context["metatags"] = context.get("metatags", "") + tags


# -- The citation in the three styles and the three files ---------------------------------

MLA_MONTHS = [
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
]


def bare(url: str) -> str:
    """An address as MLA gives it: without ``https://`` and the trailing slash."""
    return url.split("://", 1)[-1].rstrip("/")


def styled(citation: Citation, url: str) -> dict[str, list[tuple[str, str]]]:
    """The citation in APA (7th), MLA (9th) and Chicago (17th, bibliography) style, each
    as runs of ``(kind, text)``: ``"title"`` is set in italics, ``"url"`` is a link, and
    ``"bare-url"`` a link shown without its ``https://`` and closing slash.

    Names are given as ``CITATION.cff`` writes them.  An author "Anonymous" is named by
    APA and Chicago, which keep a work signed so; MLA starts with the title instead.
    """
    authors = ", ".join(citation.authors)
    year = str(citation.date.year)
    date = citation.date
    anonymous = citation.authors == ("Anonymous",)
    return {
        "APA": [
            ("text", f"{authors}. ({year}). "),
            ("title", citation.title),
            ("text", f" (Version {citation.version}). {citation.publisher}. "),
            ("url", url),
        ],
        "MLA": [
            *([] if anonymous else [("text", f"{authors}. ")]),
            ("title", citation.title),
            ("text", f". Version {citation.version}, {citation.publisher}, "),
            ("text", f"{date.day} {MLA_MONTHS[date.month - 1]} {date.year}, "),
            ("bare-url", url),
            ("text", "."),
        ],
        "Chicago": [
            ("text", f"{authors}. "),
            ("title", citation.title),
            ("text", f". Version {citation.version}. {citation.publisher}, {year}. "),
            ("url", url),
            ("text", "."),
        ],
    }


def plain(runs: list[tuple[str, str]]) -> str:
    return "".join(bare(text) if kind == "bare-url" else text for kind, text in runs)


def key(citation: Citation, slug: str) -> str:
    """The BibTeX key and CSL-JSON id: the book's slug and year."""
    return f"{slug}-{citation.date.year}"


def _braced(text: str) -> str:
    """A BibTeX value: braces kept as they are, TeX's specials escaped."""
    for char in "\\&%$#_":
        text = text.replace(char, "\\" + char)
    return "{" + text + "}"


def bibtex(citation: Citation, url: str, slug: str) -> str:
    fields = [
        # double braces: a name BibTeX must not split into first and last names
        ("author", " and ".join("{" + _braced(a) + "}" for a in citation.authors)),
        ("title", "{" + _braced(citation.title) + "}"),
        ("year", _braced(str(citation.date.year))),
        ("month", citation.date.strftime("%b").lower()),
        ("date", _braced(citation.date.isoformat())),
        ("version", _braced(citation.version)),
        ("publisher", _braced(citation.publisher)),
        ("url", _braced(url)),
        ("langid", _braced(citation.language)),
        ("keywords", _braced(", ".join(citation.keywords))),
        ("abstract", _braced(citation.abstract)),
    ]
    body = ",\n".join(f"  {name:<9} = {value}" for name, value in fields)
    return f"@book{{{key(citation, slug)},\n{body}\n}}\n"


def ris(citation: Citation, url: str) -> str:
    """RIS, with the CRLF line ends its specification asks for."""
    lines = [
        ("TY", "BOOK"),
        *[("AU", author) for author in citation.authors],
        ("TI", citation.title),
        ("PY", str(citation.date.year)),
        ("DA", citation.date.strftime("%Y/%m/%d")),
        ("ET", citation.version),
        ("PB", citation.publisher),
        ("UR", url),
        ("LA", citation.language),
        ("AB", citation.abstract),
        *[("KW", keyword) for keyword in citation.keywords],
        ("ER", ""),
    ]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


def csl_json(citation: Citation, url: str, slug: str) -> str:
    """CSL-JSON: a list of one item, as reference managers import it."""
    item = {
        "id": key(citation, slug),
        "type": "book",
        "title": citation.title,
        "author": [{"literal": author} for author in citation.authors],
        "issued": {"date-parts": [[citation.date.year, citation.date.month, citation.date.day]]},
        "version": citation.version,
        "publisher": citation.publisher,
        "URL": url,
        "language": citation.language,
        "abstract": citation.abstract,
        "keyword": ", ".join(citation.keywords),
    }
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


# -- The About page's "Cite this essay" ----------------------------------------------------

#: Where the web editions keep the citation files, and what each is.
FILES_FOLDER = "cite"
FILES = [("BibTeX", ".bib"), ("RIS", ".ris"), ("CSL-JSON", ".csl.json")]


class citation_panel(nodes.General, nodes.Element):
    """Where ``{cite-this}`` stands; filled in as the page is written, for its edition."""


class CiteThisDirective(SphinxDirective):
    """``{cite-this}``: the book's citation in three styles, and its files."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        node = citation_panel()
        self.set_source_info(node)
        return [node]


def file_names(config: Config) -> list[tuple[str, str]]:
    """``(format, file name)`` of each citation file; the name is the book's
    (``epub_basename``, conf.py's ``slug``)."""
    return [(kind, f"{config.epub_basename}{suffix}") for kind, suffix in FILES]


def runs_to_nodes(runs: list[tuple[str, str]]) -> list[nodes.Node]:
    made: list[nodes.Node] = []
    for kind, text in runs:
        if kind == "title":
            made.append(nodes.emphasis(text, text))
        elif kind in ("url", "bare-url"):
            shown = bare(text) if kind == "bare-url" else text
            made.append(nodes.reference(shown, shown, refuri=text))
        else:
            made.append(nodes.Text(text))
    return made


def panel(app: Sphinx, docname: str) -> list[nodes.Node]:
    """What ``{cite-this}`` shows in this edition."""
    config = app.config
    citation = book_citation(config)
    url = config.html_baseurl
    intro = (
        "Cite the book in the style you follow. To quote a passage, add its chapter "
        "and paragraph, as in “ch. 7, ¶ 3”: every edition numbers the paragraphs alike, "
        "the web pages and the PDF in the margin, the EPUB at the start of each paragraph."
    )
    if is_web_page(app.builder):
        intro += (
            " On the web, each number links to its paragraph, and the “” button beside "
            "it copies the words you selected, or the paragraph, with this citation."
        )
    made: list[nodes.Node] = [nodes.paragraph(intro, intro)]
    styles = nodes.definition_list(classes=["book-citations"])
    for style, runs in styled(citation, url).items():
        item = nodes.definition_list_item()
        item += nodes.term(style, style)
        item += nodes.definition("", nodes.paragraph("", "", *runs_to_nodes(runs)))
        styles += item
    made.append(styles)
    files = nodes.paragraph(classes=["book-citation-files"])
    if is_web_page(app.builder):
        here = "" if is_single_page(app.builder) else posixpath.dirname(docname)
        files += nodes.Text("For a reference manager: ")
        names = file_names(config)
        for position, (kind, name) in enumerate(names):
            if position:
                files += nodes.Text(" or " if position == len(names) - 1 else ", ")
            href = posixpath.relpath(f"{FILES_FOLDER}/{name}", here or ".")
            files += nodes.reference(kind, kind, refuri=href)
        files += nodes.Text(".")
    else:
        about = f"{url}{docname}{config.html_file_suffix or '.html'}"
        files += nodes.Text(
            "The web edition’s copy of this page offers the citation as "
            "BibTeX, RIS and CSL-JSON files for a reference manager: "
        )
        files += nodes.reference(about, about, refuri=about)
        files += nodes.Text(".")
    made.append(files)
    return made


def fill_panels(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in list(doctree.findall(citation_panel)):
        node.replace_self(panel(app, node.get("docname") or docname))


def note_panel_page(app: Sphinx, doctree: nodes.document) -> None:
    """Each panel keeps the name of the page it is on (the one-page edition joins them)."""
    for node in doctree.findall(citation_panel):
        node["docname"] = app.env.docname


def write_files(app: Sphinx, exception: Exception | None) -> None:
    """The citation files, beside the pages of a web edition."""
    if exception is not None or not is_web_page(app.builder):
        return
    config = app.config
    citation = book_citation(config)
    url = config.html_baseurl
    key_name = config.epub_basename
    texts = [bibtex(citation, url, key_name), ris(citation, url), csl_json(citation, url, key_name)]
    folder = Path(app.outdir, FILES_FOLDER)
    folder.mkdir(exist_ok=True)
    for (_kind, name), text in zip(file_names(config), texts, strict=True):
        with open(folder / name, "w", encoding="utf-8", newline="") as out:
            out.write(text)


def setup(app: Sphinx) -> None:
    app.add_config_value("book_citation", None, "env", types=frozenset({Citation, type(None)}))
    app.add_node(citation_panel)
    app.add_directive("cite-this", CiteThisDirective)
    app.connect("doctree-read", note_panel_page)
    app.connect("doctree-resolved", fill_panels)
    app.connect("html-page-context", add_meta)
    app.connect("build-finished", write_files)
