"""The built site served on 127.0.0.1 and one Chromium for the session (a pytest plugin).

Playwright drives Debian's Chromium (never Playwright's own download) against the
``make dist`` site, served under its path on its host (``OTHER_HOST``'s).  Every
browser module shares the server, the browser and the log of what the pages asked
for; the Nu Html Checker starts with the server and is read by ``test_browser.py``.

Checks that spend their time waiting on the page (a frame after every key press, a
drawer's slide) are marked ``@side_by_side``: their bodies run as the session starts,
several at once, each in a browser of its own, and the tests report how they ended.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import inspect
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import sync_playwright

from jobs import JOBS, background
from tools import CHROMIUM, CHROMIUM_FLAGS, JAVA, MOVED_PAGES, OTHER_HOST, ROOT, require

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
    """The built site, served on 127.0.0.1, and what the browser asked of it."""

    root: Path
    url: str
    vnu: subprocess.Popen | None
    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @functools.cached_property
    def pages(self) -> list[str]:
        """Every page, less the forwarding pages at moved pages' old addresses."""
        return pages_in(self.root)

    def article_text(self, page: str) -> str:
        html = (self.root / page).read_text(encoding="utf-8")
        return BeautifulSoup(html, "html.parser").select_one("article[role=main]").get_text()


@contextlib.contextmanager
def served(root: Path) -> Iterator[str]:
    """The site in *root*, served on 127.0.0.1 until the block ends: its address."""
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{QuietHandler.prefix}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site(dist):
    stack = contextlib.ExitStack()
    url = stack.enter_context(served(dist.outdir))
    # The Nu Html Checker takes seconds to start: set it going now, read it at the end.
    vnu = None
    if shutil.which("java") and VNU_JAR.exists():
        files = sorted(str(p) for p in dist.outdir.rglob("*.html"))
        java = [*JAVA, "-Xss4m", "-jar", str(VNU_JAR)]
        vnu = subprocess.Popen(
            [*java, "--format", "json", "--errors-only", *files],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    yield Site(dist.outdir, url, vnu)
    if vnu is not None and vnu.poll() is None:
        vnu.kill()
        vnu.wait()
    stack.close()


@contextlib.contextmanager
def own_browser() -> Iterator:
    """Debian's Chromium, for this thread alone: Playwright's sync API allows one
    instance per thread."""
    require("chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def browser(site):
    """The main thread's Chromium, one for the session, shared by every browser module."""
    with own_browser() as chromium:
        yield chromium


def context_opener(browser, url: str, requests: list[str], failures: list[str]):
    """``open_context(viewport, scheme, **options)``: a browser context on the site at
    *url* that logs every request it makes, and every one that fails; and the contexts
    it opened, to close."""
    contexts = []

    def on_response(response):
        if response.status >= 400:
            failures.append(f"{response.status} {response.url}")

    def open_context(viewport=WIDE, scheme="light", **options):
        context = browser.new_context(
            base_url=url, viewport=viewport, color_scheme=scheme, **options
        )
        context.set_default_timeout(10_000)  # a broken page fails in seconds, not minutes
        context.on("request", lambda request: requests.append(request.url))
        context.on("response", on_response)
        contexts.append(context)
        return context

    return open_context, contexts


@pytest.fixture(scope="session")
def open_context(browser, site):
    """Open a browser context on the site that logs every request it makes."""
    opener, contexts = context_opener(browser, site.url, site.requests, site.failures)
    yield opener
    for context in contexts:
        context.close()


# -- Checks that wait on the page, side by side ---------------------------------------

#: How many browsers run side-by-side checks at once: they wait on frames far more
#: than they work, so more than one per core.
BROWSERS = 4


def side_by_side(check: Callable) -> Callable:
    """Run a test's body in the background, beside others, and report its outcome.

    The body gets ``open_context`` (on a browser of its own, which keeps each context
    for the next check, with no page open) and the test's parameters, and asserts as
    a test does; it runs as soon as the site is built, and the test raises what it
    raised, traceback and all.  The tests come last in the session (``conftest.py``),
    after everything that does not wait for them.
    """

    @functools.wraps(check)
    def report(request, side_by_side_outcomes, **params):
        outcome = side_by_side_outcomes[request.node.nodeid]
        if outcome is not None:
            raise outcome

    ours = [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD)
            for name in ("request", "side_by_side_outcomes")]  # fmt: skip
    theirs = inspect.signature(check).parameters.values()
    report.__signature__ = inspect.Signature(ours + [p for p in theirs if p.name != "open_context"])
    report.side_by_side = check
    return report


def is_side_by_side(item: pytest.Item) -> bool:
    return hasattr(getattr(item, "function", None), "side_by_side")


@background(needs=("dist",), waits=True)
def side_by_side_outcomes(tmp_path_factory, dist) -> dict[str, BaseException | None]:
    """Every collected side-by-side test's body, run in ``BROWSERS`` browsers: what it
    raised (or None), by the test's node id."""
    work: queue.SimpleQueue = queue.SimpleQueue()
    for item in filter(is_side_by_side, JOBS.items):
        params = item.callspec.params if hasattr(item, "callspec") else {}
        work.put((item.nodeid, functools.partial(item.function.side_by_side, **params)))
    expected = work.qsize()
    outcomes: dict[str, BaseException | None] = {}
    troubles: list[BaseException] = []

    def browse(url: str) -> None:
        try:
            with own_browser() as chromium:
                opener, _ = context_opener(chromium, url, [], [])
                kept: dict[str, Any] = {}

                def open_context(**options):
                    """The context with these options, kept for the next check that
                    asks for them: a new context costs a renderer process, about as
                    much CPU as loading the page it shows."""
                    key = repr(sorted(options.items()))
                    if key not in kept:
                        kept[key] = opener(**options)
                    return kept[key]

                while True:
                    try:
                        nodeid, check = work.get_nowait()
                    except queue.Empty:
                        return
                    started = time.perf_counter()
                    try:
                        check(open_context=open_context)
                        outcomes[nodeid] = None
                    except BaseException as error:  # the test raises it
                        outcomes[nodeid] = error
                    finally:
                        for context in kept.values():  # the next check starts afresh
                            for page in context.pages:
                                page.close()
                            context.clear_cookies()
                        seconds = time.perf_counter() - started
                        JOBS.durations.append((seconds, f"side by side {nodeid}"))
        except BaseException as error:  # the other browsers take its share
            troubles.append(error)

    with served(dist.outdir) as url:
        browsers = [threading.Thread(target=browse, args=(url,)) for _ in range(BROWSERS)]
        for thread in browsers:
            thread.start()
        for thread in browsers:
            thread.join()
    if len(outcomes) < expected:
        raise troubles[0] if troubles else RuntimeError("a side-by-side check never ran")
    return outcomes
