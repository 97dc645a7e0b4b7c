"""Where the runs of a sweep execute: this process, local worker processes, or a Dask cluster.

Every executor takes a picklable top-level function and a list of tasks and yields
``(task_index, result)`` as runs finish, in whatever order they finish.  The caller puts each
result in its slot by index, so the numbers never depend on the executor, the worker count or
the finishing order; only the progress bar sees the order.

* ``SerialExecutor`` -- in this process (``--workers 1``; also what tests drive directly).
* ``LocalExecutor`` -- ``concurrent.futures.ProcessPoolExecutor`` with ``--workers`` processes
  (default: every core).  Workers ignore SIGINT: on Ctrl-C the parent cancels what is queued
  and terminates the workers, so one key press stops everything without a traceback per core.
* ``DaskExecutor`` -- ``--executor dask://HOST:PORT`` (or ``tcp://HOST:PORT``): the runs go to a
  ``dask.distributed`` scheduler.  Dask is an optional extra (``pip install .[dask]``); the
  workers must be able to import ``sim`` and ``planning`` (same checkout or installed package).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any


class ExecutorError(RuntimeError):
    """An executor that cannot be used; ``str(err)`` is the one line to show."""


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class SerialExecutor:
    """Runs every task here, in order: no processes, easiest to debug and to interrupt."""

    name = "serial"
    workers = 1

    def run(self, fn: Callable[[Any], Any], tasks: list[Any]) -> Iterator[tuple[int, Any]]:
        for i, task in enumerate(tasks):
            yield i, fn(task)

    def close(self) -> None:
        pass


def _context() -> multiprocessing.context.BaseContext:
    """``forkserver`` where it exists: workers forked from a clean single-threaded server, not
    from this process, which may hold threads (a Dask client, a test runner) whose locks a
    plain ``fork`` would copy mid-use.  ``spawn`` elsewhere."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class LocalExecutor:
    """A pool of worker processes on this machine."""

    name = "local"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()
        self._pool: ProcessPoolExecutor | None = None

    def run(self, fn: Callable[[Any], Any], tasks: list[Any]) -> Iterator[tuple[int, Any]]:
        pool = ProcessPoolExecutor(max_workers=min(self.workers, max(1, len(tasks))),
                                   mp_context=_context(), initializer=_ignore_sigint)
        self._pool = pool
        futures = {pool.submit(fn, task): i for i, task in enumerate(tasks)}
        pending = set(futures)
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in sorted(done, key=futures.__getitem__):
                    yield futures[fut], fut.result()
        except BaseException:  # Ctrl-C, a failed run, or the caller closing the generator
            self._kill()
            raise
        pool.shutdown(wait=True)
        self._pool = None

    def _kill(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in processes:  # runs already started would otherwise finish first
            if proc.is_alive():
                proc.terminate()
        for proc in processes:
            proc.join(timeout=5)

    def close(self) -> None:
        self._kill()


class DaskExecutor:
    """Runs on a ``dask.distributed`` cluster: give a scheduler address or a ``Client``."""

    name = "dask"

    def __init__(self, address: str | None = None, client: Any = None,
                 timeout_s: float = 10.0) -> None:
        try:
            from dask.distributed import Client
        except ImportError:
            raise ExecutorError("the Dask executor needs dask.distributed: "
                                "pip install 'dask[distributed]' (or .[dask])") from None
        self._own_client = client is None
        if client is None:
            try:
                client = Client(address, timeout=f"{timeout_s}s", set_as_default=False)
            except (OSError, TimeoutError, ValueError) as e:
                detail = " ".join(str(e).split()) or type(e).__name__
                raise ExecutorError(f"cannot reach the Dask scheduler at {address}: "
                                    f"{detail}") from None
        self.client = client
        try:
            self.workers = max(1, sum(client.nthreads().values()))
        except Exception:  # noqa: BLE001 -- only for the progress line
            self.workers = 1

    def run(self, fn: Callable[[Any], Any], tasks: list[Any]) -> Iterator[tuple[int, Any]]:
        from dask.distributed import as_completed

        futures = self.client.map(fn, tasks, pure=False)
        index = {fut.key: i for i, fut in enumerate(futures)}
        try:
            for fut in as_completed(futures, loop=self.client.loop):
                yield index[fut.key], fut.result()
        except BaseException:
            self.client.cancel(futures)
            raise

    def close(self) -> None:
        if self._own_client:
            self.client.close()


def make_executor(spec: str | None, workers: int | None) -> SerialExecutor | LocalExecutor \
        | DaskExecutor:
    """``--executor`` and ``--workers`` -> an executor.  ``local`` (default) or
    ``dask://HOST:PORT`` / ``tcp://HOST:PORT``; ``--workers 1`` with ``local`` runs in-process."""
    spec = (spec or "local").strip()
    if spec == "local":
        if workers is not None and workers < 1:
            raise ExecutorError(f"--workers must be >= 1, got {workers}")
        return SerialExecutor() if workers == 1 else LocalExecutor(workers)
    for scheme in ("dask://", "tcp://"):
        if spec.startswith(scheme):
            hostport = spec[len(scheme):]
            if not hostport or ":" not in hostport or not hostport.rsplit(":", 1)[1].isdigit():
                raise ExecutorError(f"--executor {spec!r}: expected dask://HOST:PORT")
            return DaskExecutor("tcp://" + hostport)
    raise ExecutorError(f"--executor {spec!r}: expected 'local' or dask://HOST:PORT")
