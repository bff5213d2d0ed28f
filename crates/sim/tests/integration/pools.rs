//! A connection pool and its database against their theory: a saturated
//! pool is a closed product-form network, so throughput and time in the
//! database follow exact MVA; with contention on and cores to spare,
//! throughput follows the Universal Scalability Law it was given; Little's
//! law holds for the pool and for the database; every request ends once;
//! acquire timeouts, leaks and the start of a burst behave as documented.

use brownout_sim::theory::pool::{Network, usl};
use brownout_sim::{DatabaseSummary, Format, PoolSummary, Summary, parse};
use proptest::prelude::*;

use super::{rel, summary};

/// A closed population of `threads` with no think time in front of a pool
/// of `size` (so, with more threads than connections, every connection is
/// always busy), and `database` (TOML lines).
fn saturated(threads: u32, size: u32, duration_s: f64, database: &str) -> String {
    format!(
        "seed = 3\nduration_s = {duration_s}\nwarmup_s = 5\n[traffic]\nclients = {threads}\n\
         think_ms = {{ dist = \"constant\", value = 0 }}\n[pool]\nsize = {size}\n[database]\n{database}\n"
    )
}

fn parts(s: &Summary) -> (&PoolSummary, &DatabaseSummary) {
    (
        s.pool.as_ref().expect("a pool summary"),
        s.database.as_ref().expect("a database summary"),
    )
}

const DB: &str = "cores = 4\ndisks = 2\ncpu_ms = { dist = \"exponential\", mean = 1 }\n\
                  io_ms = { dist = \"exponential\", mean = 1.5 }";

#[test]
fn a_saturated_pool_matches_exact_mean_value_analysis() {
    let v = parse(&saturated(1, 1, 1.0, DB), Format::Toml).expect("valid");
    let net = Network::of(v.scenario().database.as_ref().expect("db"));
    for size in [1, 2, 4, 8, 16, 40] {
        let s = summary(&saturated(size + 20, size, 100.0, DB));
        let (pool, db) = parts(&s);
        let want = net.saturated(size);
        assert!(db.queries > 35_000, "{size}: {} queries", db.queries);
        assert!(
            rel(db.throughput_qps, want.throughput) < 0.015,
            "pool {size}: throughput {} vs MVA {}",
            db.throughput_qps,
            want.throughput
        );
        assert!(
            rel(pool.mean_db_ms, want.response_s * 1e3) < 0.02,
            "pool {size}: time in the database {} ms vs MVA {} ms",
            pool.mean_db_ms,
            want.response_s * 1e3
        );
        // The summary's own theory is the same number.
        assert!(rel(db.capacity_qps, want.throughput) < 1e-12);
        assert!((pool.utilization - 1.0).abs() < 1e-9);
    }
    // In four rounds of CPU then disk a query visits each station four
    // times for a quarter of its work: the demands, so the theory, stay.
    for size in [4, 16] {
        let s = summary(&saturated(
            size + 20,
            size,
            100.0,
            &format!("{DB}\nbursts = 4"),
        ));
        let (pool, db) = parts(&s);
        let want = net.saturated(size);
        assert!(
            rel(db.throughput_qps, want.throughput) < 0.015,
            "pool {size}, 4 bursts: {} vs MVA {}",
            db.throughput_qps,
            want.throughput
        );
        assert!(rel(pool.mean_db_ms, want.response_s * 1e3) < 0.02);
    }
}

#[test]
fn with_contention_and_cores_to_spare_throughput_follows_the_usl() {
    let (sigma, kappa) = (0.01, 0.0001);
    let db = format!(
        "cores = 1024\ncpu_ms = {{ dist = \"exponential\", mean = 1 }}\nsigma = {sigma}\nkappa = {kappa}"
    );
    for size in [1, 10, 50, 100, 200] {
        let s = summary(&saturated(size + 10, size, 10.0, &db));
        let got = parts(&s).1.throughput_qps;
        let want = usl(size, 1000.0, sigma, kappa);
        assert!(
            rel(got, want) < 0.01,
            "{size} sessions: {got} vs USL {want}"
        );
    }
}

