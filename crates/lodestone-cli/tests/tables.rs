//! `--format parquet|xlsx -o FILE` on the table-producing commands: the files open in a
//! workbook reader and a Parquet reader, with their sources and notes; text formats may be
//! written to a file too; a binary format without a file is a usage error.

use std::path::Path;
use std::process::{Command, Output};

use calamine::{open_workbook, Data, Reader, Xlsx};

fn lodestone(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lodestone"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run lodestone")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn risk_as_a_workbook_has_the_ranking_its_sources_and_notes() {
    let dir = tempfile::tempdir().unwrap();
    let o = lodestone(
        &[
            "risk",
            "--viewpoint",
            "USA",
            "--format",
            "xlsx",
            "-o",
            "risk.xlsx",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.is_empty(), "nothing on standard output");
    let mut wb: Xlsx<_> = open_workbook(dir.path().join("risk.xlsx")).unwrap();
    assert_eq!(wb.sheet_names(), ["ranking", "sources", "notes"]);
    let ranking = wb.worksheet_range("ranking").unwrap();
    let header: Vec<String> = ranking
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let score = header
        .iter()
        .position(|h| h == "score")
        .expect("score column");
    let scores: Vec<f64> = ranking
        .rows()
        .skip(1)
        .filter_map(|r| match r[score] {
            Data::Float(f) => Some(f),
            _ => None,
        })
        .collect();
    assert!(
        scores.len() > 20,
        "scores are number cells: {}",
        scores.len()
    );
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "ranked, highest first"
    );
    let sources = wb.worksheet_range("sources").unwrap();
    let text: Vec<String> = sources
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(
        text.iter().any(|t| t.contains("World Mining Data")),
        "production source listed"
    );
    assert!(
        text.iter().any(|t| t.contains("BACI")),
        "trade source listed"
    );
    assert!(
        text.iter().any(|t| t.contains("WGI")),
        "stability source listed"
    );
    let notes = wb.worksheet_range("notes").unwrap();
    let notes: Vec<String> = notes.rows().map(|r| r[0].to_string()).collect();
    for topic in ["method", "method", "year", "coverage"] {
        assert!(notes.iter().any(|n| n == topic), "notes lack {topic}");
    }
}

#[test]
fn a_profile_as_parquet_writes_the_main_table_and_its_siblings() {
    let dir = tempfile::tempdir().unwrap();
    let o = lodestone(
        &[
            "profile",
            "tungsten",
            "--year",
            "2023",
            "--format",
            "parquet",
            "-o",
            "w.parquet",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for f in [
        "w.parquet",
        "w.groups.parquet",
        "w.control.parquet",
        "w.sources.parquet",
        "w.notes.parquet",
    ] {
        let bytes = std::fs::read(dir.path().join(f)).unwrap_or_else(|_| panic!("{f} missing"));
        assert_eq!(&bytes[..4], b"PAR1", "{f} is Parquet");
        assert!(stderr(&o).contains(&format!("wrote {f}")), "{}", stderr(&o));
    }
}

#[test]
fn binary_formats_need_a_file_and_text_formats_may_have_one() {
    let dir = tempfile::tempdir().unwrap();
    let o = lodestone(&["profile", "tungsten", "--format", "parquet"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("name it with -o FILE"),
        "{}",
        stderr(&o)
    );
    let o = lodestone(
        &["groups", "--format", "xlsx", "-o", "no/such/g.xlsx"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("does not exist"), "{}", stderr(&o));
    let o = lodestone(&["groups", "--format", "csv", "-o", "g.csv"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let csv = std::fs::read_to_string(dir.path().join("g.csv")).unwrap();
    assert!(csv.lines().count() > 3 && csv.contains("c5"), "{csv}");
    let o = lodestone(&["data", "fetch", "--format", "xlsx"], dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn every_table_command_writes_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let runs: &[&[&str]] = &[
        &["brief"],
        &["trade", "tungsten"],
        &["risk", "tungsten", "--method", "eu"],
        &["risk", "tungsten"],
        &[
            "simulate",
            "--largest-supplier",
            "tungsten",
            "--draws",
            "20",
        ],
        &["scenarios"],
        &["events"],
        &["projects"],
        &["forecast", "tungsten", "--draws", "50"],
        &["plan", "tungsten"],
        &["commodities"],
        &["countries"],
        &["groups"],
        &["data", "check"],
    ];
    for (i, args) in runs.iter().enumerate() {
        let file = format!("t{i}.xlsx");
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--format", "xlsx", "-o", &file]);
        let o = lodestone(&all, dir.path());
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let mut wb: Xlsx<_> = open_workbook(dir.path().join(&file)).unwrap();
        let names = wb.sheet_names();
        assert!(names.len() >= 3, "{args:?}: {names:?}");
        assert_eq!(&names[names.len() - 2..], ["sources", "notes"], "{args:?}");
        let main = wb.worksheet_range(&names[0]).unwrap();
        assert!(
            main.rows().count() > 1,
            "{args:?}: the main sheet {} is empty",
            names[0]
        );
        // Every result read from sources says where its figures come from (the catalogues of
        // scenarios, commodities and countries are Lodestone's own lists; a plan names its
        // sources in its notes only — the Plan result carries no structured citation yet).
        let cited = !matches!(args[0], "scenarios" | "commodities" | "countries" | "plan");
        let sources = wb.worksheet_range("sources").unwrap().rows().count() - 1;
        assert!(!cited || sources > 0, "{args:?}: empty sources sheet");
    }
}
