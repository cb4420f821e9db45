//! Why this file exists: the extractor must stay linear in the article's size (issue #14) — this
//! times it on 1, 3 and 9 MB of one realistic paragraph repeated, side by side in one run, so a
//! quadratic step shows at once (9 MB taking 81 times as long as 1 MB instead of 9).
//!
//! usage: cargo bench -p lodestone-events --bench extract_size

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

use lodestone_events::extract::{extract, parse_triggers, Trigger};
use lodestone_events::Gazetteer;

/// A news paragraph with a country, an organisation, minerals, money, a mass, an absolute and a
/// relative date, and export-control and financing phrases; it starts and ends with a line break
/// so that repeating it repeats its sentences exactly.
const PARAGRAPH: &str = "\nKazakhstan's state miner signed a US$1.2 billion financing agreement with EXIM for its tungsten project on 12 March 2025. China announced export controls on gallium and germanium on Thursday, the Ministry of Commerce said. Shipments of 12,000 tonnes of antimony were halted.\n";

/// The embedded gazetteer and trigger phrases, as the CLI and the API use them.
fn tools() -> (Gazetteer, Vec<Trigger>) {
    let files = lodestone_data::texts::GAZETTEER;
    let gaz = Gazetteer::from_files(lodestone_data::embedded(), files).expect("gazetteer");
    let triggers_csv = files
        .iter()
        .find(|(n, _)| *n == "triggers.csv")
        .map_or("", |(_, t)| *t);
    (gaz, parse_triggers(triggers_csv).expect("triggers"))
}

fn by_size(c: &mut Criterion) {
    let (gaz, triggers) = tools();
    let published = chrono::NaiveDate::from_ymd_opt(2025, 3, 14);
    let mut g = c.benchmark_group("extract_size");
    g.sample_size(10);
    for mb in [1, 3, 9] {
        let text = PARAGRAPH.repeat(mb * 1024 * 1024 / PARAGRAPH.len());
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(
            BenchmarkId::from_parameter(format!("{mb}MB")),
            &text,
            |b, t| b.iter(|| extract(black_box(t), published, &gaz, &triggers)),
        );
    }
    g.finish();
}

criterion_group!(benches, by_size);
criterion_main!(benches);
