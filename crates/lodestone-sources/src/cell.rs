//! Why this file exists: official tables print far more than numbers — "W", "NA", "XX", ">50",
//! "e5,000", "Less than ½ unit.", "Included with ilmenite", "—" — and each means something.

use lodestone_model::Flags;

/// A parsed table cell: the value (if any) and what the printing said about it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    pub value: Option<f64>,
    pub flags: Flags,
}

impl Cell {
    fn of(value: Option<f64>, flags: Flags) -> Cell {
        Cell { value, flags }
    }
}

/// Why a cell could not be read: it mixes digits and text in a way no source convention explains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError;

fn number(s: &str) -> Option<f64> {
    let t: String = s
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '\u{a0}' | '%' | '$'))
        .map(|c| if c == '\u{2212}' { '-' } else { c })
        .collect();
    if t.is_empty() {
        return None;
    }
    let v: f64 = t.parse().ok()?;
    v.is_finite().then_some(v)
}

/// Parses one cell of a USGS / WMD / WGI table.
///
/// * empty, `NA`, `..`, `#N/A`, `n.a.` → no value, not available;
/// * `W` → withheld; `XX` → not applicable; `E` → qualitative (USGS: net exporter);
/// * `—`, `–`, `-` alone → zero (USGS prints a dash for zero);
/// * `>50`, `<25`, `Less than ½ unit.` → the bound, with a bound flag;
/// * `e5,000` or `5,000e` → 5000, estimated; `10-20` → 15 with the range flag;
/// * words only (`Large`, `Included with ilmenite`) → no value, qualitative / included elsewhere;
/// * anything else with digits in it → an error for the reader to locate.
pub fn parse_cell(text: &str) -> Result<Cell, CellError> {
    let s = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let lower = s.to_lowercase();
    match lower.as_str() {
        "" | "na" | ".." | "#n/a" | "n.a." | "nan" | "n/a" => {
            return Ok(Cell::of(None, Flags::NOT_AVAILABLE))
        }
        "w" => return Ok(Cell::of(None, Flags::WITHHELD)),
        "xx" => return Ok(Cell::of(None, Flags::NOT_APPLICABLE)),
        "—" | "–" | "-" | "--" => return Ok(Cell::of(Some(0.0), Flags::default())),
        _ => {}
    }
    if let Some(v) = number(s) {
        return Ok(Cell::of(Some(v), Flags::default()));
    }
    if lower.starts_with("less than ½") || lower.starts_with("less than 1/2") {
        return Ok(Cell::of(Some(0.5), Flags::UPPER_BOUND));
    }
    for (prefix, flag) in [
        ("less than ", Flags::UPPER_BOUND),
        ("more than ", Flags::LOWER_BOUND),
    ] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            let num: String = rest
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
                .collect();
            if let Some(v) = number(num.trim_end_matches('.')) {
                return Ok(Cell::of(Some(v), flag));
            }
        }
    }
    if lower.starts_with("included with") {
        return Ok(Cell::of(None, Flags::INCLUDED_ELSEWHERE));
    }
    for (prefix, flag) in [
        (">=", Flags::LOWER_BOUND),
        ("<=", Flags::UPPER_BOUND),
        (">", Flags::LOWER_BOUND),
        ("<", Flags::UPPER_BOUND),
    ] {
        if let Some(rest) = s.strip_prefix(prefix) {
            let inner = parse_cell(rest)?;
            let v = inner.value.ok_or(CellError)?;
            return Ok(Cell::of(Some(v), inner.flags | flag));
        }
    }
    if let Some(rest) = s.strip_prefix('e').or_else(|| s.strip_suffix('e')) {
        if let Some(v) = number(rest) {
            return Ok(Cell::of(Some(v), Flags::ESTIMATED));
        }
    }
    for sep in ['–', '-', '—'] {
        if let Some((a, b)) = s.split_once(sep) {
            if let (Some(a), Some(b)) = (number(a), number(b)) {
                if a <= b {
                    return Ok(Cell::of(Some((a + b) / 2.0), Flags::RANGE));
                }
            }
        }
    }
    if s == "E" {
        return Ok(Cell::of(None, Flags::QUALITATIVE));
    }
    if !s.chars().any(|c| c.is_ascii_digit()) {
        return Ok(Cell::of(None, Flags::QUALITATIVE));
    }
    Err(CellError)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> (Option<f64>, Vec<&'static str>) {
        let c = parse_cell(s).unwrap();
        (c.value, c.flags.names())
    }

    #[test]
    fn reads_every_convention_of_the_real_files() {
        assert_eq!(v("63000"), (Some(63000.0), vec![]));
        assert_eq!(v("2,300,000"), (Some(2_300_000.0), vec![]));
        assert_eq!(v("             NA"), (None, vec!["not-available"]));
        assert_eq!(v("W"), (None, vec!["withheld"]));
        assert_eq!(v("XX"), (None, vec!["not-applicable"]));
        assert_eq!(v(">50"), (Some(50.0), vec!["lower-bound"]));
        assert_eq!(v("<100"), (Some(100.0), vec!["upper-bound"]));
        assert_eq!(v(" e24,000"), (Some(24000.0), vec!["estimated"]));
        assert_eq!(v("Less than ½ unit."), (Some(0.5), vec!["upper-bound"]));
        assert_eq!(
            v("Included with ilmenite"),
            (None, vec!["included-elsewhere"])
        );
        assert_eq!(v("—"), (Some(0.0), vec![]));
        assert_eq!(v("Large"), (None, vec!["qualitative"]));
        assert_eq!(v("E"), (None, vec!["qualitative"]));
        assert_eq!(v("10-20"), (Some(15.0), vec!["range"]));
        assert_eq!(v(".."), (None, vec!["not-available"]));
        assert_eq!(v("#N/A"), (None, vec!["not-available"]));
        assert_eq!(
            v("Less than 500\u{a0}carats."),
            (Some(500.0), vec!["upper-bound"])
        );
        assert_eq!(v("\u{2212}84"), (Some(-84.0), vec![]));
        assert!(parse_cell("12abc").is_err());
        assert!(parse_cell(">x").is_err());
        assert!(parse_cell("inf").is_ok_and(|c| c.value.is_none()));
    }
}
