//! Why this file exists: a sweep's results are Parquet partitions, one per task, that must be
//! the same bytes wherever the task ran (here on rayon, or on a Dask worker). The columns are
//! typed by the row type, never by the values one partition happens to hold (a partition whose
//! bands are all empty still has number columns), and the folder is replaced whole, only by a
//! complete run ([`Staging`]): never a mix of two runs, never an earlier run lost to a failed one.

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
            float("use_t", x(|r| r.use_t)),
            float("share_of_use", x(|r| r.share_of_use)),
            float("retained_t", x(|r| r.retained_t)),
            float("stock_draw_t", x(|r| r.stock_draw_t)),
            float("consumption_cut_t", x(|r| r.consumption_cut_t)),
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

/// One task's partition: its rows as Parquet, carrying the spec's canonical text, the task
/// number and the data it ran on as file metadata (so a partition says what produced it).
pub fn partition(
    spec_canonical: &str,
    task: usize,
    data: &str,
    rows: &[SweepRow],
) -> Result<Vec<u8>, AppError> {
    let meta = [
        (
            "lodestone.sweep.spec".to_string(),
            spec_canonical.to_string(),
        ),
        ("lodestone.sweep.task".to_string(), task.to_string()),
        ("lodestone.data".to_string(), data.to_string()),
    ];
    crate::parquet::parquet(&table(rows), &meta).map_err(|e| AppError::internal(e.to_string()))
}

/// A sweep's folder being written: partitions go to a staging folder beside it, and only a
/// complete set (every task once) replaces the folder, in one rename. A run that fails or is
/// stopped leaves the folder as it was (an earlier run's results intact, never a mix).
#[derive(Debug)]
pub struct Staging {
    folder: PathBuf,
    staging: PathBuf,
    tasks: usize,
    committed: bool,
}

fn beside(folder: &Path, suffix: &str) -> PathBuf {
    let name = folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    folder.with_file_name(format!(".{name}.{suffix}"))
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> AppError + '_ {
    move |e| AppError::invalid(format!("{}: {e}", path.display()))
}

/// The task a file name holds, if it is exactly a partition's name.
fn task_of(name: &str) -> Option<usize> {
    let t = name
        .strip_prefix("part-")?
        .strip_suffix(".parquet")?
        .parse::<usize>()
        .ok()?;
    (part_name(t) == name).then_some(t)
}

