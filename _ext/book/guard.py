"""One build at a time per build folder, and a failed build stays failed.

Sphinx keeps what it read in a saved environment and, on the next run, reads
only what changed.  That is fast, but it forgets: a warning that failed one
build is not reported by the next, because the page that caused it is not read
again, and an interrupted build leaves a half-written search index that a
later build takes as it is.  So:

* a build takes a lock on its doctree folder (``book-build.lock``) for as long
  as it runs, so two builds of one checkout never share it at the same time;
  the second waits, and says so;
* a build marks its doctree folder (``book-build-unfinished``) as it starts,
  and removes the mark only when it finishes with no exception and no warning.
  A build that finds the mark starts from a fresh environment: it reads and
  writes everything again, so every warning is reported again until its cause
  is fixed, and nothing a failed or interrupted run left behind is trusted.
"""

from __future__ import annotations

import fcntl
import logging as stdlib_logging
import os
from pathlib import Path
from typing import IO

from sphinx.application import ENV_PICKLE_FILENAME, Sphinx
from sphinx.config import Config
from sphinx.util import logging
from sphinx.util.logging import WarningSuppressor

from . import order

logger = logging.getLogger(__name__)

LOCK = "book-build.lock"
UNFINISHED = "book-build-unfinished"


class WarningCounter(stdlib_logging.Handler):
    """Counts the warnings and errors Sphinx logs during one build."""

    def __init__(self) -> None:
        super().__init__(level=stdlib_logging.WARNING)
        self.count = 0

    def emit(self, record: stdlib_logging.LogRecord) -> None:
        self.count += 1


#: The lock files this process holds, by path (an app may be dropped unfinished).
_held: dict[Path, IO[str]] = {}
#: The warning counter of each running build, by doctree folder.
_counters: dict[Path, WarningCounter] = {}


def _release(path: Path) -> None:
    handle = _held.pop(path, None)
    if handle is not None:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def take_lock(doctreedir: Path) -> None:
    """Wait until no other build uses this doctree folder, then hold it."""
    path = doctreedir / LOCK
    _release(path)
    handle = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        other = handle.read().strip() or "another process"
        logger.info("[book] waiting for the build already running here (%s) to finish", other)
        fcntl.flock(handle, fcntl.LOCK_EX)
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}\n")
    handle.flush()
    _held[path] = handle


def start(app: Sphinx, config: Config) -> None:
    doctreedir = Path(app.doctreedir)
    doctreedir.mkdir(parents=True, exist_ok=True)
    take_lock(doctreedir)
    mark = doctreedir / UNFINISHED
    saved = doctreedir / ENV_PICKLE_FILENAME
    if mark.exists() and saved.exists():
        logger.info("[book] the last build here failed or was cut short: reading everything again")
        saved.unlink()
    mark.touch()
    counter = _counters[doctreedir] = WarningCounter()
    counter.addFilter(WarningSuppressor(app))  # what suppress_warnings hides does not count
    stdlib_logging.getLogger("sphinx").addHandler(counter)


def finish(app: Sphinx, exception: Exception | None) -> None:
    doctreedir = Path(app.doctreedir)
    counter = _counters.pop(doctreedir)
    stdlib_logging.getLogger("sphinx").removeHandler(counter)
    if exception is None and counter.count == 0:
        (doctreedir / UNFINISHED).unlink(missing_ok=True)
    _release(doctreedir / LOCK)


def setup(app: Sphinx) -> None:
    app.connect("config-inited", start, priority=order.GUARD_START)
    app.connect("build-finished", finish, priority=order.GUARD_FINISH)
