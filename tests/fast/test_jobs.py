"""The test session's background jobs: dependencies first, and no worker waits on a queue."""

from __future__ import annotations

import threading
import time

import pytest

from jobs import Jobs


def test_jobs_that_need_a_job_queued_behind_them_do_not_deadlock():
    """Two workers, and the two jobs that need ``epub`` are asked for first: with jobs
    that waited inside a worker, both workers would wait for ``epub`` forever."""
    jobs = Jobs(workers=2)
    jobs.declare("epub", lambda: time.sleep(0.05) or "book.epub", ())
    jobs.declare("epubcheck", lambda epub: f"checked {epub}", ("epub",))
    jobs.declare("ace", lambda epub: f"read {epub}", ("epub",))
    try:
        checks = [jobs.start("epubcheck"), jobs.start("ace")]
        assert [f.result(timeout=10) for f in checks] == ["checked book.epub", "read book.epub"]
    finally:
        jobs.shutdown(wait=False)  # a stuck worker must not hang the test


def test_a_job_runs_once_however_many_threads_ask_for_it():
    jobs = Jobs(workers=2)
    runs = []
    jobs.declare("build", lambda: runs.append(1) or len(runs), ())
    threads = [threading.Thread(target=jobs.start, args=("build",)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert jobs.start("build").result(timeout=10) == 1
        assert runs == [1]
    finally:
        jobs.shutdown(wait=False)  # a stuck worker must not hang the test


def test_a_skip_in_a_job_reaches_the_jobs_that_need_it():
    jobs = Jobs(workers=1)
    jobs.declare("epub", lambda: pytest.skip("no epubcheck"), ())
    jobs.declare("epubcheck", lambda epub: epub, ("epub",))
    try:
        with pytest.raises(pytest.skip.Exception, match="no epubcheck"):
            jobs.start("epubcheck").result(timeout=10)
    finally:
        jobs.shutdown(wait=False)  # a stuck worker must not hang the test


def test_a_job_that_waits_holds_no_worker_from_the_builds():
    """One worker, busy until a job that waits has started: the waiting job runs
    beside it, on a thread of its own, not after it."""
    jobs = Jobs(workers=1)
    started = threading.Event()
    jobs.declare("build", lambda: started.wait(timeout=10) and "built", ())
    jobs.declare("browse", lambda: started.set() or "browsed", (), waits=True)
    try:
        build = jobs.start("build")
        assert jobs.start("browse").result(timeout=10) == "browsed"
        assert build.result(timeout=10) == "built"
    finally:
        jobs.shutdown(wait=False)  # a stuck worker must not hang the test
