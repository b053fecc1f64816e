"""The built site served on 127.0.0.1, and Chromium, for the browser modules (a pytest
plugin on top of pytest-playwright's).

pytest-playwright's fixtures launch Debian's Chromium (never Playwright's own
download: ``browser_type_launch_args``), once per pytest-xdist worker, and give each
test browser contexts of its own, closed after it.  ``open_context`` opens one on the
``make dist`` site, served under its path on its host (``OTHER_HOST``'s), and checks
as the test ends that nothing the pages asked for failed or left the site.  The Nu
Html Checker reads every page once for the session (``vnu_report``).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from jobs import background, once, shared_folder
from tools import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    JAVA,
    MOVED_PAGES,
    OTHER_HOST,
    ROOT,
    require,
    require_npm,
    run,
)

WIDE = {"width": 1280, "height": 800}
NARROW = {"width": 375, "height": 740}
#: Screenshots for people to look at (no test passes because of them).
SCREENSHOTS = ROOT / "_build" / "screenshots"
#: Pages the browser modules look at closely.
FAQ = "backmatter/faq.html"
CHAPTER = "chapters/isolation-of-theodore.html"
ONE_PAGE = "single/index.html"
VNU_JAR = ROOT / "tests" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# -- The site, served ---------------------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under its path on its host (BOOK_BASEURL's), and nothing else."""

    prefix = urlsplit(OTHER_HOST).path

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "not-in-the-site")
        return super().translate_path("/" + path.removeprefix(self.prefix))

    def log_message(self, format: str, *args) -> None:
        pass


def pages_in(root: Path) -> list[str]:
    """Every page of the site in *root*, less the forwarding pages at moved pages' old
    addresses."""
    pages = (p.relative_to(root).as_posix() for p in root.rglob("*.html"))
    return sorted(p for p in pages if p not in MOVED_PAGES)


@dataclass
class Site:
    """The built site, served on 127.0.0.1."""

    root: Path
    url: str

    @functools.cached_property
    def pages(self) -> list[str]:
        """Every page, less the forwarding pages at moved pages' old addresses."""
        return pages_in(self.root)

    def article_text(self, page: str) -> str:
        html = (self.root / page).read_text(encoding="utf-8")
        return BeautifulSoup(html, "html.parser").select_one("article[role=main]").get_text()


class QuietServer(http.server.ThreadingHTTPServer):
    """A server that lets a browser drop a connection (a download it stopped reading)
    without printing a traceback: a test's own checks say what went wrong."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exception(), ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def served(root: Path) -> Iterator[str]:
    """The site in *root*, served on 127.0.0.1 until the block ends: its address."""
    handler = functools.partial(QuietHandler, directory=str(root))
    server = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{QuietHandler.prefix}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site(dist) -> Iterator[Site]:
    """The `make dist` site, served for this worker's browser."""
    with served(dist.outdir) as url:
        yield Site(dist.outdir, url)


@background(needs=("dist",))
def vnu_report(tmp_path_factory, dist) -> dict:
    """The Nu Html Checker's errors on every page of the site (its JSON report)."""
    require("java")
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} is missing: npm ci --prefix tests")
    files = sorted(str(p) for p in dist.outdir.rglob("*.html"))
    java = [*JAVA, "-Xss4m", "-jar", str(VNU_JAR), "--format", "json", "--errors-only"]
    result = run([*java, *files], check=False)
    return {"returncode": result.returncode, **json.loads(result.stdout)}


# -- One pass over every page, read by several checks ----------------------------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: The rules whose outcome depends on the colours, run again in the other theme.
AXE_COLOUR_RULES = ["color-contrast", "link-in-text-block"]

AUDIT = """([tags, colourRules, themes, exclude]) => {
  window.bookAudit = (async () => {
    const violations = [];
    for (const [index, theme] of themes.entries()) {
      document.body.dataset.theme = theme;
      await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
      const runOnly = index ? {type: "rule", values: colourRules} : {type: "tag", values: tags};
      const result = await axe.run({exclude}, {runOnly, resultTypes: ["violations"]});
      for (const v of result.violations) {
        const where = v.nodes.map(n => n.target.join(" ")).join(", ");
        violations.push(`${theme}: ${v.id} (${v.help}) at ${where}`);
      }
    }
    return {violations, scrollWidth: document.documentElement.scrollWidth};
  })();
}"""

