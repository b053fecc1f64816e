"""The README's recipes, replayed on a copy of the book as a maintainer would follow them.

Each recipe gets a copy of its own, built in-process (web edition, EPUB and the PDF's
LaTeX source, into the copy's ``_build`` as ``make`` builds them), and then the content
checks the session's editions get (``editions.py``, the copy-edit checks of
``manuscript.py``) run on the copy: every sentence, every number and link they cover.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from editions import (
    ParsedOnce,
    chapter_page_problems,
    contents_problems,
    copy_edit_list_problems,
    epub_text,
    essay_length_problems,
    highlight_problems,
    html_text,
    label_target_problems,
    missing_sentences,
    residue_in,
    sitemap_problems,
    stated_words_problems,
    straight_quotes,
)
from manuscript import copy_edit_mismatch, copy_edit_unprinted, copy_edits, manuscript_text
from tools import (
    CHAPTERS,
    ROOT,
    SLUG,
    add_chapter,
    book_config,
    build_in_process,
    chapters,
    copy_source,
    move_chapter,
    page_label,
    paragraph_addresses,
    source_text,
)

NEW = """(a-new-chapter)=

# A New Chapter

A chapter this edition adds between two others, long enough to be read as one: it says
what a reader would expect a short chapter of this essay to say.
"""


@dataclass
class Editions:
    """A copy's web edition, EPUB and LaTeX source, built from its sources."""

    src: Path
    html: ParsedOnce
    epub_file: Path
    tex: str


def build_editions(src: Path) -> Editions:
    """Build the copy's web edition, EPUB and LaTeX source; fail on any warning."""
    for builder in ("html", "epub", "latex"):
        result = build_in_process(src, builder)
        assert (result.status, result.warnings) == (0, []), builder
    out = src / "_build"
    tex = (out / "latex" / f"{SLUG}.tex").read_text(encoding="utf-8")
    return Editions(src, ParsedOnce(out / "html", ""), out / "epub" / f"{SLUG}.epub", tex)


def content_problems(book: Editions) -> list[str]:
    """What the content tests would find wrong with the copy's editions."""
    html, src = book.html, book.src
    web, epub = html_text(html, src), epub_text(book.epub_file)
    problems = [f"not in the web edition: {s}" for s in missing_sentences(web, src)]
    problems += [f"not in the EPUB: {s}" for s in missing_sentences(epub, src)]
    problems += [f"residue: {r}" for r in residue_in(web + epub)]
    problems += [f"a straight quote: {p}" for p in straight_quotes(html, src)]
    problems += contents_problems(html, src) + label_target_problems(html, src)
    for number in range(1, len(chapters(src)) + 1):
        problems += chapter_page_problems(html, number, src)
    problems += highlight_problems(html, src) + copy_edit_list_problems(html, src)
    problems += stated_words_problems(html, src) + essay_length_problems(html, src)
    problems += sitemap_problems(html)
    for edit in copy_edits(src):
        problems += filter(None, [copy_edit_mismatch(edit), copy_edit_unprinted(edit, src)])
    return problems


