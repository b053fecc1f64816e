"""furo's page as the book edits it (``_templates/page.html``, ``book.html_markup``),
rendered from furo's own page.html and from one whose edited elements carry one more
attribute each, with their attributes reordered, as a furo release might write them:
the book's edits must come out the same, and a missing element must be named once."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import furo
import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from book.html_markup import DRAWERS, edit_furo_page, unchanging_parts
from smallbook import SMALL_BOOK
from tools import ROOT

#: furo's markup for each element the book edits, and the same element with its
#: attributes reordered and one more (``data-furo-next``) added.
CHANGES = [
    (
        '<label class="nav-overlay-icon" for="__navigation">',
        '<label for="__navigation" data-furo-next="menu" class="nav-overlay-icon">',
    ),
    (
        '<label class="toc-overlay-icon toc-header-icon{% if furo_hide_toc %} no-toc{% endif %}"'
        ' for="__toc">',
        '<label for="__toc" data-furo-next="toc" class="toc-overlay-icon toc-header-icon'
        '{% if furo_hide_toc %} no-toc{% endif %}">',
    ),
    (
        '<label class="toc-overlay-icon toc-content-icon{% if furo_hide_toc %} no-toc{% endif %}"'
        ' for="__toc">',
        '<label\n    for="__toc" data-furo-next="toc" class="toc-overlay-icon toc-content-icon'
        '{% if furo_hide_toc %} no-toc{% endif %}">',
    ),
    ('<span class="icon"><svg>', '<span class="icon"><svg focusable="false" data-furo-next="">'),
    ('<aside class="sidebar-drawer">', '<aside data-furo-next="nav" class="sidebar-drawer">'),
    (
        '<aside class="toc-drawer{% if furo_hide_toc %} no-toc{% endif %}">',
        '<aside data-furo-next="toc" class="toc-drawer{% if furo_hide_toc %} no-toc{% endif %}">',
    ),
    (
        '<article role="main" id="furo-main-content">',
        '<article id="furo-main-content" data-furo-next="" role="main">',
    ),
]
#: The attributes the changed page.html adds.
ADDED = ("data-furo-next", "focusable")


def furo_theme(folder: Path, changes: list[tuple[str, str]]) -> Path:
    """A copy of furo's theme, its page.html changed; each change must apply."""
    theme = Path(shutil.copytree(furo.THEME_PATH, folder))
    page = theme / "page.html"
    text = page.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, f"furo's page.html no longer has {old!r}: update CHANGES"
        text = text.replace(old, new)
    page.write_text(text, encoding="utf-8")
    return theme


def build(src: Path, builder: str, theme: Path | None, monkeypatch) -> SphinxTestApp:
    """The small book with the book's templates, on furo or on *theme*."""
    if not src.exists():
        shutil.copytree(SMALL_BOOK, src)
    with monkeypatch.context() as patch:
        if theme is not None:  # furo's setup registers the theme from THEME_PATH
            patch.setattr(furo, "THEME_PATH", theme)
        overrides = {"templates_path": [str(ROOT / "_templates")]}
        app = SphinxTestApp(builder, srcdir=src, confoverrides=overrides)
        try:
            app.build()
        finally:
            app.cleanup()
    return app


def pages(app: SphinxTestApp) -> dict[str, BeautifulSoup]:
    return {
        str(path.relative_to(app.outdir)): BeautifulSoup(path.read_text("utf-8"), "html.parser")
        for path in sorted(app.outdir.rglob("*.html"))
        if "furo-main-content" in path.read_text("utf-8")  # not the forwarding pages
    }


def normalised(soup: BeautifulSoup) -> str:
    """The page with the added attributes dropped and every tag's attributes sorted."""
    for tag in soup.find_all(True):
        tag.attrs = {k: v for k, v in sorted(tag.attrs.items()) if k not in ADDED}
    return str(soup)


