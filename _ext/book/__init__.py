"""The book's own Sphinx extension: one module per job, wired here in pipeline order.

Sources are checked, read into doctrees, transformed for each edition, then
written by each builder; ``order.py`` says where the steps that depend on
Sphinx's or another extension's sit, and ``builders.py`` which edition a
builder makes.  What each module acts on and what it changes: the table under
"How it is built" in README.md, the one place it is kept, in ``PIPELINE``'s
order (``tests/fast/test_module_table.py`` checks the two agree).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from . import (
    accessibility,
    book_index,
    boxes,
    citation,
    cite_epub,
    copy_edits,
    css_subset,
    downloads,
    dropdowns,
    epub,
    fonts,
    furo_nav,
    glosses,
    guard,
    html_markup,
    latex,
    outputs,
    paragraphs,
    quiet,
    reading_time,
    redirects,
    single_page,
    sources,
    web,
)

PIPELINE = (
    guard,
    quiet,
    sources,
    outputs,
    copy_edits,
    reading_time,
    paragraphs,
    dropdowns,
    boxes,
    fonts,
    downloads,
    glosses,
    html_markup,
    single_page,
    book_index,
    redirects,
    web,
    css_subset,
    furo_nav,
    epub,
    cite_epub,
    citation,
    accessibility,
    latex,
)


#: The extensions the modules build on, set up here and listed nowhere else (``conf.py``
#: names only ``book``): sphinx-design's components (``downloads``, ``dropdowns``,
#: ``html_markup``, ``css_subset``), sphinxext-opengraph's tags (``single_page``, ``web``)
#: and sphinx-notfound-page's 404 page (``web``).
REQUIRED = ("sphinx_design", "sphinxext.opengraph", "notfound.extension")


def code_version(folder: Path = Path(__file__).parent) -> int:
    """A number that changes with the extension's code (its modules in *folder*).

    Sphinx reads every document again when an extension's ``env_version`` changes, and
    otherwise keeps the environment and doctrees that older code made: after an edit to
    a module here, ``make html`` would write pages from stale doctrees."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return int.from_bytes(digest.digest()[:4], "big")


def setup(app: Sphinx) -> dict[str, Any]:
    for extension in REQUIRED:
        app.setup_extension(extension)
    for module in PIPELINE:
        module.setup(app)
    return {
        "version": "1.0",
        "env_version": code_version(),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
