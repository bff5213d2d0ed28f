//! The steps of `cargo xtask bench`: criterion here and in a baseline
//! worktree, the SimPy virtualenv and its scripts, and reading the results.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

use serde_json::Value;

use super::{BASELINE_DIR, BENCHES, Baseline, Native, QUICK};
use crate::{output, run as run_cmd};

/// Runs the criterion benchmarks of the workspace at `root`, echoing their
/// output and collecting the `brownout-model` lines, and reads the results.
pub(super) fn criterion_run(
    root: &Path,
    target: &Path,
    quick: bool,
) -> Result<Vec<Native>, String> {
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
        let (per_s, simulated) = criterion_result(&latest(target, id), started)?;
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
pub(super) fn run_teed(cmd: &mut Command) -> Result<Vec<(String, Value)>, String> {
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
pub(super) fn baseline_run(
    root: &Path,
    target: &Path,
    rev: &str,
    quick: bool,
) -> Result<Baseline, String> {
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
    let (per_s, simulated) = criterion_result(&latest(&own_target, "mm10"), started)?;
    Ok(Baseline {
        rev: rev.to_string(),
        commit,
        per_s,
        simulated,
        dir,
    })
}

/// One short criterion run of M/M/10 in the workspace at `root` with
/// target directory `target` (its output hidden): simulated requests per
/// second. For back-to-back comparisons of two trees.
pub(super) fn mm10_short(root: &Path, target: &Path) -> Result<f64, String> {
    let started = SystemTime::now();
    let mut bench = Command::new("cargo");
    bench
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target)
        .args([
            "bench",
            "-q",
            "-p",
            "brownout-sim",
            "--bench",
            "engine",
            "--",
        ])
        .args(["mm10", "--noplot"])
        .args(QUICK)
        .stdout(Stdio::null());
    run_cmd(&mut bench).map_err(|e| format!("bench: short mm10 run failed: {e}"))?;
    criterion_result(&latest(target, "mm10"), started).map(|(per_s, _)| per_s)
}

/// Where criterion writes the latest result of benchmark `id` of the
/// `engine` group under target directory `target`.
fn latest(target: &Path, id: &str) -> PathBuf {
    target.join("criterion").join("engine").join(id).join("new")
}

/// The workspace root and Cargo's target directory, from `cargo metadata`.
pub(super) fn workspace_dirs() -> Result<(PathBuf, PathBuf), String> {
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
pub(super) fn criterion_result(dir: &Path, started: SystemTime) -> Result<(f64, u64), String> {
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
pub(super) fn read_json(path: &Path, started: SystemTime) -> Result<Value, String> {
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
pub(super) fn ensure_venv(root: &Path, target: &Path) -> Result<PathBuf, String> {
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
pub(super) fn simpy_result(
    python: &Path,
    root: &Path,
    script: &str,
    reps: u32,
) -> Result<Value, String> {
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
