//! Benchmarks of the paths a user waits on: loading the embedded dataset (snapshot vs parsing the
//! text files it is made from), a profile, the brief, and the USGS/WMD cross-check.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use std::path::Path;

use lodestone_analysis::brief::brief;
use lodestone_analysis::check::check;
use lodestone_analysis::{profile, SeriesQuery};
use lodestone_model::CriticalList;

fn load(c: &mut Criterion) {
    let bytes = lodestone_data::snapshot_bytes();
    c.bench_function("load/snapshot_decode", |b| {
        b.iter(|| lodestone_formats::snapshot::decode(black_box(bytes)).unwrap())
    });
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    g.bench_function("text_parse", |b| {
        b.iter(|| lodestone_formats::read_dir(black_box(&data)).unwrap())
    });
    g.finish();
}

fn queries(c: &mut Criterion) {
    let ds = lodestone_data::embedded();
    let q = SeriesQuery {
        commodity: "tungsten".into(),
        year: Some(2023),
        ..Default::default()
    };
    c.bench_function("profile/tungsten_2023", |b| {
        b.iter(|| profile(ds, black_box(&q)).unwrap())
    });
    c.bench_function("brief/us2022", |b| {
        b.iter(|| {
            brief(
                ds,
                Some(lodestone_data::trade()),
                CriticalList::Us2022,
                "USA",
                None,
            )
            .unwrap()
        })
    });
    let mut g = c.benchmark_group("check");
    g.sample_size(10);
    g.bench_function("usgs_vs_wmd", |b| b.iter(|| check(ds, 0.10)));
    g.finish();
}

criterion_group!(benches, load, queries);
criterion_main!(benches);
