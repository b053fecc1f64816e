"""The one-page edition's ids: each document's own, under the document's name where the
page would otherwise repeat them, and the same whatever other chapters the book has."""

from __future__ import annotations

import re
import shutil

from bs4 import BeautifulSoup

from smallbook import SMALL_BOOK, build_small_book

#: Ids docutils and Sphinx number within each document (an index entry's, a footnote's).
NUMBERED = re.compile(r"(?:index-|id)\d+")

CHAPTER = """({label})=

# The {title} Chapter

```{{index}} Samantha
```

Samantha speaks.[^note] Theodore listens.[^more]

[^note]: A note on the {title} chapter.

[^more]: Another note.
"""


def article(app, page: str) -> BeautifulSoup:
    soup = BeautifulSoup((app.outdir / page).read_text(encoding="utf-8"), "html.parser")
    return soup.select_one("article[role=main]")


def ids_by_document(app, root: str) -> dict[str, list[str]]:
    """The ids on the one-page edition, by the document they come from: a document's part
    of the page begins where Sphinx marks it (``<span id="document-NAME">``).  Ids of
    paragraphs (``p-<chapter number>-<n>``, from ``paragraphs``) are left out."""
    found: dict[str, list[str]] = {root: []}
    current = root
    for tag in article(app, "index.html").select("[id]"):
        if tag["id"].startswith("document-"):
            current = tag["id"].removeprefix("document-")
            found[current] = []
        elif not tag.find("a", class_="book-pnum", recursive=False):
            found[current].append(tag["id"])
    return found


def web_ids(app, docname: str) -> list[str]:
    page = article(app, f"{docname}.html")
    return [tag["id"] for tag in page.select("[id]")]


def test_each_documents_numbered_ids_carry_its_name_on_the_one_page_edition(small_book):
    """An index entry's id (``index-0`` on every chapter's web page) is the document's
    name and that id on the one page (``chapters-01-first-index-0``)."""
    single, web = small_book("singlehtml"), small_book("html")
    root = single.config.root_doc
    on_page = ids_by_document(single, root)
    for docname, ids in on_page.items():
        if docname == root:
            continue  # the landing page keeps its ids (and has a Downloads section less)
        numbered = [i for i in web_ids(web, docname) if NUMBERED.fullmatch(i)]
        prefix = docname.replace("/", "-")
        assert {f"{prefix}-{i}" for i in numbered} <= set(ids), docname
    chapters = [ids for doc, ids in on_page.items() if doc.startswith("chapters/")]
    assert len(chapters) >= 2
    assert all(any(i.endswith("-index-0") for i in ids) for ids in chapters)


def test_a_chapter_added_first_renames_no_id_of_the_others_and_its_notes_link_home(
    small_book, tmp_path
):
    before = ids_by_document(small_book("singlehtml"), "index")
    src = tmp_path / "src"
    shutil.copytree(SMALL_BOOK, src)
    for name, label, title in [("00-zero", "zero", "Zeroth"), ("03-third", "third", "Third")]:
        chapter = CHAPTER.format(label=label, title=title)
        (src / "chapters" / f"{name}.md").write_text(chapter, encoding="utf-8")
    app = build_small_book(src, "singlehtml")
    after = ids_by_document(app, "index")

    assert list(after)[1] == "chapters/00-zero"  # read first, numbered 1
    assert {doc: after[doc] for doc in before} == before
    page = article(app, "index.html")
    ids = [tag["id"] for tag in page.select("[id]")]
    assert sorted(ids) == sorted(set(ids))
    places = {a["href"][1:] for a in page.select('a[href^="#"]')}
    assert places - set(ids) == set()  # every link to a place on the page finds it
    for docname in ("chapters/00-zero", "chapters/03-third"):
        part = after[docname]
        footnotes = [i for i in part if page.find(id=i).name == "aside"]
        assert len(footnotes) == 2, part
        for footnote in footnotes:  # its reference, in the same chapter, links to it
            (ref,) = page.select(f'a[href="#{footnote}"]')
            assert ref.get("id") in part or ref.find_parent(id=True)["id"] in part
