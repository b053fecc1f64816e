"""Another book made by this repository (README, "Another book from this repository").

The repository's conf.py does the work, run on this folder (its CITATION.cff, index.md,
chapters and back matter); this file then states what is this book's own and where the
repository's styles and templates are.
"""

# ruff: noqa: F821 (the names this file takes from the repository's conf.py, run below)

import sys
from pathlib import Path

MACHINERY = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(MACHINERY / "_ext"))
exec(compile((MACHINERY / "conf.py").read_bytes(), MACHINERY / "conf.py", "exec"))

# -- This book's own ---------------------------------------------------------------------

slug = epub_basename = "hostages-to-fortune"
latex_documents = [(root_doc, f"{slug}.tex", _tex(project), _tex(author), "howto", True)]
html_short_title = project
book_typeface = {
    "family": "Counsel Book",  # Gentium Book Plus, cut to Latin and renamed (fonts/README.md)
    "files": {
        "regular": "fonts/CounselBook-Regular.ttf",
        "italic": "fonts/CounselBook-Italic.ttf",
        "bold": "fonts/CounselBook-Bold.ttf",
    },
}
book_essay_docs = ["chapters/*"]
book_paragraph_id_aliases = {}
book_redirects = ""
book_epub_accessibility_summary = (
    "A reflowable text with one figure, described by its text alternative and its "
    "caption: headings structure each essay, and the table of contents links to each."
)
# The text as received, which the tests check every edition against (tests/manuscript.py).
book_manuscript = {
    "file": "manuscript.txt",
    "start": "THE joys of parents are secret, and so are their griefs and fears.",
    "end": "",
    "residue": ["steelblue", "Essay 7", "wikipedia"],
}

# -- The repository's styles, templates and LaTeX, and this book's typeface in them -------

templates_path = [str(MACHINERY / "_templates")]
html_static_path = [str(MACHINERY / "_static")]
html_favicon = str(MACHINERY / html_favicon)
html_search_scorer = str(MACHINERY / html_search_scorer)
latex_logo = str(MACHINERY / latex_logo)
latex_additional_files = [str(MACHINERY / "latex/book.sty"), *book_typeface["files"].values()]
html_theme_options["light_css_variables"]["font-stack"] = (
    f"{book_typeface['family']}, Georgia, serif"
)
_book_macros |= {f"BookFont{s.title()}": Path(f).name for s, f in book_typeface["files"].items()}
latex_elements["preamble"] = _latex_preamble(_book_macros)
