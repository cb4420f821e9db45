//! Why this file exists: an extracted export control becomes a scenario file for the cascade
//! model; an extracted financing or project event is matched to a known project.

use serde::Serialize;

use crate::event::{Event, EventKind};
use crate::extract::Candidate;

/// A drafted scenario file, in the format the cascade model reads (`lodestone_cascade::scenario`):
/// the fields a draft fills; the rest (year, targets, parameters, Monte Carlo) keep their defaults
/// until a reviewer sets them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioDraft {
    pub name: String,
    pub description: String,
    #[serde(rename = "shock")]
    pub shocks: Vec<ShockDraft>,
}

/// One `[[shock]]` of a drafted scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShockDraft {
    /// Country or group, as the event names it.
    pub origin: String,
    pub commodity: String,
    /// "exports" (a share of the origin's exports withheld) or "production".
    pub kind: String,
    /// Share in [0, 1].
    pub magnitude: f64,
}

/// The scenario for an extracted export control: the first country named is taken as the
/// origin; every commodity named gets an export shock of the given (placeholder) magnitude.
pub fn scenario_draft(c: &Candidate, magnitude: f64) -> Option<ScenarioDraft> {
    if c.kind != EventKind::ExportControl || c.commodities.is_empty() {
        return None;
    }
    let origin = c.countries.first()?;
    let shocks = c
        .commodities
        .iter()
        .map(|commodity| ShockDraft {
            origin: origin.clone(),
            commodity: commodity.clone(),
            kind: "exports".into(),
            magnitude,
        })
        .collect();
    Some(ScenarioDraft {
        name: format!(
            "Extracted export control: {origin} on {}",
            c.commodities.join(", ")
        ),
        description: c.sentence.replace('\n', " "),
        shocks,
    })
}

/// A scenario file (TOML text) for an extracted export control ([`scenario_draft`]), headed by
/// comments naming the evidence sentence and the assumption to review.
pub fn scenario_toml(c: &Candidate, magnitude: f64) -> Option<String> {
    let draft = scenario_draft(c, magnitude)?;
    let body = toml::to_string(&draft).ok()?;
    Some(format!(
        "# Drafted by `lodestone events extract` from: {}\n# The magnitude ({magnitude}) is an assumption to review; targets are not inferred.\n{body}",
        draft.description
    ))
}

/// Known projects (ids from the registry) whose organisations or commodity and country the
/// candidate names.
pub fn match_projects<'a>(c: &Candidate, registry: &'a [Event]) -> Vec<&'a str> {
    let mut out: Vec<&str> = registry
        .iter()
        .filter_map(|e| {
            let p = e.project.as_deref()?;
            let org_match = e.organisations.iter().any(|o| {
                c.organisations.contains(o)
                    && !o.contains("Export-Import")
                    && !o.contains("Development Finance")
            });
            let place_match = e.commodities.iter().any(|x| c.commodities.contains(x))
                && e.countries
                    .iter()
                    .any(|x| c.countries.contains(x) && x != "USA");
            (org_match || place_match).then_some(p)
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}
