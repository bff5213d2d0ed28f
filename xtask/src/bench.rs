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
//!  bench/simpy_mmc.py, bench/simpy_retry.py in <target>/bench-venv ───────┼─> table
//!      one JSON line each                       <target>/bench-results.json <─┘
//! ```
//!
//! `<target>` is Cargo's target directory (`CARGO_TARGET_DIR` included).
//! The SimPy version is pinned in `bench/requirements.txt`. A missed target
//! or a disagreement between the two engines' models is reported, not an
//! error; a step that fails is an error.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

use serde_json::{Value, json};

use crate::{output, run as run_cmd};

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
}

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
    let baseline_ok = new_over_old.map(|r| r >= TARGET_BASELINE);
    if let (Some(b), Some(r), Some(ok)) = (&baseline, new_over_old, baseline_ok) {
        let within = 100.0 * (1.0 - TARGET_BASELINE);
        target_line(
            format!("mm10 within {within:.0}% of {}:", short_rev(b)),
            ok,
            format!("{:+.1}%", 100.0 * (r - 1.0)),
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

/// Runs the criterion benchmarks of the workspace at `root`, echoing their
/// output and collecting the `brownout-model` lines, and reads the results.
fn criterion_run(root: &Path, target: &Path, quick: bool) -> Result<Vec<Native>, String> {
    let started = SystemTime::now();
    let mut bench = Command::new("cargo");
    bench
        .current_dir(root)
        .args(["bench", "-p", "brownout-sim", "--bench", "engine"]);
    if quick {
        bench.arg("--").args(QUICK);
    }
    let models = run_teed(&mut bench).map_err(|e| format!("bench: criterion run failed: {e}"))?;
    let mut native = Vec::new();
    for (id, unit) in BENCHES {
        let dir = target.join("criterion").join("engine").join(id).join("new");
        let (per_s, simulated) = criterion_result(&dir, started)?;
        let model = models
            .iter()
            .find(|(name, _)| name == id)
            .map(|(_, v)| v.clone());
        native.push(Native {
            id,
            unit,
            per_s,
            simulated,
            model,
        });
    }
    Ok(native)
}

/// Runs a command with stderr inherited and stdout echoed line by line;
/// returns the `brownout-model <id> {json}` lines it printed.
fn run_teed(cmd: &mut Command) -> Result<Vec<(String, Value)>, String> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    let mut models = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|e| format!("cannot read the output of {cmd:?}: {e}"))?;
            println!("{line}");
            if let Some((id, text)) = line
                .strip_prefix("brownout-model ")
                .and_then(|rest| rest.split_once(' '))
            {
                let value = serde_json::from_str(text)
                    .map_err(|e| format!("`brownout-model {id}` is not followed by JSON: {e}"))?;
                models.push((id.to_string(), value));
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("cannot wait for {cmd:?}: {e}"))?;
    if status.success() {
        Ok(models)
    } else {
        Err(format!("{cmd:?} failed with {status}"))
    }
}

/// Benchmarks M/M/10 on the engine at `rev`: a git worktree of it at
/// `<target>/bench-baseline` (reused if it is already at that commit, moved
/// there if not), benched with its own target directory inside it.
fn baseline_run(root: &Path, target: &Path, rev: &str, quick: bool) -> Result<Baseline, String> {
    let commit = output(
        Command::new("git")
            .current_dir(root)
            .args(["rev-parse", "--verify", "--quiet"])
            .arg(format!("{rev}^{{commit}}")),
    )
    .map(|s| s.trim().to_string())
    .filter(|s| !s.is_empty())
    .ok_or(format!(
        "bench: --baseline {rev:?} is not a commit of this repository"
    ))?;
    let dir = target.join(BASELINE_DIR);
    let shown = dir.display();
    if dir.join(".git").exists() {
        let have = output(
            Command::new("git")
                .current_dir(&dir)
                .args(["rev-parse", "HEAD"]),
        )
        .map(|s| s.trim().to_string())
        .ok_or(format!(
            "bench: {shown} is not a usable git worktree; remove it and rerun"
        ))?;
        if have == commit {
            println!("reusing the worktree {shown} at {commit}");
        } else {
            run_cmd(
                Command::new("git")
                    .current_dir(&dir)
                    .args(["checkout", "--quiet", "--detach", &commit]),
            )
            .map_err(|e| format!("bench: cannot move {shown} to {commit}: {e}"))?;
        }
    } else {
        // Forget a worktree whose directory was deleted, so `add` may reuse the path.
        run_cmd(
            Command::new("git")
                .current_dir(root)
                .args(["worktree", "prune"]),
        )
        .map_err(|e| format!("bench: {e}"))?;
        run_cmd(
            Command::new("git")
                .current_dir(root)
                .args(["worktree", "add", "--detach"])
                .arg(&dir)
                .arg(&commit),
        )
        .map_err(|e| format!("bench: cannot make a worktree of {rev} at {shown}: {e}"))?;
    }

    let own_target = dir.join("target");
    let started = SystemTime::now();
    let mut bench = Command::new("cargo");
    bench
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &own_target)
        .args([
            "bench",
            "-p",
            "brownout-sim",
            "--bench",
            "engine",
            "--",
            "mm10",
        ]);
    if quick {
        bench.args(QUICK);
    }
    run_cmd(&mut bench).map_err(|e| format!("bench: baseline criterion run failed: {e}"))?;
    let result = own_target
        .join("criterion")
        .join("engine")
        .join("mm10")
        .join("new");
    let (per_s, simulated) = criterion_result(&result, started)?;
    Ok(Baseline {
        rev: rev.to_string(),
        commit,
        per_s,
        simulated,
    })
}