#: Pages checked whole in both themes at both widths.  Every other page is checked
#: in light when wide and in dark when narrow, without the sidebar: it is the same on
#: every page but for the current entry, which a chapter and the FAQ show.
EVERY_VIEW = {"index.html", CHAPTER, FAQ}
SIDEBAR = [".sidebar-drawer"]


@dataclass
class Audit:
    """What axe-core found on each page at each width, what the pages asked for, and
    each page's title and accessibility tree (as ``aria_snapshot`` gives it)."""

    url: str
    results: dict[str, dict[int, dict]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    trees: dict[str, str] = field(default_factory=dict)


def audit_every_page(browser, site) -> Audit:
    """axe-core on every page, in light and dark, wide and 375 px wide; and each
    page's title and accessibility tree as it loads (``test_access.py`` reads them).

    The first theme of a page gets every WCAG 2.1 A and AA rule, the second only the
    rules that depend on colour, since nothing else changes between the two.  One
    tab does it all, resized between the widths: Chromium throttles a second tab's
    animation frames.
    """
    axe = require_npm("axe-core") / "axe.min.js"
    found = Audit(site.url)
    context = browser.new_context(base_url=site.url, viewport=WIDE, reduced_motion="reduce")
    try:
        context.set_default_timeout(10_000)
        context.on("request", lambda request: found.requests.append(request.url))
        found.problems = watch(context, site.url)
        context.add_init_script(path=axe)
        tab = context.new_page()
        for name in pages_in(site.root):
            tab.set_viewport_size(WIDE)
            tab.goto(name)
            found.titles[name] = tab.title()
            found.trees[name] = tab.locator("body").aria_snapshot()
            everything = name in EVERY_VIEW
            found.results[name] = {}
            for viewport, themes in ((WIDE, ["light", "dark"]), (NARROW, ["dark", "light"])):
                tab.set_viewport_size(viewport)
                args = [AXE_TAGS, AXE_COLOUR_RULES]
                args += [themes, []] if everything else [themes[:1], SIDEBAR]
                tab.evaluate(AUDIT, args)
                found.results[name][viewport["width"]] = tab.evaluate("window.bookAudit")
    finally:
        context.close()
    return found


#: The tests that read the audit: one worker does them all (``--dist loadgroup``), and
#: starts on them first, since they wait for the longest build and make the longest pass.
reads_the_audit = pytest.mark.xdist_group("audit")


@pytest.fixture(scope="session")
def audit(browser, site, tmp_path_factory) -> Audit:
    """axe-core's pass over every page, made once for the session (``jobs.once``)."""
    folder = shared_folder(tmp_path_factory)
    return once(folder, "audit", lambda: audit_every_page(browser, site))


# -- Chromium, through pytest-playwright -------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium, headless, with nothing of its own going to the network."""
    require("chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


def watch(context, site_url: str) -> list[str]:
    """What went wrong with the requests *context* makes: a failure, or an address
    outside the site (checked by ``open_context`` as the test ends)."""
    problems: list[str] = []

    def on_request(request) -> None:
        if not request.url.startswith(site_url):
            problems.append(f"asked outside the site: {request.url}")

    def on_response(response) -> None:
        if response.status >= 400:
            problems.append(f"{response.status} {response.url}")

    context.on("request", on_request)
    context.on("response", on_response)
    return problems


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict, site: Site) -> dict:
    """Every context opens on the site."""
    return {**browser_context_args, "base_url": site.url}


@pytest.fixture
def open_context(new_context, site):
    """``open_context(viewport, scheme, **options)``: a browser context on the site,
    closed after the test; the test fails if a page asked for something that failed
    or is not the site's."""
    problems: list[str] = []

    def open_context(viewport=WIDE, scheme="light", **options):
        context = new_context(viewport=viewport, color_scheme=scheme, **options)
        context.set_default_timeout(10_000)  # a broken page fails in seconds, not minutes
        problems.extend(watch(context, site.url))  # the same list, filled as it goes
        return context

    yield open_context
    assert not problems, "\n".join(problems)
