"""Serve the book on 127.0.0.1 for a look in a browser (``make serve [PORT=8000]``).

Serves the first of the given folders that holds a built site: ``_build/dist``
after ``make dist``, else ``_build/html`` after ``make html``.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("folders", nargs="+", type=Path)
    args = parser.parse_args(argv)

    site = next((f for f in args.folders if (f / "index.html").is_file()), None)
    if site is None:
        print("make serve: nothing built yet: run make html (or make dist) first", file=sys.stderr)
        return 1
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
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
