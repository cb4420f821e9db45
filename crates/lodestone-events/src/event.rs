//! Why this file exists: the event registry — one reviewed TOML file per event (date, type,
//! countries, commodities, organisations, amounts, own-words summary, sources) — and its queries.

use serde::{Deserialize, Serialize};

use std::path::{Path, PathBuf};

use toml::Spanned;

use lodestone_model::{Dataset, Located, TextFile};

use crate::error::EventError;

lodestone_model::named_enum! {
    /// What kind of event it is; written in files and output as the kebab-case name
    /// ("export-control", "project-milestone").
    #[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
    pub enum EventKind as "event type" {
        ExportControl = "export-control",
        Sanction = "sanction",
        Partnership = "partnership",
        Financing = "financing",
        Offtake = "offtake",
        Investment = "investment",
        Tariff = "tariff",
        ProjectMilestone = "project-milestone",
        Policy = "policy",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Amount {
    pub value: f64,
    /// "thousand", "million", "billion" or "" (units).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = EventSource))]
pub struct Source {
    pub title: String,
    pub publisher: String,
    pub date: String,
}

/// One event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    pub id: String,
    /// ISO date (YYYY-MM-DD).
    pub date: String,
    pub kind: EventKind,
    /// ISO3 codes and group ids (eu27, c5).
    pub countries: Vec<String>,
    pub commodities: Vec<String>,
    pub organisations: Vec<String>,
    pub amounts: Vec<Amount>,
    pub summary: String,
    pub sources: Vec<Source>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub effective: Option<String>,
    pub targets: Vec<String>,
    /// Project id this event concerns, if any.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub project: Option<String>,
    /// For an export control: the kind of measure (ban, quota, tax, licensing), which sets the
    /// EU method's trade factor t.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub measure: Option<lodestone_model::ExportMeasure>,
    /// Ids of earlier events this one suspends or lifts.
    pub suspends: Vec<String>,
    /// For an export control: the stage it restricts (an ore ban: extraction); none = all.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub stage: Option<lodestone_model::AssessedStage>,
    /// Announced output of a country in a year (guidance, suspension), applied by the forecast.
    pub output: Vec<lodestone_model::OutputEffect>,
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
    measure: Option<Spanned<String>>,
    #[serde(default)]
    suspends: Vec<String>,
    stage: Option<lodestone_model::AssessedStage>,
    #[serde(default)]
    output: Vec<lodestone_model::OutputEffect>,
}

/// A valid ISO date "YYYY-MM-DD".
pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The file being checked: where errors are located.
struct Ctx<'a>(TextFile<'a>);

impl Ctx<'_> {
    /// A YYYY-MM-DD date.
    fn date(&self, d: &Spanned<String>, field: &str) -> Result<(), EventError> {
        if parse_date(d.get_ref()).is_none() {
            return self.0.err(
                d.span(),
                field,
                format!("expected YYYY-MM-DD, found {:?}", d.get_ref()),
            );
        }
        Ok(())
    }

    /// One of the event types.
    fn kind(&self, kind: &Spanned<String>) -> Result<EventKind, EventError> {
        match kind.get_ref().parse() {
            Ok(k) => Ok(k),
            Err(e) => self.0.err(kind.span(), "type", format!("{e}")),
        }
    }

    /// Countries or groups → their ids.
    fn places(
        &self,
        ds: &Dataset,
        names: &[Spanned<String>],
        field: &str,
    ) -> Result<Vec<String>, EventError> {
        let mut out = Vec::with_capacity(names.len());
        for v in names {
            match ds.place(v.get_ref()) {
                Ok(p) => out.push(p.id),
                Err(e) => return self.0.err(v.span(), field, e.to_string()),
            }
        }
        Ok(out)
    }

    /// Commodity names → their ids.
    fn commodities(
        &self,
        ds: &Dataset,
        names: &[Spanned<String>],
    ) -> Result<Vec<String>, EventError> {
        let mut out = Vec::with_capacity(names.len());
        for c in names {
            match ds.commodities.lookup(c.get_ref()) {
                Ok(x) => out.push(x.id.clone()),
                Err(e) => return self.0.err(c.span(), "commodities", e.to_string()),
            }
        }
        Ok(out)
    }

    /// At least one source, each dated YYYY-MM-DD.
    fn sources(&self, sources: &Spanned<Vec<Source>>) -> Result<(), EventError> {
        if sources.get_ref().is_empty() {
            return self.0.err(
                sources.span(),
                "sources",
                "an event needs at least one source",
            );
        }
        for s in sources.get_ref() {
            if parse_date(&s.date).is_none() {
                return self.0.err(
                    sources.span(),
                    "sources.date",
                    format!("expected YYYY-MM-DD, found {:?}", s.date),
                );
            }
        }
        Ok(())
    }
}

