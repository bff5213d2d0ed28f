//! `cargo xtask bench [--quick] [--baseline <git-rev>]`: Brownout's
//! simulated requests per second, natively and against SimPy on the same
//! models (M/M/10, and a retry storm), and optionally against the engine of
//! an older revision.
//!
//! ```text
//!  cargo bench (criterion) ──> <target>/criterion/engine/<id>/new/*.json ─┐
//!      its stdout: one `brownout-model <id> {json}` line per benchmark ───┤
//!  --baseline REV: git worktree <target>/bench-baseline at REV,           │
//!      cargo bench … -- mm10 there (its own target dir) ──────────────────┤
//!      then short mm10 runs, here and there alternately (4 rounds) ───────┤
//!  bench/simpy_mmc.py, bench/simpy_retry.py in <target>/bench-venv ───────┼─> table
//!      one JSON line each                       <target>/bench-results.json <─┘
//! ```
//!
//! `<target>` is Cargo's target directory (`CARGO_TARGET_DIR` included).
//! The SimPy version is pinned in `bench/requirements.txt`. A missed target
//! or a disagreement between the two engines' models is reported, not an
//! error; a step that fails is an error.

use serde_json::{Value, json};

mod steps;

use steps::{baseline_run, criterion_run, ensure_venv, mm10_short, simpy_result, workspace_dirs};

/// Criterion benchmarks of `crates/sim/benches/engine.rs`, group `engine`,
/// and what each counts as simulated.
const BENCHES: [(&str, &str); 3] = [
    ("mm10", "requests"),
    ("p2c100", "requests"),
    ("storm", "attempts"),
];
/// Brownout must simulate at least this many times more requests per second
/// than SimPy on M/M/10...
const TARGET_RATIO: f64 = 100.0;
/// ...at least this many times more attempts per second on the storm...
const TARGET_RATIO_STORM: f64 = 50.0;
/// ...at least this many simulated requests per second natively (on the
/// benchmarks that count requests)...
const TARGET_NATIVE_RPS: f64 = 5e6;
/// ...and, with `--baseline`, at least this share of the old engine's
/// requests per second on M/M/10 (within 10%).
const TARGET_BASELINE: f64 = 0.9;
/// Brownout and SimPy simulate the same storm if its amplification and
/// goodput differ by at most this share.
const AGREEMENT: f64 = 0.05;
/// Where `--baseline` checks out the old revision, under `<target>`.
const BASELINE_DIR: &str = "bench-baseline";
/// Criterion options of `--quick`.
const QUICK: [&str; 4] = ["--warm-up-time", "1", "--measurement-time", "3"];
const USAGE: &str = "usage: cargo xtask bench [--quick] [--baseline <git-rev>]";

/// What the command line asked for.
struct Options {
    quick: bool,
    baseline: Option<String>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Options {
            quick: false,
            baseline: None,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--quick" => options.quick = true,
                "--baseline" => {
                    let rev = args
                        .next()
                        .filter(|r| !r.starts_with("--"))
                        .ok_or(format!("bench: --baseline needs a git revision; {USAGE}"))?;
                    options.baseline = Some(rev.clone());
                }
                bad => return Err(format!("bench: unknown argument {bad:?}; {USAGE}")),
            }
        }
        Ok(options)
    }
}

/// One criterion benchmark's result.
struct Native {
    id: &'static str,
    /// What it counts: "requests" or "attempts".
    unit: &'static str,
    /// Simulated per wall-clock second.
    per_s: f64,
    /// Simulated per iteration.
    simulated: u64,
    /// The `brownout-model` line the benchmark printed, if any.
    model: Option<Value>,
}

/// The old engine's M/M/10 figure.
struct Baseline {
    rev: String,
    commit: String,
    per_s: f64,
    simulated: u64,
    /// Its worktree.
    dir: std::path::PathBuf,
}

/// Short M/M/10 runs of this tree and of the baseline, alternating, after
/// the long ones: a machine whose speed drifts over the minutes between
/// two long runs moves both sides of each pair alike.
const ROUNDS: usize = 4;

