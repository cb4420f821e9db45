//! Why this file exists: what every request reads — the one [`Store`] (dataset, trade,
//! registries, gazetteer, scenarios, loaded once at start-up) and the per-request [`Limits`].

use std::sync::Arc;

use lodestone_app::Store;

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

impl Limits {
    /// The limits the use cases check.
    pub fn app(&self) -> lodestone_app::Limits {
        lodestone_app::Limits {
            draws: self.draws,
            plan_bounds: self.plan_bounds,
        }
    }
}

/// Shared, read-only state of the server.
#[derive(Debug)]
pub struct AppState {
    pub store: Store,
    pub limits: Limits,
}

pub type Shared = Arc<AppState>;

impl AppState {
    pub fn new(store: Store, limits: Limits) -> Shared {
        Arc::new(AppState { store, limits })
    }
}
