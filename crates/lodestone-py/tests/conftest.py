"""Shared fixtures: the CLI binary (to compare messages and sweep files) and a Dask cluster."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def cli() -> str:
    """The `lodestone` binary built from the same tree (LODESTONE_BIN, else target/debug)."""
    path = os.environ.get("LODESTONE_BIN") or str(Path(__file__).resolve().parents[3] / "target/debug/lodestone")
    if not Path(path).is_file():
        pytest.skip(f"no lodestone binary at {path}; set LODESTONE_BIN")
    return path


@pytest.fixture(scope="module")
def dask_client():
    """A local Dask cluster of 2 single-threaded worker processes."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.WARNING,
    ) as cluster, distributed.Client(cluster, timeout="60s") as client:
        yield client


@pytest.fixture()
def workdir(tmp_path: Path) -> Path:
    yield tmp_path
    shutil.rmtree(tmp_path, ignore_errors=True)
