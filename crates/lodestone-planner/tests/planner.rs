//! Planner tests: the real registry and its errors, forecast arithmetic on a hand-checked case,
//! the QP on a case solved by hand (and its infeasible twin), and the Cove Kaz project's effect on
//! Kazakhstan's tungsten share by 2030.

use std::path::Path;

use lodestone_planner::forecast::{default_status_models, expected_addition, ramp, Contribution};
use lodestone_planner::plan::{solve, Problem};
use lodestone_planner::project::parse_project;
use lodestone_planner::{
    forecast, plan, registry_from, Bound, ForecastQuery, PlanError, PlanQuery,
};

fn ds() -> &'static lodestone_model::Dataset {
    lodestone_data::embedded()
}

#[test]
fn registry_loads_with_sources() {
    let reg = registry_from(lodestone_data::texts::PROJECTS, ds()).unwrap();
    assert!(reg.len() >= 40, "{} projects", reg.len());
    assert!(reg.iter().all(|p| !p.sources.is_empty()));
    for c in [
        "tungsten",
        "antimony",
        "rare-earths",
        "graphite",
        "lithium",
        "uranium",
    ] {
        assert!(reg.iter().filter(|p| p.commodity == c).count() >= 4, "{c}");
    }
    let cove = reg.iter().find(|p| p.id == "cove-kaz-tungsten").unwrap();
    assert_eq!(
        (
            cove.country.as_str(),
            cove.capacity.value,
            cove.status.as_str()
        ),
        ("KAZ", 12000.0, "financing")
    );
    assert!(
        cove.is_financed()
            && cove
                .financing
                .iter()
                .any(|f| f.institution.contains("Export-Import") && f.amount == Some(900.0))
    );
}

/// Project coordinates match the facilities database (external data: `.ci/run` runs it where
/// `../shared/reference` is present).
#[test]
#[ignore = "external data: ../shared/reference"]
fn external_reference_projects_match_the_facilities_database() {
    let reg = registry_from(lodestone_data::texts::PROJECTS, ds()).unwrap();
    let reference = std::env::var_os("LODESTONE_REFERENCE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference"));
    let facilities = reference.join("facilities-globalstrategic/facilities_flat.csv");
    let mut rdr = csv_reader(&facilities)
        .unwrap_or_else(|e| panic!("this test needs {}: {e}", facilities.display()));
    let rows: Vec<(String, f64, f64)> = rdr
        .records()
        .flatten()
        .map(|r| {
            (
                r[0].to_string(),
                r[3].parse().unwrap_or(0.0),
                r[4].parse().unwrap_or(0.0),
            )
        })
        .collect();
    let mut matched = 0;
    for p in reg.iter().filter(|p| p.facility.is_some()) {
        let f = p.facility.as_ref().unwrap();
        let (_, lat, lon) = rows
            .iter()
            .find(|r| &r.0 == f)
            .unwrap_or_else(|| panic!("{}: facility {f} not in the database", p.id));
        let (plat, plon) = p.coordinates.unwrap();
        assert!(
            (plat - lat).abs() < 0.01 && (plon - lon).abs() < 0.01,
            "{}: coordinates differ from {f}",
            p.id
        );
        matched += 1;
    }
    assert!(matched >= 25, "{matched} projects matched to facilities");
}

fn csv_reader(p: &Path) -> std::io::Result<csv::Reader<std::fs::File>> {
    csv::Reader::from_path(p).map_err(|e| std::io::Error::other(e.to_string()))
}

#[test]
fn bad_project_files_are_located() {
    let good = lodestone_data::texts::PROJECTS
        .iter()
        .find(|(n, _)| *n == "cove-kaz-tungsten.toml")
        .unwrap()
        .1;
    let f = Path::new("cove-kaz-tungsten.toml");
    assert!(parse_project(good, f, ds()).is_ok());
    for (text, line, field) in [
        (
            good.replace("status = \"financing\"", "status = \"dreaming\""),
            "6:",
            "status",
        ),
        (
            good.replace("country = \"KAZ\"", "country = \"Kazakstan\""),
            "3:",
            "country",
        ),
        (
            good.replace("unit = \"t\"", "unit = \"lb\""),
            "",
            "capacity.unit",
        ),
        (good.replace("share = 0.3", "share = 0.5"), "", "owners"),
        (
            good.replace("first_production = 2029", "first_production = 1700"),
            "7:",
            "first_production",
        ),
    ] {
        let e = parse_project(&text, f, ds()).unwrap_err().to_string();
        assert!(
            e.starts_with(&format!("cove-kaz-tungsten.toml:{line}")) && e.contains(field),
            "{e}"
        );
    }
}

