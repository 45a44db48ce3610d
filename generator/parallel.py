"""Running independent pieces of work on every core.

The pieces are closures over the site's model, which is big: instead of being
pickled they are inherited by forked worker processes (Linux); only their
results travel back. Where fork is not available, or one core is all there is,
they simply run one after the other.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from typing import Any

log = logging.getLogger(__name__)


def jobs_wanted() -> int:
    """Worker processes: CCHC_JOBS if set (1 disables them), else the cores."""
    env = os.environ.get("CCHC_JOBS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


_jobs: Sequence[Callable[[], Any]] = ()


def _run(index: int):
    return _jobs[index]()


def run_forked(jobs: Sequence[Callable[[], Any]], workers: int | None = None) -> list:
    """The result of each job, in order; jobs run in forked processes."""
    global _jobs
    workers = min(workers or jobs_wanted(), len(jobs))
    if workers <= 1 or not hasattr(os, "fork"):
        return [job() for job in jobs]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _jobs = jobs
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_run, range(len(jobs))))
    finally:
        _jobs = ()


def start_forked(job: Callable[[], Any]):
    """Start ``job`` now in a forked process of its own and return its Future
    (with the executor to shut down), or None where fork is not available.
    Fork before any thread of this process starts: the child inherits the
    model as it is at this moment."""
    global _jobs
    if not hasattr(os, "fork"):
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    _jobs = [job]
    try:
        future = executor.submit(_run, 0)  # the worker is forked here, with this job list
    finally:
        _jobs = ()
    return executor, future