/// Runs the benchmarks, prints the table and writes `bench-results.json`.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let options = Options::parse(args)?;
    let quick = options.quick;
    let (root, target) = workspace_dirs()?;
    let steps = if options.baseline.is_some() { 3 } else { 2 };

    println!("== 1/{steps} criterion: cargo bench -p brownout-sim --bench engine");
    let native = criterion_run(&root, &target, quick)?;

    let baseline = match &options.baseline {
        Some(rev) => {
            println!("== 2/{steps} baseline: the engine at {rev}, cargo bench … -- mm10");
            Some(baseline_run(&root, &target, rev, quick)?)
        }
        None => None,
    };

    // Back to back: this tree, the baseline, ROUNDS times (one with --quick).
    let mut rounds = Vec::new();
    if let Some(b) = &baseline {
        let n = if quick { 1 } else { ROUNDS };
        println!("   then {n} short M/M/10 runs of each, alternating");
        let this_tree = || mm10_short(&root, &target);
        let the_baseline = || mm10_short(&b.dir, &b.dir.join("target"));
        for k in 1..=n {
            // Each tree goes first every other round, so that neither
            // always runs on a machine warmed (or throttled) by the other.
            let (new, old) = if k % 2 == 1 {
                let new = this_tree()?;
                (new, the_baseline()?)
            } else {
                let old = the_baseline()?;
                (this_tree()?, old)
            };
            println!(
                "   round {k}: {} against {} requests/s, {:.3}x",
                group(new),
                group(old),
                new / old
            );
            rounds.push(new / old);
        }
    }
    let alternating = median(&mut rounds.clone());

    println!("== {steps}/{steps} SimPy peers: bench/simpy_mmc.py, bench/simpy_retry.py");
    let python = ensure_venv(&root, &target)?;
    let simpy_mm10 = simpy_result(&python, &root, "simpy_mmc.py", if quick { 1 } else { 5 })?;
    let simpy_storm = simpy_result(&python, &root, "simpy_retry.py", if quick { 1 } else { 3 })?;

    let mm10 = find(&native, "mm10")?;
    let storm = find(&native, "storm")?;
    let storm_model = storm
        .model
        .as_ref()
        .ok_or("bench: the storm benchmark printed no `brownout-model storm` line")?;
    let simpy_rps = number(&simpy_mm10, "requests_per_s", "SimPy mm10")?;
    let simpy_aps = number(&simpy_storm, "attempts_per_s", "SimPy storm")?;
    let ratio = mm10.per_s / simpy_rps;
    let ratio_storm = storm.per_s / simpy_aps;
    let slowest = native
        .iter()
        .filter(|n| n.unit == "requests")
        .map(|n| n.per_s)
        .fold(f64::INFINITY, f64::min);
    let new_over_old = baseline.as_ref().map(|b| mm10.per_s / b.per_s);

    let short = if quick { " (--quick: short run)" } else { "" };
    println!("\nSimulated per second{short}");
    println!("  {:<28} {:>14} {:>10}", "", "per second", "simulated");
    for n in &native {
        row(&format!("Brownout {}", n.id), n.per_s, n.simulated, n.unit);
    }
    if let Some(b) = &baseline {
        let name = format!("Brownout at {} mm10", short_rev(b));
        row(&name, b.per_s, b.simulated, "requests");
    }
    let simpy_n = |v: &Value, key: &str| v[key].as_u64().unwrap_or_default();
    row(
        "SimPy mm10",
        simpy_rps,
        simpy_n(&simpy_mm10, "requests"),
        "requests",
    );
    row(
        "SimPy storm",
        simpy_aps,
        simpy_n(&simpy_storm, "attempts"),
        "attempts",
    );
    println!("  {:<28} {ratio:>13.1}x", "Brownout / SimPy, mm10");
    println!("  {:<28} {ratio_storm:>13.1}x", "Brownout / SimPy, storm");
    if let (Some(b), Some(r)) = (&baseline, new_over_old) {
        let name = format!("new / {}, mm10", short_rev(b));
        println!("  {name:<28} {r:>13.3}x");
    }
    if let (Some(b), Some(r)) = (&baseline, alternating) {
        let name = format!("  alternating, median of {}", rounds.len());
        println!("  {name:<28} {r:>13.3}x (against {})", short_rev(b));
    }

    let (mean, p99, theory) = (
        number(&simpy_mm10, "mean_latency_ms", "SimPy mm10")?,
        number(&simpy_mm10, "p99_latency_ms", "SimPy mm10")?,
        number(&simpy_mm10, "theory_mean_latency_ms", "SimPy mm10")?,
    );
    let off = 100.0 * (mean / theory - 1.0);
    println!(
        "SimPy mm10 latency: mean {mean:.1} ms (Erlang C: {theory:.1} ms, {off:+.1}%), p99 {p99:.1} ms"
    );

    println!("Storm model, Brownout vs SimPy:");
    let mut agreement = serde_json::Map::new();
    let mut agree = true;
    for (key, label, unit) in [
        (
            "amplification",
            "amplification",
            "attempts per logical request",
        ),
        (
            "goodput_rps",
            "goodput",
            "logical requests succeeded per second",
        ),
    ] {
        let b = number(storm_model, key, "Brownout storm")?;
        let s = number(&simpy_storm, key, "SimPy storm")?;
        let diff = relative(s, b);
        let ok = diff.abs() <= AGREEMENT;
        agree &= ok;
        let verdict = if ok { "agree" } else { "DISAGREE" };
        println!(
            "  {label:<18} {b:>10.3} vs {s:>10.3} ({:+.2}%, {verdict}) {unit}",
            100.0 * diff
        );
        agreement.insert(
            key.to_string(),
            json!({ "brownout": b, "simpy": s, "simpy_over_brownout_minus_1": diff, "agree": ok }),
        );
    }
    let count = |v: &Value, path: &[&str]| {
        path.iter()
            .fold(v, |v, k| &v[*k])
            .as_u64()
            .map_or("?".to_string(), |n| group(n as f64))
    };
    for (label, path) in [
        ("attempts", &["attempts"][..]),
        ("logical arrived", &["logical", "arrived"]),
        ("logical succeeded", &["logical", "succeeded"]),
        ("timeouts", &["timeouts"]),
        ("rejected", &["rejected"]),
    ] {
        println!(
            "  {label:<18} {:>10} vs {:>10}",
            count(storm_model, path),
            count(&simpy_storm, path)
        );
    }
    if !agree {
        println!(
            "  the two engines differ by more than {:.0}% on the storm: its models are not the same",
            100.0 * AGREEMENT
        );
    }

    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    let target_line = |label: String, ok: bool, got: String| {
        println!("  {label:<40} {} ({got})", verdict(ok));
    };
    let (ratio_ok, storm_ok, native_ok) = (
        ratio >= TARGET_RATIO,
        ratio_storm >= TARGET_RATIO_STORM,
        slowest >= TARGET_NATIVE_RPS,
    );
    println!("Targets:");
    target_line(
        format!(">= {TARGET_RATIO:.0}x SimPy on mm10:"),
        ratio_ok,
        format!("{ratio:.1}x"),
    );
    target_line(
        format!(">= {TARGET_RATIO_STORM:.0}x SimPy on the storm:"),
        storm_ok,
        format!("{ratio_storm:.1}x"),
    );
    target_line(
        format!(">= {} requests/s natively:", group(TARGET_NATIVE_RPS)),
        native_ok,
        format!("slowest: {}", group(slowest)),
    );
    // Judged on the alternating runs, the comparison least moved by drift.
    let judged = alternating.or(new_over_old);
    let baseline_ok = judged.map(|r| r >= TARGET_BASELINE);
    if let (Some(b), Some(r), Some(ok)) = (&baseline, judged, baseline_ok) {
        let within = 100.0 * (1.0 - TARGET_BASELINE);
        target_line(
            format!("mm10 within {within:.0}% of {}:", short_rev(b)),
            ok,
            format!("{:+.1}%, alternating runs", 100.0 * (r - 1.0)),
        );
    }

    let mut brownout = serde_json::Map::new();
    for n in &native {
        let mut entry = serde_json::Map::new();
        entry.insert(format!("{}_per_s", n.unit), json!(n.per_s));
        entry.insert(n.unit.to_string(), json!(n.simulated));
        if let Some(model) = &n.model {
            entry.insert("model".to_string(), model.clone());
        }
        brownout.insert(n.id.to_string(), Value::Object(entry));
    }
    let baseline_json = baseline.as_ref().map(|b| {
        json!({
            "rev": b.rev,
            "commit": b.commit,
            "mm10": { "requests_per_s": b.per_s, "requests": b.simulated },
            "new_over_old_mm10": new_over_old,
            "alternating_rounds": rounds,
            "alternating_median": alternating,
        })
    });
    let results = json!({
        "quick": quick,
        "brownout": brownout,
        "baseline": baseline_json,
        "simpy": { "mm10": simpy_mm10, "storm": simpy_storm },
        "ratio_mm10": ratio,
        "ratio_storm": ratio_storm,
        "storm_agreement": agreement,
        "targets": {
            "ratio": { "want": TARGET_RATIO, "met": ratio_ok },
            "ratio_storm": { "want": TARGET_RATIO_STORM, "met": storm_ok },
            "native_requests_per_s": { "want": TARGET_NATIVE_RPS, "met": native_ok },
            "baseline_mm10": { "want": TARGET_BASELINE, "met": baseline_ok },
            "storm_agreement": { "want": AGREEMENT, "met": agree },
        },
    });
    let path = target.join("bench-results.json");
    let text = serde_json::to_string_pretty(&results).map_err(|e| format!("bench: {e}"))?;
    std::fs::write(&path, text + "\n")
        .map_err(|e| format!("bench: cannot write {}: {e}", path.display()))?;
    println!("Figures written to {}", path.display());
    Ok(())
}

