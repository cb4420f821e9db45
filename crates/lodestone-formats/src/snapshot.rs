//! Why this file exists: the release binary carries the dataset as a compact binary snapshot made
//! at build time from the text files, so that a command starts in milliseconds with no set-up.
//! Two snapshots, each behind a format tag: the dataset, and BACI trade (decoded only by the
//! commands that use it).

use lodestone_model::{Dataset, ModelError, TradeData};

/// A format tag, bumped whenever the snapshot's layout changes.
const MAGIC: &[u8; 8] = b"LODE\0\0\0\x02";

/// The trade snapshot's format tag.
const TRADE_MAGIC: &[u8; 8] = b"LODT\0\0\0\x01";

/// The dataset as snapshot bytes.
pub fn encode(ds: &Dataset) -> Result<Vec<u8>, ModelError> {
    let mut out = MAGIC.to_vec();
    let body = postcard::to_stdvec(ds).map_err(|e| ModelError::Snapshot(e.to_string()))?;
    out.extend_from_slice(&body);
    Ok(out)
}

/// The dataset from snapshot bytes of this version, its country index rebuilt.
pub fn decode(bytes: &[u8]) -> Result<Dataset, ModelError> {
    let body = bytes
        .strip_prefix(MAGIC.as_slice())
        .ok_or_else(|| ModelError::Snapshot("not a Lodestone snapshot of this version".into()))?;
    let mut ds: Dataset =
        postcard::from_bytes(body).map_err(|e| ModelError::Snapshot(e.to_string()))?;
    ds.countries.rebuild_index();
    Ok(ds)
}

/// Trade data as snapshot bytes.
pub fn encode_trade(t: &TradeData) -> Result<Vec<u8>, ModelError> {
    let mut out = TRADE_MAGIC.to_vec();
    out.extend_from_slice(
        &postcard::to_stdvec(t).map_err(|e| ModelError::Snapshot(e.to_string()))?,
    );
    Ok(out)
}

/// Trade data from snapshot bytes of this version.
pub fn decode_trade(bytes: &[u8]) -> Result<TradeData, ModelError> {
    let body = bytes.strip_prefix(TRADE_MAGIC.as_slice()).ok_or_else(|| {
        ModelError::Snapshot("not a Lodestone trade snapshot of this version".into())
    })?;
    postcard::from_bytes(body).map_err(|e| ModelError::Snapshot(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_bytes_are_refused() {
        assert!(decode(b"not a snapshot").is_err());
        assert!(decode_trade(&encode(&Dataset::default()).unwrap()).is_err());
        let t = decode_trade(&encode_trade(&TradeData::default()).unwrap()).unwrap();
        assert!(t.flows.is_empty());
    }
}
