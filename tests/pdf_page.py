"""What a PDF's pages draw, read back for the tests of how the PDF is set: the link
annotations, the colour each piece of text is drawn in (pypdf, from the content
streams' operators) and the words and lines poppler finds (``pdftotext -bbox-layout``).

Coordinates are PDF points, from the foot of the page (pypdf) or from its top (poppler);
each helper says which.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

from pypdf import PdfReader
from pypdf.generic import ContentStream

from tools import require, run

XHTML = "{http://www.w3.org/1999/xhtml}"
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


def multiply(a: Matrix, b: Matrix) -> Matrix:
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def rgb(operator: str, operands: list) -> tuple[float, ...]:
    """A fill colour as (r, g, b), 0 to 1, from the operator that sets it."""
    values = [float(v) for v in operands if not isinstance(v, str)]
    if operator == "g" or len(values) == 1:
        return (values[0],) * 3
    if operator == "k" or len(values) == 4:
        c, m, y, k = values
        return tuple((1 - x) * (1 - k) for x in (c, m, y))
    return tuple(values)


@dataclass(frozen=True)
class TextRun:
    """One text-showing operator: where it starts (its origin on the baseline, pypdf's
    coordinates) and the colour it fills its glyphs with."""

    x: float
    y: float
    colour: tuple[float, ...]


@cache
def reader(pdf: Path) -> PdfReader:
    return PdfReader(pdf)


def text_runs(pdf: Path, number: int) -> list[TextRun]:
    """Every piece of text drawn on page *number* (0-based), in the order drawn."""
    book = reader(pdf)
    page = book.pages[number]
    colour: tuple[float, ...] = (0.0, 0.0, 0.0)
    ctm, line, matrix, leading = IDENTITY, IDENTITY, IDENTITY, 0.0
    saved: list[tuple[tuple[float, ...], Matrix]] = []
    runs = []
    for operands, raw in ContentStream(page.get_contents(), book).operations:
        operator = raw.decode() if isinstance(raw, bytes) else raw
        if operator == "q":
            saved.append((colour, ctm))
        elif operator == "Q":
            colour, ctm = saved.pop()
        elif operator == "cm":
            ctm = multiply(tuple(float(v) for v in operands), ctm)
        elif operator in ("g", "rg", "k", "sc", "scn"):
            colour = rgb(operator, operands)
        elif operator == "BT":
            line = matrix = IDENTITY
        elif operator == "Tm":
            line = matrix = tuple(float(v) for v in operands)
        elif operator == "TL":
            leading = float(operands[0])
        elif operator in ("Td", "TD", "T*", "'", '"'):
            dx, dy = (0.0, -leading) if operator in ("T*", "'", '"') else map(float, operands)
            if operator == "TD":
                leading = -dy
            line = matrix = multiply((1, 0, 0, 1, dx, dy), line)
        if operator in ("Tj", "TJ", "'", '"'):
            origin = multiply(matrix, ctm)
            runs.append(TextRun(origin[4], origin[5], colour))
    return runs


@dataclass(frozen=True)
class Link:
    """A link annotation: its page (0-based), its rectangle (pypdf's coordinates: left,
    bottom, right, top), and where it goes: a web address or a destination's name."""

    page: int
    rect: tuple[float, float, float, float]
    uri: str | None
    destination: str | None

    def holds(self, run: TextRun) -> bool:
        """Whether *run* starts on the line this rectangle covers: hyperref draws it from
        the line's depth to its height, so its baseline is in the lower half."""
        left, bottom, right, top = self.rect
        return left - 0.5 <= run.x < right - 1 and bottom <= run.y <= (bottom + top) / 2


def links(pdf: Path) -> list[Link]:
    """Every link annotation of the PDF, page by page; a link broken across lines has one
    rectangle per line."""
    found = []
    for number, page in enumerate(reader(pdf).pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A") or {}
            destination = action.get("/D", annotation.get("/Dest"))
            found.append(
                Link(
                    number,
                    tuple(float(v) for v in annotation["/Rect"]),
                    str(action["/URI"]) if "/URI" in action else None,
                    str(destination) if destination is not None else None,
                )
            )
    return found


def link_colours(pdf: Path) -> list[tuple[Link, set[tuple[float, ...]]]]:
    """Each link with the colours of the text drawn under it."""
    runs = {}
    found = []
    for link in links(pdf):
        if link.page not in runs:
            runs[link.page] = text_runs(pdf, link.page)
        found.append((link, {run.colour for run in runs[link.page] if link.holds(run)}))
    return found


def hex_rgb(colour: str) -> tuple[float, ...]:
    """``#8a2f1d`` as (r, g, b), 0 to 1."""
    value = colour.removeprefix("#")
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))


