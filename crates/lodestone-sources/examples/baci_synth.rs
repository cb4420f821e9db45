//! Writes a synthetic BACI year file in the real layout for the scan benchmark: `t,i,j,k,v,q`,
//! real BACI country codes, ~5,000 HS6 codes of which the concordance's 73 carry about 1.5 % of
//! rows (as in a real year file), values with three decimals, 5 % of quantities "NA" padded the
//! way BACI pads them. Seeded, so every run writes the same file.
//!
//! usage: cargo run --release -p lodestone-sources --example baci_synth -- ROWS OUT.csv

use rand::{Rng, SeedableRng};
use std::io::{BufWriter, Write};

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let rows: u64 = args
        .get(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let out = args
        .get(2)
        .cloned()
        .unwrap_or_else(|| "baci_synthetic.csv".into());
    let ds = lodestone_data::embedded();
    let trade = lodestone_data::trade();
    let countries: Vec<u16> = trade.countries.iter().map(|c| c.code).collect();
    let linked: Vec<u32> = ds.concordance.links.iter().map(|l| l.hs6).collect();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2022);
    let other: Vec<u32> = (0..5000)
        .map(|n| 10_000 + n * 173)
        .filter(|k| !linked.contains(k))
        .collect();
    let mut w = BufWriter::with_capacity(1 << 22, std::fs::File::create(&out)?);
    writeln!(w, "t,i,j,k,v,q")?;
    for _ in 0..rows {
        let i = countries[rng.random_range(0..countries.len())];
        let mut j = countries[rng.random_range(0..countries.len())];
        if j == i {
            j = countries[(rng.random_range(0..countries.len()) + 1) % countries.len()];
        }
        let k = if rng.random_bool(0.015) {
            linked[rng.random_range(0..linked.len())]
        } else {
            other[rng.random_range(0..other.len())]
        };
        let v: f64 = rng.random_range(0.001..50_000.0);
        if rng.random_bool(0.05) {
            writeln!(w, "2022,{i},{j},{k:06},{v:.3},           NA")?;
        } else {
            let q: f64 = rng.random_range(0.001..20_000.0);
            writeln!(w, "2022,{i},{j},{k:06},{v:.3},{q:.3}")?;
        }
    }
    w.flush()
}
