"""Fail the PDF build on what XeLaTeX only writes to its log, named by chapter.

XeLaTeX finishes with exit status 0 when a character is missing from the font
(it prints an empty box), when a line runs into the margin, or when a reference
has no target.  ``make latexpdf`` runs this on the ``.log`` afterwards:

    python tools/latex_log.py _build/latex/craving-genuine-connection

Each problem is mapped back to its source file through the labels Sphinx writes
at the start of every document in the ``.tex`` (``\\label{\\detokenize{DOC::doc}}``,
after the document's heading, which starts at the ``\\sphinxstepscope`` before it),
and quoted from the ``.tex``; a missing character is also found in the source file
(``--srcdir``, the current folder by default), and its line given.  Exit status 1
when there is any problem.
"""

from __future__ import annotations

import argparse
import bisect
import re
import sys
from dataclasses import dataclass
from pathlib import Path

#: Overfull boxes up to this width are invisible in print and are let pass.
TOLERANCE_PT = 3.0

# The font is a file in brackets (``[./Literata-Bold.ttf]/OT:...``) or a name (``lmr/m/n``).
MISSING = re.compile(
    r"^Missing character: There is no (.+?) \((U\+[0-9A-F]+)\) in font "
    r"(?:\[(?P<file>[^]]+)\]|(?P<name>[^/:!]+))"
)
OVERFULL = re.compile(
    r"^Overfull \\[hv]box \(([\d.]+)pt too (?:wide|high)\) (?:in paragraph|detected) at lines? "
    r"(\d+)(?:--(\d+))?"
)
# \hyperref (Sphinx's cross-references) logs "Hyper reference", \ref "Reference".
UNDEFINED = re.compile(
    r"(?:(?:Hyper r|R)eference|Citation) `(.+?)' on page \S+ undefined on input line (\d+)"
)
#: TeX wraps the lines of its log at this many characters.
LOG_WIDTH = 79
DOC_LABEL = re.compile(r"\\label\{\\detokenize\{([^{}]+)::doc\}\}")
#: Where Sphinx starts each document, before its heading.
DOC_START = re.compile(r"^\\sphinxstepscope\b")
COMMAND = re.compile(r"\\[a-zA-Z@]+\*?|[{}]")


@dataclass(frozen=True)
class Problem:
    tex_line: int | None
    what: str
    character: str = ""


class TexSource:
    """The ``.tex`` file, with the source document each of its lines comes from."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.starts: list[int] = []
        self.docs: list[str] = []
        scope = None  # the last \sphinxstepscope not yet claimed by a document
        for number, line in enumerate(self.lines, start=1):
            if DOC_START.match(line):
                scope = number
            for match in DOC_LABEL.finditer(line):
                if match.group(1) in self.docs:
                    continue
                self.starts.append(scope if scope is not None else number)
                self.docs.append(match.group(1))
                scope = None

    def document(self, line: int | None) -> str:
        if line is None:
            return "the PDF"
        index = bisect.bisect_right(self.starts, line) - 1
        return f"{self.docs[index]}.md" if index >= 0 else "the PDF’s front matter"

    def quote(self, line: int | None, width: int = 70) -> str:
        if line is None or not 0 < line <= len(self.lines):
            return ""
        text = " ".join(COMMAND.sub(" ", self.lines[line - 1]).split())
        return f": “{text[:width]}{'…' if len(text) > width else ''}”" if text else ""

    def find(self, character: str) -> list[int]:
        return [n for n, line in enumerate(self.lines, start=1) if character in line]

    def source_line(self, line: int | None, character: str, srcdir: Path) -> str:
        """``chapters/x.md:12`` for a character on a ``.tex`` line: the line of its
        source file with the same occurrence of it (the third in the document, say),
        or the file alone when that cannot be told."""
        name = self.document(line)
        if line is None or not name.endswith(".md"):
            return name
        index = bisect.bisect_right(self.starts, line) - 1
        start = self.starts[index]
        nth = sum(self.lines[n - 1].count(character) for n in range(start, line))
        try:
            source = (srcdir / name).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return name
        seen = 0
        for number, text in enumerate(source, start=1):
            seen += text.count(character)
            if seen > nth:
                return f"{name}:{number}"
        return name


def unwrapped(log: str) -> list[str]:
    """The log's lines, with TeX's wrapping at 79 characters undone."""
    lines: list[str] = []
    joining = False
    for line in log.splitlines():
        if joining:
            lines[-1] += line
        else:
            lines.append(line)
        joining = len(line) == LOG_WIDTH
    return lines


def problems(log: str, tex: TexSource) -> list[Problem]:
    found: list[Problem] = []
    for line in unwrapped(log):
        if match := MISSING.match(line):
            char, code = match.group(1), match.group(2)
            font = Path(match["file"]).name if match["file"] else match["name"]
            for at in tex.find(char) or [None]:
                found.append(Problem(at, f"{char} ({code}) is not in the font {font}", char))
        elif (match := OVERFULL.match(line)) and float(match.group(1)) > TOLERANCE_PT:
            found.append(
                Problem(int(match.group(2)), f"a line runs {match.group(1)} pt into the margin")
            )
        elif match := UNDEFINED.search(line):
            found.append(Problem(int(match.group(2)), f"undefined reference {match.group(1)!r}"))
    return list(dict.fromkeys(found))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stem", type=Path, help="the .tex file's path without its suffix")
    parser.add_argument("--srcdir", type=Path, default=Path(), help="the book's sources")
    args = parser.parse_args(argv)
    log = args.stem.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    tex = TexSource(args.stem.with_suffix(".tex").read_text(encoding="utf-8"))
    found = problems(log, tex)
    for problem in found:
        where = (
            tex.source_line(problem.tex_line, problem.character, args.srcdir)
            if problem.character
            else tex.document(problem.tex_line)
        )
        print(
            f"{where}: {problem.what}{tex.quote(problem.tex_line)}"
            f" ({args.stem.name}.tex:{problem.tex_line or '?'})",
            file=sys.stderr,
        )
    if found:
        print(
            f"make: the PDF lost text or overflows in {len(found)} place(s): "
            "fix the source (see above), then make latexpdf again",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
