"""Run independent reconstruction tasks on local processes (joblib) or on a Dask cluster.

The ensemble and the envelope both consist of tasks that depend only on their arguments (a seed, a
statistic); :func:`run_tasks` runs them on ``jobs`` local worker processes (joblib's loky backend) or, given
``scheduler='tcp://HOST:PORT'``, on an existing Dask distributed cluster, and hands each result to a
callback as soon as it arrives, so that a long run can be checkpointed and resumed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any


def run_tasks(
    func: Callable[..., Any],
    args: Sequence[tuple],
    jobs: int = 1,
    scheduler: str | None = None,
    progress: bool = True,
    desc: str = "tasks",
    on_result: Callable[[int, Any], None] | None = None,
) -> list[Any]:
    """``[func(*a) for a in args]``, in parallel, in the order of ``args`` whatever the completion order.

    Parameters
    ----------
    func : callable
        A picklable top-level function.
    args : sequence of tuple
        One argument tuple per task.
    jobs : int
        Local worker processes (1 runs in this process; -1 all cores).
    scheduler : str, optional
        Address of a Dask scheduler; when given, ``jobs`` is ignored.
    progress : bool
        Show a progress bar on stderr.
    desc : str
        The progress bar's label.
    on_result : callable, optional
        Called as ``on_result(index, result)`` in this process as each task finishes.

    Returns
    -------
    list
        The results.
    """
    from tqdm.auto import tqdm

    results: dict[int, Any] = {}
    bar = tqdm(total=len(args), desc=desc, unit="task", disable=not progress, file=sys.stderr)

    def done(i: int, result: Any) -> None:
        results[i] = result
        if on_result is not None:
            on_result(i, result)
        bar.update()

    try:
        if scheduler is not None:
            from distributed import Client, as_completed

            with Client(scheduler) as client:
                futures = {client.submit(_indexed, func, i, a, pure=False): i for i, a in enumerate(args)}
                for fut in as_completed(futures):
                    done(*fut.result())
        elif jobs == 1:
            for i, a in enumerate(args):
                done(i, func(*a))
        else:
            from joblib import Parallel, delayed

            parallel = Parallel(n_jobs=jobs, backend="loky", return_as="generator_unordered")
            for i, result in parallel(delayed(_indexed)(func, i, a) for i, a in enumerate(args)):
                done(i, result)
    finally:
        bar.close()
    return [results[i] for i in range(len(args))]


def _indexed(func: Callable[..., Any], index: int, a: tuple) -> tuple[int, Any]:
    return index, func(*a)
