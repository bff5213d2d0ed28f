//! SVG output: well-formed, labelled, and a faithful function of the data.

use brownout_charts::{ChartData, ChartKind, ChartOptions, Run, Theme, svg};

use crate::{synthetic, tiny, tiny_retrying, tiny_with};

/// Every `<text>` of a well-formed SVG document, in order.
fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().trim().to_string())
        .collect()
}

/// `chart` of one run, 800×400, default options, as SVG.
fn single(chart: ChartKind, run: &brownout_sim::RunResult, label: &str) -> String {
    svg(
        chart,
        &ChartData::single(run, label),
        &ChartOptions::default(),
        800,
        400,
    )
    .expect("draws")
}

fn expected(chart: ChartKind) -> &'static [&'static str] {
    match chart {
        ChartKind::Latency => &[
            "Latency: median (p50) and 99th percentile (p99)",
            "Latency per 1 s bucket (log scale)",
            "Simulated time (s)",
            "Round robin p99",
            "Round robin p50",
            "Least connections p99",
            "Least connections p50",
        ],
        ChartKind::Throughput => &[
            "Throughput: completed vs arriving requests",
            "Requests per second",
            "Simulated time (s)",
            "Arrivals",
            "Round robin completed",
            "Least connections completed",
        ],
        ChartKind::Queues => &[
            "Queue length per server",
            "Requests waiting",
            "Round robin",
            "Least connections",
            "Simulated time (s)",
            "fast (2)",
            "slow (2)",
        ],
        ChartKind::Utilization => &[
            "Utilization per server over the run",
            "Utilization (% of time busy)",
            "Servers, by group",
            "fast (2)",
            "slow (2)",
            "fast",
            "slow",
            "Round robin",
            "Least connections",
        ],
        ChartKind::Goodput => &[
            "Goodput: offered requests, successes and attempts",
            "Per second",
            "Simulated time (s)",
            "Offered",
            "Round robin goodput",
            "Least connections attempts sent",
        ],
        ChartKind::Retries => &[
            "Timeouts, retries and throttled attempts",
            "Round robin timeouts",
            "Least connections retries",
        ],
        ChartKind::Amplification => &[
            "Amplification: attempts per request",
            "Attempts per request (×)",
            "Round robin attempts per request",
        ],
        // These runs have no contending clients.
        ChartKind::Timeline => &[
            "Every write, one row per client",
            "Conflict (retried)",
            "Success",
            "No contending clients in this run",
        ],
        // Nor breakers.
        ChartKind::Breakers => &[
            "Circuit breakers: open and half-open, one row per breaker",
            "Open (calls fail fast)",
            "Half-open (trial calls)",
            "No circuit breakers in this run",
        ],
        // A cache's lines, flat at 0 in a run without one.
        ChartKind::Cache => &[
            "Cache: requests answered vs backend work not avoided",
            "Round robin hit ratio",
            "Least connections backend work not avoided",
        ],
        ChartKind::Pool => &[
            "Where a query's time goes: waiting for a connection vs in the database",
            "Mean per query per 1 s bucket (log scale)",
            "Round robin time in the database",
            "Least connections wait for a connection",
        ],
    }
}

/// A small pooled run: threads, a pool of `size`, a database.
fn pooled(size: u32) -> brownout_sim::RunResult {
    let text = format!(
        "seed = 1\nduration_s = 20\n[traffic]\nclients = 200\nthink_ms = {{ dist = \"exponential\", mean = 100 }}\n\
         [pool]\nsize = {size}\n[database]\ncores = 2\ncpu_ms = {{ dist = \"exponential\", mean = 1 }}\n"
    );
    brownout_sim::simulate(
        &brownout_sim::parse(&text, brownout_sim::Format::Toml).expect("valid"),
        brownout_sim::Limits::default(),
    )
}

