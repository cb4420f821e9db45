//! Why this file exists: the brief as one self-contained HTML file — tables, an SVG bar chart and
//! an SVG world map inline, a source for every row, no script and no network.

use lodestone_model::display::{fixed, percent};
use std::collections::BTreeMap;

use plotters::style::RGBColor;

use lodestone_analysis::brief::{Brief, BriefRow};
use lodestone_model::Dataset;

use crate::chart::{stacked_shares, Bar};
use crate::map::{choropleth, Class};

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// A fraction as a percentage with one decimal.
fn pct(v: f64) -> String {
    percent(v)
}

const STYLE: &str =
    "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px;color:#222;max-width:1100px}\
h1{font-size:22px}h2{font-size:17px;margin-top:28px}table{border-collapse:collapse;font-size:13px}\
th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}td.n{text-align:right}\
tr.c5 td{background:#f1f8f4}.muted{color:#777}a{color:#1a5fb4;text-decoration:none}\
ol.src{font-size:12px;color:#444}figure{margin:0}svg{max-width:100%;height:auto}";

/// Renders the brief as HTML.
pub fn brief_html(ds: &Dataset, b: &Brief) -> String {
    let mut h = page_head(b);
    h.push_str(&minerals_table(b));
    h.push_str(&production_chart(b));
    h.push_str(&supply_map(ds, b));
    h.push_str(&sources_list(b));
    h.push_str("</body></html>\n");
    h
}

/// The document head, the title and the viewpoint line.
fn page_head(b: &Brief) -> String {
    let mut h = String::new();
    h.push_str("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.push_str(&format!(
        "<title>Lodestone brief — {}</title>",
        esc(&b.list_title)
    ));
    h.push_str(&format!("<style>{STYLE}</style></head><body>"));
    h.push_str(&format!(
        "<h1>Supply-chain security brief</h1><p>{} — viewpoint <b>{}</b> ({}); concern set: {}.</p>",
        esc(&b.list_title),
        esc(&b.importer_name),
        esc(&b.importer),
        esc(&b.concern_members.join(", "))
    ));
    h
}

/// The minerals table: one row per mineral, each linked to its source entry.
fn minerals_table(b: &Brief) -> String {
    let mut h = String::from("<h2>Minerals</h2><table><thead><tr><th>Mineral</th><th>Stage, year</th><th>Top producer</th><th>Share</th><th>HHI</th><th>Net import reliance</th><th>Concern set</th><th>Processing: concern set (stage, year)</th><th>Bottleneck</th><th>GeoPolRisk (rank)</th><th>C5 production</th><th>C5 reserves</th><th>C5 producers</th><th>Source</th></tr></thead><tbody>");
    for (i, r) in b.rows.iter().enumerate() {
        h.push_str(&mineral_row(i, r));
    }
    h.push_str("</tbody></table>");
    h
}

/// Net import reliance as printed: a percentage, "E (net exporter)", another word, or "–".
fn import_reliance_cell(r: &BriefRow) -> String {
    r.net_import_reliance
        .as_ref()
        .map(|n| {
            let t = n.printed.trim().trim_end_matches('%');
            if t.chars().any(|c| c.is_ascii_digit()) {
                format!("{}%", esc(t))
            } else if t == "E" {
                "E (net exporter)".into()
            } else {
                esc(t)
            }
        })
        .unwrap_or_else(|| "–".into())
}

/// One table row: the production figures (highlighted where C5 holds ≥ 5 %), or why there are none.
fn mineral_row(i: usize, r: &BriefRow) -> String {
    let nir = import_reliance_cell(r);
    let src = format!("<a href=\"#src-{i}\">[{}]</a>", i + 1);
    let gpr = match (r.geopolrisk, r.geopolrisk_rank) {
        (Some(g), Some(k)) => format!("{} ({k})", fixed(g, 3)),
        _ => "–".into(),
    };
    let processing = r.processing.as_ref().map_or_else(
        || "–".into(),
        |p| format!("{} ({} {})", pct(p.concern_share), esc(&p.stage), p.year),
    );
    let stages = format!(
        "<td class=\"n\">{processing}</td><td>{}</td>",
        esc(r.bottleneck_stage.as_deref().unwrap_or("–"))
    );
    match &r.profile {
        Some(p) => {
            let cls = if p.c5_share >= 0.05 { " class=\"c5\"" } else { "" };
            format!(
                "<tr{cls}><td>{}</td><td>{} {}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{:.2}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>{stages}<td class=\"n\">{gpr}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{src}</td></tr>",
                esc(&r.name),
                esc(&p.stage),
                p.year,
                esc(&p.top_producer_name),
                pct(p.top_share),
                p.hhi,
                nir,
                pct(p.concern_share),
                pct(p.c5_share),
                p.c5_reserves_share.map(pct).unwrap_or_else(|| "–".into()),
                esc(&p.c5_producers.iter().map(|(c, s)| format!("{c} {}", pct(*s))).collect::<Vec<_>>().join(", ")),
            )
        }
        None => format!(
            "<tr><td>{}</td><td colspan=\"4\" class=\"muted\">{}</td><td class=\"n\">{}</td><td></td>{stages}<td class=\"n\">{gpr}</td><td colspan=\"3\"></td><td>{src}</td></tr>",
            esc(&r.name),
            esc(&r.missing),
            nir
        ),
    }
}

