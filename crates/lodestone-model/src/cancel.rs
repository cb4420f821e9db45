//! Why this file exists: long computations (Monte Carlo draws, cascades) must stop when nobody
//! waits for their answer any more — a server request that timed out or whose client hung up.
//! [`Cancel`] is the one token they poll between units of work; front ends that never cancel pass
//! [`Cancel::never`].

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A shared flag: set once by whoever gives up on the result, polled by the computation.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A token nobody will set (the command line runs to the end).
    pub fn never() -> Self {
        Cancel::default()
    }

    /// Asks the computation to stop at its next check.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether the result is no longer wanted.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Cancels its token when dropped: held by whoever waits for the result, so an abandoned wait
/// (a timed-out or disconnected request, whose future is dropped) stops the work.
#[derive(Debug)]
pub struct CancelOnDrop(pub Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropping_the_guard_cancels_every_clone() {
        let token = Cancel::never();
        let seen_by_worker = token.clone();
        assert!(!seen_by_worker.is_cancelled());
        drop(CancelOnDrop(token));
        assert!(seen_by_worker.is_cancelled());
    }
}
