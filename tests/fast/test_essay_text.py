"""What counts as essay text is one definition (``paragraphs.NOT_TEXT``): the words a
page's reading time counts are the words of the paragraphs it numbers."""

from __future__ import annotations

from sphinx.util.matching import Matcher

from book.paragraphs import paragraph_number
from book.reading_time import WORD


def test_the_words_a_reading_time_counts_are_those_of_the_numbered_paragraphs(small_book):
    """On each essay page as read (the doctree the build keeps): the reading time's count
    against the words of the paragraphs that carry a number."""
    app = small_book("html")
    essay = sorted(filter(Matcher(app.config.book_essay_docs), app.env.found_docs))
    assert len(essay) >= 3
    counts = {}
    for docname in essay:
        tree = app.env.get_doctree(docname)
        numbered = [number.parent for number in tree.findall(paragraph_number)]
        counts[docname] = (
            app.env.book_words[docname],
            sum(len(WORD.findall(p.astext())) for p in numbered),
        )
    assert [doc for doc, (counted, numbered) in counts.items() if counted != numbered] == []
    assert all(numbered > 0 for _, numbered in counts.values())