#[test]
fn littles_law_holds_for_the_pool_and_for_the_database() {
    let text = "seed = 11\nduration_s = 400\nwarmup_s = 10\n[traffic]\nrate_rps = 700\n\
                [pool]\nsize = 3\n[database]\ncores = 2\ndisks = 1\n\
                cpu_ms = { dist = \"exponential\", mean = 2 }\nio_ms = { dist = \"exponential\", mean = 1 }\n";
    let s = summary(text);
    let (pool, db) = parts(&s);
    let rate = pool.acquired as f64 / s.duration_s;
    // Connections held = acquires per second × time held.
    assert!(
        rel(pool.mean_in_use, rate * pool.mean_db_ms / 1e3) < 0.01,
        "{pool:?}"
    );
    // Waiters = acquires per second × wait (nobody gives up here).
    assert!(
        rel(pool.mean_waiters, rate * pool.mean_wait_ms / 1e3) < 0.01,
        "{pool:?}"
    );
    assert!(pool.mean_waiters > 0.5, "the pool is the queue: {pool:?}");
    // Sessions in the database = queries per second × time inside.
    assert!(
        rel(db.mean_active, db.throughput_qps * pool.mean_db_ms / 1e3) < 0.01,
        "{db:?}"
    );
    // The whole system, as the first service would report it.
    assert!(rel(s.mean_in_system * s.duration_s, s.request_seconds) < 1e-9);
    assert!(rel(s.mean_wait_ms, pool.mean_wait_ms) < 0.01);
}

#[test]
fn an_acquire_timeout_rejects_waiters_and_a_leak_drains_the_pool() {
    let db = "[database]\ncores = 2\ncpu_ms = { dist = \"exponential\", mean = 5 }\n";
    let over = format!(
        "seed = 2\nduration_s = 60\n[traffic]\nrate_rps = 800\n[pool]\nsize = 4\nacquire_timeout_ms = 50\n{db}"
    );
    let s = summary(&over);
    let pool = parts(&s).0;
    assert!(pool.acquire_timeouts > 1_000, "{pool:?}");
    assert_eq!(s.rejected, pool.acquire_timeouts);
    assert!(pool.mean_wait_ms <= 50.0 + 1e-9, "{pool:?}");
    let leaky = format!(
        "seed = 2\nduration_s = 60\n[traffic]\nrate_rps = 100\n[pool]\nsize = 8\nleak = 0.01\n{db}"
    );
    let s = summary(&leaky);
    let pool = parts(&s).0;
    assert_eq!(pool.leaked, 8, "every connection leaks in the end");
    assert!(
        s.completed * 4 < s.arrivals,
        "{} of {}",
        s.completed,
        s.arrivals
    );
}

#[test]
fn a_pool_in_front_of_the_database_decides_whether_a_burst_melts_it() {
    // 9,600 threads send at once; with 2,048 connections the database is
    // left with 2,048 contending sessions and stays there, with 96 it
    // drains the burst and settles.
    let text = |size: u32| {
        format!(
            "seed = 1\nduration_s = 20\nwarmup_s = 5\n[traffic]\nclients = 9600\n\
             think_ms = {{ dist = \"exponential\", mean = 3200 }}\nstart = \"all_at_once\"\n\
             [pool]\nsize = {size}\n[database]\ncores = 8\ndisks = 4\n\
             cpu_ms = {{ dist = \"exponential\", mean = 2 }}\nio_ms = {{ dist = \"exponential\", mean = 0.5 }}\n\
             sigma = 0.0005\nkappa = 0.000000155\n"
        )
    };
    let big = summary(&text(2048));
    let small = summary(&text(96));
    let (bp, bd) = parts(&big);
    let (sp, sd) = parts(&small);
    assert!(
        bp.utilization > 0.99 && bd.mean_active > 2000.0,
        "{bp:?} {bd:?}"
    );
    assert!(sd.throughput_qps > 1.5 * bd.throughput_qps);
    assert!(sp.mean_db_ms * 100.0 < bp.mean_db_ms);
    // The stuck state is the saturated one the theory describes, and
    // Little's law holds in it (long holds are counted too).
    assert!(rel(bd.throughput_qps, bd.capacity_qps) < 0.03, "{bd:?}");
    assert!(rel(bp.mean_db_ms, bd.saturated_ms) < 0.03, "{bp:?} {bd:?}");
    assert!(
        rel(bd.mean_active, bd.throughput_qps * bp.mean_db_ms / 1e3) < 0.02,
        "{bp:?} {bd:?}"
    );
}

#[test]
fn a_pool_behind_application_servers_is_called_once_per_request() {
    let text = "seed = 4\nduration_s = 30\n[traffic]\nrate_rps = 200\n[[servers]]\ncount = 2\n\
                workers = 50\nservice_ms = { dist = \"exponential\", mean = 5 }\n[pool]\nsize = 10\n\
                [database]\ncores = 4\ncpu_ms = { dist = \"exponential\", mean = 2 }\n";
    let s = summary(text);
    let (pool, db) = parts(&s);
    let served = s.completed as f64;
    assert!(
        rel(pool.acquired as f64, served) < 0.01,
        "{pool:?} vs {served}"
    );
    assert!(rel(db.queries as f64, served) < 0.01);
    // A request's latency includes its query: at least the app's 5 ms and
    // the database's 2 ms on average.
    assert!(s.latency_ms.mean > 6.5, "{:?}", s.latency_ms);
}

