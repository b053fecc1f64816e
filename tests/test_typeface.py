"""One typeface in every edition: the files the web editions and the EPUB ship, and the
face the PDF embeds.

The family is read from what the web edition declares (the ``web_faces`` and ``family``
fixtures), not restated here; every other edition must use the same one.
"""

from __future__ import annotations

import io
import re
import subprocess
from zipfile import ZipFile

from bs4 import BeautifulSoup
from fontTools.ttLib import TTFont

from tools import ROOT, declared_faces, require

#: The three font files of the web edition together, uncompressed (the issue's budget).
FONT_BUDGET = 60_000
STYLES = ("regular", "italic", "bold")


def visible_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "head", "svg"]):
        hidden.decompose()
    return soup.get_text()


def missing(text: str, font: TTFont) -> set[str]:
    cmap = font.getBestCmap()
    return {c for c in set(text) - set("\n\t\r") if ord(c) not in cmap}


def test_web_edition_ships_regular_italic_and_bold_as_woff2_with_swap(dist, web_faces):
    css = (dist.outdir / "_static" / "book-fonts.css").read_text(encoding="utf-8")
    assert len(web_faces) == 3
    assert all(url.startswith("fonts/") and url.endswith(".woff2") for url in web_faces)
    assert css.count("font-display:swap") == 3
    rules = css.split("@font-face")[1:]
    styles = {re.search(r"font-style:(\w+);font-weight:(\d+)", rule).groups() for rule in rules}
    assert styles == {("normal", "400"), ("italic", "400"), ("normal", "700")}


def test_the_three_font_files_weigh_under_60_kb_together(dist, web_faces):
    sizes = {url: (dist.outdir / "_static" / url).stat().st_size for url in web_faces}
    assert sum(sizes.values()) < FONT_BUDGET, sizes


def test_every_character_on_every_web_page_is_in_each_font_file(dist, web_faces):
    fonts = {url: TTFont(dist.outdir / "_static" / url) for url in web_faces}
    for page in sorted(dist.outdir.rglob("*.html")):
        text = visible_text(page.read_text(encoding="utf-8"))
        for url, font in fonts.items():
            assert not missing(text, font), f"{page.relative_to(dist.outdir)}: {url}"


def test_every_font_file_carries_its_licence(dist, web_faces, epub_file):
    with ZipFile(epub_file) as epub:
        embedded = [n for n in epub.namelist() if n.endswith(".ttf")]
        fonts = [TTFont(io.BytesIO(epub.read(name))) for name in embedded]
    fonts += [TTFont(dist.outdir / "_static" / url) for url in web_faces]
    for font in fonts:
        assert "Open Font License" in font["name"].getDebugName(13)
    assert "SIL OPEN FONT LICENSE Version 1.1" in (ROOT / "fonts" / "OFL.txt").read_text()


def test_the_landing_page_preloads_the_regular_face_it_sets_its_text_in(dist, web_faces):
    soup = BeautifulSoup((dist.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    (preload,) = soup.select("link[rel=preload][as=font]")
    assert preload["href"].removeprefix("_static/") in web_faces
    assert "regular" in preload["href"]
    assert preload.has_attr("crossorigin")


# -- The EPUB --------------------------------------------------------------------------


def test_epub_embeds_the_same_face_in_truetype_and_lists_it_in_the_manifest(epub_file, family):
    with ZipFile(epub_file) as epub:
        opf = epub.read("content.opf").decode()
        css = epub.read("_static/book-fonts.css").decode()
        faces = declared_faces(css)
        assert set(faces.values()) == {family}
        for url in faces:
            assert url.endswith(".ttf")
            assert f'href="_static/{url}" media-type="font/ttf"' in opf
            font = TTFont(io.BytesIO(epub.read(f"_static/{url}")))
            assert font["name"].getDebugName(1) == family
        # and the text is set in it, not in a family the reading system lacks
        assert f'body{{font-family:"{family}",serif}}' in css
        other = rf'font-family:(?!"?{re.escape(family)}\b)'
        assert not re.search(other, epub_css(epub)), "a family other than the book's"


def epub_css(epub: ZipFile) -> str:
    """Every stylesheet of the book's own in the EPUB, comments left out."""
    names = ("_static/book-epub.css", "_static/book-fonts.css", "_static/book-boxes.css")
    return "".join(re.sub(r"/\*.*?\*/", "", epub.read(n).decode(), flags=re.S) for n in names)


def test_every_character_of_the_epub_is_in_its_embedded_fonts(epub_file):
    with ZipFile(epub_file) as epub:
        fonts = [TTFont(io.BytesIO(epub.read(n))) for n in epub.namelist() if n.endswith(".ttf")]
        pages = [n for n in epub.namelist() if n.endswith(".xhtml")]
        for name in pages:
            text = visible_text(epub.read(name).decode())
            for font in fonts:
                assert not missing(text, font), name


def test_epub_styles_leave_sizes_and_faces_to_the_reading_system(epub_file):
    """No pixel font sizes and no !important: a reader's own settings win."""
    with ZipFile(epub_file) as epub:
        css = epub_css(epub)
    assert "!important" not in css
    assert not re.search(r"font-size:\s*[\d.]+px", css)
    assert not re.search(r"font:[^;]*\d+px", css)


# -- The PDF ---------------------------------------------------------------------------


def test_pdf_sets_every_font_in_the_books_face_embedded_and_subset(pdf, family):
    require("pdffonts")
    listing = subprocess.run(
        ["pdffonts", str(pdf.pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    fonts = {line.split()[0].split("+")[-1]: line.split()[-5:-2] for line in listing}
    postscript = family.replace(" ", "")  # a PostScript name has no spaces
    assert {name.split("-")[0] for name in fonts} == {postscript}, fonts
    assert {f"{postscript}-{style.title()}" for style in STYLES} <= set(fonts)
    assert all(flags == ["yes", "yes", "yes"] for flags in fonts.values()), fonts
