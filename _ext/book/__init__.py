"""The book's own Sphinx extension: one module per job, wired here in pipeline order.

Sources are checked, read into doctrees, transformed for each edition, then
written by each builder; ``order.py`` says where the steps that depend on
Sphinx's or another extension's sit, and ``builders.py`` which edition a
builder makes.

==================  =======================  ==========================================
module              acts on                  what it changes
==================  =======================  ==========================================
``guard``           every builder            one build at a time; a failed build is
                                             not trusted by the next
``quiet``           every builder            no configuration dump in the log
``sources``         every builder            clear errors for non-UTF-8, empty files
                                             and unclosed fences
``outputs``         web, one-page, EPUB      deletes pages whose source is gone;
                                             writes every page when navigation changes
``copy_edits``      every builder            the About page's list of copy-edits
``reading_time``    web, one-page            reading times under titles and in contents
``paragraphs``      web, one-page, EPUB, PDF paragraph numbers and ids (``p-7-3``)
``dropdowns``       EPUB, PDF                FAQ dropdowns become titled boxes
``boxes``           web, one-page, EPUB, PDF each box's named colours
``fonts``           web, one-page, EPUB      the typeface, subset to the book's characters
``downloads``       web (others drop it)     the Downloads panel
``html_markup``     web, one-page, EPUB      caption heading levels, one id per details
``single_page``     one-page                 links and ids that work on one page
``redirects``       web                      a forwarding page at each old address
``web``             web (assets: all HTML)   description, sitemap, robots.txt; unused
                                             assets unlinked
``css_subset``      web, one-page            sphinx-design's CSS cut to what is used
``furo_nav``        web                      furo's navigation computed once per build
``epub``            EPUB                     accessibility metadata, landmarks, asides
                                             and headings, reproducible zip
``cite_epub``       EPUB                     the cited date; the PDF's page numbers
``citation``        every builder            the citation (CITATION.cff): meta tags,
                                             JSON-LD, the About page's citations and
                                             their files
``accessibility``   every builder            the About page's accessibility statement,
                                             from the EPUB's metadata
``latex``           PDF                      unnumbered back matter, box labels,
                                             breakable addresses
==================  =======================  ==========================================
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from . import (
    accessibility,
    boxes,
    citation,
    cite_epub,
    copy_edits,
    css_subset,
    downloads,
    dropdowns,
    epub,
    fonts,
    furo_nav,
    guard,
    html_markup,
    latex,
    outputs,
    paragraphs,
    quiet,
    reading_time,
    redirects,
    single_page,
    sources,
    web,
)

PIPELINE = (
    guard,
    quiet,
    sources,
    outputs,
    copy_edits,
    reading_time,
    paragraphs,
    dropdowns,
    boxes,
    fonts,
    downloads,
    html_markup,
    single_page,
    redirects,
    web,
    css_subset,
    furo_nav,
    epub,
    cite_epub,
    citation,
    accessibility,
    latex,
)


#: The extensions the modules build on, set up here and listed nowhere else (``conf.py``
#: names only ``book``): sphinx-design's components (``downloads``, ``dropdowns``,
#: ``html_markup``, ``css_subset``), sphinxext-opengraph's tags (``single_page``, ``web``)
#: and sphinx-notfound-page's 404 page (``web``).
REQUIRED = ("sphinx_design", "sphinxext.opengraph", "notfound.extension")


def setup(app: Sphinx) -> dict[str, Any]:
    for extension in REQUIRED:
        app.setup_extension(extension)
    for module in PIPELINE:
        module.setup(app)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
