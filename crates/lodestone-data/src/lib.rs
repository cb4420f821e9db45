//! # lodestone-data — the dataset every command works on, with no set-up and no network
//!
//! At build time `build.rs` reads the reviewed text files in the repository's `data/` folder
//! (see `lodestone_formats`) and writes a compact binary snapshot (`lodestone_formats::snapshot`);
//! this crate embeds those bytes and decodes them on first use. Trade (BACI, ten years) is a second
//! snapshot, decoded only by the commands that use it. `lodestone data build` regenerates
//! the text files from the raw sources; rebuilding the binary picks them up.

use std::sync::OnceLock;

use lodestone_model::Dataset;

static SNAPSHOT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/dataset.bin"));
static TRADE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/trade.bin"));

/// The embedded snapshot's bytes.
pub fn snapshot_bytes() -> &'static [u8] {
    SNAPSHOT
}

/// The embedded dataset, decoded once.
pub fn embedded() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| {
        lodestone_formats::snapshot::decode(SNAPSHOT)
            .expect("the snapshot was written by this very build from data/")
    })
}

/// The embedded BACI trade data, decoded on first use (commands that need no trade never pay
/// for it).
pub fn trade() -> &'static lodestone_model::TradeData {
    static T: OnceLock<lodestone_model::TradeData> = OnceLock::new();
    T.get_or_init(|| {
        lodestone_formats::snapshot::decode_trade(TRADE)
            .expect("the trade snapshot was written by this very build from data/trade")
    })
}

/// Text files embedded as they are: `data/events/*.toml`, `data/gazetteer/*.csv`,
/// `data/projects/*.toml` and the canned scenarios `data/scenarios/*.toml`, as
/// (file name, contents).
pub mod texts {
    include!(concat!(env!("OUT_DIR"), "/texts.rs"));

    /// Owned copies of embedded (file name, contents) pairs.
    pub fn owned(files: &[(&str, &str)]) -> Vec<(String, String)> {
        files
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect()
    }
}
