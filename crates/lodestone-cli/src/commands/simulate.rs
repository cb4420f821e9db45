//! Why this file exists: `lodestone simulate <scenario.toml>` and `--largest-supplier <commodity>`.

use anyhow::Result;

use lodestone_cascade::scenario::{self, Model, MonteCarlo, Scenario, MAX_DRAWS};
use lodestone_cascade::simulate::{largest_supplier, simulate, CountryResult, Simulation};
use lodestone_model::{Dataset, TradeData};

use super::UsageError;
use crate::cli::{Format, SimulateArgs};
use crate::output::{num, opt_pct, print, print_json, Table};

pub fn run(ds: &Dataset, trade: &TradeData, a: &SimulateArgs) -> Result<()> {
    let years = trade.years();
    let mut sc = match (&a.scenario, &a.largest_supplier) {
        (Some(path), _) => scenario::load(path, ds, &years)?,
        (None, Some(c)) => {
            let c = ds.commodities.lookup(c)?.id.clone();
            let year = a
                .year
                .or(years.last().copied())
                .ok_or_else(|| UsageError("no trade data".into()))?;
            let shocks = largest_supplier(ds, trade, &c, None, year)?;
            Scenario {
                name: format!("Largest supplier of {c} out"),
                description: "IEA-style stress test: the largest exporter at each traded stage stops exporting.".into(),
                year: Some(year),
                model: Model::Marchand,
                shocks,
                params: Default::default(),
                stock_months: 0.0,
                montecarlo: MonteCarlo {
                    draws: 1000,
                    seed: 1,
                    link_sigma: 0.10,
                    imputed_sigma: 0.50,
                    stock_months: [0.0, 3.0],
                    consumption_cut: [0.2, 0.5],
                },
                sources: vec![],
            }
        }
        (None, None) => {
            return Err(UsageError("give a scenario file or --largest-supplier".into()).into())
        }
    };
    if let Some(d) = a.draws {
        if d > MAX_DRAWS {
            return Err(UsageError(format!("--draws {d}: the cap is {MAX_DRAWS}")).into());
        }
        sc.montecarlo.draws = d;
    }
    if let Some(s) = a.seed {
        sc.montecarlo.seed = s;
    }
    if let Some(y) = a.year {
        if !years.contains(&y) {
            return Err(UsageError(format!(
                "--year {y}: no trade data; valid choices: {}",
                years
                    .iter()
                    .map(|y| y.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .into());
        }
        sc.year = Some(y);
    }
    let groups = sc.shocks.len().max(1) as u64;
    let bar = if a.format == Format::Table && sc.montecarlo.draws > 0 {
        let b = indicatif::ProgressBar::new(sc.montecarlo.draws as u64 * groups);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} draws {per_sec}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let sim = simulate(ds, trade, &sc, &|| bar.inc(1))?;
    bar.finish_and_clear();
    if let Some(path) = &a.html {
        let html = lodestone_report::simulation_html(ds, &sc, &sim);
        lodestone_model::text::write_atomic(path, html.as_bytes())?;
        eprintln!("wrote {}", path.display());
    }
    match a.format {
        Format::Json => print_json(&sim),
        Format::Csv => print(&table(&sim).to_csv()?),
        Format::Table => print(&render(&sc, &sim)),
    }
}

/// One country's result as table cells: country, loss, share of use, band, depth, retained.
fn country_cells(c: &CountryResult) -> Vec<String> {
    vec![
        c.country.clone(),
        num(c.loss_t),
        opt_pct(c.loss_share),
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
        "share of use",
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
        sim.scenario, sim.model, sim.draws, sim.seed, sc.description
    );
    for r in &sim.results {
        s.push_str(&format!(
            "\n{} ({}), {} network: {} countries, {} links (HS {:?}); initial shock {} t; {} rounds; mass balance within {:.2e} t\n",
            r.commodity, r.stage, r.year, r.network_countries, r.network_links, r.hs_codes, num(r.initial_shock_t), r.rounds, r.mass_balance_error
        ));
        let mut t = Table::new(&[
            "country",
            "loss (t)",
            "share of use",
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
