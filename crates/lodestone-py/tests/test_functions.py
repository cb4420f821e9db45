"""Every function of the package on the embedded data: the tables it returns, their types and
provenance, both DataFrame backends, and the files it writes."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import lodestone

PROVENANCE = ["source", "edition", "file", "row", "field", "original"]


def test_profile_puts_china_first_with_its_provenance() -> None:
    df = lodestone.profile("tungsten", year=2023)
    assert isinstance(df, pd.DataFrame)
    assert df.iloc[0]["iso3"] == "CHN"
    for c in PROVENANCE:
        assert c in df.columns, c
        assert df[c].notna().all(), c
    for c in ("unit", "basis", "year", "stage"):
        assert df[c].nunique() == 1, c  # every row says what its figure is
    assert df["share"].dtype == "float64"
    assert df["share"].max() <= 1.0 and df["share"].sum() <= 1.0 + 1e-9
    assert "mcs2024" in df.iloc[0]["file"].lower() or "usgs" in df.iloc[0]["source"].lower()
    notes = dict(df.attrs["notes"])
    assert notes["year"] == "2023" and "basis" in notes and "method" in notes


def test_every_table_of_a_result_and_both_backends_agree() -> None:
    t = lodestone.profile("tungsten", year=2023, tables=True)
    assert list(t) == ["producers", "groups", "control", "sources", "notes"]
    p = lodestone.profile("tungsten", year=2023, tables=True, backend="polars")
    assert all(isinstance(v, pl.DataFrame) for v in p.values())
    assert p["producers"]["value"].to_list() == t["producers"]["value"].tolist()
    a = lodestone.profile("tungsten", year=2023, backend="arrow")
    assert isinstance(a, pa.Table) and a.schema.field("share").type == pa.float64()
    src = t["sources"]
    assert {"table", "table_row", "figure", "source", "file", "row", "original"} <= set(src.columns)
    assert (src["figure"] == "value").sum() >= len(t["producers"])


def test_trade_origins_per_stage_with_shares_that_add_up() -> None:
    df = lodestone.trade("tungsten", importer="USA")
    assert {"stage", "product_set", "hs_codes", "iso3", "quantity_t", "share_quantity", "year"} <= set(df.columns)
    assert set(df["product_set"]) >= {"reconciled"}
    for _, g in df.groupby(["stage", "product_set", "hs_codes"]):
        assert g["share_quantity"].sum() <= 1.0 + 1e-9


def test_risk_ranking_is_sorted_and_lists_the_inputs_of_each_score() -> None:
    t = lodestone.risk(viewpoint="USA", tables=True)
    r = t["ranking"]
    scores = r["score"].dropna().tolist()
    assert len(scores) > 20 and scores == sorted(scores, reverse=True)
    assert set(t["sources"]["figure"]) >= {"production", "trade", "stability"}
    eu = lodestone.risk(viewpoint="EU27", method="eu")
    assert len(eu) > 10


def test_explain_gives_the_terms_of_the_formula() -> None:
    g = lodestone.explain("tungsten", viewpoint="USA")
    assert {"iso3", "quantity_t", "stability"} <= set(g.columns) and len(g) > 5
    eu = lodestone.explain("tungsten", viewpoint="EU27", method="eu", tables=True)
    assert {"terms", "stages", "published"} <= set(eu)


def test_brief_covers_the_list() -> None:
    t = lodestone.brief(tables=True)
    assert len(t["brief"]) > 30 and "outlook_2030" in t


def test_simulate_from_text_dict_file_and_largest_supplier_agree() -> None:
    canned = lodestone.scenarios()
    assert len(canned) >= 5 and {"file", "name", "toml"} <= set(canned.columns)
    text = canned.iloc[0]["toml"]
    a = lodestone.simulate(text, draws=20)
    assert {"country", "loss_t", "band.p05", "band.p95", "stage"} <= set(a.columns)
    band = a.dropna(subset=["band.p05"])
    assert (band["band.p05"] <= band["band.p50"] + 1e-9).all()
    assert (band["band.p50"] <= band["band.p95"] + 1e-9).all()
    import tomllib

    b = lodestone.simulate(tomllib.loads(text), draws=20)
    pd.testing.assert_frame_equal(a, b)
    s = lodestone.simulate(largest_supplier="tungsten", draws=10)
    assert len(s) > 5


def test_simulate_from_a_file(tmp_path: Path) -> None:
    text = lodestone.scenarios().iloc[0]["toml"]
    f = tmp_path / "s.toml"
    f.write_text(text, encoding="utf-8")
    assert len(lodestone.simulate(f, draws=0)) > 0
    assert len(lodestone.simulate(str(f), draws=0)) > 0


def test_projects_forecast_and_plan() -> None:
    pr = lodestone.projects(tables=True)
    assert len(pr["projects"]) > 20 and "owners" in pr
    kz = lodestone.projects(country="c5")
    assert set(kz["country"]) <= {"KAZ", "KGZ", "TJK", "TKM", "UZB"}
    f = lodestone.forecast("tungsten", draws=50)
    assert f["year"].is_monotonic_increasing and f["year"].max() == 2035
    p = lodestone.plan("tungsten", importer="USA", cap={"CHN": 0.2}, prefer=["c5"])
    assert math.isclose(p["planned_share"].sum(), 1.0, abs_tol=1e-6)
    assert p.loc[p["origin"] == "CHN", "planned_share"].max() <= 0.2 + 1e-9
    assert "PRK" not in set(p.loc[p["planned_share"] > 0, "origin"])


def test_events_extract_and_the_catalogues() -> None:
    ev = lodestone.events(commodity="tungsten")
    assert len(ev) > 0 and ev["commodities"].str.contains("tungsten").all()
    x = lodestone.extract("China banned exports of gallium to the United States on 3 December 2024.", tables=True)
    assert "CHN" in set(x["mentions"]["id"]) and len(x["candidates"]) >= 1
    assert len(lodestone.commodities()) > 50
    c5 = lodestone.countries(group="c5")
    assert sorted(c5["iso3"]) == ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
    assert "c5" in set(lodestone.groups()["id"])


def test_check_compares_the_two_production_sources() -> None:
    t = lodestone.check(0.10, tables=True)
    gaps = t["gaps"]
    assert len(gaps) > 0 and (gaps["gap_of_world"] > 0.10).all()
    assert {"usgs", "wmd", "usgs_source", "wmd_source"} <= set(gaps.columns)
    with pytest.raises(lodestone.InvalidInputError, match="between 0 and 1"):
        lodestone.check(1.5)


def test_out_writes_the_workbook_and_parquet_files(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb_path = tmp_path / "risk.xlsx"
    lodestone.risk(viewpoint="USA", out=wb_path)
    wb = openpyxl.load_workbook(wb_path, read_only=True)
    assert wb.sheetnames == ["ranking", "sources", "notes"]
    pq = tmp_path / "p.parquet"
    df = lodestone.profile("tungsten", year=2023, out=pq)
    back = pd.read_parquet(pq)
    assert back["iso3"].tolist() == df["iso3"].tolist()
    assert (tmp_path / "p.sources.parquet").is_file()


def test_ctrl_c_stops_a_long_simulation() -> None:
    import _thread
    import threading
    import time

    threading.Timer(0.5, _thread.interrupt_main).start()
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        lodestone.simulate(largest_supplier="copper", draws=100000)
    assert time.monotonic() - start < 5.0
