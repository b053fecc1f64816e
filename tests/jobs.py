"""Work a test session does once, however many pytest-xdist workers ask for it.

A build of an edition, or a slow check of one (EPUBCheck, Ace), is a session fixture
declared with ``@background`` (``@background(needs=...)`` when it works on what other
such fixtures made).  The first worker to ask for it does the work, under a file
lock in the folder the workers share; the others wait on the lock, then read what it
left there: the result, or the skip or failure it ended in, which reaches their tests
too.  This is pytest-xdist's own recipe for session fixtures that must run once
("Making session-scoped fixtures execute only once", its how-to guide), with
``filelock``.  Without xdist the session is the only worker, and the fixture is an
ordinary session fixture.

How long the work took shows as the setup time of the first test that asked for it
(``--durations``).
"""

from __future__ import annotations

import functools
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

#: The background fixtures, each with those it needs, in the order they were declared.
DECLARED: dict[str, tuple[str, ...]] = {}


def starting_order() -> list[str]:
    """The background fixtures in the order to start them: those that need no other
    first, then the others, each in the order they were declared (the longest first)."""
    return sorted(DECLARED, key=lambda name: bool(DECLARED[name]))


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder every worker of this session can read: the parent of each worker's
    own temporary folder under xdist, the session's temporary folder without it."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once(folder: Path, name: str, work: Callable[[], Any]) -> Any:
    """What *work* returns, done by the first worker to ask, read from *folder* (one
    all the workers share) by the others; the skip or failure it ended in, raised
    again in each of them."""
    done = folder / f"{name}.outcome"
    with FileLock(folder / f"{name}.lock"):
        if not done.exists():
            try:
                result = work()
            except pytest.skip.Exception as error:
                done.write_bytes(pickle.dumps(("skip", str(error))))
                raise
            except BaseException as error:
                done.write_bytes(pickle.dumps(("fail", f"{type(error).__name__}: {error}")))
                raise
            done.write_bytes(pickle.dumps(("value", result)))
            return result
        how, value = pickle.loads(done.read_bytes())
    if how == "skip":
        pytest.skip(value)
    if how == "fail":
        pytest.fail(f"{name} failed in another worker: {value}", pytrace=False)
    return value


def background(
    recipe: Callable | None = None, *, needs: tuple[str, ...] = (), waits: bool = False
) -> Any:
    """Declare a session fixture whose work is done once per session (``once``).

    The recipe takes the session's ``tmp_path_factory``, then the values of the
    fixtures it *needs*, in that order; it returns something ``pickle`` can write.
    *waits* is kept for the recipes that declare it (work that mostly waits, on a
    package registry): xdist's other workers go on with their tests meanwhile.
    """

    def declare(recipe: Callable) -> Any:
        name = recipe.__name__
        DECLARED[name] = needs

        @pytest.fixture(scope="session", name=name)
        def fixture(request: pytest.FixtureRequest, tmp_path_factory) -> Any:
            inputs = [request.getfixturevalue(need) for need in needs]
            work = functools.partial(recipe, tmp_path_factory, *inputs)
            return once(shared_folder(tmp_path_factory), name, work)

        fixture.__doc__ = recipe.__doc__
        return fixture

    return declare(recipe) if recipe is not None else declare
