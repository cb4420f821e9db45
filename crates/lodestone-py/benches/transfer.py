"""Arrow transfer benchmark: `lodestone.trade` (Rust use case + typed tables + Arrow IPC +
DataFrame in Python) against the Rust computation alone, in one run.

    python crates/lodestone-py/benches/transfer.py [commodity ...]

Prints the median of N runs per path and the ratio to the Rust-only baseline (target: < 2×).
Run it on a release wheel (`maturin build --release`) for representative figures."""

from __future__ import annotations

import statistics
import sys
import time

import lodestone
from lodestone import _lodestone

RUNS = 15


def median_seconds(f) -> float:
    f()  # warm: the store opens on first use
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(commodities: list[str]) -> None:
    print(f"{'commodity':<10} {'rows':>6} {'rust only':>10} {'native':>10} {'pandas':>10} {'polars':>10} {'ratio':>6}")
    for c in commodities:
        q: list[tuple[str, str]] = []
        rust = statistics.median(_lodestone._trade_compute_seconds(c, q) for _ in range(RUNS))
        native = median_seconds(lambda: _lodestone.trade(c, q))
        pandas = median_seconds(lambda: lodestone.trade(c))
        polars = median_seconds(lambda: lodestone.trade(c, backend="polars"))
        rows = len(lodestone.trade(c))
        ratio = max(pandas, polars) / rust
        print(f"{c:<10} {rows:>6} {rust*1e3:>8.2f}ms {native*1e3:>8.2f}ms {pandas*1e3:>8.2f}ms {polars*1e3:>8.2f}ms {ratio:>5.2f}×")


if __name__ == "__main__":
    main(sys.argv[1:] or ["copper", "tungsten", "lithium", "cobalt"])
