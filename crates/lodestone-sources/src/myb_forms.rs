//! Why this file exists: the USGS Minerals Yearbook's US-imports tables are the only complete,
//! importer-reported record here of processed forms by origin (APT, tungsten oxides,
//! ferrotungsten, antimony oxide, unwrought gallium and germanium, rare-earth compounds and
//! metals, cobalt chemicals). This file turns [`MybImport`] rows into flows of processed forms
//! under the HTS lines of `data/hs-concordance.csv`, one basis per form (the content basis where
//! the table prints one, else gross weight), summing the table rows a line groups.
//!
//! Rows the concordance does not list — ores and concentrates (BACI's reconciled HS 1992 flows
//! already carry them) and waste and scrap (secondary supply) — are left out and counted.

use std::collections::BTreeMap;

use lodestone_model::{Concordance, FormFlow, HsLink, Nomenclature, Provenance};

use crate::myb_imports::MybImport;

/// Yearbook forms grouped under one concordance line whose name is not their prefix.
const ALIASES: [(&str, &str); 9] = [
    ("cerium, unalloyed", "rare-earth metals"),
    ("lanthanum, unalloyed", "rare-earth metals"),
    ("neodymium, unalloyed", "rare-earth metals"),
    ("other rare-earth metals, unalloyed", "rare-earth metals"),
    ("other rare-earth metals, alloys", "rare-earth metals"),
    ("lanthanum carbonates mixtures", "unspecified compounds or mixtures"),
    ("other rare-earth carbonates mixtures", "unspecified compounds or mixtures"),
    ("scandium or yttrium chloride mixtures", "unspecified compounds or mixtures"),
    (
        "yttrium materials and compounds content by weight greater than19% but less than 85% oxide equivalent",
        "unspecified compounds or mixtures",
    ),
];

/// The concordance line (HTS8) a yearbook form is filed under.
fn line_of<'a>(c: &'a Concordance, r: &'a MybImport) -> Option<&'a HsLink> {
    let form = ALIASES
        .iter()
        .find(|(from, _)| *from == r.form)
        .map_or(r.form.as_str(), |(_, to)| to);
    c.of_commodity(&r.commodity)
        .filter(|l| l.nomenclature == Nomenclature::Hts8)
        .find(|l| form == l.form || form.starts_with(&format!("{}, ", l.form)))
}

/// What the conversion kept and left out.
#[derive(Debug, Default, PartialEq)]
pub struct FormsReport {
    pub flows: usize,
    /// Rows of forms the concordance does not list (ores, scrap).
    pub unlisted: usize,
    /// Rows in a second basis of a form already read in its content basis.
    pub other_basis: usize,
    /// Rows withheld or without a quantity.
    pub withheld: usize,
}

