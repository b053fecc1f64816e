"""Glossary terms read in place: on the small book, a link to a term carries its
definition on the web and the one-page edition, and a glossary edit reaches it."""

from __future__ import annotations

import re
import shutil

from bs4 import BeautifulSoup

from smallbook import SMALL_BOOK, build_small_book

CHAPTER = "chapters/01-first"
#: The small book's first term, which its first chapter links, and its definition.
TERM, DEFINITION = re.search(
    r"```\{glossary\}\n(.+)\n +(.+)\n",
    (SMALL_BOOK / "backmatter" / "glossary.md").read_text(encoding="utf-8"),
).groups()


def term_link(outdir, page: str) -> dict:
    soup = BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser")
    link = soup.find("a", href=lambda h: h and h.endswith(f"#term-{TERM}"))
    return {"title": link.get("title"), "classes": link.get("class", [])}


def test_a_term_linked_on_the_web_and_one_page_editions_carries_its_definition(small_book):
    web = term_link(small_book("html").outdir, f"{CHAPTER}.html")
    assert web == {"title": DEFINITION, "classes": ["book-gloss", "reference", "internal"]}
    one_page = term_link(small_book("singlehtml").outdir, "index.html")
    assert one_page["title"] == DEFINITION
    # the EPUB's reader has no popover: the link alone, as Sphinx writes it
    epub = term_link(small_book("epub").outdir, f"{CHAPTER}.xhtml")
    assert epub["title"] is None


def test_an_edited_definition_reaches_the_pages_that_link_the_term(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(SMALL_BOOK, src)
    app = build_small_book(src, "html")
    glossary = src / "backmatter" / "glossary.md"
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace(DEFINITION, "The hero, a writer."),
        encoding="utf-8",
    )
    app = build_small_book(src, "html")
    assert term_link(app.outdir, f"{CHAPTER}.html")["title"] == "The hero, a writer."
