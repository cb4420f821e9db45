//! Why this file exists: `lodestone trade <commodity>` rendered by origin or by HS product.

use lodestone_app::trade::by_product;
use lodestone_app::types::ImportDependence;
use lodestone_app::Store;

use super::Result;
use crate::cli::{ByArg, Format, TradeArgs};
use crate::output::{num, opt_pct, pct, print, print_json, Table};

pub fn run(store: &Store, a: &TradeArgs) -> Result<()> {
    let out = lodestone_app::trade::trade(store, &a.query)?;
    match a.format {
        Format::Parquet | Format::Xlsx => crate::output::tables(lodestone_tables::results::of(
            &lodestone_tables::shapes::TRADE,
            &out,
        )),
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
                for r in table(store, d, a.by).rows {
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
                s.push_str(&render(store, d, a.by));
                s.push('\n');
            }
            print(&s)
        }
    }
}

fn table(store: &Store, d: &ImportDependence, by: ByArg) -> Table {
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
                    if d.imports_kusd > 0.0 {
                        num(o.value_kusd)
                    } else {
                        "–".into()
                    },
                    pct(o.share_quantity),
                    if d.imports_kusd > 0.0 {
                        pct(o.share_value)
                    } else {
                        "–".into()
                    },
                    if o.in_concern_set {
                        "*".into()
                    } else {
                        String::new()
                    },
                ]);
            }
        }
        ByArg::Product => {
            for p in by_product(store, d) {
                let (k, q, v) = (p.hs6, p.quantity_t, p.value_kusd);
                t.push(vec![
                    lodestone_app::types::ProductLabel(k).to_string(),
                    store
                        .dataset()
                        .concordance
                        .get(k)
                        .map(|l| l.form.clone())
                        .unwrap_or_default(),
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

/// The product forms behind a result, from the concordance ("APT; tungsten oxides").
fn forms(store: &Store, d: &ImportDependence) -> String {
    let mut f: Vec<String> = d
        .hs_codes
        .iter()
        .filter_map(|k| store.dataset().concordance.get(*k).map(|l| l.form.clone()))
        .collect();
    f.dedup();
    f.join("; ")
}

fn render(store: &Store, d: &ImportDependence, by: ByArg) -> String {
    let mut s = format!(
        "{} — {} stage, imports into {} in {} ({}: {})\n",
        d.commodity,
        d.stage,
        d.viewpoint,
        d.year,
        lodestone_app::types::product_labels(&d.hs_codes),
        forms(store, d)
    );
    s.push_str(&format!(
        "Coverage: {}.\n",
        lodestone_app::types::coverage_line(&d.coverage)
    ));
    s.push_str(&format!(
        "Imports {} t ({}); exports {} t. Import reliance: {} ({}).\n",
        num(d.imports_t),
        if d.imports_kusd > 0.0 {
            format!("{} thousand USD", num(d.imports_kusd))
        } else {
            "no value stated".to_string()
        },
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
        if d.imports_kusd > 0.0 {
            pct(d.concern_share_value)
        } else {
            "–".to_string()
        }
    ));
    if let Some(x) = d.indirect_concern_exposure {
        s.push_str(&format!(
            " One step upstream (suppliers' own imports): {}.",
            pct(x)
        ));
    }
    s.push_str("\n\n");
    s.push_str(&table(store, d, by).render());
    for n in &d.notes {
        s.push_str(&format!("Note: {n}\n"));
    }
    s.push_str(&format!("Source: {}\n", d.trade_source));
    s
}
