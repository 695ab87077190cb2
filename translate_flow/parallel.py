"""Parsing and rendering on every core: a batch of independent tasks in worker processes when it is large.

Each worker opens the project for itself and does exactly what the command does alone (same code,
so the same bytes); what it learns (file digests, results) comes back as the state's pending
records and is saved by the command, in task order. Workers ignore Ctrl-C: the command stops
handing out tasks, waits for those running (one article each) and exits as it would alone.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from .errors import InputError
from .model import Report

if TYPE_CHECKING:
    from .pipeline import Project

JOBS_VARIABLE = "TRANSLATE_FLOW_JOBS"
MIN_TASKS = 32  # below this, starting workers costs more than they save
CHUNK = 8  # tasks sent to a worker at a time

_project: Project | None = None  # the worker's own


def workers() -> int:
    """How many processes to use: ``$TRANSLATE_FLOW_JOBS``, else :func:`idle_cores`."""
    value = os.environ.get(JOBS_VARIABLE, "")
    if not value:
        return idle_cores()
    if not value.isdigit() or int(value) < 1:
        raise InputError(f"{JOBS_VARIABLE} must be a whole number of processes, at least 1, not {value!r}")
    return int(value)


def idle_cores() -> int:
    """The cores this process may run on, less those the load average says are busy (as ``make -l`` does).

    On a machine whose cores are all taken, a worker only adds CPU (starting it, sending results back)
    and takes a core from someone else; a cron job on a shared server should not.
    """
    cores = len(os.sched_getaffinity(0))
    try:
        load = os.getloadavg()[0]
    except OSError:  # no load average on this system
        return cores
    # The load average is the whole machine's; a container's share of it is its share of the cores.
    busy = load * cores / (os.cpu_count() or cores)
    return max(1, min(cores, round(cores - busy)))


def run_all(project: Project, method: str, tasks: Sequence[tuple], label: str) -> Iterator[Report]:
    """Each task's report, in task order: ``getattr(project, method)(*task)``, here or in workers."""
    jobs = min(workers(), len(tasks))
    if jobs < 2 or len(tasks) < MIN_TASKS:
        for task in project.progress(tasks, label, len(tasks)):
            yield getattr(project, method)(*task)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    project.state.save()  # workers read the records through their own connection
    # fork: workers start with the modules already imported; nothing here holds a lock or a thread.
    pool = ProcessPoolExecutor(jobs, multiprocessing.get_context("fork"), initializer=_start, initargs=(project.root,))
    try:
        done = pool.map(_run, [(method, task) for task in tasks], chunksize=CHUNK)
        for report, changes in project.progress(done, label, len(tasks)):
            project.state.adopt(changes)
            yield report
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start(root) -> None:
    global _project
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the command decides what Ctrl-C (or SIGTERM) stops
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    from .model import no_progress
    from .pipeline import Project

    _project = Project(root, no_progress)
    _project.state.scan_chars = 0  # one of many: each worker holding the scanned state would multiply it


def _run(job: tuple[str, tuple]) -> tuple[Report, tuple[dict, dict]]:
    method, task = job
    report = getattr(_project, method)(*task)
    return report, _project.state.take_changes()