#[test]
fn bad_pool_and_database_tables_name_their_field() {
    let base = "duration_s = 10\n[traffic]\nrate_rps = 10\n";
    let db = "[database]\ncores = 2\ncpu_ms = { dist = \"constant\", value = 1 }\n";
    let cases = [
        (format!("{base}[pool]\nsize = 4\n"), "database"),
        (format!("{base}{db}"), "pool"),
        (format!("{base}[pool]\nsize = 0\n{db}"), "pool.size"),
        (
            format!("{base}[pool]\nsize = 4\nleak = 1.5\n{db}"),
            "pool.leak",
        ),
        (
            format!("{base}[pool]\nsize = 4\nacquire_timeout_ms = -1\n{db}"),
            "pool.acquire_timeout_ms",
        ),
        (
            format!(
                "{base}[pool]\nsize = 4\n{}",
                db.replace("cores = 2", "cores = 0")
            ),
            "database.cores",
        ),
        (
            format!("{base}[pool]\nsize = 4\n{db}io_ms = {{ dist = \"constant\", value = 1 }}\n"),
            "database.disks",
        ),
        (
            format!("{base}[pool]\nsize = 4\n{db}sigma = 2\n"),
            "database.sigma",
        ),
        (
            format!("{}start = \"all_at_once\"\n[pool]\nsize = 4\n{db}", base),
            "traffic.start",
        ),
        (
            format!("{base}[cache]\ncapacity = 5\n[keys]\ncount = 9\n[pool]\nsize = 4\n{db}"),
            "cache",
        ),
        (
            format!("{base}[pool]\nsize = 4\n{db}bursts = 0\n"),
            "database.bursts",
        ),
        (
            format!("{base}[pool]\nsize = 4\n{db}[[faults]]\ngroup = 0\nkind = \"down\"\nat_s = 1\n"),
            "faults",
        ),
        (
            "duration_s = 5\n[contention]\nclients = 10\n[pool]\nsize = 4\n[database]\ncores = 1\n\
             cpu_ms = { dist = \"constant\", value = 1 }\n"
                .to_string(),
            "pool",
        ),
        // Waiters that give up after 1 ms come back every 2 ms: billions of
        // requests, not the ten a second the database could serve.
        (
            "duration_s = 1000\n[traffic]\nclients = 10000\nthink_ms = { dist = \"constant\", value = 1 }\n\
             [pool]\nsize = 4\nacquire_timeout_ms = 1\n[database]\ncores = 10\n\
             cpu_ms = { dist = \"constant\", value = 1000 }\n"
                .to_string(),
            "duration_s",
        ),
    ];
    for (text, field) in cases {
        match parse(&text, Format::Toml) {
            Ok(_) => panic!("accepted:\n{text}"),
            Err(e) => assert_eq!(e.field, field, "{e}\n{text}"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_query_ends_once_and_littles_law_holds(
        seed in 0u64..1000,
        size in 1u32..20,
        timeout in prop::option::of(1.0f64..100.0),
        leak in prop::sample::select(vec![0.0, 0.001, 0.05]),
        cores in 1u32..8,
        disks in 0u32..3,
        rate in 10.0f64..3000.0,
        sigma in 0.0f64..0.05,
    ) {
        let timeout = timeout.map_or(String::new(), |t| format!("acquire_timeout_ms = {t}\n"));
        let io = if disks > 0 { "io_ms = { dist = \"exponential\", mean = 1 }\n" } else { "" };
        let text = format!(
            "seed = {seed}\nduration_s = 5\nwarmup_s = 1\n[traffic]\nrate_rps = {rate}\n[pool]\nsize = {size}\n\
             leak = {leak}\n{timeout}[database]\ncores = {cores}\ndisks = {disks}\n\
             cpu_ms = {{ dist = \"lognormal\", mean = 2, p99 = 10 }}\n{io}sigma = {sigma}\n"
        );
        let s = summary(&text);
        prop_assert_eq!(s.arrivals, s.completed + s.rejected + s.failed + s.in_flight);
        let area = s.mean_in_system * s.duration_s;
        prop_assert!((area - s.request_seconds).abs() <= 1e-9 * (1.0 + area));
        let (pool, db) = parts(&s);
        prop_assert!(pool.leaked <= u64::from(size));
        prop_assert!((0.0..=1.0 + 1e-9).contains(&pool.utilization));
        prop_assert!((0.0..=1.0 + 1e-9).contains(&db.cpu_utilization));
    }
}
