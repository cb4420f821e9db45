//! What the reader test files share: where the repository, its `data/` and the shared reference
//! folder are.

use std::path::{Path, PathBuf};

use lodestone_model::Dataset;

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The project's curated reference files (countries, commodities, concordance, …).
pub fn reference_data() -> Dataset {
    lodestone_formats::read_reference(&repo().join("data")).expect("data/ reference files load")
}

/// The shared reference folder (`LODESTONE_REFERENCE`, default `../shared/reference`). Tests
/// that read it are `#[ignore]`d (external data) and `.ci/run` runs them where it is present; run
/// by hand, a missing folder fails the test with this message rather than passing silently.
pub fn reference_dir() -> PathBuf {
    let p = std::env::var_os("LODESTONE_REFERENCE")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/reference"));
    assert!(
        p.is_dir(),
        "this test needs the reference folder {} (set LODESTONE_REFERENCE)",
        p.display()
    );
    p
}
