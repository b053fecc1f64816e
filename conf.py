"""Sphinx configuration for the book "Craving Genuine Connection in the Digital Age"."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

# -- Project information ------------------------------------------------------

project = "Craving Genuine Connection in the Digital Age"
subtitle = "An essay on Spike Jonze’s film Her"
author = "Anonymous"
publisher = "Craving Genuine Connection editions"
description = (
    "A short essay on loneliness, technology and honest relationships in "
    "Spike Jonze’s film Her (2013), published as a small book."
)
keywords = "Her, Spike Jonze, film, loneliness, technology, intimacy, essay"
copyright = "%Y, Anonymous (text); the editors (this edition)"
version = release = "1.0"
edition = f"Edition {release}"
slug = "craving-genuine-connection"

# -- General configuration ----------------------------------------------------

extensions = [
    # third-party
    "myst_parser",
    "sphinx_design",
    # local (_ext/)
    "book_dropdowns",
]

root_doc = "index"
language = "en"
templates_path = ["_templates"]
include_patterns = ["index.md", "chapters/*.md", "backmatter/*.md"]
nitpicky = True

# -- MyST ---------------------------------------------------------------------

myst_enable_extensions = ["attrs_block", "colon_fence"]

# -- HTML output --------------------------------------------------------------

html_theme = "furo"
html_title = project
html_short_title = "Craving Genuine Connection"
html_static_path = ["_static"]
html_css_files = ["book.css"]
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/book-links.html",
        "sidebar/scroll-end.html",
    ]
}
html_theme_options = {
    "light_css_variables": {
        "font-stack": "Georgia, 'Iowan Old Style', 'Palatino Linotype', serif",
        "color-brand-primary": "#8a2f1d",
        "color-brand-content": "#8a2f1d",
    },
    "dark_css_variables": {
        "color-brand-primary": "#f2a38c",
        "color-brand-content": "#f2a38c",
    },
}
html_copy_source = False
html_show_sourcelink = False

# -- LaTeX output -------------------------------------------------------------

latex_engine = "xelatex"
latex_use_xindy = False
latex_documents = [(root_doc, f"{slug}.tex", project, author, "howto")]
latex_logo = "_static/cover.png"
latex_show_urls = "no"
latex_elements = {
    "papersize": "a5paper",
    "pointsize": "10pt",
    "babel": r"\usepackage[english]{babel}",
    "sphinxsetup": ", ".join(
        [
            "hmargin={16mm,16mm}",
            "vmargin={18mm,20mm}",
            "TitleColor={RGB}{138,47,29}",
            "InnerLinkColor={RGB}{138,47,29}",
            "div.note_border-TeXcolor={RGB}{138,47,29}",
            "div.note_background-TeXcolor={RGB}{251,243,238}",
            "div.note_border-width=0.6pt",
            "div.note_border-radius=3pt",
            "div.note_padding=6pt",
        ]
    ),
    "preamble": "\n".join(
        [
            r"\hypersetup{",
            rf"  pdftitle={{{project}}},",
            rf"  pdfauthor={{{author}}},",
            rf"  pdfsubject={{{description}}},",
            rf"  pdfkeywords={{{keywords}}},",
            r"  pdflang={en},",
            r"  bookmarksopen=true,",
            r"}",
            rf"\newcommand\booksubtitle{{{subtitle}}}",
            rf"\newcommand\bookedition{{{edition}}}",
        ]
    ),
    "maketitle": r"\input{titlepage.tex.txt}",
    "printindex": r"\cleardoublepage\printindex",
    "tableofcontents": r"\sphinxtableofcontents",
}
latex_additional_files = ["_static/latex/titlepage.tex.txt"]

# -- EPUB output --------------------------------------------------------------

epub_theme = "epub"
epub_basename = slug
epub_title = project
epub_author = author
epub_publisher = publisher
epub_description = description
epub_language = language
epub_identifier = "urn:uuid:303b2b90-9171-4aa8-ab23-a1c22fe28e5b"
epub_uid = "bookid"
epub_cover = ("_static/cover.png", "")
epub_css_files = ["epub.css"]
epub_show_urls = "no"
epub_tocdepth = 1
epub_exclude_files = ["_static/book.css", "_static/cover.svg"]
