"""Faults an author meets over a week of edits, each replayed on a copy of the book.

Every case asserts what the author would see: the exit status, the message (with
file and line where there is one) and the state of what was built.  The builds
share a doctree folder per copy, as ``make`` does (``_build/doctrees``).

What the book's extension does is replayed in-process (``build_in_process``), from
one clean build of the web edition and the EPUB made once for the module and put
back in place before each test.  What needs a process or ``make`` (Ctrl-C, two
builds at once, ``SOURCE_DATE_EPOCH``, ``make serve``, the PDF's log) runs one;
those that need no build of this module's run as background jobs, side by side: two
``make html`` at once in a copy inside another repository (which also shows the
copy is not dated by that repository), and ``make latexpdf``.
Mistakes in a single source file are replayed on the small book, in
``tests/fast/test_source_faults.py``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pdf_page import address_break_problems, web_addresses_as_set

from book.accessibility import UNTAGGED
from jobs import background
from manuscript import copy_edits, squash
from tools import (
    CHAPTERS,
    LOCAL_ENV,
    OTHER_HOST,
    ROOT,
    SLUG,
    add_chapter,
    append,
    build_in_process,
    copy_source,
    move_chapter,
    page_label,
    remove_chapter,
    require,
    run,
    source_docs,
    source_text,
    sphinx_build,
    tree_digest,
)


def links_to(name: str) -> int:
    """How many other pages link to chapter *name* by its label."""
    label = page_label(f"chapters/{name}")
    link = re.compile(rf"[<`]{re.escape(label)}[>`]")
    return sum(
        bool(link.search(source_text(doc))) for doc in source_docs() if doc != f"chapters/{name}"
    )


#: The chapter the faults are made in: the one other pages link to most (its removal
#: breaks the most links).
NAME = max(CHAPTERS, key=links_to)
CHAPTER, LABEL = f"chapters/{NAME}", page_label(f"chapters/{NAME}")


def search_index(outdir: Path) -> dict:
    index = (outdir / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(index[index.index("(") + 1 : index.rindex(")")])


def searchable_pages(outdir: Path) -> list[str]:
    return sorted(search_index(outdir)["docnames"])


def sitemap_urls(outdir: Path) -> list[str]:
    return re.findall(r"<loc>([^<]+)</loc>", (outdir / "sitemap.xml").read_text())


def same_as_a_clean_build(src: Path, builder: str, tmp: Path) -> list[str]:
    """The files that differ between src's incremental output and a clean build of it
    (the search index included: ``outputs.py`` drops the words left with no page)."""
    clean = Path(shutil.copytree(src, tmp, ignore=shutil.ignore_patterns("_build")))
    assert build_in_process(clean, builder).status == 0
    ours, theirs = tree_digest(src / "_build" / builder), tree_digest(clean / "_build" / builder)
    ours.pop(".buildinfo", None)
    theirs.pop(".buildinfo", None)
    differ = sorted(k for k in ours.keys() | theirs.keys() if ours.get(k) != theirs.get(k))
    return differ


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory) -> tuple[Path, Path]:
    """A copy of the book with its web edition and EPUB built once, from nothing, and a
    snapshot of the folder as that left it (sources, output and Sphinx's saved state)."""
    src = copy_source(tmp_path_factory.mktemp("book") / "src")
    for builder in ("html", "epub"):
        result = build_in_process(src, builder)
        assert (result.status, result.warnings) == (0, [])
    snapshot = src.parent / "snapshot"
    shutil.copytree(src, snapshot)  # file times kept: nothing looks edited
    return src, snapshot


@pytest.fixture
def book(clean_build) -> Path:
    """The copy of the book just after its clean build, put back in its folder (Sphinx
    trusts its saved state only in the folder it was made in)."""
    src, snapshot = clean_build
    shutil.rmtree(src)
    shutil.copytree(snapshot, src)
    return src


# -- What ships is exactly the sources ---------------------------------------------

DRAFT = "(draft)=\n\n# A Draft\n\nPRIVATE DRAFT, not for publication.\n"
MIDDLE = CHAPTERS[len(CHAPTERS) // 2]


def test_an_incremental_build_equals_a_clean_one_after_edit_add_rename_and_remove(book, tmp_path):
    src = book
    steps = {
        "edit a chapter": lambda: append(src, CHAPTER, "A sentence added today."),
        "add a chapter": lambda: add_chapter(src, "draft", DRAFT, after=MIDDLE),
        "rename a chapter": lambda: (
            remove_chapter(src, "draft"),
            add_chapter(src, "a-draft", DRAFT, after=MIDDLE),
        ),
        "move a chapter": lambda: move_chapter(src, "a-draft", after=CHAPTERS[0]),
        "remove it": lambda: remove_chapter(src, "a-draft"),
    }
    for number, (step, change) in enumerate(steps.items()):
        change()
        result = build_in_process(src)
        assert (result.status, result.warnings) == (0, []), step
        assert same_as_a_clean_build(src, "html", tmp_path / str(number)) == [], step
        assert len(sitemap_urls(src / "_build" / "html")) == len(source_docs(src)), step

    assert "PRIVATE DRAFT" not in "".join(
        p.read_text(encoding="utf-8") for p in (src / "_build" / "html").rglob("*.html")
    )


def test_a_second_make_html_leaves_the_search_index_as_it_was(book):
    """Issue 21, case 1: ``make html && make html`` emptied ``indexentries`` (46 -> 0),
    sphinx-doc/sphinx#12599; since issue 22 the search holds none (one hit per page)."""
    html = book / "_build" / "html"
    before = (html / "searchindex.js").read_bytes()
    assert search_index(html)["terms"]
    again = build_in_process(book)
    assert (again.status, again.warnings) == (0, [])
    assert (html / "searchindex.js").read_bytes() == before


def test_a_deleted_draft_leaves_neither_the_site_nor_the_epub(book):
    add_chapter(book, "draft", DRAFT)
    for builder in ("html", "epub"):
        assert build_in_process(book, builder).status == 0
    html = book / "_build" / "html"
    assert (html / "chapters" / "draft.html").exists()  # it was published, then
    remove_chapter(book, "draft")
    for builder in ("html", "epub"):
        assert build_in_process(book, builder).status == 0

    assert not (html / "chapters" / "draft.html").exists()
    assert not [p for p in html.rglob("*.html") if "PRIVATE DRAFT" in p.read_text("utf-8")]
    with zipfile.ZipFile(book / "_build" / "epub" / f"{SLUG}.epub") as epub:
        assert [n for n in epub.namelist() if "draft" in n] == []
        assert not [n for n in epub.namelist() if b"PRIVATE DRAFT" in epub.read(n)]


# -- A failed build stays failed until it is fixed -----------------------------------


def test_a_deleted_chapter_reports_every_link_to_it_in_every_build(book):
    src = book
    linking = {
        str(p.relative_to(src))
        for p in src.glob("**/*.md")
        if re.search(rf"[<`]{LABEL}[>`]", p.read_text(encoding="utf-8")) and "_build" not in p.parts
    }
    if any(edit["chapter"] == LABEL for edit in copy_edits()):  # named at its entry's line
        linking.add("backmatter/copy-edits.toml")
    remove_chapter(src, NAME)

    for attempt in ("first build", "build again"):
        result = build_in_process(src)
        assert result.status != 0, attempt
        reported = {
            w.split(":")[0].removeprefix(str(src) + "/")
            for w in result.warnings
            if f"undefined label: '{LABEL}'" in w
        }
        assert sorted(reported) == sorted(p for p in linking if not p.startswith(CHAPTER)), attempt


# -- Interrupted and concurrent builds -------------------------------------------------


#: A web build that stops itself after writing its third page: Ctrl-C (SIGINT, its
#: default handler restored, as a shell that starts the tests in the background has it
#: ignored) or SIGKILL to its process group (no handler runs, as when make and
#: sphinx-build are killed together). From inside, so the moment does not depend on how
#: fast this machine is.
STOPPED_BUILD = """
import os, signal, sys
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.cmd.build import main
signal.signal(signal.SIGINT, signal.default_int_handler)
write_doc, written = StandaloneHTMLBuilder.write_doc, []
def write_then_stop(self, *args):
    write_doc(self, *args)
    written.append(1)
    if len(written) == 3:
        {stop}
StandaloneHTMLBuilder.write_doc = write_then_stop
sys.exit(main(sys.argv[1:]))
"""
STOPS = {
    "ctrl-c": "os.kill(os.getpid(), signal.SIGINT)",
    "kill": "os.killpg(os.getpgid(0), signal.SIGKILL)",
}


def stopped_web_build(src: Path, stop: str) -> subprocess.CompletedProcess:
    """``make html`` in *src*, stopped (*stop*: a key of STOPS) after its third page."""
    doctrees, out = src / "_build" / "doctrees", src / "_build" / "html"
    script = STOPPED_BUILD.replace("{stop}", STOPS[stop])
    return subprocess.run(
        [sys.executable, "-c", script, "-b", "html", "-d", str(doctrees), str(src), str(out)],
        cwd=src,
        env={**os.environ, **LOCAL_ENV},
        capture_output=True,
        text=True,
        check=False,
        start_new_session=stop == "kill",
    )


def test_an_interrupted_build_is_made_whole_by_the_next(book, tmp_path):
    src = book
    for path in (src / "chapters").glob("*.md"):
        path.write_text(path.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    process = stopped_web_build(src, "ctrl-c")
    assert "Interrupted!" in process.stdout + process.stderr
    assert process.returncode != 0, "the build finished before it was interrupted"
    assert (src / "_build" / "doctrees" / "book-build-unfinished").exists()

    results = [build_in_process(src), build_in_process(src)]
    assert [(r.status, r.warnings) for r in results] == [(0, []), (0, [])]
    html = src / "_build" / "html"
    assert searchable_pages(html) == source_docs(src)
    assert len(sitemap_urls(html)) == len(source_docs(src))
    assert same_as_a_clean_build(src, "html", tmp_path / "clean") == []


def test_a_web_build_killed_mid_write_is_made_whole_even_after_an_epub_build(book, tmp_path):
    """Issue 21, case 2: make html; change a chapter's title; make html, its process group
    killed (SIGKILL) while it writes pages; make epub; make html.  The web edition's
    mark is its own: the EPUB build does not clear it, so every page is written again."""
    src = book
    chapter = src / f"{CHAPTER}.md"
    text = chapter.read_text(encoding="utf-8")
    title = re.search(r"^# (.+)$", text, re.MULTILINE).group(1)
    chapter.write_text(text.replace(f"# {title}", "# A Title Changed Today", 1), encoding="utf-8")
    out = src / "_build" / "html"
    process = stopped_web_build(src, "kill")
    assert process.returncode == -9, process.stdout + process.stderr

    epub = build_in_process(src, "epub")
    assert (epub.status, epub.warnings) == (0, [])
    html = build_in_process(src, "html")
    assert (html.status, html.warnings) == (0, [])
    stale = [
        str(page.relative_to(out))
        for page in sorted(out.rglob("*.html"))
        if f">{title}<" in page.read_text(encoding="utf-8")
    ]
    assert stale == [], "pages still showing the old title"
    assert title not in json.dumps(search_index(out)["titles"])
    assert same_as_a_clean_build(src, "html", tmp_path / "clean") == []


#: Makes the disk fill up as a build writes one file (``FULL_DISK_AT``).
FULL_DISK = ROOT / "tests" / "fixtures" / "full-disk"


@pytest.mark.parametrize("full_at", ["chapters/*.html", ".buildinfo"])
def test_a_full_disk_stops_the_build_on_one_line_and_the_next_build_is_whole(
    book, tmp_path, full_at
):
    """Issue 21: a full disk printed Sphinx's message, then a crash report of the book's
    font step; a ``.buildinfo`` it left empty made the next build crash.  Now the build
    ends on one line that says so (or Sphinx's warning, where Sphinx itself goes on)."""
    src, out = book, book / "_build" / "html"
    chapter = src / f"{CHAPTER}.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    env = {**LOCAL_ENV, "PYTHONPATH": str(FULL_DISK), "FULL_DISK_AT": f"{out}/{full_at}"}
    full = sphinx_build(
        "html", out, src, "-d", str(src / "_build" / "doctrees"), check=False, env=env
    )
    assert full.returncode != 0, full.stdout
    assert "No space left on device" in full.stdout, full.stdout
    assert "Traceback" not in full.stdout, full.stdout
    assert "please open an issue" not in full.stdout, full.stdout

    again = build_in_process(src)
    assert (again.status, again.warnings) == (0, [])
    assert same_as_a_clean_build(src, "html", tmp_path / "clean") == []


@dataclass
class TwoMakes:
    """Two `make html`s started together in one copy of the book, and what they left."""

    src: Path
    returncodes: list[int]
    logs: list[str]
    searchable_pages: list[str]


@background
def two_makes_inside_another_repository(tmp_path_factory) -> TwoMakes:
    """Two `make html`s started together in a fresh copy of the book that sits inside
    another, older git repository, with no SOURCE_DATE_EPOCH (a background job)."""
    outer = tmp_path_factory.mktemp("outer-repository")
    src = copy_source(outer / "book")
    git = ["git", "-c", "user.name=x", "-c", "user.email=x@x"]
    run([*git, "init", "-q"], cwd=outer)
    run([*git, "add", "-A"], cwd=outer)
    date = {"GIT_COMMITTER_DATE": "2001-01-01T00:00:00", "GIT_AUTHOR_DATE": "2001-01-01T00:00"}
    run([*git, "commit", "-q", "-m", "old"], cwd=outer, env=date)
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["VENV"] = str(ROOT / ".venv")
    make = ["make", "--no-print-directory", "html"]
    both = [
        subprocess.Popen(
            make, cwd=src, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for _ in range(2)
    ]
    logs = [p.communicate()[0] for p in both]
    pages = searchable_pages(src / "_build" / "html")
    return TwoMakes(src, [p.returncode for p in both], logs, pages)


def test_two_builds_at_once_take_turns_and_leave_a_whole_site(
    two_makes_inside_another_repository,
):
    both = two_makes_inside_another_repository
    assert both.returncodes == [0, 0], both.logs
    assert any("waiting for the build already running here" in log for log in both.logs)
    assert both.searchable_pages == source_docs(both.src)


# -- Clear errors for bad input --------------------------------------------------------


def test_a_bad_source_date_epoch_gets_one_clear_line(tmp_path):
    result = run(
        ["make", "--no-print-directory", "html", f"BUILDDIR={tmp_path}"],
        env={"SOURCE_DATE_EPOCH": "yesterday"},
        check=False,
    )
    assert result.returncode != 0
    [line] = result.stdout.splitlines()
    assert re.fullmatch(
        r"Makefile:\d+: \*\*\* SOURCE_DATE_EPOCH='yesterday' is not a time in seconds since "
        r"1970: unset it, or set it as git log -1 --format=%ct prints it\.  Stop\.",
        line,
    )


def test_a_book_inside_another_repository_is_not_dated_by_it(
    two_makes_inside_another_repository,
):
    built = two_makes_inside_another_repository
    assert built.returncodes == [0, 0], built.logs
    footer = (built.src / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert "2001" not in re.search(r"Copyright[^<]*", footer).group()


def test_make_serve_on_a_busy_port_names_the_setting(tmp_path):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "index.html").write_text("<p>built</p>")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run(
            ["make", "--no-print-directory", "serve", f"PORT={port}", f"BUILDDIR={tmp_path}"],
            check=False,
        )
    assert result.returncode != 0
    assert f"make serve: port {port} is busy" in result.stdout
    assert f"make serve PORT={port + 1}" in result.stdout
    assert "Traceback" not in result.stdout


# -- Nothing silently lost in the PDF --------------------------------------------------


def make_latexpdf(src: Path) -> tuple[Path, str, int]:
    """`make latexpdf` in a copy of the book: the copy, what make printed, its status."""
    result = run(
        ["make", "--no-print-directory", "latexpdf"],
        cwd=src,
        env={"VENV": str(ROOT / ".venv")},
        check=False,
    )
    return src, result.stdout, result.returncode


#: An address longer than a highlight's line (a highlight is set ragged).
LONG_URL = "https://example.org/a/really/long/path/that/goes/on/and/on/forever/and/ever/index.html"


@background
def make_latexpdf_with_characters_the_font_lacks(tmp_path_factory) -> tuple[Path, str, int]:
    """`make latexpdf` of a copy whose chapter has characters the font lacks and a long
    web address in a highlight (a background job)."""
    require("xelatex")
    require("latexmk")
    src = copy_source(tmp_path_factory.mktemp("pdf-faults") / "src")
    append(
        src,
        CHAPTER,
        "Café, naïve, \u2013 \u2014 ‘quoted’ “quoted” …\n\nIn Japanese 日本, and 😀.\n\n"
        ":::{admonition} Highlight\n:class: book-highlight\n\nSee "
        f"{LONG_URL} for more.\n:::",
    )
    return make_latexpdf(src)


@pytest.mark.slow
def test_the_pdf_fails_on_missing_characters_and_breaks_long_urls(
    make_latexpdf_with_characters_the_font_lacks,
):
    src, log, returncode = make_latexpdf_with_characters_the_font_lacks
    assert returncode != 0
    lost = [line for line in log.splitlines() if "is not in the font" in line]
    source = (src / f"{CHAPTER}.md").read_text(encoding="utf-8").splitlines()
    at = next(n for n, line in enumerate(source, start=1) if "In Japanese" in line)
    assert [line.split(" is not")[0] for line in lost] == [
        f"{CHAPTER}.md:{at}: 日 (U+65E5)",
        f"{CHAPTER}.md:{at}: 本 (U+672C)",
        f"{CHAPTER}.md:{at}: 😀 (U+1F600)",
    ]
    assert all(re.search(r"is not in the font \w", line) for line in lost), lost
    assert all("In Japanese" in line for line in lost)
    log = (src / "_build" / "latex" / f"{SLUG}.log").read_text(errors="replace")
    assert "Overfull" not in log
    # the long address is broken, at its own separators only
    pdf = src / "_build" / "latex" / f"{SLUG}.pdf"
    assert [len(pieces) > 1 for uri, pieces in web_addresses_as_set(pdf) if uri == LONG_URL] == [
        True
    ]
    assert address_break_problems(pdf) == []


# -- Every field is text, every address inside the output (issue 21) ----------------

#: CITATION.cff titles that would run as code: HTML in the web pages, LaTeX in the PDF.
SCRIPT_TITLE = "Craving </script><script>alert(1)</script> Connection in the Digital Age"
LATEX_TITLE = r"Craving \input{/etc/hostname} Love & Loneliness % # $ Connection in the Digital Age"


def with_title(src: Path, title: str) -> None:
    """Give the book in *src* this title in CITATION.cff (the one place it is kept)."""
    cff = src / "CITATION.cff"
    quoted = "'" + title.replace("'", "''") + "'"
    text, count = re.subn(
        r"^title: &title .*$",
        lambda _: f"title: &title {quoted}",
        cff.read_text("utf-8"),
        count=1,
        flags=re.M,
    )
    assert count == 1
    cff.write_text(text, encoding="utf-8")


def test_html_in_the_citation_title_runs_no_script_on_any_page(tmp_path):
    """Case 7: the sidebar brand of every page, 404 and search included, ran a script."""
    src = copy_source(tmp_path / "src")
    with_title(src, SCRIPT_TITLE)
    result = build_in_process(src)
    assert (result.status, result.warnings) == (0, [])
    pages = sorted((src / "_build" / "html").rglob("*.html"))
    assert {"404.html", "search.html", "index.html"} <= {p.name for p in pages}
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert [s for s in soup.find_all("script") if s.get_text().strip() == "alert(1)"] == [], (
            page
        )
        if soup.select_one('meta[http-equiv="refresh"]'):
            continue  # a forwarding page: no theme
        assert [b.get_text() for b in soup.select(".sidebar-brand-text")] == [SCRIPT_TITLE], page


@background
def make_latexpdf_with_latex_in_the_title(tmp_path_factory) -> tuple[Path, str, int]:
    """`make latexpdf` of a copy whose CITATION.cff title holds a LaTeX command and
    LaTeX's special characters (a background job)."""
    require("xelatex")
    require("latexmk")
    src = copy_source(tmp_path_factory.mktemp("latex-title") / "src")
    with_title(src, LATEX_TITLE)
    return make_latexpdf(src)


@pytest.mark.slow
def test_latex_in_the_citation_title_is_printed_on_the_title_page_not_run(
    make_latexpdf_with_latex_in_the_title,
):
    """Case 8: the title page printed the build machine's host name; ``&`` stopped the
    build with no pointer to CITATION.cff."""
    require("pdftotext")
    src, log, returncode = make_latexpdf_with_latex_in_the_title
    assert returncode == 0, log
    pdf = src / "_build" / "latex" / f"{SLUG}.pdf"
    title_page = run(["pdftotext", "-l", "1", str(pdf), "-"]).stdout
    assert " ".join(title_page.split()).startswith(" ".join(LATEX_TITLE.split()))
    info = run(["pdfinfo", str(pdf)]).stdout
    assert re.search(r"^Title:\s+(.*)$", info, re.M)[1] == LATEX_TITLE


def test_a_removed_chapters_forwarding_page_goes_with_it(book, tmp_path):
    """Case 3: a chapter, its contents line, its redirect and its references removed, its
    forwarding page was still shipped, to a page that no longer exists."""
    add_chapter(book, "draft", DRAFT)
    redirects = book / "redirects.toml"
    lines = redirects.read_text(encoding="utf-8")
    redirects.write_text(lines + '"chapters/old-draft" = "chapters/draft"\n', encoding="utf-8")
    assert build_in_process(book).status == 0
    html = book / "_build" / "html"
    assert (html / "chapters" / "old-draft.html").is_file()
    remove_chapter(book, "draft")
    redirects.write_text(lines, encoding="utf-8")
    result = build_in_process(book)
    assert (result.status, result.warnings) == (0, [])
    assert not (html / "chapters" / "old-draft.html").exists()
    assert same_as_a_clean_build(book, "html", tmp_path / "clean") == []


def test_a_redirect_out_of_the_output_folder_is_refused_with_its_line(book):
    """Case 9: ``"../../../escaped" = "chapters/…"`` wrote escaped.html three levels
    above _build/html, with exit status 0."""
    redirects = book / "redirects.toml"
    text = redirects.read_text(encoding="utf-8")
    redirects.write_text(text + f'"../../../escaped" = "{CHAPTER}"\n', encoding="utf-8")
    line = len(text.splitlines()) + 1
    result = build_in_process(book)
    assert result.status != 0
    assert [w for w in result.warnings if f"redirects.toml:{line}: " in w], result.warnings
    above = book / "_build" / "html" / ".." / ".." / ".."
    assert not (above / "escaped.html").exists()


# -- An interrupted PDF build (issue 21) -----------------------------------------------


@background
def make_latexpdf_cut_short(tmp_path_factory) -> tuple[Path, str, subprocess.CompletedProcess]:
    """`make latexpdf`, an edit, `make latexpdf` interrupted 0.5 s after latexmk starts a
    rule (Ctrl-C: SIGINT to the whole process group), then `make latexpdf` again (a
    background job)."""
    require("xelatex")
    require("latexmk")
    src = copy_source(tmp_path_factory.mktemp("latexpdf-cut-short") / "src")
    make = ["make", "--no-print-directory", "latexpdf"]
    env = {**os.environ, "VENV": str(ROOT / ".venv")}
    assert run(make, cwd=src, env=env, check=False).returncode == 0
    append(src, CHAPTER, "A sentence added before the interrupted build.")
    process = subprocess.Popen(
        make, cwd=src, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    interrupted = []
    for line in process.stdout:
        interrupted.append(line)
        if "Latexmk: applying rule" in line:
            time.sleep(0.5)
            os.killpg(process.pid, signal.SIGINT)
            break
    interrupted.append(process.communicate()[0])
    again = run(make, cwd=src, env=env, check=False)
    return src, "".join(interrupted), again


@pytest.mark.slow
def test_a_pdf_build_cut_short_by_ctrl_c_is_made_whole_by_the_next(make_latexpdf_cut_short):
    """Case 4: after Ctrl-C during XeLaTeX, every later `make latexpdf` failed (`Latexmk:
    Nothing to do …`, `gave an error`) until _build/latex was removed by hand."""
    require("pdftotext")
    src, interrupted, again = make_latexpdf_cut_short
    assert "Latexmk: applying rule" in interrupted
    assert again.returncode == 0, again.stdout
    assert "Nothing to do" not in again.stdout
    assert "the last run did not finish" in again.stdout
    pdf = src / "_build" / "latex" / f"{SLUG}.pdf"
    text = " ".join(run(["pdftotext", str(pdf), "-"]).stdout.split())
    assert "A sentence added before the interrupted build." in text


@background(needs=("dist",))
def make_latexpdf_after_make_dist(tmp_path_factory, dist) -> tuple[Path, Path]:
    """`make latexpdf` again in a copy of `make dist`'s build folder, whose saved state the
    EPUB with the PDF's pages was built from last (a background job)."""
    require("xelatex")
    builddir = tmp_path_factory.mktemp("latexpdf-after-dist") / "_build"
    shutil.copytree(dist.builddir, builddir, symlinks=True, ignore=shutil.ignore_patterns("dist"))
    env = {**LOCAL_ENV, "VENV": str(ROOT / ".venv"), "BOOK_BASEURL": OTHER_HOST}
    run(["make", "--no-print-directory", "latexpdf", f"BUILDDIR={builddir}"], env=env)
    return dist.pdf_file, builddir / "latex" / f"{SLUG}.pdf"


@pytest.mark.slow
def test_the_pdf_says_the_same_whatever_was_built_before_it(make_latexpdf_after_make_dist):
    """Case 5: a second `make latexpdf` after `make dist` added two lines to the About
    page's accessibility statement ("Page list to go to pages …")."""
    require("pdftotext")
    first, again = make_latexpdf_after_make_dist
    texts = [run(["pdftotext", str(pdf), "-"]).stdout for pdf in (first, again)]
    assert squash(UNTAGGED) in squash(texts[0])  # the statement is there to compare
    assert texts[1] == texts[0]


def test_raw_html_in_a_chapter_title_fails_the_epub_at_its_line(book):
    """Case 6: ``# Title "><img src=x onerror=alert(1)>`` built an EPUB that EPUBCheck
    calls FATAL (RSC-016) in index.xhtml and the chapter, with exit status 0."""
    chapter = book / f"{CHAPTER}.md"
    lines = chapter.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if text.startswith("# "))
    lines[line - 1] += ' "><img src=x onerror=alert(1)>'
    chapter.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build_in_process(book, "epub")
    assert result.status != 0
    assert [w for w in result.warnings if f"{CHAPTER}.md:{line}: " in w and "raw HTML" in w]
