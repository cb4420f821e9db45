//! Why this file exists: `lodestone events` and `lodestone events extract`.

use anyhow::Result;
use std::io::Read;

use lodestone_events::event::{registry_from, Filter};
use lodestone_events::extract::{extract, parse_triggers};
use lodestone_events::{input, link, Gazetteer};
use lodestone_model::Dataset;

use super::UsageError;
use crate::cli::{EventsAction, EventsArgs, ExtractArgs, Format};
use crate::output::{print, print_json, Table};

pub fn run(ds: &Dataset, a: &EventsArgs) -> Result<()> {
    let registry = registry_from(lodestone_data::texts::EVENTS, ds)?;
    if let Some(EventsAction::Extract(x)) = &a.action {
        return run_extract(ds, &registry, x);
    }
    let filter = Filter::resolve(
        ds,
        a.country.as_deref(),
        a.commodity.as_deref(),
        a.kind.as_deref(),
        a.since.as_deref(),
    )?;
    let events: Vec<_> = registry.iter().filter(|e| filter.matches(e, ds)).collect();
    match a.format {
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
                    e.kind.clone(),
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
                s.push_str(&format!("{} of {} events\n", events.len(), registry.len()));
                print(&s)
            }
        }
    }
}

fn run_extract(ds: &Dataset, registry: &[lodestone_events::Event], x: &ExtractArgs) -> Result<()> {
    let bytes = if x.input.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .take(input::MAX_BYTES as u64 + 1)
            .read_to_end(&mut b)?;
        b
    } else {
        let meta = std::fs::metadata(&x.input)
            .map_err(|e| UsageError(format!("{}: {e}", x.input.display())))?;
        if meta.len() as usize > input::MAX_BYTES {
            return Err(UsageError(format!(
                "{}: {} bytes is over the {} MB limit",
                x.input.display(),
                meta.len(),
                input::MAX_BYTES / 1024 / 1024
            ))
            .into());
        }
        std::fs::read(&x.input)?
    };
    let published = match &x.date {
        Some(d) => Some(
            lodestone_events::event::parse_date(d)
                .ok_or_else(|| UsageError(format!("--date {d:?}: expected YYYY-MM-DD")))?,
        ),
        None => None,
    };
    let text = input::prepare(&bytes)?;
    let files = lodestone_data::texts::GAZETTEER;
    let gaz = Gazetteer::from_files(ds, files)?;
    let triggers_text = files
        .iter()
        .find(|(n, _)| *n == "triggers.csv")
        .map(|(_, t)| *t)
        .unwrap_or("type,phrase,weight\n");
    let triggers = parse_triggers(triggers_text)?;
    let ex = extract(&text, published, &gaz, &triggers);
    if let Some(dir) = &x.scenarios {
        for (i, c) in ex.events.iter().enumerate() {
            if let Some(toml) = link::scenario_toml(c, 0.5) {
                let path = dir.join(format!(
                    "extracted-{:02}-{}.toml",
                    i + 1,
                    c.commodities.join("-")
                ));
                lodestone_model::text::write_atomic(&path, toml.as_bytes())?;
                eprintln!("wrote {}", path.display());
            }
        }
    }
    match x.format {
        Format::Json => {
            let projects: Vec<(usize, Vec<&str>)> = ex
                .events
                .iter()
                .enumerate()
                .map(|(i, c)| (i, link::match_projects(c, registry)))
                .filter(|(_, p)| !p.is_empty())
                .collect();
            print_json(&serde_json::json!({ "extraction": ex, "project_matches": projects }))
        }
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
            for c in &ex.events {
                t.push(vec![
                    c.kind.clone(),
                    format!("{:.2}", c.confidence),
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
                    link::match_projects(c, registry).join(" "),
                ]);
            }
            if x.format == Format::Csv {
                return print(&t.to_csv()?);
            }
            let mut s = format!(
                "Entities: countries {}; commodities {}; organisations {}; amounts {}; dates {}\n\n",
                ex.ids(lodestone_events::gazetteer::Kind::Country).join(", "),
                ex.ids(lodestone_events::gazetteer::Kind::Commodity).join(", "),
                ex.ids(lodestone_events::gazetteer::Kind::Organisation).join("; "),
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
