//! Extraction quality and speed: per-label precision, recall and F1 on the labelled articles, and
//! the extractor's throughput on them.
//!
//! usage: cargo bench -p lodestone-events --bench eval

use std::path::Path;
use std::time::Instant;

use lodestone_events::eval::evaluate;
use lodestone_events::extract::{extract, parse_triggers};
use lodestone_events::Gazetteer;

fn main() {
    let ds = lodestone_data::embedded();
    let files = lodestone_data::texts::GAZETTEER;
    let gaz = Gazetteer::from_files(ds, files).expect("gazetteer");
    let triggers = parse_triggers(
        files
            .iter()
            .find(|(n, _)| *n == "triggers.csv")
            .map(|(_, t)| *t)
            .unwrap_or(""),
    )
    .expect("triggers");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval");
    let report = evaluate(&dir, &gaz, &triggers).expect("evaluation");
    println!(
        "{} labelled articles (a development set: the rules were tuned on it)",
        report.articles
    );
    println!(
        "{:24} {:>9} {:>6} {:>6}  {:>4} {:>4} {:>4}",
        "label", "precision", "recall", "F1", "tp", "fp", "fn"
    );
    for (k, s) in &report.scores {
        println!(
            "{k:24} {:>9.2} {:>6.2} {:>6.2}  {:>4} {:>4} {:>4}",
            s.precision(),
            s.recall(),
            s.f1(),
            s.true_positive,
            s.false_positive,
            s.false_negative
        );
    }
    let texts: Vec<String> = std::fs::read_dir(&dir)
        .expect("eval dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| std::fs::read_to_string(p).expect("article"))
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let reps = 200;
    let t = Instant::now();
    for _ in 0..reps {
        for text in &texts {
            std::hint::black_box(extract(text, None, &gaz, &triggers));
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "throughput: {:.1} articles/ms, {:.1} MB/s ({} articles, {} bytes, {} repetitions)",
        (reps * texts.len()) as f64 / secs / 1000.0,
        (reps * bytes) as f64 / secs / 1e6,
        texts.len(),
        bytes,
        reps
    );
}
