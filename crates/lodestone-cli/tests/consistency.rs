//! One computation per quantity (issue #13): every figure the brief prints twice must be the same
//! value, and equal to what `profile` prints for the same mineral, stage and year; the concern
//! set's control through ownership is shown with its owners; and no name anywhere in the
//! embedded data is mis-decoded UTF-8.

mod common;
use std::collections::BTreeMap;

use common::{lodestone, stderr};
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let o = lodestone(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("expected a number, found {v}"))
}

/// Records `value` under `key`; a second, different value for the same key fails the test.
fn once(seen: &mut BTreeMap<String, f64>, key: String, value: f64) {
    if let Some(old) = seen.insert(key.clone(), value) {
        assert!(
            (old - value).abs() < 1e-12,
            "two values for {key}: {old} and {value}"
        );
    }
}

/// Every quantity the brief's JSON holds more than once (a mineral's stage-year shares in the
/// table, in the share list and in the outlook) has one value.
fn check_brief(importer: &str) -> Value {
    let report = json(&["brief", "--importer", importer, "--format", "json"]);
    let brief = &report["brief"];
    let concern: Vec<&str> = brief["concern_members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let mut seen = BTreeMap::new();
    let mut rows = 0;
    for r in brief["rows"].as_array().unwrap() {
        let c = r["commodity"].as_str().unwrap();
        for part in ["profile", "processing"] {
            let p = &r[part];
            if p.is_null() {
                continue;
            }
            rows += 1;
            let at = format!("{c} {} {}", p["stage"], p["year"]);
            let shares: Vec<(&str, f64)> = p["shares"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| (s[0].as_str().unwrap(), f(&s[1])))
                .collect();
            once(&mut seen, format!("{at} concern"), f(&p["concern_share"]));
            let from_list: f64 = shares
                .iter()
                .filter(|(c, _)| concern.contains(c))
                .map(|s| s.1)
                .sum();
            once(&mut seen, format!("{at} concern"), from_list + 0.0);
            once(&mut seen, format!("{at} c5"), f(&p["c5_share"]));
            let c5: f64 = p["c5_producers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| f(&s[1]))
                .sum();
            once(&mut seen, format!("{at} c5"), c5 + 0.0);
            if let Some((top, share)) = shares.first() {
                assert_eq!(p["top_producer"], *top, "{at}: top producer");
                once(&mut seen, format!("{at} top share"), f(&p["top_share"]));
                once(&mut seen, format!("{at} top share"), *share);
            }
            if part == "profile" {
                once(&mut seen, format!("{c} base year"), f(&p["year"]));
            }
        }
    }
    assert!(rows > 20, "{importer}: the brief has {rows} stage rows");
    let mut outlooks = 0;
    for o in report["outlook_2030"].as_array().unwrap() {
        let c = o["commodity"].as_str().unwrap();
        let row = brief["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["commodity"] == c)
            .unwrap();
        let p = &row["profile"];
        let at = format!("{c} {} {}", p["stage"], p["year"]);
        once(&mut seen, format!("{c} base year"), f(&o["base_year"]));
        once(
            &mut seen,
            format!("{at} concern"),
            f(&o["concern_share_base"]),
        );
        once(&mut seen, format!("{at} c5"), f(&o["c5_share_base"]));
        outlooks += 1;
    }
    assert!(outlooks > 10, "{importer}: {outlooks} outlooks");
    report
}

#[test]
fn the_brief_has_one_value_per_quantity_for_the_us_and_the_eu() {
    let us = check_brief("USA");
    assert_eq!(
        us["brief"]["list"], "us2025",
        "the default list is the latest official one"
    );
    let eu = check_brief("EU27");
    assert_eq!(eu["brief"]["importer"], "eu27");
}

/// `profile` and `brief` print the same location share and the same controlled range for a
/// mineral (both from one function each), and the controlled range is shown with its owners.
#[test]
fn profile_shows_the_concern_controlled_share_with_owners_and_agrees_with_the_brief() {
    let report = json(&["brief", "--format", "json"]);
    for c in ["tungsten", "uranium", "lithium", "cobalt"] {
        let p = json(&["profile", c, "--format", "json"]);
        let ctl = &p["control"];
        assert!(ctl.is_object(), "{c}: no control section: {}", p["notes"]);
        assert!(ctl["rule"].as_str().unwrap().contains("25 %"));
        let (by_loc, low, high, cov) = (
            f(&ctl["by_location"]),
            f(&ctl["controlled_low"]),
            f(&ctl["controlled_high"]),
            f(&ctl["coverage"]),
        );
        assert!(
            by_loc <= low + 1e-12 && low <= high + 1e-12 && high <= 1.0 && cov <= 1.0,
            "{c}: location {by_loc}, controlled {low}–{high}, coverage {cov}"
        );
        let concern = p["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["group"] == "concern")
            .unwrap();
        assert_eq!(f(&concern["production_share"]), by_loc, "{c}");
        let assets = ctl["assets"].as_array().unwrap();
        let controlled: Vec<&Value> = assets.iter().filter(|a| a["controlled"] == true).collect();
        assert!(!controlled.is_empty(), "{c}: no controlled asset abroad");
        for a in &controlled {
            let from_concern: f64 = a["owners"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|o| o["country"] == "CHN" || o["country"] == "RUS")
                .map(|o| f(&o["share"]))
                .sum();
            assert!(from_concern >= 0.25 - 1e-9, "{c}: {}", a["id"]);
        }
        // The brief's row for the same mineral, stage and year carries the same two figures.
        let row = report["brief"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["commodity"] == c)
            .unwrap();
        let b = &row["profile"];
        if b["year"] == p["year"] && b["stage"] == p["stage"] {
            assert_eq!(f(&b["concern_share"]), by_loc, "{c}");
            assert_eq!(f(&b["concern_controlled"][0]), low, "{c}");
            assert_eq!(f(&b["concern_controlled"][1]), high, "{c}");
        }
    }
}

/// Bakuta (Kazakhstan, Chinese-owned) is outside the concern set by location but controlled by
/// it; Cauchari-Olaroz (Argentina, Ganfeng 46.7 %) likewise.
#[test]
fn foreign_assets_owned_from_the_concern_set_count_as_controlled() {
    for (c, id) in [
        ("tungsten", "kaz-bakuta"),
        ("lithium", "arg-cauchari-olaroz"),
    ] {
        let p = json(&["profile", c, "--format", "json"]);
        let a = p["control"]["assets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .unwrap_or_else(|| panic!("{c}: {id} missing"))
            .clone();
        assert_eq!(a["controlled"], true, "{id}");
        assert!(f(&a["concern_held"]) >= 0.25, "{id}");
    }
}

/// No name, label or text in the embedded data carries UTF-8 read as Latin-1 ("TÃ¼rkiye",
/// "â€™") or a replacement character.
#[test]
fn no_text_in_the_embedded_data_is_mis_decoded() {
    let store = lodestone_app::Store::embedded(None).unwrap();
    let texts = [
        ("dataset", serde_json::to_string(store.dataset()).unwrap()),
        ("trade", serde_json::to_string(store.trade()).unwrap()),
        ("projects", serde_json::to_string(store.projects()).unwrap()),
        ("ownership", serde_json::to_string(store.assets()).unwrap()),
        ("events", serde_json::to_string(store.events()).unwrap()),
    ];
    for (part, text) in &texts {
        assert!(text.len() > 1_000, "{part} is nearly empty");
        for bad in ["Ã", "Â", "â€", "\u{FFFD}"] {
            if let Some(at) = text.find(bad) {
                let from = text[..at].char_indices().rev().nth(40).map_or(0, |x| x.0);
                let to = (at + 40).min(text.len());
                let to = (to..text.len())
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(text.len());
                panic!("{part}: {bad:?} in …{}…", &text[from..to]);
            }
        }
    }
    assert!(texts[0].1.contains("Türkiye") || texts[1].1.contains("Türkiye"));
}