/// Prints one row of the table.
fn row(name: &str, per_s: f64, simulated: u64, unit: &str) {
    println!(
        "  {name:<28} {:>14} {:>10} {unit}",
        group(per_s),
        group(simulated as f64)
    );
}

/// The median of `xs` (the mean of the middle two for an even count);
/// `None` when empty.
fn median(xs: &mut [f64]) -> Option<f64> {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(xs[n / 2]),
        _ => Some((xs[n / 2 - 1] + xs[n / 2]) / 2.0),
    }
}

/// The benchmark `id` of `native`.
fn find<'a>(native: &'a [Native], id: &str) -> Result<&'a Native, String> {
    native
        .iter()
        .find(|n| n.id == id)
        .ok_or(format!("bench: no criterion result for {id}"))
}

/// The number `key` of a JSON object printed by `who`.
fn number(v: &Value, key: &str, who: &str) -> Result<f64, String> {
    v[key]
        .as_f64()
        .ok_or(format!("bench: {who} gave no number `{key}`"))
}

/// `a` relative to `b`: `a / b - 1` (0 when both are 0).
fn relative(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        if a == 0.0 { 0.0 } else { f64::INFINITY }
    } else {
        a / b - 1.0
    }
}

/// The revision as given, and its short commit when that differs.
fn short_rev(b: &Baseline) -> String {
    let short = &b.commit[..b.commit.len().min(9)];
    if b.rev.starts_with(short) {
        short.to_string()
    } else {
        format!("{} ({short})", b.rev)
    }
}

/// `1234567.8` as `1 234 568`: readable big figures.
fn group(x: f64) -> String {
    let digits = format!("{:.0}", x.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn the_median_of_odd_and_even_counts() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [0.9, 0.85, 0.88]), Some(0.88));
        assert_eq!(median(&mut [1.0, 0.5, 0.75, 0.25]), Some(0.625));
    }
}
