//! Writes one of Lodestone's trade networks, with a shock, in the plain CSV the Marchand
//! differential test reads (`tests/fixtures/marchand/<name>/`): `countries.csv` (country,
//! production, stocks, initial loss) and `links.csv` (exporter, importer, tonnes after the shock's
//! export cuts). The same files are fed to the authors' R code to produce `reference-cfrac-<f>.csv`; see
//! `tests/fixtures/marchand/README.md` for the whole recipe.
//!
//! usage: cargo run -p lodestone-cascade --example marchand_fixture -- OUT_DIR COMMODITY STAGE
//!        YEAR ORIGIN exports|production MAGNITUDE STOCK_MONTHS

use std::fmt::Write as _;

use lodestone_cascade::network::build;
use lodestone_cascade::scenario::{Shock, ShockKind};
use lodestone_cascade::simulate::{initial_shock, state_of};
use lodestone_model::Stage;

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    if a.len() != 8 {
        eprintln!("usage: marchand_fixture OUT_DIR COMMODITY STAGE YEAR ORIGIN exports|production MAGNITUDE STOCK_MONTHS");
        std::process::exit(2);
    }
    let out = std::path::PathBuf::from(&a[0]);
    let stage: Stage = a[2].parse().expect("stage");
    let year: u16 = a[3].parse().expect("year");
    let kind = match a[5].as_str() {
        "exports" => ShockKind::Exports,
        "production" => ShockKind::Production,
        other => panic!("kind {other}"),
    };
    let magnitude: f64 = a[6].parse().expect("magnitude");
    let months: f64 = a[7].parse().expect("stock months");
    let ds = lodestone_data::embedded();
    let trade = lodestone_data::trade();
    let net = build(ds, trade, &a[1], stage, year).expect("network");
    let shock = Shock {
        origin: vec![a[4].clone()],
        origin_name: a[4].clone(),
        commodity: a[1].clone(),
        stage: Some(stage),
        kind,
        magnitude,
        targets: vec![],
        exclude_targets: vec![],
    };
    let (loss0, _, tonnes) = initial_shock(&net, &[&shock]);
    let state = state_of(&net, tonnes, months);
    std::fs::create_dir_all(&out).expect("out dir");
    let mut c = String::from("country,production_t,stocks_t,loss_t\n");
    for (i, country) in net.countries.iter().enumerate() {
        let name = country.replace(' ', "_");
        let row = (net.production[i], state.stocks[i], loss0[i]);
        writeln!(c, "{name},{},{},{}", row.0, row.1, row.2).expect("fmt");
    }
    let mut l = String::from("from,to,tonnes\n");
    for (k, link) in net.links.iter().enumerate() {
        writeln!(
            l,
            "{},{},{}",
            net.countries[link.from].replace(' ', "_"),
            net.countries[link.to].replace(' ', "_"),
            state.tonnes[k]
        )
        .expect("fmt");
    }
    std::fs::write(out.join("countries.csv"), c).expect("write");
    std::fs::write(out.join("links.csv"), l).expect("write");
    println!(
        "{}: {} ({stage}) {year}, {} countries, {} links, initial loss {:.1} t",
        out.display(),
        a[1],
        net.n(),
        net.links.len(),
        loss0.iter().sum::<f64>()
    );
}
