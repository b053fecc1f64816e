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

fontTools runs in a process of its own (``font_subset.py``), so that it costs the
build little wall time: on a cold build of an edition that needs the typeface (web,
one-page, EPUB; not LaTeX or linkcheck) it starts once the builder is made
(``builder-inited``), and imports fontTools and reads the faces while Sphinx reads the
sources; it is given the characters once they are read, and cuts the files while the
pages are written.  The
build waits for it as late as it can: for the EPUB before Sphinx finishes the edition
(``html-collect-pages``: the EPUB builder lists and zips ``_static`` after it), for the
web and one-page editions at ``build-finished``, after the other steps; its failure
fails the build, naming the font file.  What it saves (``make bench``, 2026-12-07): 0.9 s
of this book's cold ``make html`` (2.3 s against 3.2 s, for 0.15 s more CPU), when a core
is free.
"""

from __future__ import annotations

import hashlib
import json
import string
import subprocess
import sys
import weakref
from dataclasses import dataclass
from pathlib import Path

import fontTools
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinx.util import logging

from . import order
from .builders import is_epub, is_web_page
from .quiet import stop
from .reading_time import QUARTERS

logger = logging.getLogger(__name__)

STYLESHEET = "book-fonts.css"
FOLDER = "fonts"
#: CSS's description of each style the book ships.
STYLES = {"regular": ("normal", 400), "italic": ("italic", 400), "bold": ("normal", 700)}
#: Always kept: what the theme's own words, the typesetting and the lines the book writes
#: into pages after reading them (reading times: ``reading_time.py``) may need.
BASE_CHARACTERS = (
    string.printable.strip()
    + " \N{NO-BREAK SPACE}©¶·\N{EN DASH}\N{EM DASH}‘’“”…"
    + "".join(QUARTERS.values())
)
#: The subsetter, run as a script in a process of its own.
SUBSETTER = Path(__file__).with_name("font_subset.py")


def check_config(app: Sphinx, config: Config) -> None:
    typeface = config.book_typeface
    if not typeface:
        return
    files = typeface.get("files", {})
    if not typeface.get("family") or set(files) != set(STYLES):
        stop(
            f"book_typeface needs a 'family' and 'files' for {', '.join(STYLES)}: got {typeface!r}"
        )
    for style, path in files.items():
        if not Path(app.confdir, path).is_file():
            stop(f"book_typeface: the {style} file {path} does not exist")


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


def stylesheet(family: str, extension: str) -> str:
    """The faces' ``@font-face`` rules; in the EPUB (TrueType), the text set in them too
    (the web editions name the family in furo's ``font-stack``, in conf.py)."""
    formats = {"woff2": "woff2", "ttf": "truetype"}
    rules = ["/* The book's typeface (book_typeface in conf.py), by _ext/book/fonts.py. */"]
    if extension == "ttf":
        rules.append(f'body{{font-family:"{family}",serif}}')
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
    words += [config.epub_publisher, config.edition]  # the EPUB's title page (epub.py)
    words += [config.html_title or "", *getattr(app.env, "book_characters", {}).values()]
    return "".join(sorted(set("".join(words)) - set(string.whitespace) | {" "}))


@dataclass
class Subset:
    """The subsetter's process for one build, and what to record once it has succeeded."""

    process: subprocess.Popen
    record: Path | None = None  # book-fonts.json
    made: dict | None = None  # its entries, this build's among them
    characters: int = 0


#: The subsetter of each running build.
_subsets: weakref.WeakKeyDictionary[Sphinx, Subset] = weakref.WeakKeyDictionary()


def subsets_fonts(app: Sphinx) -> bool:
    return bool(app.config.book_typeface) and (is_web_page(app.builder) or is_epub(app.builder))


def targets(app: Sphinx) -> dict[str, Path]:
    """The subset's files in the output folder, by style."""
    family = app.config.book_typeface["family"]
    extension = "ttf" if is_epub(app.builder) else "woff2"
    folder = Path(app.outdir, "_static", FOLDER)
    return {style: folder / file_name(family, style, extension) for style in STYLES}


def made_before(app: Sphinx) -> tuple[Path, dict[str, str]]:
    """The record of the subsets made (``book-fonts.json``), and its entries: a key of
    what each output folder's subset was made from.  It is kept beside the doctrees, as
    Sphinx saves the environment only when a document changed."""
    record = Path(app.doctreedir, "book-fonts.json")
    return record, json.loads(record.read_text(encoding="utf-8")) if record.is_file() else {}


def start_subsetter(app: Sphinx) -> Subset:
    if app not in _subsets:
        files = app.config.book_typeface["files"].values()
        sources = [str(Path(app.confdir, path)) for path in files]
        # -P: the script's folder (the book's modules: fonts.py, web.py...) is not put
        # first on the subsetter's import path
        process = subprocess.Popen(
            [sys.executable, "-P", str(SUBSETTER), *sources],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        _subsets[app] = Subset(process)
    return _subsets[app]


def start_early(app: Sphinx) -> None:
    """On a cold build of an edition with the typeface, start the subsetter before the
    sources are read: it imports fontTools and reads the faces meanwhile."""
    if subsets_fonts(app) and str(app.outdir) not in made_before(app)[1]:
        start_subsetter(app)


def write_fonts(app: Sphinx, env: BuildEnvironment) -> list:
    """Write the stylesheet and start cutting the files, once the whole book is read."""
    if not subsets_fonts(app):
        return []
    typeface = app.config.book_typeface
    family = typeface["family"]
    extension = "ttf" if is_epub(app.builder) else "woff2"
    sources = {style: Path(app.confdir, path) for style, path in typeface["files"].items()}
    text = text_of_book(app)
    static = Path(app.outdir, "_static")
    files = targets(app)
    # made again when the text, the files, fontTools or the book's code for them change
    key = hashlib.sha256(
        json.dumps([text, extension, fontTools.version]).encode()
        + b"".join(path.read_bytes() for path in [Path(__file__), SUBSETTER, *sources.values()])
    ).hexdigest()
    record, made = made_before(app)
    written = [*files.values(), static / STYLESHEET]
    if made.get(str(app.outdir)) == key and all(path.is_file() for path in written):
        if app in _subsets:  # started early, and not needed after all
            _subsets.pop(app).process.communicate("")
        return []
    (static / FOLDER).mkdir(parents=True, exist_ok=True)
    for stale in set((static / FOLDER).iterdir()) - set(files.values()):
        stale.unlink()  # another typeface's, or another style's
    # now, not with the fonts: Sphinx links each stylesheet with a checksum of its file
    (static / STYLESHEET).write_text(stylesheet(family, extension), encoding="utf-8")
    job = start_subsetter(app)
    made[str(app.outdir)] = key
    job.record, job.made, job.characters = record, made, len(text)
    faces = [
        (str(sources[style]), str(target), None if extension == "ttf" else extension)
        for style, target in files.items()
    ]
    try:
        job.process.stdin.write(json.dumps({"text": text, "faces": faces}) + "\n")
        job.process.stdin.close()
    except BrokenPipeError:
        pass  # the subsetter failed to start: finish_fonts reports why
    return []


def finish_epub_fonts(app: Sphinx) -> list:
    """The EPUB builder packs ``_static`` as it finishes: the files must be there."""
    if is_epub(app.builder):
        finish_fonts(app, None)
    return []


def finish_fonts(app: Sphinx, exception: Exception | None) -> None:
    """Wait for the subsetter; record what it made, or fail the build with its report."""
    job = _subsets.pop(app, None)
    if job is None:
        return
    if exception is not None:  # the build failed: its own error is the one to show
        job.process.kill()
        job.process.wait()
        for pipe in (job.process.stdin, job.process.stderr):
            pipe.close()
        return
    if not job.process.stdin.closed:  # started early, and not needed after all
        job.process.stdin.close()
    report = job.process.stderr.read().strip()
    job.process.stderr.close()
    if job.process.wait() != 0:
        raise ExtensionError(f"book: the typeface could not be subset: {report}", modname=__name__)
    for line in report.splitlines():
        logger.warning("[book] fontTools: %s", line, type="book", subtype="fonts")
    if job.record is not None:
        job.record.write_text(json.dumps(job.made, indent=1, sort_keys=True), encoding="utf-8")
        logger.info(
            "book: %s subset to %d characters",
            app.config.book_typeface["family"],
            job.characters,
        )


def add_stylesheet(app: Sphinx) -> None:
    if subsets_fonts(app):
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
    app.connect("builder-inited", start_early)
    app.connect("builder-inited", add_stylesheet)
    app.connect("doctree-read", keep_characters)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-updated", write_fonts, priority=order.AFTER_OUTPUTS)
    app.connect("html-page-context", preload_text_face)
    app.connect("html-collect-pages", finish_epub_fonts)
    app.connect("build-finished", finish_fonts, priority=order.FONTS_WRITTEN)
