"""The README's recipes, replayed on a copy of the book as a maintainer would follow them."""

from __future__ import annotations

import sys
import zipfile

import pytest

from tools import CHAPTERS, LOCAL_ENV, ROOT, SLUG, add_chapter, copy_source, run, sphinx_build

SUITE = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]

NEW = """(a-new-chapter)=

# A New Chapter

A chapter this edition adds between two others, long enough to be read as one: it says
what a reader would expect a short chapter of this essay to say.
"""


@pytest.mark.slow
def test_adding_a_chapter_between_8_and_9_is_one_file_and_one_line(tmp_path):
    src = copy_source(tmp_path / "src")
    add_chapter(src, "a-new-chapter", NEW, after=CHAPTERS[7])
    out = tmp_path / "html"
    sphinx_build("html", out, src, env=LOCAL_ENV)
    assert in_epub_and_pdf(src, tmp_path, "A New Chapter")

    page = (out / "chapters" / "a-new-chapter.html").read_text(encoding="utf-8")
    assert '<span class="section-number">9. </span>A New Chapter' in page
    assert f'href="{CHAPTERS[7]}.html"' in page.split('class="related-pages"')[1]
    assert f'href="{CHAPTERS[8]}.html"' in page.split('class="related-pages"')[1]
    assert "Seventeen brief chapters" in (out / "index.html").read_text(encoding="utf-8")
    # no other chapter moved: every published address still holds its page
    for chapter in CHAPTERS:
        assert "moved to" not in (out / "chapters" / f"{chapter}.html").read_text("utf-8")
    assert (src / "redirects.toml").read_text() == (ROOT / "redirects.toml").read_text()

    # and the content suite, run on the copy, still passes: every sentence, every link
    suite = [*SUITE, "-k", "not pdf", "tests/test_content.py", "tests/test_html.py"]
    result = run(suite, cwd=src, check=False)
    assert result.returncode == 0, result.stdout[-3000:]


def in_epub_and_pdf(src, tmp_path, text: str) -> bool:
    """Whether the EPUB's pages and the PDF's LaTeX both hold *text*."""
    sphinx_build("epub", tmp_path / "epub", src, env=LOCAL_ENV)
    sphinx_build("latex", tmp_path / "latex", src, env=LOCAL_ENV)
    with zipfile.ZipFile(tmp_path / "epub" / f"{SLUG}.epub") as book:
        epub = " ".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
    tex = (tmp_path / "latex" / f"{SLUG}.tex").read_text(encoding="utf-8")
    return text in epub and text in tex


def copy_edit_entry(old: str, new: str, chapter: str) -> str:
    return f'\n[[edit]]\nmanuscript = "{old}"\nedition = "{new}"\nchapter = "{chapter}"\n'


@pytest.mark.slow
def test_fixing_a_word_with_its_copy_edit_entry_keeps_every_check_green(tmp_path):
    src = copy_source(tmp_path / "src")
    chapter = src / "chapters" / "fear-of-heartbreak.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(
        text.replace("heartbreak hinders his ability", "heartbreak hampers his ability")
    )
    edits = src / "backmatter" / "copy-edits.toml"
    base = edits.read_text(encoding="utf-8")

    # an entry too short to say where: the quick check says so
    edits.write_text(base + copy_edit_entry("hinders", "hampers", "fear-of-heartbreak"))
    quick = run([*SUITE, "tests/fast/test_copy_edits.py"], cwd=src, check=False)
    assert quick.returncode != 0
    assert "add neighbouring words until it matches once" in quick.stdout

    # the entry as the file's header asks: enough words to match once
    entry = copy_edit_entry(
        "Theodore's fear of heartbreak hinders his ability to move forward",
        "Theodore's fear of heartbreak hampers his ability to move forward",
        "fear-of-heartbreak",
    )
    edits.write_text(base + entry)
    suite = [*SUITE, "-k", "not pdf and not dist", "tests/fast/test_copy_edits.py"]
    result = run([*suite, "tests/test_content.py", "tests/test_html.py"], cwd=src, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    html = tmp_path / "html"
    sphinx_build("html", html, src, env=LOCAL_ENV)
    assert "“hinders” becomes “hampers”" in (html / "backmatter" / "about.html").read_text()
    assert in_epub_and_pdf(src, tmp_path, "heartbreak hampers his ability")


@pytest.mark.slow
def test_adding_a_glossary_term_links_it_from_the_text(tmp_path):
    src = copy_source(tmp_path / "src")
    glossary = src / "backmatter" / "glossary.md"
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace(
            "\nemotional baggage\n",
            "\nloneliness\n  What Theodore feels before Samantha, and after.\n\n"
            "emotional baggage\n",
        ),
        encoding="utf-8",
    )
    chapter = src / "chapters" / "conclusion.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(
        text.replace("alleviate loneliness", "alleviate {term}`loneliness`"), "utf-8"
    )
    assert chapter.read_text(encoding="utf-8") != text
    sphinx_build("html", tmp_path / "html", src, env=LOCAL_ENV)
    assert in_epub_and_pdf(src, tmp_path, "What Theodore feels before Samantha")

    page = (tmp_path / "html" / "chapters" / "conclusion.html").read_text(encoding="utf-8")
    assert 'href="../backmatter/glossary.html#term-loneliness"' in page
    assert (
        'id="term-loneliness"' in (tmp_path / "html" / "backmatter" / "glossary.html").read_text()
    )
    result = run(
        [*SUITE, "-k", "not pdf and not dist", "tests/test_content.py"], cwd=src, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.slow
def test_changing_the_highlight_colour_changes_only_the_highlights_in_every_edition(tmp_path):
    src = copy_source(tmp_path / "src")
    conf = src / "conf.py"
    before = conf.read_text(encoding="utf-8")
    assert '"accent": ("#8a2f1d", "#f2a38c")' in before
    conf.write_text(
        before.replace('"accent": ("#8a2f1d", "#f2a38c")', '"accent": ("#1d5a8a", "#8cc4f2")')
    )
    for builder in ("html", "epub", "latex"):
        sphinx_build(builder, tmp_path / builder, src, env=LOCAL_ENV)

    web = (tmp_path / "html" / "_static" / "book-boxes.css").read_text()
    assert "--book-highlight-accent:#1d5a8a;" in web
    assert "--book-highlight-accent:#8cc4f2;" in web  # dark theme
    assert "--book-faq-accent:#4f5d66;" in web
    epub = (tmp_path / "epub" / "_static" / "book-boxes.css").read_text()
    assert ".admonition.book-highlight{border-color:rgba(29,90,138,0.45)" in epub
    assert ".admonition.book-faq{border-color:rgba(79,93,102,0.45)" in epub
    tex = (tmp_path / "latex" / f"{SLUG}.tex").read_text(encoding="utf-8")
    assert "div.note_border-TeXcolor={HTML}{1D5A8A}" in tex  # the highlights (the default)
    assert r"\begingroup\sphinxsetup{div.note_border-TeXcolor={HTML}{4F5D66}" in tex  # FAQs
