//! Why this file exists: the USGS Minerals Yearbook (MYB) workbooks are the only official source
//! that gives, for the critical metals, both world production *at the processing stage* by
//! country (refined cobalt, primary gallium, refined indium and bismuth, smelted tin, ferroalloys)
//! and US imports by country of origin *and form* (APT, oxides, unwrought metal, wafers). Their
//! sheets are print layouts, not data tables: title lines, a unit line such as "(Metric tons,
//! cobalt content)", values in every other column with a flag cell ("r", "e", "r, e", a footnote
//! number) beside each, country labels with glued marks ("Burmae, 4", "Korea, Republic ofe"),
//! "--" for zero, "(7)" pointing at a footnote that says "Less than ½ unit.", and footnotes that
//! carry the HTS codes. This file holds what the two MYB readers share; the readers are
//! [`crate::myb_world`] (world production) and [`crate::myb_imports`] (US imports).

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};

use lodestone_model::{CountryRegistry, Flags};

use crate::cell::{parse_cell, Cell};
use crate::error::SourceError;
use crate::wmd::column_name;
use crate::workbook::{guarded, worksheet};

/// One worksheet as text, addressed by 0-based sheet row and column (the range's offset applied).
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    rows: Vec<Vec<String>>,
}

impl Sheet {
    /// A sheet from rows of text (row 0 is the sheet's row 1): for tests and fixtures.
    pub fn from_rows(name: &str, rows: &[&[&str]]) -> Sheet {
        Sheet {
            name: name.to_string(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect(),
        }
    }

    /// The trimmed text at (row, col), empty outside the sheet.
    pub fn text(&self, row: usize, col: usize) -> &str {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .map(|s| s.trim())
            .unwrap_or("")
    }

    pub fn nrows(&self) -> usize {
        self.rows.len()
    }

    /// The number of columns of the widest row.
    pub fn ncols(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// Whether every cell right of column A on this row is empty.
    pub fn only_label(&self, row: usize) -> bool {
        (1..self.ncols()).all(|c| self.text(row, c).is_empty())
    }

    /// `T8!C14`: the sheet and the cell in spreadsheet notation.
    pub fn field(&self, row: usize, col: usize) -> String {
        format!("{}!{}", self.name.trim(), cell_ref(row, col))
    }
}

/// `C14` for 0-based (13, 2).
pub fn cell_ref(row: usize, col: usize) -> String {
    format!("{}{}", column_name(col), row + 1)
}

fn data_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => format!("{i}"),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// Every sheet of a workbook as text.
pub fn open_sheets(path: &Path) -> Result<Vec<Sheet>, SourceError> {
    let mut wb = guarded(path, "open", || open_workbook_auto(path))?;
    let mut out = Vec::new();
    for name in wb.sheet_names().to_vec() {
        let range = worksheet(&mut wb, path, &name)?;
        let (r0, c0) = range
            .start()
            .map_or((0, 0), |(r, c)| (r as usize, c as usize));
        let mut rows = vec![Vec::new(); r0];
        for r in range.rows() {
            let mut row = vec![String::new(); c0];
            row.extend(r.iter().map(data_text));
            rows.push(row);
        }
        out.push(Sheet { name, rows });
    }
    Ok(out)
}

/// The printed head of a table: "TABLE 8", its title lines joined, the unit line if any, and the
/// first row after them.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    /// "8" for "TABLE 8".
    pub number: String,
    /// The title as printed, its lines joined by a space ("COBALT: WORLD REFINERY PRODUCTION, BY
    /// COUNTRY OR LOCALITY1, 2").
    pub title: String,
    /// "(Metric tons, cobalt content)" without the parentheses, when printed.
    pub unit_line: Option<String>,
    /// The first row below the title block.
    pub body: usize,
}

impl Head {
    /// "TABLE 8. COBALT: WORLD REFINERY PRODUCTION, BY COUNTRY OR LOCALITY1, 2".
    pub fn printed(&self) -> String {
        format!("TABLE {}. {}", self.number, self.title)
    }

