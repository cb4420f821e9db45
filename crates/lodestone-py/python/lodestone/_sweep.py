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


def _spec_text(spec: str | PathLike[str] | Mapping[str, Any]) -> str:
    """The spec's canonical text (validated): from a dict, a TOML file's path, or TOML text."""
    if isinstance(spec, Mapping):
        return _lodestone.sweep_canonical(json.dumps(spec), "spec (dict)")
    if isinstance(spec, PathLike) or (isinstance(spec, str) and "\n" not in spec and spec.endswith(".toml")):
        path = Path(spec)
        return _lodestone.sweep_canonical(path.read_text(encoding="utf-8"), str(path))
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
    workers need no shared file system. Returns the folder.
    """
    text = _spec_text(spec)
    folder = Path(out)
    n = _lodestone.sweep_tasks(text)
    if client is None:
        _lodestone.sweep_local(text, str(folder))
        return folder
    from distributed import wait

    digest = _lodestone.sweep_digest(text)
    keys = [f"lodestone-sweep-{digest}-{i:06d}" for i in range(n)]
    futures = client.map(_run_task, [text] * n, list(range(n)), key=keys, retries=1, pure=True)
    wait(futures, timeout=timeout)
    parts = [(i, f.result()) for i, f in enumerate(futures)]
    _lodestone.sweep_write(str(folder), parts)
    return folder
