//! `cargo xtask serve | test | bench`: the project's two README commands
//! and its benchmark, with the set-up they need.
//!
//! Each command first installs what is missing (the wasm32 target,
//! wasm-bindgen-cli, Trunk, Chromium, npm packages) and skips what is
//! already present at the right version; see `toolchain.rs`.

mod bench;
mod post_build;
mod toolchain;

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("test") => test(),
        Some("bench") => bench::run(&args[1..]),
        Some("post-build") => post_build::run(),
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

/// Installs what building the site needs.
fn ensure_site_toolchain() -> Result<(), String> {
    toolchain::ensure_wasm_target()?;
    toolchain::ensure_wasm_bindgen()?;
    toolchain::ensure_trunk()?;
    toolchain::ensure_npm_packages()
}

/// Serves the site on http://127.0.0.1:8080, rebuilding on changes.
fn serve() -> Result<(), String> {
    ensure_site_toolchain()?;
    run(Command::new("trunk")
        .args(["serve", "--release"])
        .env("PATH", toolchain::path_with_npm_bin()))
}

/// Runs every test: native, wasm32 (Node and headless Chromium), and the
/// end-to-end tests against the release build of the site.
fn test() -> Result<(), String> {
    ensure_site_toolchain()?;
    toolchain::ensure_chromium()?;
    run(Command::new("cargo").args(["test", "--workspace", "--all-targets"]))?;
    // The engine in wasm32 gives the native bits (under Node).
    run(Command::new("cargo").args([
        "test",
        "-p",
        "brownout-sim",
        "--target",
        "wasm32-unknown-unknown",
        "--test",
        "wasm",
    ]))?;
    // Components in headless Chromium.
    run(Command::new("cargo")
        .args([
            "test",
            "-p",
            "brownout-web",
            "--target",
            "wasm32-unknown-unknown",
            "--test",
            "components",
        ])
        .env("CHROMEDRIVER", toolchain::CHROMEDRIVER)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120"))?;
    run(Command::new("trunk")
        .args(["build", "--release"])
        .env("PATH", toolchain::path_with_npm_bin()))?;
    run(Command::new("node")
        .args(["--test", "--test-concurrency=1", "tests/e2e/"])
        .env("BROWNOUT_DIST", "dist"))
}

/// Runs a command, inheriting stdio; fails with its name if it fails.
pub(crate) fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed with {status}"))
    }
}

/// Runs a command and returns its standard output, or `None` if it cannot
/// run or fails.
pub(crate) fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