    /// The footnote numbers glued to the end of the title ("LOCALITY1, 2" → 1, 2).
    pub fn title_marks(&self) -> Vec<String> {
        strip_marks(&self.title).1
    }

    /// The title without its trailing marks, lowercase, spaces collapsed.
    pub fn plain_title(&self) -> String {
        tidy(&strip_marks(&self.title).0.to_lowercase())
    }
}

/// Reads the title block: "TABLE N" in A1 (or the first non-empty row), then the title lines in
/// column A until a blank row, a unit line "(…)" or a row with more than a label.
pub fn head(sheet: &Sheet) -> Result<Head, SourceError> {
    let path = Path::new(&sheet.name);
    let first = (0..sheet.nrows().min(5))
        .find(|&r| !sheet.text(r, 0).is_empty())
        .ok_or_else(|| SourceError::parse(path, 1, 1, "\"TABLE n\" in column A", "none"))?;
    let t = tidy(sheet.text(first, 0));
    let number = t
        .to_uppercase()
        .strip_prefix("TABLE")
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| SourceError::parse(path, first as u64 + 1, 1, "\"TABLE n\"", t.clone()))?;
    let mut lines = Vec::new();
    let mut r = first + 1;
    while r < sheet.nrows() {
        let a = sheet.text(r, 0);
        if a.is_empty() || a.starts_with('(') || !sheet.only_label(r) {
            break;
        }
        lines.push(tidy(a));
        r += 1;
    }
    let mut unit_line = None;
    // The unit line sits below the title, possibly after a blank row.
    let mut u = r;
    while u < sheet.nrows() && u <= r + 2 {
        let a = tidy(sheet.text(u, 0));
        if a.starts_with('(') && sheet.only_label(u) {
            unit_line = Some(a.trim_matches(|c| c == '(' || c == ')').trim().to_string());
            r = u + 1;
            break;
        }
        if !a.is_empty() || !sheet.only_label(u) {
            break;
        }
        u += 1;
    }
    if lines.is_empty() {
        return Err(SourceError::parse(
            path,
            first as u64 + 2,
            1,
            "a title line below \"TABLE n\"",
            sheet.text(first + 1, 0),
        ));
    }
    Ok(Head {
        number,
        title: lines.join(" "),
        unit_line,
        body: r,
    })
}

/// Spaces (including no-break and em spaces and line breaks) collapsed to one.
pub fn tidy(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{2003}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits the footnote marks off the end of a label or title: "Burmae, 4" → ("Burmae", ["4"]),
/// "LOCALITY1, 2" → ("LOCALITY", ["1", "2"]), "Unwrought tungsten:3, 5" → ("Unwrought
/// tungsten:", ["3", "5"]). A trailing estimate "e" is left for the caller (it cannot be told from
/// a word's last letter without knowing the word).
pub fn strip_marks(label: &str) -> (String, Vec<String>) {
    let s = tidy(label);
    let cut = s
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == ',' || *c == ' '))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let tail = &s[cut..];
    if !tail.chars().any(|c| c.is_ascii_digit()) {
        return (s.trim_end_matches([',', ' ']).to_string(), Vec::new());
    }
    let marks = tail
        .split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_string)
        .collect();
    (s[..cut].trim_end().to_string(), marks)
}

/// A flag cell beside a value: "r" revised, "e" estimated, "p" preliminary (kept as
/// provisional), digits are footnote numbers ("r, 6", "e, 4", a bare 6).
pub fn flag_cell(text: &str) -> (Flags, Vec<String>) {
    let mut flags = Flags::default();
    let mut notes = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part {
            "r" => flags |= Flags::REVISED,
            "e" => flags |= Flags::ESTIMATED,
            "p" => flags |= Flags::PROVISIONAL,
            d if d.chars().all(|c| c.is_ascii_digit()) => notes.push(d.to_string()),
            _ => {}
        }
    }
    (flags, notes)
}

