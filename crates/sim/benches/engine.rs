//! Simulated requests per second of the engine, natively.
//!
//! `cargo xtask bench` runs this and compares it with the SimPy peers in
//! `bench/`: `simpy_mmc.py` on the same M/M/10 parameters as `mm10`, and
//! `simpy_retry.py` on the same retry storm as `storm`.
//!
//! Each benchmark's throughput is what one run simulates: requests arriving
//! at the service for `mm10` and `p2c100`, attempts (first sends and
//! retries) for `storm`. Before measuring, each benchmark prints one line
//! `brownout-model <id> {json}` with the model's outcome (attempts,
//! logical requests, amplification, goodput), which `cargo xtask bench`
//! reads to check that Brownout and SimPy simulate the same thing.

use std::hint::black_box;

use brownout_sim::{Format, Limits, Summary, parse, simulate};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// A benchmark: its id, its scenario and what one run counts as simulated.
struct Bench {
    id: &'static str,
    scenario: &'static str,
    counted: fn(&Summary) -> u64,
}

/// Requests arriving at the first service.
fn arrivals(s: &Summary) -> u64 {
    s.arrivals
}

/// Attempts sent by the clients: first attempts and retries.
fn attempts(s: &Summary) -> u64 {
    s.attempts
}

const BENCHES: [Bench; 3] = [
    Bench {
        id: "mm10",
        scenario: include_str!("scenarios/mm10.toml"),
        counted: arrivals,
    },
    Bench {
        id: "p2c100",
        scenario: include_str!("scenarios/p2c100.toml"),
        counted: arrivals,
    },
    Bench {
        id: "storm",
        scenario: include_str!("scenarios/storm.toml"),
        counted: attempts,
    },
];

fn engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    for bench in BENCHES {
        let scenario = parse(bench.scenario, Format::Toml).expect("bench scenario is valid");
        let s = simulate(&scenario, Limits::default()).summary;
        let model = serde_json::json!({
            "simulated": (bench.counted)(&s),
            "attempts": s.attempts,
            "logical": {
                "arrived": s.logical.arrived,
                "succeeded": s.logical.succeeded,
                "failed": s.logical.failed,
                "in_flight": s.logical.in_flight,
            },
            "timeouts": s.timeouts,
            "rejected": s.rejected,
            "completed": s.completed,
            "amplification": s.amplification,
            "goodput_rps": s.goodput_rps,
        });
        println!("brownout-model {} {model}", bench.id);
        group.throughput(Throughput::Elements((bench.counted)(&s)));
        group.bench_function(bench.id, |b| {
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
