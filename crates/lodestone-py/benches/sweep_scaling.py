"""Sweep throughput (cascades per second): the local rayon run against Dask with 1 and 2
single-threaded workers, in one run, on the same spec.

    python crates/lodestone-py/benches/sweep_scaling.py [draws]

Needs dask[distributed]. Each configuration runs the whole spec once after a warm-up task."""

from __future__ import annotations

import logging
import sys
import tempfile
import time
from pathlib import Path

import lodestone


def spec(draws: int) -> dict:
    return {
        "name": "scaling",
        "commodities": ["tungsten", "antimony", "cobalt", "graphite"],
        "shocked": ["CHN", "c5", "RUS"],
        "kind": "exports",
        "shocks": [0.5, 1.0],
        "years": [2022],
        "draws": draws,
        "seed": 1,
        "max_cells_per_task": 1,
    }


def main(draws: int) -> None:
    from distributed import Client, LocalCluster

    s = spec(draws)
    cells = lodestone.sweep_tasks(s)  # one cell per task
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        lodestone.sweep(s, out=out / "warm")
        start = time.perf_counter()
        lodestone.sweep(s, out=out / "local")
        local = time.perf_counter() - start
        rows = [("local (rayon, all cores)", local)]
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              dashboard_address=":0", silence_logs=logging.WARNING) as cluster, \
                    Client(cluster) as client:
                client.run(lambda: __import__("lodestone").groups())  # open the store on each worker
                start = time.perf_counter()
                lodestone.sweep(s, out=out / f"dask{workers}", client=client)
                rows.append((f"dask, {workers} worker(s)", time.perf_counter() - start))
    print(f"{cells} cells × {draws} draws")
    for name, secs in rows:
        print(f"{name:<26} {secs:7.2f} s  {cells / secs:7.2f} cascades/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
