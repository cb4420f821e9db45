//! Why this file exists: USGS MCS data releases put the unit, the year and an estimate mark
//! inside the column name (`Prod_t_est_2023`, `Reserves_kt`, `Prod_Sponge_t_Est_2022`,
//! `Reserves_ore_K2O_equiv_kt`), and the spelling varies file by file.

use lodestone_model::{Measure, Unit};

/// What a value column holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueColumn {
    pub measure: Measure,
    pub unit: Unit,
    /// Year printed in the name; reserves columns usually have none.
    pub year: Option<u16>,
    /// The column is marked `est` / `Est` / `e`.
    pub estimated: bool,
    /// Extra words qualifying the product (`Sponge`, `Pigment`, `ore`, `ore K2O equiv`).
    pub product: String,
}

/// The role of one column of a USGS world table.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    Source,
    Country,
    Type,
    Value(ValueColumn),
    /// Notes for the measure named (production, reserves or capacity).
    Notes(Measure),
    /// An empty trailing column.
    Blank,
}

fn measure_of(word: &str) -> Option<Measure> {
    match word.to_lowercase().as_str() {
        "prod" | "production" => Some(Measure::Production),
        "reserves" | "reserve" => Some(Measure::Reserves),
        "cap" | "capacity" => Some(Measure::Capacity),
        _ => None,
    }
}

/// Classifies a header cell; `None` when it matches no known pattern.
pub fn classify(header: &str) -> Option<Column> {
    let h = header.trim().trim_start_matches('\u{feff}');
    match h {
        "Source" => return Some(Column::Source),
        "Country" => return Some(Column::Country),
        "" => return Some(Column::Blank),
        _ => {}
    }
    if h == "Type" || h.starts_with("Mine production") {
        // fluor 2024 prints the type itself where the header "Type" belongs.
        return Some(Column::Type);
    }
    let parts: Vec<&str> = h.split('_').collect();
    let measure = measure_of(parts[0])?;
    if parts.len() == 2 && parts[1].to_lowercase().starts_with("note") {
        return Some(Column::Notes(measure));
    }
    let mut unit = None;
    let mut year = None;
    let mut estimated = false;
    let mut product = Vec::new();
    for p in &parts[1..] {
        if let Ok(y) = p.parse::<u16>() {
            if (1900..2100).contains(&y) {
                year = Some(y);
                continue;
            }
        }
        if p.eq_ignore_ascii_case("est") || *p == "e" {
            estimated = true;
            continue;
        }
        if unit.is_none() {
            if let Ok(u) = p.parse::<Unit>() {
                unit = Some(u);
                continue;
            }
        }
        product.push(*p);
    }
    Some(Column::Value(ValueColumn {
        measure,
        unit: unit?,
        year,
        estimated,
        product: product.join(" "),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(h: &str) -> ValueColumn {
        match classify(h) {
            Some(Column::Value(v)) => v,
            other => panic!("{h}: {other:?}"),
        }
    }

    #[test]
    fn reads_the_header_spellings_of_the_real_files() {
        let v = value("Prod_t_est_2023");
        assert_eq!(
            (v.unit, v.year, v.estimated),
            (Unit::Tonne, Some(2023), true)
        );
        let v = value("Prod_kt_2022");
        assert_eq!(
            (v.unit, v.year, v.estimated),
            (Unit::Kilotonne, Some(2022), false)
        );
        let v = value("Prod_kt_Est_2023");
        assert!(v.estimated);
        let v = value("Reserves_mct");
        assert_eq!(
            (v.measure, v.unit, v.year),
            (Measure::Reserves, Unit::MillionCarats, None)
        );
        let v = value("Prod_Sponge_t_Est_2022");
        assert_eq!((v.unit, v.product.as_str()), (Unit::Tonne, "Sponge"));
        let v = value("Reserves_ore_K2O_equiv_kt");
        assert_eq!(
            (v.unit, v.product.as_str()),
            (Unit::Kilotonne, "ore K2O equiv")
        );
        let v = value("Reserves_kt_2023");
        assert_eq!(v.year, Some(2023));
        let v = value("Prod_mcm_2022");
        assert_eq!(v.unit, Unit::MillionCubicMetres);
        let v = value("Reserves_Mt");
        assert_eq!(v.unit, Unit::Megatonne);
        assert_eq!(
            classify("Prod_notes"),
            Some(Column::Notes(Measure::Production))
        );
        assert_eq!(
            classify("Prod_note"),
            Some(Column::Notes(Measure::Production))
        );
        assert_eq!(
            classify("Reserves_notes"),
            Some(Column::Notes(Measure::Reserves))
        );
        assert_eq!(classify("\u{feff}Source"), Some(Column::Source));
        assert_eq!(classify("Mine production, fluorspar"), Some(Column::Type));
        assert_eq!(classify("Prod_furlongs_2022"), None);
        assert_eq!(classify("Price_dt"), None);
    }
}
