"""The About page's list of copy-edits, made from the file the tests read too.

``book_copy_edits`` (in ``conf.py``) names a TOML file of ``[[edit]]`` entries:
``manuscript`` (the text as received), ``edition`` (what this edition prints) and
``chapter`` (the label of the chapter).  The ``{copy-edits}`` directive lists each
one as a reader needs it: only the words that changed, in curly quotes, with a link
to the chapter.  The page is read again whenever the file changes.  A problem with an
entry (its chapter is gone, a key is missing) is reported at the entry's line in the
file, not at the directive's; a file that is not TOML, at the line TOML names.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)


def load(path: Path) -> list[dict[str, str]]:
    """The file's edits; a file with none (a new book's) gives none."""
    with path.open("rb") as file:
        return tomllib.load(file).get("edit", [])


def entry_lines(text: str) -> list[dict[str, int]]:
    """For each ``[[edit]]`` of the file, in order: the line of each of its keys (and of
    the header itself, as ``""``)."""
    entries: list[dict[str, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() == "[[edit]]":
            entries.append({"": number})
        elif entries and (key := re.match(r"\s*([A-Za-z_-]+)\s*=", line)):
            entries[-1].setdefault(key[1], number)
    return entries


def changed_words(old: str, new: str) -> tuple[str, str]:
    """The words that differ, without the context they share at either end."""
    a, b = old.split(), new.split()
    while len(a) > 1 and len(b) > 1 and a[0] == b[0]:
        a, b = a[1:], b[1:]
    while len(a) > 1 and len(b) > 1 and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    return " ".join(a).strip(",;:."), " ".join(b).strip(",;:.")


def curly(text: str) -> str:
    """Words in curly quotes, with their apostrophes curly and a quotation within them in
    single quotes: ``"Her"`` -> ``“‘Her’”``."""
    text = re.sub(r'"([^"]*)"', r"‘\1’", text.replace("'", "’"))
    return f"“{text}”"


class CopyEditsDirective(SphinxDirective):
    """``{copy-edits}``: the list of the edition's corrections."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        path = Path(self.env.srcdir, self.config.book_copy_edits)
        self.env.note_dependency(path)
        text = path.read_text(encoding="utf-8")
        try:
            edits = tomllib.loads(text).get("edit", [])
        except tomllib.TOMLDecodeError as error:
            where = re.search(r"\(at line (\d+), column \d+\)", str(error))
            logger.warning(
                "not valid TOML: %s", error, location=f"{path}:{where[1] if where else 1}"
            )
            return []
        lines = entry_lines(text)
        items, places = [], []
        for number, edit in enumerate(edits):
            at = lines[number] if number < len(lines) else {"": 1}
            missing = [k for k in ("manuscript", "edition", "chapter") if k not in edit]
            if missing:
                logger.warning(
                    "this [[edit]] needs %s", " and ".join(missing), location=f"{path}:{at['']}"
                )
                continue
            old, new = changed_words(edit["manuscript"], edit["edition"])
            items.append(f"- {curly(old)} becomes {curly(new)} in {{ref}}`{edit['chapter']}`.")
            places.append(at.get("chapter", at[""]))
        parsed = self.parse_text_to_nodes("\n".join(items) or "None so far.")
        # a chapter that is gone is reported at its entry's line, not the directive's
        xrefs = [xref for node in parsed for xref in node.findall(addnodes.pending_xref)]
        for xref, line in zip(xrefs, places, strict=True):
            xref.source, xref.line = str(path), line
        return parsed


def setup(app: Sphinx) -> None:
    app.add_config_value("book_copy_edits", "", "env", types=frozenset({str}))
    app.add_directive("copy-edits", CopyEditsDirective)
