//! Cascade tests: a hand-checked case, property tests of the model's invariants on random
//! networks, scenario-file errors, and the canned scenarios on the embedded data.

use std::path::{Path, PathBuf};

use lodestone_cascade::marchand::{run, Params, State};
use lodestone_cascade::passthrough;
use lodestone_cascade::scenario::{self, Scenario};
use lodestone_cascade::simulate::simulate;
use proptest::prelude::*;

fn state(n: usize, links: &[(usize, usize, f64)], stocks: Vec<f64>) -> State {
    State {
        n,
        from: links.iter().map(|l| l.0).collect(),
        to: links.iter().map(|l| l.1).collect(),
        tonnes: links.iter().map(|l| l.2).collect(),
        stocks,
        supply: vec![100.0; n],
        held: Vec::new(),
        use_before: Vec::new(),
    }
}

/// The published rule by hand. A → B 100 t, B → C 50 t; B loses 40 t; half of a loss after
/// stocks is cut from use; no stocks. Round 1: B cuts use by 20 and passes 20 over its trade
/// volume 150 (exports 50 + imports from A, not shocked, 100): p = 2/15, so A → B grows by 13⅓
/// (A loses that) and B → C shrinks by 6⅔ (C loses that). Round 2: A (shocked now) cuts use by
/// 3⅓·2 and its exports to B by 6⅔ (B loses that); C's only supplier is shocked, so its whole
/// 6⅔ falls on use. Round 3: B cuts use by 3⅓ and B → C by 3⅓. Round 4: C cuts use by 3⅓.
/// A lost 20/3, B 70/3, C 10; A → B is 106⅔ t, B → C 40 t.
#[test]
fn hand_checked_cascade() {
    let s = state(3, &[(0, 1, 100.0), (1, 2, 50.0)], vec![0.0; 3]);
    let p = Params {
        consumption_cut: 0.5,
        threshold: 1e-9,
        ..Params::default()
    };
    let o = run(&s, &[0.0, 40.0, 0.0], &p);
    let near = |a: f64, b: f64| (a - b).abs() < 1e-9;
    assert!(
        near(o.loss(0), 20.0 / 3.0) && near(o.loss(1), 70.0 / 3.0) && near(o.loss(2), 10.0),
        "{o:?}"
    );
    assert!(near(o.tonnes_after[0], 320.0 / 3.0) && near(o.tonnes_after[1], 40.0));
    assert_eq!(o.depth, vec![Some(1), Some(0), Some(1)]);
    assert_eq!(o.rounds.len(), 4);
    // With 10 t of stocks at B, B draws them first and passes less.
    let s2 = state(3, &[(0, 1, 100.0), (1, 2, 50.0)], vec![0.0, 10.0, 0.0]);
    let o2 = run(&s2, &[0.0, 40.0, 0.0], &p);
    assert!(near(o2.stock_draw[1], 10.0));
    let total: f64 = (0..3).map(|i| o2.loss(i)).sum();
    assert!(near(total, 40.0) && o2.loss(1) > o.loss(1) - 1e-9);
    // Without the asymmetry, shocked A may still raise its exports when B passes on.
    let sym = Params {
        asymmetric: false,
        ..p
    };
    let o3 = run(&s, &[0.0, 40.0, 0.0], &sym);
    assert!(near((0..3).map(|i| o3.loss(i)).sum::<f64>(), 40.0));
    assert_ne!(o3.tonnes_after, o.tonnes_after);
}

/// A loss below α × the country's current supply is absorbed, not passed on.
#[test]
fn small_losses_are_absorbed_where_they_land() {
    let s = state(2, &[(0, 1, 100.0)], vec![0.0; 2]);
    let p = Params {
        threshold: 0.01,
        ..Params::default()
    };
    // Supply is 100 in the helper: a loss of 0.5 < 0.01 × 100 stays at B.
    let o = run(&s, &[0.0, 0.5], &p);
    assert_eq!(o.loss(0), 0.0);
    assert!((o.consumption_cut[1] - 0.5).abs() < 1e-12);
    assert_eq!(o.tonnes_after, vec![100.0]);
    // A loss of 5 is passed on: B draws 5 more from A, A (now shocked) cuts its exports back by
    // 5, and B, whose only supplier is shocked, takes the 5 on its use.
    let o = run(&s, &[0.0, 5.0], &p);
    assert_eq!(o.depth, vec![Some(1), Some(0)]);
    assert!(o.loss(0).abs() < 1e-12 && (o.loss(1) - 5.0).abs() < 1e-12);
    assert_eq!(o.rounds.len(), 3);
}

