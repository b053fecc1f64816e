"""CITATION.cff's fields are text in every edition, whatever characters they hold.

``conf.py`` is read as Sphinx reads it, from a folder with a ``CITATION.cff`` whose
title is hostile (HTML that would run a script, a LaTeX command that would read a file
of the build machine, LaTeX's special characters); the small book is then built with
the values it gives, and the output is read.
"""

from __future__ import annotations

import os
import re
import runpy
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from smallbook import SMALL_BOOK
from tools import ROOT

HOSTILE = r"Craving </script><script>alert(1)</script> \input{/etc/hostname} Love & Loneliness % # $ ~ ^ _ Connection in the Digital Age"  # noqa: E501


def book_config(folder: Path, title: str) -> dict:
    """conf.py's values for the real book with *title* in its CITATION.cff."""
    folder.mkdir()
    shutil.copy(ROOT / "conf.py", folder / "conf.py")
    (folder / "_ext").symlink_to(ROOT / "_ext")
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    quoted = "'" + title.replace("'", "''") + "'"
    cff, count = re.subn(
        r"^title: &title .*$", lambda _: f"title: &title {quoted}", cff, flags=re.M
    )
    assert count == 1
    (folder / "CITATION.cff").write_text(cff, encoding="utf-8")
    here = Path.cwd()
    try:
        os.chdir(folder)  # Sphinx reads conf.py from its folder
        return runpy.run_path(str(folder / "conf.py"))
    finally:
        os.chdir(here)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict:
    return book_config(tmp_path_factory.mktemp("hostile") / "book", HOSTILE)


def build(tmp: Path, builder: str, **overrides) -> SphinxTestApp:
    src = Path(shutil.copytree(SMALL_BOOK, tmp / "src"))
    app = SphinxTestApp(builder, srcdir=src, confoverrides=overrides)
    try:
        app.build()
    finally:
        app.cleanup()
    assert app.statuscode == 0, app.warning.getvalue()
    return app


def test_a_title_with_html_runs_no_script_and_reads_as_written_on_every_page(hostile, tmp_path):
    """Issue 21, case 7: the sidebar brand of every page, 404 and search included,
    carried a live <script>."""
    app = build(
        tmp_path,
        "html",
        project=hostile["project"],
        html_title=hostile["html_title"],
        notfound_context=hostile["notfound_context"],
    )
    pages = sorted(Path(app.outdir).rglob("*.html"))
    assert {"404.html", "search.html"} <= {p.name for p in pages}
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert [s for s in soup.find_all("script") if s.get_text().strip() == "alert(1)"] == [], (
            page
        )
        if soup.select_one('meta[http-equiv="refresh"]'):
            continue  # a forwarding page (redirects.toml): no theme
        assert [b.get_text() for b in soup.select(".sidebar-brand-text")] == [HOSTILE], page.name
        assert soup.title.get_text().endswith(HOSTILE), page.name
    missing = BeautifulSoup((Path(app.outdir) / "404.html").read_text("utf-8"), "html.parser")
    assert HOSTILE in missing.select_one("article").get_text()


def test_a_title_with_latex_commands_is_printed_not_run(hostile, tmp_path):
    """Issue 21, case 8: ``\\input{/etc/hostname}`` in the title put the build machine's
    host name on the PDF's title page; ``&`` stopped the build."""
    (document,) = hostile["latex_documents"]
    preamble = hostile["latex_elements"]["preamble"].replace(r"\usepackage{book}", "")
    app = build(
        tmp_path,
        "latex",
        latex_documents=[("index", "small.tex", *document[2:])],
        latex_elements={"preamble": preamble},
    )
    tex = (Path(app.outdir) / "small.tex").read_text(encoding="utf-8")
    assert r"\input{/etc/hostname}" not in tex
    title = re.search(r"^\\title\{(.*)\}$", tex, flags=re.M)[1]
    assert r"\textbackslash{}input\{/etc/hostname\} Love \& Loneliness" in title, title
    for macro in ("BookTitle", "BookAuthor", "BookDescription", "BookKeywords", "BookEdition"):
        value = re.search(rf"^\\newcommand{{\\{macro}}}{{(.*)}}$", tex, flags=re.M)[1]
        # no unescaped special character: each is a command's argument or escaped
        assert not re.search(r"(?<!\\)[&%#$~^_]", value.replace("{}", "")), (macro, value)
    lines = re.search(r"^\\newcommand{\\BookTitleLines}{(.*)}$", tex, flags=re.M)[1]
    assert r"\textbackslash{}input\{/etc/hostname\}" in lines
    assert r"Love \& Loneliness \% \# \$" in lines
