//! Why this file exists: `lodestone sweep spec.toml --out DIR` — every task of a sweep on every
//! core, one Parquet partition per task, with a progress bar over the cells.

use lodestone_app::{input, Cancel, Limits, Store};

use super::Result;
use crate::cli::SweepArgs;

/// Largest spec file read (a spec is a few lines; 64 KiB leaves room for long lists).
const MAX_SPEC_BYTES: u64 = lodestone_app::sweep::MAX_SPEC_BYTES as u64;

pub fn run(store: &Store, a: &SweepArgs) -> Result<()> {
    let text = input::read_text(&a.spec, MAX_SPEC_BYTES)?;
    let name = a.spec.display().to_string();
    let spec = lodestone_app::sweep::parse(store, &text, &name)?;
    let limits = Limits::default();
    let bar = crate::output::progress_bar(
        spec.len() as u64,
        "{bar:40} {pos}/{len} cells {per_sec} eta {eta}",
    );
    let parts = lodestone_tables::sweep::run_to_folder(
        store,
        &spec,
        &a.out,
        &limits,
        &Cancel::never(),
        &|| bar.inc(1),
    )?;
    bar.finish_and_clear();
    eprintln!(
        "wrote {} partitions of {} cells to {} (spec {})",
        parts.len(),
        spec.len(),
        a.out.display(),
        lodestone_tables::sweep::digest(&spec.canonical())
    );
    Ok(())
}
