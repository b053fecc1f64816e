"""An incremental build writes what a clean build would: no stale page, no stale link.

Sphinx writes again only the pages whose sources changed.  Two things it does
not do, for every builder that writes a page per document (``html``,
``dirhtml``, ``epub``):

* it never deletes the page of a document that is gone, so a removed or
  renamed chapter stays published, and the EPUB builder packs every file it
  finds in its folder;
* it does not write again the pages that only *show* what changed elsewhere:
  every page's sidebar lists all chapter titles, the prev/next links name the
  neighbours, and a ``{ref}`` to a label that is gone stays a link until its
  page is written again (then it fails, as it should).

So, once the sources are read, this extension compares the documents, titles,
toctrees, labels and terms with those the output folder was last written
from (kept in ``book-outputs.json`` beside the saved environment, by output
folder).  It deletes the pages of documents that are gone; when the rest
differs, every page is written again.  A folder it has no record of is emptied
first, since nothing says what in it is stale.  So the records are what lets a build
stay incremental and still leave no stale page: without them, every build would have to
empty the folder and write every page (``make bench``, 2026-12-07: a one-chapter edit of
the x40 book writes 2 pages in 4.6 s with them, 645 in 26 s without).

The search index (``searchindex.js``) is also what a clean build would write.  Sphinx
loads the last index and feeds it the pages it writes again, but a word whose pages
are gone, or no longer have it, stays in it with no page.  So the index is written
again without the empty words, when it differs (docs/upstream.md;
:data:`SEARCH_INDEX_FIX`).  Index entries, which Sphinx does not restore for the pages
it does not write (sphinx-doc/sphinx#12599), are not in this book's search at all
(``web.py``: each page is listed once).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sphinx
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .builders import is_single_page, is_website, writes_html

logger = logging.getLogger(__name__)

RECORD = "book-outputs.json"
#: The Sphinx releases whose incremental search index keeps words with no page: every
#: release checked, up to this one.  ``tests/fast/test_rebuilds.py`` has a strict xfail
#: test on bare Sphinx that passes once a release fixes it; then this step can go.
SEARCH_INDEX_FIX = sphinx.version_info[:2] <= (9, 0)
#: How Sphinx writes ``searchindex.js`` (``sphinx.search.js_index``, which is not public):
#: a call with the index as JSON, its keys sorted, no spaces.
INDEX_PREFIX, INDEX_SUFFIX = "Search.setIndex(", ")"


def navigation_signature(env: BuildEnvironment) -> str:
    """A digest of what other pages show of a document: titles, contents lists (their
    order and captions), labels and terms."""
    std = env.domains.standard_domain
    shown = {
        "docs": sorted(env.found_docs),
        "titles": {doc: env.titles[doc].astext() for doc in sorted(env.titles)},
        "toctrees": {
            doc: [(t.get("caption"), t["entries"]) for t in env.tocs[doc].findall(addnodes.toctree)]
            for doc in sorted(env.tocs)
        },
        "labels": sorted((name, *value) for name, value in std.labels.items()),
        "objects": sorted((*key, *value[:2]) for key, value in std.objects.items()),
    }
    return hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()


def _load(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _contents(folder: Path, keep: Path) -> list[Path]:
    """What *folder* holds, less *keep* (the doctree folder may be inside it)."""
    if not folder.is_dir():
        return []
    return [child for child in folder.iterdir() if child != keep and child not in keep.parents]


def _empty(children: list[Path]) -> None:
    for child in children:
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def check_outputs(app: Sphinx, env: BuildEnvironment) -> Iterable[str]:
    builder = app.builder
    if not writes_html(builder) or is_single_page(builder):
        return []
    outdir = Path(builder.outdir)
    record_path = Path(app.doctreedir) / RECORD
    record = _load(record_path)
    key = str(outdir.resolve())
    docs, signature = sorted(env.found_docs), navigation_signature(env)
    last = record.get(key)

    rewrite: list[str] = []
    if last is None:
        if stale := _contents(outdir, Path(app.doctreedir)):
            logger.info("[book] %s was not written by this environment: emptying it", outdir)
            _empty(stale)
            record = {k: v for k, v in record.items() if not k.startswith(key + "/")}
        rewrite = docs
    else:
        for gone in sorted(set(last["docs"]) - env.found_docs):
            page = Path(builder.get_outfilename(gone))
            if page.exists():
                logger.info("[book] removing %s: its source is gone", page.relative_to(outdir))
                page.unlink()
        if last["signature"] != signature:
            rewrite = docs

    record[key] = {"docs": docs, "signature": signature}
    record_path.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")
    return rewrite


# -- The search index -------------------------------------------------------------------


def repair_search_index(app: Sphinx, exception: Exception | None) -> None:
    """Once the web edition is written: its search index as a clean build writes it."""
    if exception is not None or not SEARCH_INDEX_FIX or not is_website(app.builder):
        return
    path = Path(app.outdir, app.builder.searchindex_filename)
    if not getattr(app.builder, "search", False) or path.suffix != ".js" or not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    if not (text.startswith(INDEX_PREFIX) and text.endswith(INDEX_SUFFIX)):
        logger.info(
            "[book] %s is not Search.setIndex({...}), the form Sphinx 9.0 writes: "
            "its words with no page stay in it",
            path.name,
        )
        return
    index = json.loads(text[len(INDEX_PREFIX) : -len(INDEX_SUFFIX)])
    for key in ("terms", "titleterms"):
        index[key] = {word: docs for word, docs in index[key].items() if docs != []}
    data = json.dumps(index, separators=(",", ":"), sort_keys=True)
    repaired = INDEX_PREFIX + data + INDEX_SUFFIX
    if repaired != text:
        path.write_text(repaired, encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.connect("env-updated", check_outputs)
    app.connect("build-finished", repair_search_index)
