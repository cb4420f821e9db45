//! Why this file exists: `lodestone simulate <scenario.toml>` and `--largest-supplier
//! <commodity>` with a progress bar, rendered as a table, CSV, JSON and an optional HTML report;
//! and `lodestone scenarios`, the canned ones.

use lodestone_app::simulate::{
    canned as canned_scenarios, html, prepare, simulate, ScenarioSource,
};
use lodestone_app::types::{CountryResult, Scenario, Simulation};
use lodestone_app::{AppError, Cancel, Limits, Store};

use super::Result;
use crate::cli::{Format, FormatArgs, SimulateArgs};
use crate::output::{num, opt_pct, print, print_json, writable, write_file, Table};

pub fn run(store: &Store, a: &SimulateArgs) -> Result<()> {
    let source = match (&a.scenario, &a.largest_supplier) {
        (Some(path), _) => ScenarioSource::File(path.clone()),
        (None, Some(c)) => ScenarioSource::LargestSupplier(c.clone()),
        (None, None) => {
            return Err(AppError::invalid(
                "give a scenario file or --largest-supplier",
            ))
        }
    };
    if let Some(path) = &a.html {
        writable(path)?;
    }
    let limits = Limits::default();
    let sc = prepare(store, &source, &a.query, &limits)?;
    // One step per draw per shocked network (counted without building the networks).
    let networks = lodestone_app::simulate::networks(store, &sc)?.max(1);
    let bar = if sc.montecarlo.draws > 0 {
        crate::output::progress_bar(
            u64::from(sc.montecarlo.draws) * networks as u64,
            "{bar:40} {pos}/{len} draws {per_sec}",
        )
    } else {
        indicatif::ProgressBar::hidden()
    };
    let sim = simulate(store, &sc, &|| bar.inc(1), &limits, &Cancel::never())?;
    bar.finish_and_clear();
    if let Some(path) = &a.html {
        write_file(path, html(store, &sc, &sim).as_bytes())?;
    }
    match a.format {
        Format::Parquet | Format::Xlsx => crate::output::tables(lodestone_tables::results::of(
            &lodestone_tables::shapes::SIMULATION,
            &sim,
        )),
        Format::Json => print_json(&sim),
        Format::Csv => print(&table(&sim).to_csv()?),
        Format::Table => print(&render(&sc, &sim)),
    }
}

/// `lodestone scenarios`: the canned scenarios the store carries.
pub fn canned(store: &Store, a: &FormatArgs) -> Result<()> {
    let list = canned_scenarios(store)?;
    if a.format == Format::Json {
        return print_json(&list);
    }
    if matches!(a.format, Format::Parquet | Format::Xlsx) {
        return crate::output::tables(lodestone_tables::results::of(
            &lodestone_tables::shapes::SCENARIOS,
            &list,
        ));
    }
    let mut t = Table::new(&["file", "name", "description"]);
    for c in &list {
        t.push(vec![c.file.clone(), c.name.clone(), c.description.clone()]);
    }
    print(&match a.format {
        Format::Csv => t.to_csv()?,
        _ => t.render(),
    })
}

/// One country's result as table cells: country, loss, use, share of use, band, depth, retained.
fn country_cells(c: &CountryResult) -> Vec<String> {
    vec![
        c.country.clone(),
        num(c.loss_t),
        num(c.use_t),
        match c.share_of_use {
            Some(s) => opt_pct(Some(s)),
            None if c.loss_t > 0.0 => "no own use".into(),
            None => "–".into(),
        },
        c.band.map(|b| num(b.p05)).unwrap_or_default(),
        c.band.map(|b| num(b.p50)).unwrap_or_default(),
        c.band.map(|b| num(b.p95)).unwrap_or_default(),
        c.depth.map(|d| d.to_string()).unwrap_or_else(|| "–".into()),
        if c.retained_t > 0.0 {
            num(c.retained_t)
        } else {
            String::new()
        },
    ]
}

fn table(sim: &Simulation) -> Table {
    let mut t = Table::new(&[
        "commodity",
        "stage",
        "country",
        "loss (t)",
        "use (t)",
        "share of use cut",
        "p05",
        "p50",
        "p95",
        "depth",
        "retained (t)",
    ]);
    for r in &sim.results {
        for c in &r.countries {
            let mut row = vec![r.commodity.clone(), r.stage.to_string()];
            row.extend(country_cells(c));
            t.push(row);
        }
    }
    t
}

fn render(sc: &Scenario, sim: &Simulation) -> String {
    let mut s = format!(
        "{} — model {}, {} Monte Carlo draws (seed {})\n{}\n",
        sim.scenario,
        model_label(sc, sim),
        sim.draws,
        sim.seed,
        sc.description
    );
    for r in &sim.results {
        s.push_str(&format!(
            "\n{} — {} stage, {} — products: {}\n",
            r.commodity,
            r.stage,
            r.year,
            lodestone_app::types::product_labels(&r.hs_codes)
        ));
        for sh in &r.shocks {
            s.push_str(&format!(
                "Shock: {}, {} t\n",
                sh.describe(),
                num(sh.initial_t)
            ));
        }
        s.push_str(&format!(
            "Tonnes are {}. Network: {} countries, {} links; initial shock {} t; {} rounds; mass balance within {:.2e} t{}\n",
            r.basis,
            r.network_countries,
            r.network_links,
            num(r.initial_shock_t),
            r.rounds,
            r.mass_balance_error,
            if r.unresolved_t > 1e-6 {
                format!("; {} t still in flight when the rounds stopped", num(r.unresolved_t))
            } else {
                String::new()
            }
        ));
        let mut t = Table::new(&[
            "country",
            "loss (t)",
            "use (t)",
            "share of use cut",
            "5 %",
            "median",
            "95 %",
            "depth",
            "retained (t)",
        ]);
        for c in r.countries.iter().take(15) {
            t.push(country_cells(c));
        }
        s.push_str(&t.render());
        s.push_str("loss = stock draws + use cuts; share of use cut = use cut / apparent use (P + M − X) before the shock; bands: loss, 5–95 % of the Monte Carlo draws\n");
        if r.countries.len() > 15 {
            s.push_str(&format!(
                "… {} more countries (--format csv for all)\n",
                r.countries.len() - 15
            ));
        }
        for (target, links) in &r.rerouted {
            let from: Vec<String> = links
                .iter()
                .take(5)
                .map(|l| format!("{} +{} t", l.from, num(l.after_t - l.before_t)))
                .collect();
            s.push_str(&format!("Rerouted to {target}: {}\n", from.join(", ")));
        }
        s.push_str(&format!("Production: {}\n", r.production_rule));
        for n in &r.notes {
            s.push_str(&format!("Note: {n}\n"));
        }
    }
    for src in &sc.sources {
        s.push_str(&format!("Scenario source: {src}\n"));
    }
    s.push_str(&format!("Trade: {}\n", sim.trade_source));
    s
}

/// The model's name with what it means.
fn model_label(sc: &Scenario, sim: &Simulation) -> String {
    match sim.model.as_str() {
        "marchand" if sc.params.use_floor => format!(
            "marchand (Marchand et al. 2016 as published, cfrac {}, α {}; export-cut links held; Lodestone's use floor on)",
            sc.params.consumption_cut, sc.params.threshold
        ),
        "marchand" => format!(
            "marchand (Marchand et al. 2016 as published, cfrac {}, α {}; export-cut links held)",
            sc.params.consumption_cut, sc.params.threshold
        ),
        "export-first" => "export-first (Lodestone's earlier variant, not the published rule)".into(),
        other => other.to_string(),
    }
}
