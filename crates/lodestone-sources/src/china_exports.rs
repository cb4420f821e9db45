//! Why this file exists: China refines most of the world's graphite and reports its exports by
//! partner to UN Comtrade; the extract in `comtrade-china-exports-cmm` (Ennis, from Comtrade with
//! China as reporter) holds them monthly by HS6 for 2017–2024. This reader sums the months into
//! years and turns the codes a commodity owns alone into exporter-reported flows: artificial
//! graphite (HS 380110, the synthetic anode material China's December 2023 controls reach).
//! Natural graphite (250410) is left out because the embedded BACI release already carries it,
//! and 811292 because gallium, germanium, indium and other minor metals share it.
//!
//! China applied HS 2017 from 2017 and HS 2022 from 2022; each year's flows are filed under the
//! edition in force. The author's derived tables (HHI, leakage, premiums) are not read.

use std::collections::BTreeMap;
use std::path::Path;

use lodestone_model::{CountryRegistry, FormFlow, Nomenclature, Provenance, Stage};

use crate::error::SourceError;
use crate::record::ReadReport;

/// The codes read, with the commodity, stage and form each is filed under.
const CODES: [(u32, &str, Stage, &str); 1] = [(
    380110,
    "graphite",
    Stage::Processing,
    "artificial (synthetic) graphite",
)];

/// Reads `deep_dive_hs6_monthly.csv` (`period_dt,partner_name,hs6,val,qty,uv`; val in USD, qty in
/// kg) into yearly flows China → partner.
pub fn read_partner_exports(
    path: &Path,
    file: &str,
    bytes: &[u8],
    countries: &CountryRegistry,
    source_id: &str,
) -> Result<(Vec<FormFlow>, ReadReport), SourceError> {
    SourceError::check_quotes(path, bytes)?;
    let mut rdr = csv::Reader::from_reader(bytes);
    let mut sums: BTreeMap<(u16, String, u32), (f64, f64, u32)> = BTreeMap::new();
    let mut report = ReadReport::default();
    for (n, rec) in rdr.records().enumerate() {
        let line = n as u64 + 2;
        let rec = rec.map_err(|e| SourceError::parse(path, line, 1, "a CSV row", e.to_string()))?;
        let get = |i: usize| rec.get(i).unwrap_or_default();
        let Ok(code) = get(2).parse::<u32>() else {
            return Err(SourceError::parse(path, line, 3, "an HS6 code", get(2)));
        };
        if !CODES.iter().any(|c| c.0 == code) {
            continue;
        }
        let year: u16 = get(0)
            .get(..4)
            .and_then(|y| y.parse().ok())
            .ok_or_else(|| SourceError::parse(path, line, 1, "a date YYYY-MM-DD", get(0)))?;
        let number = |i: usize, what: &str| {
            get(i)
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| SourceError::parse(path, line, i as u64 + 1, what, get(i)))
        };
        let (value, qty) = (number(3, "a value in USD")?, number(4, "a quantity in kg")?);
        let Some(partner) = countries.resolve(get(1)).map(|c| c.iso3.clone()) else {
            report
                .unresolved_labels
                .push((get(1).to_string(), line as u32));
            continue;
        };
        let e = sums.entry((year, partner, code)).or_insert((0.0, 0.0, 0));
        e.0 += qty / 1000.0;
        e.1 += value / 1000.0;
        e.2 += 1;
    }
    let flows = sums
        .into_iter()
        .filter_map(|((year, partner, code), (t, kusd, months))| {
            let (_, commodity, stage, form) = CODES.iter().find(|c| c.0 == code)?;
            Some(FormFlow {
                year,
                exporter: "CHN".into(),
                importer: partner,
                commodity: commodity.to_string(),
                stage: *stage,
                form: form.to_string(),
                nomenclature: if year >= 2022 {
                    Nomenclature::Hs2022
                } else {
                    Nomenclature::Hs2017
                },
                code,
                quantity_t: (t > 0.0).then_some(t),
                value_kusd: Some(kusd),
                provenance: Provenance::ReportedByExporter,
                source: source_id.to_string(),
                file: file.to_string(),
                field: format!("hs6={code}"),
                note: format!("sum of {months} monthly rows (UN Comtrade, China as reporter)"),
            })
        })
        .collect();
    Ok((flows, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "period_dt,partner_name,hs6,val,qty,uv
2021-01-01,South Korea,380110,1000.0,2000.0,0.5
2021-02-01,South Korea,380110,3000.0,4000.0,0.75
2022-01-01,Japan,380110,500.0,1000.0,0.5
2022-01-01,Japan,250410,500.0,1000.0,0.5
2022-01-01,Atlantis,380110,1.0,1.0,1.0
";

    #[test]
    fn months_sum_to_years_under_the_edition_in_force() {
        let countries = &lodestone_formats::reference::read_countries(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data"),
        )
        .unwrap();
        let (f, r) =
            read_partner_exports(Path::new("d.csv"), "d.csv", CSV.as_bytes(), countries, "cn")
                .unwrap();
        assert_eq!(
            f.len(),
            2,
            "natural graphite is BACI's; Atlantis is unresolved"
        );
        assert_eq!(f[0].importer, "KOR");
        assert_eq!(f[0].quantity_t, Some(6.0));
        assert_eq!(f[0].value_kusd, Some(4.0));
        assert_eq!(f[0].nomenclature, Nomenclature::Hs2017);
        assert_eq!(f[1].nomenclature, Nomenclature::Hs2022);
        assert_eq!(r.unresolved_labels, vec![("Atlantis".to_string(), 6)]);
    }

    #[test]
    fn a_bad_quantity_is_located() {
        let bad = CSV.replace("2000.0", "lots");
        let countries = &lodestone_formats::reference::read_countries(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data"),
        )
        .unwrap();
        let e = read_partner_exports(Path::new("d.csv"), "d.csv", bad.as_bytes(), countries, "cn")
            .unwrap_err()
            .to_string();
        assert!(e.contains("d.csv:2:5"), "{e}");
    }

    /// Issue #14: text after a closing quote was read into the cell, and a file cut inside a
    /// quoted field lost its last rows, without a word.
    #[test]
    fn quote_problems_are_located() {
        let countries = &lodestone_formats::reference::read_countries(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data"),
        )
        .unwrap();
        let read = |text: &str| {
            read_partner_exports(
                Path::new("d.csv"),
                "d.csv",
                text.as_bytes(),
                countries,
                "cn",
            )
            .unwrap_err()
            .to_string()
        };
        let quoted = CSV.replace("2022-01-01,Japan,380110", "2022-01-01,\"Japan\",380110");
        let e = read(&quoted.replacen("\"Japan\"", "\"Japan\"ese", 1));
        assert_eq!(
            e,
            "d.csv:4:19: expected a comma or a line end after the closing quote, found 'e'"
        );
        let e = read(&quoted[..quoted.find("Japan").unwrap() + 3]);
        assert!(e.starts_with("d.csv:4:12: expected a closing quote"), "{e}");
    }
}
