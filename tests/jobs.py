"""Background jobs for the test session: the builds and the slow checks, side by side.

A job is a session fixture declared with ``@background`` (or ``@background(needs=...)``
when it works on other jobs' results).  As the session starts, every job a collected
test needs is scheduled, with the jobs it needs, on a small thread pool, one worker
per core.  A job is handed to the pool only once the jobs it needs have finished, so
no worker ever waits for a job queued behind it.  A job that mostly waits (on a
browser's frames, on a package registry) is declared ``waits=True`` and gets a thread
of its own instead, so it holds no worker from the builds.  A skip or a failure raised
in a job reaches every test that uses it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest


class Jobs:
    """Named recipes, each run at most once, after the recipes it needs."""

    def __init__(self, workers: int) -> None:
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="job")
        self.recipes: dict[str, tuple[Callable[..., Any], tuple[str, ...], bool]] = {}
        #: The session's collected tests, for a job that works for some of them.
        self.items: list[pytest.Item] = []
        #: How long each job took, and each part of one that reports its parts.
        self.durations: list[tuple[float, str]] = []
        self._futures: dict[str, Future] = {}
        self._lock = threading.Lock()

    def declare(
        self, name: str, recipe: Callable[..., Any], needs: tuple[str, ...], waits: bool = False
    ) -> None:
        self.recipes[name] = (recipe, needs, waits)

    def start(self, name: str, *args: Any) -> Future:
        """The job's future, starting it (and what it needs) if it has not started."""
        with self._lock:
            if name in self._futures:
                return self._futures[name]
            result: Future = Future()
            self._futures[name] = result
        recipe, needs, waits = self.recipes[name]
        inputs = [self.start(need, *args) for need in needs]

        def work() -> None:
            started = time.perf_counter()
            try:
                result.set_result(recipe(*args, *(i.result() for i in inputs)))
            except BaseException as error:  # a skip or a failure reaches the tests
                result.set_exception(error)
            self.durations.append((time.perf_counter() - started, f"job {name}"))

        def submit() -> None:
            if waits:
                threading.Thread(target=work, name=f"job-{name}", daemon=True).start()
            else:
                self.pool.submit(work)

        waiting = [len(inputs)]

        def one_done(_: Future) -> None:
            with self._lock:
                waiting[0] -= 1
                ready = waiting[0] == 0
            if ready:
                submit()

        if not inputs:
            submit()
        for future in inputs:
            future.add_done_callback(one_done)
        return result

    def shutdown(self, wait: bool = True) -> None:
        self.pool.shutdown(wait=wait, cancel_futures=True)


JOBS = Jobs(workers=os.cpu_count() or 2)


def background(
    recipe: Callable | None = None, *, needs: tuple[str, ...] = (), waits: bool = False
) -> Any:
    """Declare a session fixture whose work runs in the background.

    The recipe takes the session's ``tmp_path_factory``, then the results of the jobs
    it *needs*, in that order.  A recipe that *waits* more than it works runs in a
    thread of its own.
    """

    def declare(recipe: Callable) -> Any:
        name = recipe.__name__
        JOBS.declare(name, recipe, needs, waits)

        @pytest.fixture(scope="session", name=name)
        def fixture(tmp_path_factory: pytest.TempPathFactory) -> Any:
            return JOBS.start(name, tmp_path_factory).result()

        fixture.__doc__ = recipe.__doc__
        return fixture

    return declare(recipe) if recipe is not None else declare