#[test]
fn the_pool_chart_splits_a_querys_time() {
    let run = pooled(4);
    let data = ChartData::single(&run, "");
    let summary = brownout_charts::summary_text(ChartKind::Pool, &data);
    assert!(
        summary.starts_with("The pool: 4 connections, "),
        "{summary}"
    );
    assert!(
        summary.contains(" in the database, which ran "),
        "{summary}"
    );
    let csv = brownout_charts::csv(ChartKind::Pool, &data);
    assert!(
        csv.starts_with("t_s,db_ms,pool_wait_ms\n"),
        "{}",
        &csv[..40]
    );
}

/// A small cached run: Zipf keys, an LRU cache, on `seed`.
fn cached(seed: u64) -> brownout_sim::RunResult {
    let text = format!(
        "seed = {seed}\nduration_s = 60\n[traffic]\nrate_rps = 100\n[[servers]]\ncount = 1\nworkers = 4\n\
         service_ms = {{ dist = \"exponential\", mean = 10 }}\n[keys]\ncount = 500\nzipf = 0.9\n[cache]\ncapacity = 50\n"
    );
    brownout_sim::simulate(
        &brownout_sim::parse(&text, brownout_sim::Format::Toml).expect("valid"),
        brownout_sim::Limits::default(),
    )
}

#[test]
fn the_cache_chart_says_what_the_cache_avoided() {
    let run = cached(1);
    let data = ChartData::single(&run, "");
    let summary = brownout_charts::summary_text(ChartKind::Cache, &data);
    assert!(summary.starts_with("The cache answered "), "{summary}");
    assert!(
        summary.contains("The keys that cost the backend most: key "),
        "{summary}"
    );
    let csv = brownout_charts::csv(ChartKind::Cache, &data);
    assert!(
        csv.starts_with("t_s,hit_ratio_pct,work_missed_pct\n"),
        "{}",
        &csv[..60]
    );
}

/// The 2015 metadata-service model with breakers, on `seed`.
fn dynamo(seed: u64) -> brownout_sim::RunResult {
    let text = include_str!("../../../../content/scenarios/dynamo-2015-breakers.toml");
    let mut s = brownout_sim::parse(text, brownout_sim::Format::Toml)
        .expect("valid")
        .scenario()
        .clone();
    s.seed = seed;
    brownout_sim::simulate(
        &s.validate().expect("valid"),
        brownout_sim::Limits::default(),
    )
}

#[test]
fn the_breakers_chart_fills_the_open_stretches_of_every_row() {
    let run = dynamo(1);
    let rows = &run.breakers.as_ref().expect("breakers").rows;
    let stays: usize = rows
        .iter()
        .flatten()
        .filter(|(_, s)| *s != brownout_sim::BreakerState::Closed)
        .count();
    let data = ChartData::single(&run, "");
    let doc = svg(
        ChartKind::Breakers,
        &data,
        &ChartOptions::default(),
        960,
        480,
    )
    .expect("draws");
    let rects = roxmltree::Document::parse(&doc)
        .expect("well-formed")
        .descendants()
        .filter(|n| n.has_tag_name("rect"))
        .count();
    assert!(
        rects >= stays,
        "{rects} rectangles for {stays} open or half-open stays"
    );
    let summary = brownout_charts::summary_text(ChartKind::Breakers, &data);
    assert!(summary.starts_with("300 breakers opened"), "{summary}");
    let csv = brownout_charts::csv(ChartKind::Breakers, &data);
    assert!(
        csv.starts_with("t_s,closed,open,half_open\n0,300,0,0\n"),
        "{}",
        &csv[..80]
    );
}

/// Twenty clients contending for one record, with `jitter`.
fn contending(jitter: &str) -> brownout_sim::RunResult {
    let text = format!(
        "seed = 3\nduration_s = 60\n[contention]\nclients = 20\n\
         [client]\nbackoff = {{ kind = \"exponential\", base_ms = 5, cap_ms = 2000, jitter = \"{jitter}\" }}\n"
    );
    let s = brownout_sim::parse(&text, brownout_sim::Format::Toml).expect("valid");
    brownout_sim::simulate(&s, brownout_sim::Limits::default())
}

