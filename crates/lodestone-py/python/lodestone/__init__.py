"""Lodestone: critical-minerals supply-chain security from real public data.

Every capability of the ``lodestone`` command is a function here, returning a pandas (default)
or polars DataFrame built from Arrow without a per-row conversion. Rows that come from a source
carry its provenance columns (``source, edition, file, row, field, original``).

Each function returns its main table; ``tables=True`` returns every table of the result as a
dict, including ``sources`` (where each figure comes from) and ``notes`` (the method, the
query's settings and the data's coverage). ``out="x.xlsx"`` or ``out="x.parquet"`` also writes
the files the CLI's ``--format xlsx|parquet -o`` writes.

Errors raise a subclass of :class:`LodestoneError` carrying the CLI's message::

    >>> import lodestone
    >>> lodestone.profile("tungsten", year=2023).head()        # doctest: +SKIP
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any, Literal

from . import _lodestone
from ._lodestone import (
    CancelledError,
    InfeasibleError,
    InternalError,
    InvalidInputError,
    LodestoneError,
    NoDataError,
    NotFoundError,
    OverBudgetError,
)
from ._sweep import sweep, sweep_tasks

__version__: str = _lodestone.__version__

__all__ = [
    "CancelledError",
    "InfeasibleError",
    "InternalError",
    "InvalidInputError",
    "LodestoneError",
    "NoDataError",
    "NotFoundError",
    "OverBudgetError",
    "brief",
    "check",
    "commodities",
    "countries",
    "events",
    "explain",
    "extract",
    "forecast",
    "groups",
    "open",
    "plan",
    "profile",
    "projects",
    "risk",
    "scenarios",
    "simulate",
    "sweep",
    "sweep_tasks",
    "trade",
]

Backend = Literal["pandas", "polars", "arrow"]


def _value(v: Any) -> str:
    """One query value as the API's query strings spell it."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Mapping):
        return ",".join(f"{k}={x}" for k, x in v.items())
    if isinstance(v, (list, tuple, set)):
        return ",".join(str(x) for x in v)
    return str(v)


def _query(**kwargs: Any) -> list[tuple[str, str]]:
    return [(k, _value(v)) for k, v in kwargs.items() if v is not None]


def _frame(data: bytes, backend: Backend) -> Any:
    if backend == "polars":
        import polars as pl

        return pl.read_ipc_stream(io.BytesIO(data))
    import pyarrow as pa

    table = pa.ipc.open_stream(data).read_all()
    if backend == "arrow":
        return table
    if backend == "pandas":
        return table.to_pandas()
    raise ValueError(f"backend={backend!r}: expected 'pandas', 'polars' or 'arrow'")


def _result(call: Callable[[], list[tuple[str, bytes]]], backend: Backend, tables: bool) -> Any:
    """Checks the backend, runs the native call, and turns its Arrow streams into frames."""
    if backend not in ("pandas", "polars", "arrow"):
        raise InvalidInputError(f"backend={backend!r}: expected one of pandas, polars, arrow")
    encoded = call()
    if tables:
        return {name: _frame(data, backend) for name, data in encoded}
    main = _frame(encoded[0][1], backend)
    if backend == "pandas":
        notes = dict(encoded).get("notes")
        if notes is not None:
            n = _frame(notes, "arrow")
            main.attrs["notes"] = list(zip(n.column("topic").to_pylist(), n.column("text").to_pylist()))
    return main


def _out(out: str | PathLike[str] | None) -> str | None:
    return None if out is None else str(out)


def open(data: str | PathLike[str] | None = None, config: str | PathLike[str] | None = None) -> list[str]:
    """Use a ``data/`` folder (default: the embedded snapshot) and a group config for every
    later call, as the CLI's ``--data`` and ``--config``; returns what could not be loaded."""
    return _lodestone.open(None if data is None else str(data), None if config is None else str(config))


def profile(
    commodity: str,
    *,
    stage: str | None = None,
    year: int | None = None,
    source: str | None = None,
    basis: str | None = None,
    backend: Backend = "pandas",
    tables: bool = False,
    out: str | PathLike[str] | None = None,
) -> Any:
    """Producers of a commodity, ranked, with shares, reserves and the source of every row.

    Tables: ``producers`` (main), ``groups``, ``control``, ``sources``, ``notes``.
    """
    q = _query(stage=stage, year=year, source=source, basis=basis)
    return _result(lambda: _lodestone.profile(commodity, q, _out(out)), backend, tables)


