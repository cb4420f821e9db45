//! Why this file exists: `lodestone commodities`, `lodestone countries` and `lodestone groups`,
//! rendered as a table, CSV or JSON.

use lodestone_app::catalog::{
    commodities as catalogue, countries as registry, groups as all_groups,
};
use lodestone_app::Store;

use super::Result;
use crate::cli::{Format, FormatArgs, ListCommoditiesArgs, ListCountriesArgs};
use crate::output::{print, print_json, Table};

fn emit(t: &Table, format: Format) -> Result<()> {
    match format {
        Format::Csv => print(&t.to_csv()?),
        _ => print(&t.render()),
    }
}

pub fn commodities(store: &Store, a: &ListCommoditiesArgs) -> Result<()> {
    let rows = catalogue(store, &a.query);
    if a.format == Format::Json {
        return print_json(&rows);
    }
    if matches!(a.format, Format::Parquet | Format::Xlsx) {
        return crate::output::tables(lodestone_tables::results::of(
            &lodestone_tables::shapes::COMMODITIES,
            &rows,
        ));
    }
    let mut t = Table::new(&[
        "id",
        "name",
        "family",
        "lists",
        "stages with data",
        "years",
        "synonyms",
    ]);
    for r in &rows {
        let c = &r.commodity;
        t.push(vec![
            c.id.clone(),
            c.name.clone(),
            c.family.clone(),
            c.lists
                .iter()
                .map(|l| l.to_string())
                .collect::<Vec<_>>()
                .join(","),
            r.stages_with_data
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(","),
            r.years
                .map_or("no data".into(), |[a, b]| format!("{a}–{b}")),
            c.synonyms.join(", "),
        ]);
    }
    emit(&t, a.format)
}

pub fn countries(store: &Store, a: &ListCountriesArgs) -> Result<()> {
    let rows = registry(store, &a.query)?;
    if a.format == Format::Json {
        return print_json(&rows);
    }
    if matches!(a.format, Format::Parquet | Format::Xlsx) {
        return crate::output::tables(lodestone_tables::results::of(
            &lodestone_tables::shapes::COUNTRIES,
            &rows,
        ));
    }
    let mut t = Table::new(&["iso3", "iso2", "numeric", "name", "region", "groups"]);
    for r in &rows {
        let c = &r.country;
        t.push(vec![
            c.iso3.clone(),
            c.iso2.clone(),
            c.numeric.map(|n| format!("{n:03}")).unwrap_or_default(),
            c.name.clone(),
            c.subregion.clone(),
            r.groups.join(","),
        ]);
    }
    emit(&t, a.format)
}

pub fn groups(store: &Store, a: &FormatArgs) -> Result<()> {
    let rows = all_groups(store);
    if a.format == Format::Json {
        return print_json(&rows);
    }
    if matches!(a.format, Format::Parquet | Format::Xlsx) {
        return crate::output::tables(lodestone_tables::results::of(
            &lodestone_tables::shapes::GROUPS,
            &rows,
        ));
    }
    let mut t = Table::new(&["id", "name", "members", "source"]);
    for g in &rows {
        t.push(vec![
            g.id.clone(),
            g.name.clone(),
            g.members.join(" "),
            g.source.clone(),
        ]);
    }
    emit(&t, a.format)
}
