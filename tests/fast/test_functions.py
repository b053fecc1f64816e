"""The book's small functions: rounding, URLs, what the panel offers, CSS, logs, sources."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import sphinx_design
from docutils import nodes
from sphinx.errors import ConfigError, ExtensionError

from book.accessibility import statement
from book.css_subset import subset
from book.downloads import Offer, cards, decide, human_size, paper_name, readthedocs_url
from book.reading_time import human_minutes
from book.single_page import fix_double_fragment
from book.sources import unclosed_fences, undecodable
from book.web import robots_txt
from latex_log import TexSource, problems
from tools import READTHEDOCS_ENV

FILES = {"pdf": "latex/book.pdf", "epub": "epub/book.epub"}


@pytest.mark.parametrize(
    ("words", "said"),
    [
        (0, "a few seconds"),
        (28, "a few seconds"),
        (29, "¼ min"),
        (55, "¼ min"),
        (95, "½ min"),
        (153, "¾ min"),
        (200, "¾ min"),
        (202, "1 min"),
        (230, "1 min"),
        (345, "1½ min"),
        (400, "1½ min"),
        (460, "2 min"),
        (2180, "9½ min"),
        (2300, "10 min"),
        (13_800, "1 h"),
        (14_030, "1 h 1 min"),
    ],
)
def test_reading_times_are_rounded_the_way_a_reader_says_them(words, said):
    assert human_minutes(words, 230) == said


@pytest.mark.parametrize(
    ("size", "said"), [(999, "999 bytes"), (137_400, "137 KB"), (1_349_000, "1.3 MB")]
)
def test_file_sizes_are_given_in_kilobytes_or_megabytes(size, said):
    assert human_size(size) == said


def test_plain_build_offers_nothing_and_says_how_to_get_the_files():
    assert decide({}, FILES) == Offer("none")
    text = cards(Offer("none"), "", "A5")[0].astext()
    assert "make dist" in text


def test_read_the_docs_links_go_to_its_download_urls_on_the_canonical_origin():
    offer = decide(READTHEDOCS_ENV, FILES)
    assert offer.setting == "readthedocs"
    assert [d.href for d in offer.downloads] == [
        "https://example.readthedocs.io/_/downloads/en/latest/pdf/",
        "https://example.readthedocs.io/_/downloads/en/latest/epub/",
    ]
    assert all(d.size is None for d in offer.downloads)


def test_read_the_docs_links_follow_a_custom_domain_language_and_version():
    env = {
        **READTHEDOCS_ENV,
        "READTHEDOCS_CANONICAL_URL": "https://book.example.org/fr/v2.0/",
        "READTHEDOCS_LANGUAGE": "fr",
        "READTHEDOCS_VERSION": "v2.0",
    }
    assert readthedocs_url(env, "epub") == "https://book.example.org/_/downloads/fr/v2.0/epub/"


def test_pull_request_builds_say_there_are_no_downloads():
    offer = decide({**READTHEDOCS_ENV, "READTHEDOCS_VERSION_TYPE": "external"}, FILES)
    assert offer == Offer("pull-request")
    shown = cards(offer, "", "A5")
    text = " ".join(card.astext() for card in shown)
    assert "pull request" in text
    assert "no PDF or EPUB" in text
    links = [card.button.href for card in shown if card.button]
    links += [
        ref["refuri"] for card in shown for p in card.texts for ref in p.findall(nodes.reference)
    ]
    assert links == ["single/index.html"]  # the one-page edition, which previews have


def test_read_the_docs_without_its_variables_is_a_clear_error():
    with pytest.raises(ConfigError, match="READTHEDOCS_CANONICAL_URL"):
        decide({"READTHEDOCS": "True"}, FILES)


def test_make_dist_without_the_pdf_is_a_clear_error(tmp_path):
    (tmp_path / "epub").mkdir()
    (tmp_path / "epub" / "book.epub").write_bytes(b"x")
    with pytest.raises(ConfigError, match=r"book\.pdf"):
        decide({"BOOK_DOWNLOADS": str(tmp_path)}, FILES)


def test_make_dist_offers_the_files_with_size_and_the_source_date(tmp_path):
    for relpath in FILES.values():
        (tmp_path / relpath).parent.mkdir()
        (tmp_path / relpath).write_bytes(b"x" * 2600)
    offer = decide({"BOOK_DOWNLOADS": str(tmp_path), "SOURCE_DATE_EPOCH": "1700000000"}, FILES)
    assert [(d.href, d.size, d.date) for d in offer.downloads] == [
        ("book.pdf", 2600, "2023-11-14"),
        ("book.epub", 2600, "2023-11-14"),
    ]
    texts = [card.astext() for card in cards(offer, "..", "A5")]
    assert "3 KB, built 14 November 2023" in texts[0]


@pytest.mark.parametrize(
    ("elements", "said"),
    [({"papersize": "a5paper"}, "A5"), ({"papersize": "letterpaper"}, "Letter"), ({}, "Letter")],
)
def test_the_pdf_card_names_the_paper_latex_elements_sets(tmp_path, elements, said):
    assert paper_name(SimpleNamespace(latex_elements=elements)) == said
    for relpath in FILES.values():
        (tmp_path / relpath).parent.mkdir(exist_ok=True)
        (tmp_path / relpath).write_bytes(b"x")
    pdf = cards(decide({"BOOK_DOWNLOADS": str(tmp_path)}, FILES), "", said)[0]
    assert f"{said} pages with contents" in pdf.astext()


def test_only_the_pdf_card_says_it_is_untagged_and_links_the_accessible_editions(tmp_path):
    for relpath in FILES.values():
        (tmp_path / relpath).parent.mkdir()
        (tmp_path / relpath).write_bytes(b"x")
    offer = decide({"BOOK_DOWNLOADS": str(tmp_path)}, FILES)
    pdf, epub, one_page = cards(offer, "..", "A5")
    (note,) = [p for p in pdf.texts if "book-download-untagged" in p["classes"]]
    assert "untagged" in note.astext()
    links = [(ref.astext(), ref["refuri"]) for ref in note.findall(nodes.reference)]
    assert links == [("the EPUB", "../book.epub"), ("the one-page edition", "../single/index.html")]
    assert "untagged" not in epub.astext() + one_page.astext()


def test_read_the_docs_pdf_card_links_read_the_docs_epub():
    offer = decide(READTHEDOCS_ENV, FILES)
    note = next(p for p in cards(offer, "", "A5")[0].texts if "untagged" in p.astext())
    assert [ref["refuri"] for ref in note.findall(nodes.reference)] == [
        "https://example.readthedocs.io/_/downloads/en/latest/epub/",
        "single/index.html",
    ]


def test_accessibility_statement_follows_the_display_guides_order_and_shows_what_applies():
    groups = statement(
        [
            ("schema:accessModeSufficient", "textual"),
            ("schema:accessibilityFeature", "tableOfContents"),
            ("schema:accessibilityHazard", "none"),
        ]
    )
    assert [heading for heading, _ in groups] == [
        "Ways of reading",
        "Conformance",
        "Navigation",
        "Hazards",
    ]
    assert groups[0][1] == ["All content can be read as read aloud speech or dynamic braille"]


def test_accessibility_metadata_the_statement_cannot_word_is_a_clear_error():
    with pytest.raises(ExtensionError, match=r"MathML.*_ext/book/accessibility\.py"):
        statement([("schema:accessibilityFeature", "MathML")])
    with pytest.raises(ExtensionError, match="conformsTo"):
        statement([("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.2 Level AA")])


def test_one_page_edition_links_lose_the_documents_fragment():
    assert fix_double_fragment("#document-chapters/04-flashbacks#flashbacks") == "#flashbacks"
    assert fix_double_fragment("#document-chapters/04-flashbacks") == (
        "#document-chapters/04-flashbacks"
    )
    assert fix_double_fragment("#term-Amy") == "#term-Amy"


def test_robots_txt_names_the_sitemap_under_the_base_url():
    assert robots_txt("https://x.org/en/latest/", "sitemap.xml").endswith(
        "Sitemap: https://x.org/en/latest/sitemap.xml\n"
    )


# -- book_css_subset ----------------------------------------------------------------

CSS = (
    ":root{--sd-color-primary:#0071bc}"
    ".sd-card,.sd-tab-set>label{border:1px solid}"
    ".sd-tab-set{display:flex}"
    "details.sd-dropdown summary:is(.a,.sd-card){cursor:pointer}"
    "@media (min-width:576px){.sd-col-sm-6{width:50%}.sd-col-md-6{width:50%}}"
    "@media print{.sd-tab-set{display:none}}"
    "@keyframes sd-slide-from-left{0%{transform:translateX(-100%)}}"
)


def test_stylesheet_keeps_only_rules_for_classes_the_pages_use():
    cut = subset(CSS, {"sd-card", "sd-dropdown", "sd-col-sm-6", "a"})
    assert cut == (
        ":root{--sd-color-primary:#0071bc}"
        ".sd-card{border:1px solid}"
        "details.sd-dropdown summary:is(.a,.sd-card){cursor:pointer}"
        "@media (min-width:576px){.sd-col-sm-6{width:50%}}"
        "@keyframes sd-slide-from-left{0%{transform:translateX(-100%)}}"
    )


def test_stylesheet_of_a_page_without_components_keeps_only_unclassed_rules():
    assert subset(CSS, set()) == (
        ":root{--sd-color-primary:#0071bc}"
        "@keyframes sd-slide-from-left{0%{transform:translateX(-100%)}}"
    )


def test_the_shipped_stylesheet_with_every_class_kept_comes_back_unchanged():
    css = (Path(sphinx_design.__file__).parent / "static" / "sphinx-design.min.css").read_text()
    every_class = set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", css))
    assert subset(css, every_class) == css
    assert len(subset(css, set())) < len(css) / 10


# -- sources: what a source file gets wrong -------------------------------------------


def test_an_unclosed_fence_is_found_at_its_opening_line():
    lines = ["text", ":::{admonition} Box", "", "inside", "", "more text"]
    assert unclosed_fences(lines) == [(2, ":::{admonition} Box")]


def test_closed_and_nested_fences_are_fine_and_code_is_not_read_as_fences():
    lines = ["::::{dropdown} Q", ":::{note}", "x", ":::", "::::", "```python", ":::", "```"]
    assert unclosed_fences(lines) == []


def test_a_fence_left_open_inside_another_is_found():
    lines = ["::::{dropdown} Q", ":::{note}", "x", "::::"]
    assert unclosed_fences(lines) == [(2, ":::{note}")]


def test_a_byte_that_is_not_utf8_is_found_by_line_and_column():
    assert undecodable("first\nCaf\xe9".encode("latin-1")) == (2, 4, 0xE9)
    assert undecodable("It’s ".encode() + b"Caf\xe9") == (1, 9, 0xE9)  # columns are characters
    assert undecodable("Café".encode()) is None


# -- latex_log: what XeLaTeX only logs ---------------------------------------------------


LONG_LABEL = "chapters/two:a-label-long-enough-to-wrap-the-line"


def wrapped(line: str) -> list[str]:
    return [line[i : i + 79] for i in range(0, len(line), 79)]


TEX = "\n".join(
    [
        r"\begin{document}",
        r"\label{\detokenize{chapters/01-one::doc}}",
        r"Text with 日 in it.",
        r"\label{\detokenize{chapters/02-two::doc}}\label{\detokenize{chapters/02-two:two}}",
        r"A \sphinxurl{https://example.org} line.",
    ]
)
LOG = "\n".join(
    [
        "Missing character: There is no 日 (U+65E5) in font [FreeSerif.otf]/OT:script=la",
        "Overfull \\hbox (2.5pt too wide) in paragraph at lines 3--3",
        "Overfull \\hbox (12.0pt too wide) in paragraph at lines 5--5",
        "LaTeX Warning: Reference `x' on page 2 undefined on input line 5.",
        # as TeX writes a long one: "Hyper reference", wrapped at 79 characters
        *wrapped(
            f"LaTeX Warning: Hyper reference `{LONG_LABEL}' on page 2 undefined on input line 5."
        ),
    ]
)


def test_latex_log_problems_are_named_by_chapter_with_a_quote():
    tex = TexSource(TEX)
    found = [(tex.document(p.tex_line), p.what) for p in problems(LOG, tex)]
    assert found == [
        ("chapters/01-one.md", "日 (U+65E5) is not in the font FreeSerif.otf"),
        ("chapters/02-two.md", "a line runs 12.0 pt into the margin"),
        ("chapters/02-two.md", "undefined reference 'x'"),
        (
            "chapters/02-two.md",
            "undefined reference 'chapters/two:a-label-long-enough-to-wrap-the-line'",
        ),
    ]
    assert tex.quote(3) == ": “Text with 日 in it.”"


HEADINGS_TEX = "\n".join(
    [
        r"\begin{document}",  # 1
        r"\sphinxstepscope",  # 2
        r"\section{Alone}",  # 3
        r"\label{\detokenize{chapters/alone:alone}}\label{\detokenize{chapters/alone::doc}}",
        r"Text.",  # 5
        r"\sphinxstepscope",  # 6
        r"\section{孤独}",  # 7: the next chapter's heading, before its label
        r"\label{\detokenize{chapters/x-bom:x}}\label{\detokenize{chapters/x-bom::doc}}",
        r"And 孤独 again.",  # 9
    ]
)


def test_a_missing_character_in_a_heading_is_named_at_its_own_chapter_and_line(tmp_path):
    """Issue 21: 孤独 in a heading was blamed on the chapter before, "is not in the font ."
    named no font, and no source line was given."""
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "x-bom.md").write_text(
        "(x)=\n\n# 孤独\n\nAnd 孤独 again.\n", encoding="utf-8"
    )
    tex = TexSource(HEADINGS_TEX)
    log = "Missing character: There is no 孤 (U+5B64) in font [./Literata-Bold.ttf]/OT:script=la"
    found = problems(log, tex)
    assert [p.what for p in found] == ["孤 (U+5B64) is not in the font Literata-Bold.ttf"] * 2
    assert [tex.source_line(p.tex_line, p.character, tmp_path) for p in found] == [
        "chapters/x-bom.md:3",
        "chapters/x-bom.md:5",
    ]
