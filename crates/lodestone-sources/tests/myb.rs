//! MYB readers on the real workbooks: world production at the processing stage and US imports
//! by origin and form. The tests read ../shared/reference, so they are `#[ignore]`d (external
//! data) and `.ci/run` runs them where the folder is present. Every assert names the table and
//! cell it checks.

mod common;
use common::{reference_data, reference_dir, repo};

use std::path::PathBuf;

use lodestone_model::{Flags, Scope, Stage, Unit};
use lodestone_sources::myb_imports::{self, MybImport, PrintedTotal};
use lodestone_sources::myb_world::{self, WORLD_TABLES};
use lodestone_sources::record::Record;

fn myb_dir() -> PathBuf {
    reference_dir().join("usgs-minerals-yearbook")
}

fn workbooks() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(myb_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".xlsx"))
        .collect();
    names.sort();
    names
}

fn world(file: &str) -> Vec<Record> {
    let ds = reference_data();
    let (recs, report) =
        myb_world::read_world_production(&myb_dir().join(file), file, &ds.countries).unwrap();
    assert!(report.unresolved_labels.is_empty(), "{file}: {report:?}");
    recs
}

fn at<'a>(recs: &'a [Record], field: &str) -> &'a Record {
    recs.iter()
        .find(|r| r.field == field)
        .unwrap_or_else(|| panic!("no record at {field}"))
}

#[test]
#[ignore = "external data: ../shared/reference"]
fn external_reference_myb_world_tables_read_and_add_up_to_their_world_totals() {
    let ds = reference_data();
    let mut tables = 0;
    for name in workbooks() {
        let (recs, report) =
            myb_world::read_world_production(&myb_dir().join(&name), &name, &ds.countries).unwrap();
        assert!(report.unresolved_labels.is_empty(), "{name}: {report:?}");
        let mut keys: Vec<(String, u16)> = recs.iter().map(|r| (r.table.clone(), r.year)).collect();
        keys.sort();
        keys.dedup();
        let mut sheets: Vec<&str> = keys.iter().map(|k| k.0.as_str()).collect();
        sheets.dedup();
        tables += sheets.len();
        for (t, y) in keys {
            let of = |world: bool| -> Vec<f64> {
                recs.iter()
                    .filter(|r| r.table == t && r.year == y && (r.scope == Scope::World) == world)
                    .filter_map(|r| r.value)
                    .collect()
            };
            let sum: f64 = of(false).iter().sum();
            let printed = of(true);
            assert_eq!(printed.len(), 1, "{name} {t} {y}: one world total");
            // Totals are rounded to three significant digits: a country counted twice or left
            // out would be far outside this.
            assert!(
                (sum - printed[0]).abs() <= 0.01 * printed[0],
                "{name} {t} {y}: countries add up to {sum}, the table prints {}",
                printed[0]
            );
        }
    }
    assert_eq!(tables, WORLD_TABLES.len());
}

