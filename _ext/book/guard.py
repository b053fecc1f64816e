"""One build at a time per doctree folder, and a failed build stays failed.

Sphinx keeps what it read in a saved environment and, on the next run, reads
only what changed.  That is fast, but it forgets: a warning that failed one
build is not reported by the next, because the page that caused it is not read
again, and an interrupted build leaves pages and a search index that a later
build takes as they are.  So:

* a build takes a lock on its doctree folder (``book-build.lock``) for as long
  as it runs, so two builds of one checkout never share it at the same time;
  the second waits, and says so;
* a build leaves two marks beside the doctrees as it starts reading, and removes
  them only when it finishes with no exception and no warning (what
  ``suppress_warnings`` hides does not count):

  - ``book-build-unfinished``, about the saved environment, which every builder
    of the checkout shares: a build that finds it drops the environment and reads
    every document again, so every warning is reported again until its cause is
    fixed;
  - ``book-build-unfinished-BUILDER-KEY`` (``KEY`` names the output folder),
    about that output folder alone: a build of it that finds it writes every page
    again, so nothing a failed or interrupted run left there half-written is
    kept.  Another builder's success does not clear it: ``make epub`` after an
    interrupted ``make html`` reads everything again, but the next ``make html``
    still writes every page.  Sphinx's record of how that folder was built
    (``.buildinfo``) is deleted as well: the failed build may have left it cut short
    (a full disk), and Sphinx 9 crashes on a short one (``BuildInfo.load``; upstream
    text in docs/upstream.md); every page is written again anyway.

Only Sphinx's documented events are used: the lock is taken, and a failed build's
environment dropped, at ``config-inited``, before Sphinx loads it; for an application
that builds again (``make livehtml``'s warm preview), the lock is taken again at
``env-get-outdated``, where the marks are set.  ``env-get-outdated`` and
``env-updated`` return the documents to read and write again; ``build-finished``
counts and lets go.  Should Sphinx keep its environment where this does not look
(``app.fresh_env_used`` says so), every document is read again into the old one
instead, and the log says so.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging as stdlib_logging
import os
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from . import order

logger = logging.getLogger(__name__)

LOCK = "book-build.lock"
#: The mark of a saved environment that a failed or interrupted build left.
UNFINISHED = "book-build-unfinished"


def suppressed(record: stdlib_logging.LogRecord, suppress_warnings: Iterable[str]) -> bool:
    """Whether ``suppress_warnings`` hides *record*, as its documentation has it: an
    entry ``type`` or ``type.*`` hides every warning of that type, ``type.subtype``
    that subtype's."""
    kind = getattr(record, "type", None)
    if not kind:
        return False
    subtype = getattr(record, "subtype", None)
    entries = set(suppress_warnings)
    return bool({kind, f"{kind}.*", f"{kind}.{subtype}"} & entries)


class WarningCounter(stdlib_logging.Handler):
    """Whether Sphinx logged a warning or error during one build.

    Only zero matters: Sphinx holds the warnings it logs while reading and logs them
    again once the documents are read, so this sees those twice.  It counts on its
    own, so Sphinx's own count ("build succeeded, 1 warning") is left as it is.
    """

    def __init__(self, suppress_warnings: Iterable[str]) -> None:
        super().__init__(level=stdlib_logging.WARNING)
        self.suppress_warnings = tuple(suppress_warnings)
        self.count = 0

    def emit(self, record: stdlib_logging.LogRecord) -> None:
        if not suppressed(record, self.suppress_warnings):
            self.count += 1


@dataclass
class Build:
    """What the guard keeps about one application's build under way."""

    doctreedir: Path
    counter: WarningCounter | None = None
    fresh: bool = False  # a failed build left the saved environment: it is not used
    loaded: bool = False  # the application loaded its environment for this build
    write_all: bool = False
    marks: list[Path] = field(default_factory=list)


#: The lock files this process holds, by path (an app may be dropped unfinished).
_held: dict[Path, IO[str]] = {}
#: The build under way of each application.
_builds: weakref.WeakKeyDictionary[Sphinx, Build] = weakref.WeakKeyDictionary()


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


