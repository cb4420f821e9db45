//! Why this file exists: the disruption report — a world map of losses, the largest losses with
//! their Monte Carlo bands, and the links that changed, in one offline HTML file.

use lodestone_model::display::{fixed, percent};
use plotters::prelude::*;

use lodestone_cascade::scenario::Scenario;
use lodestone_cascade::simulate::{Simulation, StageResult};
use lodestone_model::Dataset;

use crate::chart::ensure_font;
use crate::html::esc;
use crate::map::{choropleth, Class};

/// A tonnage or band value: whole numbers from 100 up, else two decimals.
fn num(v: f64) -> String {
    if v.abs() >= 100.0 {
        fixed(v, 0)
    } else {
        fixed(v, 2)
    }
}

/// Horizontal bars of the largest losses with 5–95 % whiskers.
fn loss_chart(r: &StageResult) -> Result<String, String> {
    ensure_font();
    let rows: Vec<_> = r
        .countries
        .iter()
        .filter(|c| c.loss_t > 0.0)
        .take(15)
        .collect();
    let n = rows.len().max(1) as f64;
    let max = rows
        .iter()
        .map(|c| c.band.map_or(c.loss_t, |b| b.p95.max(c.loss_t)))
        .fold(0.0, f64::max)
        .max(1e-9)
        * 1.05;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (860, 80 + 24 * rows.len() as u32))
            .into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let labels: Vec<String> = rows.iter().map(|c| c.country.clone()).collect();
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!(
                    "Largest losses, {} ({}), tonnes: model result and 5–95 % band",
                    r.commodity, r.stage
                ),
                ("sans-serif", 15),
            )
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(90)
            .build_cartesian_2d(0.0..max, 0.0..n)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(WHITE)
            .y_labels(rows.len() * 2 + 1)
            .y_label_formatter(&|y| crate::chart::row_label(&labels, n, *y))
            .label_style(("sans-serif", 12))
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, c)| {
                let top = n - i as f64 - 0.2;
                Rectangle::new(
                    [(0.0, top), (c.loss_t, top - 0.6)],
                    RGBColor(200, 60, 40).filled(),
                )
            }))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(rows.iter().enumerate().filter_map(|(i, c)| {
                let b = c.band?;
                let y = n - i as f64 - 0.5;
                Some(PathElement::new(
                    vec![(b.p05, y), (b.p95, y)],
                    BLACK.stroke_width(2),
                ))
            }))
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// Renders a simulation as HTML.
pub fn simulation_html(ds: &Dataset, sc: &Scenario, sim: &Simulation) -> String {
    let mut h = page_head(sc, sim);
    for r in &sim.results {
        h.push_str(&stage_section(ds, r));
    }
    for s in &sc.sources {
        h.push_str(&format!(
            "<p class=\"muted\">Scenario source: {}</p>",
            esc(s)
        ));
    }
    h.push_str(&format!(
        "<p class=\"muted\">Trade: {}</p></body></html>\n",
        esc(&sim.trade_source)
    ));
    h
}

/// The document head, the scenario's title and description, and the model run's settings.
fn page_head(sc: &Scenario, sim: &Simulation) -> String {
    let mut h = String::from("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.push_str(&format!(
        "<title>Lodestone scenario — {}</title>",
        esc(&sim.scenario)
    ));
    h.push_str("<style>body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px;color:#222;max-width:1100px}table{border-collapse:collapse;font-size:13px}th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}td.n{text-align:right}.muted{color:#777}svg{max-width:100%;height:auto}</style></head><body>");
    h.push_str(&format!(
        "<h1>{}</h1><p>{}</p><p class=\"muted\">Model {}, {} Monte Carlo draws, seed {}.</p>",
        esc(&sim.scenario),
        esc(&sc.description),
        esc(&sim.model),
        sim.draws,
        sim.seed
    ));
    h
}

