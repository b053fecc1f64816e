"""The warm preview behind ``make livehtml``: save a chapter, see the page.

One process imports Sphinx, MyST and furo and sets the book's extension up once,
then keeps its Sphinx application: each save runs ``app.build()`` again in the
same process, which reads only what changed and writes only what shows it, as
``make html`` does, without the second or so a new ``sphinx-build`` spends
starting.  (A fork-per-build server, which starts a new application in a child
for each build, was measured too: two to three times slower per save, since each
child loads the configuration, the theme and the saved environment again.)

* It serves the output folder on 127.0.0.1 and adds a small script to each page
  it serves (the files on disk stay as a cold build writes them).  The script
  listens for builds (server-sent events): a good build reloads the page; a failed
  one shows its problems, each with its file and line, over the page, as the
  terminal does.  The next good save clears them, without a restart.
* A build that fails is not trusted, as ``_ext/book/guard.py`` has it: the next
  build starts a new application, which reads everything again.  The guard takes
  its lock and sets its marks at the start of each build (``env-get-outdated``), of
  a reused application too: nothing here calls it.
* A change to ``conf.py`` or to the extension's code restarts the process.

Usage (``make livehtml`` passes the same folders and options as ``make html``)::

    python tools/live/preview.py [-W] [-n] [--keep-going] [-d DOCTREES] [--port PORT] SOURCE OUT
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import io
import json
import os
import re
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import SphinxError

try:  # not in Sphinx's documentation: what sphinx-build runs each application in
    # (sphinx/cmd/build.py, build_main). Without them an application made after another
    # in one process finds the last one's directives registered, so the process starts
    # again instead (Preview.new_app); docs/upstream.md has the text to file.
    from sphinx.util.docutils import docutils_namespace, patch_docutils
except ImportError:
    docutils_namespace = patch_docutils = None

#: How often the sources are looked at for changes (seconds).
POLL = 0.05
#: The address of the stream of builds the pages' script listens to.
EVENTS = "/_preview/events"
SCRIPT = """
<script>
(() => {
  const served = %(generation)d;
  const show = (state) => {
    let box = document.getElementById("book-preview-problems");
    if (state.ok) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "book-preview-problems";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;z-index:1000;max-height:50vh;"
        + "overflow:auto;margin:0;padding:1em;background:#fff4f2;color:#5c1a0b;"
        + "border-top:3px solid #8a2f1d;font:14px/1.4 monospace;white-space:pre-wrap";
      document.body.append(box);
    }
    box.textContent = "The build failed: fix this and save.\\n\\n" + state.problems.join("\\n");
  };
  const events = new EventSource("%(events)s");
  events.onmessage = (message) => {
    const state = JSON.parse(message.data);
    if (state.ok && state.generation > served) location.reload();
    else show(state);
  };
})();
</script>
"""


def strip_colors(text: str) -> str:
    """The terminal's text without its colours, for the browser."""
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


class Tee(io.TextIOBase):
    """Sphinx's warnings: to the terminal, and kept for the browser."""

    def __init__(self, terminal: io.TextIOBase) -> None:
        self.terminal = terminal
        self.lines: list[str] = []

    def write(self, text: str) -> int:
        self.terminal.write(text)
        self.lines += [strip_colors(line) for line in text.splitlines() if line.strip()]
        return len(text)

    def flush(self) -> None:
        self.terminal.flush()


@dataclass
class State:
    """The last build, as the pages' script is told it."""

    generation: int = 0
    ok: bool = True
    problems: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, ok: bool, problems: list[str]) -> None:
        with self.changed:
            self.generation += 1
            self.ok, self.problems = ok, problems
            self.changed.notify_all()

    def as_json(self) -> str:
        return json.dumps({"generation": self.generation, "ok": self.ok, "problems": self.problems})


