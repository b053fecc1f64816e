"""Pages that moved keep their old address: a small page there forwards to the new one.

``book_redirects`` (in ``conf.py``) names a TOML file of ``"old/docname" = "new/docname"``
lines.  For the web edition, each old address gets a page that sends the reader (and a
search engine, through its canonical link) to the new one; it is left out of the
sitemap and asks not to be indexed.  Each of these is a warning (an error under ``-W``,
as the Makefile builds) naming the file and line, and writes no page:

* a line whose new document does not exist, or whose old address is a page again;
* an old address that is no document name (``../../escaped``, ``/etc/x``, a backslash):
  a forwarding page is written inside the output folder or not at all;
* an old address where the build wrote a file of its own (``search``, ``genindex``);
* a file that is not valid TOML.

The forwarding pages written are recorded (``book-redirects.json`` beside the saved
environment, by output folder): a page whose line is gone is deleted, as a clean build
would not have it.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
import tomllib
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from .builders import is_website

logger = logging.getLogger(__name__)

RECORD = "book-redirects.json"
#: An old address: document names, as Sphinx makes them, joined by ``/``.
OLD_ADDRESS = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.-]*)*")

PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
<link rel="canonical" href="{canonical}">
<script>location.replace({script_href} + location.hash)</script>
<meta http-equiv="refresh" content="0; url={href}">
</head>
<body>
<p>This page has moved to <a href="{href}">{title}</a>.</p>
</body>
</html>
"""


class RedirectsError(ValueError):
    """The file cannot be read: the message names the line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def load(path: Path) -> dict[str, str]:
    with path.open("rb") as file:
        return tomllib.load(file)


def load_lines(path: Path) -> list[tuple[int, str, object]]:
    """``(line, old, new)`` for each line of the file, in its order."""
    text = path.read_text(encoding="utf-8")
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"\(at line (\d+), column \d+\)", str(error))
        line = int(where[1]) if where else 1
        raise RedirectsError(line, f"not valid TOML: {error}") from error
    lines = text.splitlines()

    def line_of(key: str) -> int:
        for number, line in enumerate(lines, start=1):
            try:
                if key in tomllib.loads(line):
                    return number
            except tomllib.TOMLDecodeError:
                continue
        return 1

    return [(line_of(old), old, new) for old, new in table.items()]


def _record(app: Sphinx) -> tuple[Path, dict[str, list[str]], str]:
    path = Path(app.doctreedir) / RECORD
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = {}
    return path, record, str(Path(app.outdir).resolve())


def write_redirects(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not is_website(app.builder):
        return
    record_path, record, key = _record(app)
    written_before = set(record.get(key, []))
    written: list[str] = []
    if app.config.book_redirects:
        path = Path(app.srcdir, app.config.book_redirects)
        try:
            entries = load_lines(path)
        except RedirectsError as error:
            logger.warning("%s", error, location=f"{path}:{error.line}")
            entries = []
        table = {old: new for _, old, new in entries}
        for line, old, new in entries:
            page = forwarding_page(app, path, line, old, new, written_before, table)
            if page is not None:
                written.append(page)
    outdir = Path(app.outdir)
    for gone in sorted(written_before - set(written)):
        docname = gone.removesuffix(".html").removesuffix("/index")
        page = outdir / gone
        if docname not in app.env.found_docs and page.is_file():
            logger.info("[book] removing %s: its line in redirects.toml is gone", gone)
            page.unlink()
    record[key] = sorted(written)
    record_path.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")


def is_forwarding_page(page: Path) -> bool:
    """A page this module wrote (before it kept a record)."""
    try:
        head = page.read_text(encoding="utf-8")[:600]
    except (OSError, UnicodeDecodeError):
        return False
    return '<meta name="robots" content="noindex">' in head and 'http-equiv="refresh"' in head


def final_address(new: object, table: dict[str, object]) -> object:
    """Where a line sends readers in the end: a page renamed again has a line of its own
    (``"chapters/11-amy" = "chapters/amy"``, then ``"chapters/amy" = "chapters/amy-x"``),
    and the older address forwards straight to the newest."""
    seen = set()
    while isinstance(new, str) and new in table and new not in seen:
        seen.add(new)
        new = table[new]
    return new


def forwarding_page(
    app: Sphinx,
    path: Path,
    line: int,
    old: str,
    new: object,
    ours: set[str],
    table: dict[str, object],
) -> str | None:
    """Write the forwarding page of one line; its path in the output folder, or None
    (and a warning) when the line is wrong."""
    where = f"{path}:{line}"  # a path with ":" is taken as it is, not as a document
    new = final_address(new, table)
    if not isinstance(new, str) or new not in app.env.found_docs:
        logger.warning("%s redirects to %s, which is no document", old, new, location=where)
        return None
    if not OLD_ADDRESS.fullmatch(old) or ".." in old.split("/"):
        logger.warning(
            "%r is no address in the book: give a document name such as chapters/old-name",
            old,
            location=where,
        )
        return None
    if old in app.env.found_docs:
        logger.warning("%s is a document again: drop its redirect", old, location=where)
        return None
    outdir = Path(app.outdir).resolve()
    page = Path(app.builder.get_outfilename(old)).resolve()
    name = page.relative_to(outdir).as_posix() if page.is_relative_to(outdir) else None
    if name is None:
        logger.warning("%r is outside the output folder", old, location=where)
        return None
    if page.exists() and name not in ours and not is_forwarding_page(page):
        logger.warning(
            "%s is a page the build writes itself (%s): choose another old address",
            old,
            name,
            location=where,
        )
        return None
    old_uri, new_uri = app.builder.get_target_uri(old), app.builder.get_target_uri(new)
    href = posixpath.relpath(new_uri, posixpath.dirname(old_uri) or ".")
    title = app.env.titles[new].astext()
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(
        PAGE.format(
            lang=html.escape(app.config.language or "en"),
            title=html.escape(title),
            canonical=html.escape(app.config.html_baseurl + new_uri),
            href=html.escape(href),
            # the fragment (a paragraph's #p-amy-3) goes along: a refresh drops it
            script_href=json.dumps(href).replace("<", "\\u003c"),
        ),
        encoding="utf-8",
    )
    return name


def setup(app: Sphinx) -> None:
    app.add_config_value("book_redirects", "", "html", types=frozenset({str}))
    app.connect("build-finished", write_redirects)