/// A link an export cut holds is not drawn on for more: A → B is cut from 100 to 50 (B lost 50)
/// and B also buys 50 from C; half of a loss is cut from use. Without the hold B draws more from
/// A, and A, now short, cuts its own use; with it, A is never asked and loses nothing.
#[test]
fn a_withholding_exporter_is_not_drawn_on() {
    let mut s = state(3, &[(0, 1, 50.0), (2, 1, 50.0)], vec![0.0; 3]);
    let p = Params {
        consumption_cut: 0.5,
        ..Params::default()
    };
    let free = run(&s, &[0.0, 50.0, 0.0], &p);
    assert!(free.loss(0) > 1.0, "{free:?}");
    s.held = vec![true, false];
    let held = run(&s, &[0.0, 50.0, 0.0], &p);
    assert_eq!(held.loss(0), 0.0);
    assert!(held.tonnes_after[0] <= 50.0 && held.loss(2) > 0.0);
    assert!(((0..3).map(|i| held.loss(i)).sum::<f64>() - 50.0).abs() < 1e-9);
}

#[test]
fn pass_through_fixed_point() {
    // A → B 100, B → C 50; A's exports halved: B misses 50 of 100 imports, exports (50) scale to
    // (50 − 50)/50 = 0: C misses all 50.
    let r = passthrough::run(
        3,
        &[0, 1],
        &[1, 2],
        &[100.0, 50.0],
        &[Some(0.5), None, None],
        100,
    );
    assert_eq!(r.import_loss, vec![0.0, 50.0, 50.0]);
    assert_eq!(r.export_fraction[1], 0.0);
}

/// Countries, links (from, to, tonnes), stocks, initial losses, consumption-cut fraction.
type Net = (usize, Vec<(usize, usize, f64)>, Vec<f64>, Vec<f64>, f64);

