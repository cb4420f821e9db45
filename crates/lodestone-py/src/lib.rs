//! # lodestone-py — the Python package `lodestone`
//!
//! The native module `lodestone._lodestone`: every capability of the use-case layer
//! (`lodestone-app`) as a function that takes the capability's arguments and the query as
//! `(name, value)` pairs — parsed by the same query types, with the same defaults and the same
//! messages as the JSON API's query strings — and returns the result's tables
//! (`lodestone-tables`) as Arrow IPC streams, which the pure-Python wrapper
//! (`python/lodestone/__init__.py`) turns into pandas or polars DataFrames without a per-row
//! conversion. The computation runs with the GIL released.
//!
//! * `errors` — one exception class per error kind, with the CLI's message.
//! * `store` — the process's store (embedded, or a data folder).
//! * `sweep` — sweep specs, tasks and their Parquet partitions, for Dask.
//! * `wait` — the interruptible wait (Ctrl-C cancels the work).

mod errors;
mod store;
mod sweep;
mod wait;

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use serde::de::DeserializeOwned;

use lodestone_app::simulate::ScenarioSource;
use lodestone_app::{AppError, Cancel, Limits};
use lodestone_tables::results::{explanation, of, ranking};
use lodestone_tables::{shapes, Tables};

use errors::to_py;

/// A result's tables as (name, Arrow IPC stream) pairs, main table first.
type Encoded = Vec<(String, Py<PyBytes>)>;

/// Query pairs through the query type's own parser (as a query string would be).
fn query<T: DeserializeOwned>(pairs: &[(String, String)]) -> Result<T, AppError> {
    let text = serde_urlencoded::to_string(pairs).map_err(|e| AppError::invalid(e.to_string()))?;
    serde_urlencoded::from_str(&text).map_err(|e| AppError::invalid(e.to_string()))
}

/// Runs `work` on the store (interruptibly, without the GIL) and encodes its tables.
fn run(
    py: Python<'_>,
    out: Option<String>,
    work: impl FnOnce(&lodestone_app::Store, &Cancel) -> Result<Tables, AppError> + Send,
) -> PyResult<Encoded> {
    let encoded = wait::interruptible(py, |cancel| -> Result<Vec<(String, Vec<u8>)>, AppError> {
        let store = store::current()?;
        let tables = work(&store, cancel)?;
        if let Some(path) = out {
            write(&tables, std::path::Path::new(&path))?;
        }
        tables
            .tables
            .iter()
            .map(|t| {
                lodestone_tables::arrow::ipc_stream(t)
                    .map(|b| (t.name.clone(), b))
                    .map_err(|e| AppError::internal(e.to_string()))
            })
            .collect()
    })?;
    Ok(encoded
        .into_iter()
        .map(|(n, b)| (n, PyBytes::new(py, &b).unbind()))
        .collect())
}

/// Writes tables where `out` says, in the format its extension names (as the CLI's
/// `--format parquet|xlsx -o FILE`).
fn write(tables: &Tables, path: &std::path::Path) -> Result<(), AppError> {
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some("parquet") => lodestone_tables::FileFormat::Parquet,
        Some("xlsx") => lodestone_tables::FileFormat::Xlsx,
        _ => {
            return Err(AppError::invalid(format!(
                "out={}: expected a file ending in .parquet or .xlsx",
                path.display()
            )))
        }
    };
    if let Some(dir) = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && !d.is_dir())
    {
        return Err(AppError::invalid(format!(
            "out={}: the folder {} does not exist",
            path.display(),
            dir.display()
        )));
    }
    lodestone_tables::write(tables, format, path).map(|_| ())
}

/// Producers of a commodity with shares, HHI, reserves and the source of every row.
#[pyfunction]
#[pyo3(signature = (commodity, query, out=None))]
fn profile(
    py: Python<'_>,
    commodity: String,
    query: Vec<(String, String)>,
    out: Option<String>,
) -> PyResult<Encoded> {
    run(py, out, move |s, _| {
        let mut q: lodestone_app::profile::ProfileQuery = self::query(&query)?;
        q.commodity = commodity;
        of(&shapes::PROFILE, &lodestone_app::profile::profile(s, &q)?)
    })
}

/// Whom an importer buys a commodity from, per traded stage.
#[pyfunction]
#[pyo3(signature = (commodity, query, out=None))]
fn trade(
    py: Python<'_>,
    commodity: String,
    query: Vec<(String, String)>,
    out: Option<String>,
) -> PyResult<Encoded> {
    run(py, out, move |s, _| {
        let mut q: lodestone_app::trade::TradeQuery = self::query(&query)?;
        q.commodity = commodity;
        of(&shapes::TRADE, &lodestone_app::trade::trade(s, &q)?)
    })
}

/// The ranking of every mineral from a viewpoint, with the inputs of every score.
#[pyfunction]
#[pyo3(signature = (query, out=None))]
fn risk(py: Python<'_>, query: Vec<(String, String)>, out: Option<String>) -> PyResult<Encoded> {
    run(py, out, move |s, _| {
        let q: lodestone_app::risk::RiskQuery = self::query(&query)?;
        ranking(s, &q, &lodestone_app::risk::ranking(s, &q)?)
    })
}