#[test]
fn forecast_arithmetic_by_hand() {
    let models = default_status_models();
    assert_eq!(
        (ramp(-1, 3), ramp(0, 3), ramp(1, 3), ramp(2, 3), ramp(5, 3)),
        (0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0, 1.0)
    );
    let c = Contribution {
        id: "x".into(),
        country: "KAZ".into(),
        status: lodestone_planner::project::ProjectStatus::Financing,
        capacity: 1000.0,
        conversion: String::new(),
        probability: 0.6,
        evidence: String::new(),
        first_production: 2029,
        ramp_up_years: 3,
        base_ramp: 0.0,
        concern_held: 0.0,
        controlled: false,
    };
    // 2030: P(delay 0) 0.3 × ramp 2/3 + P(delay 1) 0.3 × ramp 1/3 = 0.3, × 0.6 × 1000 = 180.
    assert!((expected_addition(&c, 2030, &models) - 180.0).abs() < 1e-9);
    assert_eq!(expected_addition(&c, 2028, &models), 0.0);
    // 2035: every delay has ramped up fully: 0.6 × 1000.
    assert!((expected_addition(&c, 2035, &models) - 600.0).abs() < 1e-9);
}

#[test]
fn cove_kaz_raises_kazakhstans_tungsten_share_by_2030() {
    let reg = registry_from(lodestone_data::texts::PROJECTS, ds()).unwrap();
    let without: Vec<_> = reg
        .iter()
        .filter(|p| p.id != "cove-kaz-tungsten")
        .cloned()
        .collect();
    let q = ForecastQuery {
        commodity: "tungsten".into(),
        stage: None,
        to: 2035,
        only_financed: false,
        draws: 200,
        seed: 1,
        effects: vec![],
        assets: vec![],
    };
    let with = forecast(ds(), &reg, &q).unwrap();
    let base = forecast(ds(), &without, &q).unwrap();
    let share = |f: &lodestone_planner::Forecast, y: u16| {
        let yf = f.year(y).unwrap();
        yf.top
            .iter()
            .find(|(c, _)| c == "KAZ")
            .map_or(0.0, |(_, v)| v / yf.world)
    };
    let (a, b) = (share(&with, 2030), share(&base, 2030));
    // Expected Cove Kaz output in 2030: p × 12,000 × (0.3 × 2/3 + 0.3 × 1/3 = 0.3) of world.
    let cove = with
        .contributions
        .iter()
        .find(|c| c.id == "cove-kaz-tungsten")
        .unwrap();
    let added = cove.probability * 12_000.0 * 0.3;
    let world = with.year(2030).unwrap().world;
    assert!(
        (a * world - b * (world - added) - added).abs() < 1.0,
        "KAZ share 2030: {a} with Cove Kaz, {b} without; expected {added} t more"
    );
    // By 2035 every delay (≤ 3 years) and the 3-year ramp have run: p × 12,000 t exactly.
    let (a, b) = (share(&with, 2035), share(&base, 2035));
    let added = cove.probability * 12_000.0;
    let world = with.year(2035).unwrap().world;
    assert!(
        a > b && (a * world - b * (world - added) - added).abs() < 1.0,
        "by 2035 Cove Kaz is fully ramped up in expectation: {a} vs {b}"
    );
    let y = with.year(2030).unwrap();
    let hb = y.hhi_band.as_ref().unwrap();
    assert!(
        hb.p05 <= hb.p50
            && hb.p50 <= hb.p95
            && y.c5_share >= y.c5_band.as_ref().unwrap().p05 - 1e-9
    );
    let financed = forecast(
        ds(),
        &reg,
        &ForecastQuery {
            only_financed: true,
            ..q
        },
    )
    .unwrap();
    assert!(financed.contributions.len() < with.contributions.len());
}

#[test]
fn planner_on_a_case_solved_by_hand() {
    // min s1² + 3 s2² subject to s1 + s2 = 1: s1 = 3 s2 → (0.75, 0.25), risk 0.75.
    let p = Problem {
        w: vec![1.0, 3.0],
        k: vec![1.0, 1.0],
        upper: vec![1.0, 1.0],
        groups: vec![],
        total: 1.0,
    };
    let s = solve(&p, 0.0).unwrap();
    assert!(
        (s[0] - 0.75).abs() < 1e-6 && (s[1] - 0.25).abs() < 1e-6,
        "{s:?}"
    );
    // A cap of 0.5 on the first origin binds.
    let p = Problem {
        groups: vec![("cap A=0.5".into(), vec![0], Some(0.5), None)],
        ..p
    };
    let s = solve(&p, 0.0).unwrap();
    assert!(
        (s[0] - 0.5).abs() < 1e-6 && (s[1] - 0.5).abs() < 1e-6,
        "{s:?}"
    );
    // A cost weight shifts share to the cheaper origin: min s1² + 3 s2² + 2 s1 → s1 = 0.5.
    let p = Problem {
        w: vec![1.0, 3.0],
        k: vec![2.0, 0.0],
        upper: vec![1.0, 1.0],
        groups: vec![],
        total: 1.0,
    };
    let s = solve(&p, 1.0).unwrap();
    assert!((s[0] - 0.5).abs() < 1e-6, "{s:?}");
    // Not enough supply: infeasible.
    let p = Problem {
        w: vec![1.0, 3.0],
        k: vec![1.0, 1.0],
        upper: vec![0.3, 0.3],
        groups: vec![],
        total: 1.0,
    };
    assert!(matches!(solve(&p, 0.0), Err(PlanError::Infeasible(_))));
}