/// The workspace root and Cargo's target directory, from `cargo metadata`.
fn workspace_dirs() -> Result<(PathBuf, PathBuf), String> {
    let text =
        output(Command::new("cargo").args(["metadata", "--format-version", "1", "--no-deps"]))
            .ok_or("bench: `cargo metadata` failed")?;
    let meta: Value =
        serde_json::from_str(&text).map_err(|e| format!("bench: cargo metadata: {e}"))?;
    let dir = |key: &str| {
        meta[key]
            .as_str()
            .map(PathBuf::from)
            .ok_or(format!("bench: cargo metadata has no {key}"))
    };
    Ok((dir("workspace_root")?, dir("target_directory")?))
}

/// Simulated requests (or attempts) per second and per iteration of one
/// criterion benchmark, from the files of a run that ended after `started`.
fn criterion_result(dir: &Path, started: SystemTime) -> Result<(f64, u64), String> {
    let estimates = read_json(&dir.join("estimates.json"), started)?;
    let benchmark = read_json(&dir.join("benchmark.json"), started)?;
    let what = dir.display();
    let mean_ns = estimates["mean"]["point_estimate"]
        .as_f64()
        .filter(|ns| *ns > 0.0)
        .ok_or(format!(
            "bench: no positive mean.point_estimate in {what}/estimates.json"
        ))?;
    let simulated = benchmark["throughput"]["Elements"].as_u64().ok_or(format!(
        "bench: no throughput.Elements in {what}/benchmark.json"
    ))?;
    Ok((simulated as f64 / (mean_ns * 1e-9), simulated))
}

/// Parses a JSON file that must have been written after `started`.
fn read_json(path: &Path, started: SystemTime) -> Result<Value, String> {
    let shown = path.display();
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map_err(|e| format!("bench: cannot read {shown}: {e}"))?;
    if modified < started {
        return Err(format!(
            "bench: {shown} is stale: criterion did not rewrite it"
        ));
    }
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("bench: cannot read {shown}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("bench: {shown}: {e}"))
}

/// A virtualenv at `<target>/bench-venv` holding the SimPy version pinned in
/// `bench/requirements.txt`; returns its Python.
fn ensure_venv(root: &Path, target: &Path) -> Result<PathBuf, String> {
    let requirements = root.join("bench").join("requirements.txt");
    let pinned = std::fs::read_to_string(&requirements)
        .map_err(|e| format!("bench: cannot read {}: {e}", requirements.display()))?;
    let want = pinned
        .lines()
        .find_map(|l| l.trim().strip_prefix("simpy=="))
        .ok_or(format!(
            "bench: no `simpy==<version>` line in {}",
            requirements.display()
        ))?;
    let venv = target.join("bench-venv");
    let python = if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    };
    let have = output(Command::new(&python).args([
        "-c",
        "import importlib.metadata as m; print(m.version('simpy'))",
    ]));
    if have.as_deref().map(str::trim) == Some(want) {
        return Ok(python);
    }
    if !python.exists() {
        run_cmd(Command::new("python3").arg("-m").arg("venv").arg(&venv))
            .map_err(|e| format!("bench: cannot create the SimPy virtualenv: {e}"))?;
    }
    run_cmd(
        Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "-r"])
            .arg(&requirements),
    )
    .map_err(|e| format!("bench: cannot install simpy=={want}: {e}"))?;
    Ok(python)
}

/// Runs the SimPy peer `bench/<script>` `reps` times (progress on stderr)
/// and parses its JSON line.
fn simpy_result(python: &Path, root: &Path, script: &str, reps: u32) -> Result<Value, String> {
    let path = root.join("bench").join(script);
    let out = Command::new(python)
        .arg(&path)
        .args(["--reps", &reps.to_string()])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("bench: cannot start {}: {e}", path.display()))?;
    if !out.status.success() {
        return Err(format!("bench: {script} failed with {}", out.status));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(line)
        .map_err(|e| format!("bench: {script} printed {line:?}, not JSON: {e}"))
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
