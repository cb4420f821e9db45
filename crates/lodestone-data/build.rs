//! Compiles the reviewed text files in `data/` into the binary snapshot the release binary carries.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets this"));
    let data = manifest.join("../../data");
    println!("cargo:rerun-if-changed={}", data.display());
    for sub in [
        "observations",
        "sources",
        "trade",
        "events",
        "gazetteer",
        "projects",
        "ownership",
    ] {
        println!("cargo:rerun-if-changed={}", data.join(sub).display());
    }
    if let Ok(rd) = std::fs::read_dir(&data) {
        for e in rd.flatten() {
            println!("cargo:rerun-if-changed={}", e.path().display());
        }
    }
    for sub in [
        "observations",
        "trade",
        "events",
        "gazetteer",
        "projects",
        "ownership",
        "scenarios",
    ] {
        if let Ok(rd) = std::fs::read_dir(data.join(sub)) {
            for e in rd.flatten() {
                println!("cargo:rerun-if-changed={}", e.path().display());
            }
        }
    }
    let ds = match lodestone_formats::read_dir(&data) {
        Ok(ds) => ds,
        Err(e) => panic!("data/ does not load: {e}"),
    };
    let bytes = lodestone_formats::snapshot::encode(&ds).expect("snapshot encodes");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets this"));
    std::fs::write(out_dir.join("dataset.bin"), bytes).expect("OUT_DIR is writable");
    let trade = match lodestone_formats::read_trade(&data) {
        Ok(t) => t,
        Err(e) => panic!("data/trade does not load: {e}"),
    };
    let bytes = lodestone_formats::snapshot::encode_trade(&trade).expect("trade snapshot encodes");
    std::fs::write(out_dir.join("trade.bin"), bytes).expect("OUT_DIR is writable");
    // Events, gazetteers, projects, asset ownership and the canned scenarios are embedded as their text files,
    // parsed at run time.
    let scenarios = data.join("scenarios");
    println!("cargo:rerun-if-changed={}", scenarios.display());
    let mut code = String::new();
    for (name, dir, ext) in [
        ("EVENTS", data.join("events"), "toml"),
        ("GAZETTEER", data.join("gazetteer"), "csv"),
        ("PROJECTS", data.join("projects"), "toml"),
        ("OWNERSHIP", data.join("ownership"), "toml"),
        ("SCENARIOS", scenarios, "toml"),
    ] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == ext))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        code.push_str(&format!("pub static {name}: &[(&str, &str)] = &[\n"));
        for f in files {
            let file = f
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            let abs = f.canonicalize().expect("data file exists");
            code.push_str(&format!(
                "    ({file:?}, include_str!({:?})),\n",
                abs.display().to_string()
            ));
        }
        code.push_str("];\n");
    }
    std::fs::write(out_dir.join("texts.rs"), code).expect("OUT_DIR is writable");
}
