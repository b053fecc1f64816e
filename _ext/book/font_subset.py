"""The font subsetter, run in a process of its own beside the build (``fonts.py`` starts it).

fontTools is pure Python and holds the interpreter's lock: cutting the three faces in
the build's own process would add their whole cost (most of the book's own share of a
cold build) to the build's.  Run as a script, this file imports fontTools and reads the
faces named on its command line while the build reads the sources, then waits for the
job on its standard input: one line of JSON with the characters to keep (``text``) and
the files to write (``faces``: source, target and flavour, ``null`` for TrueType), and
writes them while the build writes its pages.  An empty input means that nothing is to
be made.  A failure is reported on standard error, one line naming the source file,
with a non-zero exit status.

It imports nothing from the book or Sphinx: starting it costs an interpreter and
fontTools, not the build's imports.
"""

from __future__ import annotations

import io
import json
import logging
import sys
from pathlib import Path

from fontTools import subset, ttLib
from fontTools.ttLib import TTFont, woff2  # noqa: F401 (woff2: imported before it is needed)

# fontTools logs each step of a subset at INFO; its warnings reach the build's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

LAYOUT_FEATURES = ["ccmp", "kern", "liga", "locl"]
DROPPED = [*subset.Options().drop_tables, "STAT", "vhea", "vmtx"]
#: The name table's entries kept: the names, the copyright, and the licence with its URL
#: (13, 14), so that the licence travels with every copy, as the OFL asks.
NAMES = [0, 1, 2, 3, 4, 5, 6, 13, 14]


def load(source: str) -> TTFont:
    """A face with all its tables read, as the subset will read them (the same bytes come
    out as from a face read table by table as the subset asks)."""
    font = TTFont(source, recalcTimestamp=False)
    for tag in font.keys():  # noqa: SIM118 (a TTFont is no dict: it has no __iter__)
        font[tag]  # reads the table
    return font


def uncuttable(font: TTFont, options: subset.Options) -> list[str]:
    """The tables fontTools cannot cut to a subset (Graphite's ``Silf``, ``Glat``, …, in
    SIL's faces): they would point at glyphs that are gone, so they are left out of the
    subset, quietly (a browser or a reading system shapes with OpenType's tables)."""
    return [
        tag
        for tag in font.keys()  # noqa: SIM118 (a TTFont is no dict: it has no __iter__)
        if tag != "GlyphOrder"
        and tag.strip() not in options.no_subset_tables
        and tag not in options.drop_tables
        and not hasattr(ttLib.getTableClass(tag), "subset_glyphs")
    ]


def cut(font: TTFont, text: str, flavor: str | None) -> bytes:
    """One face, subset to ``text``: no hinting, no vertical metrics, and only the
    layout features running text needs (kerning, ligatures)."""
    options = subset.Options(
        hinting=False, layout_features=LAYOUT_FEATURES, drop_tables=DROPPED, name_IDs=NAMES
    )
    for tag in uncuttable(font, options):
        del font[tag]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    font.flavor = flavor
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def main(sources: list[str]) -> int:
    """Read the faces named on the command line, then make what standard input asks."""
    faces: dict[str, TTFont | Exception] = {}
    for source in sources:
        try:
            faces[source] = load(source)
        except Exception as error:  # reported if the job needs the face
            faces[source] = error
    job = sys.stdin.readline()
    if not job.strip():
        return 0
    job = json.loads(job)
    for source, target, flavor in job["faces"]:
        try:
            face = faces.pop(source, None) or load(source)
            if isinstance(face, Exception):
                raise face
            Path(target).write_bytes(cut(face, job["text"], flavor))
        except Exception as error:  # reported to the build, which fails with it
            print(f"{source}: {type(error).__name__}: {error}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
