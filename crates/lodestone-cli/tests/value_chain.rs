//! The value chain past the mine, as issue #11's "done when" list asks for it: uranium conversion
//! and enrichment by country, processed forms in trade with their provenance and coverage, and a
//! cascade on the natural-uranium network.

mod common;
use common::{lodestone, repo, stderr};

fn json(args: &[&str]) -> serde_json::Value {
    let o = lodestone(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn share(p: &serde_json::Value, iso3: &str) -> f64 {
    p["producers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["iso3"] == iso3)
        .and_then(|r| r["share"].as_f64())
        .unwrap_or(0.0)
}

#[test]
fn uranium_conversion_and_enrichment_show_russias_share_of_capacity() {
    // WNA Nuclear Fuel Report tables (via the Euratom Supply Agency): conversion 2017, Russia
    // 18,000 of 57,500 tU = 31.3 %; enrichment 2015, Russia 26,600 of 65,600 tSWU = 40.5 %.
    let c = json(&[
        "profile",
        "uranium",
        "--stage",
        "conversion",
        "--format",
        "json",
    ]);
    assert_eq!(c["measure"], "capacity");
    assert!((share(&c, "RUS") - 18_000.0 / 57_500.0).abs() < 1e-9);
    let e = json(&[
        "profile",
        "uranium",
        "--stage",
        "enrichment",
        "--format",
        "json",
    ]);
    assert_eq!(e["unit"], "tSWU");
    assert!((share(&e, "RUS") - 26_600.0 / 65_600.0).abs() < 1e-9);
}

fn origins(d: &serde_json::Value) -> Vec<String> {
    d["origins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["iso3"].as_str().unwrap().to_string())
        .collect()
}

/// The result for one stage on the reported (non-BACI) product set.
fn reported(all: &serde_json::Value, stage: &str) -> serde_json::Value {
    all.as_array()
        .unwrap()
        .iter()
        .find(|d| d["stage"] == stage && d["product_set"] == "reported")
        .unwrap_or_else(|| panic!("no reported {stage} result in {all}"))
        .clone()
}

#[test]
fn processed_forms_name_their_origins_with_provenance() {
    let u = json(&["trade", "uranium", "--importer", "USA", "--format", "json"]);
    let nat = reported(&u, "mine");
    for c in ["KAZ", "CAN", "RUS", "UZB"] {
        assert!(
            origins(&nat).contains(&c.to_string()),
            "{c} in {:?}",
            origins(&nat)
        );
    }
    assert_eq!(nat["coverage"][0]["provenance"], "estimated");

    let sb = json(&["trade", "antimony", "--importer", "USA", "--format", "json"]);
    let oxide = reported(&sb, "refinery");
    let metal = reported(&sb, "smelter");
    // USGS Minerals Yearbook 2018, antimony table 6: China is the largest origin of oxide.
    assert_eq!(origins(&oxide)[0], "CHN");
    assert!(origins(&metal).contains(&"CHN".to_string()));
    assert_eq!(oxide["coverage"][0]["provenance"], "reported-by-importer");

    for c in ["germanium", "gallium"] {
        let d = json(&[
            "trade",
            c,
            "--importer",
            "USA",
            "--stage",
            "refinery",
            "--format",
            "json",
        ]);
        let r = reported(&d, "refinery");
        assert!(origins(&r).len() >= 4, "{c}: {:?}", origins(&r));
        assert!(r["imports_t"].as_f64().unwrap() > 0.0);
    }
}

/// A country's loss in a simulation result (tonnes), if the network has it.
fn loss_of(result: &serde_json::Value, iso3: &str) -> Option<f64> {
    result["countries"]
        .as_array()?
        .iter()
        .find(|c| c["iso3"] == iso3 || c["country"] == iso3)
        .and_then(|c| c["loss_t"].as_f64())
}

#[test]
fn a_kazakh_uranium_outage_reaches_us_and_eu_buyers() {
    let f = repo().join("data/scenarios/kazakhstan-uranium-outage.toml");
    let s = json(&[
        "simulate",
        f.to_str().unwrap(),
        "--draws",
        "0",
        "--format",
        "json",
    ]);
    let r = &s["results"][0];
    let loss = |iso3: &str| loss_of(r, iso3).unwrap_or(0.0);
    assert!(loss("USA") > 0.0 && loss("EU27") > 0.0, "{r}");
    assert!(s["trade_source"].as_str().unwrap().contains("estimated"));
}

#[test]
fn chinas_germanium_controls_reach_eu_members_and_japan_on_chinas_reported_exports() {
    let f = repo().join("data/scenarios/china-2023-germanium.toml");
    let s = json(&[
        "simulate",
        f.to_str().unwrap(),
        "--draws",
        "0",
        "--format",
        "json",
    ]);
    let r = &s["results"][0];
    let loss = |iso3: &str| loss_of(r, iso3);
    for c in ["BEL", "DEU", "JPN"] {
        assert!(loss(c).is_some_and(|l| l > 0.0), "{c}: {r}");
    }
    // China has exported no germanium to the US since the December 2024 ban: no US link.
    assert!(loss("USA").is_none_or(|l| l == 0.0), "{r}");
    assert!(s["trade_source"]
        .as_str()
        .unwrap()
        .contains("reported-by-exporter"));
}

/// Copies a folder tree (the project's `data/`) so a test can add files to it.
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        let q = to.join(e.file_name());
        if p.is_dir() {
            copy_tree(&p, &q);
        } else {
            std::fs::copy(&p, &q).unwrap();
        }
    }
}

#[test]
fn a_full_hs22_baci_year_lights_up_processed_forms_through_the_concordance() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_tree(&repo().join("data"), &data);
    // A release file in BACI's layout: China → USA antimony oxides and tungstates, one code the
    // concordance does not list.
    let file = dir.path().join("BACI_HS22_Y2023_V202601.csv");
    std::fs::write(
        &file,
        "t,i,j,k,v,q\n2023,156,842,284180,1000.5,500.25\n2023,156,842,282580,2000,800\n2023,156,842,999999,1,1\n",
    )
    .unwrap();
    let o = lodestone(&[
        "data",
        "scan-baci",
        file.to_str().unwrap(),
        "--into",
        data.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let t = json(&[
        "--data",
        data.to_str().unwrap(),
        "trade",
        "antimony",
        "--importer",
        "USA",
        "--year",
        "2023",
        "--stage",
        "refinery",
        "--format",
        "json",
    ]);
    let r = reported(&t, "refinery");
    assert_eq!(origins(&r), vec!["CHN"]);
    assert_eq!(r["imports_t"].as_f64(), Some(800.0));
    assert_eq!(r["coverage"][0]["provenance"], "reconciled");
    assert!(r["coverage"][0]["products"]
        .as_str()
        .unwrap()
        .contains("HS2022 282580"));
    // A file whose name does not say its HS edition needs --nomenclature.
    let odd = dir.path().join("flows.csv");
    std::fs::copy(&file, &odd).unwrap();
    let o = lodestone(&["data", "scan-baci", odd.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--nomenclature"));
}

#[test]
fn chinas_reported_artificial_graphite_exports_form_the_processing_stage() {
    let t = json(&[
        "trade",
        "graphite",
        "--importer",
        "KOR",
        "--stage",
        "processing",
        "--format",
        "json",
    ]);
    let r = reported(&t, "processing");
    assert_eq!(origins(&r), vec!["CHN"]);
    assert_eq!(r["coverage"][0]["provenance"], "reported-by-exporter");
    // The result says what the exporter's statistics cannot show.
    let notes = r["notes"].to_string();
    assert!(notes.contains("imports from other origins are not in this source"));
    assert!(notes.contains("upper bound"));
}
