//! Why this file exists: `lodestone brief`, the main job.

use anyhow::{Context, Result};

use lodestone_analysis::brief::{brief, Brief};
use lodestone_model::Dataset;

use super::list_of;
use crate::cli::{BriefArgs, Format};
use crate::output::{pct, print, print_json, Table};

/// What the project pipeline changes by 2030 and the planner's best mix, per mineral.
#[derive(Debug, serde::Serialize)]
struct Outlook {
    commodity: String,
    projects: usize,
    c5_share_base: f64,
    c5_share_2030: f64,
    concern_share_base: f64,
    concern_share_2030: f64,
    /// Planner (concern set ≤ 30 %, C5 preferred): the three largest origins.
    best_mix: Vec<(String, f64)>,
    risk_before: Option<f64>,
    risk_after: Option<f64>,
    #[serde(skip_serializing_if = "String::is_empty")]
    missing: String,
}

fn outlooks(ds: &Dataset, b: &Brief) -> Vec<Outlook> {
    let Ok(reg) = lodestone_planner::registry_from(lodestone_data::texts::PROJECTS, ds) else {
        return vec![];
    };
    let trade = lodestone_data::trade();
    b.rows
        .iter()
        .filter(|r| r.profile.is_some())
        .filter_map(|r| {
            let projects = reg.iter().filter(|p| p.commodity == r.commodity).count();
            let fq = lodestone_planner::ForecastQuery {
                commodity: r.commodity.clone(),
                stage: None,
                to: 2030,
                only_financed: false,
                draws: 0,
                seed: 0,
            };
            let f = lodestone_planner::forecast(ds, &reg, &fq).ok()?;
            let first = f.years.first()?;
            let y2030 = f.year(2030)?;
            let pq = lodestone_planner::PlanQuery {
                commodity: r.commodity.clone(),
                stage: None,
                importer: b.importer.clone(),
                year: 2030,
                caps: vec![lodestone_planner::Bound {
                    target: "concern".into(),
                    value: 0.3,
                }],
                floors: vec![],
                prefer: vec!["c5".into()],
                cost_weight: 0.1,
                frontier: false,
            };
            let (best_mix, risk_before, risk_after, missing) =
                match lodestone_planner::plan(ds, trade, &reg, &pq) {
                    Ok(p) => (
                        p.origins
                            .iter()
                            .take(3)
                            .map(|o| (o.origin.clone(), o.planned_share))
                            .collect(),
                        Some(p.risk_before),
                        Some(p.risk_after),
                        String::new(),
                    ),
                    Err(e) => (vec![], None, None, e.to_string()),
                };
            Some(Outlook {
                commodity: r.commodity.clone(),
                projects,
                c5_share_base: first.c5_share,
                c5_share_2030: y2030.c5_share,
                concern_share_base: first.concern_share,
                concern_share_2030: y2030.concern_share,
                best_mix,
                risk_before,
                risk_after,
                missing,
            })
        })
        .collect()
}

