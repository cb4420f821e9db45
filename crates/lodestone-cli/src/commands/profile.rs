//! Why this file exists: `lodestone profile <commodity>` rendered as a table, CSV or JSON.

use lodestone_app::types::fixed;
use lodestone_app::types::{Control, Profile};
use lodestone_app::Store;

use super::Result;
use crate::cli::{Format, ProfileArgs};
use crate::output::{num, opt_pct, pct, print, print_json, Table};

pub fn run(store: &Store, a: &ProfileArgs) -> Result<()> {
    let p = lodestone_app::profile::profile(store, &a.query)?;
    match a.format {
        Format::Parquet | Format::Xlsx => crate::output::tables(lodestone_tables::results::of(
            &lodestone_tables::shapes::PROFILE,
            &p,
        )),
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
    if let Some(c) = &p.control {
        s.push_str(&render_control(c));
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

/// Who controls the output: the range, its coverage and the assets abroad with their owners.
fn render_control(c: &Control) -> String {
    let range = if (c.controlled_high - c.controlled_low).abs() < 5e-4 {
        pct(c.controlled_low)
    } else {
        format!("{} to {}", pct(c.controlled_low), pct(c.controlled_high))
    };
    let mut s = format!(
        "\nControlled by the concern set ({}) through ownership: {range} of world output, counting \
         only output whose owners are recorded (located there: {}; ownership known for {}).\n",
        c.members.join(", "),
        pct(c.by_location),
        pct(c.coverage)
    );
    let mut t = Table::new(&[
        "asset",
        "country",
        "output",
        "share",
        "concern held",
        "controlled",
        "owners",
        "counted",
    ]);
    for a in &c.assets {
        t.push(vec![
            a.name.clone(),
            a.country.clone(),
            a.output.map(num).unwrap_or_else(|| "–".into()),
            opt_pct(a.share_of_world),
            pct(a.concern_held),
            if a.controlled { "yes" } else { "no" }.into(),
            a.owners
                .iter()
                .map(|o| {
                    let home = if o.country.is_empty() {
                        "?"
                    } else {
                        &o.country
                    };
                    format!("{} {} {home}", short_name(&o.name), pct(o.share))
                })
                .collect::<Vec<_>>()
                .join("; "),
            a.counted.clone(),
        ]);
    }
    s.push_str(&t.render());
    s.push_str(&format!("Rule: {}.\n", c.rule));
    for n in &c.notes {
        s.push_str(&format!("Note: {n}\n"));
    }
    s
}

/// An owner's name without its parenthesised or slashed detail, at most 28 characters (the JSON
/// output keeps the full name).
fn short_name(name: &str) -> String {
    let cut = name.find(['(', '/', '[']).unwrap_or(name.len());
    let n = name[..cut].trim();
    if n.chars().count() > 28 {
        format!("{}…", n.chars().take(27).collect::<String>())
    } else {
        n.to_string()
    }
}