def trade(
    commodity: str,
    *,
    importer: str | None = None,
    year: int | None = None,
    stage: str | None = None,
    backend: Backend = "pandas",
    tables: bool = False,
    out: str | PathLike[str] | None = None,
) -> Any:
    """Whom an importer or bloc (default USA) buys a commodity from, per traded stage.

    Tables: ``origins`` (main), ``stages``, ``upstream``, ``coverage``, ``sources``, ``notes``.
    """
    q = _query(importer=importer, year=year, stage=stage)
    return _result(lambda: _lodestone.trade(commodity, q, _out(out)), backend, tables)


def risk(
    *,
    viewpoint: str | None = None,
    method: str | None = None,
    year: int | None = None,
    backend: Backend = "pandas",
    tables: bool = False,
    out: str | PathLike[str] | None = None,
) -> Any:
    """Every mineral ranked by supply risk from a viewpoint (default USA) by a method
    (``geopolrisk`` default, ``eu``, ``geopolrisk-stage``, ``hhi``).

    Tables: ``ranking`` (main), ``sources`` (the inputs of every score), ``notes``.
    """
    q = _query(viewpoint=viewpoint, method=method, year=year)
    return _result(lambda: _lodestone.risk(q, _out(out)), backend, tables)


def explain(
    commodity: str,
    *,
    viewpoint: str | None = None,
    method: str | None = None,
    year: int | None = None,
    backend: Backend = "pandas",
    tables: bool = False,
    out: str | PathLike[str] | None = None,
) -> Any:
    """One mineral's score with every term of its method's formula (partner terms for
    GeoPolRisk, supplier terms per stage for the EU method)."""
    q = _query(viewpoint=viewpoint, method=method, year=year)
    return _result(lambda: _lodestone.explain(commodity, q, _out(out)), backend, tables)


def brief(
    *,
    importer: str | None = None,
    critical_list: str | None = None,
    year: int | None = None,
    backend: Backend = "pandas",
    tables: bool = False,
    out: str | PathLike[str] | None = None,
) -> Any:
    """The supply-chain security brief for every mineral of a critical-minerals list.

    Tables: ``brief`` (main), ``outlook_2030``, ``sources``, ``notes``.
    """
    q = _query(importer=importer, list=critical_list, year=year)
    return _result(lambda: _lodestone.brief(q, _out(out)), backend, tables)


def simulate(
    scenario: str | PathLike[str] | Mapping[str, Any] | None = None,
    *,
    largest_supplier: str | None = None,
    draws: int | None = None,
    seed: int | None = None,
    year: int | None = None,
    backend: Backend = "pandas",
    tables: bool = False,
    out: str | PathLike[str] | None = None,
) -> Any:
    """A disruption scenario cascaded through trade, with Monte Carlo bands.

    ``scenario`` is a scenario file's path, its TOML text, or a dict of the same fields; or
    give ``largest_supplier="tungsten"`` for the IEA-style stress test.

    Tables: ``countries`` (main: losses with p05/p50/p95), ``stages``, ``shocks``, ``links``,
    ``sources``, ``notes``.
    """
    q = _query(draws=draws, seed=seed, year=year)
    text: str | None = None
    name = "scenario"
    if isinstance(scenario, Mapping):
        text = _lodestone.toml_of_json(json.dumps(scenario))
        name = "scenario (dict)"
    elif isinstance(scenario, PathLike) or (
        isinstance(scenario, str) and "\n" not in scenario and scenario.endswith(".toml")
    ):
        path = Path(scenario)
        name = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise InvalidInputError(f"{path}: {e.strerror or e}") from None
    elif scenario is not None:
        text = scenario
    return _result(lambda: _lodestone.simulate(text, name, largest_supplier, q, _out(out)), backend, tables)


def scenarios(
    *, backend: Backend = "pandas", tables: bool = False, out: str | PathLike[str] | None = None
) -> Any:
    """The canned disruption scenarios, with their TOML."""
    return _result(lambda: _lodestone.scenarios(_out(out)), backend, tables)


def projects(
    *,
    commodity: str | None = None,
    country: str | None = None,
    status: str | None = None,
    backend: Backend = "pandas",
    tables: bool = False,
    out: str | PathLike[str] | None = None,
) -> Any:
    """The project registry (mines, refineries, expansions) with status, capacity, owners,
    financing and sources. Tables: ``projects``, ``owners``, ``financing``, ``evidence``."""
    q = _query(commodity=commodity, country=country, status=status)
    return _result(lambda: _lodestone.projects(q, _out(out)), backend, tables)