/// Parses one event file, checking names against the dataset.
pub fn parse_event(text: &str, file: &Path, ds: &Dataset) -> Result<Event, EventError> {
    let raw: RawEvent = toml::from_str(text).map_err(|e| Located::toml(file, text, &e, "event"))?;
    let ctx = Ctx(TextFile { file, text });
    ctx.date(&raw.date, "date")?;
    if let Some(e) = &raw.effective {
        ctx.date(e, "effective")?;
    }
    let kind = ctx.kind(&raw.kind)?;
    let countries = ctx.places(ds, &raw.countries, "countries")?;
    let targets = ctx.places(ds, &raw.targets, "targets")?;
    let commodities = ctx.commodities(ds, &raw.commodities)?;
    let measure = match &raw.measure {
        Some(m) => match m.get_ref().parse::<lodestone_model::ExportMeasure>() {
            Ok(x) => Some(x),
            Err(e) => return ctx.0.err(m.span(), "measure", e.to_string()),
        },
        None => None,
    };
    ctx.sources(&raw.sources)?;
    ctx.0.id_is_file_name::<EventError>(&raw.id)?;
    let id = raw.id.get_ref().clone();
    let mut output = raw.output;
    for o in &mut output {
        if !(o.low_t.is_finite() && o.high_t.is_finite() && 0.0 <= o.low_t && o.low_t <= o.high_t) {
            return ctx.0.err(
                raw.date.span(),
                "output",
                format!(
                    "{} {} {}: expected 0 ≤ low_t ≤ high_t, found {} and {}",
                    o.country, o.commodity, o.year, o.low_t, o.high_t
                ),
            );
        }
        o.event = id.clone();
    }
    Ok(Event {
        id: raw.id.into_inner(),
        date: raw.date.into_inner(),
        kind,
        countries,
        commodities,
        organisations: raw.organisations,
        amounts: raw.amounts,
        summary: raw.summary,
        sources: raw.sources.into_inner(),
        effective: raw.effective.map(Spanned::into_inner),
        targets,
        project: raw.project,
        measure,
        suspends: raw.suspends,
        stage: raw.stage,
        output,
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
    /// The country (ISO3) or group id asked for, and its member countries.
    pub country: Option<String>,
    pub members: Vec<String>,
    pub commodity: Option<String>,
    pub kind: Option<EventKind>,
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
        let (country, members) = match country {
            Some(c) => {
                let place = ds.place(c)?;
                (Some(place.id), place.members)
            }
            None => (None, Vec::new()),
        };
        let commodity = match commodity {
            Some(c) => Some(ds.commodities.lookup(c)?.id.clone()),
            None => None,
        };
        let kind = match kind {
            Some(k) => Some(k.parse::<EventKind>()?),
            None => None,
        };
        if let Some(s) = since {
            if parse_date(s).is_none() {
                return Err(EventError::Input(format!(
                    "since {s:?}: expected YYYY-MM-DD"
                )));
            }
        }
        Ok(Filter {
            country,
            members,
            commodity,
            kind,
            since: since.map(String::from),
        })
    }

    pub fn matches(&self, e: &Event, ds: &Dataset) -> bool {
        // An event matches when it names the country or group asked for, one of its members, or
        // a group containing one of them (`--country c5` finds events naming Kazakhstan).
        let country_ok = self.country.as_ref().is_none_or(|c| {
            let own = [c.clone()];
            let members: &[String] = if self.members.is_empty() {
                &own
            } else {
                &self.members
            };
            e.countries.iter().chain(&e.targets).any(|x| {
                x == c
                    || members.contains(x)
                    || ds
                        .groups
                        .get(x)
                        .is_some_and(|g| members.iter().any(|m| g.contains(m)))
            })
        });
        country_ok
            && self
                .commodity
                .as_ref()
                .is_none_or(|c| e.commodities.contains(c))
            && self.kind.is_none_or(|k| e.kind == k)
            && self
                .since
                .as_ref()
                .is_none_or(|s| e.date.as_str() >= s.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_read_and_print_as_their_names() {
        for &k in EventKind::ALL {
            assert_eq!(k.as_str().parse::<EventKind>().unwrap(), k);
            assert_eq!(k.to_string(), k.as_str());
            assert_eq!(toml::Value::try_from(k).unwrap().as_str(), Some(k.as_str()));
        }
        assert_eq!(EventKind::ProjectMilestone.as_str(), "project-milestone");
        assert_eq!(format!("{:<17}|", EventKind::Tariff), "tariff           |");
        #[derive(Deserialize)]
        struct Row {
            #[serde(rename = "type")]
            kind: EventKind,
        }
        let r: Row = toml::from_str("type = \"export-control\"").unwrap();
        assert_eq!(r.kind, EventKind::ExportControl);
    }

    #[test]
    fn an_unknown_event_type_lists_the_choices_and_the_closest() {
        let e = "sanctions".parse::<EventKind>().unwrap_err().to_string();
        assert_eq!(
            e,
            "unknown event type \"sanctions\"; valid choices: export-control, sanction, \
             partnership, financing, offtake, investment, tariff, project-milestone, policy; \
             did you mean sanction?"
        );
    }
}
