//! Compiles the reviewed text files in `data/` into the binary snapshot the release binary carries.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets this"));
    let data = manifest.join("../../data");
    println!("cargo:rerun-if-changed={}", data.display());
    for sub in ["observations", "sources", "trade"] {
        println!("cargo:rerun-if-changed={}", data.join(sub).display());
    }
    if let Ok(rd) = std::fs::read_dir(&data) {
        for e in rd.flatten() {
            println!("cargo:rerun-if-changed={}", e.path().display());
        }
    }
    for sub in ["observations", "trade"] {
        if let Ok(rd) = std::fs::read_dir(data.join(sub)) {
            for e in rd.flatten() {
                println!("cargo:rerun-if-changed={}", e.path().display());
            }
        }
    }
    let ds = match lodestone_model::text::read_dir(&data) {
        Ok(ds) => ds,
        Err(e) => panic!("data/ does not load: {e}"),
    };
    let bytes = lodestone_model::snapshot::encode(&ds).expect("snapshot encodes");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets this"));
    std::fs::write(out_dir.join("dataset.bin"), bytes).expect("OUT_DIR is writable");
    let trade = match lodestone_model::text::read_trade(&data) {
        Ok(t) => t,
        Err(e) => panic!("data/trade does not load: {e}"),
    };
    let bytes = lodestone_model::snapshot::encode_trade(&trade).expect("trade snapshot encodes");
    std::fs::write(out_dir.join("trade.bin"), bytes).expect("OUT_DIR is writable");
}