#[test]
#[ignore = "external data: ../shared/reference"]
fn external_reference_myb_world_figures_as_published() {
    // Cobalt MYB 2019, table 8 (refinery, t Co): China 2019 in K11, "China, metal, metal
    // powder, oxide, saltse" — the trailing e marks the row estimated.
    let co = world("myb1-2019-cobal-adv.xlsx");
    let china = at(&co, "T8!K11");
    assert_eq!(
        (china.country.as_str(), china.year, china.value),
        ("CHN", 2019, Some(90000.0))
    );
    assert_eq!((china.stage, china.unit), (Stage::Refinery, Unit::Tonne));
    assert!(china.flags.contains(Flags::ESTIMATED));
    assert_eq!(china.commodity, "cobalt");
    assert_eq!(
        at(&co, "T8!K24").value,
        Some(132000.0),
        "T8!K24 world total 2019"
    );
    // Canada 2018 (I10) is flagged "r, 6" in J10: revised, footnote 6 "Excludes cobalt oxide."
    let canada = at(&co, "T8!I10");
    assert!(canada.flags.contains(Flags::REVISED) && canada.note.contains("Excludes cobalt oxide"));

    // Gallium MYB 2020, table 6 (primary production, kg): China 2020 K7, Rep. of Korea
    // ("Korea, Republic ofe") K10 estimated, total K13.
    let ga = world("myb1-2020-galli-ERT.xlsx");
    let china = at(&ga, "T6!K7");
    assert_eq!(
        (china.country.as_str(), china.value, china.unit),
        ("CHN", Some(317000.0), Unit::Kilogram)
    );
    let korea = at(&ga, "T6!K10");
    assert_eq!(korea.country, "KOR");
    assert!(korea.flags.contains(Flags::ESTIMATED));
    assert_eq!(at(&ga, "T6!K13").value, Some(327000.0));

    // Indium MYB 2020, table 3 (refinery, kg): China 2020 K9 = 540,000 with "e" in L9.
    let ind = world("myb1-2020-indiu-adv.xlsx");
    let china = at(&ind, "T3!K9");
    assert_eq!(china.value, Some(540000.0));
    assert!(china.flags.contains(Flags::ESTIMATED));

    // Bismuth MYB 2020, table 5 (refinery, t): China 2020 K10 = 16,000.
    assert_eq!(
        at(&world("myb1-2020-bismu-adv.xlsx"), "T5!K10").value,
        Some(16000.0)
    );

    // Copper MYB 2018, table 22 (refinery): Brazil prints "Total, primary and secondary" in
    // K24 = 147,500; that is Brazil's one figure, its product rows are not counted again.
    let cu = world("myb1-2018-coppe-advrel.xlsx");
    let brazil: Vec<&Record> = cu
        .iter()
        .filter(|r| r.table == "T22" && r.country == "BRA" && r.year == 2018)
        .collect();
    assert_eq!(brazil.len(), 1, "{brazil:#?}");
    assert_eq!(
        (brazil[0].field.as_str(), brazil[0].value),
        ("T22!K24", Some(147500.0))
    );

    // Alumina MYB 2020, table 12 (thousand metric tons): China 2020 K11 = 73,132 kt.
    let al2o3 = world("myb1-2020-bauxi-adv.xlsx");
    let china = at(&al2o3, "T12!K11");
    assert_eq!(
        (china.commodity.as_str(), china.unit, china.value),
        ("alumina", Unit::Kilotonne, Some(73132.0))
    );
}

fn imports(file: &str) -> (Vec<MybImport>, Vec<PrintedTotal>) {
    let ds = reference_data();
    let rel = format!("usgs-minerals-yearbook/{file}");
    let (m, t, report) =
        myb_imports::read_us_imports(&myb_dir().join(file), &rel, &ds.countries).unwrap();
    assert!(report.unresolved_labels.is_empty(), "{file}: {report:?}");
    (m, t)
}

fn cell<'a>(m: &'a [MybImport], field: &str) -> &'a MybImport {
    m.iter()
        .find(|i| i.field == field)
        .unwrap_or_else(|| panic!("no import at {field}"))
}

#[test]
#[ignore = "external data: ../shared/reference"]
fn external_reference_myb_imports_every_printed_total_equals_its_rows() {
    let ds = reference_data();
    let mut checked = Vec::new();
    for name in workbooks() {
        let rel = format!("usgs-minerals-yearbook/{name}");
        let (m, totals, _) =
            myb_imports::read_us_imports(&myb_dir().join(&name), &rel, &ds.countries).unwrap();
        for t in &totals {
            assert!(t.agrees(), "{name}: {t:#?}");
        }
        assert!(m.iter().all(|i| {
            let t = i.table.to_uppercase();
            t.contains("IMPORTS") || t.contains("TRADE")
        }));
        assert!(m.iter().all(|i| i.unit == "kg" || i.unit == "t"));
        checked.push((m.first().map(|i| i.commodity.clone()), totals.len()));
    }
    for c in [
        "tungsten",
        "antimony",
        "gallium",
        "germanium",
        "rare-earths",
        "tantalum",
        "cobalt",
    ] {
        let n = checked
            .iter()
            .filter(|(k, _)| k.as_deref() == Some(c))
            .map(|(_, n)| n)
            .sum::<usize>();
        assert!(n > 0, "{c}: no printed total checked");
    }
}

