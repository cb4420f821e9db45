//! Sourcing plans on the embedded data as a procurement team reads them: from countries that
//! produce the stage (checked against the production figures, not the planner's own labels),
//! never from sanctioned ones, within the supplier limits or with the reason they cannot be
//! met — and the forecast counting a mine from the year it started.

use lodestone_analysis::dependence::stage_profile;
use lodestone_model::Stage;
use lodestone_planner::{forecast, plan, registry_from, ForecastQuery, Limits, PlanQuery};

fn ds() -> &'static lodestone_model::Dataset {
    lodestone_data::embedded()
}

const SIX: [&str; 6] = [
    "tungsten",
    "antimony",
    "rare-earths",
    "graphite",
    "cobalt",
    "gallium",
];

/// Countries with production of the commodity at `stage` in the data (latest year up to 2024),
/// or at the mine where the stage has no figures, and countries where a registry project at
/// that stage starts producing by 2030 (they produce by the plan's year).
fn producers(commodity: &str, stage: Stage, reg: &[lodestone_planner::Project]) -> Vec<String> {
    let p = stage_profile(ds(), commodity, stage, 2024)
        .ok()
        .filter(|p| p.measure == "production")
        .or_else(|| stage_profile(ds(), commodity, Stage::Mine, 2024).ok())
        .expect("a production profile");
    let measured = p.stage.parse::<Stage>().unwrap_or(Stage::Mine);
    p.producers
        .iter()
        .filter(|r| r.value.is_some_and(|v| v > 0.0))
        .map(|r| r.iso3.clone())
        .chain(
            reg.iter()
                .filter(|x| {
                    x.commodity == commodity && x.stage == measured && x.first_production <= 2030
                })
                .map(|x| x.country.clone()),
        )
        .collect()
}

#[test]
fn g7_plans_buy_from_producers_and_never_from_sanctioned_countries() {
    let reg = registry_from(lodestone_data::texts::PROJECTS, ds()).unwrap();
    let sanctioned = ds().groups.get("sanctioned").unwrap().members.clone();
    let g7 = ds().groups.get("g7").unwrap().members.clone();
    let mut planned = 0;
    for c in SIX {
        for importer in &g7 {
            let q = PlanQuery {
                commodity: c.into(),
                importer: importer.clone(),
                year: 2030,
                cost_weight: 0.1,
                ..Default::default()
            };
            let Ok(p) = plan(ds(), lodestone_data::trade(), &reg, &q) else {
                continue;
            };
            planned += 1;
            let producing = producers(c, p.stage, &reg);
            let abroad: f64 = p
                .origins
                .iter()
                .filter(|o| o.role != "home")
                .map(|o| o.planned_share)
                .sum();
            let from_producers: f64 = p
                .origins
                .iter()
                .filter(|o| o.role != "home" && producing.contains(&o.origin))
                .map(|o| o.planned_share)
                .sum();
            assert!(
                from_producers >= 0.9 * abroad,
                "{c} for {importer}: {:.1}% of the planned volume from producers",
                from_producers / abroad * 100.0
            );
            for o in &p.origins {
                assert!(
                    !(sanctioned.contains(&o.origin) && o.planned_share > 0.0),
                    "{c} for {importer}: {} at {}",
                    o.origin,
                    o.planned_share
                );
                assert!(o.planned_share <= 1.0 + 1e-9 && o.current_share <= 1.0 + 1e-9);
            }
        }
    }
    assert!(planned >= 20, "{planned} of 42 plans could be made");
}

#[test]
fn supplier_limits_hold_or_say_why_not() {
    let reg = registry_from(lodestone_data::texts::PROJECTS, ds()).unwrap();
    let (mut held, mut refused) = (0, 0);
    for c in SIX {
        for importer in ["USA", "JPN", "DEU", "eu27"] {
            let q = PlanQuery {
                commodity: c.into(),
                importer: importer.into(),
                year: 2030,
                cost_weight: 0.1,
                limits: Limits {
                    max_suppliers: Some(5),
                    min_share: Some(0.05),
                },
                ..Default::default()
            };
            match plan(ds(), lodestone_data::trade(), &reg, &q) {
                Ok(p) => {
                    let chosen: Vec<f64> = p
                        .origins
                        .iter()
                        .filter(|o| o.role != "home" && o.planned_share > 1e-6)
                        .map(|o| o.planned_share)
                        .collect();
                    assert!(chosen.len() <= 5, "{c} {importer}: {chosen:?}");
                    assert!(
                        chosen.iter().all(|s| *s >= 0.05 - 1e-6),
                        "{c} {importer}: {chosen:?}"
                    );
                    held += 1;
                }
                Err(e) => {
                    let e = e.to_string();
                    assert!(
                        e.contains("binding")
                            || e.contains("nothing to plan")
                            || e.contains("needs nothing"),
                        "{c} {importer}: {e}"
                    );
                    refused += usize::from(e.contains("binding"));
                }
            }
        }
    }
    assert!(
        held >= 10,
        "{held} plans within the limits ({refused} refused)"
    );
}

