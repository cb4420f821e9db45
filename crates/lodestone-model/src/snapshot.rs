//! Why this file exists: the release binary carries the dataset as a compact binary snapshot made
//! at build time from the text files, so that a command starts in milliseconds with no set-up.

use crate::dataset::Dataset;
use crate::error::ModelError;

/// A format tag, bumped whenever the snapshot's layout changes.
const MAGIC: &[u8; 8] = b"LODE\0\0\0\x02";

pub fn encode(ds: &Dataset) -> Result<Vec<u8>, ModelError> {
    let mut out = MAGIC.to_vec();
    let body = postcard::to_stdvec(ds).map_err(|e| ModelError::Snapshot(e.to_string()))?;
    out.extend_from_slice(&body);
    Ok(out)
}

pub fn decode(bytes: &[u8]) -> Result<Dataset, ModelError> {
    let body = bytes
        .strip_prefix(MAGIC.as_slice())
        .ok_or_else(|| ModelError::Snapshot("not a Lodestone snapshot of this version".into()))?;
    let mut ds: Dataset =
        postcard::from_bytes(body).map_err(|e| ModelError::Snapshot(e.to_string()))?;
    ds.countries.rebuild_index();
    Ok(ds)
}

const TRADE_MAGIC: &[u8; 8] = b"LODT\0\0\0\x01";

pub fn encode_trade(t: &crate::TradeData) -> Result<Vec<u8>, ModelError> {
    let mut out = TRADE_MAGIC.to_vec();
    out.extend_from_slice(
        &postcard::to_stdvec(t).map_err(|e| ModelError::Snapshot(e.to_string()))?,
    );
    Ok(out)
}

pub fn decode_trade(bytes: &[u8]) -> Result<crate::TradeData, ModelError> {
    let body = bytes.strip_prefix(TRADE_MAGIC.as_slice()).ok_or_else(|| {
        ModelError::Snapshot("not a Lodestone trade snapshot of this version".into())
    })?;
    postcard::from_bytes(body).map_err(|e| ModelError::Snapshot(e.to_string()))
}