#[test]
#[ignore = "external data: ../shared/reference"]
fn external_reference_myb_imports_of_tungsten_gallium_germanium_as_published() {
    // Tungsten MYB 2019, table 12 (APT, t W): China 2019 G9 = 824 of the printed total
    // G15 = 1,430, i.e. 57.6 % of US APT imports.
    let (w, totals) = imports("myb1-2019-tungs-adv.xlsx");
    let china = cell(&w, "T12!G9");
    assert_eq!(
        (
            china.form.as_str(),
            china.basis.as_str(),
            china.unit.as_str()
        ),
        ("ammonium paratungstate", "W content", "t")
    );
    assert_eq!(
        (china.year, china.quantity, china.value_usd),
        (2019, Some(824.0), Some(24_900_000.0))
    );
    assert_eq!(china.hts.as_deref(), Some("2841.80.0010"));
    let apt = totals.iter().find(|t| t.field == "T12!G15").unwrap();
    assert_eq!(apt.printed_quantity, Some(1430.0));
    let share = china.quantity.unwrap() / apt.printed_quantity.unwrap();
    assert!((share - 0.576).abs() < 0.001, "{share}");
    // Table 14, tungsten oxides (HTS 2825.90.3000), China 2019 in I101 = 301 t W.
    let ox = cell(&w, "T14!I101");
    assert_eq!(
        (ox.form.as_str(), ox.hts.as_deref(), ox.quantity),
        ("tungsten oxides", Some("2825.90.3000"), Some(301.0))
    );
    // Table 14, wrought tungsten (codes over three rows of column C), China 2019 I86 = 419.
    let wr = cell(&w, "T14!I86");
    assert_eq!(wr.form, "wrought tungsten");
    assert_eq!(
        wr.hts.as_deref(),
        Some("8101.96.0000, 8101.99.1000, 8101.99.8000")
    );
    // Table 14, Korea tungsten carbide 2019 I36 prints "(4)": less than ½ unit.
    let kr = cell(&w, "T14!I36");
    assert_eq!(
        (kr.origin_iso3.as_deref(), kr.quantity, kr.flags.as_str()),
        (Some("KOR"), Some(0.5), "upper-bound")
    );

    // Gallium MYB 2020, table 4 (unwrought gallium and powders, kg, value in dollars): total
    // 2020 in G20 = 4,460 kg, I20 = $1,030,000; Germany 2020 G13 = 2,630 kg.
    let (ga, totals) = imports("myb1-2020-galli-ERT.xlsx");
    let t = totals.iter().find(|t| t.field == "T4!G20").unwrap();
    assert_eq!(
        (t.printed_quantity, t.printed_value_usd),
        (Some(4460.0), Some(1_030_000.0))
    );
    assert!(
        t.agrees() && (t.sum_quantity - 4455.0).abs() < 1e-9,
        "{t:?}"
    );
    let de = cell(&ga, "T4!G13");
    assert_eq!(
        (
            de.form.as_str(),
            de.quantity,
            de.value_usd,
            de.unit.as_str()
        ),
        (
            "unwrought gallium and gallium powders",
            Some(2630.0),
            Some(428_000.0),
            "kg"
        )
    );
    assert_eq!(cell(&ga, "T5!G27").form, "gallium arsenide wafers, doped");

    // Germanium MYB 2021, table 2 ("BY COUNTRY OR LOCALITYe": every figure estimated):
    // unwrought, China 2021 S10 = 5,200 kg, U10 = $5,400,000, HTS from footnote 2.
    let (ge, _) = imports("myb1-2021-germa-ERT.xlsx");
    let cn = cell(&ge, "T2!S10");
    assert_eq!(
        (cn.form.as_str(), cn.year, cn.quantity, cn.value_usd),
        (
            "germanium metal, unwrought",
            2021,
            Some(5200.0),
            Some(5_400_000.0)
        )
    );
    assert_eq!(
        (cn.hts.as_deref(), cn.flags.as_str()),
        (Some("8112.92.6000"), "estimated")
    );
}

