"""The built site served on 127.0.0.1 and one Chromium for the session (a pytest plugin).

Playwright drives Debian's Chromium (never Playwright's own download) against the
``make dist`` site, served under its path on its host (``OTHER_HOST``'s).  Every
browser module shares the server, the browser and the log of what the pages asked
for; the Nu Html Checker starts with the server and is read by ``test_browser.py``.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import sync_playwright

from tools import CHROMIUM, CHROMIUM_FLAGS, MOVED_PAGES, OTHER_HOST, ROOT, require

WIDE = {"width": 1280, "height": 800}
NARROW = {"width": 375, "height": 740}
#: Screenshots for people to look at (no test passes because of them).
SCREENSHOTS = ROOT / "_build" / "screenshots"
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
        pages = (p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html"))
        return sorted(p for p in pages if p not in MOVED_PAGES)

    def article_text(self, page: str) -> str:
        html = (self.root / page).read_text(encoding="utf-8")
        return BeautifulSoup(html, "html.parser").select_one("article[role=main]").get_text()


@pytest.fixture(scope="session")
def site(dist):
    handler = functools.partial(QuietHandler, directory=str(dist.outdir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # The Nu Html Checker takes seconds to start: set it going now, read it at the end.
    vnu = None
    if shutil.which("java") and VNU_JAR.exists():
        files = sorted(str(p) for p in dist.outdir.rglob("*.html"))
        # C1 only: the checker runs once, so full JIT compilation would not pay off
        java = ["java", "-Xss4m", "-XX:TieredStopAtLevel=1", "-jar", str(VNU_JAR)]
        vnu = subprocess.Popen(
            [*java, "--format", "json", "--errors-only", *files],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    yield Site(dist.outdir, f"http://127.0.0.1:{server.server_port}{QuietHandler.prefix}", vnu)
    if vnu is not None and vnu.poll() is None:
        vnu.kill()
        vnu.wait()
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser(site):
    """Debian's Chromium, one for the session: Playwright's sync API allows one instance
    at a time, so every browser module shares it."""
    require("chromium")
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(scope="session")
def open_context(browser, site):
    """Open a browser context on the site that logs every request it makes."""
    contexts = []

    def on_response(response):
        if response.status >= 400:
            site.failures.append(f"{response.status} {response.url}")

    def open_context(viewport=WIDE, scheme="light", **options):
        context = browser.new_context(
            base_url=site.url, viewport=viewport, color_scheme=scheme, **options
        )
        context.set_default_timeout(10_000)  # a broken page fails in seconds, not minutes
        context.on("request", lambda request: site.requests.append(request.url))
        context.on("response", on_response)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
