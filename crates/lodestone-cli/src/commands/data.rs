//! Why this file exists: `lodestone data build` and `lodestone data check`.

use lodestone_app::Store;

use super::Result;
use crate::cli::{DataBuildArgs, DataCheckArgs, Format, ScanBaciArgs};
use crate::output::{num, pct, print, print_json, Table};

pub fn build(a: &DataBuildArgs) -> Result<()> {
    let bar = crate::output::progress_bar(0, "{bar:40} {pos}/{len} inputs {wide_msg}");
    let summary = lodestone_app::data::build(
        &a.from,
        a.geopolrisk.as_deref(),
        &a.out,
        &|done, total, input| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
            bar.set_message(input.to_string());
        },
    );
    bar.finish_and_clear();
    let summary = summary?;
    let report = &summary.report;
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
        summary.written.len(),
        a.out.display(),
        summary.observations,
        summary.salient,
        summary.import_reliance,
        summary.wgi,
        summary.shapes
    );
    eprintln!(
        "trade: {} BACI flows over {:?}, {} country codes, {} stability scores",
        summary.trade_flows, summary.trade_years, summary.trade_countries, summary.stability_scores
    );
    Ok(())
}

pub fn check(store: &Store, a: &DataCheckArgs) -> Result<()> {
    let r = lodestone_app::data::check(store, a.threshold)?;
    match a.format {
        Format::Json => return print_json(&r),
        Format::Parquet | Format::Xlsx => {
            return crate::output::tables(lodestone_tables::results::of(
                &lodestone_tables::shapes::CHECK,
                &r,
            ))
        }
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

pub fn scan_baci(store: &Store, a: &ScanBaciArgs) -> Result<()> {
    let len = std::fs::metadata(&a.file).map_or(0, |m| m.len());
    let bar = crate::output::progress_bar(
        len,
        "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    );
    let nomenclature = a
        .nomenclature
        .as_deref()
        .map(str::parse::<lodestone_app::types::Nomenclature>)
        .transpose()
        .map_err(lodestone_app::AppError::from)?;
    let output = match (&a.out, &a.into) {
        (Some(f), _) => lodestone_app::data::ScanOutput::Aggregate(f),
        (None, Some(d)) => lodestone_app::data::ScanOutput::Forms(d),
        (None, None) => lodestone_app::data::ScanOutput::Summary,
    };
    let scan = lodestone_app::data::scan_baci(
        store,
        &a.file,
        a.country_codes.as_deref(),
        nomenclature,
        output,
        &|done| bar.set_position(done),
    )?;
    bar.finish_and_clear();
    let stats = &scan.stats;
    eprintln!(
        "{}: {} rows in {:.2} s ({:.1} M rows/s), {} kept for {} HS codes, {} cells; {} kept rows with NA quantity",
        a.file.display(),
        stats.rows,
        scan.seconds,
        stats.rows as f64 / scan.seconds.max(1e-9) / 1e6,
        stats.kept,
        scan.hs_codes,
        scan.cells,
        stats.missing_quantity
    );
    if !stats.unknown_countries.is_empty() {
        let listed: Vec<String> = stats
            .unknown_countries
            .iter()
            .map(|(c, n)| format!("{c} ({n} rows)"))
            .collect();
        eprintln!(
            "country codes not in the country table (kept, counted): {}",
            listed.join(", ")
        );
    }
    if let Some(out) = &scan.written {
        eprintln!("wrote {}", out.display());
    }
    Ok(())
}