fn arb_network() -> impl Strategy<Value = Net> {
    (2usize..12).prop_flat_map(|n| {
        (
            Just(n),
            proptest::collection::vec((0..n, 0..n, 0.0f64..1e4), 1..40)
                .prop_map(|v| v.into_iter().filter(|(a, b, _)| a != b).collect::<Vec<_>>()),
            proptest::collection::vec(0.0f64..500.0, n),
            proptest::collection::vec(prop_oneof![Just(0.0f64), 0.0f64..2e3], n),
            0.0f64..1.0,
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Mass balance in every round, no negative flows or stocks, losses conserve the shock, and a
    /// shock never grows supply.
    #[test]
    fn cascade_invariants((n, links, stocks, shock, cfrac) in arb_network()) {
        let s = state(n, &links, stocks.clone());
        let p = Params { consumption_cut: cfrac, threshold: 1e-7, max_rounds: 200, ..Params::default() };
        let o = run(&s, &shock, &p);
        let scale = 1.0 + shock.iter().sum::<f64>();
        for r in &o.rounds {
            prop_assert!((r.losses_in - r.stock_draws - r.consumption_cuts - r.passed_on).abs() <= 1e-9 * scale, "{r:?}");
        }
        prop_assert!(o.tonnes_after.iter().all(|t| *t >= -1e-9));
        for (i, stock) in stocks.iter().enumerate() {
            prop_assert!(o.stock_draw[i] <= stock + 1e-9);
            prop_assert!(o.stock_draw[i] >= -1e-9 * scale && o.consumption_cut[i] >= -1e-9 * scale);
        }
        let absorbed: f64 = (0..n).map(|i| o.loss(i) + o.unresolved[i]).sum();
        prop_assert!((absorbed - shock.iter().sum::<f64>()).abs() <= 1e-9 * scale, "absorbed {absorbed} vs shock {}", shock.iter().sum::<f64>());
    }

    /// With the use floor, no country cuts more use than it had (apparent use P + M − X), at any
    /// consumption-cut fraction, when production losses hit networks in which no country exports
    /// more than it produces and imports.
    #[test]
    fn use_cuts_stay_within_use((n, links, stocks, shock, cfrac) in arb_network(), prod in proptest::collection::vec(0.0f64..2e4, 12)) {
        let mut s = state(n, &links, stocks);
        let (mut x, mut m) = (vec![0.0; n], vec![0.0; n]);
        for &(i, j, t) in &links {
            x[i] += t;
            m[j] += t;
        }
        // Production raised where a country exports more than it has (as the network builder does).
        let prod: Vec<f64> = (0..n).map(|i| prod[i].max(x[i] - m[i])).collect();
        let supply: Vec<f64> = (0..n).map(|i| prod[i] + m[i] - x[i]).collect();
        s.supply = supply.clone();
        // A production loss is at most the production.
        let shock: Vec<f64> = (0..n).map(|i| shock[i].min(prod[i])).collect();
        let p = Params { consumption_cut: cfrac, use_floor: true, ..Params::default() };
        let o = run(&s, &shock, &p);
        for (i, (cut, used)) in o.consumption_cut.iter().zip(&supply).enumerate() {
            prop_assert!(*cut <= used * (1.0 + 1e-9) + 1e-6, "country {i}: cut {cut} > use {used} (cfrac {cfrac})");
        }
    }

    /// The same for export cuts: country 0 withholds a fraction of every export link (its
    /// importers lose that much, the links are held), and no use cut exceeds what a country had:
    /// its use before the shock, or for the withholding country that plus what it kept.
    #[test]
    fn use_cuts_stay_within_use_under_export_cuts((n, links, stocks, _shock, cfrac) in arb_network(), prod in proptest::collection::vec(0.0f64..2e4, 12), cut in 0.0f64..=1.0) {
        let (mut x, mut m) = (vec![0.0; n], vec![0.0; n]);
        for &(i, j, t) in &links {
            x[i] += t;
            m[j] += t;
        }
        let prod: Vec<f64> = (0..n).map(|i| prod[i].max(x[i] - m[i])).collect();
        let before: Vec<f64> = (0..n).map(|i| prod[i] + m[i] - x[i]).collect();
        let mut loss = vec![0.0; n];
        let after: Vec<(usize, usize, f64)> = links
            .iter()
            .map(|&(i, j, t)| if i == 0 { loss[j] += cut * t; (i, j, t * (1.0 - cut)) } else { (i, j, t) })
            .collect();
        let mut s = state(n, &after, stocks);
        s.supply = prod.clone();
        for &(i, j, t) in &after {
            s.supply[j] += t;
            s.supply[i] -= t;
        }
        s.held = links.iter().map(|l| l.0 == 0 && cut > 0.0).collect();
        // The withholding country keeps what it no longer ships: its supply grows by that.
        let available: Vec<f64> = before.iter().zip(&s.supply).map(|(b, a)| b.max(*a)).collect();
        s.use_before = available.clone();
        let p = Params { consumption_cut: cfrac, use_floor: true, ..Params::default() };
        let o = run(&s, &loss, &p);
        for (i, (c, used)) in o.consumption_cut.iter().zip(&available).enumerate() {
            prop_assert!(*c <= used * (1.0 + 1e-9) + 1e-6, "country {i}: cut {c} > use {used} (cfrac {cfrac}, export cut {cut})");
        }
        let absorbed: f64 = (0..n).map(|i| o.loss(i) + o.unresolved[i]).sum();
        prop_assert!((absorbed - loss.iter().sum::<f64>()).abs() <= 1e-9 * (1.0 + loss.iter().sum::<f64>()));
    }

    #[test]
    fn zero_shock_changes_nothing((n, links, stocks, _shock, cfrac) in arb_network()) {
        let s = state(n, &links, stocks);
        let o = run(&s, &vec![0.0; n], &Params { consumption_cut: cfrac, ..Params::default() });
        prop_assert!(o.rounds.is_empty());
        prop_assert_eq!(&o.tonnes_after, &s.tonnes);
        prop_assert!((0..n).all(|i| o.loss(i) == 0.0));
    }
}

fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/scenarios")
}

fn load(name: &str) -> Scenario {
    let ds = lodestone_data::embedded();
    scenario::load(
        &scenario_dir().join(name),
        ds,
        &lodestone_data::trade().years(),
    )
    .unwrap()
}

#[test]
fn canned_scenarios_parse_and_run() {
    let ds = lodestone_data::embedded();
    let trade = lodestone_data::trade();
    let mut files: Vec<_> = std::fs::read_dir(scenario_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 5);
    for f in files {
        let mut sc = scenario::load(&f, ds, &trade.all_years()).unwrap_or_else(|e| panic!("{e}"));
        sc.montecarlo.draws = 0;
        let sim =
            simulate(ds, trade, &sc, &|| {}).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for r in &sim.results {
            assert!(
                r.mass_balance_error < 1e-6 * (1.0 + r.initial_shock_t),
                "{}: {}",
                f.display(),
                r.mass_balance_error
            );
            let lost: f64 = r.countries.iter().map(|c| c.loss_t).sum();
            let retained: f64 = r.countries.iter().map(|c| c.retained_t).sum();
            // Export withholding moves material; production loss removes it. Neither grows supply.
            assert!(
                lost <= r.initial_shock_t * (1.0 + 1e-9) + 1e-6,
                "{}: lost {lost} > shock {}",
                f.display(),
                r.initial_shock_t
            );
            assert!(retained <= r.initial_shock_t * (1.0 + 1e-9) + 1e-6);
            // Physically possible: no country cuts more use than it had, nothing negative.
            for c in &r.countries {
                if let Some(s) = c.share_of_use {
                    assert!(
                        (0.0..=1.0 + 1e-9).contains(&s),
                        "{}: {} {} share of use {s}",
                        f.display(),
                        r.commodity,
                        c.country
                    );
                }
                assert!(c.loss_t >= 0.0 && c.stock_draw_t >= 0.0 && c.consumption_cut_t >= 0.0);
            }
            assert!(!r.shocks.is_empty() && !r.basis.is_empty());
        }
    }
}

#[test]
fn monte_carlo_is_reproducible_and_independent_of_threads() {
    let ds = lodestone_data::embedded();
    let trade = lodestone_data::trade();
    let mut sc = load("china-2023-graphite.toml");
    sc.montecarlo.draws = 40;
    let run_with = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| simulate(ds, trade, &sc, &|| {}).unwrap())
    };
    let one = run_with(1);
    let two = run_with(2);
    assert_eq!(one, two, "results depend on the thread count");
    let again = run_with(2);
    assert_eq!(two, again, "same seed, same result");
    let c = &one.results[0].countries[0];
    let b = c.band.unwrap();
    assert!(b.p05 <= b.p50 && b.p50 <= b.p95);
    sc.montecarlo.seed += 1;
    let other = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap()
        .install(|| simulate(ds, trade, &sc, &|| {}).unwrap());
    assert_ne!(
        other.results[0].countries[0].band, one.results[0].countries[0].band,
        "a different seed draws differently"
    );
}

