//! Why this file exists: `lodestone brief`, the main job, rendered as a table, CSV, JSON and an
//! optional self-contained HTML page.

use lodestone_app::brief::{brief, html};
use lodestone_app::types::fixed;
use lodestone_app::types::Brief;
use lodestone_app::Store;

use super::Result;
use crate::cli::{BriefArgs, Format};
use crate::output::{pct, print, print_json, range_pct, writable, write_file, Table};

pub fn run(store: &Store, a: &BriefArgs) -> Result<()> {
    if let Some(path) = &a.html {
        writable(path)?;
    }
    let report = brief(store, &a.query)?;
    let b = &report.brief;
    if let Some(path) = &a.html {
        write_file(path, html(store, &report).as_bytes())?;
    }
    match a.format {
        Format::Parquet | Format::Xlsx => crate::output::tables(lodestone_tables::results::of(
            &lodestone_tables::shapes::BRIEF,
            &report,
        )),
        Format::Json => print_json(&report),
        Format::Csv => print(&table(b).to_csv()?),
        Format::Table => {
            let mut s = render(b);
            let mut t = Table::new(&[
                "mineral",
                "projects",
                "C5 share now → 2030",
                "concern now → 2030",
                "controlled 2030",
                "best mix (concern ≤ 30 %, C5 preferred)",
                "risk Σs²·WGI",
            ]);
            for o in &report.outlook_2030 {
                t.push(vec![
                    o.commodity.clone(),
                    o.projects.to_string(),
                    format!("{} → {}", pct(o.c5_share_base), pct(o.c5_share_2030)),
                    format!(
                        "{} → {}",
                        pct(o.concern_share_base),
                        pct(o.concern_share_2030)
                    ),
                    range_pct(o.concern_controlled_2030),
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
        "concern-controlled",
        "processing: concern (stage, year)",
        "bottleneck",
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
            (Some(g), Some(k)) => format!("{} ({k})", fixed(g, 3)),
            _ => "–".into(),
        };
        let processing = r.processing.as_ref().map_or_else(
            || "–".into(),
            |p| format!("{} ({} {})", pct(p.concern_share), p.stage, p.year),
        );
        let bottleneck = r.bottleneck_stage.clone().unwrap_or_else(|| "–".into());
        match &r.profile {
            Some(p) => t.push(vec![
                r.name.clone(),
                p.stage.clone(),
                p.year.to_string(),
                p.top_producer_name.clone(),
                pct(p.top_share),
                fixed(p.hhi, 2),
                nir,
                pct(p.concern_share),
                range_pct(p.concern_controlled),
                processing,
                bottleneck,
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
                String::new(),
                processing,
                bottleneck,
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
    s.push_str(&format!(
        "concern = share of world output located in the concern set; concern-controlled = share \
         controlled through ownership ({}), a range where asset output is unpublished; \
         `profile <mineral>` lists the assets and owners.\n",
        "owners from the concern set holding 25 % or more"
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
