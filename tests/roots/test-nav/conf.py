"""A book whose contents nest, for the navigation patch (book.furo_nav): parts in
folders, a part within a part, a hidden toctree, a web address and a title that
needs escaping."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "_ext"))

project = "A Nested Book"
extensions = ["myst_parser", "book.furo_nav"]
html_theme = "furo"
nitpicky = True
