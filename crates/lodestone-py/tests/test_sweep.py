"""Sweeps: a Dask run on a local cluster of 2 workers writes the same partitions, byte for byte,
as the local run and as `lodestone sweep`; a spec reads the same from TOML or a dict."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest

import lodestone
from lodestone import _lodestone

SPEC = """
name = "C5 and China shocks"
commodities = ["tungsten", "antimony"]
shocked = ["CHN", "KAZ", "c5"]
kind = "exports"
shocks = [0.5, 1.0]
years = [2022]
draws = 30
seed = 7
max_cells_per_task = 2
"""


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_dict_and_toml_are_the_same_spec() -> None:
    d = {
        "seed": 7,
        "name": "C5 and China shocks",
        "commodities": ["antimony", "tungsten"],
        "shocked": ["Kazakhstan", "China", "c5"],
        "kind": "exports",
        "shocks": [1.0, 0.5],
        "years": [2022],
        "draws": 30,
        "max_cells_per_task": 2,
    }
    assert lodestone.sweep_tasks(d) == lodestone.sweep_tasks(SPEC) == 6


def test_dask_equals_local_and_the_cli_byte_for_byte(tmp_path: Path, dask_client, cli: str) -> None:
    spec_file = tmp_path / "spec.toml"
    spec_file.write_text(SPEC, encoding="utf-8")
    local = lodestone.sweep(spec_file, out=tmp_path / "local.parquet")
    dask = lodestone.sweep(SPEC, out=tmp_path / "dask.parquet", client=dask_client, timeout=600)
    subprocess.run([cli, "sweep", str(spec_file), "--out", str(tmp_path / "cli.parquet")], check=True, timeout=600)
    a, b, c = files(local), files(dask), files(tmp_path / "cli.parquet")
    assert list(a) == [f"part-{i:06d}.parquet" for i in range(6)]
    assert a == b == c
    df = pd.read_parquet(dask)
    assert sorted(df["cell"].unique()) == list(range(12))
    assert df["task"].nunique() == 6
    # Every cell has rows: countries hit, or a note saying why the shock hit nothing.
    assert (df["country"].notna() | df["note"].notna()).all()
    hit = df.dropna(subset=["loss_p05_t"])
    assert (hit["loss_p05_t"] <= hit["loss_p95_t"] + 1e-9).all()


def test_an_incomplete_run_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "r.parquet"
    lodestone.sweep(SPEC, out=out)
    before = files(out)
    text = _lodestone.sweep_canonical(SPEC, "spec")
    staged = _lodestone.SweepFolder(text, str(out))
    staged.put(0, _lodestone.sweep_task(text, 0))
    with pytest.raises(lodestone.InternalError, match="partition 1 of 6 was never written"):
        staged.commit()
    assert files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.parquet"], "no staging folder left"


def test_dask_refuses_a_sweep_over_another_data_folder(tmp_path: Path, dask_client) -> None:
    data = Path(__file__).resolve().parents[3] / "data"
    lodestone.open(data=data)
    try:
        with pytest.raises(lodestone.InvalidInputError, match="Dask workers read the embedded snapshot"):
            lodestone.sweep(SPEC, out=tmp_path / "x", client=dask_client)
    finally:
        lodestone.open()


def test_a_rerun_into_the_folder_leaves_no_stale_partition(tmp_path: Path) -> None:
    out = tmp_path / "r.parquet"
    lodestone.sweep(SPEC, out=out)
    small = SPEC.replace('shocked = ["CHN", "KAZ", "c5"]', 'shocked = ["CHN"]')
    lodestone.sweep(small, out=out)
    assert sorted(p.name for p in out.iterdir()) == [f"part-{i:06d}.parquet" for i in range(lodestone.sweep_tasks(small))]
    (out / "notes.txt").write_text("mine")
    with pytest.raises(lodestone.InvalidInputError, match="not a sweep partition"):
        lodestone.sweep(small, out=out)
    assert (out / "notes.txt").read_text() == "mine"
    with pytest.raises(lodestone.InvalidInputError, match="no.such"):
        lodestone.sweep_tasks(tmp_path / "no.such.toml")
