//! Why this file exists: `lodestone trade <commodity> --importer X`.

use anyhow::Result;
use std::collections::BTreeMap;

use lodestone_analysis::dependence::{import_dependence, traded_stages, ImportDependence};
use lodestone_analysis::risk::default_year;
use lodestone_analysis::viewpoint::Viewpoint;
use lodestone_model::{Dataset, Stage, TradeData};

use super::UsageError;
use crate::cli::{ByArg, Format, TradeArgs};
use crate::output::{num, opt_pct, pct, print, print_json, Table};

pub fn run(ds: &Dataset, trade: &TradeData, a: &TradeArgs) -> Result<()> {
    let vp = Viewpoint::resolve(ds, trade, &a.importer)?;
    let year = match a.year {
        Some(y) => y,
        None => default_year(trade)?,
    };
    let c = ds.commodities.lookup(&a.commodity)?.id.clone();
    let stages: Vec<Stage> = match &a.stage {
        Some(s) => vec![s.parse::<Stage>().map_err(|e| UsageError(e.to_string()))?],
        None => traded_stages(ds, &c),
    };
    if stages.is_empty() {
        return Err(UsageError(format!(
            "{c} is not linked to any HS code in data/hs-concordance.csv, so it has no trade data"
        ))
        .into());
    }
    let mut out = Vec::new();
    for s in stages {
        out.push(import_dependence(ds, trade, &c, s, &vp, year)?);
    }
    match a.format {
        Format::Json => print_json(&out),
        Format::Csv => {
            let mut all = Table::new(&[
                "stage",
                "origin",
                "name",
                "tonnes",
                "thousand USD",
                "share (t)",
                "share (USD)",
                "concern",
            ]);
            for d in &out {
                for r in table(trade, d, a.by).rows {
                    let mut row = vec![d.stage.to_string()];
                    row.extend(r);
                    all.push(row);
                }
            }
            print(&all.to_csv()?)
        }
        Format::Table => {
            let mut s = String::new();
            for d in &out {
                s.push_str(&render(trade, d, a.by));
                s.push('\n');
            }
            print(&s)
        }
    }
}

fn table(trade: &TradeData, d: &ImportDependence, by: ByArg) -> Table {
    let mut t = Table::new(&[
        "origin",
        "name",
        "tonnes",
        "thousand USD",
        "share (t)",
        "share (USD)",
        "concern",
    ]);
    match by {
        ByArg::Origin => {
            for o in &d.origins {
                t.push(vec![
                    if o.iso3.is_empty() {
                        format!("BACI {}", o.code)
                    } else {
                        o.iso3.clone()
                    },
                    o.name.clone(),
                    num(o.quantity_t),
                    num(o.value_kusd),
                    pct(o.share_quantity),
                    pct(o.share_value),
                    if o.in_concern_set {
                        "*".into()
                    } else {
                        String::new()
                    },
                ]);
            }
        }
        ByArg::Product => {
            let mut by: BTreeMap<u32, (f64, f64)> = BTreeMap::new();
            for &k in &d.hs_codes {
                for f in trade.flows_of(d.year, k) {
                    let inside_i = d
                        .members
                        .iter()
                        .any(|m| trade.iso3_of(f.importer) == Some(m.as_str()));
                    let inside_e = d
                        .members
                        .iter()
                        .any(|m| trade.iso3_of(f.exporter) == Some(m.as_str()));
                    if inside_i && !inside_e {
                        let e = by.entry(k).or_default();
                        e.0 += f.quantity_t.unwrap_or(0.0);
                        e.1 += f.value_kusd;
                    }
                }
            }
            for (k, (q, v)) in by {
                t.push(vec![
                    format!("HS {k:06}"),
                    String::new(),
                    num(q),
                    num(v),
                    if d.imports_t > 0.0 {
                        pct(q / d.imports_t)
                    } else {
                        "–".into()
                    },
                    if d.imports_kusd > 0.0 {
                        pct(v / d.imports_kusd)
                    } else {
                        "–".into()
                    },
                    String::new(),
                ]);
            }
        }
    }
    t
}

fn render(trade: &TradeData, d: &ImportDependence, by: ByArg) -> String {
    let mut s = format!(
        "{} — {} stage, imports into {} in {} (HS {})\n",
        d.commodity,
        d.stage,
        d.viewpoint,
        d.year,
        d.hs_codes
            .iter()
            .map(|k| format!("{k:06}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    s.push_str(&format!(
        "Imports {} t ({} thousand USD); exports {} t. Import reliance: {} ({}).\n",
        num(d.imports_t),
        num(d.imports_kusd),
        num(d.exports_t),
        opt_pct(d.import_reliance),
        d.import_reliance_rule
    ));
    if let Some(p) = d.production {
        s.push_str(&format!(
            "Domestic production: {} t ({}; {}).\n",
            num(p),
            d.production_basis,
            d.production_source
        ));
    }
    s.push_str(&format!(
        "From the concern set: {} of tonnes, {} of value.",
        pct(d.concern_share_quantity),
        pct(d.concern_share_value)
    ));
    if let Some(x) = d.indirect_concern_exposure {
        s.push_str(&format!(
            " One step upstream (suppliers' own imports): {}.",
            pct(x)
        ));
    }
    s.push_str("\n\n");
    s.push_str(&table(trade, d, by).render());
    for n in &d.notes {
        s.push_str(&format!("Note: {n}\n"));
    }
    s.push_str(&format!("Source: {}\n", d.trade_source));
    s
}
