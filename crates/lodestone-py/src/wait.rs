//! Why this file exists: a long computation called from Python must not freeze the notebook —
//! it runs on a worker thread while the calling thread waits without the GIL and looks for
//! Ctrl-C; an interrupt cancels the work (Monte Carlo draws and sweep cells stop at their next
//! check) and raises KeyboardInterrupt, as a notebook user expects.

use std::sync::mpsc::{channel, RecvTimeoutError};
use std::time::Duration;

use pyo3::prelude::*;

use lodestone_app::{AppError, Cancel};

use crate::errors::{to_py, InternalError};

/// How often a waiting call looks for Ctrl-C.
const SIGNAL_CHECK: Duration = Duration::from_millis(50);

/// Runs `job` on a worker thread until it finishes or Ctrl-C cancels it.
pub fn interruptible<T: Send>(
    py: Python<'_>,
    job: impl FnOnce(&Cancel) -> Result<T, AppError> + Send,
) -> PyResult<T> {
    let cancel = Cancel::default();
    std::thread::scope(|scope| {
        let (done, mut result) = channel();
        let token = cancel.clone();
        let worker = scope.spawn(move || {
            // The receiver lives until this send or the worker's end.
            let _ = done.send(job(&token));
        });
        loop {
            // The receiver moves into the GIL-free wait and back (it is Send, not Sync).
            let (back, waited) = py.detach(move || {
                let r = result.recv_timeout(SIGNAL_CHECK);
                (result, r)
            });
            result = back;
            match waited {
                Ok(r) => {
                    let _ = py.detach(|| worker.join());
                    return r.map_err(to_py);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    // The worker ended without sending: it panicked. Joined here, so the panic
                    // becomes this exception instead of crossing into Python.
                    let _ = py.detach(|| worker.join());
                    return Err(InternalError::new_err(
                        "the computation failed unexpectedly (a bug: please report it)",
                    ));
                }
            }
            if let Err(interrupt) = py.check_signals() {
                cancel.cancel();
                let _ = py.detach(|| worker.join());
                return Err(interrupt);
            }
        }
    })
}
