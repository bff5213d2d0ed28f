//! Installs what the commands need, skipping what is already there at the
//! right version (versions: ../shared/TOOLCHAIN.md).

use std::process::Command;

use crate::{output, run};

/// The wasm32 target of the machine's Rust toolchain.
pub(crate) fn ensure_wasm_target() -> Result<(), String> {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// wasm-bindgen-cli at exactly the version of `wasm-bindgen` in Cargo.lock.
pub(crate) fn ensure_wasm_bindgen() -> Result<(), String> {
    let want = locked_version("wasm-bindgen")?;
    let have = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(want.as_str()) {
        return Ok(());
    }
    // Without --locked: its lock file pins a crate the registry lacks.
    run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &want]))
}

/// The version of `package` that Cargo.lock resolved.
pub(crate) fn locked_version(package: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string("Cargo.lock").map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{package}\"")
            && let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_string());
        }
    }
    Err(format!("{package} is not in Cargo.lock"))
}

/// The Trunk version that installs offline with this rustc (TOOLCHAIN.md).
const TRUNK: &str = "0.21.14";

/// Trunk, built from crates.io when missing or of another version
/// (about 12 minutes on two cores, once per machine).
pub(crate) fn ensure_trunk() -> Result<(), String> {
    let have = output(Command::new("trunk").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(TRUNK) {
        return Ok(());
    }
    eprintln!("xtask: installing trunk {TRUNK} (about 12 minutes, once)");
    run(Command::new("cargo").args(["install", "trunk", "--version", TRUNK, "--locked"]))
}

/// The npm packages of package-lock.json (wasm-opt, Playwright, axe-core),
/// installed when node_modules is missing or older than the lock file.
pub(crate) fn ensure_npm_packages() -> Result<(), String> {
    let modified = |p: &str| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let fresh = match (
        modified("node_modules/.package-lock.json"),
        modified("package-lock.json"),
    ) {
        (Some(installed), Some(lock)) => installed >= lock,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]))
}

/// Debian's Chromium and ChromeDriver, for the browser tests.
pub(crate) fn ensure_chromium() -> Result<(), String> {
    let present = |p: &str| std::path::Path::new(p).exists();
    if present(CHROMIUM) && present(CHROMEDRIVER) {
        return Ok(());
    }
    run(Command::new("apt-get").arg("update"))?;
    run(Command::new("apt-get").args(["install", "-y", "chromium", "chromium-driver"]))
}

/// Where Debian puts Chromium.
pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";
/// Where Debian puts ChromeDriver.
pub(crate) const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// PATH with the npm binaries (wasm-opt) first, for Trunk.
pub(crate) fn path_with_npm_bin() -> String {
    let bin = std::env::current_dir()
        .map(|d| d.join("node_modules/.bin"))
        .unwrap_or_default();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}