def output_mark(doctreedir: Path, builder: str, outdir: Path) -> Path:
    """The mark of one output folder (kept beside the doctrees: the EPUB builder packs
    whatever its output folder holds)."""
    key = hashlib.sha256(str(outdir.resolve()).encode()).hexdigest()[:16]
    return doctreedir / f"{UNFINISHED}-{builder}-{key}"


def _stop_counting(build: Build) -> None:
    if build.counter is not None:
        stdlib_logging.getLogger("sphinx").removeHandler(build.counter)
        build.counter = None


def lock(app: Sphinx, config: Config) -> None:
    """Before Sphinx loads the saved environment: wait for any other build of it, and
    drop it if a failed build left it."""
    doctreedir = Path(app.doctreedir)
    doctreedir.mkdir(parents=True, exist_ok=True)
    take_lock(doctreedir)
    build = _builds[app] = Build(doctreedir, loaded=True)
    if (doctreedir / UNFINISHED).exists():
        build.fresh = True
        # the saved environment is the one pickle at the top of the doctree folder (the
        # doctrees are *.doctree); -E ("don't use a saved environment") has no event
        for saved in doctreedir.glob("*.pickle"):
            saved.unlink()
        logger.info("[book] the last build here failed or was cut short: reading everything again")


def start(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """As each build starts reading: mark it unfinished, and say what to do again."""
    doctreedir = Path(app.doctreedir)
    build = _builds.get(app)
    if build is None or build.counter is not None:  # the same application, building again
        if build is not None:
            _stop_counting(build)  # a build cut short in this process
        if doctreedir / LOCK not in _held:
            take_lock(doctreedir)
        build = _builds[app] = Build(doctreedir, fresh=(doctreedir / UNFINISHED).exists())
    build.counter = WarningCounter(app.config.suppress_warnings)
    stdlib_logging.getLogger("sphinx").addHandler(build.counter)
    environment = doctreedir / UNFINISHED
    output = output_mark(doctreedir, app.builder.name, Path(app.outdir))
    build.marks = [environment, output]
    build.write_all = output.exists()
    for mark in build.marks:
        mark.write_text(f"{app.builder.name} {app.outdir}\n", encoding="utf-8")
    if build.fresh and not (build.loaded and app.fresh_env_used):
        # the environment could not be dropped (an application building again keeps its
        # own, or Sphinx saves it under another name): every document is read again
        # into it instead
        logger.info(
            "[book] the last build here failed or was cut short, and Sphinx kept its "
            "saved environment: reading every document again into it"
        )
        return sorted(env.found_docs)
    if build.write_all and not build.fresh:
        logger.info(
            "[book] the last %s build into %s failed or was cut short: writing every page again",
            app.builder.name, app.outdir,
        )  # fmt: skip
    return []


def forget_build_info(app: Sphinx) -> None:
    """An output folder a failed build left: Sphinx's record of it is not trusted."""
    if output_mark(Path(app.doctreedir), app.builder.name, Path(app.outdir)).exists():
        Path(app.outdir, ".buildinfo").unlink(missing_ok=True)


def write_all(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Every page again, for an output folder a failed build left."""
    build = _builds.get(app)
    return sorted(env.found_docs) if build is not None and build.write_all else []


def finish(app: Sphinx, exception: Exception | None) -> None:
    build = _builds.pop(app, None)
    if build is None:
        return
    counted = build.counter.count if build.counter is not None else 0
    _stop_counting(build)
    if exception is None and counted == 0:
        for mark in build.marks:
            mark.unlink(missing_ok=True)
    _release(build.doctreedir / LOCK)


def setup(app: Sphinx) -> None:
    app.connect("config-inited", lock, priority=order.GUARD_START)
    app.connect("builder-inited", forget_build_info)
    app.connect("env-get-outdated", start, priority=order.GUARD_START)
    app.connect("env-updated", write_all)
    app.connect("build-finished", finish, priority=order.GUARD_FINISH)
