//! Caches in whole runs against their theory: one key's TTL hit
//! probabilities, the stampede at an expiry (1 + λD recomputations, exactly
//! one with coalescing), LRU through the engine against Che, the cost of
//! misses against their count, and conservation.

use brownout_sim::theory::cache::{hit_ratio, lru_hits, stampede_recomputations, ttl_hit, zipf};
use brownout_sim::{CacheSummary, Summary};

use super::{rel, summary};

/// One key requested at `rate` per second; a backend that recomputes in
/// `d_ms` with workers to spare; a cache with `cache` (TOML lines).
fn one_key(rate: f64, d_ms: f64, duration_s: f64, cache: &str) -> Summary {
    summary(&format!(
        "seed = 5\nduration_s = {duration_s}\nwarmup_s = 10\n[traffic]\nrate_rps = {rate}\n\
         [[servers]]\ncount = 1\nworkers = 1000\nservice_ms = {{ dist = \"constant\", value = {d_ms} }}\n\
         [keys]\ncount = 1\n[cache]\ncapacity = 1\n{cache}\n"
    ))
}

fn cache(s: &Summary) -> &CacheSummary {
    s.cache.as_ref().expect("a cache summary")
}

#[test]
fn a_ttl_fixed_at_insert_hits_lambda_t_over_one_plus_lambda_t() {
    // λ = 20/s, T = 0.2 s: λT = 4, so 4/5 of requests hit. A miss takes
    // 0.01 ms, so requests during a recomputation are negligible.
    let s = one_key(20.0, 0.01, 20_000.0, "ttl_s = 0.2");
    let c = cache(&s);
    let want = ttl_hit(20.0, 0.2, false);
    assert!(rel(c.hit_ratio, want) < 0.005, "{} vs {want}", c.hit_ratio);
    assert_eq!(c.requests, s.logical.arrived);
}

#[test]
fn a_ttl_refreshed_on_every_hit_hits_one_minus_e_to_the_minus_lambda_t() {
    let s = one_key(20.0, 0.01, 20_000.0, "ttl_s = 0.1\nttl_refresh = true");
    let want = ttl_hit(20.0, 0.1, true);
    let got = cache(&s).hit_ratio;
    assert!(rel(got, want) < 0.005, "{got} vs {want}");
}

#[test]
fn an_expiry_without_coalescing_recomputes_one_plus_lambda_d_times() {
    // λ = 200/s, D = 50 ms: 11 recomputations per expiry on average.
    let s = one_key(200.0, 50.0, 4_000.0, "ttl_s = 1");
    let c = cache(&s);
    let want = stampede_recomputations(200.0, 0.05);
    assert!(c.expirations > 2_000, "{c:?}");
    assert!(
        rel(c.recomputations_per_expiry, want) < 0.03,
        "{} vs {want}",
        c.recomputations_per_expiry
    );
}

#[test]
fn with_coalescing_an_expiry_recomputes_exactly_once() {
    let s = one_key(200.0, 50.0, 2_000.0, "ttl_s = 1\nprotection = \"coalesce\"");
    let c = cache(&s);
    assert!(c.expirations > 1_000, "{c:?}");
    assert_eq!(c.recomputations_per_expiry, 1.0, "{c:?}");
    assert!(c.coalesced > 5 * c.expirations, "the misses waited: {c:?}");
    // Everyone still got an answer.
    let l = &s.logical;
    assert_eq!(l.arrived, l.succeeded + l.failed + l.in_flight);
    assert_eq!(l.failed, 0);
}

#[test]
fn stale_while_revalidate_and_early_recomputation_keep_a_hot_key_hitting() {
    for protection in ["stale_while_revalidate", "early_recompute"] {
        let s = one_key(
            200.0,
            50.0,
            500.0,
            &format!("ttl_s = 1\nprotection = \"{protection}\""),
        );
        let c = cache(&s);
        // Only the very first request misses; refreshes run behind.
        assert!(c.hit_ratio > 0.999, "{protection}: {c:?}");
        assert!(c.recomputations >= 400, "{protection}: refreshed: {c:?}");
    }
}

const LRU: &str = "seed = 3\nduration_s = 2000\nwarmup_s = 100\n[traffic]\nrate_rps = 500\n\
     [[servers]]\ncount = 1\nworkers = 100\nservice_ms = { dist = \"constant\", value = 0.001 }\n\
     [keys]\ncount = 2000\nzipf = 0.8\n[cache]\ncapacity = 100\n";

#[test]
fn lru_through_the_engine_matches_che() {
    // Open Poisson traffic over 2,000 Zipf(0.8) keys, a cache of 100; the
    // backend answers at once, so no request waits on another's miss.
    let s = summary(LRU);
    let p = zipf(2000, 0.8);
    let che = hit_ratio(&p, &lru_hits(&p, 100.0).expect("che"));
    let got = cache(&s).hit_ratio;
    assert!(rel(got, che) < 0.01, "{got} vs Che {che}");
    // The summary carries the same theory, for the widget to show beside it.
    let shown = cache(&s).theory_hit_ratio.expect("theory applies");
    assert!(rel(shown, che) < 1e-9, "{shown} vs {che}");
    // Per bucket, the hit ratio hovers around the whole run's.
    let series = &brownout_sim::simulate(
        &brownout_sim::parse(LRU, brownout_sim::Format::Toml).expect("valid"),
        brownout_sim::Limits::default(),
    )
    .series;
    assert_eq!(series.cache_hit_ratio.len(), series.t_s.len());
    let mean = series.cache_hit_ratio.iter().flatten().sum::<f64>() / series.t_s.len() as f64;
    assert!(rel(mean, got) < 0.01, "{mean} vs {got}");
}

