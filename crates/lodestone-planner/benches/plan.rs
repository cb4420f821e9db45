//! Planner speed: every (traded commodity × G7 importer) pair for one target year.
//!
//! usage: cargo bench -p lodestone-planner --bench plan

use std::time::Instant;

use lodestone_planner::{plan, registry_from, Bound, PlanQuery};

fn main() {
    let ds = lodestone_data::embedded();
    let trade = lodestone_data::trade();
    let reg = registry_from(lodestone_data::texts::PROJECTS, ds).expect("registry");
    let mut commodities: Vec<String> = ds
        .concordance
        .links
        .iter()
        .map(|l| l.commodity.clone())
        .collect();
    commodities.sort();
    commodities.dedup();
    let g7 = ds.groups.get("g7").expect("g7").members.clone();
    let t = Instant::now();
    let (mut ok, mut failed) = (0, Vec::new());
    for c in &commodities {
        for imp in &g7 {
            let q = PlanQuery {
                commodity: c.clone(),
                stage: None,
                importer: imp.clone(),
                year: 2030,
                caps: vec![Bound {
                    target: "concern".into(),
                    value: 0.3,
                }],
                floors: vec![],
                prefer: vec![],
                cost_weight: 0.1,
                frontier: false,
            };
            match plan(ds, trade, &reg, &q) {
                Ok(_) => ok += 1,
                Err(e) => failed.push(format!("{c}/{imp}: {e}")),
            }
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let n = commodities.len() * g7.len();
    println!(
        "planner: {n} (commodity × G7 importer) plans for 2030 in {secs:.3} s ({:.2} ms each); {ok} solved, {} without a plan",
        secs / n as f64 * 1e3,
        failed.len()
    );
    let mut reasons: std::collections::BTreeMap<String, usize> = Default::default();
    for f in &failed {
        let why = f
            .split(": ")
            .nth(1)
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .chars()
            .take(60)
            .collect::<String>();
        *reasons.entry(why).or_default() += 1;
    }
    for (why, k) in reasons {
        println!("  {k:4} × {why}");
    }
}
