//! Why this file exists: the event registry — one reviewed TOML file per event (date, type,
//! countries, commodities, organisations, amounts, own-words summary, sources) — and its queries.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use toml::Spanned;

use lodestone_model::{Dataset, Located};

use crate::error::EventError;

/// Event types.
pub const TYPES: [&str; 9] = [
    "export-control",
    "sanction",
    "partnership",
    "financing",
    "offtake",
    "investment",
    "tariff",
    "project-milestone",
    "policy",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Amount {
    pub value: f64,
    /// "thousand", "million", "billion" or "" (units).
    #[serde(default)]
    pub scale: String,
    /// ISO 4217 code for money ("USD"), or a mass unit ("t") for quantities.
    pub currency: String,
}

impl Amount {
    /// The amount in units (e.g. dollars).
    pub fn units(&self) -> f64 {
        self.value
            * match self.scale.as_str() {
                "thousand" => 1e3,
                "million" => 1e6,
                "billion" => 1e9,
                "trillion" => 1e12,
                _ => 1.0,
            }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub title: String,
    pub publisher: String,
    pub date: String,
}

/// One event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub id: String,
    /// ISO date (YYYY-MM-DD).
    pub date: String,
    pub kind: String,
    /// ISO3 codes and group ids (eu27, c5).
    pub countries: Vec<String>,
    pub commodities: Vec<String>,
    pub organisations: Vec<String>,
    pub amounts: Vec<Amount>,
    pub summary: String,
    pub sources: Vec<Source>,
    pub effective: Option<String>,
    pub targets: Vec<String>,
    /// Project id this event concerns, if any.
    pub project: Option<String>,
    pub file: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    id: Spanned<String>,
    date: Spanned<String>,
    #[serde(rename = "type")]
    kind: Spanned<String>,
    countries: Vec<Spanned<String>>,
    #[serde(default)]
    commodities: Vec<Spanned<String>>,
    #[serde(default)]
    organisations: Vec<String>,
    #[serde(default)]
    amounts: Vec<Amount>,
    summary: String,
    sources: Spanned<Vec<Source>>,
    effective: Option<Spanned<String>>,
    #[serde(default)]
    targets: Vec<Spanned<String>>,
    project: Option<String>,
}

/// A valid ISO date "YYYY-MM-DD".
pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn err<T>(
    file: &Path,
    text: &str,
    span: std::ops::Range<usize>,
    field: &str,
    message: impl Into<String>,
) -> Result<T, EventError> {
    Err(Located::at_offset(file, text, span.start, field, message).into())
}

/// Parses one event file, checking names against the dataset.
pub fn parse_event(text: &str, file: &Path, ds: &Dataset) -> Result<Event, EventError> {
    let raw: RawEvent = toml::from_str(text).map_err(|e| Located::toml(file, text, &e, "event"))?;
    if parse_date(raw.date.get_ref()).is_none() {
        return err(
            file,
            text,
            raw.date.span(),
            "date",
            format!("expected YYYY-MM-DD, found {:?}", raw.date.get_ref()),
        );
    }
    if let Some(e) = &raw.effective {
        if parse_date(e.get_ref()).is_none() {
            return err(
                file,
                text,
                e.span(),
                "effective",
                format!("expected YYYY-MM-DD, found {:?}", e.get_ref()),
            );
        }
    }
    if !TYPES.contains(&raw.kind.get_ref().as_str()) {
        return err(
            file,
            text,
            raw.kind.span(),
            "type",
            format!(
                "expected one of {}, found {:?}",
                TYPES.join(", "),
                raw.kind.get_ref()
            ),
        );
    }
    let place = |v: &Spanned<String>, field: &str| -> Result<String, EventError> {
        match ds.place(v.get_ref()) {
            Ok(p) => Ok(p.id),
            Err(e) => err(file, text, v.span(), field, e.to_string()),
        }
    };
    let mut countries = Vec::new();
    for c in &raw.countries {
        countries.push(place(c, "countries")?);
    }
    let mut targets = Vec::new();
    for c in &raw.targets {
        targets.push(place(c, "targets")?);
    }
    let mut commodities = Vec::new();
    for c in &raw.commodities {
        match ds.commodities.lookup(c.get_ref()) {
            Ok(x) => commodities.push(x.id.clone()),
            Err(e) => return err(file, text, c.span(), "commodities", e.to_string()),
        }
    }
    if raw.sources.get_ref().is_empty() {
        return err(
            file,
            text,
            raw.sources.span(),
            "sources",
            "an event needs at least one source",
        );
    }
    for s in raw.sources.get_ref() {
        if parse_date(&s.date).is_none() {
            return err(
                file,
                text,
                raw.sources.span(),
                "sources.date",
                format!("expected YYYY-MM-DD, found {:?}", s.date),
            );
        }
    }
    let id = raw.id.get_ref().clone();
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if stem != id {
        return err(
            file,
            text,
            raw.id.span(),
            "id",
            format!("the id must equal the file name ({stem})"),
        );
    }
    Ok(Event {
        id,
        date: raw.date.into_inner(),
        kind: raw.kind.into_inner(),
        countries,
        commodities,
        organisations: raw.organisations,
        amounts: raw.amounts,
        summary: raw.summary,
        sources: raw.sources.into_inner(),
        effective: raw.effective.map(Spanned::into_inner),
        targets,
        project: raw.project,
        file: file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string(),
    })
}

/// Parses embedded registry files (name, text), sorted by date then id.
pub fn registry_from(files: &[(&str, &str)], ds: &Dataset) -> Result<Vec<Event>, EventError> {
    let mut out = Vec::with_capacity(files.len());
    for (name, text) in files {
        out.push(parse_event(text, Path::new(name), ds)?);
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// Loads every `*.toml` in the registry folder, sorted by date then id.
pub fn load_registry(dir: &Path, ds: &Dataset) -> Result<Vec<Event>, EventError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|source| EventError::Io {
            file: dir.to_path_buf(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|source| EventError::Io {
            file: f.clone(),
            source,
        })?;
        out.push(parse_event(&text, &f, ds)?);
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// A registry filter.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub country: Option<String>,
    pub commodity: Option<String>,
    pub kind: Option<String>,
    pub since: Option<String>,
}

impl Filter {
    /// A filter from what a user typed, with every name checked: a country (name or ISO3) or
    /// group id, a commodity (name or synonym), an event type, a YYYY-MM-DD date.
    pub fn resolve(
        ds: &Dataset,
        country: Option<&str>,
        commodity: Option<&str>,
        kind: Option<&str>,
        since: Option<&str>,
    ) -> Result<Filter, EventError> {
        let country = match country {
            Some(c) => Some(ds.place(c)?.id),
            None => None,
        };
        let commodity = match commodity {
            Some(c) => Some(ds.commodities.lookup(c)?.id.clone()),
            None => None,
        };
        if let Some(k) = kind {
            if !TYPES.contains(&k) {
                return Err(EventError::Input(format!(
                    "unknown event type {k:?}; valid choices: {}",
                    TYPES.join(", ")
                )));
            }
        }
        if let Some(s) = since {
            if parse_date(s).is_none() {
                return Err(EventError::Input(format!(
                    "since {s:?}: expected YYYY-MM-DD"
                )));
            }
        }
        Ok(Filter {
            country,
            commodity,
            kind: kind.map(String::from),
            since: since.map(String::from),
        })
    }

    pub fn matches(&self, e: &Event, ds: &Dataset) -> bool {
        let country_ok = self.country.as_ref().is_none_or(|c| {
            e.countries
                .iter()
                .chain(&e.targets)
                .any(|x| x == c || ds.groups.get(x).is_some_and(|g| g.contains(c)))
        });
        country_ok
            && self
                .commodity
                .as_ref()
                .is_none_or(|c| e.commodities.contains(c))
            && self.kind.as_ref().is_none_or(|k| &e.kind == k)
            && self
                .since
                .as_ref()
                .is_none_or(|s| e.date.as_str() >= s.as_str())
    }
}