@pytest.mark.parametrize("builder", ["html", "singlehtml"])
def test_the_drawers_are_buttons_and_landmarks_whatever_order_furo_writes_them_in(
    tmp_path, monkeypatch, builder
):
    ours = build(tmp_path / "furo", builder, None, monkeypatch)
    changed_theme = furo_theme(tmp_path / "theme", CHANGES)
    theirs = build(tmp_path / "next", builder, changed_theme, monkeypatch)
    assert ours.warning.getvalue() == theirs.warning.getvalue() == ""
    mine, next_ = pages(ours), pages(theirs)
    assert mine.keys() == next_.keys()
    assert mine
    for name, page in next_.items():
        for target, (drawer, label) in DRAWERS.items():
            buttons = page.select(f'button[data-book-toggle="{target}"]')
            assert buttons, (name, target)
            for button in buttons:
                assert (button["type"], button["aria-expanded"]) == ("button", "false"), name
                assert (button["aria-controls"], button["aria-label"]) == (drawer, label), name
                assert "for" not in button.attrs
                assert button["data-furo-next"], "furo's new attribute is kept"
                assert [svg["aria-hidden"] for svg in button.select("svg")] == ["true"], name
            labels = page.select(f'label[for="{target}"]')
            assert [label["class"][0] for label in labels] == ["overlay"], name
        navigation = page.select_one("nav#book-navigation.sidebar-drawer")
        assert navigation["aria-label"] == "Book"
        assert navigation.select_one(".sidebar-tree") is not None, name
        assert page.select("aside.sidebar-drawer") == []
        contents = page.select_one("aside#book-toc.toc-drawer")
        assert contents["aria-label"] == "On this page"
        for caption in page.select("p.caption"):
            inside = caption.find_parent("article") is not None
            assert caption.has_attr("role") == inside, (name, caption)
        # and otherwise the page is what furo's own page.html gives
        assert normalised(page) == normalised(mine[name]), name


def test_a_page_furo_no_longer_writes_as_expected_is_named_once_per_build(tmp_path, monkeypatch):
    gone = [
        ('<label class="nav-overlay-icon" for="__navigation">', '<label class="nav-overlay-icon">'),
        ('<aside class="sidebar-drawer">', '<div class="sidebar-drawer">'),
    ]
    theme = furo_theme(tmp_path / "theme", gone)
    text = (theme / "page.html").read_text(encoding="utf-8")
    (theme / "page.html").write_text(
        re.sub(r"(<div class=\"sidebar-container\">.*?)</aside>", r"\1</div>", text, flags=re.S),
        encoding="utf-8",
    )
    app = build(tmp_path / "src", "html", theme, monkeypatch)
    warnings = app.warning.getvalue().splitlines()
    assert len(warnings) == 2, warnings  # once each, not once per page
    assert all("_templates/page.html: furo " in w for w in warnings)
    assert any('the menu icon, a <label for="__navigation">' in w for w in warnings)
    assert any('the navigation drawer, <aside class="sidebar-drawer">' in w for w in warnings)
    assert all("_ext/book/html_markup.py" in w and "issue" not in w for w in warnings)


def test_only_the_edited_tags_change_and_the_set_aside_parts_come_back_whole():
    page = (
        '<label class="overlay sidebar-overlay" for="__navigation"></label>\n'
        '<label title="Menu" for="__navigation" class="nav-overlay-icon"><svg></svg></label>'
        '<aside class="sidebar-drawer"><div><aside class="inner"></aside>TREE</div></aside>'
        '<label class="toc-overlay-icon" for="__toc">x</label>'
        '<article>BODY &amp; <label for="__toc">not an icon</label></article>'
        '<aside class="toc-drawer">toc</aside>'
    )
    tree, body = "TREE", 'BODY &amp; <label for="__toc">not an icon</label>'
    edited, missing = edit_furo_page(page, tree, body)
    assert missing == set()
    assert edited.startswith(
        '<label class="overlay sidebar-overlay" for="__navigation"></label>\n'
        '<button title="Menu" class="nav-overlay-icon" type="button" aria-expanded="false" '
        'aria-controls="book-navigation" data-book-toggle="__navigation" aria-label="Menu">'
        '<svg aria-hidden="true"></svg></button>'
        '<nav class="sidebar-drawer" id="book-navigation" aria-label="Book">'
        '<div><aside class="inner"></aside>TREE</div></nav>'
    )
    assert body in edited  # set aside: a label in the page's text is no icon
    assert edited.endswith(
        '<aside id="book-toc" aria-label="On this page" class="toc-drawer">toc</aside>'
    )


def test_only_long_elements_with_nothing_to_edit_are_set_aside_on_every_page():
    icons = '<svg style="display: none;">' + "<symbol><path d='M0'/></symbol>" * 200 + "</svg>"
    menu = '<div><label for="__navigation">' + "x" * 5000 + "</label></div>"
    tree = "<ul>" + "<li>entry</li>" * 400 + "</ul>"
    page = f'{icons}{menu}<aside class="sidebar-drawer">{tree}</aside>'
    assert unchanging_parts(page, tree) == [icons]
