"""Where the PDF's pages begin in the EPUB's text: the search, on made-up pages."""

from __future__ import annotations

from book.cite_epub import Page, front_matter, labelled, place_pages, squash

TEXTS = {
    "chapters/one": squash("One. The first chapter starts here, and it runs on for a while."),
    "chapters/two": squash("Two. The second chapter is where the third page of the PDF begins."),
    "backmatter/about": squash("About this edition: the last words of the book, at last."),
}


def page(label: str, text: str) -> Page:
    return Page(label, squash(text))


def test_each_page_is_found_in_its_document_at_its_first_word():
    pages = [
        page("1", "One. The first chapter starts here, and it runs on for a"),
        page("2", "while. Two. The second chapter is where the third page"),
        page("3", "the third page of the PDF begins. About this edition: the"),
    ]
    placed, missing, end = place_pages(pages, TEXTS)
    one = TEXTS["chapters/one"]
    assert placed == {
        "chapters/one": [(0, "1"), (one.index("while"), "2")],
        "chapters/two": [(TEXTS["chapters/two"].index("thethirdpage"), "3")],
    }
    assert missing == end == []


def test_a_heading_number_the_epub_lacks_is_skipped():
    pages = [page("1", "2 Two. The second chapter is where the third page")]
    placed, _, _ = place_pages(pages, TEXTS)
    assert placed == {"chapters/two": [(0, "1")]}


def test_a_page_of_another_text_is_missing_and_the_index_at_the_end_is_the_end():
    pages = [
        page("1", "One. The first chapter starts here, and it runs on for a"),
        page("2", "Words that no document of this book has ever had in it at all"),
        page("3", "About this edition: the last words of the book, at last."),
        page("4", "Index A about, 3 B book, 1 C chapter, 1, 2 and more entries"),
        page("5", "D document, 2 E edition, 3 and the index runs on to this page"),
    ]
    placed, missing, end = place_pages(pages, TEXTS)
    assert [label for marks in placed.values() for _, label in marks] == ["1", "3"]
    assert missing == ["2"]
    assert end == ["4", "5"]


def test_a_page_that_prints_no_number_takes_its_neighbours_and_the_front_matter_is_roman():
    """The title page prints no number: it is "i" before "ii", as a PDF reader names it."""
    pages = labelled([(None, "title"), ("ii", "contents"), ("1", "one"), (None, "two"), ("3", "x")])
    assert [p.label for p in pages] == ["i", "ii", "1", "2", "3"]
    front, rest = front_matter(pages)
    assert ([p.label for p in front], [p.label for p in rest]) == (["i", "ii"], ["1", "2", "3"])
    assert [p.label for p in labelled([("1", "a"), (None, "b")])] == ["1", "2"]
