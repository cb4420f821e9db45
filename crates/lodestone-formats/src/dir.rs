//! Why this file exists: the whole `data/` folder is read, and its derived files written, by
//! composing the per-file modules in one fixed order — the order sources are interned in, so the
//! same folder always loads to the same dataset and writes the same bytes.

use std::path::{Path, PathBuf};

use lodestone_model::{Dataset, ModelError};

use crate::csv::{remove_stale_csv, write_all};
use crate::{assessment, concordance, materials, observations, reference, shapes, us_tables, wgi};

/// Reads the curated reference files (countries, aliases, groups, commodities, conversions and
/// the HS concordance).
pub fn read_reference(dir: &Path) -> Result<Dataset, ModelError> {
    let mut ds = Dataset {
        countries: reference::read_countries(dir)?,
        ..Dataset::default()
    };
    ds.groups = reference::read_groups(dir, &ds.countries)?;
    ds.commodities = reference::read_commodities(dir)?;
    ds.conversions = reference::read_conversions(dir)?;
    ds.concordance = concordance::read_concordance(dir, &ds.commodities)?;
    ds.eu_assessment = assessment::read_eu_assessment(dir, &ds.commodities)?;
    ds.intern_note("");
    Ok(ds)
}

/// Reads the whole `data/` folder: reference files plus the derived tables.
pub fn read_dir(dir: &Path) -> Result<Dataset, ModelError> {
    let mut ds = read_reference(dir)?;
    observations::read_observations(&mut ds, dir)?;
    us_tables::read_salient(&mut ds, dir)?;
    us_tables::read_import_reliance(&mut ds, dir)?;
    wgi::read_wgi(&mut ds, dir)?;
    ds.materials = materials::read_materials(dir)?;
    ds.shapes = shapes::read_shapes(dir)?;
    Ok(ds)
}

/// The derived files of a dataset, as (relative path, bytes), in a fixed order.
pub fn derived_files(ds: &Dataset) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = observations::observation_files(ds);
    out.extend([
        (us_tables::SALIENT_FILE.into(), us_tables::salient_csv(ds)),
        (
            us_tables::RELIANCE_FILE.into(),
            us_tables::import_reliance_csv(ds),
        ),
        (wgi::FILE.into(), wgi::wgi_csv(ds)),
        (
            shapes::FILE.into(),
            shapes::format_shapes(&ds.shapes).into_bytes(),
        ),
        (
            materials::FILE.into(),
            materials::materials_csv(&ds.materials),
        ),
    ]);
    out
}

/// Writes the derived files under `dir`, each atomically; files of a previous build that the new
/// build does not produce are removed only after every new file is in place.
pub fn write_derived(ds: &Dataset, dir: &Path) -> Result<Vec<PathBuf>, ModelError> {
    let written = write_all(dir, &derived_files(ds))?;
    remove_stale_csv(&dir.join(observations::DIR), &written)?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo_data() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
    }

    #[test]
    fn committed_data_loads_and_round_trips_through_text_and_snapshot() {
        let ds = read_dir(&repo_data()).unwrap();
        assert!(ds.observations.len() > 40_000);
        assert!(ds.commodities.all().len() >= 70);
        for iso3 in ["KAZ", "KGZ", "TJK", "TKM", "UZB"] {
            assert!(ds.countries.by_iso3(iso3).is_some());
        }
        let again = crate::snapshot::decode(&crate::snapshot::encode(&ds).unwrap()).unwrap();
        assert_eq!(derived_files(&again), derived_files(&ds));
        assert_eq!(
            again
                .countries
                .resolve("Korea, North")
                .map(|c| c.iso3.as_str()),
            Some("PRK")
        );
    }

    #[test]
    fn derived_files_are_the_committed_bytes_and_write_back_in_place() {
        let ds = read_dir(&repo_data()).unwrap();
        for (rel, bytes) in derived_files(&ds) {
            let committed = std::fs::read(repo_data().join(&rel)).unwrap();
            assert!(
                committed == bytes,
                "{} changes on a round trip",
                rel.display()
            );
        }
        let out = tempfile::tempdir().unwrap();
        let stale = out.path().join("observations/old-edition.csv");
        crate::csv::write_atomic(&stale, b"x\n").unwrap();
        let written = write_derived(&ds, out.path()).unwrap();
        assert!(!stale.exists());
        assert_eq!(read_dir_derived(out.path()), written.len());
    }

    /// How many files a write left under `dir` (observations plus the top-level tables).
    fn read_dir_derived(dir: &Path) -> usize {
        let top = std::fs::read_dir(dir).unwrap().flatten().count() - 1;
        top + std::fs::read_dir(dir.join("observations")).unwrap().count()
    }
}