#[test]
fn the_timeline_draws_one_mark_per_write_and_only_those_before_the_cursor() {
    let run = contending("full");
    let t = run
        .timeline
        .as_ref()
        .expect("a contention run has a timeline");
    let writes = run.summary.contention.as_ref().expect("totals").writes as usize;
    assert_eq!(t.t_s.len(), writes);
    assert_eq!(t.ok.iter().filter(|&&ok| ok).count(), 20);
    let data = ChartData::single(&run, "Full jitter");
    let circles = |opts: &ChartOptions| {
        let out = svg(ChartKind::Timeline, &data, opts, 800, 400).expect("draws");
        out.matches("<circle").count()
    };
    assert_eq!(circles(&ChartOptions::default()), writes);
    let mid = t.t_s[writes / 2];
    let early = ChartOptions {
        cursor_s: Some(mid),
        ..ChartOptions::default()
    };
    let before = t.t_s.iter().filter(|&&x| x <= mid).count();
    assert_eq!(circles(&early), before);
    let csv = brownout_charts::csv(ChartKind::Timeline, &data);
    assert_eq!(csv.lines().count(), writes + 1);
    assert!(csv.starts_with("client,t_s,ok\n"));
    let text = brownout_charts::summary_text(ChartKind::Timeline, &data);
    assert!(text.starts_with("20 clients made "), "{text}");
}

#[test]
fn a_rate_at_zero_throughout_is_left_out_beside_one_that_is_not() {
    // Contending clients retry conflicts but never time out or throttle.
    let run = contending("full");
    let legend = |run: &brownout_sim::RunResult| texts(&single(ChartKind::Retries, run, ""));
    let shown = legend(&run);
    assert!(shown.iter().any(|t| t == "Retries"), "{shown:?}");
    assert!(
        !shown.iter().any(|t| t == "Timeouts" || t == "Throttled"),
        "{shown:?}"
    );
    // With nothing to show at all, the legend still says what would be.
    let shown = legend(&tiny("round_robin"));
    for want in ["Timeouts", "Retries", "Throttled"] {
        assert!(shown.iter().any(|t| t == want), "{want}: {shown:?}");
    }
    // Elsewhere a zero is the news: nothing succeeded, goodput stays drawn.
    let text = "seed = 1\nduration_s = 20\n[traffic]\nrate_rps = 20\n[client]\nretries = 1\n\
                [[servers]]\ncount = 1\nworkers = 1\nservice_ms = { dist = \"constant\", value = 5 }\n\
                [[faults]]\ngroup = 0\nat_s = 0\nkind = \"errors\"\nprobability = 1.0\n";
    let failing = brownout_sim::simulate(
        &brownout_sim::parse(text, brownout_sim::Format::Toml).expect("valid"),
        brownout_sim::Limits::default(),
    );
    assert_eq!(failing.summary.logical.succeeded, 0);
    let shown = texts(&single(ChartKind::Goodput, &failing, ""));
    assert!(shown.iter().any(|t| t == "Goodput"), "{shown:?}");
}

#[test]
fn every_chart_in_compare_mode_has_its_title_axis_captions_and_legend() {
    let (a, b) = (tiny("round_robin"), tiny("least_connections"));
    let data = ChartData::compare(
        Run {
            result: &a,
            label: "Round robin",
        },
        Run {
            result: &b,
            label: "Least connections",
        },
    );
    for chart in ChartKind::ALL {
        let out = svg(chart, &data, &ChartOptions::default(), 800, 400).expect("draws");
        let texts = texts(&out);
        for want in expected(chart) {
            assert!(
                texts.iter().any(|t| t.starts_with(want)),
                "{}: no text {want:?} in {texts:?}",
                chart.name()
            );
        }
    }
}

