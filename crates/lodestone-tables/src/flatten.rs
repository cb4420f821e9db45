//! Why this file exists: every result already serialises to JSON with its provenance attached;
//! this turns that JSON into tables by one set of rules, so a new field reaches Parquet, Excel
//! and Python without a second, hand-kept mapping that could drift from the JSON API.
//!
//! The rules: a table is the items of one array (its [`TableSpec::path`]); nested objects become
//! dotted columns (`hhi_band.p05`); lists of numbers or words become one cell joined by "; ";
//! other nested lists stay as compact JSON in one cell (nothing is dropped). A `provenance` list
//! gives the row's `source, edition, file, row, field, original` columns (its first entry) and
//! a line per entry in the sources table; `*_provenance` fields and `*_source` citations go to
//! the sources table too. The top-level fields that are not tables become the notes table.

use serde_json::{Map, Value};

use crate::table::{Builder, Cell, Table};

/// One table of a result: its name, where its rows are, and which fields of the enclosing
/// objects to repeat on every row (so a flattened child row still says whose it is).
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    pub name: &'static str,
    /// Dot-separated field names; `[]` after a name (or alone, for a top-level list) walks the
    /// list's items: `producers[]`, `[]`, `[].origins[]`, `results[].countries[]`.
    pub path: &'static str,
    pub keep: &'static [&'static str],
}

/// How a result becomes tables: the first table is the main one (what Python returns by
/// default and a single Parquet file holds).
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub kind: &'static str,
    pub tables: &'static [TableSpec],
    /// The method, in a sentence or two, for the notes table.
    pub method: &'static str,
}

/// The provenance columns a row carries (from its first `provenance` entry); `flags` are the
/// source's qualifiers (estimated, withheld, rounded, …).
pub const PROVENANCE_COLUMNS: [&str; 7] = [
    "source", "edition", "file", "row", "field", "original", "flags",
];

/// The sources table's columns.
pub const SOURCES_COLUMNS: [&str; 12] = [
    "table",
    "table_row",
    "key",
    "figure",
    "source",
    "edition",
    "file",
    "row",
    "field",
    "original",
    "flags",
    "note",
];

/// Fields that name a row, in order of preference, for the sources table's `key`.
const KEYS: [&str; 8] = [
    "iso3",
    "country",
    "commodity",
    "id",
    "name",
    "material",
    "stage",
    "year",
];

/// A result's tables: the shape's tables, then `sources`, then `notes`.
#[derive(Debug, Clone, PartialEq)]
pub struct Tables {
    pub kind: String,
    pub tables: Vec<Table>,
}

impl Tables {
    /// The main table (the shape's first).
    pub fn main(&self) -> &Table {
        &self.tables[0]
    }

