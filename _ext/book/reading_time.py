"""Reading times: each chapter's under its title, and the essay's on the landing page.

Words are counted when a document is read, from the essay text only: the
documents that ``book_essay_docs`` names (glob patterns of document names; the
chapters, the highlights and the FAQ), the same text whose paragraphs are numbered
(``paragraphs.NOT_TEXT`` and ``paragraphs.not_essay_text`` say what is left out:
titles of any kind, index entries, comments, raw markup, the ``See:`` lines under the
FAQ answers...).  The rate,
``book_words_per_minute``, is set once in ``conf.py``; the landing page states it.

The web editions (``html``, ``dirhtml``, ``singlehtml``) show:

* under each counted document's title, its reading time and words;
* where the ``{reading-time}`` directive stands, the whole essay's;
* in a contents list (toctree) on a page, each counted document's time after its entry.

Other builders leave them out.  Times are rounded the way a reader says them:
"a few seconds", "¼ min", "½ min", "¾ min", "1 min", "1½ min", ... to the quarter
minute below one minute, the half minute below ten, the minute above.  When a
count changes, the pages that show it are written again.
"""

from __future__ import annotations

import math
import re

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from .builders import is_single_page, is_web_page
from .envstate import DocSet
from .paragraphs import is_essay_page, not_essay_text
from .quiet import stop

#: The pages that show the whole essay's length (``{reading-time}``).
SHOWING_TOTAL = DocSet("book_reading_time_docs")

logger = logging.getLogger(__name__)

WORD = re.compile(r"\w+(?:[’'\-]\w+)*")
QUARTERS = {1: "¼", 2: "½", 3: "¾"}


class essay_length(nodes.General, nodes.Element):
    """Placeholder for the whole essay's length, filled in when the page is written."""


class reading_time(nodes.Invisible, nodes.Element):
    """A reading time, as a paragraph (``tag="p"``) or within a line (``tag="span"``).

    Its text is an attribute, not a child: it is apparatus, so the search index, the
    word count and the page's description (which skip invisible nodes) leave it out.
    In the page it is an attribute too, shown by the stylesheet (``::before``): browsers
    show it and read it to screen readers, while the search results' snippets (which
    Sphinx cuts from the page's text) and a reader's copy of the text leave it out.
    """


def visit_reading_time(self: HTML5Translator, node: reading_time) -> None:
    classes = " ".join(node["classes"])
    text = self.attval(node["text"])
    self.body.append(
        f'<{node["tag"]} class="{classes}" data-reading-time="{text}"></{node["tag"]}>'
    )
    raise nodes.SkipNode


class ReadingTimeDirective(SphinxDirective):
    """``{reading-time}``: the place of the whole essay's length and reading time."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        SHOWING_TOTAL.of(self.env).add(self.env.docname)
        node = essay_length()
        self.set_source_info(node)
        return [node]


def human_minutes(words: int, per_minute: int) -> str:
    """How long *words* take to read, as a reader would say it.

    Quarter minutes below one minute (the chapters are short), half minutes
    below ten, whole minutes above.
    """
    minutes = words / per_minute
    if minutes < 1 / 8:
        return "a few seconds"
    quarters = math.floor(minutes * 4 + 0.5)
    if quarters < 4:
        return f"{QUARTERS[quarters]} min"
    halves = math.floor(minutes * 2 + 0.5)
    if halves < 20:
        whole, half = divmod(halves, 2)
        return f"{whole}{'½' if half else ''} min"
    rounded = math.floor(minutes + 0.5)
    if rounded < 60:
        return f"{rounded} min"
    hours, rest = divmod(rounded, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def count_words(tree: nodes.Node) -> int:
    """The words of a doctree's essay text (``paragraphs.not_essay_text`` says what is not)."""
    total = 0
    stack = [tree]
    while stack:
        node = stack.pop()
        if not_essay_text(node):
            continue
        if isinstance(node, nodes.Text):
            total += len(WORD.findall(node.astext()))
        else:
            stack.extend(node.children)
    return total


# -- Reading -----------------------------------------------------------------------


def check_config(app: Sphinx, config: Config) -> None:
    rate = config.book_words_per_minute
    if not isinstance(rate, int) or isinstance(rate, bool) or rate <= 0:
        stop(f"book_words_per_minute must be a positive whole number, not {rate!r}")


