"""A successful build prints Sphinx's progress and nothing else; a failed one, why.

MyST-Parser logs its whole configuration (``myst v5.2.0: MdParserConfig(...)``, one
line of some 1,300 characters) at the start of every build.  That line is dropped
from the log, unless Sphinx runs with ``-v``; the upstream text is in
``docs/upstream.md``.  The filter can go once MyST-Parser logs it only verbosely.

Sphinx 9 prints any exception that stops a build inside a crash report of some 40
lines (its versions, a traceback, "please open an issue at sphinx-doc").  For a
mistake in the book's settings (``conf.py``, ``CITATION.cff``, an environment
variable) or a machine that cannot take the output (a full disk), one line says all
an author can act on: ``stop`` prints it alone under ``sphinx-build`` (``make``).
Upstream text in ``docs/upstream.md``; this can go when Sphinx prints a
``ConfigError`` without the report.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
from pathlib import Path
from typing import NoReturn

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

from . import order

#: Why writing fails that is the machine's, not the book's: a full disk, a spent quota,
#: a read-only file system.
MACHINE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})


def under_sphinx_build() -> bool:
    """Whether this process is ``sphinx-build`` (or ``python -m sphinx``), which prints
    what stops it as a crash report; the tests and the live preview run Sphinx in a
    process of their own and catch what it raises."""
    script = Path(sys.argv[0])
    return script.name == "sphinx-build" or script.parent.name == "sphinx"


def stop(message: str) -> NoReturn:
    """Stop on a mistake in the book's settings, with *message* (which names the file
    and line) alone: under ``sphinx-build`` it is printed and the process exits with
    Sphinx's status for an error, 2; anywhere else it is raised as a ``ConfigError``.
    A message of several lines (YAML's, which quote the file) is cut to its unindented
    lines, which say what is wrong."""
    if under_sphinx_build():
        said = [line for line in message.splitlines() if line.strip() and not line[0].isspace()]
        print(": ".join(said), file=sys.stderr, flush=True)
        sys.stdout.flush()
        os._exit(2)
    raise ConfigError(message)


def machine_error(exception: BaseException | None) -> OSError | None:
    """The full disk (or its siblings) behind *exception*, however Sphinx wrapped it."""
    seen = set()
    while exception is not None and id(exception) not in seen:
        seen.add(id(exception))
        if isinstance(exception, OSError) and exception.errno in MACHINE_ERRORS:
            return exception
        exception = (
            getattr(exception, "orig_exc", None) or exception.__cause__ or exception.__context__
        )
    return None


def stop_on_machine_error(app: Sphinx, exception: Exception | None) -> None:
    """A build the machine cut short (a full disk) ends on one line that says so, after
    the other handlers (the guard marked the output unfinished: the next build of it
    starts afresh)."""
    error = machine_error(exception)
    if error is not None and under_sphinx_build():
        stop(
            f"{error.filename or app.outdir}: {error.strerror}: the build could not be "
            "written; make room, then build again"
        )


#: The logger MyST-Parser's Sphinx extension writes the configuration line to.
MYST_LOGGER = "sphinx.myst_parser.sphinx_ext.main"


class DropConfigurationDump(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "MdParserConfig(" not in record.getMessage()


_filter = DropConfigurationDump()


def quieten(app: Sphinx, config: Config) -> None:
    logger = logging.getLogger(MYST_LOGGER)
    if app.verbosity > 0:
        logger.removeFilter(_filter)
    elif _filter not in logger.filters:
        logger.addFilter(_filter)


def setup(app: Sphinx) -> None:
    app.connect("config-inited", quieten)
    app.connect("build-finished", stop_on_machine_error, priority=order.MACHINE_ERROR)
