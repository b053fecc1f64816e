"""The book's typeface in the web editions and the EPUB, cut to the characters they use.

``book_typeface`` in ``conf.py`` names the face and its three files (regular, italic,
bold) under ``fonts/``, beside their licence; the PDF sets the same files whole
(``latex/book.sty``).  Here:

* as each document is read, the characters of its text are kept in the environment;
* once every document is read, each file is subset to those characters, the printable
  ASCII and the typographic punctuation the theme uses, and written to
  ``_static/fonts/``: WOFF2 for the web editions, TrueType for the EPUB (Sphinx's EPUB
  builder knows no WOFF2, and every reading system reads TrueType);
* ``_static/book-fonts.css`` declares them (``font-display: swap``), and the web pages
  preload the regular face, which every page's text is set in.

Each file keeps its copyright and licence (OFL) in its name table. The subset is made
again only when the characters, the files or fontTools change, and
it is reproducible: the same characters give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging as pylogging
import string
from pathlib import Path

import fontTools
from docutils import nodes
from fontTools import subset
from fontTools.ttLib import TTFont
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError
from sphinx.util import logging

from . import order
from .builders import is_epub, is_web_page
from .reading_time import QUARTERS

logger = logging.getLogger(__name__)
# fontTools logs each step of a subset at INFO; Sphinx's log says what matters.
pylogging.getLogger("fontTools").setLevel(pylogging.WARNING)

STYLESHEET = "book-fonts.css"
FOLDER = "fonts"
#: CSS's description of each style the book ships.
STYLES = {"regular": ("normal", 400), "italic": ("italic", 400), "bold": ("normal", 700)}
#: Always kept: what the theme's own words, the typesetting and the lines the book writes
#: into pages after reading them (reading times: ``reading_time.py``) may need.
BASE_CHARACTERS = (
    string.printable.strip() + " ©¶·\N{EN DASH}\N{EM DASH}‘’“”…" + "".join(QUARTERS.values())
)
LAYOUT_FEATURES = ["ccmp", "kern", "liga", "locl"]
DROPPED = [*subset.Options().drop_tables, "STAT", "vhea", "vmtx"]
#: The name table's entries kept: the names, the copyright, and the licence with its URL
#: (13, 14), so that the licence travels with every copy, as the OFL asks.
NAMES = [0, 1, 2, 3, 4, 5, 6, 13, 14]


def check_config(app: Sphinx, config: Config) -> None:
    typeface = config.book_typeface
    if not typeface:
        return
    files = typeface.get("files", {})
    if not typeface.get("family") or set(files) != set(STYLES):
        raise ConfigError(
            f"book_typeface needs a 'family' and 'files' for {', '.join(STYLES)}: got {typeface!r}"
        )
    for style, path in files.items():
        if not Path(app.confdir, path).is_file():
            raise ConfigError(f"book_typeface: the {style} file {path} does not exist")


def keep_characters(app: Sphinx, doctree: nodes.document) -> None:
    characters = getattr(app.env, "book_characters", {})
    characters[app.env.docname] = "".join(sorted(set(doctree.astext())))
    app.env.book_characters = characters


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "book_characters", {}).pop(docname, None)


def merge_info(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    characters = getattr(env, "book_characters", {})
    characters.update(getattr(other, "book_characters", {}))
    env.book_characters = characters


def file_name(family: str, style: str, extension: str) -> str:
    return f"{family.lower().replace(' ', '-')}-{style}.{extension}"


def cut(source: Path, text: str, flavor: str | None) -> bytes:
    """One font file, subset to ``text``: no hinting, no vertical metrics, and only the
    layout features running text needs (kerning, ligatures)."""
    font = TTFont(source, recalcTimestamp=False)
    options = subset.Options(
        hinting=False, layout_features=LAYOUT_FEATURES, drop_tables=DROPPED, name_IDs=NAMES
    )
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    font.flavor = flavor
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def stylesheet(family: str, extension: str) -> str:
    formats = {"woff2": "woff2", "ttf": "truetype"}
    rules = ["/* The book's typeface (book_typeface in conf.py), by _ext/book/fonts.py. */"]
    for style, (font_style, weight) in STYLES.items():
        rules.append(
            f'@font-face{{font-family:"{family}";font-style:{font_style};'
            f"font-weight:{weight};font-display:swap;"
            f'src:url("{FOLDER}/{file_name(family, style, extension)}") '
            f'format("{formats[extension]}")}}'
        )
    return "\n".join(rules) + "\n"


def text_of_book(app: Sphinx) -> str:
    config = app.config
    words = [BASE_CHARACTERS, config.project, config.author, config.copyright]
    words += [config.html_title or "", *getattr(app.env, "book_characters", {}).values()]
    return "".join(sorted(set("".join(words)) - set(string.whitespace) | {" "}))


def write_fonts(app: Sphinx, env: BuildEnvironment) -> list:
    """Write the subset files and their stylesheet, once the whole book is read."""
    typeface = app.config.book_typeface
    if not typeface or not (is_web_page(app.builder) or is_epub(app.builder)):
        return []
    family = typeface["family"]
    extension = "ttf" if is_epub(app.builder) else "woff2"
    sources = {style: Path(app.confdir, path) for style, path in typeface["files"].items()}
    text = text_of_book(app)
    static = Path(app.outdir, "_static")
    targets = {style: static / FOLDER / file_name(family, style, extension) for style in STYLES}
    # made again when the text, the files, fontTools or this module change
    key = hashlib.sha256(
        json.dumps([text, extension, fontTools.version]).encode()
        + b"".join(path.read_bytes() for path in [Path(__file__), *sources.values()])
    ).hexdigest()
    # kept beside the doctrees: Sphinx saves the environment only when a document changed
    record = Path(app.doctreedir, "book-fonts.json")
    made = json.loads(record.read_text(encoding="utf-8")) if record.is_file() else {}
    written = [*targets.values(), static / STYLESHEET]
    if made.get(str(app.outdir)) == key and all(path.is_file() for path in written):
        return []
    (static / FOLDER).mkdir(parents=True, exist_ok=True)
    for style, target in targets.items():
        target.write_bytes(cut(sources[style], text, None if extension == "ttf" else extension))
    (static / STYLESHEET).write_text(stylesheet(family, extension), encoding="utf-8")
    made[str(app.outdir)] = key
    record.write_text(json.dumps(made, indent=1, sort_keys=True), encoding="utf-8")
    logger.info("book: %s subset to %d characters", family, len(text))
    return []


def add_stylesheet(app: Sphinx) -> None:
    if app.config.book_typeface and (is_web_page(app.builder) or is_epub(app.builder)):
        app.add_css_file(STYLESHEET)


def preload_text_face(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object
) -> None:
    """The regular face is fetched with the page, not after its stylesheets."""
    typeface = app.config.book_typeface
    if not typeface or not is_web_page(app.builder) or "pathto" not in context:
        return
    href = context["pathto"](
        f"_static/{FOLDER}/{file_name(typeface['family'], 'regular', 'woff2')}", 1
    )
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="preload" href="{href}" as="font" type="font/woff2" crossorigin>'
    )


def setup(app: Sphinx) -> None:
    app.add_config_value("book_typeface", {}, "html", types=frozenset({dict}))
    app.connect("config-inited", check_config)
    app.connect("builder-inited", add_stylesheet)
    app.connect("doctree-read", keep_characters)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-updated", write_fonts, priority=order.AFTER_OUTPUTS)
    app.connect("html-page-context", preload_text_face)
