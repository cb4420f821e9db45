//! Why this file exists: `world-shapes.txt` carries the simplified country outlines the static
//! maps draw — one line per country, `ISO3<TAB>ring;ring`, each ring `lon,lat lon,lat ...` on a
//! 0.1° grid; a format small enough to diff, read and written here.

use std::fs;
use std::path::Path;

use lodestone_model::dataset::CountryShape;
use lodestone_model::ModelError;

use crate::csv::io;

/// The file's name in `data/`.
pub const FILE: &str = "world-shapes.txt";

/// `ISO3<TAB>ring;ring` where a ring is `lon,lat lon,lat ...` with one decimal.
pub fn format_shapes(shapes: &[CountryShape]) -> String {
    let mut s = String::from("# Country outlines for static maps: ISO3, then rings of lon,lat (degrees, 0.1° grid).\n# Derived from Natural Earth (public domain) by `lodestone data build`.\n");
    for sh in shapes {
        s.push_str(&sh.iso3);
        s.push('\t');
        let rings: Vec<String> = sh
            .rings
            .iter()
            .map(|r| {
                r.iter()
                    .map(|(x, y)| format!("{x:.1},{y:.1}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        s.push_str(&rings.join(";"));
        s.push('\n');
    }
    s
}

/// Reads `world-shapes.txt` under `dir`.
pub fn read_shapes(dir: &Path) -> Result<Vec<CountryShape>, ModelError> {
    let path = dir.join(FILE);
    let text = fs::read_to_string(&path).map_err(io(&path))?;
    parse_shapes(&path, &text)
}

/// Parses the text of a shapes file (`path` names it in errors); `#` lines are comments.
pub fn parse_shapes(path: &Path, text: &str) -> Result<Vec<CountryShape>, ModelError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let line_no = i as u64 + 1;
        let (iso3, rest) = line.split_once('\t').ok_or_else(|| {
            ModelError::parse(
                path,
                line_no,
                1,
                "ISO3, a tab, then rings",
                line.chars().take(40).collect::<String>(),
            )
        })?;
        let rings = rest
            .split(';')
            .map(|ring| parse_ring(path, line_no, ring))
            .collect::<Result<_, _>>()?;
        out.push(CountryShape {
            iso3: iso3.into(),
            rings,
        });
    }
    Ok(out)
}

/// One ring: `lon,lat` pairs separated by spaces.
fn parse_ring(path: &Path, line_no: u64, ring: &str) -> Result<Vec<(f32, f32)>, ModelError> {
    ring.split_whitespace()
        .map(|pair| {
            pair.split_once(',')
                .and_then(|(x, y)| Some((x.parse::<f32>().ok()?, y.parse::<f32>().ok()?)))
                .ok_or_else(|| ModelError::parse(path, line_no, 0, "a lon,lat pair", pair))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_round_trip_and_a_bad_pair_is_located() {
        let shapes = vec![CountryShape {
            iso3: "KAZ".into(),
            rings: vec![vec![(50.0, 40.5), (87.3, 55.1)], vec![(1.0, 2.0)]],
        }];
        let p = Path::new(FILE);
        assert_eq!(parse_shapes(p, &format_shapes(&shapes)).unwrap(), shapes);
        let err = parse_shapes(p, "KAZ\t1,2 3,x").unwrap_err().to_string();
        assert!(err.starts_with("world-shapes.txt:1:"), "{err}");
        assert!(parse_shapes(p, "KAZ 1,2").is_err(), "no tab");
    }
}
