//! Why this file exists: `lodestone projects`, `lodestone forecast` and `lodestone plan`.

use lodestone_app::types::fixed;
use lodestone_app::types::Band;
use lodestone_app::{Limits, Store};

use super::Result;
use crate::cli::{ForecastArgs, Format, PlanArgs, ProjectsArgs};
use crate::output::{num, pct, print, print_json, range_pct, Table};

pub fn projects(store: &Store, a: &ProjectsArgs) -> Result<()> {
    let rows = lodestone_app::projects::projects(store, &a.query)?;
    if a.format == Format::Json {
        return print_json(&rows);
    }
    if matches!(a.format, Format::Parquet | Format::Xlsx) {
        return crate::output::tables(lodestone_tables::results::of(
            &lodestone_tables::shapes::PROJECTS,
            &rows,
        ));
    }
    let mut t = Table::new(&[
        "id",
        "country",
        "commodity",
        "stage",
        "status",
        "start",
        "capacity",
        "financing",
        "source",
    ]);
    for p in &rows {
        t.push(vec![
            p.id.clone(),
            p.country.clone(),
            p.commodity.clone(),
            p.stage.to_string(),
            p.status.to_string(),
            p.first_production.to_string(),
            format!(
                "{} {} {}",
                num(p.capacity.value),
                p.capacity.unit,
                p.capacity.basis
            ),
            p.financing
                .iter()
                .map(|f| format!("{} {}", f.institution, f.instrument))
                .collect::<Vec<_>>()
                .join("; "),
            p.sources
                .first()
                .map(|s| format!("{} ({})", s.publisher, s.date))
                .unwrap_or_default(),
        ]);
    }
    if a.format == Format::Csv {
        print(&t.to_csv()?)
    } else {
        print(&format!(
            "{}{} of {} projects\n",
            t.render(),
            rows.len(),
            store.projects().len()
        ))
    }
}

pub fn forecast(store: &Store, a: &ForecastArgs) -> Result<()> {
    let f = lodestone_app::forecast::forecast(
        store,
        &a.query,
        &Limits::default(),
        &lodestone_app::Cancel::never(),
    )?;
    if a.format == Format::Json {
        return print_json(&f);
    }
    if matches!(a.format, Format::Parquet | Format::Xlsx) {
        return crate::output::tables(lodestone_tables::results::of(
            &lodestone_tables::shapes::FORECAST,
            &f,
        ));
    }
    let mut t = Table::new(&[
        "year",
        "world",
        "HHI",
        "HHI 5–95 %",
        "concern",
        "concern 5–95 %",
        "concern-controlled",
        "C5",
        "C5 5–95 %",
        "top producers",
    ]);
    let band = |b: &Option<Band>, as_pct: bool| {
        b.as_ref().map_or(String::new(), |b| {
            if as_pct {
                format!("{}–{}", pct(b.p05), pct(b.p95))
            } else {
                format!("{:.3}–{:.3}", b.p05, b.p95)
            }
        })
    };
    for y in &f.years {
        t.push(vec![
            y.year.to_string(),
            num(y.world),
            fixed(y.hhi, 3),
            band(&y.hhi_band, false),
            pct(y.concern_share),
            band(&y.concern_band, true),
            range_pct(y.concern_controlled),
            pct(y.c5_share),
            band(&y.c5_band, true),
            y.top
                .iter()
                .take(3)
                .map(|(c, v)| format!("{c} {}", pct(v / y.world)))
                .collect::<Vec<_>>()
                .join(", "),
        ]);
    }
    if a.format == Format::Csv {
        return print(&t.to_csv()?);
    }
    let mut s = format!(
        "{} ({}) supply forecast from {} ({}), in {} {}; {} projects, {} Monte Carlo draws\n\n",
        f.commodity,
        f.stage,
        f.base_year,
        f.base_source,
        f.unit,
        f.basis,
        f.contributions.len(),
        f.draws
    );
    s.push_str(&t.render());
    for c in &f.contributions {
        s.push_str(&format!(
            "Project {} ({}, {}{}): {} {} from {}{} at p = {:.2} ({}){}\n",
            c.id,
            c.country,
            c.status,
            if c.controlled {
                format!(
                    "; controlled by the concern set, {} held",
                    pct(c.concern_held)
                )
            } else {
                String::new()
            },
            num(c.capacity),
            f.unit,
            c.first_production,
            if c.base_ramp > 0.0 {
                format!(" ({:.0}% of it already in the base)", c.base_ramp * 100.0)
            } else {
                String::new()
            },
            c.probability,
            c.evidence,
            if c.conversion.is_empty() {
                String::new()
            } else {
                format!("; {}", c.conversion)
            }
        ));
    }
    if let Some(c) = &f.control {
        s.push_str(&format!(
            "Controlled through ownership in {}: {} (located in the concern set: {}); rule: {}. \
             Assets and owners: `lodestone profile {}`.\n",
            c.year,
            range_pct(Some((c.controlled_low, c.controlled_high))),
            pct(c.by_location),
            c.rule,
            f.commodity
        ));
    }
    for n in &f.notes {
        s.push_str(&format!("Note: {n}\n"));
    }
    print(&s)
}

