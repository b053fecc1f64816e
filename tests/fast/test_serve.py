"""``make serve`` (tools/serve.py): the site's own files and 404 page, and one line for a
bad port, served in this process from a small site made for the test."""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.error
import urllib.request

import pytest
import serve


@pytest.fixture
def site(tmp_path) -> str:
    """A served folder holding a page, the book's 404 page and a link out of the folder."""
    root = tmp_path / "html"
    root.mkdir()
    (root / "index.html").write_text("<p>the book</p>", encoding="utf-8")
    (root / "404.html").write_text("<p>the book's own page not found</p>", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("a file of the machine", encoding="utf-8")
    (root / "passwd").symlink_to(secret)
    (root / "inside.html").symlink_to(root / "index.html")
    handler = functools.partial(serve.BookRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.RequestHandlerClass.log_message = lambda *args: None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_a_link_out_of_the_site_is_not_followed(site):
    """Issue 21: ``make serve`` followed a symlink in the output to /etc/passwd."""
    status, body = get(f"{site}/passwd")
    assert status == 404
    assert "a file of the machine" not in body
    assert get(f"{site}/inside.html") == (200, "<p>the book</p>")  # a link within is fine


def test_a_missing_page_gets_the_books_own_404_page(site):
    """Issue 21: Python's plain error page, not the book's 404.html."""
    assert get(f"{site}/chapters/no-such-page.html") == (
        404,
        "<p>the book's own page not found</p>",
    )


@pytest.mark.parametrize("port", ["99999", "0", "eighty"])
def test_a_port_that_is_no_port_gets_one_line(port, capsys, tmp_path):
    """Issue 21: ``make serve PORT=99999`` printed a 15-line OverflowError."""
    with pytest.raises(SystemExit) as stop:
        serve.main(["--port", port, str(tmp_path)])
    assert stop.value.code == 2
    assert capsys.readouterr().err == (
        f"make serve: PORT={port} is no port: give one from 1 to 65535\n"
    )