/// One mineral's score with every term of its method's formula.
#[pyfunction]
#[pyo3(signature = (commodity, query, out=None))]
fn explain(
    py: Python<'_>,
    commodity: String,
    query: Vec<(String, String)>,
    out: Option<String>,
) -> PyResult<Encoded> {
    run(py, out, move |s, _| {
        let mut q: lodestone_app::risk::RiskQuery = self::query(&query)?;
        q.commodity = Some(commodity);
        explanation(&lodestone_app::risk::explain(s, &q)?)
    })
}

/// The supply-chain security brief of a critical-minerals list.
#[pyfunction]
#[pyo3(signature = (query, out=None))]
fn brief(py: Python<'_>, query: Vec<(String, String)>, out: Option<String>) -> PyResult<Encoded> {
    run(py, out, move |s, _| {
        let q: lodestone_app::brief::BriefQuery = self::query(&query)?;
        of(&shapes::BRIEF, &lodestone_app::brief::brief(s, &q)?)
    })
}

/// A disruption scenario (TOML text named `name` in messages, or the largest supplier of a
/// commodity out) cascaded through trade, with Monte Carlo bands.
#[pyfunction]
#[pyo3(signature = (text, name, largest_supplier, query, out=None))]
fn simulate(
    py: Python<'_>,
    text: Option<String>,
    name: String,
    largest_supplier: Option<String>,
    query: Vec<(String, String)>,
    out: Option<String>,
) -> PyResult<Encoded> {
    run(py, out, move |s, cancel| {
        let q: lodestone_app::simulate::SimulateQuery = self::query(&query)?;
        let source =
            match (text, largest_supplier) {
                (Some(text), None) => ScenarioSource::Text { name, text },
                (None, Some(c)) => ScenarioSource::LargestSupplier(c),
                _ => return Err(AppError::invalid(
                    "give a scenario (TOML text, a dict or a file) or largest_supplier, not both",
                )),
            };
        let sim = lodestone_app::simulate::run(s, &source, &q, &Limits::default(), cancel)?;
        of(&shapes::SIMULATION, &sim)
    })
}

/// A scenario given as a dict (sent as JSON) in the TOML the scenario reader takes.
#[pyfunction]
fn toml_of_json(json: &str) -> PyResult<String> {
    let value: toml::Value = serde_json::from_str(json)
        .map_err(|e| errors::InvalidInputError::new_err(format!("scenario (dict): {e}")))?;
    toml::to_string(&value)
        .map_err(|e| errors::InvalidInputError::new_err(format!("scenario (dict): {e}")))
}

/// Benchmark hook: seconds `trade` takes in Rust alone (the use case, no tables, no Arrow), the
/// baseline `benches/transfer.py` sets `lodestone.trade` against.
#[pyfunction]
fn _trade_compute_seconds(
    py: Python<'_>,
    commodity: String,
    query: Vec<(String, String)>,
) -> PyResult<f64> {
    py.detach(|| -> Result<f64, AppError> {
        let store = store::current()?;
        let mut q: lodestone_app::trade::TradeQuery = self::query(&query)?;
        q.commodity = commodity;
        let start = std::time::Instant::now();
        let r = lodestone_app::trade::trade(&store, &q)?;
        let secs = start.elapsed().as_secs_f64();
        drop(r);
        Ok(secs)
    })
    .map_err(to_py)
}

/// The canned disruption scenarios with their TOML.
#[pyfunction]
#[pyo3(signature = (out=None))]
fn scenarios(py: Python<'_>, out: Option<String>) -> PyResult<Encoded> {
    run(py, out, |s, _| {
        of(&shapes::SCENARIOS, &lodestone_app::simulate::canned(s)?)
    })
}

/// The project registry.
#[pyfunction]
#[pyo3(signature = (query, out=None))]
fn projects(
    py: Python<'_>,
    query: Vec<(String, String)>,
    out: Option<String>,
) -> PyResult<Encoded> {
    run(py, out, move |s, _| {
        let q: lodestone_app::projects::ProjectsQuery = self::query(&query)?;
        of(
            &shapes::PROJECTS,
            &lodestone_app::projects::projects(s, &q)?,
        )
    })
}

/// Supply forecast with Monte Carlo bands.
#[pyfunction]
#[pyo3(signature = (commodity, query, out=None))]
fn forecast(
    py: Python<'_>,
    commodity: String,
    query: Vec<(String, String)>,
    out: Option<String>,
) -> PyResult<Encoded> {
    run(py, out, move |s, cancel| {
        let mut q: lodestone_app::forecast::ForecastQuery = self::query(&query)?;
        q.commodity = commodity;
        let f = lodestone_app::forecast::forecast(s, &q, &Limits::default(), cancel)?;
        of(&shapes::FORECAST, &f)
    })
}

