//! `cargo xtask serve | test | bench`: the project's two README commands
//! and its benchmark, with the set-up they need.
//!
//! Each command first installs what is missing (the wasm32 target,
//! wasm-bindgen-cli, Trunk, Chromium, npm packages) and skips what is
//! already present at the right version; see `toolchain.rs`.

mod bench;
mod toolchain;

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("test") => test(),
        Some("bench") => bench::run(&args[1..]),
        _ => Err("usage: cargo xtask <serve | test | bench>".to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Serves the main job on a fresh machine.
fn serve() -> Result<(), String> {
    run(Command::new("cargo").args(["run", "--release", "-p", "brownout-cli", "--", "run", "--preset", "round-robin-2am"]))
}

/// Runs every test: native, wasm32.
fn test() -> Result<(), String> {
    toolchain::ensure_wasm_target()?;
    toolchain::ensure_wasm_bindgen()?;
    run(Command::new("cargo").args(["test", "--workspace", "--all-targets"]))?;
    run(Command::new("cargo").args([
        "test",
        "-p",
        "brownout-sim",
        "--target",
        "wasm32-unknown-unknown",
        "--test",
        "wasm",
    ]))?;
    Ok(())
}

/// Runs a command, inheriting stdio; fails with its name if it fails.
pub(crate) fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{cmd:?} failed with {status}")) }
}

/// Runs a command and returns its standard output, or `None` if it cannot
/// run or fails.
pub(crate) fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