pub fn plan(store: &Store, a: &PlanArgs) -> Result<()> {
    let p = lodestone_app::plan::plan(store, &a.query, &Limits::default())?;
    if a.format == Format::Json {
        return print_json(&p);
    }
    if matches!(a.format, Format::Parquet | Format::Xlsx) {
        return crate::output::tables(lodestone_tables::results::of(
            &lodestone_tables::shapes::PLAN,
            &p,
        ));
    }
    let mut t = Table::new(&[
        "origin",
        "role",
        "current",
        "planned",
        "planned t",
        "max (offer)",
        "WGI",
        "weight",
        "cost",
        "why",
    ]);
    for o in &p.origins {
        t.push(vec![
            o.origin.clone(),
            o.role.clone(),
            pct(o.current_share),
            pct(o.planned_share),
            num(o.planned_t),
            pct(o.max_share),
            o.wgi.map_or("n/a".into(), |w| fixed(w, 2)),
            fixed(o.weight, 2),
            fixed(o.relative_cost, 2),
            o.why.clone(),
        ]);
    }
    if a.format == Format::Csv {
        return print(&t.to_csv()?);
    }
    let d = &p.demand;
    let use_line = match d.apparent_use_t {
        Some(u) => format!(
            "apparent use {} t in {} ({} at home, {} to source abroad)",
            num(u),
            d.trade_year,
            num(d.production_t.unwrap_or(0.0)),
            num(d.need_t)
        ),
        None => format!("net imports {} t in {}", num(d.need_t), d.trade_year),
    };
    let mut s = format!(
        "Sourcing plan: {} ({}) for {} in {} — {use_line}\nBasis: {}\nRisk Σ s²·WGI: {:.3} now → {:.3} planned; cost index {:.2} → {:.2}\n\n",
        p.commodity, p.stage, p.importer, p.year, p.basis, p.risk_before, p.risk_after, p.cost_before, p.cost_after
    );
    s.push_str(&t.render());
    if !p.binding.is_empty() {
        s.push_str(&format!("Binding: {}\n", p.binding.join("; ")));
    }
    for o in p.origins.iter().filter(|o| !o.flags.is_empty()) {
        s.push_str(&format!("Flag: {} — {}\n", o.origin, o.flags.join("; ")));
    }
    if !p.frontier.is_empty() {
        s.push_str("Risk–cost frontier (cost weight: risk, cost): ");
        s.push_str(
            &p.frontier
                .iter()
                .map(|(l, r, c)| format!("{l}: {r:.3}, {c:.2}"))
                .collect::<Vec<_>>()
                .join(" | "),
        );
        s.push('\n');
    }
    for n in &p.notes {
        s.push_str(&format!("Note: {n}\n"));
    }
    print(&s)
}
