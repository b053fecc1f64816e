"""Where the book's steps sit among Sphinx's and the other extensions', in one place.

Sphinx runs post-transforms and the handlers of one event by priority, lowest
first; the default is 500.  Only the steps whose order matters are listed.
"""

# -- Post-transforms (as each page is written) ---------------------------------------

#: EPUB and PDF: dropdowns become boxes before sphinx-design makes ``<details>`` of them (199).
DROPDOWNS_AS_BOXES = 190
#: PDF: the boxes' ids become LaTeX labels, once they are boxes.
LATEX_LABELS = 200
#: Steps that need only the resolved page, in no order among themselves (the downloads
#: panel, the glossary terms' definitions, the PDF's unnumbered back matter and
#: breakable addresses).
ANY_TIME = 400
#: HTML: a dropdown's extra ids move onto its summary, after sphinx-design (199).
ONE_ID_PER_DETAILS = 210

# -- Event handlers --------------------------------------------------------------------

#: config-inited: the build lock is taken, and a failed build's state dropped, first of all;
#: env-get-outdated: the build marked unfinished (and locked again, when an app builds again).
GUARD_START = 0
#: build-finished: the lock is let go last of all, after every other handler wrote its files.
GUARD_FINISH = 1000
#: build-finished: a build the machine cut short (a full disk) ends on one line, after all.
MACHINE_ERROR = 1100
#: build-finished: the font subset, cut beside the build, is waited for after the other
#: steps (it has had their time to finish), before the guard counts the warnings.
FONTS_WRITTEN = 900
#: env-updated: files written into the output folder once ``outputs`` has cleaned it (500).
AFTER_OUTPUTS = 600
#: env-get-updated: the EPUB's page breaks planned from the pages' text once Sphinx has
#: numbered the sections (its toctree collector, 500), so a citation's "ch. 4" is in it.
PLAN_PAGE_BREAKS = 600
#: env-get-updated: the accessibility statement compared once the page breaks are planned.
AFTER_PAGE_BREAKS = 700
#: html-page-context: Sphinx's own toctree kept, before any other handler can replace it.
KEEP_SPHINX_TOCTREE = 0
#: html-page-context: the landing page's description, before sphinxext-opengraph (500) reads it.
DESCRIBE_THE_BOOK = 400
#: html-page-context: the one-page edition opts out of sharing, before opengraph (500).
SINGLE_PAGE_CONTEXT = 400
#: html-page-context: meta tags for the pages opengraph skips, after it (500).
MISSING_META = 600
#: builder-inited: caption levels and box elements wrap whichever translator the builder
#: ends up with.
WRAP_TRANSLATOR = 900
#: doctree-resolved: the copy-edits' paragraphs linked, before ``single_page`` (500) mends
#: the one-page edition's links.
PLACE_COPY_EDITS = 400
