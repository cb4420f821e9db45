"""Every error class, with the message the CLI prints after "error: "."""

from __future__ import annotations

import subprocess

import pytest

import lodestone


def cli_error(cli: str, *args: str) -> tuple[int, str]:
    p = subprocess.run([cli, *args], capture_output=True, text=True, timeout=120)
    line = p.stderr.strip().splitlines()[-1]
    assert line.startswith("error: "), p.stderr
    return p.returncode, line.removeprefix("error: ")


def test_the_classes_form_one_hierarchy() -> None:
    for cls in (
        lodestone.NotFoundError,
        lodestone.InvalidInputError,
        lodestone.NoDataError,
        lodestone.InfeasibleError,
        lodestone.OverBudgetError,
        lodestone.CancelledError,
        lodestone.InternalError,
    ):
        assert issubclass(cls, lodestone.LodestoneError)
        assert issubclass(cls, Exception)
        assert cls.__doc__


def test_not_found_suggests_names_as_the_cli_does(cli: str) -> None:
    with pytest.raises(lodestone.NotFoundError) as e:
        lodestone.profile("tungstn")
    code, message = cli_error(cli, "profile", "tungstn")
    assert str(e.value) == message and "did you mean tungsten" in message
    assert code == 2


def test_invalid_input_lists_the_valid_choices(cli: str) -> None:
    with pytest.raises(lodestone.InvalidInputError) as e:
        lodestone.risk(year=1800)
    code, message = cli_error(cli, "risk", "--year", "1800")
    assert str(e.value) == message and code == 2
    with pytest.raises(lodestone.InvalidInputError):
        lodestone.simulate("name = 'x'\nshock = 3\n")
    with pytest.raises(lodestone.InvalidInputError):
        lodestone.profile("tungsten", backend="numpy")  # type: ignore[arg-type]


def test_no_data_is_never_a_silent_zero(cli: str) -> None:
    with pytest.raises(lodestone.NoDataError) as e:
        lodestone.explain("germanium")
    code, message = cli_error(cli, "risk", "germanium", "--explain")
    assert str(e.value) == message and "silent gap" in message


def test_an_impossible_plan_is_infeasible(cli: str) -> None:
    with pytest.raises(lodestone.InfeasibleError) as e:
        lodestone.plan("tungsten", floor={"CHN": 0.9}, cap={"CHN": 0.1})
    code, message = cli_error(cli, "plan", "tungsten", "--floor", "CHN=0.9", "--cap", "CHN=0.1")
    assert str(e.value) == message and code == 1


def test_a_sweep_over_the_work_budget_says_what_fits() -> None:
    spec = {
        "name": "too big",
        "commodities": ["copper"],
        "shocked": ["CHN", "CHL", "PER", "COD", "USA", "AUS", "ZMB", "IDN", "RUS", "MEX"],
        "kind": "exports",
        "shocks": [round((i + 1) / 1000, 3) for i in range(1000)],
        "years": [2022],
        "draws": 100000,
        "seed": 1,
    }
    with pytest.raises(lodestone.OverBudgetError) as e:
        lodestone.sweep_tasks(spec)
    assert "lower draws to about" in str(e.value)
