//! End-to-end tests of the `lodestone` binary: outputs, exit codes, error messages, atomic writes.

mod common;
use common::{lodestone, repo, stderr, stdout};

#[test]
fn profile_tungsten_2023_json_names_its_source() {
    let o = lodestone(&["profile", "tungsten", "--year", "2023", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["world_total"], 78000.0);
    assert_eq!(v["source"], "usgs");
    assert_eq!(v["edition"], "2024");
    let cn = &v["producers"][0];
    assert_eq!(cn["iso3"], "CHN");
    assert_eq!(cn["value"], 63000.0);
    assert_eq!(cn["provenance"][0]["source"], "USGS MCS");
    assert!(cn["provenance"][0]["file"]
        .as_str()
        .unwrap()
        .ends_with("mcs2024-tungs_world.csv"));
}

#[test]
fn profile_table_snapshot() {
    let o = lodestone(&["profile", "tungsten", "--year", "2023"]);
    assert!(o.status.success());
    insta::assert_snapshot!("profile_tungsten_2023", stdout(&o));
}

#[test]
fn uranium_and_antimony_profiles_show_c5() {
    for (c, states) in [
        ("uranium", vec!["KAZ", "UZB"]),
        ("antimony", vec!["TJK", "KAZ", "KGZ"]),
    ] {
        let o = lodestone(&["profile", c, "--format", "csv"]);
        assert!(o.status.success());
        let out = stdout(&o);
        for s in states {
            assert!(out.contains(&format!(",{s},")), "{c}: {s} missing\n{out}");
        }
        assert!(out.contains("(C5)"));
    }
}

#[test]
fn usage_errors_exit_2_with_suggestions() {
    let cases: [(&[&str], &str); 6] = [
        (&["profile", "tungstn"], "did you mean tungsten"),
        (&["profile", "tungsten", "--year", "1900"], "valid choices"),
        (
            &["profile", "tungsten", "--stage", "smelt"],
            "did you mean smelter",
        ),
        (&["brief", "--importer", "Atlantiss"], "unknown country"),
        (&["countries", "--group", "c6"], "did you mean c5"),
        (&["profile"], "Usage"),
    ];
    for (args, needle) in cases {
        let o = lodestone(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
        assert_eq!(
            stderr(&o)
                .lines()
                .filter(|l| l.starts_with("error"))
                .count(),
            1,
            "one line: {}",
            stderr(&o)
        );
    }
}

#[test]
fn config_redefines_the_concern_set_and_bad_config_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("lodestone.toml");
    std::fs::write(
        &good,
        "[groups.concern]\nmembers = [\"CHN\", \"RUS\", \"PRK\"]\n",
    )
    .unwrap();
    let o = lodestone(&[
        "--config",
        good.to_str().unwrap(),
        "profile",
        "tungsten",
        "--year",
        "2023",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let concern = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "concern")
        .unwrap();
    let expect = (63000.0 + 2000.0 + 1700.0) / 78000.0;
    assert!((concern["production_share"].as_f64().unwrap() - expect).abs() < 1e-9);
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[groups.concern]\nmembers = [\"CHN\",\n  \"Rusia\"]\n",
    )
    .unwrap();
    let o = lodestone(&["--config", bad.to_str().unwrap(), "brief"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean Russia"), "{}", stderr(&o));
    std::fs::write(&bad, "[groups.concern]\nmembers = 7\n").unwrap();
    let o = lodestone(&["--config", bad.to_str().unwrap(), "brief"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad.toml:2:"), "{}", stderr(&o));
}

#[test]
fn brief_outputs_and_self_contained_html() {
    let o = lodestone(&["brief", "--list", "us2025", "--format", "csv"]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.starts_with("mineral,stage,year,top producer,share,HHI,NIR"));
    assert!(
        out.lines()
            .any(|l| l.starts_with("Uranium,mine,") && l.contains("KAZ")),
        "{out}"
    );
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("brief.html");
    let o = lodestone(&["brief", "--html", html.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("<svg") && page.matches("<svg").count() >= 2,
        "a chart and a map"
    );
    assert!(!page.contains("<script"), "no script");
    for attr in ["src=\"http", "href=\"http", "url(http", "@import"] {
        assert!(!page.contains(attr), "offline: nothing fetched ({attr})");
    }
    assert!(page.contains("mcs2024-tungs_world.csv"), "sources listed");
    assert!(!std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().contains(".tmp")));
}

#[test]
fn lists_and_check() {
    let o = lodestone(&["countries", "--group", "c5", "--format", "csv"]);
    assert!(o.status.success());
    assert_eq!(stdout(&o).lines().count(), 6);
    let o = lodestone(&["commodities", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let with_data = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["years"] != "no data")
        .count();
    assert!(with_data >= 70, "{with_data} commodities with data");
    let o = lodestone(&["data", "check", "--format", "json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["series_compared"].as_u64().unwrap() > 100);
    let o = lodestone(&["data", "check", "--threshold", "7"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn data_build_writes_nothing_when_a_source_is_malformed() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("reference");
    let world = reference.join("usgs-mcs/mcs2024/world");
    std::fs::create_dir_all(&world).unwrap();
    std::fs::write(
        world.join("mcs2024-tungs_world.csv"),
        "Source,Country,Type,Prod_t_2022,Prod_t_est_2023\nMCS2024,China,\"Mine production, tungsten content\",66000,6x3000\n",
    )
    .unwrap();
    let out = dir.path().join("data");
    std::fs::create_dir_all(out.join("sources")).unwrap();
    for f in [
        "countries.csv",
        "country_aliases.csv",
        "groups.toml",
        "commodities.csv",
        "conversions.csv",
        "sources/usgs-series.csv",
        "sources/wmd-sheets.csv",
        "sources/manifest.csv",
        "hs-concordance.csv",
    ] {
        std::fs::copy(repo().join("data").join(f), out.join(f)).unwrap();
    }
    let o = lodestone(&[
        "data",
        "build",
        "--from",
        reference.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    // A malformed input file is an input error (exit 2), located at file:line:column.
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("mcs2024-tungs_world.csv:2:5") && stderr(&o).contains("6x3000"),
        "{}",
        stderr(&o)
    );
    assert!(!out.join("observations").exists(), "nothing written");
    // A valid file but missing inputs: still nothing partial.
    std::fs::write(
        world.join("mcs2024-tungs_world.csv"),
        "Source,Country,Type,Prod_t_2022,Prod_t_est_2023\nMCS2024,China,\"Mine production, tungsten content\",66000,63000\n",
    )
    .unwrap();
    let o = lodestone(&[
        "data",
        "build",
        "--from",
        reference.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("not writing a partial dataset"),
        "{}",
        stderr(&o)
    );
    assert!(!out.join("observations").exists());
    let o = lodestone(&["data", "build", "--from", "/definitely/not/here"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn basis_is_restated_only_through_a_cited_factor() {
    let o = lodestone(&[
        "profile",
        "uranium",
        "--year",
        "2024",
        "--basis",
        "U content",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["basis"], "U content");
    let kz = v["producers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["iso3"] == "KAZ")
        .unwrap();
    assert!((kz["value"].as_f64().unwrap() - 27440.0 * 0.8480).abs() < 1e-6);
    assert!(v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().contains("IUPAC")));
    let o = lodestone(&["profile", "uranium", "--basis", "REO"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("valid choices: U content"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn trade_command_shows_origins_and_reliance() {
    let o = lodestone(&[
        "trade",
        "tungsten",
        "--importer",
        "USA",
        "--year",
        "2022",
        "--stage",
        "mine",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = &v[0];
    assert_eq!(d["import_reliance"], 1.0);
    assert_eq!(d["origins"][0]["iso3"], "BOL");
    assert!(d["trade_source"].as_str().unwrap().contains("BACI"));
    let o = lodestone(&[
        "trade",
        "tungsten",
        "--importer",
        "eu27",
        "--year",
        "2022",
        "--by",
        "product",
        "--format",
        "csv",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("HS 261100") && stdout(&o).contains("HS 810110"));
    let o = lodestone(&["trade", "tungsten", "--importer", "Narnia"]);
    assert_eq!(o.status.code(), Some(2));
    let o = lodestone(&["trade", "tungsten", "--year", "1990"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("valid choices: 2015"), "{}", stderr(&o));
}

#[test]
fn risk_rankings_and_explain() {
    let o = lodestone(&[
        "risk",
        "--viewpoint",
        "JPN",
        "--method",
        "geopolrisk",
        "--year",
        "2022",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let ranking: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows = &ranking["rows"];
    let scored: Vec<f64> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["score"].as_f64())
        .collect();
    assert!(scored.len() >= 40 && scored.windows(2).all(|w| w[0] >= w[1]));
    let o = lodestone(&[
        "risk",
        "tungsten",
        "--viewpoint",
        "USA",
        "--year",
        "2022",
        "--explain",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("0.600562") && out.contains("0.292560"),
        "HHI and score as geopolrisk-py prints them\n{out}"
    );
    assert!(out.contains("BOL") && out.contains("f_i·g_i"));
    let o = lodestone(&[
        "risk",
        "tungsten",
        "--viewpoint",
        "eu27",
        "--method",
        "eu",
        "--year",
        "2022",
        "--explain",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("HHI_WGI,t(GS)") && stdout(&o).contains("EoL-RIR"));
    let o = lodestone(&[
        "risk",
        "tungsten",
        "--viewpoint",
        "Tuvalu",
        "--year",
        "2022",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("neither imports nor produces"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn simulate_scenarios_from_files_and_the_largest_supplier() {
    let scenario = repo().join("data/scenarios/china-2025-tungsten-antimony.toml");
    let o = lodestone(&[
        "simulate",
        scenario.to_str().unwrap(),
        "--draws",
        "50",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let results = v["results"].as_array().unwrap();
    assert!(
        results.iter().any(|r| r["commodity"] == "antimony")
            && results.iter().any(|r| r["commodity"] == "tungsten")
    );
    for r in results {
        assert!(r["mass_balance_error"].as_f64().unwrap() < 1e-6);
    }
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("sim.html");
    let o = lodestone(&[
        "simulate",
        "--largest-supplier",
        "graphite",
        "--draws",
        "20",
        "--html",
        html.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.matches("<svg").count() >= 2 && !page.contains("<script"));
    // Bad scenario files are located by field and line; too many draws are refused.
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "name = \"x\"\n[[shock]]\norigin = \"CHN\"\ncommodity = \"graphite\"\nkind = \"exports\"\nmagnitude = 2\n").unwrap();
    let o = lodestone(&["simulate", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("bad.toml:6:") && stderr(&o).contains("shock.magnitude"),
        "{}",
        stderr(&o)
    );
    let o = lodestone(&["simulate", scenario.to_str().unwrap(), "--draws", "1000000"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("limit is 100000"), "{}", stderr(&o));
}

#[test]
fn events_registry_and_extraction() {
    let o = lodestone(&["events", "--country", "KAZ", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["id"] == "2025-11-06-cove-kaz-exim-letter"));
    let o = lodestone(&[
        "events",
        "--type",
        "export-control",
        "--commodity",
        "tungsten",
        "--format",
        "csv",
    ]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("2025-02-04"));
    let o = lodestone(&["events", "--type", "loan"]);
    assert_eq!(o.status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("a.html");
    std::fs::write(
        &article,
        "<html><body><script>var x = 'sanctions';</script><p>Beijing announced export controls on antimony on Thursday.</p><p>EXIM offered a $900 million letter of interest for tungsten in Kazakhstan.</p></body></html>",
    )
    .unwrap();
    let scen = dir.path().join("scenarios");
    let o = lodestone(&[
        "events",
        "extract",
        article.to_str().unwrap(),
        "--date",
        "2024-08-16",
        "--format",
        "json",
        "--scenarios",
        scen.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let events = v["extraction"]["events"].as_array().unwrap();
    let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert!(
        types.contains(&"export-control")
            && types.contains(&"financing")
            && !types.contains(&"sanction"),
        "{types:?}"
    );
    let ec = events
        .iter()
        .find(|e| e["type"] == "export-control")
        .unwrap();
    assert_eq!(
        ec["date"], "2024-08-15",
        "'on Thursday' before Friday 16 August 2024"
    );
    // The drafted scenario is a valid scenario file for `simulate`.
    let drafted = std::fs::read_dir(&scen)
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let o = lodestone(&[
        "simulate",
        drafted.to_str().unwrap(),
        "--draws",
        "0",
        "--year",
        "2023",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let o = lodestone(&["events", "extract", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("empty"));
}

#[test]
fn projects_forecast_and_plan() {
    let o = lodestone(&["projects", "--country", "c5", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == "cove-kaz-tungsten"));
    let o = lodestone(&["projects", "--status", "dreaming"]);
    assert_eq!(o.status.code(), Some(2));
    let o = lodestone(&[
        "forecast", "tungsten", "--to", "2035", "--draws", "100", "--format", "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let f: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let years = f["years"].as_array().unwrap();
    assert_eq!(years.last().unwrap()["year"], 2035);
    assert!(
        years.last().unwrap()["c5_share"].as_f64().unwrap()
            > years[0]["c5_share"].as_f64().unwrap()
    );
    let o = lodestone(&["forecast", "tungsten", "--to", "2001"]);
    assert_eq!(o.status.code(), Some(2));
    let o = lodestone(&[
        "plan",
        "tungsten",
        "--importer",
        "USA",
        "--year",
        "2030",
        "--cap",
        "CHN=0.2",
        "--prefer",
        "c5",
        "--frontier",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let p: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(p["risk_after"].as_f64().unwrap() < p["risk_before"].as_f64().unwrap());
    assert!(!p["frontier"].as_array().unwrap().is_empty());
    let o = lodestone(&["plan", "tungsten", "--cap", "CHN=two"]);
    assert_eq!(o.status.code(), Some(2));
    // Canada mines no tungsten: as a trading hub it offers nothing, so a floor on it fails.
    let o = lodestone(&["plan", "tungsten", "--floor", "CAN=0.5"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("infeasible") && stderr(&o).contains("floor CAN=0.5"),
        "{}",
        stderr(&o)
    );
    let o = lodestone(&[
        "plan",
        "tungsten",
        "--max-suppliers",
        "5",
        "--min-share",
        "0.05",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let p: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let chosen: Vec<f64> = p["origins"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["role"] != "home")
        .filter_map(|o| o["planned_share"].as_f64())
        .filter(|s| *s > 1e-6)
        .collect();
    assert!(
        chosen.len() <= 5 && chosen.iter().all(|s| *s >= 0.05 - 1e-6),
        "{chosen:?}"
    );
}

/// No figure prints as negative zero (a Rust sum over nothing is −0.0): the brief on every list
/// and the risk rankings.
#[test]
fn no_negative_zero_in_the_brief_or_the_rankings() {
    let mut runs: Vec<Vec<&str>> = ["us2022", "us2025", "eu2023", "eu2023-strategic"]
        .iter()
        .flat_map(|l| {
            [
                vec!["brief", "--list", l, "--format", "json"],
                vec!["brief", "--list", l],
            ]
        })
        .collect();
    for m in ["eu", "geopolrisk", "hhi"] {
        runs.push(vec!["risk", "--method", m, "--format", "json"]);
    }
    for args in runs {
        let o = lodestone(&args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(!out.contains("-0.0"), "{args:?} prints a negative zero");
    }
}

/// Runs `args` under a pseudo-terminal (`script`), so progress bars may draw; None when
/// `script` is not installed.
fn in_terminal(args: &[&str]) -> Option<String> {
    let cmd = std::iter::once(env!("CARGO_BIN_EXE_lodestone").to_string())
        .chain(args.iter().map(|a| a.to_string()))
        .collect::<Vec<_>>()
        .join(" ");
    let out = std::process::Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .current_dir(std::env::temp_dir())
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "{cmd}: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn progress_bars_show_on_a_terminal_for_long_work_only() {
    // 2,000 draws run about 3 s in a debug build; the bar appears after one second.
    let long = [
        "simulate",
        "--largest-supplier",
        "tungsten",
        "--draws",
        "2000",
    ];
    // Piped (as here): no bar.
    let o = lodestone(&long);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("/s"),
        "a bar on a pipe: {}",
        stderr(&o)
    );
    let Some(shown) = in_terminal(&long) else {
        eprintln!("SKIP: `script` (a pseudo-terminal) is not installed");
        return;
    };
    // The bar's rate column ("123.4/s") is the mark of a drawn bar.
    assert!(shown.contains("/s"), "no bar on a terminal for a long run");
    let quiet: Vec<&str> = std::iter::once("--quiet").chain(long).collect();
    let quiet = in_terminal(&quiet).unwrap();
    assert!(!quiet.contains("/s"), "a bar despite --quiet");
    let short = in_terminal(&[
        "simulate",
        "--largest-supplier",
        "tungsten",
        "--draws",
        "10",
    ])
    .unwrap();
    assert!(!short.contains("/s"), "a bar for work under a second");
}
