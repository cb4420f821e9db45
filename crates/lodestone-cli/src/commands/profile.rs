//! Why this file exists: `lodestone profile <commodity>` rendered as a table, CSV or JSON.

use lodestone_app::types::fixed;
use lodestone_app::types::Profile;
use lodestone_app::Store;

use super::Result;
use crate::cli::{Format, ProfileArgs};
use crate::output::{num, opt_pct, pct, print, print_json, Table};

pub fn run(store: &Store, a: &ProfileArgs) -> Result<()> {
    let p = lodestone_app::profile::profile(store, &a.query)?;
    match a.format {
        Format::Json => print_json(&p),
        Format::Csv => print(&table(&p).to_csv()?),
        Format::Table => print(&render(&p)),
    }
}

fn table(p: &Profile) -> Table {
    let mut t = Table::new(&[
        "rank",
        "iso3",
        "country",
        &p.measure,
        "unit",
        "share",
        "reserves",
        "R/P years",
        "flags",
        "source",
    ]);
    for r in &p.producers {
        let prov = r.provenance.first();
        t.push(vec![
            r.rank.to_string(),
            r.iso3.clone(),
            format!(
                "{}{}{}",
                r.country,
                if r.in_concern_set { " *" } else { "" },
                if r.in_c5 { " (C5)" } else { "" }
            ),
            r.value.map(num).unwrap_or_else(|| {
                prov.map(|p| p.original.trim().to_string())
                    .unwrap_or_default()
            }),
            p.unit.clone(),
            opt_pct(r.share),
            r.reserves.map(num).unwrap_or_else(|| "–".into()),
            r.reserves_to_production_years
                .map(|y| fixed(y, 0))
                .unwrap_or_else(|| "–".into()),
            prov.map(|p| p.flags.join("|")).unwrap_or_default(),
            prov.map(|p| {
                let file = p.file.rsplit('/').next().unwrap_or(&p.file);
                // Row 0: a file without rows (JSON), located by its field path instead.
                if p.row == 0 {
                    format!("{file} {}", p.field)
                } else {
                    format!("{file} row {}", p.row)
                }
            })
            .unwrap_or_default(),
        ]);
    }
    t
}

fn render(p: &Profile) -> String {
    let mut s = format!(
        "{} — {} {} {} ({} {}), {} basis, in {}\n",
        p.name,
        p.stage,
        p.measure,
        p.year,
        p.source.as_str().to_uppercase(),
        p.edition,
        p.basis,
        p.unit
    );
    s.push_str(&format!(
        "World {} {} ({}). HHI {:.3} ({:.0} points), top-3 {}.\n",
        num(p.denominator),
        p.unit,
        p.denominator_rule,
        p.hhi,
        p.hhi * 10_000.0,
        pct(p.top3_share)
    ));
    let groups: Vec<String> = p
        .groups
        .iter()
        .map(|g| {
            let r = g
                .reserves_share
                .map(|r| format!(", reserves {}", pct(r)))
                .unwrap_or_default();
            format!("{} {}{r}", g.group, pct(g.production_share))
        })
        .collect();
    s.push_str(&format!(
        "Groups: {}   (China {}, Russia {})\n\n",
        groups.join("; "),
        pct(p.share_of("CHN")),
        pct(p.share_of("RUS"))
    ));
    s.push_str(&table(p).render());
    if let Some(o) = p.other_countries {
        s.push_str(&format!(
            "Other countries (source row): {} {}\n",
            num(o),
            p.unit
        ));
    }
    if let Some(w) = &p.world_total_provenance {
        s.push_str(&format!("World total: {}\n", w.cite()));
    }
    if let (Some(r), Some(y)) = (p.reserves_world_total, p.reserves_year) {
        s.push_str(&format!("World reserves ({y}): {} {}\n", num(r), p.unit));
    }
    for n in &p.notes {
        s.push_str(&format!("Note: {n}\n"));
    }
    s.push_str(
        "* = in the concern set; (C5) = Central Asia. Full provenance per row: --format json.\n",
    );
    s
}