def same_colour(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Equal as a PDF writes them (to three decimals)."""
    return all(abs(x - y) < 0.002 for x, y in zip(a, b, strict=True))


# -- poppler's words and lines (its coordinates: from the top of the page) -------------


@dataclass(frozen=True)
class Word:
    text: str
    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class Line:
    """A line of a block, as poppler groups them, with its words."""

    page: int
    block: int
    words: tuple[Word, ...]

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)


@cache
def page_heights(pdf: Path) -> tuple[float, ...]:
    return tuple(float(page.mediabox.height) for page in reader(pdf).pages)


@cache
def layout_lines(pdf: Path) -> tuple[Line, ...]:
    """Every line of text of the PDF, page by page, block by block
    (``pdftotext -bbox-layout``)."""
    require("pdftotext")
    xml = run(["pdftotext", "-bbox-layout", str(pdf), "-"]).stdout
    lines = []
    tree = ElementTree.fromstring(xml)
    for number, page in enumerate(tree.iter(f"{XHTML}page")):
        for block_number, block in enumerate(page.iter(f"{XHTML}block")):
            for line in block.iter(f"{XHTML}line"):
                words = tuple(
                    Word(
                        word.text or "",
                        *(float(word.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")),
                    )
                    for word in line.iter(f"{XHTML}word")
                )
                if words:
                    lines.append(Line(number, block_number, words))
    return tuple(lines)


def words_under(link: Link, lines: tuple[Line, ...], height: float) -> list[Word]:
    """The words whose middle lies in the link's rectangle (poppler's words, pypdf's
    rectangle, which counts from the foot of a page *height* points high)."""
    left, bottom, right, top = link.rect
    return [
        word
        for line in lines
        if line.page == link.page
        for word in line.words
        if left <= (word.left + word.right) / 2 <= right
        and height - top <= (word.top + word.bottom) / 2 <= height - bottom
    ]


#: The characters after which a web address may break (latex/book.sty's \\UrlSpecials).
URL_SEPARATORS = "/.-?&=#_"
#: What a line ends in when a word was broken with a hyphen.
HYPHENS = ("-", "\u00ad", "\u2010")


def link_lines(pdf: Path) -> list[tuple[Link, str]]:
    """Each link's rectangles (one per line it is set on) with the text set in it."""
    lines, heights = layout_lines(pdf), page_heights(pdf)
    return [
        (link, " ".join(w.text for w in words_under(link, lines, heights[link.page])))
        for link in links(pdf)
    ]


def web_addresses_as_set(pdf: Path) -> list[tuple[str, list[str]]]:
    """Each web address the PDF links, with the pieces of it each line holds, in order
    (a line's piece may end in the punctuation that follows the address)."""
    found: list[tuple[str, list[str]]] = []
    for link, text in link_lines(pdf):
        if link.uri is None:
            continue
        if found and found[-1][0] == link.uri and len("".join(found[-1][1])) < len(link.uri):
            found[-1][1].append(text)
        else:
            found.append((link.uri, [text]))
    return found


def address_break_problems(pdf: Path) -> list[tuple[str, list[str]]]:
    """The web addresses set in pieces that are not the address (a hyphen added, a
    character lost), or broken after anything but one of its separators, or between two
    of them ("https:/|/"): each with its pieces, line by line."""
    problems = []
    for uri, pieces in web_addresses_as_set(pdf):
        text = "".join(pieces)
        breaks = list(itertools.pairwise(pieces))
        if (
            not text.startswith(uri)
            or text[len(uri) :] not in ("", ".", ",", ";", ")")
            or any(piece[-1:] not in URL_SEPARATORS for piece, _ in breaks)
            or any(following[:1] in URL_SEPARATORS for _, following in breaks)
        ):
            problems.append((uri, pieces))
    return problems


def line_spacings(pdf: Path, pages: range) -> list[float]:
    """The distance from each line of running text to the next in its block, on the
    given pages (0-based): lines as tall as most lines are (the running text's size),
    measured foot to foot, which is baseline to baseline."""
    lines = [line for line in layout_lines(pdf) if line.page in pages]
    heights = [round(line.bottom - line.top, 1) for line in lines]
    body = max(set(heights), key=heights.count)
    return [
        round(below.bottom - above.bottom, 2)
        for above, below in itertools.pairwise(lines)
        if (above.page, above.block) == (below.page, below.block)
        and round(above.bottom - above.top, 1) == body == round(below.bottom - below.top, 1)
    ]


# -- How much room a part of the book takes --------------------------------------------


@dataclass(frozen=True)
class Bookmark:
    """A bookmark of the outline: its depth (0 at the top), its title, and where it
    opens: the page (0-based) and the height there, from the top (poppler's way)."""

    depth: int
    title: str
    page: int
    top: float


def bookmarks(pdf: Path) -> list[Bookmark]:
    """Every bookmark of the outline, in order."""
    book, heights = reader(pdf), page_heights(pdf)
    found: list[Bookmark] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                page = book.get_destination_page_number(item)
                found.append(Bookmark(depth, item.title, page, heights[page] - float(item.top)))

    walk(book.outline, 0)
    return found


def is_folio(line: Line, pdf: Path) -> bool:
    """The page number at the foot of a page."""
    return (
        len(line.words) == 1
        and line.words[0].text.isdigit()
        and line.top > page_heights(pdf)[line.page] * 0.9
    )


def extents(pdf: Path) -> list[tuple[str, float]]:
    """Each part the outline's top level names, with the room it takes, in points: from
    the top of its heading to the foot of its last line before the next part's heading,
    page by page (what it leaves empty at the foot of a page, or at the foot of its last
    one, not counted), the page numbers aside."""
    top = [mark for mark in bookmarks(pdf) if mark.depth == 0]
    ends = [(mark.page, mark.top) for mark in top[1:]] + [(len(page_heights(pdf)), 0.0)]
    lines = [line for line in layout_lines(pdf) if not is_folio(line, pdf)]
    found = []
    for mark, end in zip(top, ends, strict=True):
        own = [line for line in lines if (mark.page, mark.top) <= (line.page, line.top) < end]
        pages = sorted({line.page for line in own})
        found.append(
            (
                mark.title,
                sum(
                    max(line.bottom for line in own if line.page == page)
                    - min(line.top for line in own if line.page == page)
                    for page in pages
                ),
            )
        )
    return found