def count_document(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    if not is_essay_page(app.config, env.docname):
        return
    env.book_words = getattr(env, "book_words", {})
    env.book_words[env.docname] = count_words(doctree)


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "book_words", {}).pop(docname, None)


def merge_info(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    env.book_words = getattr(env, "book_words", {})
    env.book_words.update({d: n for d, n in getattr(other, "book_words", {}).items()})


def rewrite_pages_showing_counts(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """When a count has changed, write the pages that show other documents' counts again."""
    words = dict(getattr(env, "book_words", {}))
    if words == getattr(env, "book_words_shown", None):
        return []
    env.book_words_shown = words
    showing = set(SHOWING_TOTAL.of(env))
    showing |= {
        doc for doc, included in env.toctree_includes.items() if words.keys() & set(included)
    }
    return sorted(showing & env.found_docs)


# -- Writing -----------------------------------------------------------------------


def chapter_line(words: int, per_minute: int) -> reading_time:
    text = f"{human_minutes(words, per_minute)} read · {words:,} words"
    return reading_time(tag="p", text=text, classes=["book-reading-time"])


def essay_line(words: dict[str, int], per_minute: int) -> reading_time:
    total = sum(words.values())
    text = (
        f"About {human_minutes(total, per_minute)} to read: {total:,} words of essay "
        f"(chapters, highlights and answers) at {per_minute} words a minute."
    )
    classes = ["book-reading-time", "book-essay-length"]
    return reading_time(tag="p", text=text, classes=classes)


def number_apart(ref: nodes.reference) -> None:
    """A numbered entry's number in a span of its own, so the contents can set it in a
    column (Sphinx writes it into the link's text)."""
    if ref.get("secnumber"):
        number = ".".join(map(str, ref["secnumber"]))
        ref[:0] = [nodes.inline("", number, classes=["book-toc-number"]), nodes.Text(" ")]
        del ref["secnumber"]


def annotate_toctrees(app: Sphinx, doctree: nodes.document, docname: str, words: dict) -> None:
    """Resolve the page's toctrees now, adding each counted entry's reading time.

    Only a page with a toctree (the landing page) maps the addresses: for every page,
    that would cost pages x pages (a third of a 640-chapter build)."""
    toctrees = list(doctree.findall(addnodes.toctree))
    if not toctrees:
        return
    uris = {app.builder.get_relative_uri(docname, doc): doc for doc in words}
    for toctree in toctrees:
        resolved = app.env.resolve_toctree(docname, app.builder, toctree)
        if resolved is None:
            toctree.parent.remove(toctree)
            continue
        for ref in list(resolved.findall(nodes.reference)):
            number_apart(ref)
            doc = uris.get(ref.get("refuri"))
            if doc is not None and not ref.get("anchorname"):
                time = human_minutes(words[doc], app.config.book_words_per_minute)
                label = reading_time(tag="span", text=time, classes=["book-reading-time"])
                ref.parent.insert(ref.parent.index(ref) + 1, label)
        toctree.replace_self(resolved)


def show_reading_times(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = list(doctree.findall(essay_length))
    if not is_web_page(app.builder):
        for node in placeholders:
            node.parent.remove(node)
        return
    words = getattr(app.env, "book_words", {})
    per_minute = app.config.book_words_per_minute
    for node in placeholders:
        node.replace_self(essay_line(words, per_minute))
    pages = [(docname, doctree)]
    pages += [(sof["docname"], sof) for sof in doctree.findall(addnodes.start_of_file)]
    for doc, tree in pages:
        section = tree.next_node(nodes.section)
        if doc in words and section is not None and isinstance(section[0], nodes.title):
            section.insert(1, chapter_line(words[doc], per_minute))
    if not is_single_page(app.builder) and words:
        annotate_toctrees(app, doctree, docname, words)


def setup(app: Sphinx) -> None:
    app.add_config_value("book_words_per_minute", 230, "html", types=frozenset({int}))
    app.add_config_value("book_essay_docs", [], "env", types=frozenset({list}))
    app.add_node(essay_length)
    app.add_node(reading_time, html=(visit_reading_time, None))
    app.add_directive("reading-time", ReadingTimeDirective)
    app.connect("config-inited", check_config)
    app.connect("doctree-read", count_document)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    SHOWING_TOTAL.connect(app)
    app.connect("env-updated", rewrite_pages_showing_counts)
    app.connect("doctree-resolved", show_reading_times)
