//! Why this file exists: what every request reads — the one [`Store`] (dataset, trade,
//! registries, gazetteer, scenarios, loaded once at start-up), the per-request [`Limits`], the
//! admission gate of the heavy routes and the host allow-list.

use std::sync::Arc;

use lodestone_app::Store;

use crate::access::Access;
use crate::admission::Admission;

/// Caps that keep one request, or one client, from taking the machine.
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
    /// Most work one simulation may cost (link visits, see `lodestone_cascade::simulate::Work`).
    /// The canned scenarios ran at 1.8–3.2 ns per unit on two cores (about 4–6 ns of one core)
    /// on the reference machine, so the default, 2e9, is about 10 s of one core: every canned
    /// scenario at the 5,000-draw cap fits (the largest, Russia's exports halved, is 1.2e9).
    pub work: u64,
    /// Heavy requests (simulate, forecast, plan, rankings, brief, extract) computing at once.
    pub heavy_jobs: usize,
    /// Heavy requests allowed to wait for a slot; more are answered 503 at once.
    pub heavy_queue: usize,
    /// Seconds a heavy request waits for a slot before it is answered 503.
    pub queue_wait_secs: u64,
    /// Open connections; more are closed as they arrive.
    pub connections: usize,
    /// Seconds a connection may take to send a request's headers, and may stay idle between
    /// requests.
    pub header_secs: u64,
    /// Requests per second one client address may sustain…
    pub rate_per_sec: u32,
    /// …and the burst it may send at once.
    pub rate_burst: u32,
}

impl Default for Limits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Limits {
            body_bytes: 1024 * 1024,
            draws: 5_000,
            plan_bounds: 32,
            timeout_secs: 30,
            work: 2_000_000_000,
            heavy_jobs: cores,
            heavy_queue: 2 * cores,
            queue_wait_secs: 10,
            connections: 256,
            header_secs: 10,
            rate_per_sec: 50,
            rate_burst: 100,
        }
    }
}

impl Limits {
    /// The limits the use cases check.
    pub fn app(&self) -> lodestone_app::Limits {
        lodestone_app::Limits {
            draws: self.draws,
            plan_bounds: self.plan_bounds,
            work: self.work,
        }
    }
}

/// Shared, read-only state of the server.
#[derive(Debug)]
pub struct AppState {
    pub store: Store,
    pub limits: Limits,
    pub admission: Admission,
    pub access: Access,
}

pub type Shared = Arc<AppState>;

impl AppState {
    /// The state for loopback use (the default allow-list).
    pub fn new(store: Store, limits: Limits) -> Shared {
        Self::with_access(store, limits, Access::default())
    }

    pub fn with_access(store: Store, limits: Limits, access: Access) -> Shared {
        Arc::new(AppState {
            store,
            admission: Admission::new(&limits),
            limits,
            access,
        })
    }
}
