//! Why this file exists: `lodestone data build` and `lodestone data check`.

use anyhow::{bail, Result};

use lodestone_analysis::check::check as check_sources;
use lodestone_model::Dataset;
use lodestone_sources::{build as build_dataset, BuildInputs};

use super::UsageError;
use crate::cli::{DataBuildArgs, DataCheckArgs, Format, ScanBaciArgs};
use crate::output::{num, pct, print, print_json, Table};

pub fn build(a: &DataBuildArgs) -> Result<()> {
    if !a.from.is_dir() {
        return Err(UsageError(format!("--from {}: not a folder", a.from.display())).into());
    }
    let inputs = BuildInputs {
        reference: a.from.clone(),
        data: a.out.clone(),
        geopolrisk: a.geopolrisk.clone(),
    };
    let (ds, trade, report) = build_dataset(&inputs)?;
    if !report.absent.is_empty() {
        bail!(
            "not writing a partial dataset; these inputs are absent: {}",
            report.absent.join("; ")
        );
    }
    let mut written = lodestone_model::text::write_derived(&ds, &a.out)?;
    written.extend(lodestone_model::text::write_trade(&trade, &a.out)?);
    let records: usize = report.files.iter().map(|(_, n)| n).sum();
    eprintln!(
        "read {} source files, {records} records:",
        report.files.len()
    );
    let mut t = Table::new(&["records", "file"]);
    for (f, n) in &report.files {
        t.push(vec![n.to_string(), f.clone()]);
    }
    eprint!("{}", t.render());
    if !report.unresolved.is_empty() {
        eprintln!(
            "row labels kept as aggregates (no country): {}",
            report.unresolved.len()
        );
        for (f, l, r) in &report.unresolved {
            eprintln!("  {f} row {r}: {l:?}");
        }
    }
    eprintln!(
        "rows left out on purpose: {}, by reason:",
        report.skipped.len()
    );
    let mut reasons: std::collections::BTreeMap<String, usize> = Default::default();
    for (_, _, why) in &report.skipped {
        *reasons.entry(why.clone()).or_default() += 1;
    }
    for (why, n) in reasons {
        eprintln!("  {n:5}  {why}");
    }
    eprintln!(
        "wrote {} files under {}: {} observations, {} US salient figures, {} import-reliance rows, {} WGI estimates, {} country outlines",
        written.len(),
        a.out.display(),
        ds.observations.len(),
        ds.salient.len(),
        ds.import_reliance.len(),
        ds.wgi.len(),
        ds.shapes.len()
    );
    eprintln!(
        "trade: {} BACI flows over {:?}, {} country codes, {} stability scores",
        trade.flows.len(),
        trade.years(),
        trade.countries.len(),
        trade.stability.len()
    );
    Ok(())
}

pub fn check(ds: &Dataset, a: &DataCheckArgs) -> Result<()> {
    if !(0.0..=1.0).contains(&a.threshold) {
        return Err(UsageError(format!(
            "--threshold must be between 0 and 1, found {}",
            a.threshold
        ))
        .into());
    }
    let r = check_sources(ds, a.threshold);
    match a.format {
        Format::Json => return print_json(&r),
        Format::Csv | Format::Table => {}
    }
    let mut t = Table::new(&[
        "commodity",
        "stage",
        "year",
        "country",
        "USGS",
        "WMD",
        "unit",
        "gap/world",
        "USGS source",
        "WMD source",
    ]);
    for g in &r.gaps {
        t.push(vec![
            g.commodity.clone(),
            g.stage.clone(),
            g.year.to_string(),
            g.country.clone(),
            g.usgs.map(num).unwrap_or_default(),
            g.wmd.map(num).unwrap_or_default(),
            g.unit.clone(),
            pct(g.gap_of_world),
            g.usgs_source.clone(),
            g.wmd_source.clone(),
        ]);
    }
    if a.format == Format::Csv {
        return print(&t.to_csv()?);
    }
    let mut s = format!(
        "USGS vs World Mining Data: {} commodity/stage/year series compared, {} country figures; {} gaps over {} of world output.\n\n",
        r.series_compared,
        r.countries_compared,
        r.gaps.len(),
        pct(r.threshold)
    );
    s.push_str(&t.render());
    if !r.not_comparable.is_empty() {
        s.push_str(&format!(
            "\nNot comparable (no cited factor between the bases): {}\n",
            r.not_comparable.len()
        ));
        let mut seen = std::collections::BTreeSet::new();
        for n in &r.not_comparable {
            if seen.insert((
                n.commodity.clone(),
                n.usgs_basis.clone(),
                n.wmd_basis.clone(),
            )) {
                s.push_str(&format!(
                    "  {} ({}): USGS {:?} vs WMD {:?}\n",
                    n.commodity, n.stage, n.usgs_basis, n.wmd_basis
                ));
            }
        }
    }
    let conv: std::collections::BTreeSet<&str> = r
        .gaps
        .iter()
        .map(|g| g.conversion.as_str())
        .filter(|c| !c.is_empty())
        .collect();
    for c in conv {
        s.push_str(&format!("Conversion applied: {c}\n"));
    }
    print(&s)
}

