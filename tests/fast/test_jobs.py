"""Work a test session does once (``tests/jobs.py``), however many pytest-xdist workers
ask for it: done once, and its value, skip or failure reaching every worker."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from jobs import once


def test_work_several_workers_ask_for_at_once_is_done_once(tmp_path):
    runs = []
    started = threading.Event()

    def build():
        runs.append(1)
        started.wait(timeout=5)  # the other workers ask while it works
        return "built"

    results = []
    workers = [
        threading.Thread(target=lambda: results.append(once(tmp_path, "html", build)))
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    started.set()
    for worker in workers:
        worker.join(timeout=10)
    assert results == ["built"] * 4
    assert runs == [1]


@dataclass
class Built:
    outdir: Path
    log: str


def test_a_worker_that_did_not_do_the_work_reads_what_it_made(tmp_path):
    made = Built(tmp_path / "html", "build succeeded.")
    assert once(tmp_path, "html", lambda: made) == made
    assert once(tmp_path, "html", lambda: pytest.fail("done twice")) == made


def test_a_skip_in_the_work_reaches_every_worker_that_asks(tmp_path):
    for _ in range(2):
        with pytest.raises(pytest.skip.Exception, match="epubcheck is not installed"):
            once(tmp_path, "epubcheck", lambda: pytest.skip("epubcheck is not installed"))


def test_a_failure_in_the_work_fails_the_other_workers_naming_the_work(tmp_path):
    def broken():
        raise RuntimeError("make dist exited 2")

    with pytest.raises(RuntimeError, match="make dist exited 2"):
        once(tmp_path, "dist", broken)
    with pytest.raises(pytest.fail.Exception, match=r"dist failed in another worker: .*exited 2"):
        once(tmp_path, "dist", broken)
