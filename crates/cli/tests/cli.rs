//! The `brownout` binary, run as a user runs it.

use std::process::{Command, Output};

fn brownout(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brownout"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write_temp(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("brownout-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn json_output_has_every_documented_field() {
    let o = brownout(&["run", "--preset", "mmc-10", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    for key in [
        "completed",
        "rejected",
        "failed",
        "throughput_rps",
        "events",
    ] {
        assert!(v[key].is_number(), "{key}");
    }
    for key in ["mean", "p50", "p90", "p99", "p999", "max"] {
        assert!(v["latency_ms"][key].is_number(), "latency_ms.{key}");
    }
    let server = &v["servers"][0];
    for key in ["group", "index", "utilization", "completed", "mean_queue"] {
        assert!(server[key].is_number(), "servers[0].{key}");
    }
}

#[test]
fn the_cli_reproduces_the_library_bit_for_bit() {
    let o = brownout(&["run", "--preset", "round-robin-2am", "--json"]);
    let preset = brownout_content::preset("round-robin-2am").expect("preset");
    let lib = brownout_sim::simulate(
        &preset.scenario().expect("valid"),
        brownout_sim::Limits::default(),
    );
    let want = format!(
        "{}\n",
        serde_json::to_string_pretty(&lib.summary).expect("json")
    );
    assert_eq!(stdout(&o), want);
}

#[test]
fn a_seed_override_changes_the_run_and_repeats_exactly() {
    let a = stdout(&brownout(&[
        "run", "--preset", "mm1", "--seed", "5", "--json",
    ]));
    let b = stdout(&brownout(&[
        "run", "--preset", "mm1", "--seed", "5", "--json",
    ]));
    let c = stdout(&brownout(&["run", "--preset", "mm1", "--json"]));
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert!(a.contains("\"seed\": 5"));
}

#[test]
fn csv_output_has_one_row_per_second_and_a_queue_column_per_server() {
    let o = brownout(&["run", "--preset", "round-robin-2am", "--csv"]);
    let text = stdout(&o);
    let mut lines = text.lines();
    let header = lines.next().expect("header");
    assert!(header.starts_with(
        "t_s,arrivals_rps,throughput_rps,rejected_rps,failed_rps,p50_ms,p99_ms,queue_fast_0"
    ));
    // 7 request columns, a queue per server, then 10 of logical requests.
    assert_eq!(header.split(',').count(), 7 + 10 + 10);
    assert!(header.ends_with(",throttled_rps,amplification,logical_p50_ms,logical_p99_ms"));
    assert_eq!(lines.count(), 600);
}

#[test]
fn the_readable_summary_shows_latency_and_every_server() {
    let text = stdout(&brownout(&["run", "--preset", "round-robin-2am"]));
    assert!(text.contains("p99"));
    assert_eq!(text.lines().filter(|l| l.starts_with("legacy")).count(), 3);
}

#[test]
fn a_file_and_json_files_run() {
    let toml = write_temp(
        "s.toml",
        "duration_s = 10\n[traffic]\nrate_rps = 5\n[[servers]]\ncount = 1\nworkers = 1\nservice_ms = { dist = \"constant\", value = 10 }\n",
    );
    assert!(
        brownout(&["run", toml.to_str().expect("utf8")])
            .status
            .success()
    );
    let json = write_temp(
        "s.json",
        r#"{"duration_s": 10, "traffic": {"rate_rps": 5}, "servers": [{"count": 1, "workers": 1, "service_ms": {"dist": "constant", "value": 10}}]}"#,
    );
    let o = brownout(&["run", json.to_str().expect("utf8"), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_bad_file_fails_with_the_field_and_line_on_stderr() {
    let path = write_temp(
        "bad.toml",
        "duration_s = 10\n[traffic]\nrate_rps = 5\n[[servers]]\ncount = 1\nworkers = 0\nservice_ms = { dist = \"constant\", value = 10 }\n",
    );
    let o = brownout(&["run", path.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty());
    assert!(
        stderr(&o).contains("line 6: servers[0].workers: must be between 1 and 10000, got 0"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_missing_file_and_an_unknown_preset_say_what_is_wrong() {
    let o = brownout(&["run", "/no/such/file.toml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("cannot read /no/such/file.toml"));
    let o = brownout(&["run", "--preset", "nope"]);
    assert!(
        stderr(&o).contains("no preset \"nope\"; presets are:")
            && stderr(&o).contains("round-robin-2am")
    );
}

#[test]
fn presets_lists_every_preset_with_its_description() {
    let text = stdout(&brownout(&["presets"]));
    for p in brownout_content::presets() {
        assert!(text.contains(p.name), "{}", p.name);
    }
    assert!(text.contains("M/M/1 at 80% load"));
}

#[test]
fn export_draws_the_sites_chart_as_svg_png_and_csv() {
    let dir = std::env::temp_dir().join(format!("brownout-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let (svg, png, csv) = (dir.join("q.svg"), dir.join("q.png"), dir.join("q.csv"));
    let o = brownout(&[
        "export",
        "--preset",
        "round-robin-2am",
        "--chart",
        "queues",
        "--svg",
        svg.to_str().expect("utf8"),
        "--png",
        png.to_str().expect("utf8"),
        "--csv",
        csv.to_str().expect("utf8"),
        "--compare",
        "balancer.policy=least_connections",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let svg_text = std::fs::read_to_string(&svg).expect("svg");
    assert!(
        svg_text.starts_with("<svg") && svg_text.contains("legacy"),
        "an SVG with the group legend"
    );
    let png_bytes = std::fs::read(&png).expect("png");
    assert_eq!(&png_bytes[..8], b"\x89PNG\r\n\x1a\n");
    let csv_text = std::fs::read_to_string(&csv).expect("csv");
    assert!(
        csv_text.lines().count() > 100
            && csv_text
                .lines()
                .next()
                .is_some_and(|h| h.contains("least_connections"))
    );
}

#[test]
fn export_of_an_unknown_chart_lists_the_charts() {
    let o = brownout(&[
        "export",
        "--preset",
        "mm1",
        "--chart",
        "pie",
        "--svg",
        "/tmp/x.svg",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o)
            .contains("no chart \"pie\"; charts are: latency, throughput, queues, utilization")
    );
}

#[test]
fn export_help_names_every_chart() {
    let o = brownout(&["export", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = String::from_utf8_lossy(&o.stdout);
    for chart in [
        "latency", "goodput", "timeline", "breakers", "cache", "pool",
    ] {
        assert!(help.contains(chart), "{chart} missing from:\n{help}");
    }
}

#[test]
fn set_overrides_any_field_and_a_bad_value_names_its_path() {
    let o = brownout(&[
        "run",
        "--preset",
        "retry-storm",
        "--set",
        "client.budget.enabled=true",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert!(
        v["recovered_after_s"].is_number(),
        "the budget ends the storm"
    );
    let o = brownout(&["run", "--preset", "retry-storm", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert!(
        v["recovered_after_s"].is_null(),
        "without it the storm stays"
    );
    for key in [
        "attempts",
        "retries",
        "timeouts",
        "throttled",
        "amplification",
        "goodput_rps",
        "within_slo",
    ] {
        assert!(v[key].is_number(), "{key}");
    }
    for key in ["arrived", "succeeded", "failed", "in_flight"] {
        assert!(v["logical"][key].is_number(), "logical.{key}");
    }
    let o = brownout(&["run", "--preset", "mm1", "--set", "balancer.policy=fastest"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("balancer.policy: unknown variant `fastest`"),
        "{}",
        stderr(&o)
    );
    let o = brownout(&["run", "--preset", "mm1", "--set", "servers[0].workers=0"]);
    assert!(
        stderr(&o).contains("servers[0].workers: must be between 1 and 10000, got 0"),
        "{}",
        stderr(&o)
    );
    let o = brownout(&["run", "--preset", "mm1", "--set", "nonsense"]);
    assert!(stderr(&o).contains("expected PATH=VALUE"), "{}", stderr(&o));
}

#[test]
fn an_unknown_policy_in_a_file_names_its_field_and_line() {
    let path = write_temp(
        "fastest.toml",
        "duration_s = 10\n[traffic]\nrate_rps = 5\n[balancer]\npolicy = \"fastest\"\n[[servers]]\ncount = 1\nworkers = 1\nservice_ms = { dist = \"constant\", value = 1 }\n",
    );
    let o = brownout(&["run", path.to_str().expect("utf-8")]);
    let err = stderr(&o);
    assert!(
        err.contains("line 5: balancer.policy: unknown variant `fastest`"),
        "{err}"
    );
}

/// A 2 × 2 sweep of the storm: base load 10 or 30, spike 60 or 180.
const STORM_GRID: &[&str] = &[
    "sweep",
    "--preset",
    "retry-storm",
    "--param",
    "traffic.rate_rps=10..30:20",
    "--param",
    "traffic.changes[0].rate_rps=60..180:120",
];

#[test]
fn sweep_runs_the_product_grid_and_prints_one_row_per_point() {
    let o = brownout(&[STORM_GRID, &["--metric", "recovered_after_s", "--csv"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    // Piped: no progress bar on stderr.
    assert_eq!(stderr(&o), "");
    let text = stdout(&o);
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(
        rows[0],
        "traffic.rate_rps,traffic.changes[0].rate_rps,recovered_after_s"
    );
    assert_eq!(rows.len(), 1 + 4);
    // Light load with a small spike recovers; 30 req/s with a big one is stuck.
    assert!(
        rows[1].starts_with("10,60,") && !rows[1].ends_with(','),
        "{}",
        rows[1]
    );
    assert_eq!(rows[4], "30,180,");
    let o = brownout(&[
        "sweep",
        "--preset",
        "mm1",
        "--param",
        "traffic.rate_rps=1..2:1",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v.as_array().map(Vec::len), Some(2));
    assert_eq!(v[1]["params"]["traffic.rate_rps"], 2);
    assert!(v[1]["summary"]["latency_ms"]["p99"].is_number());
    let o = brownout(&[
        "sweep",
        "--preset",
        "mm1",
        "--param",
        "servers[0].workers=0..1:1",
    ]);
    assert!(stderr(&o).contains("servers[0].workers"), "{}", stderr(&o));
}

#[test]
fn sweep_draws_the_recovered_or_stuck_map_of_two_parameters() {
    let dir = std::env::temp_dir().join(format!("brownout-map-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let svg = dir.join("map.svg");
    let svg_arg = svg.to_string_lossy().to_string();
    let o = brownout(&[STORM_GRID, &["--map", &svg_arg]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&svg).expect("map written");
    // The same four points as the sweep above: 10/60 recovers, 30/180 is stuck.
    assert!(
        text.contains("recovered, 1 stuck") || text.contains("recovered, 2 stuck"),
        "title"
    );
    assert!(text.contains("traffic.changes[0].rate_rps"));
    let o = brownout(&[
        "sweep",
        "--preset",
        "mm1",
        "--param",
        "traffic.rate_rps=1..2:1",
        "--map",
        &svg_arg,
    ]);
    assert!(
        stderr(&o).contains("--map draws two parameters"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn sweep_lines_draw_the_curves_the_site_draws_with_the_same_means() {
    let dir = std::env::temp_dir().join(format!("brownout-curves-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let csv = dir.join("curves.csv");
    let csv_arg = csv.to_string_lossy().to_string();
    let lines = [
        "--line",
        "Exponential: client.backoff.kind=exponential; client.backoff.jitter=none",
        "--line",
        "Full jitter: client.backoff.kind=exponential; client.backoff.jitter=full",
    ];
    let grid = [
        "sweep",
        "--preset",
        "backoff-occ",
        "--param",
        "contention.clients=40..100:60",
        "--param",
        "seed=1..20:1",
        "--metric",
        "contention.writes",
        "--metric",
        "contention.makespan_ms",
    ];
    let o = brownout(&[&grid[..], &lines, &["--curves", &csv_arg, "--csv"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = stdout(&o);
    assert_eq!(
        rows.lines().next(),
        Some("line,contention.clients,seed,contention.writes,contention.makespan_ms")
    );
    assert_eq!(rows.lines().count(), 1 + 2 * 2 * 20);
    assert!(rows.contains("\nFull jitter,100,20,"), "{rows}");
    let text = std::fs::read_to_string(&csv).expect("curves written");
    let got: Vec<&str> = text.lines().collect();
    assert_eq!(
        got[0],
        "line,contention.clients,contention.writes,contention.makespan_ms"
    );
    // Article 3's first widget runs the same points in its workers: the
    // CLI's means are the site's, to the bit.
    let article = brownout_content::articles()
        .expect("articles")
        .into_iter()
        .find(|a| a.slug == "backoff")
        .expect("article 3");
    let w = article.widget(0).expect("widget 0");
    let job = w
        .curve_job(&w.initial_state())
        .expect("curves")
        .expect("valid");
    let nx = job.xs.len();
    for (row, line, x) in [(1, 1, 40.0), (2, 1, 100.0), (3, 2, 40.0), (4, 2, 100.0)] {
        let i = job
            .xs
            .iter()
            .position(|&v| v == x)
            .expect("x on the site's axis");
        let point = job.run_point(line * nx + i).expect("runs");
        let means: Vec<String> = point
            .means
            .iter()
            .map(|m| m.expect("a mean").to_string())
            .collect();
        assert_eq!(
            got[row],
            format!(
                "{},{x},{}",
                ["Exponential", "Full jitter"][line - 1],
                means.join(",")
            ),
        );
    }
    // SVG and PNG by extension; anything else is refused.
    for (name, check) in [("c.svg", "<svg"), ("c.png", "PNG")] {
        let path = dir.join(name).to_string_lossy().to_string();
        let o = brownout(&[&grid[..], &lines, &["--curves", &path]].concat());
        assert!(o.status.success(), "{}", stderr(&o));
        let bytes = std::fs::read(&path).expect("written");
        assert!(
            String::from_utf8_lossy(&bytes[..8.min(bytes.len())]).contains(check)
                || String::from_utf8_lossy(&bytes).contains(check),
            "{name}"
        );
    }
    let o = brownout(&[&grid[..], &lines, &["--curves", "out.txt"]].concat());
    assert!(
        stderr(&o).contains("name a .svg, .png or .csv file"),
        "{}",
        stderr(&o)
    );
    let o = brownout(
        &[
            &grid[..],
            &["--line", "Odd: client.backoff.jitter=sideways"],
        ]
        .concat(),
    );
    assert!(stderr(&o).contains("--line Odd"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn export_draws_the_breakers_chart_of_a_run_and_its_compare_side() {
    let dir = std::env::temp_dir().join(format!("brownout-breakers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (svg, csv) = (dir.join("b.svg"), dir.join("b.csv"));
    let o = brownout(&[
        "export",
        "--preset",
        "dynamo-2015",
        "--chart",
        "breakers",
        "--compare",
        "client.breaker.enabled=true",
        "--svg",
        svg.to_str().expect("utf8"),
        "--csv",
        csv.to_str().expect("utf8"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&svg).expect("svg");
    assert!(text.contains("one row per breaker"), "the title");
    assert!(text.contains("Open (calls fail fast)"));
    let table = std::fs::read_to_string(&csv).expect("csv");
    assert_eq!(
        table.lines().next(),
        Some("t_s,closed_false,open_false,half_open_false,closed_true,open_true,half_open_true")
    );
    // Side A has no breakers: its columns are empty; side B starts closed.
    assert_eq!(table.lines().nth(1), Some("0,,,,300,0,0"));
    let o = brownout(&["run", "--preset", "dynamo-2015-breakers"]);
    assert!(
        stdout(&o).contains("breakers   300 | opened "),
        "{}",
        stdout(&o)
    );
    std::fs::remove_dir_all(&dir).ok();
}
