# Makefile for the book. `make html` and `make test` set up everything they need.

# You can set these variables from the command line, and also from the environment.
SPHINXOPTS    ?= -W -n --keep-going
SPHINXBUILD   ?= $(VENV)/bin/sphinx-build
SOURCEDIR     = .
BUILDDIR      = _build

PYTHON        ?= python3
VENV          ?= .venv
BOOK_STAMP    = $(VENV)/.book-installed
DEV_STAMP     = $(VENV)/.dev-installed

# Reproducible output: dates in the book come from the last commit, not the clock
# (outside a git checkout, from the clock).
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
ifneq ($(SOURCE_DATE_EPOCH),)
export SOURCE_DATE_EPOCH
endif

.PHONY: help venv lint test livehtml pdf dist serve bench cover clean Makefile

# Put it first so that "make" without argument is like "make help".
help:
	@echo "Usage: make <target>"
	@echo
	@echo "The book (any Sphinx builder works the same way: make <builder>):"
	@echo "  html        the web edition           -> $(BUILDDIR)/html/"
	@echo "  singlehtml  the whole essay on one page -> $(BUILDDIR)/singlehtml/"
	@echo "  epub        the EPUB edition          -> $(BUILDDIR)/epub/"
	@echo "  latexpdf    the PDF edition           -> $(BUILDDIR)/latex/*.pdf (alias: pdf)"
	@echo "  dist        PDF, EPUB, web and one-page editions as one static site -> $(BUILDDIR)/dist/"
	@echo "  serve       serve $(BUILDDIR)/dist on http://127.0.0.1:8000/"
	@echo "  livehtml    rebuild and reload the web edition in the browser as you edit"
	@echo "  linkcheck   check the links that leave the book"
	@echo
	@echo "Maintenance:"
	@echo "  test        lint, install missing system tools, build every edition and test it"
	@echo "  lint        ruff check and format check of conf.py, _ext/ and tests/"
	@echo "  bench       time the builds and the tests, weigh the pages -> $(BUILDDIR)/bench.json"
	@echo "  cover       render the cover, social card and favicon PNGs from their SVGs"
	@echo "  venv        create $(VENV) with the pinned book and test dependencies"
	@echo "  clean       empty $(BUILDDIR)"

# Files the catch-all must not try to build.
requirements.txt tests/requirements.txt: ;

$(BOOK_STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(DEV_STAMP): $(BOOK_STAMP) tests/requirements.txt
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r tests/requirements.txt
	@touch $@

venv: $(DEV_STAMP)

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check conf.py _ext tests
	$(VENV)/bin/ruff format --check conf.py _ext tests

test: lint
	bash tests/install-system-tools.sh
	$(VENV)/bin/python -m pytest tests

bench: $(DEV_STAMP)
	$(VENV)/bin/python tests/bench.py

livehtml: $(DEV_STAMP)
	$(VENV)/bin/sphinx-autobuild "$(SOURCEDIR)" "$(BUILDDIR)/html" $(SPHINXOPTS) $(O) --watch _ext

pdf: latexpdf

ART = cover:800x1280 social:1200x630 favicon:64x64
cover:
	@command -v rsvg-convert >/dev/null || { echo "rsvg-convert is missing: sudo apt-get install librsvg2-bin"; exit 1; }
	@for art in $(ART); do \
	    name=$${art%%:*}; size=$${art#*:}; \
	    echo "_static/$$name.svg -> _static/$$name.png ($$size)"; \
	    rsvg-convert -w $${size%x*} -h $${size#*x} -o _static/$$name.png _static/$$name.svg; \
	done

# The PDF and the EPUB first, then the web edition that copies and links them
# (BOOK_DOWNLOADS tells _ext/book_downloads.py where they are), then the one-page edition.
dist: $(BOOK_STAMP)
	@$(SPHINXBUILD) -M epub "$(SOURCEDIR)" "$(BUILDDIR)" $(SPHINXOPTS) $(O)
	@$(SPHINXBUILD) -M latexpdf "$(SOURCEDIR)" "$(BUILDDIR)" $(SPHINXOPTS) $(O)
	@BOOK_DOWNLOADS="$(BUILDDIR)" $(SPHINXBUILD) -b html -d "$(BUILDDIR)/doctrees" \
	    "$(SOURCEDIR)" "$(BUILDDIR)/dist" $(SPHINXOPTS) $(O)
	@$(SPHINXBUILD) -b singlehtml -d "$(BUILDDIR)/doctrees" \
	    "$(SOURCEDIR)" "$(BUILDDIR)/dist/single" $(SPHINXOPTS) $(O)

serve:
	@test -f "$(BUILDDIR)/dist/index.html" || { echo "Nothing to serve: run make dist first"; exit 1; }
	$(PYTHON) -m http.server --bind 127.0.0.1 --directory "$(BUILDDIR)/dist" 8000

clean:
	rm -rf "$(BUILDDIR)"

# Catch-all target: route all unknown targets to Sphinx using the new
# "make mode" option.  $(O) is meant as a shortcut for $(SPHINXOPTS).
%: Makefile $(BOOK_STAMP)
	@$(SPHINXBUILD) -M $@ "$(SOURCEDIR)" "$(BUILDDIR)" $(SPHINXOPTS) $(O)