#[test]
#[ignore = "external data: ../shared/reference"]
fn external_reference_myb_imports_by_form_and_basis_as_published() {
    // Antimony MYB 2018, table 6: antimony oxide from China, 2018: I23 = 15,400 t gross,
    // K23 = 12,800 t Sb, M23 = $93.9 million — two rows, one per basis.
    let (sb, _) = imports("myb1-2018-antim-advrel.xlsx");
    let gross = cell(&sb, "T6!I23");
    let content = cell(&sb, "T6!K23");
    assert_eq!(
        (gross.form.as_str(), gross.basis.as_str(), gross.quantity),
        ("antimony oxide", "gross weight", Some(15400.0))
    );
    assert_eq!(
        (content.basis.as_str(), content.quantity, content.value_usd),
        ("Sb content", Some(12800.0), Some(93_900_000.0))
    );
    assert_eq!(
        cell(&sb, "T7!G12").form,
        "antimony metal, alloys, and waste and scrap"
    );

    // Cobalt MYB 2019, table 4 ("2019:" rows): Norway metal C41 = 3,270 t gross; oxides from
    // China K33 = 159 t Co, HTS 2822.00.0000 from footnote 3.
    let (co, _) = imports("myb1-2019-cobal-adv.xlsx");
    let no = cell(&co, "T4!C41");
    assert_eq!(
        (no.form.as_str(), no.year, no.quantity, no.basis.as_str()),
        ("cobalt, metal", 2019, Some(3270.0), "gross weight")
    );
    let ox = cell(&co, "T4!K33");
    assert_eq!(
        (ox.form.as_str(), ox.quantity, ox.hts.as_deref()),
        ("oxides and hydroxides", Some(159.0), Some("2822.00.0000"))
    );

    // Rare earths MYB 2019, table 7: ferrocerium from China 2019 I10 = 162,000 kg.
    let (re, _) = imports("myb1-2019-raree-adv.xlsx");
    let fc = cell(&re, "T7!I10");
    assert_eq!(
        (fc.form.as_str(), fc.quantity, fc.hts.as_deref()),
        (
            "ferrocerium and other pyrophoric alloys",
            Some(162000.0),
            Some("3606.90.3010, 3606.90.3090")
        )
    );
    assert!(!re
        .iter()
        .any(|m| m.origin_label.to_lowercase().contains("total")));

    // Niobium MYB 2020, table 3 (by class; principal sources in 2020, M22): ferroniobium
    // "Other" from Brazil 5,980,000 kg, $129,000 thousand.
    let (nb, _) = imports("myb1-2020-niobi-adv.xlsx");
    let br = nb
        .iter()
        .find(|m| m.field == "T3!M22" && m.origin_iso3.as_deref() == Some("BRA"))
        .unwrap();
    assert_eq!(
        (br.form.as_str(), br.quantity, br.value_usd),
        (
            "ferroniobium, other",
            Some(5_980_000.0),
            Some(129_000_000.0)
        )
    );
    assert_eq!(br.flags, "principal-sources-only");
    assert!(
        !nb.iter().any(|m| m.form.contains("tantalum")),
        "tantalum classes are read in the tantalum chapter"
    );

    // Tantalum MYB 2020, table 3: Australia 2020 G8 = 499,000 kg; table 2's principal sources
    // for the same ores are not read again.
    let (ta, _) = imports("myb1-2020-tanta-advrel.xlsx");
    assert_eq!(cell(&ta, "T3!G8").quantity, Some(499_000.0));
    let ores_2020 = ta
        .iter()
        .filter(|m| m.form == "tantalum ores and concentrates" && m.year == 2020)
        .count();
    assert_eq!(
        ores_2020, 4,
        "Australia, China, Congo (Kinshasa), Mauritius from table 3 only"
    );
}

#[test]
#[ignore = "external data: ../shared/reference"]
fn external_reference_the_build_reads_the_myb_world_tables() {
    let inputs = lodestone_sources::BuildInputs {
        reference: reference_dir(),
        data: repo().join("data"),
        geopolrisk: None,
    };
    let (ds, _, report) = lodestone_sources::build(&inputs).unwrap();
    let myb: Vec<&(String, usize)> = report
        .files
        .iter()
        .filter(|(f, _)| f.starts_with("usgs-minerals-yearbook/"))
        .collect();
    // 13 world-production inputs and 8 US-imports inputs (some workbooks feed both).
    assert_eq!(myb.len(), 21, "{myb:?}");
    assert!(myb.iter().all(|(_, n)| *n > 0));
    assert!(!report
        .absent
        .iter()
        .any(|a| a.contains("minerals-yearbook")));
    let gallium_refinery = ds
        .observations
        .iter()
        .filter(|o| {
            o.commodity.as_str() == "gallium" && o.stage == Stage::Refinery && o.year == 2020
        })
        .count();
    assert!(gallium_refinery >= 6);
}