impl Staging {
    /// Checks the folder (its parent must exist; if it exists it may hold only partitions) and
    /// opens a fresh staging folder beside it (clearing a killed run's).
    pub fn begin(folder: &Path, tasks: usize) -> Result<Staging, AppError> {
        // The folder is swapped by renaming it: ".", ".." or "/" cannot be.
        if !matches!(
            folder.components().next_back(),
            Some(std::path::Component::Normal(_))
        ) {
            return Err(AppError::invalid(format!(
                "{}: expected a folder name for the partitions (e.g. results.parquet)",
                folder.display()
            )));
        }
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
        if folder.is_dir() {
            for entry in std::fs::read_dir(folder).map_err(io_error(folder))? {
                let name = entry
                    .map_err(io_error(folder))?
                    .file_name()
                    .to_string_lossy()
                    .into_owned();
                if task_of(&name).is_none() {
                    return Err(AppError::invalid(format!(
                        "{}: holds {name}, which is not a sweep partition; write the sweep to a new folder or one that holds only an earlier sweep's partitions",
                        folder.display()
                    )));
                }
            }
        }
        let staging = beside(folder, "partial");
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(io_error(&staging))?;
        }
        std::fs::create_dir(&staging).map_err(io_error(&staging))?;
        Ok(Staging {
            folder: folder.to_path_buf(),
            staging,
            tasks,
            committed: false,
        })
    }

    /// Writes one task's partition into the staging folder.
    pub fn put(&self, task: usize, bytes: &[u8]) -> Result<(), AppError> {
        if task >= self.tasks {
            return Err(AppError::invalid(format!(
                "partition {task}: this sweep has tasks 0 to {}",
                self.tasks.saturating_sub(1)
            )));
        }
        lodestone_app::types::write_atomic(&self.staging.join(part_name(task)), bytes)?;
        Ok(())
    }

    /// Replaces the folder with the staging folder once it holds every task's partition;
    /// returns the partitions in task order.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, AppError> {
        let mut have = vec![false; self.tasks];
        for entry in std::fs::read_dir(&self.staging).map_err(io_error(&self.staging))? {
            let name = entry
                .map_err(io_error(&self.staging))?
                .file_name()
                .to_string_lossy()
                .into_owned();
            if let Some(t) = task_of(&name).filter(|t| *t < self.tasks) {
                have[t] = true;
            }
        }
        if let Some(missing) = have.iter().position(|h| !h) {
            return Err(AppError::internal(format!(
                "partition {missing} of {} was never written; {} left as it was",
                self.tasks,
                self.folder.display()
            )));
        }
        let old = beside(&self.folder, "old");
        if self.folder.exists() {
            if old.exists() {
                std::fs::remove_dir_all(&old).map_err(io_error(&old))?;
            }
            std::fs::rename(&self.folder, &old).map_err(io_error(&self.folder))?;
        }
        std::fs::rename(&self.staging, &self.folder).map_err(io_error(&self.staging))?;
        self.committed = true;
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(io_error(&old))?;
        }
        Ok((0..self.tasks)
            .map(|t| self.folder.join(part_name(t)))
            .collect())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
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
    let staging = Staging::begin(folder, spec.tasks())?;
    let canonical = spec.canonical();
    let data = store.origin().to_string();
    lodestone_app::sweep::run_local_each(store, spec, limits, cancel, progress, &|task, rows| {
        staging.put(task, &partition(&canonical, task, &data, &rows)?)
    })?;
    staging.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_folder_is_replaced_only_by_a_complete_run() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("r.parquet");
        let first = Staging::begin(&out, 2).unwrap();
        first.put(0, b"a").unwrap();
        first.put(1, b"b").unwrap();
        first.commit().unwrap();
        assert_eq!(names(&out), ["part-000000.parquet", "part-000001.parquet"]);
        // A run of one task that stops before its partition leaves the two-task run whole.
        let second = Staging::begin(&out, 1).unwrap();
        let e = second.commit().unwrap_err();
        assert!(
            e.message.contains("partition 0 of 1 was never written"),
            "{e}"
        );
        assert_eq!(names(&out), ["part-000000.parquet", "part-000001.parquet"]);
        assert_eq!(names(tmp.path()), ["r.parquet"], "no staging folder left");
        // A complete smaller run replaces it: no stale partition.
        let third = Staging::begin(&out, 1).unwrap();
        third.put(0, b"c").unwrap();
        assert!(third.put(1, b"d").is_err(), "no task 1 in a one-task sweep");
        third.commit().unwrap();
        assert_eq!(names(&out), ["part-000000.parquet"]);
        assert_eq!(
            std::fs::read(out.join("part-000000.parquet")).unwrap(),
            b"c"
        );
    }

    #[test]
    fn folders_a_sweep_must_not_replace_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        for bad in [".", "..", "/"] {
            let e = Staging::begin(Path::new(bad), 1).unwrap_err();
            assert!(e.message.contains("expected a folder name"), "{bad}: {e}");
        }
        let mixed = tmp.path().join("mine");
        std::fs::create_dir(&mixed).unwrap();
        std::fs::write(mixed.join("notes.txt"), "keep").unwrap();
        std::fs::write(mixed.join("part-1.parquet"), "x").unwrap();
        let e = Staging::begin(&mixed, 1).unwrap_err();
        assert!(e.message.contains("not a sweep partition"), "{e}");
        let e = Staging::begin(&tmp.path().join("no/such"), 1).unwrap_err();
        assert!(e.message.contains("does not exist"), "{e}");
        assert_eq!(task_of("part-000001.parquet"), Some(1));
        assert_eq!(task_of("part-1.parquet"), None);
    }
}
