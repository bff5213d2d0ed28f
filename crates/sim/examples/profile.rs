//! Runs one scenario file N times and prints the requests completed: a
//! fixed workload for instruction counts, e.g.
//! `valgrind --tool=callgrind target/release/examples/profile crates/sim/benches/scenarios/mm10.toml`.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: profile SCENARIO.toml [RUNS]");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(path).expect("scenario file is readable");
    let runs: usize = args
        .get(2)
        .map_or(1, |s| s.parse().expect("RUNS is a number"));
    let scenario = brownout_sim::parse(&text, brownout_sim::Format::Toml).expect("valid scenario");
    let total: u64 = (0..runs)
        .map(|_| {
            brownout_sim::simulate(&scenario, brownout_sim::Limits::default())
                .summary
                .completed
        })
        .sum();
    println!("{total}");
}