/// A value cell: the conventions of [`parse_cell`], "--" for zero, and "(7)" standing for the
/// text of footnote 7 ("Less than ½ unit." → 0.5, upper bound).
pub fn value_cell(text: &str, footnotes: &BTreeMap<String, String>) -> Option<Cell> {
    let t = text.trim();
    if let Some(n) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        if n.chars().all(|c| c.is_ascii_digit()) {
            let note = footnotes.get(n)?;
            return parse_cell(note).ok().or(Some(Cell {
                value: None,
                flags: Flags::QUALITATIVE,
            }));
        }
    }
    parse_cell(t).ok()
}

/// The footnotes printed below a table: "7Less than ½ unit." → ("7", "Less than ½ unit.").
pub fn footnotes(sheet: &Sheet, from: usize) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for r in from..sheet.nrows() {
        let a = tidy(sheet.text(r, 0));
        let digits: String = a.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.is_empty() || digits.len() > 2 || !sheet.only_label(r) {
            continue;
        }
        let rest = a[digits.len()..].trim();
        if rest.starts_with(|c: char| c.is_alphabetic()) {
            out.entry(digits).or_insert_with(|| rest.to_string());
        }
    }
    out
}

/// Whether a column-A text is the legend or a footnote below a table ("-- Zero.", "rRevised.",
/// "eEstimated.  rRevised.", "XX Not applicable.", "W Withheld…", "1Table includes…",
/// "Source: …").
pub fn is_legend(a: &str) -> bool {
    let a = a.trim();
    if a.starts_with("--") || a.starts_with("Source") || a.starts_with(|c: char| c.is_ascii_digit())
    {
        return true;
    }
    [
        "eEstimated",
        "rRevised",
        "pPreliminary",
        "XX Not",
        "NA Not",
        "W Withheld",
    ]
    .iter()
    .any(|p| a.starts_with(p))
}

/// HTS codes in a text ("2620.99.2000, 8101.97.0000", "3606.90.3010 and 3606.90.3090").
pub fn hts_codes(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.split(|c: char| !(c.is_ascii_digit() || c == '.')) {
        let w = word.trim_matches('.');
        let parts: Vec<&str> = w.split('.').collect();
        let shape = [4, 2, 4];
        if parts.len() == 3
            && parts
                .iter()
                .zip(shape)
                .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_digit()))
        {
            out.push(w.to_string());
        }
    }
    out
}

/// A country label resolved: the country, the text that named it, the rest (a qualifier such
/// as "metal powder and oxide hydroxide") and whether a trailing "e" marked the row estimated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub iso3: String,
    /// The country as printed, marks removed ("Korea, Republic of").
    pub name: String,
    pub qualifier: Option<String>,
    pub estimated: bool,
}

/// Resolves a label whose marks are already stripped: the whole text, then its comma-separated
/// prefixes from the longest ("Congo, Kinshasa, metal" → "Congo, Kinshasa"), each also without a
/// trailing estimate "e" ("Korea, Republic ofe", "Chinae").
pub fn resolve_origin(text: &str, countries: &CountryRegistry) -> Option<Origin> {
    let parts: Vec<&str> = text.split(',').collect();
    for n in (1..=parts.len()).rev() {
        let name = parts[..n].join(",").trim().to_string();
        let rest = parts[n..].join(",").trim().to_string();
        let mut tries = vec![(name.clone(), false)];
        if let Some(stem) = name.strip_suffix('e') {
            tries.push((stem.to_string(), true));
        }
        for (candidate, estimated) in tries {
            if candidate.is_empty() {
                continue;
            }
            if let Some(c) = countries.resolve(&candidate) {
                let (qualifier, q_est) = if rest.is_empty() {
                    (None, false)
                } else {
                    let (q, e) = qualifier_estimate(&rest);
                    (Some(q), e)
                };
                return Some(Origin {
                    iso3: c.iso3.clone(),
                    name: candidate,
                    qualifier,
                    estimated: estimated || q_est,
                });
            }
        }
    }
    None
}

