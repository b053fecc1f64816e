# Makefile for the book. `make html` and `make test` set up everything they need.

# You can set these variables from the command line, and also from the environment.
SPHINXOPTS    ?= -W -n --keep-going
SPHINXBUILD   ?= $(VENV)/bin/sphinx-build
SOURCEDIR     = .
BUILDDIR      = _build

PYTHON        ?= python3
VENV          ?= .venv
PORT          ?= 8000
# The book's file name (the PDF's and the EPUB's), set once, in conf.py.
SLUG         := $(shell sed -n 's/^slug = "\(.*\)"$$/\1/p' conf.py)
BOOK_STAMP    = $(VENV)/.book-installed
DEV_STAMP     = $(VENV)/.dev-installed
PIP_INSTALL   = $(VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes
# The Pythons the locks are compiled and checked for (tools/venv.sh checks the lowest).
PYTHON_MIN    = 3.11
PYTHON_MAX    = 3.14
# uv reads the system's certificates, as pip does (a proxy's own CA among them).
UV_COMPILE    = UV_SYSTEM_CERTS=1 $(VENV)/bin/uv pip compile --quiet --universal --python-version $(PYTHON_MIN) --generate-hashes \
                $(if $(UPGRADE),--upgrade-package $(UPGRADE))

# Reproducible output: dates in the book come from this repository's last commit, not
# the clock (outside a checkout of its own, from the clock; conf.py checks the value).
ifeq ($(shell git rev-parse --show-toplevel 2>/dev/null),$(CURDIR))
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
endif
ifneq ($(SOURCE_DATE_EPOCH),)
NOT_DIGITS = $(subst 0,,$(subst 1,,$(subst 2,,$(subst 3,,$(subst 4,,$(subst 5,,$(subst 6,,$(subst \
               7,,$(subst 8,,$(subst 9,,$(SOURCE_DATE_EPOCH)))))))))))
ifneq ($(NOT_DIGITS),)
$(error SOURCE_DATE_EPOCH='$(SOURCE_DATE_EPOCH)' is not a time in seconds since 1970: unset it, or set it as git log -1 --format=%ct prints it)
endif
export SOURCE_DATE_EPOCH
endif

# A venv that is missing, broken or made by a Python older than PYTHON_MIN is made again.
ifneq ($(shell bash tools/venv.sh --check "$(VENV)" $(PYTHON_MIN)),ok)
$(shell rm -f "$(BOOK_STAMP)" "$(DEV_STAMP)")
endif

.PHONY: help venv lock lint test test-fast livehtml latexpdf pdf dist serve bench cover clean Makefile

# Put it first so that "make" without argument is like "make help".
help:
	@echo "Usage: make <target>"
	@echo
	@echo "The book (any Sphinx builder works the same way: make <builder>):"
	@echo "  html        the web edition           -> $(BUILDDIR)/html/"
	@echo "  singlehtml  the whole essay on one page -> $(BUILDDIR)/singlehtml/"
	@echo "  epub        the EPUB edition          -> $(BUILDDIR)/epub/"
	@echo "  latexpdf    the PDF edition, its log checked -> $(BUILDDIR)/latex/$(SLUG).pdf (alias: pdf)"
	@echo "  dist        PDF, EPUB, web and one-page editions as one static site -> $(BUILDDIR)/dist/"
	@echo "  serve       serve $(BUILDDIR)/dist (or $(BUILDDIR)/html) on http://127.0.0.1:$(PORT)/"
	@echo "  livehtml    rebuild and reload the web edition in the browser as you save (PORT=$(PORT))"
	@echo "  linkcheck   check the links that leave the book"
	@echo
	@echo "Maintenance:"
	@echo "  test        lint, install missing system tools, build every edition and test it"
	@echo "  test-fast   the fast, in-process tests (copy-edits, the extension on a small book)"
	@echo "  lint        the pre-commit hooks (ruff check and format, file hygiene) on every file"
	@echo "  lock        compile requirements.txt and tests/requirements.txt from their .in files"
	@echo "              (UPGRADE=NAME also takes NAME's newest release)"
	@echo "  bench       time the builds and the tests, weigh the pages -> $(BUILDDIR)/bench.json"
	@echo "  cover       the cover, social card and favicon PNGs, titled from CITATION.cff"
	@echo "  venv        create $(VENV) with the locked book and test dependencies"
	@echo "  clean       empty $(BUILDDIR)"

# Files the catch-all must not try to build.
requirements.txt tests/requirements.txt: ;
requirements.in tests/requirements.in: ;

$(BOOK_STAMP): requirements.txt
	@bash tools/venv.sh "$(PYTHON)" "$(VENV)" $(PYTHON_MIN) $(PYTHON_MAX)
	$(PIP_INSTALL) -r requirements.txt
	@touch $@

$(DEV_STAMP): $(BOOK_STAMP) tests/requirements.txt
	$(PIP_INSTALL) -r tests/requirements.txt
	@touch $@

venv: $(DEV_STAMP)

# The locks hold every package with its hashes, for every Python from PYTHON_MIN on;
# the tests' lock is kept to the book's versions.
lock: $(DEV_STAMP)
	$(UV_COMPILE) requirements.in -o requirements.txt
	$(UV_COMPILE) tests/requirements.in -c requirements.txt -o tests/requirements.txt

# The hooks of .pre-commit-config.yaml (ruff among them), on every file.
lint: $(DEV_STAMP)
	PATH="$(abspath $(VENV))/bin:$$PATH" $(VENV)/bin/pre-commit run --all-files --show-diff-on-failure

test-fast: $(DEV_STAMP)
	$(VENV)/bin/python -m pytest -n auto tests/fast

test: lint
	VENV="$(abspath $(VENV))" bash tests/install-system-tools.sh
	$(VENV)/bin/python -m pytest -n auto --dist loadgroup tests

bench: $(DEV_STAMP)
	$(VENV)/bin/python tests/bench.py

# The same folders and options as make html, so the first build reuses its state; one
# process that keeps Sphinx loaded and builds again on each save (tools/live/preview.py),
# with only the book's dependencies.
livehtml: $(BOOK_STAMP)
	$(VENV)/bin/python tools/live/preview.py -d "$(BUILDDIR)/doctrees" --port $(PORT) \
	    $(SPHINXOPTS) $(O) "$(SOURCEDIR)" "$(BUILDDIR)/html"

# Sphinx's latexpdf, then the LaTeX log read for what XeLaTeX only logs: missing
# characters, overfull lines and undefined references fail the build, by chapter.
# One at a time per build folder, LaTeX runs included (flock, from util-linux). A run
# that did not finish (Ctrl-C, a LaTeX error) leaves a mark: latexmk's records of it
# would make every later run fail with "Nothing to do", so the next one starts afresh.
LATEX_UNFINISHED = $(BUILDDIR)/.latexpdf-unfinished
latexpdf: $(BOOK_STAMP)
	@bash tools/need-tex.sh
	@mkdir -p "$(BUILDDIR)"
	@flock "$(BUILDDIR)/.latexpdf.lock" sh -c 'mark="$$1" latex="$$2"; shift 2; \
	    if [ -e "$$mark" ]; then \
	        echo "make latexpdf: the last run did not finish: making the PDF from the start"; \
	        rm -rf "$$latex"; \
	    fi; \
	    touch "$$mark" && "$$@" && rm -f "$$mark"' \
	    latexpdf "$(LATEX_UNFINISHED)" "$(BUILDDIR)/latex" \
	    $(SPHINXBUILD) -M latexpdf "$(SOURCEDIR)" "$(BUILDDIR)" $(SPHINXOPTS) $(O)
	@$(VENV)/bin/python tools/latex_log.py --srcdir "$(SOURCEDIR)" "$(BUILDDIR)/latex/$(SLUG)"

pdf: latexpdf

# The art's title and authors from CITATION.cff (through conf.py), rendered with resvg-py
# (tests/requirements.in) in the book's typeface: tools/cover.py.
ART = cover:800x1280 social:1200x630 favicon:64x64
cover: $(DEV_STAMP)
	@$(VENV)/bin/python tools/cover.py $(ART)

# The PDF and the EPUB first, then the web edition that copies and links them
# (BOOK_DOWNLOADS tells _ext/book/downloads.py where they are), then the one-page edition
# (whose accessibility statement describes that EPUB: _ext/book/accessibility.py).
dist: latexpdf
	@$(SPHINXBUILD) -M epub "$(SOURCEDIR)" "$(BUILDDIR)" $(SPHINXOPTS) $(O)
	@BOOK_DOWNLOADS="$(BUILDDIR)" $(SPHINXBUILD) -b html -d "$(BUILDDIR)/doctrees" \
	    "$(SOURCEDIR)" "$(BUILDDIR)/dist" $(SPHINXOPTS) $(O)
	@BOOK_DOWNLOADS="$(BUILDDIR)" $(SPHINXBUILD) -b singlehtml -d "$(BUILDDIR)/doctrees" \
	    "$(SOURCEDIR)" "$(BUILDDIR)/dist/single" $(SPHINXOPTS) $(O)

serve: $(BOOK_STAMP)
	@$(VENV)/bin/python tools/serve.py --port $(PORT) "$(BUILDDIR)/dist" "$(BUILDDIR)/html"

clean:
	rm -rf "$(BUILDDIR)"

# Catch-all target: route all unknown targets to Sphinx using the new
# "make mode" option.  $(O) is meant as a shortcut for $(SPHINXOPTS).
%: Makefile $(BOOK_STAMP)
	@$(SPHINXBUILD) -M $@ "$(SOURCEDIR)" "$(BUILDDIR)" $(SPHINXOPTS) $(O)
