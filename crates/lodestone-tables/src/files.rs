//! Why this file exists: `--format parquet` and `--format xlsx` write the same tables the same
//! way for every command: atomically, the main table at the path asked for.

use std::path::{Path, PathBuf};

use lodestone_app::AppError;

use crate::flatten::Tables;

/// The file formats of tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// One Parquet file per table: the main table at the path, the others beside it as
    /// `<stem>.<table>.parquet` (sources and notes included).
    Parquet,
    /// One workbook: a sheet per table, then "sources" and "notes".
    Xlsx,
}

/// Writes the tables and returns the files written, main file first.
pub fn write(tables: &Tables, format: FileFormat, path: &Path) -> Result<Vec<PathBuf>, AppError> {
    let internal = |e: &dyn std::fmt::Display| AppError::internal(e.to_string());
    match format {
        FileFormat::Xlsx => {
            let bytes = crate::xlsx::workbook(tables).map_err(|e| internal(&e))?;
            lodestone_app::types::write_atomic(path, &bytes)?;
            Ok(vec![path.to_path_buf()])
        }
        FileFormat::Parquet => {
            let notes = notes_metadata(tables);
            let mut written = Vec::new();
            for (i, t) in tables.tables.iter().enumerate() {
                let target = if i == 0 {
                    path.to_path_buf()
                } else {
                    sibling(path, &t.name)
                };
                let bytes = crate::parquet::parquet(t, &notes).map_err(|e| internal(&e))?;
                lodestone_app::types::write_atomic(&target, &bytes)?;
                written.push(target);
            }
            Ok(written)
        }
    }
}

/// `risk.parquet` + `sources` → `risk.sources.parquet`.
pub fn sibling(path: &Path, table: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!("{stem}.{table}.parquet"))
}

/// The notes as Parquet key-value metadata (`lodestone.notes`, one line per note), so a single
/// file still says what it holds.
fn notes_metadata(tables: &Tables) -> Vec<(String, String)> {
    let Some(notes) = tables.get("notes") else {
        return vec![];
    };
    let col = |n: &str| match notes.column(n).map(|c| &c.values) {
        Some(crate::table::Values::Text(v)) => v.clone(),
        _ => vec![],
    };
    let text: Vec<String> = col("topic")
        .into_iter()
        .zip(col("text"))
        .map(|(k, v)| format!("{}: {}", k.unwrap_or_default(), v.unwrap_or_default()))
        .collect();
    vec![("lodestone.notes".to_string(), text.join("\n"))]
}
