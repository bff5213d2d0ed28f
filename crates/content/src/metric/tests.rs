//! Stat rows and readings of the metric table.

use super::*;

fn summary() -> Value {
    serde_json::json!({
        "failed": 2, "rejected": 5, "throughput_rps": 127.94,
        "latency_ms": {"p50": 72.6, "p99": 15000.0},
        "servers": [
            {"name": "fast", "index": 0, "mean_queue": 0.13, "utilization": 0.471},
            {"name": "legacy", "index": 0, "mean_queue": 1361.78, "utilization": 1.0}
        ]
    })
}

#[test]
fn the_default_rows_are_todays_five_numbers_formatted_as_the_site_shows_them() {
    let paths: Vec<String> = DEFAULT_STATS.map(String::from).to_vec();
    let rows = stat_rows(&summary(), &paths);
    let texts: Vec<String> = rows.iter().map(StatRow::shown).collect();
    let shown: Vec<(&str, &str, &str)> = rows
        .iter()
        .zip(&texts)
        .map(|(r, t)| (r.key, r.label, t.as_str()))
        .collect();
    assert_eq!(
        shown,
        vec![
            ("p50", "Median latency", "73 ms"),
            ("p99", "99th percentile latency", "15 s"),
            ("throughput", "Throughput", "127.9 req/s"),
            ("failed", "Failed or rejected", "7"),
            ("queue", "Longest mean queue", "1,362 (legacy 0)"),
        ]
    );
    assert_eq!(rows[4].value, 1361.78);
    assert_eq!(rows[4].text, "1,362");
    assert_eq!(rows[4].which.as_deref(), Some("legacy 0"));
}

#[test]
fn a_server_metric_is_found_by_any_index_and_names_its_server() {
    assert_eq!(
        metric("servers[7].utilization").map(|m| m.label),
        Some("Time busy")
    );
    let rows = stat_rows(&summary(), &["servers[1].utilization".to_string()]);
    assert_eq!(rows[0].shown(), "100% (legacy 0)");
    assert!(stat_rows(&summary(), &["servers[9].utilization".to_string()]).is_empty());
}

#[test]
fn behind_a_cache_the_services_latencies_say_so_and_the_requests_do_not() {
    let paths = [
        "latency_ms.p50",
        "logical.latency_ms.p99",
        "cache.hit_ratio",
    ]
    .map(String::from);
    let rows = stat_rows(&preset_summary("cache-flash-sale"), &paths);
    assert!(
        rows[0].shown().ends_with(" s (behind the cache)"),
        "{}",
        rows[0].shown()
    );
    assert_eq!(rows[0].which.as_deref(), Some("behind the cache"));
    assert!(!rows[1].shown().contains("cache"), "{}", rows[1].shown());
    let plain = stat_rows(&summary(), &paths[..1]);
    assert_eq!(plain[0].text, "73 ms");
}

#[test]
fn an_unknown_path_is_no_metric() {
    assert_eq!(metric("latency_ms.p42"), None);
    assert_eq!(metric("servers[x].utilization"), None);
}

#[test]
fn every_metric_reads_a_number_from_a_real_run() {
    let summary = preset_summary("mm1");
    for m in METRICS {
        let path = m.path.replace("servers[]", "servers[0]");
        assert!(read(&summary, &path).is_some(), "{path}");
    }
}

#[test]
fn every_metric_path_and_key_is_unique() {
    for (i, a) in METRICS.iter().enumerate() {
        for b in &METRICS[i + 1..] {
            assert!(a.path != b.path && a.key != b.key, "{a:?} and {b:?}");
        }
    }
}
