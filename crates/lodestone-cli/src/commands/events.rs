//! Why this file exists: `lodestone events` (the registry, filtered) and `lodestone events
//! extract` (candidate events from an article), rendered as a table, CSV or JSON.

use lodestone_app::types::fixed;
use std::io::Read;

use lodestone_app::extract::{extract, MAX_BYTES};
use lodestone_app::types::EntityKind;
use lodestone_app::{AppError, Store};

use super::Result;
use crate::cli::{EventsAction, EventsArgs, ExtractArgs, Format};
use crate::output::{print, print_json, write_file, Table};

pub fn run(store: &Store, a: &EventsArgs) -> Result<()> {
    if let Some(EventsAction::Extract(x)) = &a.action {
        return run_extract(store, x);
    }
    let events = lodestone_app::events::events(store, &a.query)?;
    match a.format {
        Format::Parquet | Format::Xlsx => crate::output::tables(lodestone_tables::results::of(
            &lodestone_tables::shapes::EVENTS,
            &events,
        )),
        Format::Json => print_json(&events),
        Format::Csv | Format::Table => {
            let mut t = Table::new(&[
                "date",
                "type",
                "countries",
                "commodities",
                "summary",
                "source",
            ]);
            for e in &events {
                let src = e
                    .sources
                    .first()
                    .map(|s| format!("{}, {} ({})", s.publisher, s.title, s.date))
                    .unwrap_or_default();
                t.push(vec![
                    e.date.clone(),
                    e.kind.to_string(),
                    e.countries.join(" "),
                    e.commodities.join(" "),
                    e.summary.clone(),
                    src,
                ]);
            }
            if a.format == Format::Csv {
                print(&t.to_csv()?)
            } else {
                let mut s = String::new();
                for e in &events {
                    s.push_str(&format!(
                        "{}  {:<17}  {}\n    {}\n    [{}]  {}\n",
                        e.date,
                        e.kind,
                        e.countries.join(", "),
                        e.summary,
                        e.commodities.join(", "),
                        e.sources
                            .first()
                            .map(|s| format!("{}: {}", s.publisher, s.title))
                            .unwrap_or_default()
                    ));
                }
                s.push_str(&format!(
                    "{} of {} events\n",
                    events.len(),
                    store.events().len()
                ));
                print(&s)
            }
        }
    }
}

/// The article's bytes: a file, or standard input for "-", refused over the size limit.
fn read_article(x: &ExtractArgs) -> Result<Vec<u8>> {
    let io = |e: std::io::Error| AppError::invalid(format!("{}: {e}", x.input.display()));
    if x.input.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .take(MAX_BYTES as u64 + 1)
            .read_to_end(&mut b)
            .map_err(io)?;
        return Ok(b);
    }
    Ok(lodestone_app::input::read_bytes(
        &x.input,
        MAX_BYTES as u64,
    )?)
}

fn run_extract(store: &Store, x: &ExtractArgs) -> Result<()> {
    let bytes = read_article(x)?;
    let name = x.input.display().to_string();
    let found = extract(store, &name, &bytes, &x.query)?;
    let ex = &found.extraction;
    if let Some(dir) = &x.scenarios {
        // The folder itself may be new; the folder it goes in must exist.
        if !dir.is_dir() {
            crate::output::writable(dir)?;
            std::fs::create_dir(dir)
                .map_err(|e| AppError::invalid(format!("{}: {e}", dir.display())))?;
        }
        for (i, (c, links)) in ex.events.iter().zip(&found.links).enumerate() {
            if let Some(toml) = &links.scenario_toml {
                let path = dir.join(format!(
                    "extracted-{:02}-{}.toml",
                    i + 1,
                    c.commodities.join("-")
                ));
                write_file(&path, toml.as_bytes())?;
            }
        }
    }
    match x.format {
        Format::Parquet | Format::Xlsx => crate::output::tables(lodestone_tables::results::of(
            &lodestone_tables::shapes::EXTRACT,
            &found,
        )),
        Format::Json => print_json(&found),
        Format::Csv | Format::Table => {
            let mut t = Table::new(&[
                "type",
                "confidence",
                "trigger",
                "bytes",
                "countries",
                "commodities",
                "organisations",
                "amounts",
                "date",
                "projects",
            ]);
            for (c, links) in ex.events.iter().zip(&found.links) {
                t.push(vec![
                    c.kind.to_string(),
                    fixed(c.confidence, 2),
                    c.trigger.clone(),
                    format!("{}–{}", c.start, c.end),
                    c.countries.join(" "),
                    c.commodities.join(" "),
                    c.organisations.join("; "),
                    c.amounts
                        .iter()
                        .map(|a| format!("{} {} {}", a.value, a.scale, a.currency))
                        .collect::<Vec<_>>()
                        .join("; "),
                    c.date.clone().unwrap_or_default(),
                    links.project_matches.join(" "),
                ]);
            }
            if x.format == Format::Csv {
                return print(&t.to_csv()?);
            }
            let mut s = format!(
                "Entities: countries {}; commodities {}; organisations {}; amounts {}; dates {}\n\n",
                ex.ids(EntityKind::Country).join(", "),
                ex.ids(EntityKind::Commodity).join(", "),
                ex.ids(EntityKind::Organisation).join("; "),
                ex.amounts.iter().map(|a| a.text.clone()).collect::<Vec<_>>().join("; "),
                ex.dates.iter().map(|d| format!("{} ({})", d.date, d.text)).collect::<Vec<_>>().join("; "),
            );
            s.push_str(&t.render());
            for c in &ex.events {
                s.push_str(&format!(
                    "[{} {:.2}] bytes {}–{}: {}\n",
                    c.kind, c.confidence, c.start, c.end, c.sentence
                ));
            }
            print(&s)
        }
    }
}