#[test]
fn planner_on_real_data_and_its_infeasible_case() {
    let reg = registry_from(lodestone_data::texts::PROJECTS, ds()).unwrap();
    let trade = lodestone_data::trade();
    let q = PlanQuery {
        commodity: "tungsten".into(),
        stage: None,
        importer: "USA".into(),
        year: 2030,
        caps: vec![
            Bound {
                target: "CHN".into(),
                value: 0.2,
            },
            Bound {
                target: "concern".into(),
                value: 0.3,
            },
        ],
        floors: vec![],
        prefer: vec!["c5".into()],
        cost_weight: 0.1,
        frontier: true,
        ..Default::default()
    };
    let p = plan(ds(), trade, &reg, &q).unwrap();
    let total: f64 = p.origins.iter().map(|o| o.planned_share).sum();
    assert!((total - 1.0).abs() < 1e-5, "{total}");
    assert!(p
        .origins
        .iter()
        .all(|o| o.planned_share <= o.max_share + 1e-6));
    let concern: f64 = p
        .origins
        .iter()
        .filter(|o| o.origin == "CHN" || o.origin == "RUS")
        .map(|o| o.planned_share)
        .sum();
    assert!(concern <= 0.3 + 1e-6 && p.risk_after < p.risk_before);
    assert!(
        p.origins
            .iter()
            .any(|o| o.origin == "KAZ" && o.planned_share > 0.0),
        "Cove Kaz output becomes exportable supply"
    );
    assert!(
        p.frontier
            .windows(2)
            .all(|w| w[1].1 >= w[0].1 - 1e-6 && w[1].2 <= w[0].2 + 1e-6),
        "risk rises and cost falls along the frontier"
    );
    // Capping every origin that can supply much makes the plan impossible; the message says why.
    let mut tight = q.clone();
    tight.caps = p
        .origins
        .iter()
        .filter(|o| o.max_share > 0.05)
        .map(|o| Bound {
            target: o.origin.clone(),
            value: 0.0,
        })
        .collect();
    let e = plan(ds(), trade, &reg, &tight).unwrap_err().to_string();
    assert!(
        e.starts_with("infeasible") && e.contains("binding") && e.contains("cap"),
        "{e}"
    );
    // Canada mines no tungsten: a trading hub, it offers nothing, so a floor on it fails.
    let floor = PlanQuery {
        floors: vec![Bound {
            target: "CAN".into(),
            value: 0.5,
        }],
        ..q
    };
    let e = plan(ds(), trade, &reg, &floor).unwrap_err().to_string();
    assert!(
        e.contains("floor CAN=0.5") && e.contains("at most 0.0%"),
        "{e}"
    );
}

/// No default plan, for any commodity with trade and any G7 importer, gives a share to a
/// sanctioned country; those excluded are named in the notes.
#[test]
fn default_plans_never_buy_from_sanctioned_countries() {
    let reg = registry_from(lodestone_data::texts::PROJECTS, ds()).unwrap();
    let sanctioned = ds().groups.get("sanctioned").unwrap().members.clone();
    assert!(sanctioned.iter().any(|c| c == "PRK"));
    let g7 = ds().groups.get("g7").unwrap().members.clone();
    let (mut plans, mut named) = (0, 0);
    for c in ds().commodities.all() {
        for importer in &g7 {
            let q = PlanQuery {
                commodity: c.id.clone(),
                stage: None,
                importer: importer.clone(),
                year: 2030,
                caps: vec![],
                floors: vec![],
                prefer: vec![],
                cost_weight: 0.1,
                frontier: false,
                ..Default::default()
            };
            let Ok(p) = plan(ds(), lodestone_data::trade(), &reg, &q) else {
                continue;
            };
            plans += 1;
            for o in &p.origins {
                assert!(
                    !sanctioned.contains(&o.origin),
                    "{} for {importer}: {} at {:.4}",
                    c.id,
                    o.origin,
                    o.planned_share
                );
            }
            named += usize::from(p.excluded.iter().any(|e| e.by == "sanctioned"));
        }
    }
    assert!(plans > 200, "{plans} plans");
    assert!(
        named > 50,
        "{named} plans name an excluded sanctioned supplier"
    );
}