def forecast(
    commodity: str,
    *,
    to: int | None = None,
    stage: str | None = None,
    only_financed: bool | None = None,
    draws: int | None = None,
    seed: int | None = None,
    backend: Backend = "pandas",
    tables: bool = False,
    out: str | PathLike[str] | None = None,
) -> Any:
    """Supply forecast (default to 2035): today's output plus registry projects, with Monte
    Carlo bands. Tables: ``years`` (main), ``contributions``, ``control``."""
    q = _query(to=to, stage=stage, only_financed=only_financed, draws=draws, seed=seed)
    return _result(lambda: _lodestone.forecast(commodity, q, _out(out)), backend, tables)


def plan(
    commodity: str,
    *,
    importer: str | None = None,
    year: int | None = None,
    stage: str | None = None,
    cap: Mapping[str, float] | Sequence[str] | None = None,
    floor: Mapping[str, float] | Sequence[str] | None = None,
    max_suppliers: int | None = None,
    min_share: float | None = None,
    allow_hubs: bool | None = None,
    exclude: Sequence[str] | None = None,
    prefer: Sequence[str] | None = None,
    cost_weight: float | None = None,
    frontier: bool | None = None,
    backend: Backend = "pandas",
    tables: bool = False,
    out: str | PathLike[str] | None = None,
) -> Any:
    """The sourcing mix that minimises supply risk within exportable supply, caps
    (``{"CHN": 0.2}``) and floors (``{"c5": 0.1}``). Tables: ``origins`` (main), ``excluded``."""
    q = _query(
        importer=importer,
        year=year,
        stage=stage,
        cap=cap,
        floor=floor,
        max_suppliers=max_suppliers,
        min_share=min_share,
        allow_hubs=allow_hubs,
        exclude=exclude,
        prefer=prefer,
        cost_weight=cost_weight,
        frontier=frontier,
    )
    return _result(lambda: _lodestone.plan(commodity, q, _out(out)), backend, tables)


def events(
    *,
    country: str | None = None,
    commodity: str | None = None,
    kind: str | None = None,
    since: str | None = None,
    backend: Backend = "pandas",
    tables: bool = False,
    out: str | PathLike[str] | None = None,
) -> Any:
    """The event registry (deals, financing, export controls), filtered."""
    q = _query(country=country, commodity=commodity, type=kind, since=since)
    return _result(lambda: _lodestone.events(q, _out(out)), backend, tables)


def extract(
    article: str | bytes,
    *,
    date: str | None = None,
    backend: Backend = "pandas",
    tables: bool = False,
    out: str | PathLike[str] | None = None,
) -> Any:
    """Entities and candidate events in an article (text or HTML). Tables: ``candidates``
    (main), ``mentions``, ``amounts``, ``dates``, ``links``."""
    data = article.encode("utf-8") if isinstance(article, str) else bytes(article)
    return _result(lambda: _lodestone.extract(data, "article", _query(date=date), _out(out)), backend, tables)


def commodities(
    *,
    critical_list: str | None = None,
    backend: Backend = "pandas",
    tables: bool = False,
    out: str | PathLike[str] | None = None,
) -> Any:
    """The commodities Lodestone knows, with critical-list memberships and data coverage."""
    return _result(lambda: _lodestone.commodities(_query(list=critical_list), _out(out)), backend, tables)


def countries(
    *,
    group: str | None = None,
    backend: Backend = "pandas",
    tables: bool = False,
    out: str | PathLike[str] | None = None,
) -> Any:
    """The countries Lodestone knows, with the groups they belong to."""
    return _result(lambda: _lodestone.countries(_query(group=group), _out(out)), backend, tables)


def groups(
    *, backend: Backend = "pandas", tables: bool = False, out: str | PathLike[str] | None = None
) -> Any:
    """The country groups (C5, G7, EU27, the concern set, and any from the config)."""
    return _result(lambda: _lodestone.groups(_out(out)), backend, tables)


def check(
    threshold: float = 0.10,
    *,
    backend: Backend = "pandas",
    tables: bool = False,
    out: str | PathLike[str] | None = None,
) -> Any:
    """USGS against World Mining Data: country figures of the same commodity, stage, year and
    basis that differ by more than ``threshold`` of world output (``data check``). Tables:
    ``gaps`` (main), ``not_comparable``."""
    return _result(lambda: _lodestone.check(float(threshold), _out(out)), backend, tables)
