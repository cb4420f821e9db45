//! Planner speed: every (traded commodity × G7 importer) pair for one target year, with the
//! supplier limits that make it a mixed-integer program; time per plan (median, p90, max).
//!
//! usage: cargo bench -p lodestone-planner --bench plan

use std::time::Instant;

use lodestone_planner::{plan, registry_from, Bound, Limits, PlanQuery};

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
    let limits = Limits {
        max_suppliers: Some(5),
        min_share: Some(0.05),
    };
    let (mut ok, mut failed, mut times) = (0, Vec::new(), Vec::new());
    for c in &commodities {
        for imp in &g7 {
            let q = PlanQuery {
                commodity: c.clone(),
                importer: imp.clone(),
                year: 2030,
                caps: vec![Bound {
                    target: "concern".into(),
                    value: 0.3,
                }],
                cost_weight: 0.1,
                limits,
                ..Default::default()
            };
            let t = Instant::now();
            let r = plan(ds, trade, &reg, &q);
            times.push(t.elapsed().as_secs_f64() * 1e3);
            match r {
                Ok(_) => ok += 1,
                Err(e) => failed.push(format!("{c}/{imp}: {e}")),
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let n = times.len();
    let pick = |q: f64| times[((n - 1) as f64 * q).round() as usize];
    println!(
        "planner with supplier limits (max 5, min 5 %, cap concern 30 %): {n} (commodity × G7 importer) plans for 2030; per plan median {:.1} ms, p90 {:.1} ms, max {:.1} ms (target: median < 50 ms); {ok} solved, {} without a plan",
        pick(0.5),
        pick(0.9),
        pick(1.0),
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
