"""Serve the book on 127.0.0.1 for a look in a browser (``make serve [PORT=8000]``).

Serves the first of the given folders that holds a built site: ``_build/dist``
after ``make dist``, else ``_build/html`` after ``make html``.  Only files inside
that folder are served (a symbolic link out of it is not followed), and a page that
does not exist gets the book's own ``404.html``, as a web host would send it.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import sys
from pathlib import Path


def port_number(text: str) -> int:
    """A TCP port, 1 to 65535, or argparse's one-line error."""
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"PORT={text} is no port: give one from 1 to 65535")
    return port


class BookRequestHandler(http.server.SimpleHTTPRequestHandler):
    """Files inside the site's folder only; the site's 404 page for anything else."""

    def translate_path(self, path: str) -> str:
        translated = Path(super().translate_path(path))
        root = Path(self.directory).resolve()
        resolved = translated.resolve()
        if resolved != root and root not in resolved.parents:
            return str(root / "404-outside-the-site" / "no-such-file")  # a 404
        return str(translated)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        page = Path(self.directory, "404.html")
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not the usage
        print(f"make serve: {message.split(': ', 1)[-1]}", file=sys.stderr)
        sys.exit(2)


def main(argv: list[str] | None = None) -> int:
    parser = Parser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=port_number, default=8000)
    parser.add_argument("folders", nargs="+", type=Path)
    args = parser.parse_args(argv)

    site = next((f for f in args.folders if (f / "index.html").is_file()), None)
    if site is None:
        print("make serve: nothing built yet: run make html (or make dist) first", file=sys.stderr)
        return 1
    handler = functools.partial(BookRequestHandler, directory=str(site))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    except OSError as error:
        print(
            f"make serve: port {args.port} is busy ({error.strerror}): "
            f"choose another with make serve PORT={args.port + 1}",
            file=sys.stderr,
        )
        return 1
    print(f"Serving {site} on http://127.0.0.1:{args.port}/ (Ctrl-C stops)", flush=True)
    with server, contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
