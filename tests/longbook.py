"""A long book for the benchmark: the essay's chapters repeated, in a folder of its own.

``long_book(dest, times)`` copies the book to *dest* and adds ``times - 1`` copies of
every chapter (``chapters/SLUG-2.md`` ... ), each with its label and the references
to the other chapters' labels suffixed the same way, listed in the landing page's
contents after the originals.  The result builds under ``-W -n`` as the book does.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tools import ROOT, chapters

LABEL = re.compile(r"^\(([\w-]+)\)=$", flags=re.M)
IGNORE = shutil.ignore_patterns(".git", ".venv", "_build", "node_modules", "__pycache__", ".*cache")


def suffixed(text: str, labels: set[str], suffix: str) -> str:
    """The chapter *text* with its label and references to *labels* suffixed."""
    text = LABEL.sub(lambda m: f"({m[1]}{suffix})=", text)

    def reference(match: re.Match) -> str:
        label = match["label"]
        return match[0] if label not in labels else match[0].replace(label, label + suffix)

    # {ref}`label` and {ref}`words <label>`
    return re.sub(r"\{ref\}`(?:[^`<]*<)?(?P<label>[\w-]+)>?`", reference, text)


def long_book(dest: Path, times: int, src: Path = ROOT) -> list[str]:
    """Copy the book to *dest* with its chapters *times* over; the chapters' names."""
    shutil.copytree(src, dest, ignore=IGNORE)
    slugs = chapters(dest)
    labels = {
        m[1]
        for slug in slugs
        for m in LABEL.finditer((dest / "chapters" / f"{slug}.md").read_text(encoding="utf-8"))
    }
    names = list(slugs)
    for copy in range(2, times + 1):
        for slug in slugs:
            text = (dest / "chapters" / f"{slug}.md").read_text(encoding="utf-8")
            name = f"{slug}-{copy}"
            (dest / "chapters" / f"{name}.md").write_text(
                suffixed(text, labels, f"-{copy}"), encoding="utf-8"
            )
            names.append(name)
    index = dest / "index.md"
    listed = "\n".join(f"chapters/{slug}" for slug in slugs)
    every = "\n".join(f"chapters/{name}" for name in names)
    text = index.read_text(encoding="utf-8")
    assert listed in text, "the landing page no longer lists the chapters one a line"
    index.write_text(text.replace(listed, every), encoding="utf-8")
    return names
