//! Why this file exists: the native half of `lodestone.sweep`. A Dask task carries the spec's
//! canonical text and a task number, and returns that task's Parquet partition as bytes — the
//! same bytes `lodestone sweep` writes for it — so the client can write the partitions without
//! a file system shared with the workers.

use std::path::{Path, PathBuf};

use pyo3::prelude::*;
use pyo3::types::PyBytes;

use lodestone_app::sweep::{parse, SweepSpec};
use lodestone_app::{AppError, Cancel, Limits};
use lodestone_tables::sweep as parts;

use crate::errors::to_py;
use crate::store;

fn spec(text: &str, name: &str) -> Result<SweepSpec, AppError> {
    let store = store::current()?;
    let spec = parse(&store, text, name)?;
    spec.check(&Limits::default())?;
    Ok(spec)
}

/// The spec's canonical text (validated against the data): TOML or JSON in, the same text for
/// the same sweep out.
#[pyfunction]
fn sweep_canonical(py: Python<'_>, text: String, name: String) -> PyResult<String> {
    py.detach(|| spec(&text, &name).map(|s| s.canonical()))
        .map_err(to_py)
}

/// How many tasks (partitions) the sweep has.
#[pyfunction]
fn sweep_tasks(py: Python<'_>, spec_text: String) -> PyResult<usize> {
    py.detach(|| spec(&spec_text, "spec").map(|s| s.tasks()))
        .map_err(to_py)
}

/// A short digest of the canonical text (names the Dask keys of one sweep).
#[pyfunction]
fn sweep_digest(spec_text: &str) -> String {
    parts::digest(spec_text)
}

/// One task's partition as Parquet bytes, computed on one thread (a Dask worker runs one task
/// per core) without the GIL.
#[pyfunction]
fn sweep_task(py: Python<'_>, spec_text: String, task: usize) -> PyResult<Py<PyBytes>> {
    let bytes = py
        .detach(|| -> Result<Vec<u8>, AppError> {
            let s = spec(&spec_text, "spec")?;
            let store = store::current()?;
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .map_err(|e| AppError::internal(e.to_string()))?;
            let rows = pool.install(|| {
                lodestone_app::sweep::run_task(
                    &store,
                    &s,
                    task,
                    &Limits::default(),
                    &Cancel::never(),
                )
            })?;
            parts::partition(&s.canonical(), task, &store.origin().to_string(), &rows)
        })
        .map_err(to_py)?;
    Ok(PyBytes::new(py, &bytes).unbind())
}

/// Every task here on all cores, written into `folder` (replaced whole on success); Ctrl-C
/// stops it at the next cell and leaves the folder as it was. Returns the partitions' paths.
#[pyfunction]
fn sweep_local(py: Python<'_>, spec_text: String, folder: String) -> PyResult<Vec<String>> {
    crate::wait::interruptible(py, |cancel| -> Result<Vec<PathBuf>, AppError> {
        let s = spec(&spec_text, "spec")?;
        let store = store::current()?;
        parts::run_to_folder(
            &store,
            &s,
            Path::new(&folder),
            &Limits::default(),
            cancel,
            &|| {},
        )
    })
    .map(|v| v.into_iter().map(|p| p.display().to_string()).collect())
}

/// Where this process's data come from ("the embedded snapshot", or a data folder).
#[pyfunction]
fn store_origin(py: Python<'_>) -> PyResult<String> {
    py.detach(|| store::current().map(|s| s.origin().to_string()))
        .map_err(to_py)
}

/// A sweep's output folder while partitions computed elsewhere arrive: each is staged beside
/// the folder, and `commit` replaces the folder once every task's partition is there (a sweep
/// that fails leaves the folder as it was).
#[pyclass]
struct SweepFolder {
    staging: Option<parts::Staging>,
}

#[pymethods]
impl SweepFolder {
    #[new]
    fn new(py: Python<'_>, spec_text: String, folder: String) -> PyResult<Self> {
        let staging = py
            .detach(|| {
                let s = spec(&spec_text, "spec")?;
                parts::Staging::begin(Path::new(&folder), s.tasks())
            })
            .map_err(to_py)?;
        Ok(SweepFolder {
            staging: Some(staging),
        })
    }

    /// Stages one task's partition.
    fn put(&self, py: Python<'_>, task: usize, data: &[u8]) -> PyResult<()> {
        let staging = self.staging.as_ref().ok_or_else(committed)?;
        py.detach(|| staging.put(task, data)).map_err(to_py)
    }

    /// Replaces the folder with the staged partitions; refused unless every task is there.
    fn commit(&mut self, py: Python<'_>) -> PyResult<Vec<String>> {
        let staging = self.staging.take().ok_or_else(committed)?;
        py.detach(|| staging.commit())
            .map(|v| v.into_iter().map(|p| p.display().to_string()).collect())
            .map_err(to_py)
    }
}

fn committed() -> PyErr {
    crate::errors::InvalidInputError::new_err("this sweep folder was already committed")
}

/// Registers the sweep functions on the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sweep_canonical, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_tasks, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_digest, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_task, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_local, m)?)?;
    m.add_function(wrap_pyfunction!(store_origin, m)?)?;
    m.add_class::<SweepFolder>()?;
    Ok(())
}
