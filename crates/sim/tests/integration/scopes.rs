//! What one circuit breaker watches (`scope`): everything a client calls,
//! each dependency (server groups with shares), or each server instance.
//! A breaker that never leaves the open state lets exactly the calls that
//! opened it reach its dependency, and nothing of the others'.

use brownout_sim::{Format, parse};
use proptest::prelude::*;

use super::summary;

/// Open traffic to a service whose group `bad` fails every call (or, with
/// `server`, only that server of group 0); a breaker opens after 100 calls
/// with half of them failed and then stays open for the whole run.
fn scenario(scope: &str, groups: &str, fault: &str) -> String {
    scenario_n(scope, groups, fault, 100, 1)
}

/// [`scenario`] with a window of `n` calls, and `seed`.
fn scenario_n(scope: &str, groups: &str, fault: &str, n: u32, seed: u64) -> String {
    format!(
        r#"
duration_s = 600
seed = {seed}
[traffic]
rate_rps = 5
[client]
breaker = {{ window_size = {n}, min_calls = {n}, failure_rate = 50, open_ms = 3600000, scope = "{scope}" }}
{groups}
[[faults]]
kind = "errors"
probability = 1
at_s = 0
{fault}
"#
    )
}

const TWO_DEPENDENCIES: &str = r#"
[[servers]]
name = "healthy"
share = 9
count = 1
workers = 4
service_ms = { dist = "constant", value = 1 }
[[servers]]
name = "failing"
share = 1
count = 1
workers = 4
service_ms = { dist = "constant", value = 1 }
"#;

/// Open traffic to two groups sharing it 3 to 1.
const THREE_TO_ONE: &str = r#"
duration_s = 2000
[traffic]
rate_rps = 50
[[servers]]
share = 3
count = 2
workers = 8
service_ms = { dist = "exponential", mean = 10 }
[[servers]]
share = 1
count = 2
workers = 8
service_ms = { dist = "exponential", mean = 10 }
"#;

const FOUR_SERVERS: &str = r#"
[[servers]]
count = 4
workers = 4
service_ms = { dist = "constant", value = 1 }
"#;

#[test]
fn a_breaker_per_dependency_cuts_off_the_failing_one_after_exactly_its_window() {
    let s = summary(&scenario("dependency", TWO_DEPENDENCIES, "group = 1"));
    let b = s.breaker.as_ref().expect("breakers");
    assert_eq!(b.breakers, 2, "one per dependency");
    assert_eq!(b.opened, 1, "only the failing dependency's opens: {b:?}");
    // The 100 calls that filled its window reached the failing group; no
    // call after it opened did.
    assert_eq!(s.services[0].failed, 100, "{:?}", s.services[0]);
    assert_eq!(
        s.logical.failed,
        100 + b.short_circuited,
        "the rest failed fast"
    );
    assert!(
        b.short_circuited > 150,
        "about 1 in 10 of 3,000: {}",
        b.short_circuited
    );
}

#[test]
fn one_breaker_for_both_dependencies_never_opens_and_every_call_gets_through() {
    let s = summary(&scenario("client", TWO_DEPENDENCIES, "group = 1"));
    let b = s.breaker.as_ref().expect("breakers");
    assert_eq!(
        (b.breakers, b.opened, b.short_circuited),
        (1, 0, 0),
        "{b:?}"
    );
    // About 1 call in 10 goes to the failing dependency, every one of them.
    let share = s.services[0].failed as f64 / s.logical.arrived as f64;
    assert!((share - 0.1).abs() < 0.015, "{share}");
    assert_eq!(s.services[0].failed, s.logical.failed);
}

#[test]
fn a_breaker_per_server_cuts_off_exactly_the_failing_server() {
    let s = summary(&scenario("server", FOUR_SERVERS, "group = 0\nserver = 0"));
    let b = s.breaker.as_ref().expect("breakers");
    assert_eq!((b.breakers, b.opened), (4, 1), "{b:?}");
    assert_eq!(s.services[0].failed, 100);
    // The client picks servers at random: after server 0's breaker opens,
    // a quarter of the calls still pick it and are refused.
    let refused = b.short_circuited as f64 / (s.logical.arrived - 400) as f64;
    assert!((refused - 0.25).abs() < 0.03, "{refused}");
    // The healthy servers share the rest evenly.
    let done: Vec<u64> = s.servers[1..].iter().map(|x| x.completed).collect();
    let mean = done.iter().sum::<u64>() as f64 / 3.0;
    for d in &done {
        assert!((*d as f64 / mean - 1.0).abs() < 0.08, "{done:?}");
    }
}

#[test]
fn one_breaker_for_every_server_never_opens_on_one_bad_server() {
    let s = summary(&scenario("client", FOUR_SERVERS, "group = 0\nserver = 0"));
    let b = s.breaker.as_ref().expect("breakers");
    assert_eq!((b.breakers, b.opened), (1, 0), "{b:?}");
    // Round robin sends server 0 exactly every fourth call.
    let share = s.services[0].failed as f64 / s.logical.arrived as f64;
    assert!((share - 0.25).abs() < 0.001, "{share}");
}

#[test]
fn shares_split_a_service_s_requests_between_its_groups() {
    let s = summary(THREE_TO_ONE);
    let group = |g: usize| -> u64 {
        s.servers
            .iter()
            .filter(|x| x.group == g)
            .map(|x| x.completed)
            .sum()
    };
    let first = group(0) as f64 / (group(0) + group(1)) as f64;
    assert!((first - 0.75).abs() < 0.005, "{first}");
    // Within a group, round robin alternates its two servers.
    let (a, b) = (s.servers[0].completed, s.servers[1].completed);
    assert!(a.abs_diff(b) <= 2, "{a} {b}");
}