pub fn scan_baci(ds: &Dataset, a: &ScanBaciArgs) -> Result<()> {
    use std::collections::BTreeSet;
    if !a.file.is_file() {
        return Err(UsageError(format!("{}: no such file", a.file.display())).into());
    }
    let known: BTreeSet<u16> = match &a.country_codes {
        Some(p) => {
            let bytes = std::fs::read(p).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
            lodestone_sources::baci::read_country_codes(p, &bytes)?
                .iter()
                .map(|c| c.code)
                .collect()
        }
        None => lodestone_data::trade()
            .countries
            .iter()
            .map(|c| c.code)
            .collect(),
    };
    // Groups: one per (commodity, stage) the concordance knows.
    let mut groups: Vec<(String, lodestone_model::Stage)> = Vec::new();
    let mut by_code: std::collections::HashMap<u32, u16> = Default::default();
    for l in &ds.concordance.links {
        let key = (l.commodity.clone(), l.stage);
        let g = match groups.iter().position(|k| *k == key) {
            Some(g) => g,
            None => {
                groups.push(key);
                groups.len() - 1
            }
        };
        by_code.insert(l.hs6, g as u16);
    }
    let len = std::fs::metadata(&a.file)?.len();
    let bar = if a.quiet {
        indicatif::ProgressBar::hidden()
    } else {
        let b = indicatif::ProgressBar::new(len);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    };
    let start = std::time::Instant::now();
    let agg = lodestone_sources::baci::aggregate_csv(
        &a.file,
        &|c| known.contains(&c),
        &|k| by_code.get(&k).copied(),
        &|done| bar.set_position(done),
    )?;
    bar.finish_and_clear();
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "{}: {} rows in {:.2} s ({:.1} M rows/s), {} kept for {} HS codes, {} cells; {} kept rows with NA quantity",
        a.file.display(),
        agg.stats.rows,
        secs,
        agg.stats.rows as f64 / secs / 1e6,
        agg.stats.kept,
        by_code.len(),
        agg.cells.len(),
        agg.stats.missing_quantity
    );
    if !agg.stats.unknown_countries.is_empty() {
        let listed: Vec<String> = agg
            .stats
            .unknown_countries
            .iter()
            .map(|(c, n)| format!("{c} ({n} rows)"))
            .collect();
        eprintln!(
            "country codes not in the country table (kept, counted): {}",
            listed.join(", ")
        );
    }
    if let Some(out) = &a.out {
        let mut cells: Vec<_> = agg.cells.iter().collect();
        cells.sort_by_key(|(k, _)| **k);
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        w.write_record([
            "year",
            "exporter",
            "importer",
            "commodity",
            "stage",
            "value_kusd",
            "quantity_t",
            "rows",
        ])?;
        for ((year, i, j, g), c) in cells {
            let (commodity, stage) = &groups[*g as usize];
            w.write_record([
                year.to_string(),
                i.to_string(),
                j.to_string(),
                commodity.clone(),
                stage.to_string(),
                c.value_kusd.to_string(),
                c.quantity_t.to_string(),
                c.rows.to_string(),
            ])?;
        }
        lodestone_model::text::write_atomic(out, &w.into_inner()?)?;
        eprintln!("wrote {}", out.display());
    }
    Ok(())
}
