//! Why this file exists: `lodestone commodities` and `lodestone countries`.

use anyhow::Result;

use lodestone_model::Dataset;

use super::{list_of, UsageError};
use crate::cli::{Format, ListCommoditiesArgs, ListCountriesArgs};
use crate::output::{print, print_json, Table};

pub fn commodities(ds: &Dataset, a: &ListCommoditiesArgs) -> Result<()> {
    let list = a.list.map(list_of);
    let mut t = Table::new(&[
        "id",
        "name",
        "family",
        "lists",
        "stages with data",
        "years",
        "synonyms",
    ]);
    let mut rows = Vec::new();
    for c in ds.commodities.all() {
        if list.is_some_and(|l| !c.lists.contains(&l)) {
            continue;
        }
        let mut stages: Vec<String> = Vec::new();
        let mut years: Vec<u16> = Vec::new();
        for o in ds.observations.iter().filter(|o| o.commodity == c.id) {
            let s = o.stage.to_string();
            if !stages.contains(&s) {
                stages.push(s);
            }
            years.push(o.year);
        }
        years.sort_unstable();
        let span = match (years.first(), years.last()) {
            (Some(a), Some(b)) => format!("{a}–{b}"),
            _ => "no data".into(),
        };
        let lists: Vec<String> = c.lists.iter().map(|l| l.to_string()).collect();
        rows.push(serde_json::json!({
            "id": c.id, "name": c.name, "family": c.family, "lists": lists,
            "stages": stages, "years": span, "synonyms": c.synonyms,
        }));
        t.push(vec![
            c.id.clone(),
            c.name.clone(),
            c.family.clone(),
            lists.join(","),
            stages.join(","),
            span,
            c.synonyms.join(", "),
        ]);
    }
    match a.format {
        Format::Json => print_json(&rows),
        Format::Csv => print(&t.to_csv()?),
        Format::Table => print(&t.render()),
    }
}

pub fn countries(ds: &Dataset, a: &ListCountriesArgs) -> Result<()> {
    let group = match &a.group {
        Some(g) => Some(ds.groups.lookup(g).map_err(|e| UsageError(e.to_string()))?),
        None => None,
    };
    let mut t = Table::new(&["iso3", "iso2", "numeric", "name", "region", "groups"]);
    let mut rows = Vec::new();
    for c in ds.countries.all() {
        if group.is_some_and(|g| !g.contains(&c.iso3)) {
            continue;
        }
        let groups: Vec<&str> = ds
            .groups
            .all()
            .iter()
            .filter(|g| g.contains(&c.iso3))
            .map(|g| g.id.as_str())
            .collect();
        rows.push(serde_json::json!({
            "iso3": c.iso3, "iso2": c.iso2, "numeric": c.numeric, "name": c.name,
            "official": c.official, "region": c.region, "subregion": c.subregion,
            "aliases": c.aliases, "groups": groups,
        }));
        t.push(vec![
            c.iso3.clone(),
            c.iso2.clone(),
            c.numeric.map(|n| format!("{n:03}")).unwrap_or_default(),
            c.name.clone(),
            c.subregion.clone(),
            groups.join(","),
        ]);
    }
    match a.format {
        Format::Json => print_json(&rows),
        Format::Csv => print(&t.to_csv()?),
        Format::Table => print(&t.render()),
    }
}