#[test]
fn the_cost_of_misses_is_not_their_count() {
    // 90% of keys cost 1 ms, 10% cost 200 ms, the rarest keys the costliest;
    // an LFU cache of the 5% most popular keys: most requests hit, yet most
    // of the work misses.
    let s = summary(
        "seed = 8\nduration_s = 600\nwarmup_s = 60\n[traffic]\nrate_rps = 200\n\
         [[servers]]\ncount = 1\nworkers = 200\nservice_ms = { dist = \"constant\", value = 1 }\n\
         [keys]\ncount = 10000\nzipf = 1.1\ncost_order = \"rarest\"\n\
         cost_ms = { dist = \"mixture\", parts = [ { weight = 90, dist = \"constant\", value = 1 }, { weight = 10, dist = \"constant\", value = 200 } ] }\n\
         [cache]\ncapacity = 500\neviction = \"lfu\"\n",
    );
    let c = cache(&s);
    assert!(c.hit_ratio > 0.7, "{c:?}");
    assert!(
        c.cost_miss_ratio > 2.5 * (1.0 - c.hit_ratio),
        "misses carry more than their share of the work: {c:?}"
    );
    let l = &s.logical;
    assert_eq!(l.arrived, l.succeeded + l.failed + l.in_flight);
    // The backend saw exactly the recomputations.
    assert_eq!(s.services[0].arrivals, c.recomputations);
    // The costliest keys are rare ones, each recomputed on most requests.
    let top = &c.top_keys;
    assert_eq!(top.len(), 10);
    assert!(top.windows(2).all(|w| w[0].work_s >= w[1].work_s));
    assert!(top[0].key >= 9_000 && top[0].work_s > 0.0, "{top:?}");
}

#[test]
fn a_cache_needs_keys_and_bad_values_name_their_field() {
    use brownout_sim::{Format, parse};
    let base = "duration_s = 10\n[traffic]\nrate_rps = 1\n[[servers]]\ncount = 1\nworkers = 1\nservice_ms = { dist = \"constant\", value = 1 }\n";
    for (extra, field) in [
        ("[cache]\ncapacity = 1\n", "cache"),
        ("[keys]\ncount = 0\n", "keys.count"),
        ("[keys]\ncount = 10\nzipf = 9\n", "keys.zipf"),
        (
            "[keys]\ncount = 10\n[cache]\ncapacity = 11\n",
            "cache.capacity",
        ),
        (
            "[keys]\ncount = 10\n[cache]\ncapacity = 5\nprotection = \"early_recompute\"\n",
            "cache.protection",
        ),
        (
            "[keys]\ncount = 10\n[[keys.shifts]]\nat_s = 20\noffset = 1\n",
            "keys.shifts[0].at_s",
        ),
    ] {
        let e = parse(&format!("{base}{extra}"), Format::Toml).expect_err(extra);
        assert_eq!(e.field, field, "{extra}: {e}");
    }
}

#[test]
fn a_cache_in_front_of_a_deeper_layer_sees_the_keys_of_the_traffic() {
    // An application layer calls a database layer once per request; the
    // cache sits in front of the database, which works each miss for its
    // key's cost.
    let s = summary(
        "seed = 4\nduration_s = 600\nwarmup_s = 60\n[traffic]\nrate_rps = 200\n\
         [[servers]]\nname = \"app\"\ncount = 2\nworkers = 50\nservice_ms = { dist = \"constant\", value = 1 }\n\
         [[layers]]\nname = \"database\"\n[[layers.servers]]\ncount = 1\nworkers = 50\n\
         service_ms = { dist = \"constant\", value = 999 }\n\
         [layers.cache]\ncapacity = 100\n\
         [keys]\ncount = 2000\nzipf = 0.8\ncost_ms = { dist = \"constant\", value = 2 }\n",
    );
    let c = cache(&s);
    assert_eq!(
        c.requests,
        s.services[0].completed + s.services[0].failed + s.services[0].rejected
    );
    assert_eq!(
        s.services[1].arrivals, c.recomputations,
        "the database sees only misses"
    );
    let che = c.theory_hit_ratio.expect("no expiry, no shift");
    assert!(rel(c.hit_ratio, che) < 0.02, "{} vs Che {che}", c.hit_ratio);
    // The database worked each miss for its key's cost (2 ms), not its own
    // service_ms (999 ms): nothing queued.
    assert!(
        s.servers.iter().all(|srv| srv.max_queue == 0),
        "{:?}",
        s.servers
    );
    let l = &s.logical;
    assert_eq!(l.arrived, l.succeeded + l.failed + l.in_flight);
}

#[test]
fn a_layers_cache_needs_keys_and_names_its_own_fields() {
    use brownout_sim::{Format, parse};
    let base = "duration_s = 10\n[traffic]\nrate_rps = 1\n[[servers]]\ncount = 1\nworkers = 1\nservice_ms = { dist = \"constant\", value = 1 }\n[[layers]]\n[[layers.servers]]\ncount = 1\nworkers = 1\nservice_ms = { dist = \"constant\", value = 1 }\n";
    for (extra, field) in [
        ("[layers.cache]\ncapacity = 1\n", "layers[0].cache"),
        (
            "[layers.cache]\ncapacity = 0\n[keys]\ncount = 5\n",
            "layers[0].cache.capacity",
        ),
    ] {
        let e = parse(&format!("{base}{extra}"), Format::Toml).expect_err(extra);
        assert_eq!(e.field, field, "{extra}: {e}");
    }
}