/// A qualifier with its trailing estimate mark removed: "metal, metal powder, oxide, saltse" →
/// ("metal, metal powder, oxide, salts", true). The mark is a trailing "e" whose removal leaves a
/// word ending in "e" (hydroxidee, concentratee), "y" (secondarye), "l" (ferronickele) or "s" not
/// after "e" (saltse); words that really end in "e" (oxide, ore, ferromanganese) are left alone.
pub fn qualifier_estimate(q: &str) -> (String, bool) {
    let q = q.trim();
    let q_stem = q.strip_suffix(':').unwrap_or(q);
    if let Some(colon_e) = q.strip_suffix(":e") {
        return (colon_e.trim().to_string(), true);
    }
    let Some(stem) = q_stem.strip_suffix('e') else {
        return (q_stem.to_string(), false);
    };
    let mut rev = stem.chars().rev();
    let last = rev.next();
    let before = rev.next();
    let est = match last {
        Some('e') | Some('y') | Some('l') => true,
        Some('s') => before.is_some_and(|b| b != 'e'),
        _ => false,
    };
    if est {
        (stem.to_string(), true)
    } else {
        (q_stem.to_string(), false)
    }
}

/// The commodity id (`data/commodities.csv`) of an MYB file's code: `myb1-2019-cobal-adv.xlsx` →
/// `cobalt`.
pub fn commodity_of_file(file_name: &str) -> Option<&'static str> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let code = base.to_lowercase().split('-').nth(2)?.to_string();
    let id = match code.as_str() {
        "alumi" => "aluminium",
        "antim" => "antimony",
        "bauxi" => "bauxite",
        "beryl" => "beryllium",
        "bismu" => "bismuth",
        "chrom" => "chromium",
        "cobal" => "cobalt",
        "coppe" => "copper",
        "fluor" => "fluorspar",
        "galli" => "gallium",
        "germa" => "germanium",
        "graph" => "graphite",
        "indiu" => "indium",
        "lithi" => "lithium",
        "manga" => "manganese",
        "molyb" => "molybdenum",
        "nicke" => "nickel",
        "niobi" => "niobium",
        "plati" => "platinum",
        "raree" => "rare-earths",
        "rheni" => "rhenium",
        "simet" => "silicon",
        "stron" => "strontium",
        "tanta" => "tantalum",
        "tin" => "tin",
        "titan" => "titanium",
        "tungs" => "tungsten",
        "vanad" => "vanadium",
        "zirco" => "zirconium",
        _ => return None,
    };
    Some(id)
}

/// The year printed in an MYB file name: `myb1-2019-cobal-adv.xlsx` → 2019.
pub fn edition_of_file(file_name: &str) -> Option<u16> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    base.split('-').nth(1)?.parse().ok()
}