pub fn run(ds: &Dataset, a: &BriefArgs) -> Result<()> {
    let b = brief(
        ds,
        Some(lodestone_data::trade()),
        list_of(a.list),
        &a.importer,
        a.year,
    )?;
    let outlook = outlooks(ds, &b);
    if let Some(path) = &a.html {
        let html = lodestone_report::brief_html(ds, &b);
        lodestone_model::text::write_atomic(path, html.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    match a.format {
        Format::Json => print_json(&serde_json::json!({ "brief": b, "outlook_2030": outlook })),
        Format::Csv => print(&table(&b).to_csv()?),
        Format::Table => {
            let mut s = render(&b);
            let mut t = Table::new(&[
                "mineral",
                "projects",
                "C5 share now → 2030",
                "concern now → 2030",
                "best mix (concern ≤ 30 %, C5 preferred)",
                "risk Σs²·WGI",
            ]);
            for o in &outlook {
                t.push(vec![
                    o.commodity.clone(),
                    o.projects.to_string(),
                    format!("{} → {}", pct(o.c5_share_base), pct(o.c5_share_2030)),
                    format!(
                        "{} → {}",
                        pct(o.concern_share_base),
                        pct(o.concern_share_2030)
                    ),
                    if o.best_mix.is_empty() {
                        o.missing.chars().take(60).collect()
                    } else {
                        o.best_mix
                            .iter()
                            .map(|(c, v)| format!("{c} {}", pct(*v)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    },
                    match (o.risk_before, o.risk_after) {
                        (Some(x), Some(y)) => format!("{x:.2} → {y:.2}"),
                        _ => "–".into(),
                    },
                ]);
            }
            s.push_str(&format!(
                "\nPipeline to 2030 (expected, project registry) and the planner's mix for {}:\n",
                b.importer_name
            ));
            s.push_str(&t.render());
            print(&s)
        }
    }
}

fn table(b: &Brief) -> Table {
    let mut t = Table::new(&[
        "mineral",
        "stage",
        "year",
        "top producer",
        "share",
        "HHI",
        "NIR",
        "concern",
        "GeoPolRisk (rank)",
        "C5 prod",
        "C5 reserves",
        "C5 producers",
    ]);
    for r in &b.rows {
        let nir = r
            .net_import_reliance
            .as_ref()
            .map(|n| nir_text(&n.printed))
            .unwrap_or_else(|| "–".into());
        let gpr = match (r.geopolrisk, r.geopolrisk_rank) {
            (Some(g), Some(k)) => format!("{g:.3} ({k})"),
            _ => "–".into(),
        };
        match &r.profile {
            Some(p) => t.push(vec![
                r.name.clone(),
                p.stage.clone(),
                p.year.to_string(),
                p.top_producer_name.clone(),
                pct(p.top_share),
                format!("{:.2}", p.hhi),
                nir,
                pct(p.concern_share),
                gpr,
                pct(p.c5_share),
                p.c5_reserves_share.map(pct).unwrap_or_else(|| "–".into()),
                p.c5_producers
                    .iter()
                    .map(|(c, s)| format!("{c} {}", pct(*s)))
                    .collect::<Vec<_>>()
                    .join(", "),
            ]),
            None => t.push(vec![
                r.name.clone(),
                "–".into(),
                "–".into(),
                "no production data".into(),
                String::new(),
                String::new(),
                nir,
                String::new(),
                gpr,
                String::new(),
                String::new(),
                String::new(),
            ]),
        }
    }
    t
}

fn render(b: &Brief) -> String {
    let mut s = format!(
        "Supply-chain security brief — {} — viewpoint {} ({}); concern set: {}\n\n",
        b.list_title,
        b.importer_name,
        b.importer,
        b.concern_members.join(", ")
    );
    s.push_str(&table(b).render());
    let with = b.rows.iter().filter(|r| r.profile.is_some()).count();
    let c5: Vec<String> = b
        .rows
        .iter()
        .filter_map(|r| r.profile.as_ref().map(|p| (r, p)))
        .filter(|(_, p)| p.c5_share >= 0.05)
        .map(|(r, p)| format!("{} {}", r.name, pct(p.c5_share)))
        .collect();
    s.push_str(&format!(
        "\n{with} of {} minerals with production data. Central Asia holds ≥ 5 % of world output in: {}.\n",
        b.rows.len(),
        if c5.is_empty() { "none".to_string() } else { c5.join(", ") }
    ));
    for n in &b.notes {
        s.push_str(&format!("Note: {n}\n"));
    }
    s.push_str("Sources per row: --format json (each row names its file, row and field).\n");
    s
}

/// "82" → "82%", ">50" → ">50%", "E" → "E (net exporter)".
pub fn nir_text(printed: &str) -> String {
    let t = printed.trim().trim_end_matches('%');
    if t == "E" {
        "E (net exporter)".into()
    } else if t.chars().any(|c| c.is_ascii_digit()) {
        format!("{t}%")
    } else {
        t.to_string()
    }
}