/// The sourcing mix that minimises supply risk within exportable supply, caps and floors.
#[pyfunction]
#[pyo3(signature = (commodity, query, out=None))]
fn plan(
    py: Python<'_>,
    commodity: String,
    query: Vec<(String, String)>,
    out: Option<String>,
) -> PyResult<Encoded> {
    run(py, out, move |s, _| {
        let mut q: lodestone_app::plan::PlanQuery = self::query(&query)?;
        q.commodity = commodity;
        of(
            &shapes::PLAN,
            &lodestone_app::plan::plan(s, &q, &Limits::default())?,
        )
    })
}

/// The event registry, filtered.
#[pyfunction]
#[pyo3(signature = (query, out=None))]
fn events(py: Python<'_>, query: Vec<(String, String)>, out: Option<String>) -> PyResult<Encoded> {
    run(py, out, move |s, _| {
        let q: lodestone_app::events::EventsQuery = self::query(&query)?;
        of(&shapes::EVENTS, &lodestone_app::events::events(s, &q)?)
    })
}

/// Entities and candidate events in an article (text or HTML).
#[pyfunction]
#[pyo3(signature = (article, name, query, out=None))]
fn extract(
    py: Python<'_>,
    article: Vec<u8>,
    name: String,
    query: Vec<(String, String)>,
    out: Option<String>,
) -> PyResult<Encoded> {
    run(py, out, move |s, _| {
        let q: lodestone_app::extract::ExtractQuery = self::query(&query)?;
        of(
            &shapes::EXTRACT,
            &lodestone_app::extract::extract(s, &name, &article, &q)?,
        )
    })
}

/// The commodities Lodestone knows.
#[pyfunction]
#[pyo3(signature = (query, out=None))]
fn commodities(
    py: Python<'_>,
    query: Vec<(String, String)>,
    out: Option<String>,
) -> PyResult<Encoded> {
    run(py, out, move |s, _| {
        let q: lodestone_app::catalog::CommoditiesQuery = self::query(&query)?;
        of(
            &shapes::COMMODITIES,
            &lodestone_app::catalog::commodities(s, &q),
        )
    })
}

/// The countries Lodestone knows, with their groups.
#[pyfunction]
#[pyo3(signature = (query, out=None))]
fn countries(
    py: Python<'_>,
    query: Vec<(String, String)>,
    out: Option<String>,
) -> PyResult<Encoded> {
    run(py, out, move |s, _| {
        let q: lodestone_app::catalog::CountriesQuery = self::query(&query)?;
        of(
            &shapes::COUNTRIES,
            &lodestone_app::catalog::countries(s, &q)?,
        )
    })
}

/// USGS against World Mining Data: country figures that differ by more than `threshold` of
/// world output.
#[pyfunction]
#[pyo3(signature = (threshold, out=None))]
fn check(py: Python<'_>, threshold: f64, out: Option<String>) -> PyResult<Encoded> {
    run(py, out, move |s, _| {
        of(&shapes::CHECK, &lodestone_app::data::check(s, threshold)?)
    })
}

/// The country groups.
#[pyfunction]
#[pyo3(signature = (out=None))]
fn groups(py: Python<'_>, out: Option<String>) -> PyResult<Encoded> {
    run(py, out, |s, _| {
        of(&shapes::GROUPS, &lodestone_app::catalog::groups(s))
    })
}

/// Opens a data folder (else the embedded snapshot) and a group config for every later call;
/// returns what the store could not load.
#[pyfunction]
#[pyo3(signature = (data=None, config=None))]
fn open(py: Python<'_>, data: Option<String>, config: Option<String>) -> PyResult<Vec<String>> {
    py.detach(|| {
        store::open(
            data.as_deref().map(std::path::Path::new),
            config.as_deref().map(std::path::Path::new),
        )
    })
    .map_err(to_py)
}

#[pymodule]
fn _lodestone(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    for f in [
        wrap_pyfunction!(profile, m)?,
        wrap_pyfunction!(trade, m)?,
        wrap_pyfunction!(risk, m)?,
        wrap_pyfunction!(explain, m)?,
        wrap_pyfunction!(brief, m)?,
        wrap_pyfunction!(simulate, m)?,
        wrap_pyfunction!(scenarios, m)?,
        wrap_pyfunction!(projects, m)?,
        wrap_pyfunction!(forecast, m)?,
        wrap_pyfunction!(plan, m)?,
        wrap_pyfunction!(events, m)?,
        wrap_pyfunction!(extract, m)?,
        wrap_pyfunction!(commodities, m)?,
        wrap_pyfunction!(countries, m)?,
        wrap_pyfunction!(groups, m)?,
        wrap_pyfunction!(check, m)?,
        wrap_pyfunction!(open, m)?,
        wrap_pyfunction!(toml_of_json, m)?,
        wrap_pyfunction!(_trade_compute_seconds, m)?,
    ] {
        m.add_function(f)?;
    }
    sweep::register(m)?;
    Ok(())
}
