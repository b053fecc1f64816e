r"""Mistakes in a source file, each reported once, at its file and line, before parsing.

* A file that is not UTF-8: Sphinx would stop with a long crash report that gives
  a byte offset.  The warning names the line and column of the first bad byte,
  and the file is read with the bad bytes replaced, so the build goes on to report
  anything else that is wrong (and fails, for the warning).
* An empty file: Sphinx would report it a dozen times, against the pages that
  list it.  The warning says what a chapter needs, and the file is read as a page
  with a placeholder title, so that nothing else fails because of it.
* A ``:::`` or ````` ``` ````` fence that is never closed: MyST silently takes
  everything after it, to the end of the file, into the box it opens.  The
  warning names the line where that box opens.
* A file with text but no heading: Sphinx reports it once for every page whose
  contents list it (three times in the small book), against the page that lists it.
  The warning names the file, and the file gets a placeholder title, so that nothing
  else fails because of it.
* Raw HTML in a heading (``# Title <img ...>``): Sphinx copies a heading into every
  page's navigation, the contents and the EPUB's navigation documents, as it is.  And
  raw HTML anywhere that is not well-formed XML (``<img src=x>``, unquoted or unclosed)
  makes an EPUB no reading system opens (EPUBCheck: ``RSC-016``), while the build
  succeeds.  Each is a warning at its line; ``\<`` writes a ``<`` as text.
"""

from __future__ import annotations

import codecs
import re
import xml.parsers.expat
import xml.sax.saxutils
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: UTF-8 with undecodable bytes replaced, for the files that were warned about.
LENIENT = "book_utf8_replace"
#: An opening fence: up to three spaces, then three or more backticks or colons.
FENCE = re.compile(r"^ {0,3}(?P<marks>`{3,}|:{3,})(?P<info>.*)$")


def undecodable(data: bytes) -> tuple[int, int, int] | None:
    """The line, column and value of the first byte that is not UTF-8, if any."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        start_of_line = before.rfind(b"\n") + 1
        column = len(data[start_of_line : error.start].decode("utf-8")) + 1  # in characters
        return line, column, data[error.start]
    return None


def unclosed_fences(lines: list[str], offset: int = 0) -> list[tuple[int, str]]:
    """The 1-based line and opening text of every fence that is never closed.

    A fence closes at a line of the same mark, at least as long, with nothing else
    on it (CommonMark's rule, which MyST's colon fences follow too).  Directives in
    a fence have MyST content, so fences inside them are checked as well; a plain
    code block's content is not.
    """
    found: list[tuple[int, str]] = []
    index = 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        if not match or (match["marks"][0] == "`" and "`" in match["info"]):
            index += 1
            continue
        marks = match["marks"]
        closing = re.compile(rf"^ {{0,3}}{re.escape(marks[0])}{{{len(marks)},}}\s*$")
        end = next((i for i in range(index + 1, len(lines)) if closing.match(lines[i])), None)
        if end is None:
            found.append((offset + index + 1, lines[index].strip()))
            end = len(lines)
        if marks[0] == ":" or match["info"].lstrip().startswith("{"):
            found += unclosed_fences(lines[index + 1 : end], offset + index + 1)
        index = end + 1
    return found


class _LenientDecoder(codecs.getincrementaldecoder("utf-8-sig")):
    def __init__(self, errors: str = "strict") -> None:
        super().__init__("replace")


def _lenient(name: str) -> codecs.CodecInfo | None:
    if name != LENIENT:
        return None
    utf8 = codecs.lookup("utf-8-sig")
    return codecs.CodecInfo(
        utf8.encode,
        lambda data, errors="strict": utf8.decode(data, "replace"),
        incrementalencoder=utf8.incrementalencoder,
        incrementaldecoder=_LenientDecoder,
        name=LENIENT,
    )


codecs.register(_lenient)


def check_encoding(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    for docname in docnames:
        path = Path(env.doc2path(docname))
        bad = undecodable(path.read_bytes())
        if bad is None:
            continue
        line, column, byte = bad
        logger.warning(
            "byte 0x%02x at column %d is not UTF-8: save the file as UTF-8",
            byte,
            column,
            location=(docname, line),
            type="book",
            subtype="encoding",
        )
        # Sphinx reads every file with env.settings["input_encoding"] (source_encoding);
        # set back once the sources are read, in restore_encoding().
        env.settings["input_encoding"] = LENIENT


def restore_encoding(app: Sphinx, env: BuildEnvironment) -> None:
    env.settings["input_encoding"] = app.config.source_encoding


def check_source(app: Sphinx, docname: str, source: list[str]) -> None:
    text = source[0]
    if not text.strip():
        logger.warning(
            "the file is empty: give it a (label)= line and a # title, or delete it",
            location=(docname, 1),
            type="book",
            subtype="empty",
        )
        source[0] = f"# {Path(docname).name}\n"
        return
    for line, opening in unclosed_fences(text.splitlines()):
        logger.warning(
            "%r is never closed, so everything after it is inside it: "
            "close it with a line of the same marks",
            opening,
            location=(docname, line),
            type="book",
            subtype="fence",
        )


def well_formed(fragment: str) -> bool:
    """Whether an HTML fragment is well-formed XML, as the EPUB's XHTML must be."""
    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(f"<fragment>{fragment}</fragment>", True)
    except xml.parsers.expat.ExpatError:
        return False
    return True