#[test]
fn two_sides_offered_different_traffic_get_an_area_each_told_apart() {
    let retrying = "[client]\ntimeout_ms = 400\nretries = 2\n";
    let spike = "[[traffic.changes]]\nat_s = 5\nfor_s = 5\nrate_rps = 60\n";
    let (a, b) = (
        tiny_with("round_robin", retrying),
        tiny_with("round_robin", &format!("{spike}{retrying}")),
    );
    let run = |result, label| Run { result, label };
    for (chart, noun) in [
        (ChartKind::Throughput, "arrivals"),
        (ChartKind::Goodput, "offered"),
    ] {
        let out = |b| {
            let data = ChartData::compare(run(&a, "Steady"), run(b, "Spike"));
            svg(chart, &data, &ChartOptions::default(), 800, 400).expect("draws")
        };
        // The same traffic: one grey area, labelled once.
        let same = texts(&out(&a));
        let single = if noun == "arrivals" {
            "Arrivals"
        } else {
            "Offered"
        };
        assert!(same.contains(&single.to_string()), "{same:?}");
        assert!(!same.iter().any(|t| t.ends_with(noun)), "{same:?}");
        // Different traffic: each side labelled; A's is the grey area, B's a
        // dashed grey outline (two translucent areas blended into a colour
        // that matched neither swatch).
        let doc = out(&b);
        let texts = texts(&doc);
        for side in ["Steady", "Spike"] {
            let want = format!("{side} {noun}");
            assert!(
                texts.contains(&want),
                "{}: {want:?} in {texts:?}",
                chart.name()
            );
        }
        let grey_fills = |svg: &str| svg.matches("fill=\"#6E7681\"").count();
        assert_eq!(grey_fills(&out(&a)), 2, "the shared area and its swatch");
        assert_eq!(
            grey_fills(&doc),
            2,
            "A's area and its swatch: {}",
            chart.name()
        );
        // Drawn dash by dash: several grey strokes, none without it.
        let grey_strokes = |svg: &str| svg.matches("stroke=\"#6E7681\"").count();
        assert_eq!(grey_strokes(&out(&a)), 0);
        assert!(
            grey_strokes(&doc) > 3,
            "B's dashed outline: {}",
            chart.name()
        );
    }
}

#[test]
fn a_single_run_names_its_lines_without_a_label() {
    let a = tiny("round_robin");
    let texts = texts(&single(ChartKind::Latency, &a, "Round robin"));
    assert!(
        texts.contains(&"p99".to_string()) && texts.contains(&"p50".to_string()),
        "{texts:?}"
    );
    assert!(
        !texts.iter().any(|t| t.contains("Round robin")),
        "{texts:?}"
    );
}

#[test]
fn the_svg_changes_when_the_data_changes() {
    let (a, b) = (
        tiny_retrying("round_robin"),
        tiny_retrying("least_connections"),
    );
    let opts = ChartOptions::default();
    for chart in ChartKind::ALL {
        let (a, b) = match chart {
            // The timeline needs contending clients.
            ChartKind::Timeline => (&contending("full"), &contending("none")),
            // The breakers chart needs breakers.
            ChartKind::Breakers => (&dynamo(1), &dynamo(2)),
            // The cache chart needs a cache.
            ChartKind::Cache => (&cached(1), &cached(2)),
            // The pool chart needs a pool.
            ChartKind::Pool => (&pooled(4), &pooled(40)),
            _ => (&a, &b),
        };
        let one = svg(chart, &ChartData::single(a, ""), &opts, 800, 400).expect("draws");
        let same = svg(chart, &ChartData::single(a, ""), &opts, 800, 400).expect("draws");
        let other = svg(chart, &ChartData::single(b, ""), &opts, 800, 400).expect("draws");
        assert_eq!(one, same, "{}: drawing is deterministic", chart.name());
        assert_ne!(
            one,
            other,
            "{}: a different run draws differently",
            chart.name()
        );
    }
}

