//! Why this file exists: `events` — the reviewed registry of deals, financing, export controls
//! and lists, filtered by country or group, commodity, type and date.

use serde::Deserialize;

use lodestone_events::event::Filter;
use lodestone_events::Event;

use crate::error::AppError;
use crate::store::Store;

/// Which events.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct EventsQuery {
    /// Only events naming this country (ISO3 or name) or a group containing it.
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub country: Option<String>,
    /// Only events about this commodity.
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub commodity: Option<String>,
    /// Only this type: export-control, sanction, partnership, financing, offtake, investment,
    /// tariff, project-milestone, policy.
    #[serde(default, rename = "type")]
    #[cfg_attr(feature = "clap", arg(long = "type"))]
    #[cfg_attr(feature = "openapi", param(rename = "type"))]
    pub kind: Option<String>,
    /// Only events on or after this date (YYYY-MM-DD).
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long))]
    pub since: Option<String>,
}

/// The matching events, oldest first.
pub fn events(store: &Store, q: &EventsQuery) -> Result<Vec<Event>, AppError> {
    let ds = store.dataset();
    let filter = Filter::resolve(
        ds,
        q.country.as_deref(),
        q.commodity.as_deref(),
        q.kind.as_deref(),
        q.since.as_deref(),
    )?;
    Ok(store
        .events()
        .iter()
        .filter(|e| filter.matches(e, ds))
        .cloned()
        .collect())
}