    pub fn get(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// One line of the sources table, before it becomes cells.
#[derive(Debug, Default, Clone)]
pub struct SourceLine {
    pub table: String,
    pub table_row: Option<usize>,
    pub key: String,
    pub figure: String,
    pub source: String,
    pub edition: String,
    pub file: String,
    pub row: Option<i64>,
    pub field: String,
    pub original: String,
    pub flags: String,
    pub note: String,
}

/// Turns a serialised result into its tables by the shape's rules; `extra_sources` and
/// `extra_notes` come from the caller (inputs a ranking row does not carry itself).
pub fn flatten(
    shape: &Shape,
    value: &Value,
    mut extra_sources: Vec<SourceLine>,
    extra_notes: Vec<(String, String)>,
) -> Tables {
    let mut sources = Vec::new();
    let mut tables = Vec::new();
    let child_paths: Vec<&str> = shape.tables.iter().map(|t| t.path).collect();
    for spec in shape.tables {
        let mut b = Builder::default();
        for (i, (parents, item)) in walk(value, spec.path).into_iter().enumerate() {
            let skip = own_children(spec.path, &child_paths);
            let mut at = Place {
                table: spec.name,
                row: Some(i + 1),
                key: key_of(item, &parents),
                sources: &mut sources,
            };
            let mut row = Vec::new();
            match item.as_object() {
                Some(obj) => flatten_object(obj, "", &skip, &mut row, &mut at),
                None => row.push(("value".into(), Cell::of(&scalar(item)))),
            }
            // The row's own fields first (who, how much), then the context kept from the
            // enclosing objects (stage, year, unit, basis), then the row's provenance columns.
            let mut kept = Vec::new();
            for k in spec.keep {
                // The row's own field of that name wins (it is the more specific figure).
                if item.get(*k).is_some() {
                    continue;
                }
                if let Some(v) = parents.iter().find_map(|p| p.get(*k)) {
                    kept.push(((*k).to_string(), Cell::of(&scalar(v))));
                }
            }
            let provenance_at = item
                .get("provenance")
                .and_then(|_| {
                    row.iter()
                        .position(|(n, _)| n == "source" || n == "provenance_source")
                })
                .unwrap_or(row.len());
            row.splice(provenance_at..provenance_at, kept);
            b.push(row);
        }
        tables.push(b.finish(spec.name));
    }
    let mut notes = vec![
        ("command".to_string(), shape.kind.to_string()),
        ("method".to_string(), shape.method.to_string()),
    ];
    if let Some(root) = value.as_object() {
        let mut skip = own_children("", &child_paths);
        for (k, v) in root {
            let Some(list) = v.as_array() else { continue };
            if !list.is_empty() && list.iter().all(Value::is_string) && k != "sources" {
                notes.extend(
                    list.iter()
                        .filter_map(Value::as_str)
                        .map(|t| (k.clone(), t.to_string())),
                );
                skip.push(k.clone());
            }
        }
        let mut row = Vec::new();
        let mut at = Place {
            table: shape.kind,
            row: None,
            key: String::new(),
            sources: &mut sources,
        };
        flatten_object(root, "", &skip, &mut row, &mut at);
        notes.extend(row.into_iter().map(|(k, c)| (k, cell_text(&c))));
    }
    notes.extend(extra_notes);
    for t in &tables {
        notes.push(("coverage".into(), coverage(t)));
    }
    sources.append(&mut extra_sources);
    tables.push(sources_table(sources));
    tables.push(Table::text(
        "notes",
        &["topic", "text"],
        notes
            .into_iter()
            .map(|(k, v)| vec![Some(k), Some(v)])
            .collect(),
    ));
    Tables {
        kind: shape.kind.to_string(),
        tables,
    }
}

fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Null => "–".into(),
        Cell::Bool(b) => b.to_string(),
        Cell::Int(i) => i.to_string(),
        Cell::Float(f) => f.to_string(),
        Cell::Text(s) => s.clone(),
    }
}

/// "producers: 11 rows; figures present: value in 10, reserves in 8" — which figures are missing
/// where, including columns with no value at all (whatever their type).
fn coverage(t: &Table) -> String {
    let n = t.rows();
    let gaps: Vec<String> = t
        .columns
        .iter()
        .filter(|c| {
            let present = c.values.present();
            present < n && (present == 0 || !matches!(c.values, crate::table::Values::Text(_)))
        })
        .map(|c| format!("{} in {}", c.name, c.values.present()))
        .collect();
    if gaps.is_empty() {
        format!("{}: {n} rows, every figure present", t.name)
    } else {
        format!("{}: {n} rows; figures present: {}", t.name, gaps.join(", "))
    }
}

/// Where a row's sources are recorded.
struct Place<'a> {
    table: &'a str,
    row: Option<usize>,
    key: String,
    sources: &'a mut Vec<SourceLine>,
}