/// The yearbook's import rows as flows into the USA, reported by the importer.
pub fn us_import_flows(
    rows: &[MybImport],
    concordance: &Concordance,
    source_id: &str,
) -> (Vec<FormFlow>, FormsReport) {
    let mut report = FormsReport::default();
    // Forms printed with a content basis keep that basis only.
    let content: Vec<(&str, &str, u16)> = rows
        .iter()
        .filter(|r| r.basis != "gross weight")
        .map(|r| (r.commodity.as_str(), r.form.as_str(), r.year))
        .collect();
    let mut sums: BTreeMap<(u16, String, u32), (FormFlow, f64, f64)> = BTreeMap::new();
    for r in rows {
        let Some(line) = line_of(concordance, r) else {
            report.unlisted += 1;
            continue;
        };
        if r.basis == "gross weight" && content.contains(&(&r.commodity, &r.form, r.year)) {
            report.other_basis += 1;
            continue;
        }
        let Some(q) = r.quantity else {
            report.withheld += 1;
            continue;
        };
        let tonnes = if r.unit == "kg" { q / 1000.0 } else { q };
        let exporter = r.origin_iso3.clone().unwrap_or_else(|| "OTH".to_string());
        let (_, code) = Nomenclature::of_key(line.hs6);
        let e = sums
            .entry((r.year, exporter.clone(), line.hs6))
            .or_insert_with(|| {
                (
                    FormFlow {
                        year: r.year,
                        exporter,
                        importer: "USA".into(),
                        commodity: r.commodity.clone(),
                        stage: line.stage,
                        form: line.form.clone(),
                        nomenclature: Nomenclature::Hts8,
                        code,
                        quantity_t: None,
                        value_kusd: None,
                        provenance: Provenance::ReportedByImporter,
                        source: source_id.to_string(),
                        file: r.file.clone(),
                        field: r.field.clone(),
                        note: format!("{} ({}); {}", r.table, r.basis, r.flags)
                            .trim_end_matches("; ")
                            .to_string(),
                    },
                    0.0,
                    0.0,
                )
            });
        e.1 += tonnes;
        e.2 += r.value_usd.unwrap_or(0.0) / 1000.0;
        if e.0.field != r.field && !e.0.field.contains(&r.field) {
            e.0.field = format!("{}+{}", e.0.field, r.field);
        }
    }
    let flows: Vec<FormFlow> = sums
        .into_values()
        .map(|(mut f, q, v)| {
            f.quantity_t = Some(q);
            f.value_kusd = (v > 0.0).then_some(v);
            f
        })
        .collect();
    report.flows = flows.len();
    (flows, report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lodestone_model::Stage;

    fn link(code: u32, commodity: &str, form: &str) -> HsLink {
        HsLink {
            hs6: Nomenclature::Hts8.key(code).unwrap(),
            nomenclature: Nomenclature::Hts8,
            description: String::new(),
            commodity: commodity.into(),
            stage: Stage::Refinery,
            form: form.into(),
            content_factor: Some(1.0),
            content_source: String::new(),
            content_basis: String::new(),
            geopolrisk: vec![],
            source: String::new(),
        }
    }

    fn row(form: &str, origin: Option<&str>, q: Option<f64>, basis: &str) -> MybImport {
        MybImport {
            commodity: if form.contains("antimony") {
                "antimony"
            } else {
                "rare-earths"
            }
            .into(),
            form: form.into(),
            hts: None,
            year: 2018,
            origin_label: origin.unwrap_or("Other").into(),
            origin_iso3: origin.map(str::to_string),
            quantity: q,
            unit: "t".into(),
            basis: basis.into(),
            value_usd: Some(2000.0),
            flags: String::new(),
            file: "f.xlsx".into(),
            field: "Table 6!C9".into(),
            table: "TABLE 6".into(),
        }
    }

    #[test]
    fn one_basis_per_form_aliases_summed_ores_left_out() {
        let c = Concordance {
            links: vec![
                link(28258000, "antimony", "antimony oxide"),
                link(28053000, "rare-earths", "rare-earth metals"),
            ],
        };
        let rows = vec![
            row("antimony oxide", Some("CHN"), Some(100.0), "gross weight"),
            row("antimony oxide", Some("CHN"), Some(80.0), "Sb content"),
            row(
                "antimony ore and concentrate",
                Some("CHN"),
                Some(5.0),
                "Sb content",
            ),
            row("cerium, unalloyed", Some("CHN"), Some(2.0), "gross weight"),
            row(
                "lanthanum, unalloyed",
                Some("CHN"),
                Some(3.0),
                "gross weight",
            ),
            row("neodymium, unalloyed", None, None, "gross weight"),
        ];
        let (f, r) = us_import_flows(&rows, &c, "myb");
        assert_eq!(
            r,
            FormsReport {
                flows: 2,
                unlisted: 1,
                other_basis: 1,
                withheld: 1
            }
        );
        let sb = f.iter().find(|x| x.commodity == "antimony").unwrap();
        assert_eq!(sb.quantity_t, Some(80.0));
        assert_eq!(sb.provenance, Provenance::ReportedByImporter);
        let re = f.iter().find(|x| x.commodity == "rare-earths").unwrap();
        assert_eq!(re.quantity_t, Some(5.0));
        assert_eq!(re.value_kusd, Some(4.0));
    }
}
