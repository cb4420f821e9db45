//! Why this file exists: heavy requests (Monte Carlo, rankings, the brief, extraction) share the
//! machine's cores. Without a gate, 32 concurrent simulations all start, all miss the timeout
//! and keep computing after their clients left. [`Admission`] lets a fixed number compute at
//! once, a bounded number wait briefly, and answers the rest 503 with `Retry-After` at once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::ApiError;
use crate::state::Limits;

/// The gate in front of the heavy routes.
#[derive(Debug)]
pub struct Admission {
    slots: Arc<Semaphore>,
    size: usize,
    waiting: AtomicUsize,
    queue: usize,
    wait: Duration,
}

/// Counts a request as waiting until it is admitted or gives up (also when its future is
/// dropped mid-wait).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Admission {
    pub fn new(limits: &Limits) -> Self {
        Admission {
            slots: Arc::new(Semaphore::new(limits.heavy_jobs.max(1))),
            size: limits.heavy_jobs.max(1),
            waiting: AtomicUsize::new(0),
            queue: limits.heavy_queue,
            wait: Duration::from_secs(limits.queue_wait_secs),
        }
    }

    /// A slot to compute in: at once if one is free, after a bounded wait if the queue has room,
    /// else 503. The permit is held by the computation itself, so a slot frees only when the
    /// work has really stopped.
    pub async fn enter(&self) -> Result<OwnedSemaphorePermit, ApiError> {
        if let Ok(p) = self.slots.clone().try_acquire_owned() {
            return Ok(p);
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(self.busy("every computing slot is taken and the queue is full"));
        }
        let _waiting = Waiting(&self.waiting);
        match tokio::time::timeout(self.wait, self.slots.clone().acquire_owned()).await {
            Ok(Ok(p)) => Ok(p),
            _ => Err(self.busy("no computing slot came free in time")),
        }
    }

    /// Heavy requests computing now (a computation holds its slot until it has really stopped).
    pub fn running(&self) -> usize {
        self.size - self.slots.available_permits()
    }

    fn busy(&self, why: &str) -> ApiError {
        ApiError::busy(
            format!("the server is busy: {why}; retry shortly"),
            self.wait.as_secs().max(1),
        )
    }
}
