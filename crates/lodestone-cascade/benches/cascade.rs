//! Cascade speed, side by side with the NumPy reference in benches/marchand_numpy.py (run by
//! benches/cascade_vs_numpy.sh): the network and shock are written to JSON for NumPy, Lodestone's
//! deterministic outcome is written for the comparison (tolerance 1e-9), then one deterministic
//! cascade and 10,000 Monte Carlo draws are timed.
//!
//! usage: cargo bench -p lodestone-cascade --bench cascade -- OUT_DIR [COMMODITY STAGE YEAR]

use std::io::Write;
use std::time::Instant;

use lodestone_cascade::marchand::{run, Params};
use lodestone_cascade::network::build;
use lodestone_cascade::scenario::{Model, MonteCarlo, Scenario, Shock, ShockKind};
use lodestone_cascade::simulate::{initial_shock, simulate, state_of};
use lodestone_model::Stage;

#[allow(
    clippy::too_many_lines,
    reason = "a benchmark script: one linear set-up, run and report"
)]
fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let out_dir =
        std::path::PathBuf::from(args.first().cloned().unwrap_or_else(|| "target/ext".into()));
    let commodity = args.get(1).cloned().unwrap_or_else(|| "aluminium".into());
    let stage: Stage = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(Stage::Smelter);
    let year: u16 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(2022);
    let ds = lodestone_data::embedded();
    let trade = lodestone_data::trade();
    let net = build(ds, trade, &commodity, stage, year).expect("network");
    let shock = Shock {
        origin: vec!["RUS".into()],
        origin_name: "Russia".into(),
        commodity: commodity.clone(),
        stage: Some(stage),
        kind: ShockKind::Exports,
        magnitude: 0.5,
        targets: vec![],
        exclude_targets: vec![],
    };
    let (loss0, _, tonnes) = initial_shock(&net, &[&shock]);
    let stock_months = 1.0;
    let params = Params {
        consumption_cut: 0.3,
        ..Params::default()
    };
    let state = state_of(&net, tonnes.clone(), stock_months);
    // The network for NumPy.
    std::fs::create_dir_all(&out_dir).expect("out dir");
    let json = |v: &[f64]| {
        format!(
            "[{}]",
            v.iter()
                .map(|x| format!("{x:?}"))
                .collect::<Vec<_>>()
                .join(",")
        )
    };
    let ints = |v: &[usize]| {
        format!(
            "[{}]",
            v.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join(",")
        )
    };
    let mut f = std::fs::File::create(out_dir.join("cascade-network.json")).expect("write");
    write!(
        f,
        "{{\"n\":{},\"from\":{},\"to\":{},\"tonnes\":{},\"stocks\":{},\"supply\":{},\"shock\":{},\"consumption_cut\":{},\"threshold\":{},\"max_rounds\":{}}}",
        state.n,
        ints(&state.from),
        ints(&state.to),
        json(&state.tonnes),
        json(&state.stocks),
        json(&state.supply),
        json(&loss0),
        params.consumption_cut,
        params.threshold,
        params.max_rounds
    )
    .expect("write");
    let outcome = run(&state, &loss0, &params);
    let losses: Vec<f64> = (0..net.n()).map(|i| outcome.loss(i)).collect();
    std::fs::write(
        out_dir.join("cascade-rust.json"),
        format!(
            "{{\"loss\":{},\"tonnes_after\":{},\"rounds\":{}}}",
            json(&losses),
            json(&outcome.tonnes_after),
            outcome.rounds.len()
        ),
    )
    .expect("write");
    // One deterministic cascade.
    let reps = 2000;
    let t = Instant::now();
    for _ in 0..reps {
        std::hint::black_box(run(&state, &loss0, &params));
    }
    let one = t.elapsed().as_secs_f64() / reps as f64;
    println!(
        "lodestone: {commodity} ({stage}) {year}: {} countries, {} links, {} rounds; one deterministic cascade {:.1} µs",
        net.n(),
        net.links.len(),
        outcome.rounds.len(),
        one * 1e6
    );
    // 10,000 Monte Carlo draws through the full simulate path (perturbation, stocks, cfrac).
    let sc = Scenario {
        name: "bench".into(),
        description: String::new(),
        year: Some(year),
        model: Model::Marchand,
        shocks: vec![shock],
        params,
        stock_months,
        montecarlo: MonteCarlo {
            draws: 10_000,
            seed: 7,
            link_sigma: 0.1,
            imputed_sigma: 0.5,
            stock_months: [0.0, 2.0],
            consumption_cut: [0.2, 0.4],
        },
        sources: vec![],
    };
    let t = Instant::now();
    let sim = simulate(ds, trade, &sc, &|| {}).expect("simulate");
    let mc = t.elapsed().as_secs_f64();
    println!(
        "lodestone: 10,000 Monte Carlo draws in {:.3} s on {} threads ({:.1} µs per draw); largest loss {} median {:.0} t",
        mc,
        rayon::current_num_threads(),
        mc / 10_000.0 * 1e6,
        sim.results[0].countries[0].country,
        sim.results[0].countries[0].band.map_or(0.0, |b| b.p50)
    );
    std::fs::write(
        out_dir.join("cascade-rust-timing.txt"),
        format!("{one},{}\n", mc / 10_000.0),
    )
    .expect("write");
}
