//! Why this file exists: what every request reads — the embedded dataset and trade snapshot, and
//! the registries and extractor tables parsed once at start-up rather than per request.

use std::sync::Arc;

use lodestone_events::extract::{parse_triggers, Trigger};
use lodestone_events::{Event, Gazetteer};
use lodestone_model::{Dataset, TradeData};
use lodestone_planner::Project;

/// Caps that keep one request from taking the machine.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest request body (bytes).
    pub body_bytes: usize,
    /// Most Monte Carlo draws a simulate or forecast request may ask for.
    pub draws: u32,
    /// Most caps plus floors in one plan request.
    pub plan_bounds: usize,
    /// Seconds before a request is answered with 408.
    pub timeout_secs: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 1024 * 1024,
            draws: 5_000,
            plan_bounds: 32,
            timeout_secs: 30,
        }
    }
}

/// Shared, read-only state of the server.
pub struct AppState {
    pub ds: &'static Dataset,
    pub trade: &'static TradeData,
    pub projects: Vec<Project>,
    pub events: Vec<Event>,
    pub gazetteer: Gazetteer,
    pub triggers: Vec<Trigger>,
    pub limits: Limits,
}

pub type Shared = Arc<AppState>;

impl AppState {
    /// State over `ds` (the embedded dataset, or one the caller loaded and leaked for the life of
    /// the process) with the embedded registries; fails only if the binary's own data is broken.
    pub fn new(ds: &'static Dataset, limits: Limits) -> Result<Shared, String> {
        let projects = lodestone_planner::registry_from(lodestone_data::texts::PROJECTS, ds)
            .map_err(|e| e.to_string())?;
        let events = lodestone_events::event::registry_from(lodestone_data::texts::EVENTS, ds)
            .map_err(|e| e.to_string())?;
        let files = lodestone_data::texts::GAZETTEER;
        let gazetteer = Gazetteer::from_files(ds, files).map_err(|e| e.to_string())?;
        let triggers = files
            .iter()
            .find(|(n, _)| *n == "triggers.csv")
            .map(|(_, t)| parse_triggers(t))
            .transpose()
            .map_err(|e| e.to_string())?
            .unwrap_or_default();
        Ok(Arc::new(AppState {
            ds,
            trade: lodestone_data::trade(),
            projects,
            events,
            gazetteer,
            triggers,
            limits,
        }))
    }
}