/// One commodity stage: the network summary, the loss map and chart, the loss table and the
/// links that changed most.
fn stage_section(ds: &Dataset, r: &StageResult) -> String {
    let mut h = format!(
        "<h2>{} — {} stage, {}</h2><p>Products: {}. Tonnes are {}.</p><ul>{}</ul><p>Network of {} countries and {} links; initial shock {} t; {} rounds; mass balance within {:.1e} t.</p>",
        esc(&r.commodity),
        r.stage,
        r.year,
        esc(&lodestone_model::product_labels(&r.hs_codes)),
        esc(&r.basis),
        r.shocks
            .iter()
            .map(|s| format!("<li>Shock: {}, {} t</li>", esc(&s.describe()), num(s.initial_t)))
            .collect::<String>(),
        r.network_countries,
        r.network_links,
        num(r.initial_shock_t),
        r.rounds,
        r.mass_balance_error
    );
    h.push_str(&loss_map(ds, r));
    match loss_chart(r) {
        Ok(svg) => h.push_str(&format!("<figure>{svg}</figure>")),
        Err(e) => h.push_str(&format!(
            "<p class=\"muted\">chart not drawn: {}</p>",
            esc(&e)
        )),
    }
    h.push_str(&loss_table(r));
    h.push_str(&links_table(r));
    h.push_str(&format!(
        "<p class=\"muted\">Production: {}</p>",
        esc(&r.production_rule)
    ));
    h
}

/// The map's classes of loss as a share of use: < 1 %, 1–5 %, 5–20 %, 20–50 %, ≥ 50 %.
fn loss_classes() -> Vec<Class> {
    let class = |label: &str, colour| Class {
        label: label.into(),
        colour,
    };
    vec![
        class("< 1 % of use", RGBColor(254, 229, 217)),
        class("1–5 %", RGBColor(252, 174, 145)),
        class("5–20 %", RGBColor(251, 106, 74)),
        class("20–50 %", RGBColor(222, 45, 38)),
        class("≥ 50 %", RGBColor(165, 15, 21)),
    ]
}

/// The class of a country's loss share (None when it lost nothing or has no share).
fn loss_class(r: &StageResult, iso3: &str) -> Option<usize> {
    let c = r.countries.iter().find(|c| c.country == iso3)?;
    let s = c.share_of_use.filter(|_| c.loss_t > 0.0)?;
    Some(match s {
        x if x < 0.01 => 0,
        x if x < 0.05 => 1,
        x if x < 0.20 => 2,
        x if x < 0.50 => 3,
        _ => 4,
    })
}

/// The world map of losses with the shock's origins outlined, or why it was not drawn.
fn loss_map(ds: &Dataset, r: &StageResult) -> String {
    let origins: Vec<String> = r
        .countries
        .iter()
        .filter(|c| c.retained_t > 0.0)
        .map(|c| c.country.clone())
        .collect();
    match choropleth(
        "Use cut as a share of apparent use (shock origin outlined in red)",
        &ds.shapes,
        &loss_classes(),
        &|iso3: &str| loss_class(r, iso3),
        &origins,
    ) {
        Ok(svg) => format!("<figure>{svg}</figure>"),
        Err(e) => format!("<p class=\"muted\">map not drawn: {}</p>", esc(&e)),
    }
}

/// The 30 largest losses with their share of use, Monte Carlo band and first round hit.
fn loss_table(r: &StageResult) -> String {
    let mut h = String::from("<table><thead><tr><th>Country</th><th>Loss (t)</th><th>Use (t)</th><th>Share of use cut</th><th>5 %</th><th>Median</th><th>95 %</th><th>Round first hit</th></tr></thead><tbody>");
    for c in r.countries.iter().filter(|c| c.loss_t > 0.0).take(30) {
        h.push_str(&format!(
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&c.country),
            num(c.loss_t),
            num(c.use_t),
            c.share_of_use.map(percent).unwrap_or_else(|| "no own use".into()),
            c.band.map(|b| num(b.p05)).unwrap_or_default(),
            c.band.map(|b| num(b.p50)).unwrap_or_default(),
            c.band.map(|b| num(b.p95)).unwrap_or_default(),
            c.depth.map(|d| d.to_string()).unwrap_or_else(|| "–".into()),
        ));
    }
    h.push_str("</tbody></table>");
    h
}

/// The 20 links whose flow changed most, before and after.
fn links_table(r: &StageResult) -> String {
    let mut h = String::from("<h3>Links that changed most</h3><table><thead><tr><th>From</th><th>To</th><th>Before (t)</th><th>After (t)</th></tr></thead><tbody>");
    for l in r.links_changed.iter().take(20) {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&l.from),
            esc(&l.to),
            num(l.before_t),
            num(l.after_t)
        ));
    }
    h.push_str("</tbody></table>");
    h
}
