//! Why this file exists: one store per Python process — the embedded snapshot unless the
//! analyst opens a data folder or a group config — opened once and shared by every call (and by
//! every task a Dask worker runs).

use std::path::Path;
use std::sync::{Arc, Mutex};

use lodestone_app::{AppError, Store};

static STORE: Mutex<Option<Arc<Store>>> = Mutex::new(None);

fn poisoned() -> AppError {
    AppError::internal("the store lock was poisoned by a failed call")
}

/// The current store, opening the embedded snapshot on first use.
pub fn current() -> Result<Arc<Store>, AppError> {
    let mut slot = STORE.lock().map_err(|_| poisoned())?;
    if let Some(s) = slot.as_ref() {
        return Ok(Arc::clone(s));
    }
    let s = Arc::new(Store::embedded(None)?);
    *slot = Some(Arc::clone(&s));
    Ok(s)
}

/// Replaces the store: a data folder (else the embedded snapshot) with an optional group
/// config, exactly as the CLI's `--data` and `--config` open them. Returns the store's gaps
/// (what it could not load), which the CLI prints as warnings.
pub fn open(data: Option<&Path>, config: Option<&Path>) -> Result<Vec<String>, AppError> {
    let config = config.map(Store::config).transpose()?;
    let s = match data {
        Some(dir) => Store::open(dir, config.as_ref())?,
        None => Store::embedded(config.as_ref())?,
    };
    let gaps = s.gaps().iter().map(|g| g.to_string()).collect();
    *STORE.lock().map_err(|_| poisoned())? = Some(Arc::new(s));
    Ok(gaps)
}
