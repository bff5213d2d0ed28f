//! `cargo xtask bench [--quick]`: Brownout's simulated requests per second,
//! natively and against SimPy on the same M/M/10 model.
//!
//! ```text
//!  cargo bench (criterion) ──> <target>/criterion/engine/<id>/new/*.json ─┐
//!  bench/simpy_mmc.py in <target>/bench-venv ──> one JSON line ───────────┼─> table
//!                                                   <target>/bench-results.json <─┘
//! ```
//!
//! `<target>` is Cargo's target directory (`CARGO_TARGET_DIR` included).
//! The SimPy version is pinned in `bench/requirements.txt`. A missed target
//! is reported, not an error; a step that fails is an error.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

use serde_json::{Value, json};

use crate::{output, run as run_cmd};

/// Criterion benchmarks of `crates/sim/benches/engine.rs`, group `engine`.
const BENCHES: [&str; 2] = ["mm10", "p2c100"];
/// Brownout must simulate at least this many times more requests per second
/// than SimPy on M/M/10...
const TARGET_RATIO: f64 = 100.0;
/// ...and at least this many simulated requests per second natively.
const TARGET_NATIVE_RPS: f64 = 5e6;

/// Runs the benchmarks, prints the table and writes `bench-results.json`.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    if let Some(bad) = args.iter().find(|a| *a != "--quick") {
        return Err(format!(
            "bench: unknown argument {bad:?}; usage: cargo xtask bench [--quick]"
        ));
    }
    let quick = !args.is_empty();
    let (root, target) = workspace_dirs()?;

    println!("== 1/2 criterion: cargo bench -p brownout-sim --bench engine");
    let started = SystemTime::now();
    let mut bench = Command::new("cargo");
    bench
        .current_dir(&root)
        .args(["bench", "-p", "brownout-sim", "--bench", "engine"]);
    if quick {
        bench.args(["--", "--warm-up-time", "1", "--measurement-time", "3"]);
    }
    run_cmd(&mut bench).map_err(|e| format!("bench: criterion run failed: {e}"))?;
    let mut native = Vec::new();
    for id in BENCHES {
        let dir = target.join("criterion").join("engine").join(id).join("new");
        native.push((id, criterion_result(&dir, started)?));
    }

    println!("== 2/2 SimPy peer: bench/simpy_mmc.py");
    let python = ensure_venv(&root, &target)?;
    let simpy = simpy_result(&python, &root, quick)?;

    let field = |key: &str| {
        simpy[key]
            .as_f64()
            .ok_or(format!("bench: SimPy peer printed no number `{key}`"))
    };
    let (simpy_rps, simpy_requests) = (field("requests_per_s")?, field("requests")?);
    let (mean, p99, theory) = (
        field("mean_latency_ms")?,
        field("p99_latency_ms")?,
        field("theory_mean_latency_ms")?,
    );
    let ratio = native[0].1.0 / simpy_rps;
    let slowest = native.iter().map(|n| n.1.0).fold(f64::INFINITY, f64::min);
    let (ratio_ok, native_ok) = (ratio >= TARGET_RATIO, slowest >= TARGET_NATIVE_RPS);
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };

    let short = if quick { " (--quick: short run)" } else { "" };
    println!("\nSimulated requests per second{short}");
    println!("  {:<24} {:>14} {:>10}", "", "requests/s", "requests");
    for (id, (rps, requests)) in &native {
        let name = format!("Brownout {id}");
        println!("  {name:<24} {:>14} {requests:>10}", group(*rps));
    }
    println!(
        "  {:<24} {:>14} {simpy_requests:>10}",
        "SimPy mm10",
        group(simpy_rps)
    );
    println!("  {:<24} {ratio:>13.1}x", "Brownout / SimPy, mm10");
    let off = 100.0 * (mean / theory - 1.0);
    println!(
        "SimPy mm10 latency: mean {mean:.1} ms (Erlang C: {theory:.1} ms, {off:+.1}%), p99 {p99:.1} ms"
    );
    println!("Targets:");
    let (want, ok) = (TARGET_RATIO, verdict(ratio_ok));
    println!(
        "  {:<36} {ok} ({ratio:.1}x)",
        format!(">= {want:.0}x SimPy on mm10:")
    );
    let (want, ok) = (group(TARGET_NATIVE_RPS), verdict(native_ok));
    let label = format!(">= {want} requests/s natively:");
    println!("  {label:<36} {ok} (slowest: {})", group(slowest));

    let mut brownout = serde_json::Map::new();
    for (id, (rps, n)) in &native {
        brownout.insert(
            id.to_string(),
            json!({ "requests_per_s": rps, "requests": n }),
        );
    }
    let results = json!({
        "quick": quick,
        "brownout": brownout,
        "simpy": simpy,
        "ratio_mm10": ratio,
        "targets": {
            "ratio": { "want": TARGET_RATIO, "met": ratio_ok },
            "native_requests_per_s": { "want": TARGET_NATIVE_RPS, "met": native_ok },
        },
    });
    let path = target.join("bench-results.json");
    let text = serde_json::to_string_pretty(&results).map_err(|e| format!("bench: {e}"))?;
    std::fs::write(&path, text + "\n")
        .map_err(|e| format!("bench: cannot write {}: {e}", path.display()))?;
    println!("Figures written to {}", path.display());
    Ok(())
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

/// Simulated requests per second and requests per iteration of one
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
    let requests = benchmark["throughput"]["Elements"].as_u64().ok_or(format!(
        "bench: no throughput.Elements in {what}/benchmark.json"
    ))?;
    Ok((requests as f64 / (mean_ns * 1e-9), requests))
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

/// Runs the SimPy peer (progress on stderr) and parses its JSON line.
fn simpy_result(python: &Path, root: &Path, quick: bool) -> Result<Value, String> {
    let script = root.join("bench").join("simpy_mmc.py");
    let out = Command::new(python)
        .arg(&script)
        .args(["--reps", if quick { "1" } else { "5" }])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("bench: cannot start {}: {e}", script.display()))?;
    if !out.status.success() {
        return Err(format!("bench: SimPy peer failed with {}", out.status));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(line)
        .map_err(|e| format!("bench: SimPy peer printed {line:?}, not JSON: {e}"))
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
