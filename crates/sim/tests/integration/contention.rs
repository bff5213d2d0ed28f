//! Clients contending for one record (the `[contention]` table): every
//! client succeeds exactly once, and the backoff kinds order as Marc
//! Brooker's post reports.

use brownout_sim::{ContentionSummary, Format, ScenarioError, Summary, parse};

use crate::summary;

/// `clients` contenders with the post's network and backoff (base 5 ms,
/// cap 2 s), `kind` and `jitter` as the client table spells them.
fn occ(seed: u64, clients: u32, kind: &str, jitter: &str) -> String {
    format!(
        "seed = {seed}\nduration_s = 600\n[metrics]\nbucket_s = 1\n\
         [contention]\nclients = {clients}\nnetwork_ms = {{ dist = \"normal\", mean = 10, sd = 2 }}\n\
         [client]\nbackoff = {{ kind = \"{kind}\", base_ms = 5, cap_ms = 2000, jitter = \"{jitter}\" }}\n"
    )
}

fn totals(s: &Summary) -> &ContentionSummary {
    s.contention
        .as_ref()
        .expect("a contention run reports its totals")
}

/// Mean writes and makespan (ms) over `seeds` seeds.
fn mean_over_seeds(seeds: u64, clients: u32, kind: &str, jitter: &str) -> (f64, f64) {
    let (mut writes, mut time) = (0.0, 0.0);
    for seed in 1..=seeds {
        let s = summary(&occ(seed, clients, kind, jitter));
        let c = totals(&s);
        writes += c.writes as f64;
        time += c.makespan_ms.expect("every client succeeded");
    }
    (writes / seeds as f64, time / seeds as f64)
}

#[test]
fn every_client_succeeds_exactly_once_and_reads_before_each_write() {
    for (kind, jitter) in [
        ("none", "none"),
        ("exponential", "none"),
        ("exponential", "full"),
        ("exponential", "equal"),
        ("exponential", "decorrelated"),
    ] {
        let s = summary(&occ(3, 50, kind, jitter));
        let c = totals(&s);
        assert_eq!(c.clients, 50);
        assert_eq!(s.logical.succeeded, 50, "{kind}/{jitter}");
        assert_eq!(
            c.writes - c.conflicts,
            50,
            "one successful write per client"
        );
        assert_eq!(c.reads, c.writes, "each write follows one read");
        assert_eq!(s.attempts, c.writes);
        assert_eq!(s.retries, c.conflicts);
        assert!(
            c.makespan_ms.expect("all done") > 40.0,
            "four hops at least"
        );
    }
}

#[test]
fn one_client_never_conflicts_and_takes_four_hops() {
    let s = summary(&occ(1, 1, "exponential", "full"));
    let c = totals(&s);
    assert_eq!((c.reads, c.writes, c.conflicts), (1, 1, 0));
    let t = c.makespan_ms.expect("done");
    assert!((20.0..60.0).contains(&t), "four hops of about 10 ms: {t}");
}

#[test]
fn the_post_s_orderings_hold_for_40_and_100_clients() {
    for clients in [40, 100] {
        let expo = mean_over_seeds(10, clients, "exponential", "none");
        let full = mean_over_seeds(10, clients, "exponential", "full");
        let equal = mean_over_seeds(10, clients, "exponential", "equal");
        let decorr = mean_over_seeds(10, clients, "exponential", "decorrelated");
        let at = format!(
            "{clients} clients: expo {expo:?} full {full:?} equal {equal:?} decorr {decorr:?}"
        );
        // Calls: exponential > decorrelated > full ≈ equal.
        assert!(expo.0 > decorr.0 && decorr.0 > full.0.max(equal.0), "{at}");
        assert!((full.0 / equal.0 - 1.0).abs() < 0.15, "{at}");
        // At 100 clients, full jitter cuts the work by more than half.
        if clients == 100 {
            assert!(full.0 < 0.5 * expo.0, "{at}");
        }
        // Time: exponential ≫ equal > full.
        assert!(expo.1 > 3.0 * equal.1 && equal.1 > full.1, "{at}");
    }
}

#[test]
fn a_contention_scenario_names_what_does_not_belong_in_it() {
    let error = |text: &str| -> ScenarioError {
        match parse(text, Format::Toml) {
            Ok(_) => panic!("accepted:\n{text}"),
            Err(e) => e,
        }
    };
    let base = occ(1, 10, "exponential", "full");
    let e = error(&base.replace("clients = 10", "clients = 0"));
    assert_eq!(e.field, "contention.clients");
    let e = error(&format!("{base}[traffic]\nrate_rps = 5\n"));
    assert_eq!(e.field, "traffic");
    assert!(e.message.contains("no traffic, servers"), "{e}");
    let e = error(&base.replace("[client]\n", "[client]\ntimeout_ms = 100\n"));
    assert_eq!(e.field, "client.timeout_ms");
    let e = error(&base.replace("sd = 2", "sd = -1"));
    assert_eq!(e.field, "contention.network_ms.sd");
    // Settings with nothing to act on are named, not ignored.
    let e = error(&format!("{base}[balancer]\npolicy = \"random\"\n"));
    assert_eq!(e.field, "balancer");
    let e = error(&base.replace("[client]\n", "[client]\nretry_on = [\"timeout\"]\n"));
    assert_eq!(e.field, "client.retry_on");
    assert!(e.message.contains("only client.backoff applies"), "{e}");
    let e = error(&base.replace("[client]\n", "[client]\nbreaker = {}\n"));
    assert_eq!(e.field, "client.breaker");
    // All three outcomes, in any order, are the default: accepted.
    let all = base.replace(
        "[client]\n",
        "[client]\nretry_on = [\"failed\", \"timeout\", \"rejected\"]\n",
    );
    parse(&all, Format::Toml).unwrap_or_else(|e| panic!("{e}"));
}
