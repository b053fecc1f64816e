"""The About page's list of copy-edits, made from the file the tests read too.

``book_copy_edits`` (in ``conf.py``) names a TOML file of ``[[edit]]`` entries:
``manuscript`` (the text as received), ``edition`` (what this edition prints) and
``chapter`` (the label of the chapter).  The ``{copy-edits}`` directive lists each
one as a reader needs it: only the words that changed, in curly quotes, with a link
to the chapter.  The page is read again whenever the file changes.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective


def load(path: Path) -> list[dict[str, str]]:
    """The file's edits; a file with none (a new book's) gives none."""
    with path.open("rb") as file:
        return tomllib.load(file).get("edit", [])


def changed_words(old: str, new: str) -> tuple[str, str]:
    """The words that differ, without the context they share at either end."""
    a, b = old.split(), new.split()
    while len(a) > 1 and len(b) > 1 and a[0] == b[0]:
        a, b = a[1:], b[1:]
    while len(a) > 1 and len(b) > 1 and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    return " ".join(a).strip(",;:."), " ".join(b).strip(",;:.")


def curly(text: str) -> str:
    return f"“{text.replace(chr(39), '’')}”"


class CopyEditsDirective(SphinxDirective):
    """``{copy-edits}``: the list of the edition's corrections."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        path = Path(self.env.srcdir, self.config.book_copy_edits)
        self.env.note_dependency(path)
        items = []
        for edit in load(path):
            old, new = changed_words(edit["manuscript"], edit["edition"])
            items.append(f"- {curly(old)} becomes {curly(new)} in {{ref}}`{edit['chapter']}`.")
        return self.parse_text_to_nodes("\n".join(items) or "None so far.")


def setup(app: Sphinx) -> None:
    app.add_config_value("book_copy_edits", "", "env", types=frozenset({str}))
    app.add_directive("copy-edits", CopyEditsDirective)
