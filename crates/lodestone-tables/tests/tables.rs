//! The tables of real results from the embedded data, written and read back: Excel through a
//! workbook reader, Parquet through the Parquet reader, Arrow through its IPC reader.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use lodestone_app::profile::ProfileQuery;
use lodestone_app::risk::{ranking, RiskQuery};
use lodestone_app::Store;
use lodestone_tables::results::{of, ranking as ranking_tables};
use lodestone_tables::{shapes, Values};

fn store() -> Store {
    Store::embedded(None).expect("embedded store")
}

fn tungsten_2023(s: &Store) -> lodestone_tables::Tables {
    let q = ProfileQuery {
        commodity: "tungsten".into(),
        year: Some(2023),
        ..Default::default()
    };
    of(
        &shapes::PROFILE,
        &lodestone_app::profile::profile(s, &q).unwrap(),
    )
    .unwrap()
}

#[test]
fn a_profile_keeps_numbers_as_numbers_and_every_row_its_source() {
    let s = store();
    let t = tungsten_2023(&s);
    let names: Vec<&str> = t.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["producers", "groups", "control", "sources", "notes"]
    );
    let p = t.main();
    let iso3 = match &p.column("iso3").unwrap().values {
        Values::Text(v) => v.clone(),
        other => panic!("iso3 is {}", other.type_name()),
    };
    assert_eq!(iso3[0].as_deref(), Some("CHN"), "China first");
    let Values::Float(share) = &p.column("share").unwrap().values else {
        panic!("share is not a number column")
    };
    assert!(share.iter().flatten().all(|s| (0.0..=1.0).contains(s)));
    // Every producer row names its source file and row, as the JSON API does.
    for col in ["source", "edition", "file", "row", "field", "original"] {
        let c = p.column(col).unwrap_or_else(|| panic!("no {col} column"));
        assert_eq!(c.values.present(), p.rows(), "{col} missing on some row");
    }
    let sources = t.get("sources").unwrap();
    assert!(
        sources.rows() >= p.rows(),
        "one source line per figure at least"
    );
    let notes = t.get("notes").unwrap();
    let Values::Text(topics) = &notes.column("topic").unwrap().values else {
        panic!()
    };
    for topic in ["method", "year", "unit", "basis", "coverage"] {
        assert!(
            topics.iter().flatten().any(|t| t == topic),
            "notes lack {topic}"
        );
    }
}

/// A sheet's first row, as text.
fn header_of(sheet: &calamine::Range<Data>) -> Vec<String> {
    sheet
        .rows()
        .next()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn the_workbook_reads_back_with_its_sources_and_notes_sheets() {
    let s = store();
    let t = tungsten_2023(&s);
    let bytes = lodestone_tables::xlsx::workbook(&t).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["producers", "groups", "control", "sources", "notes"]
    );
    let producers = wb.worksheet_range("producers").unwrap();
    let header = header_of(&producers);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let china = producers.rows().nth(1).unwrap();
    assert_eq!(china[col("iso3")], Data::String("CHN".into()));
    assert!(
        matches!(china[col("value")], Data::Float(v) if v > 10_000.0),
        "a number cell"
    );
    assert!(matches!(china[col("share")], Data::Float(v) if v > 0.5 && v < 1.0));
    let sources = wb.worksheet_range("sources").unwrap();
    let sh = header_of(&sources);
    for c in [
        "table", "figure", "source", "edition", "file", "row", "field", "original",
    ] {
        assert!(sh.iter().any(|h| h == c), "sources sheet lacks {c}");
    }
    assert!(sources.rows().count() > 10);
    // The same result gives the same bytes (no time stamp).
    assert_eq!(bytes, lodestone_tables::xlsx::workbook(&t).unwrap());
}

#[test]
fn parquet_reads_back_typed_and_is_reproducible() {
    let s = store();
    let t = tungsten_2023(&s);
    let main = t.main();
    let a = lodestone_tables::parquet::parquet(main, &[]).unwrap();
    let b = lodestone_tables::parquet::parquet(main, &[]).unwrap();
    assert_eq!(a, b, "same table, same bytes");
    let reader = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(a))
        .unwrap()
        .build()
        .unwrap();
    let batches: Vec<_> = reader.map(Result::unwrap).collect();
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    assert_eq!(rows, main.rows());
    let schema = batches[0].schema();
    assert_eq!(
        schema.field_with_name("share").unwrap().data_type(),
        &arrow_schema::DataType::Float64
    );
    assert_eq!(
        schema.field_with_name("rank").unwrap().data_type(),
        &arrow_schema::DataType::Int64
    );
}

#[test]
fn arrow_ipc_round_trips() {
    let s = store();
    let t = tungsten_2023(&s);
    let bytes = lodestone_tables::arrow::ipc_stream(t.main()).unwrap();
    let reader = arrow_ipc::reader::StreamReader::try_new(Cursor::new(bytes), None).unwrap();
    let rows: usize = reader.map(|b| b.unwrap().num_rows()).sum();
    assert_eq!(rows, t.main().rows());
}

#[test]
fn a_ranking_lists_the_inputs_of_every_score() {
    let s = store();
    let q = RiskQuery::default();
    let r = ranking(&s, &q).unwrap();
    let t = ranking_tables(&s, &q, &r).unwrap();
    let sources = t.get("sources").unwrap();
    let Values::Text(keys) = &sources.column("key").unwrap().values else {
        panic!()
    };
    let Values::Text(figures) = &sources.column("figure").unwrap().values else {
        panic!()
    };
    for row in r.rows.iter().filter(|r| r.score.is_some()) {
        for fig in ["production", "trade", "stability"] {
            assert!(
                keys.iter()
                    .zip(figures)
                    .any(|(k, f)| k.as_deref() == Some(row.commodity.as_str())
                        && f.as_deref() == Some(fig)),
                "{}: no {fig} source",
                row.commodity
            );
        }
    }
}

#[test]
fn what_excel_cannot_hold_is_noted_never_dropped_silently() {
    use lodestone_tables::{Column, Table, Tables};
    let long = "x".repeat(40_000);
    let t = Tables {
        kind: "demo".into(),
        tables: vec![
            Table {
                name: "main".into(),
                columns: vec![Column {
                    name: "text".into(),
                    values: Values::Text(vec![Some(long)]),
                }],
            },
            Table::text(
                "notes",
                &["topic", "text"],
                vec![vec![Some("method".into()), Some("m".into())]],
            ),
        ],
    };
    let bytes = lodestone_tables::xlsx::workbook(&t).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let notes = wb.worksheet_range("notes").unwrap();
    let lines: Vec<String> = notes
        .rows()
        .map(|r| format!("{} | {}", r[0], r[1]))
        .collect();
    assert!(
        lines.iter().any(|l| l.starts_with(
            "truncated in this workbook | sheet main, column text: 1 cells cut at 32767"
        )),
        "{lines:?}"
    );
}