/// The items a path names, each with the objects that enclose it (nearest first).
fn walk<'v>(root: &'v Value, path: &str) -> Vec<(Vec<&'v Value>, &'v Value)> {
    let mut cur: Vec<(Vec<&'v Value>, &'v Value)> = vec![(Vec::new(), root)];
    for seg in path.split('.').filter(|s| !s.is_empty()) {
        let (name, each) = match seg.strip_suffix("[]") {
            Some(n) => (n, true),
            None => (seg, false),
        };
        let mut next = Vec::new();
        for (mut parents, v) in cur {
            let v = if name.is_empty() {
                v
            } else {
                let Some(child) = v.get(name).filter(|x| !x.is_null()) else {
                    continue;
                };
                if v.is_object() {
                    parents.insert(0, v);
                }
                child
            };
            if each {
                for item in v.as_array().into_iter().flatten() {
                    next.push((parents.clone(), item));
                }
            } else {
                next.push((parents, v));
            }
        }
        cur = next;
    }
    cur
}

/// The fields of a row that are tables of their own, as dotted names relative to the row
/// (`origins`, `result.terms`): they are left out of the row.
fn own_children(path: &str, all: &[&str]) -> Vec<String> {
    let prefix = if path.is_empty() {
        String::new()
    } else {
        format!("{path}.")
    };
    all.iter()
        .filter_map(|p| p.strip_prefix(prefix.as_str()))
        .filter_map(|rest| {
            let mut names = Vec::new();
            for seg in rest.split('.') {
                match seg.strip_suffix("[]") {
                    Some(n) => {
                        names.push(n);
                        break;
                    }
                    None => names.push(seg),
                }
            }
            let dotted = names.join(".");
            (!dotted.is_empty()).then_some(dotted)
        })
        .collect()
}

fn key_of(item: &Value, parents: &[&Value]) -> String {
    std::iter::once(item)
        .chain(parents.iter().copied())
        .find_map(|o| {
            KEYS.iter()
                .find_map(|k| o.get(*k).filter(|v| !v.is_null() && !v.is_object()))
        })
        .map(|v| cell_text(&Cell::of(&scalar(v))))
        .unwrap_or_default()
}

