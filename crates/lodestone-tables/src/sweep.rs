//! Why this file exists: a sweep's results are Parquet partitions, one per task, that must be
//! the same bytes wherever the task ran (here on rayon, or on a Dask worker). The columns are
//! typed by the row type, never by the values one partition happens to hold (a partition whose
//! bands are all empty still has number columns), and the folder is written so that a re-run
//! never leaves a stale partition behind.

use std::path::{Path, PathBuf};

use lodestone_app::sweep::SweepRow;
use lodestone_app::AppError;

use crate::table::{Column, Table, Values};

/// A partition's file name.
pub fn part_name(task: usize) -> String {
    format!("part-{task:06}.parquet")
}

fn text(name: &str, v: Vec<Option<String>>) -> Column {
    Column {
        name: name.into(),
        values: Values::Text(v),
    }
}
fn int(name: &str, v: Vec<Option<i64>>) -> Column {
    Column {
        name: name.into(),
        values: Values::Int(v),
    }
}
fn float(name: &str, v: Vec<Option<f64>>) -> Column {
    Column {
        name: name.into(),
        values: Values::Float(v),
    }
}

/// The rows as a table with a fixed schema (tonnes in `*_t` columns, on the row's `basis`).
pub fn table(rows: &[SweepRow]) -> Table {
    let s = |f: fn(&SweepRow) -> &str| rows.iter().map(|r| Some(f(r).to_string())).collect();
    let i = |f: fn(&SweepRow) -> i64| rows.iter().map(|r| Some(f(r))).collect();
    let x = |f: fn(&SweepRow) -> Option<f64>| rows.iter().map(f).collect();
    Table {
        name: "sweep".into(),
        columns: vec![
            int("task", i(|r| r.task as i64)),
            int("cell", i(|r| r.cell as i64)),
            text("commodity", s(|r| &r.commodity)),
            text("stage", s(|r| &r.stage)),
            int("year", i(|r| i64::from(r.year))),
            text("shocked", s(|r| &r.shocked)),
            text("kind", s(|r| &r.kind)),
            float("shock", x(|r| Some(r.shock))),
            int("draws", i(|r| i64::from(r.draws))),
            // Cell seeds are cut to 63 bits by the sweep, so they fit a signed column.
            int("seed", i(|r| r.seed as i64)),
            text("country", rows.iter().map(|r| r.country.clone()).collect()),
            float("loss_t", x(|r| Some(r.loss_t))),
            float("use_t", x(|r| Some(r.use_t))),
            float("share_of_use", x(|r| r.share_of_use)),
            float("retained_t", x(|r| Some(r.retained_t))),
            float("stock_draw_t", x(|r| Some(r.stock_draw_t))),
            float("consumption_cut_t", x(|r| Some(r.consumption_cut_t))),
            int(
                "depth",
                rows.iter().map(|r| r.depth.map(|d| d as i64)).collect(),
            ),
            float("loss_p05_t", x(|r| r.loss_p05_t)),
            float("loss_p50_t", x(|r| r.loss_p50_t)),
            float("loss_p95_t", x(|r| r.loss_p95_t)),
            float("initial_shock_t", x(|r| Some(r.initial_shock_t))),
            text("basis", s(|r| &r.basis)),
            text("note", rows.iter().map(|r| r.note.clone()).collect()),
        ],
    }
}

/// One task's partition: its rows as Parquet, carrying the spec's canonical text and the task
/// number as file metadata (so a partition says what produced it).
pub fn partition(
    spec_canonical: &str,
    task: usize,
    rows: &[SweepRow],
) -> Result<Vec<u8>, AppError> {
    let meta = [
        (
            "lodestone.sweep.spec".to_string(),
            spec_canonical.to_string(),
        ),
        ("lodestone.sweep.task".to_string(), task.to_string()),
    ];
    crate::parquet::parquet(&table(rows), &meta).map_err(|e| AppError::internal(e.to_string()))
}

/// Makes `folder` ready for a sweep of `tasks` partitions: created if missing (its parent must
/// exist); an existing folder may hold only partitions (an earlier run's), and those beyond
/// this run's last task are removed so the folder holds exactly this run's results.
pub fn prepare_folder(folder: &Path, tasks: usize) -> Result<(), AppError> {
    let parent = folder.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(p) = parent.filter(|p| !p.is_dir()) {
        return Err(AppError::invalid(format!(
            "{}: the folder {} does not exist; create it first or write elsewhere",
            folder.display(),
            p.display()
        )));
    }
    if folder.exists() && !folder.is_dir() {
        return Err(AppError::invalid(format!(
            "{}: is a file; a sweep writes a folder of partitions (part-000000.parquet, …)",
            folder.display()
        )));
    }
    let io = |e: std::io::Error| AppError::invalid(format!("{}: {e}", folder.display()));
    std::fs::create_dir_all(folder).map_err(io)?;
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(io)? {
        let name = entry
            .map_err(io)?
            .file_name()
            .to_string_lossy()
            .into_owned();
        let task = name
            .strip_prefix("part-")
            .and_then(|n| n.strip_suffix(".parquet"))
            .and_then(|n| n.parse::<usize>().ok());
        match task {
            Some(t) if t >= tasks => stale.push(folder.join(&name)),
            Some(_) => {}
            None => {
                return Err(AppError::invalid(format!(
                    "{}: holds {name}, which is not a sweep partition; write the sweep to a new or empty folder",
                    folder.display()
                )))
            }
        }
    }
    for f in stale {
        std::fs::remove_file(&f).map_err(io)?;
    }
    Ok(())
}

/// Writes one partition into a prepared folder, atomically.
pub fn write_part(folder: &Path, task: usize, bytes: &[u8]) -> Result<PathBuf, AppError> {
    let path = folder.join(part_name(task));
    lodestone_app::types::write_atomic(&path, bytes)?;
    Ok(path)
}

/// A short digest of a spec's canonical text (names the Dask tasks of one sweep).
pub fn digest(spec_canonical: &str) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(spec_canonical.as_bytes());
    d.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Runs every task of a sweep here, on all cores, writing each task's partition into `folder`
/// as it finishes; returns the partitions in task order. `progress` is called once per cell.
pub fn run_to_folder(
    store: &lodestone_app::Store,
    spec: &lodestone_app::sweep::SweepSpec,
    folder: &Path,
    limits: &lodestone_app::Limits,
    cancel: &lodestone_app::Cancel,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<PathBuf>, AppError> {
    spec.check(limits)?;
    prepare_folder(folder, spec.tasks())?;
    let canonical = spec.canonical();
    lodestone_app::sweep::run_local_each(store, spec, limits, cancel, progress, &|task, rows| {
        write_part(folder, task, &partition(&canonical, task, &rows)?).map(|_| ())
    })?;
    Ok((0..spec.tasks())
        .map(|t| folder.join(part_name(t)))
        .collect())
}