def _as_xml(element: nodes.Node) -> str:
    """An element's text as the writers put it out: raw HTML as it is, the rest escaped."""
    if isinstance(element, nodes.raw):
        return element.astext() if "html" in element.get("format", "").split() else ""
    if isinstance(element, nodes.Text):
        return xml.sax.saxutils.escape(str(element))
    return "".join(_as_xml(child) for child in element.children)


def check_title(app: Sphinx, doctree: nodes.document) -> None:
    """Before Sphinx collects the titles and contents (priority 500): a document without
    a section gets one warning, and a placeholder title."""
    if any(isinstance(child, nodes.section) for child in doctree.children):
        return
    docname = app.env.docname
    logger.warning(
        "the file has no heading: give it a (label)= line and a # title",
        location=(docname, 1),
        type="book",
        subtype="no_title",
    )
    section = nodes.section(ids=[nodes.make_id(f"untitled {docname}")])
    section += nodes.title("", Path(docname).name)
    section += doctree.children
    doctree.children = [section]
    section.parent = doctree


def check_raw_html(app: Sphinx, doctree: nodes.document) -> None:
    checked: set[int] = set()
    for raw in doctree.findall(nodes.raw):
        if "html" not in raw.get("format", "").split():
            continue
        if any(isinstance(above, nodes.title) for above in _ancestors(raw)):
            logger.warning(
                "raw HTML in a heading (%s) would be copied into every page's navigation "
                "and the EPUB's: write it as text (\\< for <)",
                raw.astext().strip(),
                location=raw,
                type="book",
                subtype="raw_html",
            )
            continue
        # inline HTML comes in pieces (<kbd>, then </kbd>): check the block that holds them
        block = raw.parent if isinstance(raw.parent, nodes.TextElement) else raw
        if id(block) in checked:
            continue
        checked.add(id(block))
        if not well_formed(_as_xml(block)):
            logger.warning(
                "raw HTML that is not well-formed XML (%s) makes an EPUB that no reading "
                "system opens: close every element and quote every attribute, or write it "
                "as text (\\< for <)",
                raw.astext().strip()[:60],
                location=raw,
                type="book",
                subtype="raw_html",
            )


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def setup(app: Sphinx) -> None:
    app.connect("env-before-read-docs", check_encoding)
    app.connect("env-updated", restore_encoding)
    app.connect("source-read", check_source)
    app.connect("doctree-read", check_raw_html)
    app.connect("doctree-read", check_title, priority=400)