#[test]
fn hubs_offer_nothing_unless_allowed() {
    let reg = registry_from(lodestone_data::texts::PROJECTS, ds()).unwrap();
    let q = PlanQuery {
        commodity: "rare-earths".into(),
        importer: "USA".into(),
        year: 2030,
        cost_weight: 0.1,
        ..Default::default()
    };
    let p = plan(ds(), lodestone_data::trade(), &reg, &q).unwrap();
    assert!(p
        .origins
        .iter()
        .all(|o| o.role != "hub" || o.planned_share == 0.0));
    let with = plan(
        ds(),
        lodestone_data::trade(),
        &reg,
        &PlanQuery {
            allow_hubs: true,
            ..q
        },
    )
    .unwrap();
    assert!(with
        .origins
        .iter()
        .any(|o| o.role == "hub" && o.planned_share > 0.0));
    assert!(
        with.risk_after <= p.risk_after + 1e-9,
        "more suppliers cannot raise the optimum"
    );
}

#[test]
fn forecast_counts_bakuta_from_its_start_year() {
    let reg = registry_from(lodestone_data::texts::PROJECTS, ds()).unwrap();
    let f = forecast(
        ds(),
        &reg,
        &ForecastQuery {
            commodity: "tungsten".into(),
            to: 2030,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(f.base_year < 2024, "the base is {}", f.base_year);
    let bakuta = f
        .contributions
        .iter()
        .find(|c| c.id == "bakuta-tungsten")
        .expect("Bakuta started in 2024, after the base year: it is added");
    assert_eq!((bakuta.first_production, bakuta.probability), (2024, 1.0));
    let kaz = |y: u16| {
        f.year(y)
            .unwrap()
            .top
            .iter()
            .find(|(c, _)| c == "KAZ")
            .map_or(0.0, |(_, v)| *v)
    };
    // Ramp-up over 3 years: a third of 4,000 t in 2024, all of it from 2026 (before Cove Kaz).
    assert!((kaz(2024) - 4000.0 / 3.0).abs() < 1.0, "{}", kaz(2024));
    assert!(kaz(2026) >= 4000.0 - 1.0, "{}", kaz(2026));
}

#[test]
fn an_announced_output_replaces_the_model_for_its_year_and_is_named() {
    let reg = registry_from(lodestone_data::texts::PROJECTS, ds()).unwrap();
    let q = |effects| ForecastQuery {
        commodity: "uranium".into(),
        to: 2027,
        draws: 50,
        seed: 7,
        effects,
        ..Default::default()
    };
    let plain = forecast(ds(), &reg, &q(vec![])).unwrap();
    let cut = lodestone_model::OutputEffect {
        country: "KAZ".into(),
        commodity: "uranium".into(),
        year: 2025,
        low_t: 29_000.0,
        high_t: 31_000.0,
        basis: plain.basis.clone(),
        scope: String::new(),
        event: "guidance".into(),
    };
    let with = forecast(ds(), &reg, &q(vec![cut])).unwrap();
    let kaz = |f: &lodestone_planner::Forecast, y: u16| {
        f.year(y)
            .unwrap()
            .top
            .iter()
            .find(|(c, _)| c == "KAZ")
            .unwrap()
            .1
    };
    assert!((kaz(&with, 2025) - 30_000.0).abs() < 1e-6);
    assert_eq!(kaz(&with, 2026), kaz(&plain, 2026), "only its year changes");
    assert!(with
        .notes
        .iter()
        .any(|n| n.contains("event guidance sets KAZ output in 2025")));
    let other = lodestone_model::OutputEffect {
        basis: "tU".into(),
        ..with_basis_of(&plain)
    };
    let left = forecast(ds(), &reg, &q(vec![other])).unwrap();
    assert_eq!(kaz(&left, 2025), kaz(&plain, 2025));
    assert!(left.notes.iter().any(|n| n.contains("not applied")));
}

fn with_basis_of(f: &lodestone_planner::Forecast) -> lodestone_model::OutputEffect {
    lodestone_model::OutputEffect {
        country: "KAZ".into(),
        commodity: "uranium".into(),
        year: 2025,
        low_t: 1.0,
        high_t: 2.0,
        basis: f.basis.clone(),
        scope: String::new(),
        event: "x".into(),
    }
}