/// Per mineral with production figures, its world production split into China, the rest of the
/// concern set, Central Asia (C5) and the rest of the world.
fn production_bars(b: &Brief) -> Vec<Bar> {
    let has_china = b.concern_members.iter().any(|c| c == "CHN");
    b.rows
        .iter()
        .filter_map(|r| {
            let p = r.profile.as_ref()?;
            let china = p.share_of("CHN");
            let concern_other = (p.concern_share - if has_china { china } else { 0.0 }).max(0.0);
            let rest = (1.0 - china - concern_other - p.c5_share).max(0.0);
            Some(Bar {
                label: r.name.clone(),
                segments: vec![china, concern_other, p.c5_share, rest],
            })
        })
        .collect()
}

/// The "Who produces" stacked bar chart, or why it was not drawn.
fn production_chart(b: &Brief) -> String {
    let concern_rest: Vec<String> = b
        .concern_members
        .iter()
        .filter(|c| *c != "CHN")
        .cloned()
        .collect();
    let other_label = if concern_rest.is_empty() {
        "rest of concern set".to_string()
    } else {
        format!("concern set excl. China ({})", concern_rest.join(", "))
    };
    match stacked_shares(
        "Share of world production",
        &["China", &other_label, "Central Asia (C5)", "rest of world"],
        &production_bars(b),
    ) {
        Ok(svg) => format!("<h2>Who produces</h2><figure>{svg}</figure>"),
        Err(e) => format!("<p class=\"muted\">chart not drawn: {}</p>", esc(&e)),
    }
}

/// In how many of the list's minerals each country holds ≥ 10 % of world output.
fn dominant_counts(b: &Brief) -> BTreeMap<String, usize> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for p in b.rows.iter().filter_map(|r| r.profile.as_ref()) {
        for (iso3, share) in &p.shares {
            if *share >= 0.10 {
                *counts.entry(iso3.clone()).or_default() += 1;
            }
        }
    }
    counts
}

/// The map's classes of that count: 1, 2–3, 4–6, 7 or more.
fn count_classes() -> Vec<Class> {
    let class = |label: &str, colour| Class {
        label: label.into(),
        colour,
    };
    vec![
        class("1 mineral", RGBColor(198, 219, 239)),
        class("2–3", RGBColor(107, 174, 214)),
        class("4–6", RGBColor(33, 113, 181)),
        class("7 or more", RGBColor(8, 48, 107)),
    ]
}

/// The class of a count (None for 0).
fn count_class(n: usize) -> Option<usize> {
    match n {
        0 => None,
        1 => Some(0),
        2..=3 => Some(1),
        4..=6 => Some(2),
        _ => Some(3),
    }
}

/// The "Where supply sits" world map, C5 outlined, or why it was not drawn.
fn supply_map(ds: &Dataset, b: &Brief) -> String {
    let counts = dominant_counts(b);
    let class_of = |iso3: &str| count_class(counts.get(iso3).copied().unwrap_or(0));
    let c5 = ds
        .groups
        .get("c5")
        .map(|g| g.members.clone())
        .unwrap_or_default();
    match choropleth(
        "Minerals on the list where a country holds ≥ 10 % of world production (C5 outlined in red)",
        &ds.shapes,
        &count_classes(),
        &class_of,
        &c5,
    ) {
        Ok(svg) => format!("<h2>Where supply sits</h2><figure>{svg}</figure>"),
        Err(e) => format!("<p class=\"muted\">map not drawn: {}</p>", esc(&e)),
    }
}

/// The numbered sources (the table's links point here), the brief's notes and the credit line.
fn sources_list(b: &Brief) -> String {
    let mut h = String::from("<h2>Sources</h2><ol class=\"src\">");
    for (i, r) in b.rows.iter().enumerate() {
        let prod = r
            .profile
            .as_ref()
            .map(|p| {
                format!(
                    "production: {} ({}, {})",
                    esc(&p.source),
                    esc(&p.unit),
                    esc(&p.basis)
                )
            })
            .unwrap_or_else(|| "no production data".into());
        let nir = r
            .net_import_reliance
            .as_ref()
            .map(|n| format!("; import reliance: {}", esc(&n.source)))
            .unwrap_or_default();
        h.push_str(&format!(
            "<li id=\"src-{i}\">{}: {prod}{nir}</li>",
            esc(&r.name)
        ));
    }
    h.push_str("</ol>");
    for n in &b.notes {
        h.push_str(&format!("<p class=\"muted\">{}</p>", esc(n)));
    }
    h.push_str("<p class=\"muted\">Made by Lodestone from public data: USGS Mineral Commodity Summaries, World Mining Data, World Bank WGI, Natural Earth outlines.</p>");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<a href=\"x\">R&D's</a>"),
            "&lt;a href=&quot;x&quot;&gt;R&amp;D&#39;s&lt;/a&gt;"
        );
    }

    #[test]
    fn brief_page_has_table_chart_map_and_sources() {
        let ds = lodestone_data::embedded();
        let b = lodestone_analysis::brief::brief(
            ds,
            None,
            lodestone_model::CriticalList::Us2022,
            "USA",
            None,
        )
        .unwrap();
        let page = brief_html(ds, &b);
        assert!(page.starts_with("<!doctype html>") && page.trim_end().ends_with("</html>"));
        assert_eq!(page.matches("<svg").count(), 2, "one chart, one map");
        assert!(page.contains(">Tungsten<"), "the chart labels its bars");
        assert!(
            page.contains("<path") || page.contains("<polygon"),
            "the map draws outlines"
        );
        for (i, _) in b.rows.iter().enumerate() {
            assert!(
                page.contains(&format!("id=\"src-{i}\"")),
                "row {i} has a source entry"
            );
        }
        assert!(!page.contains("map not drawn") && !page.contains("chart not drawn"));
    }
}
