"""Session-wide builds of every edition, shared by the test modules.

Each edition is built once per session, with ``sphinx-build -W -n`` in a
subprocess, into a temporary folder; the tests then read what was built.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
# Builds date themselves from SOURCE_DATE_EPOCH (the Makefile sets it from git).
os.environ.setdefault("SOURCE_DATE_EPOCH", "1764115200")
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ON_CI = os.environ.get("CI") == "true"
SLUG = "craving-genuine-connection"

#: Debian packages that provide the system tools the tests need.
APT_PACKAGES = {
    "xelatex": "texlive-xetex texlive-latex-recommended texlive-latex-extra "
    "texlive-fonts-recommended fonts-freefont-otf",
    "latexmk": "latexmk",
    "pdftotext": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "pdfimages": "poppler-utils",
    "java": "default-jre-headless",
    "epubcheck": "epubcheck",
    "chromium": "chromium",
    "node": "nodejs npm",
}
EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def require(tool: str) -> None:
    """Skip (or, on CI, fail) when a system tool is missing, naming how to install it."""
    found = EPUBCHECK_JAR.exists() if tool == "epubcheck" else shutil.which(tool)
    if found:
        return
    message = (
        f"{tool} is not installed; install it with: "
        f"sudo apt-get install --no-install-recommends {APT_PACKAGES[tool]}"
    )
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


def copy_source(dest: Path) -> Path:
    """A fresh copy of the book's sources (what a clean checkout holds)."""
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "_build", "node_modules", "__pycache__", ".*cache"
    )
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


@pytest.fixture(scope="session")
def html(tmp_path_factory) -> Build:
    """The web edition, as `make html` builds it (no PDF or EPUB beside it)."""
    out = tmp_path_factory.mktemp("html")
    result = sphinx_build("html", out, env={"BOOK_DOWNLOADS": "", "READTHEDOCS": ""})
    return Build(out, result.stdout)


@pytest.fixture(scope="session")
def epub(tmp_path_factory) -> Build:
    """The EPUB edition, as `make epub` builds it."""
    out = tmp_path_factory.mktemp("epub")
    result = sphinx_build("epub", out)
    return Build(out, result.stdout)


@pytest.fixture(scope="session")
def epub_file(epub) -> Path:
    return epub.outdir / f"{SLUG}.epub"


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


@pytest.fixture(scope="session")
def pdf(tmp_path_factory) -> PdfBuild:
    """The PDF edition, built the way Read the Docs builds it, from a fresh copy."""
    return build_pdf(copy_source(tmp_path_factory.mktemp("rtd") / "src"))


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


# -- The static site of `make dist` ------------------------------------------------


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> Build:
    """The site `make dist` builds: web edition, PDF, EPUB and one-page edition together."""
    require("xelatex")
    require("latexmk")
    builddir = tmp_path_factory.mktemp("dist") / "_build"
    env = {"BOOK_DOWNLOADS": "", "READTHEDOCS": "", "VENV": str(ROOT / ".venv")}
    result = run(["make", "--no-print-directory", "dist", f"BUILDDIR={builddir}"], env=env)
    return Build(builddir / "dist", result.stdout)


# -- The web edition as Read the Docs builds it ---------------------------------------

READTHEDOCS_ENV = {
    "READTHEDOCS": "True",
    "READTHEDOCS_CANONICAL_URL": "https://example.readthedocs.io/en/latest/",
    "READTHEDOCS_LANGUAGE": "en",
    "READTHEDOCS_VERSION": "latest",
    "READTHEDOCS_VERSION_TYPE": "branch",
    "BOOK_DOWNLOADS": "",
}


@pytest.fixture(scope="session")
def readthedocs_html(tmp_path_factory) -> Build:
    """The web edition with the environment Read the Docs sets for a branch build."""
    out = tmp_path_factory.mktemp("readthedocs-html")
    result = sphinx_build("html", out, env=READTHEDOCS_ENV)
    return Build(out, result.stdout)
