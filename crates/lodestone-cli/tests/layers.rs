//! The layering holds: the front ends (this CLI and the server) reach the engines only through
//! `lodestone-app`. Their manifests may not depend on an engine crate (tests may, to compare).

use std::path::Path;

const ENGINES: [&str; 9] = [
    "lodestone-model",
    "lodestone-formats",
    "lodestone-sources",
    "lodestone-data",
    "lodestone-analysis",
    "lodestone-cascade",
    "lodestone-events",
    "lodestone-planner",
    "lodestone-fetch",
];

fn dependencies(manifest: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(manifest).unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap();
    doc.get("dependencies")
        .and_then(|d| d.as_table())
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn front_ends_depend_on_the_app_layer_and_no_engine() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for front in ["lodestone-cli", "lodestone-server", "lodestone-py"] {
        let deps = dependencies(&crates.join(front).join("Cargo.toml"));
        assert!(
            deps.iter().any(|d| d == "lodestone-app"),
            "{front}: {deps:?}"
        );
        let engines: Vec<&String> = deps
            .iter()
            .filter(|d| ENGINES.contains(&d.as_str()))
            .collect();
        assert!(
            engines.is_empty(),
            "{front} depends on engine crates {engines:?}"
        );
    }
}
