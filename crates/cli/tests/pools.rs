//! Article 5 from the command line: `brownout sweep --param pool.size=…`
//! gives the table the site's pool-size sweep draws, and a run's `--json`
//! and text carry the pool and the database.

use std::process::{Command, Output};

fn brownout(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brownout"))
        .args(args)
        .output()
        .expect("the brownout binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn a_listed_pool_size_sweep_gives_the_sites_curve_points() {
    let o = brownout(&[
        "sweep",
        "--preset",
        "pool-2048",
        "--param",
        "pool.size=16,96,2048",
        "--metric",
        "database.throughput_qps",
        "--metric",
        "latency_ms.p99",
        "--metric",
        "database.capacity_qps",
        "--csv",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(
        rows[0],
        "pool.size,database.throughput_qps,latency_ms.p99,database.capacity_qps"
    );
    assert_eq!(rows.len(), 4);
    let article = brownout_content::articles()
        .expect("articles")
        .into_iter()
        .find(|a| a.slug == "pools")
        .expect("article 5");
    let w = article.widget(0).expect("widget 0");
    let job = w
        .curve_job(&w.initial_state())
        .expect("curves")
        .expect("valid");
    // The site's job reads the panels' metrics, then the theory's, then
    // the rule of thumb for its mark.
    assert_eq!(
        job.metrics,
        [
            "database.throughput_qps",
            "latency_ms.p99",
            "database.capacity_qps",
            "database.rule_of_thumb"
        ]
    );
    for (row, size) in [(1, 16.0), (2, 96.0), (3, 2048.0)] {
        let i = job.xs.iter().position(|&v| v == size).expect("on the axis");
        let point = job.run_point(i).expect("runs");
        let cli: Vec<f64> = rows[row]
            .split(',')
            .map(|v| v.parse().expect("a number"))
            .collect();
        assert_eq!(cli[0], size);
        for (k, mean) in point.means[..3].iter().enumerate() {
            assert_eq!(cli[k + 1], mean.expect("a mean"), "size {size}, metric {k}");
        }
    }
}

#[test]
fn a_run_reports_the_pool_and_the_database() {
    let o = brownout(&["run", "--preset", "pool-96", "--json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    for key in ["size", "utilization", "mean_wait_ms", "acquire_timeouts"] {
        assert!(v["pool"].get(key).is_some(), "pool.{key}");
    }
    for key in ["cpu_utilization", "disk_utilization", "mean_run_queue"] {
        assert!(v["database"].get(key).is_some(), "database.{key}");
    }
    let text = stdout(&brownout(&["run", "--preset", "pool-96"]));
    assert!(text.contains("\npool       96 connections, "), "{text}");
    assert!(
        text.contains("rule of thumb: 20 connections (cores × 2 + disks)"),
        "{text}"
    );
}
