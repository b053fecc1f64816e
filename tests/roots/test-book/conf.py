"""A small book for the fast, in-process tests: every construct the real one uses."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "_ext"))

from book.citation import edition_identifier, read_cff

book_citation = read_cff(Path(__file__).parent / "CITATION.cff")

project = "A Small Book"
author = book_citation.author
copyright = f"2026, {author}"
version = release = book_citation.version
extensions = ["myst_parser", "book"]  # book sets up sphinx-design, opengraph and notfound
myst_enable_extensions = ["attrs_block", "colon_fence"]
include_patterns = ["index.md", "chapters/*.md", "backmatter/*.md"]
nitpicky = True
html_theme = "furo"
html_baseurl = "https://example.org/book/"
epub_identifier = edition_identifier(book_citation)
latex_documents = [("index", "small.tex", project, author, "howto", True)]
book_essay_docs = ["chapters/*", "backmatter/faq"]
book_small_print = ["backmatter/glossary"]
book_redirects = "redirects.toml"
book_copy_edits = "backmatter/copy-edits.toml"
ogp_social_cards = {"enable": False}
book_box_styles = {
    "highlight": {
        "accent": ("#aa0000", "#ffaaaa"),
    },
    "faq": {
        "accent": ("#0000aa", "#aaaaff"),
        "title-background": ("#dddddd", "#222222"),
        "background": ("#fefefe", "#010101"),
    },
}
book_paragraph_id_aliases = {"1.0": ["first", "second"]}
# as the book's: Sphinx keeps a copy of .buildinfo when the configuration changes
epub_exclude_files = [".buildinfo.bak"]
