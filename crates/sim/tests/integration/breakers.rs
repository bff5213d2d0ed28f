//! Circuit breakers in a run: the 2015 metadata-service loop stays stuck
//! without them and recovers with them, every logical request still ends
//! exactly once, a switched-off breaker changes nothing, and the report
//! adds up.

use brownout_sim::{BreakerState, Format, Limits, parse, simulate};

const DYNAMO: &str = include_str!("../../../../content/scenarios/dynamo-2015.toml");
const BREAKERS: &str = include_str!("../../../../content/scenarios/dynamo-2015-breakers.toml");

fn run(text: &str, seed: u64) -> brownout_sim::RunResult {
    let mut s = parse(text, Format::Toml)
        .expect("a preset")
        .scenario()
        .clone();
    s.seed = seed;
    simulate(&s.validate().expect("valid"), Limits::default())
}

#[test]
fn the_metadata_loop_stays_stuck_without_breakers_and_recovers_with_them() {
    for seed in 1..=5 {
        let stuck = run(DYNAMO, seed).summary;
        assert_eq!(stuck.recovered_after_s, None, "seed {seed}: {stuck:?}");
        assert!(
            stuck.goodput_rps < 20.0,
            "seed {seed}: {}",
            stuck.goodput_rps
        );
        assert!(stuck.breaker.is_none(), "switched off: no breakers");
        let fixed = run(BREAKERS, seed);
        let s = &fixed.summary;
        let after = s.recovered_after_s.expect("recovers");
        assert!(after <= 60.0, "seed {seed}: recovered after {after} s");
        let b = s.breaker.as_ref().expect("breakers");
        assert_eq!(b.breakers, 300, "one per storage node");
        assert!(
            b.opened >= 300 && b.short_circuited > 0,
            "seed {seed}: {b:?}"
        );
        // Every logical request ends exactly once, or is still in flight.
        let l = &s.logical;
        assert_eq!(
            l.arrived,
            l.succeeded + l.failed + l.in_flight,
            "seed {seed}"
        );
        // Each breaker's changes alternate as the state machine allows, and
        // every stay in the open state lasts exactly open_ms (30 s).
        let rows = &fixed.breakers.as_ref().expect("a timeline").rows;
        assert_eq!(rows.len(), 300);
        for row in rows {
            let mut state = BreakerState::Closed;
            for (i, &(t, next)) in row.iter().enumerate() {
                let allowed = matches!(
                    (state, next),
                    (BreakerState::Closed, BreakerState::Open)
                        | (BreakerState::Open, BreakerState::HalfOpen)
                        | (
                            BreakerState::HalfOpen,
                            BreakerState::Open | BreakerState::Closed
                        )
                );
                assert!(allowed, "{state:?} -> {next:?}");
                if next == BreakerState::HalfOpen {
                    assert!(
                        (t - row[i - 1].0 - 30.0).abs() < 1e-9,
                        "open for {} s",
                        t - row[i - 1].0
                    );
                }
                state = next;
            }
        }
    }
}

#[test]
fn the_series_counts_every_breaker_in_one_state_per_bucket() {
    let r = run(BREAKERS, 1);
    let s = &r.series;
    assert_eq!(s.breakers_open.len(), s.t_s.len());
    for k in 0..s.t_s.len() {
        let total = s.breakers_closed[k] + s.breakers_open[k] + s.breakers_half_open[k];
        assert_eq!(total, 300.0, "bucket {k}");
    }
    // Before the slowdown at 60 s every breaker is closed; during the storm
    // most are open.
    assert_eq!(s.breakers_closed[5], 300.0);
    let most_open = s.breakers_open.iter().copied().fold(0.0, f64::max);
    assert!(most_open > 150.0, "at most {most_open} open at once");
}

#[test]
fn a_switched_off_breaker_gives_the_numbers_of_none_at_all() {
    let without = DYNAMO
        .lines()
        .filter(|l| !l.starts_with("breaker ="))
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(without, DYNAMO);
    let (a, b) = (run(DYNAMO, 3), run(&without, 3));
    assert_eq!(a.summary, b.summary);
    assert_eq!(a.series, b.series);
}

#[test]
fn a_fallback_answers_the_short_circuited_calls() {
    let fallback = BREAKERS.replace(
        "half_open_calls = 2 }",
        "half_open_calls = 2, on_open = \"fallback\" }",
    );
    assert_ne!(fallback, BREAKERS);
    let (fast, soft) = (run(BREAKERS, 2).summary, run(&fallback, 2).summary);
    let (bf, bs) = (
        fast.breaker.expect("breakers"),
        soft.breaker.expect("breakers"),
    );
    assert!(bs.short_circuited > 0);
    // A fallback counts as a success, a fail-fast as a failure.
    assert!(soft.logical.succeeded > fast.logical.succeeded);
    assert!(soft.logical.failed < fast.logical.failed);
    assert!(bf.short_circuited > 0);
}

#[test]
fn a_bad_breaker_field_is_named() {
    let line = BREAKERS
        .lines()
        .find(|l| l.starts_with("breaker ="))
        .expect("a breaker line");
    for (field, value, why) in [
        ("failure_rate", "0", "percentage"),
        ("window_size", "2.5", "whole calls"),
        ("min_calls", "0", "from 1 to 100000"),
        ("open_ms", "-1", "milliseconds"),
    ] {
        let text = BREAKERS.replace(line, &format!("breaker = {{ {field} = {value} }}"));
        let e = parse(&text, Format::Toml).expect_err(field).to_string();
        assert!(
            e.contains(&format!("client.breaker.{field}")) && e.contains(why),
            "{field}: {e}"
        );
    }
}
