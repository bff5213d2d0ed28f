//! Simulated requests per second of the engine, natively.
//!
//! `cargo xtask bench` runs this and compares it with the SimPy peer in
//! `bench/simpy_mmc.py` on the same M/M/10 parameters.

use std::hint::black_box;

use brownout_sim::{Format, Limits, parse, simulate};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const SCENARIOS: [(&str, &str); 2] = [
    ("mm10", include_str!("scenarios/mm10.toml")),
    ("p2c100", include_str!("scenarios/p2c100.toml")),
];

fn engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    for (name, text) in SCENARIOS {
        let scenario = parse(text, Format::Toml).expect("bench scenario is valid");
        let arrivals = simulate(&scenario, Limits::default()).summary.arrivals;
        group.throughput(Throughput::Elements(arrivals));
        group.bench_function(name, |b| {
            b.iter(|| {
                simulate(black_box(&scenario), Limits::default())
                    .summary
                    .completed
            })
        });
    }
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
