"""One named style per kind of box (highlight, FAQ), defined once for every edition.

``book_box_styles`` in ``conf.py`` gives each kind its colours, as ``#rrggbb`` pairs
for the light and the dark theme: ``accent`` (the rule and the title's text), and, for a
kind drawn as a card (a FAQ's question and answer), ``title-background`` and
``background``.  A kind with an accent alone (a highlight) is marked by two devices
only, in every edition: its rule and its title.  From them:

* the web editions get ``_static/book-boxes.css``: custom properties
  ``--book-<kind>-<colour>`` for furo's light theme (and print), and on screen for its
  dark theme, both when chosen and when the system asks for it (``_static/book.css``
  uses them);
* the EPUB gets ``_static/book-boxes.css`` with the boxes' colours themselves: the
  accent as the rule, and translucent tints of it, so that a reading system's night
  and sepia modes keep working (``_static/book-epub.css`` sets the rest);
* the PDF gets the highlight's colours as Sphinx's ``div.note_*`` keys (``conf.py``
  passes :func:`latex_setup` to ``sphinxsetup``), and every FAQ box is set inside a
  group that switches those keys to the FAQ's colours.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform

from . import order
from .builders import is_epub, is_latex, is_web_page

STYLESHEET = "book-boxes.css"
#: The PDF's class of FAQ boxes (``dropdowns`` gives it to them).
FAQ_CLASS = "book-faq"


def rgb(colour: str) -> tuple[int, int, int]:
    value = colour.removeprefix("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def declarations(styles: dict[str, dict[str, tuple[str, str]]], theme: int) -> str:
    return "".join(
        f"--book-{kind}-{name}:{pair[theme]};"
        for kind, colours in styles.items()
        for name, pair in colours.items()
    )


def web_css(styles: dict) -> str:
    light, dark = declarations(styles, 0), declarations(styles, 1)
    system_dark = '@media screen and (prefers-color-scheme:dark){body:not([data-theme="light"])'
    return (
        "/* Made from book_box_styles in conf.py by _ext/book/boxes.py: edit those. */\n"
        f"body{{{light}}}\n"
        f'@media screen{{body[data-theme="dark"]{{{dark}}}}}\n'
        f"{system_dark}{{{dark}}}}}\n"
    )


def is_card(colours: dict[str, tuple[str, str]]) -> bool:
    """Whether a kind of box is drawn as a card (a frame and a tint), not a rule alone."""
    return "background" in colours


def epub_css(styles: dict) -> str:
    rules = ["/* Made from book_box_styles in conf.py by _ext/book/boxes.py: edit those. */"]
    for kind, colours in styles.items():
        r, g, b = rgb(colours["accent"][0])
        box = f".admonition.book-{kind}"  # an <aside> or a <section> (epub.py)
        if not is_card(colours):
            rules.append(f"{box}{{border-color:transparent;border-left-color:rgb({r},{g},{b})}}")
            continue
        rules += [
            f"{box}{{border-color:rgba({r},{g},{b},0.45);"
            f"border-left-color:rgb({r},{g},{b});background-color:rgba({r},{g},{b},0.08)}}",
            f"{box}>.admonition-title{{border-bottom-color:rgba({r},{g},{b},0.35)}}",
        ]
    return "\n".join(rules) + "\n"


def tex_colour(colour: str) -> str:
    return "{HTML}{" + colour.removeprefix("#").upper() + "}"


#: The page's own colour, behind a box that is no card.
PAPER = "#FFFFFF"


def latex_setup(colours: dict[str, tuple[str, str]]) -> list[str]:
    """``sphinxsetup`` keys that give Sphinx's note boxes one kind's (light) colours and,
    for a kind that is no card, a rule on the left alone."""
    card = is_card(colours)
    title_background = colours["title-background"][0] if card else PAPER
    background = colours["background"][0] if card else PAPER
    return [
        f"div.note_border-TeXcolor={tex_colour(colours['accent'][0])}",
        f"div.note_title-foreground-TeXcolor={tex_colour(colours['accent'][0])}",
        f"div.note_title-background-TeXcolor={tex_colour(title_background)}",
        f"div.note_background-TeXcolor={tex_colour(background)}",
        *(("div.note_border-width=0.4pt", "div.note_border-radius=2pt") if card else ()),
        *(() if card else ("div.note_border-width=0pt", "div.note_border-radius=0pt")),
    ]


class FaqBoxStyle(SphinxPostTransform):
    """PDF: each FAQ box in a group with the FAQ's colours and an even border."""

    default_priority = order.ANY_TIME

    def run(self, **kwargs: Any) -> None:
        faq = self.config.book_box_styles.get("faq")
        if faq is None:
            return
        # a card's frame is even; a rule alone keeps the highlight's width (conf.py)
        keys = [*latex_setup(faq), *(["div.note_border-left-width=0.4pt"] if is_card(faq) else [])]
        for box in list(self.document.findall(nodes.Admonition)):
            if FAQ_CLASS in box["classes"]:
                parent, index = box.parent, box.parent.index(box)
                begin = rf"\begingroup\sphinxsetup{{{', '.join(keys)}}}"
                parent.insert(index, nodes.raw("", begin, format="latex"))
                parent.insert(index + 2, nodes.raw("", r"\endgroup", format="latex"))


def add_styles(app: Sphinx) -> None:
    if is_latex(app.builder):
        app.add_post_transform(FaqBoxStyle)
    elif is_web_page(app.builder) or is_epub(app.builder):
        app.add_css_file(STYLESHEET)


def write_stylesheet(app: Sphinx, env: BuildEnvironment) -> list:
    """Write the stylesheet before any page is written (pages link it with its checksum),
    and after ``outputs`` may have emptied the folder."""
    if is_web_page(app.builder) or is_epub(app.builder):
        styles = app.config.book_box_styles
        css = epub_css(styles) if is_epub(app.builder) else web_css(styles)
        static = Path(app.outdir, "_static")
        static.mkdir(parents=True, exist_ok=True)
        (static / STYLESHEET).write_text(css, encoding="utf-8")
    return []


def setup(app: Sphinx) -> None:
    app.add_config_value("book_box_styles", {}, "env", types=frozenset({dict}))
    app.connect("builder-inited", add_styles)
    app.connect("env-updated", write_stylesheet, priority=order.AFTER_OUTPUTS)
