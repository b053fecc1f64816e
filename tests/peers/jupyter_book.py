"""Jupyter Book 1.0.4 on the same essay, timed beside `make html` in the same run.

Run by hand, not by `make test` or `make bench`:

    .venv/bin/python tests/peers/jupyter_book.py [--runs 3]

Jupyter Book 1.0.4 needs Sphinx 7 and MyST-Parser 3, so it gets its own venv
(``_build/peers/jupyter-book-venv``, from ``tests/peers/jupyter-book.txt``) and its
own copy of the essay (``_build/peers/essay``): the chapters, the back matter and
the landing page as they are, less the book's own directives (those its extension
registers: reading times, downloads, copy-edits) and the landing page's toctrees,
which become a ``_toc.yml`` with the same parts, captions and numbering.  Each
figure is the median of cold builds (``jupyter-book build --all`` with
``-W -n``; ``make html`` of a fresh copy of the book); both are written to
``tests/peers/jupyter-book.json``, which `make bench` puts in docs/benchmark.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PEERS = ROOT / "_build" / "peers"
VENV = PEERS / "jupyter-book-venv"
REQUIREMENTS = Path(__file__).with_name("jupyter-book.txt")
RESULTS = Path(__file__).with_name("jupyter-book.json")
BOOK_VENV = Path(os.environ.get("VENV", ROOT / ".venv")).resolve()


def local_directives() -> list[str]:
    """The directives the book's extension adds (``app.add_directive("name", ...)``)."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "_ext" / "book").glob("*.py"))
    return re.findall(r'add_directive\("([\w-]+)"', code)


def toctrees(index: str) -> list[dict]:
    """The landing page's toctrees: caption, numbered, entries."""
    found = []
    for block in re.findall(r"```\{toctree\}\n(.*?)```", index, flags=re.S):
        options = dict(re.findall(r"^:(\w+):\s*(.*)$", block, flags=re.M))
        entries = [line for line in block.splitlines() if line and not line.startswith(":")]
        found.append(
            {"caption": options.get("caption"), "numbered": "numbered" in options, "files": entries}
        )
    return found


def essay(dest: Path) -> None:
    """The essay as a Jupyter Book: its sources, less the book's directives, with a TOC."""
    if dest.exists():
        shutil.rmtree(dest)
    names = "|".join(map(re.escape, local_directives()))
    local = re.compile(rf"```\{{(?:{names})\}}\n.*?```\n?", flags=re.S)
    for folder in ("chapters", "backmatter"):
        (dest / folder).mkdir(parents=True)
        for page in (ROOT / folder).glob("*.md"):
            text = local.sub("", page.read_text(encoding="utf-8"))
            (dest / folder / page.name).write_text(text, encoding="utf-8")
    index = (ROOT / "index.md").read_text(encoding="utf-8")
    parts = toctrees(index)
    index = re.sub(r"```\{toctree\}\n.*?```\n?", "", local.sub("", index), flags=re.S)
    (dest / "index.md").write_text(index, encoding="utf-8")
    toc = ["format: jb-book", "root: index", "parts:"]
    for part in parts:
        toc.append(f"  - caption: {part['caption']}")
        toc.append(f"    numbered: {str(part['numbered']).lower()}")
        toc.append("    chapters:")
        toc += [f"      - file: {entry}" for entry in part["files"]]
    (dest / "_toc.yml").write_text("\n".join(toc) + "\n", encoding="utf-8")
    chapters = len(list((dest / "chapters").glob("*.md")))
    count = subprocess.run(
        [str(BOOK_VENV / "bin" / "python"), "-c",
         f"import conf; print(conf._in_words({chapters}).capitalize())"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    config = {
        "title": "Craving Genuine Connection in the Digital Age",
        "author": "Anonymous",
        "only_build_toc_files": True,
        "execute": {"execute_notebooks": "off"},
        "parse": {
            "myst_enable_extensions": ["attrs_block", "colon_fence", "substitution"],
            "myst_substitutions": {"chapter_count": count},
        },
    }
    (dest / "_config.yml").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def venv() -> Path:
    """The venv with Jupyter Book 1.0.4, made once."""
    jb = VENV / "bin" / "jupyter-book"
    if not jb.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True)
    return jb


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed


def version(python: Path, package: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({package!r}))"
    return subprocess.run([str(python), "-c", code], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    jb = venv()
    src = PEERS / "essay"
    essay(src)
    load = [os.getloadavg()[0]]

    def jupyter_book() -> float:
        shutil.rmtree(src / "_build", ignore_errors=True)
        return timed([str(jb), "build", "--all", "-W", "-n", "--quiet", str(src)], src)

    def make_html() -> float:
        with tempfile.TemporaryDirectory(dir=PEERS) as work:
            book = Path(work) / "book"
            shutil.copytree(ROOT, book, ignore=shutil.ignore_patterns(
                ".git", ".venv", "_build", "node_modules", "__pycache__", ".*cache"))  # fmt: skip
            return timed(["make", "--no-print-directory", "-s", "html", f"VENV={BOOK_VENV}"], book)

    figures = {"jupyter_book_html_cold_s": [], "make_html_cold_s": []}
    for _ in range(args.runs):  # taking turns, so that both see the same load
        figures["jupyter_book_html_cold_s"].append(jupyter_book())
        figures["make_html_cold_s"].append(make_html())
        load.append(os.getloadavg()[0])
    results = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_average": f"{min(load):.1f} to {max(load):.1f}",
        "runs": args.runs,
        "jupyter_book": version(VENV / "bin" / "python", "jupyter-book"),
        "jupyter_book_sphinx": version(VENV / "bin" / "python", "sphinx"),
        "book_sphinx": version(BOOK_VENV / "bin" / "python", "sphinx"),
        **{key: round(statistics.median(values), 2) for key, values in figures.items()},
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