class Preview:
    """One Sphinx application, built again on every change."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.app: Sphinx | None = None
        self.apps = 0  # applications made in this process
        self.context = contextlib.ExitStack()
        self.warnings = Tee(sys.stderr)
        self.read: list[str] = []
        self.written: list[str] = []

    def new_app(self) -> Sphinx:
        self.context.close()
        self.context = contextlib.ExitStack()
        if docutils_namespace is None or patch_docutils is None:
            if self.apps:
                print(
                    "[preview] this Sphinx has no sphinx.util.docutils.docutils_namespace: "
                    "starting again for a new application",
                    flush=True,
                )
                os.execv(sys.executable, [sys.executable, *sys.argv])
        else:  # as sphinx-build does: docutils' registries are this application's alone
            self.context.enter_context(patch_docutils(self.args.sourcedir))
            self.context.enter_context(docutils_namespace())
        self.apps += 1
        app = Sphinx(
            self.args.sourcedir,
            self.args.sourcedir,
            self.args.outdir,
            self.args.doctreedir,
            "html",
            confoverrides={"nitpicky": True} if self.args.nitpicky else {},
            status=None,
            warning=self.warnings,
            warningiserror=self.args.warnings_are_errors,
            keep_going=self.args.keep_going,
        )
        app.connect("env-before-read-docs", lambda app, env, docnames: self.read.extend(docnames))
        app.connect("html-page-context", lambda app, page, *rest: self.written.append(page))
        return app

    def build(self) -> tuple[bool, list[str]]:
        """Build; whether it succeeded, and its problems (file and line first)."""
        self.warnings.lines, self.read, self.written = [], [], []
        try:
            if self.app is None:
                self.app = self.new_app()
            self.app.build()  # the book's guard locks and marks each build as it starts
            ok = self.app.statuscode == 0 and not self.warnings.lines
        except SphinxError as error:
            print(f"{error.category}: {error}", file=sys.stderr)
            self.warnings.lines.append(str(error))
            ok = False
        except Exception as error:  # a crash in a build leaves the preview running
            traceback.print_exc()
            self.warnings.lines.append(f"{type(error).__name__}: {error}")
            ok = False
        if not ok:  # not trusted: the next build starts again, as make html would
            self.app = None
            self.context.close()
        return ok, list(self.warnings.lines)


def sources(app_args: argparse.Namespace) -> dict[Path, int]:
    """Every file a build reads, or that would restart the process, with its mtime."""
    src = Path(app_args.sourcedir)
    found: dict[Path, int] = {}
    skip = {"_build", ".git", ".venv", "tests", "node_modules", "__pycache__", "tools", "latex"}
    for folder, dirs, files in os.walk(src):
        dirs[:] = [d for d in dirs if d not in skip and not d.startswith(".")]
        if Path(folder).resolve() in (Path(app_args.outdir).resolve(), app_args.doctreedir):
            dirs[:] = []
            continue
        for name in files:
            path = Path(folder, name)
            with contextlib.suppress(FileNotFoundError):
                found[path] = path.stat().st_mtime_ns
    return found


def restarts(path: Path, src: Path) -> bool:
    """conf.py and the extension's code are read once per process."""
    relative = path.relative_to(src)
    return relative.as_posix() == "conf.py" or (
        relative.parts[0] == "_ext" and path.suffix == ".py"
    )


class Handler(http.server.SimpleHTTPRequestHandler):
    """The output folder, each page with the script; and the stream of builds."""

    state: State

    def log_message(self, format: str, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == EVENTS:
            return self.stream()
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix != ".html" or not path.is_file():
            return super().do_GET()
        script = SCRIPT % {"generation": self.state.generation, "events": EVENTS}
        body = path.read_bytes() + script.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)
        return None

    def stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = -1
        with contextlib.suppress(OSError):
            while True:
                with self.state.changed:
                    if self.state.generation == seen:
                        self.state.changed.wait(timeout=15)
                    seen, data = self.state.generation, self.state.as_json()
                self.wfile.write(f"data: {data}\n\n".encode())
                self.wfile.flush()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A browser that leaves mid-page (a reload) is no error worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sourcedir", type=Path)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("-d", dest="doctreedir", type=Path)
    parser.add_argument("-W", dest="warnings_are_errors", action="store_true")
    parser.add_argument("-n", dest="nitpicky", action="store_true")
    parser.add_argument("--keep-going", action="store_true")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    args.sourcedir = args.sourcedir.resolve()
    args.outdir = args.outdir.resolve()
    args.doctreedir = (args.doctreedir or args.outdir / ".doctrees").resolve()
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    state = State()
    handler = type("PreviewHandler", (Handler,), {"state": state})
    handler = functools.partial(handler, directory=str(args.outdir))
    try:
        server = Server((args.host, args.port), handler)
    except OSError as error:
        busy = f"make livehtml: port {args.port} is busy ({error.strerror})"
        print(f"{busy}: choose another with make livehtml PORT={args.port + 1}", file=sys.stderr)
        return 1
    preview = Preview(args)
    seen = sources(args)  # before the build: a save during it starts another
    start = time.perf_counter()
    ok, problems = preview.build()
    state.publish(ok, problems)
    print(f"[preview] built in {time.perf_counter() - start:.2f} s"
          f"{'' if ok else ', with problems (above)'}; "
          f"serving http://{args.host}:{args.port}/ (Ctrl-C stops)", flush=True)  # fmt: skip
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        while True:
            time.sleep(POLL)
            now = sources(args)
            changed = sorted(p for p in now.keys() | seen.keys() if now.get(p) != seen.get(p))
            if not changed:
                continue
            seen = now
            if any(restarts(path, args.sourcedir) for path in changed):
                print("[preview] conf.py or the extension changed: restarting", flush=True)
                server.server_close()
                os.execv(sys.executable, [sys.executable, *sys.argv])
            start = time.perf_counter()
            ok, problems = preview.build()
            state.publish(ok, problems)
            names = ", ".join(str(p.relative_to(args.sourcedir)) for p in changed[:3])
            print(f"[preview] {names}: {'built' if ok else 'FAILED'} in "
                  f"{time.perf_counter() - start:.2f} s ({len(preview.read)} read, "
                  f"{len(preview.written)} written)", flush=True)  # fmt: skip
    except KeyboardInterrupt:
        return 0
    finally:
        server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