/// A cell holding a year (2000–2099), as a number or text.
pub fn as_year(text: &str) -> Option<u16> {
    let t = text.trim().trim_end_matches(':').trim();
    let y: f64 = t.parse().ok()?;
    (y.fract() == 0.0 && (2000.0..2100.0).contains(&y)).then_some(y as u16)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lodestone_model::Country;

    fn registry() -> CountryRegistry {
        let mk = Country::named;
        CountryRegistry::new(vec![
            mk("CHN", "China"),
            mk("BEL", "Belgium"),
            mk("MMR", "Burma"),
            mk("KOR", "Korea, Republic of"),
            mk("COD", "Congo (Kinshasa)"),
            mk("FRA", "France"),
            mk("NOR", "Norway"),
        ])
    }

    #[test]
    fn marks_come_off_labels_and_titles() {
        assert_eq!(
            strip_marks("Burmae, 4"),
            ("Burmae".into(), vec!["4".into()])
        );
        assert_eq!(
            strip_marks("BY COUNTRY OR LOCALITY1, 2"),
            (
                "BY COUNTRY OR LOCALITY".into(),
                vec!["1".into(), "2".into()]
            )
        );
        assert_eq!(
            strip_marks("Unwrought tungsten:3, 5"),
            ("Unwrought tungsten:".into(), vec!["3".into(), "5".into()])
        );
        assert_eq!(strip_marks("Total "), ("Total".into(), vec![]));
        assert_eq!(strip_marks("Korea, Republic of4").0, "Korea, Republic of");
    }

    #[test]
    fn origins_resolve_with_estimates_and_qualifiers() {
        let c = registry();
        let o = resolve_origin("Korea, Republic ofe", &c).unwrap();
        assert_eq!((o.iso3.as_str(), o.estimated), ("KOR", true));
        let o = resolve_origin("Congo, Kinshasa, metal", &c).unwrap();
        assert_eq!(o.iso3, "COD");
        assert_eq!(o.qualifier.as_deref(), Some("metal"));
        let o = resolve_origin("Belgium, metal powder, oxide, hydroxidee", &c).unwrap();
        assert_eq!(
            (o.qualifier.as_deref(), o.estimated),
            (Some("metal powder, oxide, hydroxide"), true)
        );
        let o = resolve_origin("France", &c).unwrap();
        assert!(!o.estimated);
        let o = resolve_origin("Norway, secondarye", &c).unwrap();
        assert_eq!(
            (o.qualifier.as_deref(), o.estimated),
            (Some("secondary"), true)
        );
        assert!(resolve_origin("Other", &c).is_none());
    }

    #[test]
    fn qualifier_marks() {
        assert_eq!(qualifier_estimate("saltse"), ("salts".into(), true));
        assert_eq!(
            qualifier_estimate("concentratee"),
            ("concentrate".into(), true)
        );
        assert_eq!(
            qualifier_estimate("ferronickele"),
            ("ferronickel".into(), true)
        );
        assert_eq!(qualifier_estimate("oxide"), ("oxide".into(), false));
        assert_eq!(qualifier_estimate("ore"), ("ore".into(), false));
        assert_eq!(
            qualifier_estimate("ferromanganese"),
            ("ferromanganese".into(), false)
        );
        assert_eq!(
            qualifier_estimate("Ferromanganese:e"),
            ("Ferromanganese".into(), true)
        );
    }

    #[test]
    fn cells_flags_codes_and_legends() {
        let notes: BTreeMap<String, String> =
            [("7".to_string(), "Less than ½ unit.".to_string())].into();
        let c = value_cell("(7)", &notes).unwrap();
        assert_eq!((c.value, c.flags), (Some(0.5), Flags::UPPER_BOUND));
        assert_eq!(value_cell(" --", &notes).unwrap().value, Some(0.0));
        assert_eq!(value_cell("W", &notes).unwrap().flags, Flags::WITHHELD);
        assert!(value_cell("(8)", &notes).is_none());
        assert_eq!(
            flag_cell("r, e"),
            (Flags::REVISED | Flags::ESTIMATED, vec![])
        );
        assert_eq!(flag_cell("e, 4"), (Flags::ESTIMATED, vec!["4".into()]));
        assert_eq!(
            hts_codes(" and 3606.90.3090; 2620.99.2000,"),
            vec!["3606.90.3090", "2620.99.2000"]
        );
        assert!(is_legend("rRevised.  -- Zero."));
        assert!(is_legend("1Table includes data"));
        assert!(!is_legend("Russia"));
        assert_eq!(
            commodity_of_file("myb1-2019-cobal-adv.xlsx"),
            Some("cobalt")
        );
        assert_eq!(
            commodity_of_file("x/myb-2020-lithi-ert.xlsx"),
            Some("lithium")
        );
        assert_eq!(edition_of_file("myb1-2021-germa-ERT.xlsx"), Some(2021));
    }

    #[test]
    fn head_reads_title_and_unit_line() {
        let s = Sheet::from_rows(
            "T8",
            &[
                &["TABLE 8"],
                &["COBALT: WORLD REFINERY PRODUCTION, BY COUNTRY OR LOCALITY1, 2"],
                &[],
                &["(Metric tons, cobalt content)"],
                &[],
                &["Country or locality", "", "2015"],
            ],
        );
        let h = head(&s).unwrap();
        assert_eq!(h.number, "8");
        assert_eq!(h.unit_line.as_deref(), Some("Metric tons, cobalt content"));
        assert_eq!(h.title_marks(), vec!["1", "2"]);
        assert_eq!(h.body, 4);
    }
}