/// A value as one cell: scalars as they are, lists of scalars joined by "; ", anything else as
/// compact JSON.
fn scalar(v: &Value) -> Value {
    match v {
        // Joined by "; " unless an item holds that separator itself (then JSON, which splits back).
        Value::Array(a)
            if a.iter().all(|x| !x.is_array() && !x.is_object())
                && !a
                    .iter()
                    .any(|x| x.as_str().is_some_and(|s| s.contains("; "))) =>
        {
            Value::String(
                a.iter()
                    .map(|x| match x {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        }
        Value::Array(_) | Value::Object(_) => Value::String(v.to_string()),
        other => other.clone(),
    }
}

fn flatten_object(
    obj: &Map<String, Value>,
    prefix: &str,
    skip: &[String],
    row: &mut Vec<(String, Cell)>,
    at: &mut Place,
) {
    let clash = PROVENANCE_COLUMNS.iter().any(|c| obj.contains_key(*c));
    for (k, v) in obj {
        let name = format!("{prefix}{k}");
        if skip.contains(&name) {
            continue;
        }
        if k == "provenance" && prefix.is_empty() {
            let first = v
                .as_array()
                .and_then(|a| a.first())
                .or(v.is_object().then_some(v));
            for c in PROVENANCE_COLUMNS {
                let col = if clash {
                    format!("provenance_{c}")
                } else {
                    c.to_string()
                };
                let cell = first
                    .and_then(|p| p.get(c))
                    // Row 0: a file without rows (JSON), located by its field alone.
                    .filter(|x| !(c == "row" && x.as_i64() == Some(0)))
                    .map_or(Cell::Null, |x| Cell::of(&scalar(x)));
                row.push((col, cell));
            }
            // The columns show the first source; the sources table lists every one.
            let count = v.as_array().map_or(usize::from(v.is_object()), Vec::len);
            row.push(("source_count".into(), Cell::Int(count as i64)));
        }
        if record_sources(obj, k, v, prefix, at) {
            continue;
        }
        match v {
            // A map keyed by ids (suppliers by country, rerouted links by country): one JSON
            // cell, not a column per id (columns would then differ from result to result).
            Value::Object(inner)
                if !inner.is_empty()
                    && inner.values().all(|x| x.is_object() || x.is_array())
                    && !skip.iter().any(|s| s.starts_with(&format!("{name}."))) =>
            {
                // Its sources still reach the sources table.
                gather(v, &format!("{name}."), at);
                row.push((name, Cell::Text(v.to_string())))
            }
            Value::Object(inner) => flatten_object(inner, &format!("{name}."), skip, row, at),
            other => row.push((name, Cell::of(&scalar(other)))),
        }
    }
}

/// Records the source lines field `k` of `obj` carries; true when the field is provenance
/// (which then makes no column of its own).
fn record_sources(
    obj: &Map<String, Value>,
    k: &str,
    v: &Value,
    prefix: &str,
    at: &mut Place,
) -> bool {
    if k == "provenance" || k.ends_with("_provenance") {
        let figure = match k.strip_suffix("_provenance") {
            Some(f) => format!("{prefix}{f}"),
            None if obj.contains_key("value") => format!("{prefix}value"),
            None => format!("{prefix}row"),
        };
        let entries: Vec<&Value> = match v {
            Value::Array(a) => a.iter().collect(),
            Value::Object(_) => vec![v],
            _ => vec![],
        };
        for p in entries {
            at.sources.push(provenance_line(at, &figure, p));
        }
        return true;
    }
    // A citation in a field named `source` (a brief's net import reliance, a group's definition,
    // an owner's filing): the source of the object that holds it.
    if k == "source" {
        if let Some(text) = v.as_str().filter(|t| !t.is_empty()) {
            let figure = prefix.trim_end_matches('.');
            at.sources.push(SourceLine {
                table: at.table.to_string(),
                table_row: at.row,
                key: at.key.clone(),
                figure: if figure.is_empty() { "row" } else { figure }.to_string(),
                source: text.to_string(),
                ..Default::default()
            });
        }
    }
    if let Some(figure) = k.strip_suffix("_source") {
        if let Some(s) = v.as_str().filter(|s| !s.is_empty()) {
            at.sources.push(SourceLine {
                table: at.table.to_string(),
                table_row: at.row,
                key: at.key.clone(),
                figure: format!("{prefix}{figure}"),
                source: s.to_string(),
                ..Default::default()
            });
        }
    }
    if k == "sources" {
        for s in v.as_array().into_iter().flatten() {
            at.sources
                .push(listed_source(at, &format!("{prefix}{k}"), s));
        }
    }
    false
}

fn text_of(v: &Value, keys: &[&str]) -> String {
    keys.iter()
        .find_map(|k| v.get(*k).filter(|x| !x.is_null()))
        .map(|x| match x {
            Value::String(s) => s.clone(),
            other => scalar(other)
                .as_str()
                .map_or(other.to_string(), str::to_string),
        })
        .unwrap_or_default()
}

fn provenance_line(at: &Place, figure: &str, p: &Value) -> SourceLine {
    SourceLine {
        table: at.table.to_string(),
        table_row: at.row,
        key: at.key.clone(),
        figure: figure.to_string(),
        source: text_of(p, &["source"]),
        edition: text_of(p, &["edition"]),
        file: text_of(p, &["file"]),
        row: p.get("row").and_then(Value::as_i64).filter(|r| *r > 0),
        field: text_of(p, &["field"]),
        original: text_of(p, &["original"]),
        flags: text_of(p, &["flags"]),
        note: text_of(p, &["note"]),
    }
}

/// An entry of a `sources` list: a citation string, or an object with a title, a publisher and
/// a date (projects), or a source and an address (published values).
fn listed_source(at: &Place, figure: &str, s: &Value) -> SourceLine {
    let base = SourceLine {
        table: at.table.to_string(),
        table_row: at.row,
        key: at.key.clone(),
        figure: figure.to_string(),
        ..Default::default()
    };
    match s {
        Value::String(t) => SourceLine {
            source: t.clone(),
            ..base
        },
        other => SourceLine {
            source: text_of(other, &["publisher", "source"]),
            edition: text_of(other, &["edition", "date"]),
            file: text_of(other, &["file", "address", "url", "title"]),
            field: text_of(other, &["field"]),
            original: text_of(other, &["original", "title"]),
            ..base
        },
    }
}

fn sources_table(lines: Vec<SourceLine>) -> Table {
    let mut b = Builder::default();
    for l in lines {
        let t = |s: String| {
            if s.is_empty() {
                Cell::Null
            } else {
                Cell::Text(s)
            }
        };
        b.push(vec![
            ("table".into(), Cell::Text(l.table)),
            (
                "table_row".into(),
                l.table_row.map_or(Cell::Null, |r| Cell::Int(r as i64)),
            ),
            ("key".into(), t(l.key)),
            ("figure".into(), Cell::Text(l.figure)),
            ("source".into(), t(l.source)),
            ("edition".into(), t(l.edition)),
            ("file".into(), t(l.file)),
            ("row".into(), l.row.map_or(Cell::Null, Cell::Int)),
            ("field".into(), t(l.field)),
            ("original".into(), t(l.original)),
            ("flags".into(), t(l.flags)),
            ("note".into(), t(l.note)),
        ]);
    }
    let mut table = b.finish("sources");
    if table.columns.is_empty() {
        table = Table::text("sources", &SOURCES_COLUMNS, vec![]);
    }
    // A column that happens to hold no value is still typed as the schema says.
    for c in &mut table.columns {
        if matches!(c.name.as_str(), "table_row" | "row") {
            if let crate::table::Values::Text(v) = &c.values {
                if v.iter().all(Option::is_none) {
                    c.values = crate::table::Values::Int(vec![None; v.len()]);
                }
            }
        }
    }
    table
}

/// Every source line anywhere in `value` (provenance, `*_source` citations, `sources` lists),
/// attributed to one row of another table: how a ranking row lists the inputs of its score.
pub fn sources_within(value: &Value, table: &str, row: usize, key: &str) -> Vec<SourceLine> {
    let mut lines = Vec::new();
    let mut at = Place {
        table,
        row: Some(row),
        key: key.to_string(),
        sources: &mut lines,
    };
    gather(value, "", &mut at);
    lines
}

fn gather(v: &Value, prefix: &str, at: &mut Place) {
    match v {
        Value::Object(obj) => {
            for (k, x) in obj {
                if record_sources(obj, k, x, prefix, at) {
                    continue;
                }
                if x.is_object() || x.is_array() {
                    gather(x, &format!("{prefix}{k}."), at);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| gather(x, prefix, at)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Values;
    use proptest::prelude::*;
    use serde_json::json;

    const SHAPE: Shape = Shape {
        kind: "demo",
        tables: &[
            TableSpec {
                name: "origins",
                path: "[].origins[]",
                keep: &["stage"],
            },
            TableSpec {
                name: "stages",
                path: "[]",
                keep: &[],
            },
        ],
        method: "demo method",
    };

    fn text(t: &Table, c: &str) -> Vec<Option<String>> {
        match &t.column(c).unwrap_or_else(|| panic!("no {c}")).values {
            Values::Text(v) => v.clone(),
            other => panic!("{c} is {}", other.type_name()),
        }
    }

    #[test]
    fn child_rows_keep_their_parents_fields_and_parents_drop_the_child_list() {
        let v = json!([
            {"stage": "mine", "trade_source": "BACI", "band": {"p05": 1.0, "p95": 2.0},
             "reliance": {"percent": 82.0, "source": "USGS MCS 2024, fig2.csv row 27"},
             "origins": [{"iso3": "CHN", "t": 5.0}, {"iso3": "VNM", "t": null}]},
            {"stage": "refinery", "origins": [{"iso3": "KAZ", "t": 1}]}
        ]);
        let t = flatten(&SHAPE, &v, vec![], vec![]);
        let o = t.get("origins").unwrap();
        assert_eq!(
            text(o, "stage"),
            [
                Some("mine".into()),
                Some("mine".into()),
                Some("refinery".into())
            ]
        );
        assert_eq!(
            o.column("t").unwrap().values,
            Values::Float(vec![Some(5.0), None, Some(1.0)])
        );
        let s = t.get("stages").unwrap();
        assert!(
            s.column("origins").is_none(),
            "the child list is a table, not a cell"
        );
        assert!(
            s.column("band.p05").is_some(),
            "nested objects become dotted columns"
        );
        let src = t.get("sources").unwrap();
        assert_eq!(
            text(src, "figure"),
            [Some("trade".into()), Some("reliance".into())]
        );
        assert_eq!(text(src, "key"), [Some("mine".into()), Some("mine".into())]);
        assert_eq!(
            text(src, "source")[1].as_deref(),
            Some("USGS MCS 2024, fig2.csv row 27")
        );
    }

    #[test]
    fn provenance_gives_columns_and_a_source_line_per_entry() {
        let shape = Shape {
            kind: "p",
            tables: &[TableSpec {
                name: "rows",
                path: "rows[]",
                keep: &[],
            }],
            method: "m",
        };
        let prov = |row: u32| {
            json!({"source": "USGS", "edition": "2024", "file": "f.csv",
            "field": "Prod", "row": row, "original": "63,000", "flags": ["estimated"]})
        };
        let v = json!({"year": 2023, "notes": ["a; b", "c"], "rows": [
            {"iso3": "CHN", "value": 63000.0, "provenance": [prov(6), prov(7)],
             "reserves": 1.0, "reserves_provenance": [prov(9)]}
        ]});
        let t = flatten(&shape, &v, vec![], vec![]);
        let rows = t.main();
        assert_eq!(text(rows, "source"), [Some("USGS".into())]);
        assert_eq!(
            rows.column("row").unwrap().values,
            Values::Int(vec![Some(6)])
        );
        assert_eq!(text(rows, "flags"), [Some("estimated".into())]);
        let src = t.get("sources").unwrap();
        assert_eq!(
            text(src, "figure"),
            [
                Some("value".into()),
                Some("value".into()),
                Some("reserves".into())
            ]
        );
        assert_eq!(
            src.column("row").unwrap().values,
            Values::Int(vec![Some(6), Some(7), Some(9)])
        );
        let notes = t.get("notes").unwrap();
        let pairs: Vec<(String, String)> = text(notes, "topic")
            .into_iter()
            .zip(text(notes, "text"))
            .map(|(a, b)| (a.unwrap(), b.unwrap()))
            .collect();
        assert!(
            pairs.contains(&("notes".into(), "a; b".into())),
            "a note is never split"
        );
        assert!(pairs.contains(&("year".into(), "2023".into())));
        assert!(pairs
            .iter()
            .any(|(k, v)| k == "coverage" && v.starts_with("rows: 1 rows")));
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i32>().prop_map(|i| json!(i)),
            (-1e9f64..1e9).prop_map(|f| json!(f)),
            "[a-z ;]{0,6}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map("[a-c]{1,2}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Any JSON flattens without a panic into tables whose columns are all as long as the
        /// table.
        #[test]
        fn any_json_makes_rectangular_tables(v in json_value()) {
            for shape in [SHAPE, crate::shapes::PROFILE, crate::shapes::SIMULATION] {
                let t = flatten(&shape, &v, vec![], vec![]);
                for table in &t.tables {
                    let n = table.rows();
                    for c in &table.columns {
                        prop_assert_eq!(c.values.len(), n, "{}.{}", table.name, c.name);
                    }
                }
            }
        }
    }
}
