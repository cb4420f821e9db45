//! GeoPolRisk speed: Lodestone on the combinations geopolrisk-py 2.0.1 was just timed on (ratio
//! per combination), and Lodestone alone on every (importer × material × year) the data holds.
//!
//! usage: cargo bench -p lodestone-analysis --bench geopolrisk -- COMBOS.csv
//! (COMBOS.csv and COMBOS.csv.timing are written by tests/geopolrisk/reference.py; see
//! benches/geopolrisk_vs_py.sh)

use std::time::Instant;

use lodestone_analysis::geopolrisk::GeoPolRiskIndex;
use lodestone_analysis::viewpoint::Viewpoint;

fn main() {
    let ds = lodestone_data::embedded();
    let trade = lodestone_data::trade();
    let combos_path = std::env::args().skip(1).find(|a| a.ends_with(".csv"));

    let t = Instant::now();
    let index = GeoPolRiskIndex::new(ds, trade, None);
    let index_time = t.elapsed().as_secs_f64();
    // Every BACI country with an ISO3 × every material × every year with production and trade.
    let years: Vec<u16> = trade
        .years()
        .into_iter()
        .filter(|y| {
            ds.materials
                .iter()
                .any(|m| index.hhi(&m.material, *y).is_some())
        })
        .collect();
    let viewpoints: Vec<Viewpoint> = trade
        .countries
        .iter()
        .filter(|c| !c.iso3.is_empty())
        .filter_map(|c| Viewpoint::resolve(ds, trade, &c.iso3).ok())
        .collect();
    let t = Instant::now();
    let mut n = 0u64;
    let mut checksum = 0.0;
    for y in &years {
        for m in &ds.materials {
            for vp in &viewpoints {
                if let Ok(g) = index.compute(&m.material, vp, *y) {
                    checksum += g.score;
                    n += 1;
                }
            }
        }
    }
    let all = t.elapsed().as_secs_f64();
    println!(
        "lodestone: index built in {:.3} s; every combination: {n} (importers {} × materials {} × years {:?}) in {:.3} s ({:.2} µs each; checksum {checksum:.6})",
        index_time,
        viewpoints.len(),
        ds.materials.len(),
        years,
        all,
        all / n as f64 * 1e6
    );

    let Some(path) = combos_path else {
        println!("(no combinations file given: run benches/geopolrisk_vs_py.sh for the side-by-side ratio)");
        return;
    };
    let mut rdr = csv::Reader::from_path(&path).expect("combinations file");
    let mut combos = Vec::new();
    for r in rdr.records().flatten() {
        let importer = r[0].to_string();
        let Some(code) = trade
            .countries
            .iter()
            .find(|c| c.name == importer)
            .map(|c| c.code)
        else {
            continue;
        };
        let Some(iso3) = trade.iso3_of(code) else {
            continue;
        };
        let vp = Viewpoint::resolve(ds, trade, iso3).expect("viewpoint");
        combos.push((vp, r[1].to_string(), r[2].parse::<u16>().expect("year")));
    }
    let reps = 50;
    let t = Instant::now();
    for _ in 0..reps {
        let index = GeoPolRiskIndex::new(ds, trade, None);
        for (vp, m, y) in &combos {
            std::hint::black_box(index.compute(m, vp, *y).ok());
        }
    }
    let ours = t.elapsed().as_secs_f64() / reps as f64;
    let timing = std::fs::read_to_string(format!("{path}.timing")).ok();
    let py = timing
        .as_deref()
        .and_then(|t| t.trim().split(',').next()?.parse::<f64>().ok());
    print!(
        "lodestone: the same {} combinations in {:.4} s including the index build ({:.2} µs each)",
        combos.len(),
        ours,
        ours / combos.len() as f64 * 1e6
    );
    match py {
        Some(py) => println!(
            "; geopolrisk-py 2.0.1: {:.2} s ({:.2} ms each, after its data load); ratio {:.0}×",
            py,
            py / combos.len() as f64 * 1e3,
            py / ours
        ),
        None => println!(),
    }
}