def in_epub_and_pdf(book: Editions, text: str) -> bool:
    """Whether the EPUB's pages and the PDF's LaTeX both hold *text*."""
    with zipfile.ZipFile(book.epub_file) as epub:
        pages = " ".join(epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml"))
    return text in pages and text in book.tex


def test_adding_a_chapter_between_8_and_9_is_one_file_and_one_line(tmp_path):
    src = copy_source(tmp_path / "src")
    add_chapter(src, "a-new-chapter", NEW, after=CHAPTERS[7])
    book = build_editions(src)
    assert in_epub_and_pdf(book, "A New Chapter")

    out = book.html.outdir
    page = (out / "chapters" / "a-new-chapter.html").read_text(encoding="utf-8")
    assert '<span class="section-number">9. </span>A New Chapter' in page
    assert f'href="{CHAPTERS[7]}.html"' in page.split('class="related-pages"')[1]
    assert f'href="{CHAPTERS[8]}.html"' in page.split('class="related-pages"')[1]
    count = book_config()["_in_words"](len(CHAPTERS) + 1).capitalize()
    assert f"{count} brief chapters" in (out / "index.html").read_text(encoding="utf-8")
    # no other chapter moved: every published address still holds its page
    for chapter in CHAPTERS:
        assert "moved to" not in (out / "chapters" / f"{chapter}.html").read_text("utf-8")
    assert (src / "redirects.toml").read_text() == (ROOT / "redirects.toml").read_text()
    # and what the content tests check still holds: every sentence, every link
    assert content_problems(book) == []


def copy_edit_entry(old: str, new: str, chapter: str) -> str:
    return f'\n[[edit]]\nmanuscript = "{old}"\nedition = "{new}"\nchapter = "{chapter}"\n'


def a_word_to_fix() -> tuple[str, str, str]:
    """A chapter, eight plain words of its text that the manuscript has once, and a word
    among them that the manuscript has more than once (too short an entry alone)."""
    received = manuscript_text()
    for name in CHAPTERS:
        for line in source_text(f"chapters/{name}").splitlines():
            words = line.split()
            for start in range(len(words) - 8):
                phrase = " ".join(words[start : start + 8])
                if not re.fullmatch(r"[A-Za-z ]+", phrase) or received.count(phrase) != 1:
                    continue
                for word in words[start + 2 : start + 6]:
                    if len(word) > 4 and len(re.findall(rf"\b{word}\b", received)) > 1:
                        return name, phrase, word
    raise AssertionError("no chapter has eight plain words the manuscript has once")


def test_fixing_a_word_with_its_copy_edit_entry_keeps_every_check_green(tmp_path):
    name, phrase, word = a_word_to_fix()
    label, fixed = page_label(f"chapters/{name}"), word.upper()
    fixed_phrase = re.sub(rf"\b{word}\b", fixed, phrase, count=1)
    src = copy_source(tmp_path / "src")
    chapter = src / "chapters" / f"{name}.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace(phrase, fixed_phrase, 1), encoding="utf-8")
    edits = src / "backmatter" / "copy-edits.toml"
    base = edits.read_text(encoding="utf-8")

    # an entry too short to say where: the quick check (make test-fast's) says so
    edits.write_text(base + copy_edit_entry(word, fixed, label))
    quick = [copy_edit_mismatch(edit) for edit in copy_edits(src)]
    assert f"'{word}': add neighbouring words until it matches once" in quick

    # the entry as the file's header asks: enough words to match once
    edits.write_text(base + copy_edit_entry(phrase, fixed_phrase, label))
    book = build_editions(src)
    assert content_problems(book) == []
    about = (book.html.outdir / "backmatter" / "about.html").read_text(encoding="utf-8")
    assert f"“{word}” becomes “{fixed}”" in about
    assert in_epub_and_pdf(book, fixed_phrase)


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
    book = build_editions(src)
    assert in_epub_and_pdf(book, "What Theodore feels before Samantha")

    out = book.html.outdir
    page = (out / "chapters" / "conclusion.html").read_text(encoding="utf-8")
    assert 'href="../backmatter/glossary.html#term-loneliness"' in page
    assert 'id="term-loneliness"' in (out / "backmatter" / "glossary.html").read_text()
    assert content_problems(book) == []


def test_changing_the_highlight_colour_changes_only_the_highlights_in_every_edition(tmp_path):
    src = copy_source(tmp_path / "src")
    conf = src / "conf.py"
    before = conf.read_text(encoding="utf-8")
    assert '"accent": ("#8a2f1d", "#f2a38c")' in before
    conf.write_text(
        before.replace('"accent": ("#8a2f1d", "#f2a38c")', '"accent": ("#1d5a8a", "#8cc4f2")')
    )
    book = build_editions(src)

    web = (book.html.outdir / "_static" / "book-boxes.css").read_text()
    assert "--book-highlight-accent:#1d5a8a;" in web
    assert "--book-highlight-accent:#8cc4f2;" in web  # dark theme
    assert "--book-faq-accent:#4f5d66;" in web
    epub = (src / "_build" / "epub" / "_static" / "book-boxes.css").read_text()
    highlight = (
        ".admonition.book-highlight{border-color:transparent;border-left-color:rgb(29,90,138)}"
    )
    assert highlight in epub
    assert ".admonition.book-faq{border-color:rgba(79,93,102,0.45)" in epub
    assert "div.note_border-TeXcolor={HTML}{1D5A8A}" in book.tex  # the highlights (the default)
    assert r"\begingroup\sphinxsetup{div.note_border-TeXcolor={HTML}{4F5D66}" in book.tex  # FAQs


def test_a_chapter_added_at_the_front_and_one_moved_keep_every_paragraph_address(tmp_path):
    before_src = copy_source(tmp_path / "before")
    assert build_in_process(before_src, "html").warnings == []
    before = paragraph_addresses(before_src / "_build" / "html")
    assert any(ident.split("#p-")[1][0].isdigit() for ident in before)  # 1.0's ids too

    src = copy_source(tmp_path / "src")
    add_chapter(src, "a-new-chapter", NEW, first=True)
    move_chapter(src, CHAPTERS[-1], after=CHAPTERS[1])
    assert chapters(src)[0] == "a-new-chapter"
    book = build_editions(src)
    after = paragraph_addresses(book.html.outdir)
    assert {address: after.get(address) for address in before} == before
    assert content_problems(book) == []


FIGURE = """

A sentence this edition adds, with a note.[^a-note]

[^a-note]: The note, which is apparatus: it is not a numbered paragraph.

```{figure} ../_static/cover.png
:alt: The book's cover: its title in large letters.
:width: 40%

The cover of this edition.
```

| Who | Turns to |
| --- | --- |
| Theodore | Samantha |
"""


def test_a_figure_a_footnote_and_a_table_reach_every_edition(tmp_path):
    """The README's section on images, footnotes and tables, followed in one chapter."""
    src = copy_source(tmp_path / "src")
    chapter = CHAPTERS[0]
    path = src / "chapters" / f"{chapter}.md"
    path.write_text(path.read_text(encoding="utf-8") + FIGURE, encoding="utf-8")
    book = build_editions(src)

    page = book.html.soup(f"chapters/{chapter}.html")
    figure = page.select_one("figure")
    assert figure.img["alt"] == "The book's cover: its title in large letters."
    assert figure.figcaption.get_text(" ", strip=True).startswith("Fig. 1 The cover")
    note = page.select_one("[role=doc-footnote]")
    assert "The note, which is apparatus" in note.get_text()
    assert not note.select(".book-pnum")  # the note is no paragraph of the essay
    assert [c.get_text() for c in page.select("table td")] == ["Theodore", "Samantha"]

    with zipfile.ZipFile(book.epub_file) as epub:
        xhtml = epub.read(f"chapters/{chapter}.xhtml").decode()
        names = epub.namelist()
    assert 'alt="The book&#39;s cover: its title in large letters."' in xhtml or (
        'alt="The book\'s cover: its title in large letters."' in xhtml
    )
    assert any(name.startswith("_images/") for name in names)
    assert "Fig. 1" in xhtml
    assert r"\sphinxincludegraphics" in book.tex
    assert "The cover of this edition." in book.tex
    assert r"\begin{footnote}" in book.tex
    assert content_problems(book) == []