#[test]
fn scenario_errors_name_field_and_line() {
    let ds = lodestone_data::embedded();
    let years = lodestone_data::trade().years();
    let base = "name = \"x\"\nyear = 2022\n\n[[shock]]\norigin = \"CHN\"\ncommodity = \"graphite\"\nkind = \"exports\"\nmagnitude = 0.5\n";
    let cases = [
        (
            base.replace("\"CHN\"", "\"Chna\""),
            "5:",
            "shock.origin",
            "did you mean China",
        ),
        (
            base.replace("0.5", "1.5"),
            "8:",
            "shock.magnitude",
            "[0, 1]",
        ),
        (
            base.replace("\"graphite\"", "\"graphit\""),
            "6:",
            "shock.commodity",
            "did you mean graphite",
        ),
        (
            base.replace("2022", "1999"),
            "2:",
            "year",
            "no trade data for 1999",
        ),
        (
            base.replace("\"exports\"", "\"ban\""),
            "7:",
            "shock.kind",
            "exports",
        ),
        (
            format!("{base}\n[montecarlo]\ndraws = 200000\n"),
            "11:",
            "montecarlo.draws",
            "cap",
        ),
        (
            format!("{base}stage = \"smelt\"\n"),
            "9:",
            "shock.stage",
            "did you mean smelter",
        ),
        (
            format!("{base}colour = \"red\"\n"),
            "9:",
            "scenario",
            "unknown field `colour`",
        ),
    ];
    for (text, line, field, needle) in cases {
        let e = scenario::parse(&text, Path::new("s.toml"), ds, &years)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(&format!("s.toml:{line}")),
            "{e} should be at line {line}"
        );
        assert!(
            e.contains(field) && e.contains(needle),
            "{e} should name {field} and say {needle}"
        );
    }
}
