"""Sweeps: commodities × shocked countries × shock sizes × years as cascades, split into tasks
of bounded size that run here on every core or on a Dask cluster.

A task is a range of whole cells; its result is one Parquet partition written by the same Rust
function wherever it runs, and a cell's Monte Carlo seed depends only on the spec and the cell,
so the partitions of a Dask run equal those of a local run byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from os import PathLike
from pathlib import Path
from typing import Any

from . import _lodestone
from ._lodestone import InvalidInputError


def _spec_text(spec: str | PathLike[str] | Mapping[str, Any]) -> str:
    """The spec's canonical text (validated): from a dict, a TOML file's path, or TOML text."""
    if isinstance(spec, Mapping):
        return _lodestone.sweep_canonical(json.dumps(spec), "spec (dict)")
    if isinstance(spec, PathLike) or (isinstance(spec, str) and "\n" not in spec and spec.endswith(".toml")):
        path = Path(spec)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise InvalidInputError(f"{path}: {e.strerror or e}") from None
        return _lodestone.sweep_canonical(text, str(path))
    return _lodestone.sweep_canonical(str(spec), "spec")


def sweep_tasks(spec: str | PathLike[str] | Mapping[str, Any]) -> int:
    """How many tasks (Parquet partitions) the spec splits into."""
    return _lodestone.sweep_tasks(_spec_text(spec))


def _run_task(spec_text: str, task: int) -> bytes:
    # Module-level, so Dask pickles it by reference; workers import the installed package.
    return _lodestone.sweep_task(spec_text, task)


def sweep(
    spec: str | PathLike[str] | Mapping[str, Any],
    *,
    out: str | PathLike[str],
    client: Any = None,
    timeout: float = 3600.0,
) -> Path:
    """Runs a sweep and writes one Parquet partition per task into the folder ``out``
    (``part-000000.parquet``, …), the same files ``lodestone sweep spec.toml --out DIR`` writes.

    Without ``client`` the tasks run here on every core; with a
    ``dask.distributed.Client`` each task runs on a worker (one task = one Dask key, named after
    the spec's digest and the task number, retried once) and comes back as Parquet bytes, so
    workers need no shared file system; workers read the embedded snapshot, so a sweep over a
    data folder (``lodestone.open(data=...)``) runs locally. The folder is replaced only by a
    complete run. Returns the folder.
    """
    text = _spec_text(spec)
    folder = Path(out)
    if client is None:
        _lodestone.sweep_local(text, str(folder))
        return folder
    origin = _lodestone.store_origin()
    if origin != "the embedded snapshot":
        raise InvalidInputError(
            f"this process reads {origin}, Dask workers read the embedded snapshot: "
            "run a sweep over a data folder locally (client=None)"
        )
    from distributed import as_completed

    n = _lodestone.sweep_tasks(text)
    staged = _lodestone.SweepFolder(text, str(folder))
    digest = _lodestone.sweep_digest(text)
    keys = [f"lodestone-sweep-{digest}-{i:06d}" for i in range(n)]
    futures = client.map(_run_task, [text] * n, list(range(n)), key=keys, retries=1, pure=True)
    task_of = {f.key: i for i, f in enumerate(futures)}
    # Each partition is staged as it arrives (never all in memory); the folder is replaced only
    # when every task's partition is there.
    for future in as_completed(futures, timeout=timeout):
        staged.put(task_of[future.key], future.result())
    staged.commit()
    return folder
