#!/usr/bin/env python3
"""A vectorised NumPy implementation of the same published Marchand et al. 2016 cascade as
crates/lodestone-cascade/src/marchand.rs — a reference for the benchmark, not shipped.

usage: python marchand_numpy.py DIR
Reads DIR/cascade-network.json, runs the cascade, compares with DIR/cascade-rust.json (relative
tolerance 1e-9), times one deterministic cascade and Monte Carlo draws (lognormal link noise,
uniform stocks and consumption-cut fraction), and prints the ratios against
DIR/cascade-rust-timing.txt.
"""
import json
import sys
import time

import numpy as np


def cascade(E0, stocks0, supply0, shock, cfrac, threshold, max_rounds):
    """The published Marchand et al. 2016 rule (one proportion over exports and open imports,
    per-country absorption below threshold x current supply, shocked countries do not raise
    exports), written from the paper and ../shared/METHODS.md, vectorised."""
    E = E0.copy()
    R = stocks0.copy()
    S = supply0.copy()
    s = np.maximum(shock, 0.0)
    n = len(s)
    draw = np.zeros(n)
    cons = np.zeros(n)
    shocked = np.zeros(n, dtype=bool)
    rounds = 0
    if not (s > 0).any():
        return draw + cons, E, rounds
    for _ in range(max_rounds):
        rounds += 1
        a = np.minimum(s, R)
        left = s - a
        shocked |= left > 0
        c = cfrac * left
        rest = (1.0 - cfrac) * left
        T = E.sum(axis=1) + (E * (~shocked)[:, None]).sum(axis=0)
        passed = np.where(np.abs(rest) < threshold * S, 0.0, np.minimum(rest, T))
        c = c + rest - passed
        p = np.where(T != 0, passed / np.where(T != 0, T, 1.0), 0.0)
        dE = (np.where(shocked, 0.0, 1.0)[:, None] * p[None, :] - p[:, None]) * E
        E = E + dE
        R = R - a
        S = S - a - c
        draw += a
        cons += c
        s = dE.sum(axis=1) - dE.sum(axis=0) + passed
        if abs(s.max()) <= 1.4901161193847656e-08:
            break
    return draw + cons, E, rounds


def main():
    d = sys.argv[1]
    net = json.load(open(f"{d}/cascade-network.json"))
    n = net["n"]
    E = np.zeros((n, n))
    E[np.array(net["from"]), np.array(net["to"])] = np.array(net["tonnes"])
    stocks = np.array(net["stocks"])
    supply = np.array(net["supply"])
    shock = np.array(net["shock"])
    args = (net["consumption_cut"], net["threshold"], net["max_rounds"])
    loss, E_after, rounds = cascade(E, stocks, supply, shock, *args)
    ref = json.load(open(f"{d}/cascade-rust.json"))
    ours = np.array(ref["loss"])
    scale = max(1.0, np.abs(ours).max())
    diff = np.abs(loss - ours).max() / scale
    after = E_after[np.array(net["from"]), np.array(net["to"])]
    tdiff = np.abs(after - np.array(ref["tonnes_after"])).max() / max(1.0, np.abs(after).max())
    ok = diff < 1e-9 and tdiff < 1e-9 and rounds == ref["rounds"]
    print(f"numpy {np.__version__}: same result as Lodestone: {'yes' if ok else 'NO'} "
          f"(max relative difference: losses {diff:.2e}, links {tdiff:.2e}; rounds {rounds} vs {ref['rounds']})")
    reps = 50
    t = time.perf_counter()
    for _ in range(reps):
        cascade(E, stocks, supply, shock, *args)
    one = (time.perf_counter() - t) / reps
    rng = np.random.default_rng(7)
    draws = 200
    mask = E > 0
    t = time.perf_counter()
    for _ in range(draws):
        z = rng.standard_normal((n, n))
        Ed = np.where(mask, E * np.exp(0.1 * z - 0.005), 0.0)
        months = rng.uniform(0.0, 2.0)
        cf = rng.uniform(0.2, 0.4)
        cascade(Ed, np.maximum(supply, 0.0) * months / 12.0, supply, shock, cf, net["threshold"], net["max_rounds"])
    per_draw = (time.perf_counter() - t) / draws
    rust = open(f"{d}/cascade-rust-timing.txt").read().strip().split(",")
    r_one, r_draw = float(rust[0]), float(rust[1])
    print(f"numpy: one deterministic cascade {one * 1e6:.0f} µs; Monte Carlo {per_draw * 1e6:.0f} µs per draw "
          f"(10,000 draws ≈ {per_draw * 1e4:.1f} s)")
    print(f"ratio: deterministic {one / r_one:.1f}×, per Monte Carlo draw {per_draw / r_draw:.1f}× (Lodestone on all cores)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
