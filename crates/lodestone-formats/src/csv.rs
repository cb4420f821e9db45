//! Why this file exists: every CSV file in `data/` is read and written the same way — rows into
//! serde structs with file:line:column on errors (a file cut inside a quoted field, or with text
//! after a closing quote, refused by [`crate::quotes`] before any row is read), `\n` line ends,
//! and whole-file atomic writes — so the per-file modules only say which columns a row has.

use serde::{de::DeserializeOwned, Serialize};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use lodestone_model::ModelError;

/// An I/O error naming the file it happened on.
pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ModelError + '_ {
    move |source| ModelError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A csv crate error as a located parse error: the record's line, the field's 1-based column.
fn csv_error(path: &Path, e: ::csv::Error) -> ModelError {
    let (line, column) = match e.position() {
        Some(p) => (p.line(), 0),
        None => (0, 0),
    };
    let (line, column, found) = match e.kind() {
        ::csv::ErrorKind::Deserialize { pos, err } => {
            let line = pos.as_ref().map_or(line, |p| p.line());
            let column = err.field().map_or(column, |f| f + 1);
            // A column's own check ("expected a finite number, found NaN") says it all.
            if let ::csv::DeserializeErrorKind::Message(m) = err.kind() {
                return ModelError::Parse(lodestone_model::Located::new(path, line, column, "", m));
            }
            (line, column, err.kind().to_string())
        }
        _ => (line, column, e.to_string()),
    };
    ModelError::parse(path, line, column, "a row of the documented columns", found)
}

/// Reads every row of a CSV file into `T`, with file:line:column on errors.
pub fn read_csv<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>, ModelError> {
    let bytes = fs::read(path).map_err(io(path))?;
    read_csv_bytes(path, &bytes)
}

/// Reads every row of CSV text into `T`; `path` names the text in errors. Text cut inside a
/// quoted field, or with text after a closing quote, is refused at its line and column.
pub fn read_csv_bytes<T: DeserializeOwned>(
    path: &Path,
    bytes: &[u8],
) -> Result<Vec<T>, ModelError> {
    crate::quotes::check_quotes(bytes).map_err(|p| p.error(path))?;
    let mut rdr = ::csv::ReaderBuilder::new().from_reader(bytes);
    let mut out = Vec::new();
    for row in rdr.deserialize() {
        out.push(row.map_err(|e| csv_error(path, e))?);
    }
    Ok(out)
}

/// A number column that must hold a finite number: `NaN` and `inf`, which the float parser
/// accepts, are refused where they stand (`deserialize_with = "crate::csv::finite"`).
pub(crate) fn finite<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let v = <f64 as serde::Deserialize>::deserialize(d)?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(serde::de::Error::custom(format!(
            "expected a finite number, found {v}"
        )))
    }
}

/// An optional number column (empty = none) that, when present, must be finite.
pub(crate) fn opt_finite<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let v = <Option<f64> as serde::Deserialize>::deserialize(d)?;
    match v {
        Some(x) if !x.is_finite() => Err(serde::de::Error::custom(format!(
            "expected a finite number or nothing, found {x}"
        ))),
        _ => Ok(v),
    }
}

/// The rows as CSV bytes: a header from `T`'s fields, `\n` line ends.
pub(crate) fn to_csv<T: Serialize>(rows: impl IntoIterator<Item = T>) -> Vec<u8> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for r in rows {
        w.serialize(r).expect("in-memory CSV write cannot fail");
    }
    w.into_inner().expect("in-memory CSV flush cannot fail")
}

/// A `|`-separated list cell ("CHN|RUS"), trimmed, without empty parts.
pub(crate) fn split_list(s: &str) -> Vec<String> {
    s.split('|')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect()
}

/// A cell parsed by its vocabulary's `FromStr`, located at `line`:`column` on failure.
pub(crate) fn parse_field<T: std::str::FromStr<Err = ModelError>>(
    path: &Path,
    line: u64,
    column: u64,
    what: &str,
    text: &str,
) -> Result<T, ModelError> {
    text.parse::<T>()
        .map_err(|e| ModelError::parse(path, line, column, what, format!("{text} ({e})")))
}

/// The 1-based file line of the `i`-th data row (line 1 is the header).
pub(crate) fn row_line(i: usize) -> u64 {
    i as u64 + 2
}

/// Writes `bytes` to `path` atomically: a temporary file beside it, then a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ModelError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(io(dir))?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("out"),
        std::process::id()
    ));
    {
        let mut f = fs::File::create(&tmp).map_err(io(&tmp))?;
        f.write_all(bytes).map_err(io(&tmp))?;
        f.sync_all().map_err(io(&tmp))?;
    }
    fs::rename(&tmp, path).map_err(io(path))
}

/// Writes each (path relative to `dir`, bytes) atomically, in order; the paths written.
pub(crate) fn write_all(
    dir: &Path,
    files: &[(PathBuf, Vec<u8>)],
) -> Result<Vec<PathBuf>, ModelError> {
    let mut written = Vec::new();
    for (rel, bytes) in files {
        let path = dir.join(rel);
        write_atomic(&path, bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// Removes the `.csv` files of `dir` that are not in `keep` (files a previous build wrote and
/// the new one no longer produces); called only after every new file is in place.
pub(crate) fn remove_stale_csv(dir: &Path, keep: &[PathBuf]) -> Result<(), ModelError> {
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "csv") && !keep.contains(&p) {
                fs::remove_file(&p).map_err(io(&p))?;
            }
        }
    }
    Ok(())
}

/// The `.csv` files of a folder whose names pass `keep`, sorted.
pub(crate) fn csv_files(
    dir: &Path,
    keep: impl Fn(&str) -> bool,
) -> Result<Vec<PathBuf>, ModelError> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(&keep))
        .collect();
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/b.txt");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(
            std::fs::read_dir(p.parent().unwrap()).unwrap().count(),
            1,
            "no temp files left"
        );
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Row {
        name: String,
        year: u16,
    }

    #[test]
    fn a_bad_cell_is_located_at_its_line_and_column() {
        let p = Path::new("t.csv");
        let err = read_csv_bytes::<Row>(p, b"name,year\nx,1\ny,twenty\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("t.csv:3:2:"), "{err}");
        assert_eq!(split_list(" CHN | |RUS"), ["CHN", "RUS"]);
    }
}