#[test]
fn bad_shares_and_scopes_are_named() {
    let bad = |text: &str, field: &str| {
        let e = parse(text, Format::Toml).expect_err("invalid");
        assert_eq!(e.field, field, "{e}");
    };
    let groups = TWO_DEPENDENCIES.replacen("share = 9\n", "", 1);
    bad(
        &scenario("dependency", &groups, "group = 1"),
        "servers[0].share",
    );
    let groups = TWO_DEPENDENCIES.replacen("share = 9", "share = -1", 1);
    bad(
        &scenario("dependency", &groups, "group = 1"),
        "servers[0].share",
    );
    let cached = format!(
        "{}\n[keys]\ncount = 100\n[cache]\ncapacity = 10\n",
        scenario("server", FOUR_SERVERS, "group = 0")
    );
    bad(&cached, "client.breaker.scope");
    let crowd = scenario("server", FOUR_SERVERS, "group = 0")
        .replace("rate_rps = 5", "clients = 30000")
        .replace("count = 4", "count = 4\nweight = 1");
    let crowd = crowd.replace(
        "[traffic]",
        "[traffic]\nthink_ms = { dist = \"exponential\", mean = 100000 }",
    );
    bad(&crowd, "client.breaker.scope");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever the window, the seed and the shares, an open breaker lets
    /// nothing of its scope through: the failing dependency (or server)
    /// sees exactly the calls that filled the window. One caller, so no
    /// call sent before the breaker opened is still on its way (with open
    /// traffic, one sent a moment earlier may land after: that is not a
    /// leak, and seed 213 once found it).
    #[test]
    fn an_open_breaker_lets_no_call_of_its_scope_through(
        per_server in any::<bool>(),
        n in 1u32..60,
        share in 1u32..9,
        seed in 1u64..1000,
    ) {
        let text = if per_server {
            scenario_n("server", FOUR_SERVERS, "group = 0\nserver = 2", n, seed)
        } else {
            let groups = TWO_DEPENDENCIES.replacen("share = 9", &format!("share = {share}"), 1);
            scenario_n("dependency", &groups, "group = 1", n, seed)
        };
        let one_caller = "clients = 1\nthink_ms = { dist = \"exponential\", mean = 100 }";
        let s = summary(&text.replace("rate_rps = 5", one_caller));
        let b = s.breaker.as_ref().expect("breakers");
        prop_assert_eq!(b.opened, 1);
        prop_assert_eq!(s.services[0].failed, u64::from(n));
    }
}

#[test]
fn a_layer_s_client_keeps_a_breaker_per_server_of_the_layer_it_calls() {
    let text = r#"
duration_s = 600
[traffic]
rate_rps = 5
[[servers]]
count = 2
workers = 4
service_ms = { dist = "constant", value = 1 }
[[layers]]
name = "database"
client = { breaker = { window_size = 30, min_calls = 30, open_ms = 3600000, scope = "server" } }
[[layers.servers]]
count = 3
workers = 4
service_ms = { dist = "constant", value = 1 }
[[faults]]
layer = 1
group = 0
server = 1
kind = "errors"
probability = 1
at_s = 0
"#;
    let s = summary(text);
    let b = s.breaker.as_ref().expect("breakers");
    assert_eq!((b.breakers, b.opened), (3, 1), "{b:?}");
    assert_eq!(s.services[1].failed, 30, "{:?}", s.services[1]);
}

#[test]
fn every_breaker_of_a_scope_exists_from_the_start_even_if_never_called() {
    // One request in the whole run reaches one of the four servers.
    let text = scenario("server", FOUR_SERVERS, "group = 0\nfor_s = 1")
        .replace("rate_rps = 5", "rate_rps = 0.01")
        .replace("duration_s = 600", "duration_s = 150");
    let b = summary(&text).breaker.expect("breakers");
    assert_eq!(b.breakers, 4, "{b:?}");
}

#[test]
fn the_limit_on_breakers_counts_only_what_a_scope_multiplies() {
    let groups = format!(
        "{FOUR_SERVERS}{}",
        FOUR_SERVERS.replace("count = 4", "count = 1")
    );
    let crowd = |scope: &str| {
        scenario(scope, &groups, "group = 0").replace(
            "rate_rps = 5",
            "clients = 200000\nthink_ms = { dist = \"exponential\", mean = 10000000 }",
        )
    };
    // One breaker per member, or per dependency without shares (one): as
    // many as the population allows.
    for scope in ["client", "dependency"] {
        parse(&crowd(scope), Format::Toml).unwrap_or_else(|e| panic!("{scope}: {e}"));
    }
    let e = parse(&crowd("server"), Format::Toml).expect_err("1,000,000 breakers");
    assert_eq!(e.field, "client.breaker.scope", "{e}");
}

#[test]
fn no_queueing_formula_is_claimed_for_groups_with_shares() {
    // Single-worker servers, which the round-robin formulas describe.
    let text = THREE_TO_ONE.replace("workers = 8", "workers = 1");
    assert!(summary(&text).theory.is_none());
    assert!(
        summary(&text.replace("share = 3\n", "").replace("share = 1\n", ""))
            .theory
            .is_some()
    );
}

#[test]
fn a_breaker_per_dependency_behind_a_cache_is_refused() {
    let text = format!(
        "{}\n[keys]\ncount = 100\n[cache]\ncapacity = 10\n",
        scenario("dependency", TWO_DEPENDENCIES, "group = 1")
    );
    let e = parse(&text, Format::Toml).expect_err("refused");
    assert_eq!(e.field, "client.breaker.scope", "{e}");
}
