//! Why this file exists: sweep throughput (cascades per second) on all cores, side by side with
//! the same sweep on one thread (the baseline a Dask worker runs per task), in one run. The Dask
//! figures on 1 and 2 workers come from `crates/lodestone-py/benches/sweep_scaling.py`.
//!
//! usage: cargo bench -p lodestone-app --bench sweep

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use lodestone_app::sweep::{parse, run_local};
use lodestone_app::{Cancel, Limits, Store};

const SPEC: &str = r#"name = "throughput"
commodities = ["tungsten", "antimony", "cobalt", "graphite"]
shocked = ["CHN", "c5", "RUS"]
kind = "exports"
shocks = [0.5, 1.0]
years = [2022]
draws = 200
seed = 1
max_cells_per_task = 1
"#;

fn throughput(c: &mut Criterion) {
    let store = Store::embedded(None).expect("embedded store");
    let spec = parse(&store, SPEC, "bench.toml").expect("spec");
    let mut g = c.benchmark_group("sweep_24_cells_200_draws");
    g.sample_size(10);
    g.throughput(Throughput::Elements(spec.len() as u64));
    let run = || run_local(&store, &spec, &Limits::default(), &Cancel::never(), &|| {});
    g.bench_function("all_cores", |b| b.iter(|| run().expect("sweep")));
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    g.bench_function("one_thread", |b| {
        b.iter(|| one.install(|| run().expect("sweep")))
    });
    g.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