/// Polylines stroked in side A's colour at full opacity (the p99 line).
fn p99_pieces(svg: &str) -> usize {
    let doc = roxmltree::Document::parse(svg).expect("well-formed");
    doc.descendants()
        .filter(|n| {
            n.has_tag_name("polyline")
                && n.attribute("stroke") == Some("#0072B2")
                && n.attribute("opacity") == Some("1")
        })
        .count()
}

#[test]
fn an_empty_bucket_is_a_gap_not_a_zero() {
    let mut run = synthetic();
    run.series.p99_ms[1] = Some(500.0);
    run.series.p50_ms[1] = Some(50.0);
    let opts = ChartOptions::default();
    let whole = svg(
        ChartKind::Latency,
        &ChartData::single(&run, ""),
        &opts,
        800,
        400,
    )
    .expect("draws");
    let gapped = svg(
        ChartKind::Latency,
        &ChartData::single(&synthetic(), ""),
        &opts,
        800,
        400,
    )
    .expect("draws");
    // Legend swatch + one line, against legend swatch + a dot (the lone
    // first bucket is a circle) + the line after the gap.
    assert_eq!(p99_pieces(&whole), 2);
    assert_eq!(p99_pieces(&gapped), 2);
    assert!(
        gapped.contains("<circle"),
        "the lone bucket before the gap is a dot"
    );
    assert!(!whole.contains("<circle"));
}

#[test]
fn the_cursor_is_a_labelled_vertical_line() {
    let a = tiny("round_robin");
    let opts = ChartOptions {
        cursor_s: Some(5.0),
        ..ChartOptions::default()
    };
    for chart in [ChartKind::Latency, ChartKind::Throughput, ChartKind::Queues] {
        let out = svg(chart, &ChartData::single(&a, ""), &opts, 800, 400).expect("draws");
        assert!(
            texts(&out).contains(&"t = 5 s".to_string()),
            "{}",
            chart.name()
        );
    }
    let out = svg(
        ChartKind::Utilization,
        &ChartData::single(&a, ""),
        &opts,
        800,
        400,
    )
    .expect("draws");
    assert!(texts(&out).contains(&"Utilization per server at t = 5 s".to_string()));
}

#[test]
fn the_dark_theme_paints_a_dark_background_and_light_text() {
    let a = tiny("round_robin");
    let opts = ChartOptions {
        theme: Theme::Dark,
        ..ChartOptions::default()
    };
    let out = svg(
        ChartKind::Latency,
        &ChartData::single(&a, ""),
        &opts,
        800,
        400,
    )
    .expect("draws");
    assert!(out.contains(r##"fill="#16181D""##));
    assert!(out.contains(r##"fill="#E6EDF3""##));
}

#[test]
fn scale_two_doubles_the_font_size() {
    let a = tiny("round_robin");
    let size = |scale: f64| {
        let opts = ChartOptions {
            scale,
            ..ChartOptions::default()
        };
        let out = svg(
            ChartKind::Queues,
            &ChartData::single(&a, ""),
            &opts,
            1600,
            800,
        )
        .expect("draws");
        let doc = roxmltree::Document::parse(&out).expect("well-formed");
        let title = doc
            .descendants()
            .find(|n| n.has_tag_name("text"))
            .expect("a title");
        title
            .attribute("font-size")
            .and_then(|s| s.parse::<f64>().ok())
            .expect("a font size")
    };
    assert!((size(1.0) - 15.0).abs() < 0.01);
    assert!((size(2.0) - 30.0).abs() < 0.01);
}

#[test]
fn a_narrow_chart_uses_the_short_title() {
    let a = tiny("round_robin");
    let out = svg(
        ChartKind::Latency,
        &ChartData::single(&a, ""),
        &ChartOptions::default(),
        300,
        300,
    )
    .expect("draws");
    assert!(texts(&out).contains(&"Latency: p50 and p99".to_string()));
}
