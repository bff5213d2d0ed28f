//! `brownout presets`: the built-in scenarios with what they show.

use std::fmt::Write as _;

/// Lists every preset with its description.
pub(crate) fn run() -> Result<String, String> {
    let mut out = String::new();
    for p in brownout_content::presets() {
        let _ = writeln!(out, "{:<28} {}", p.name, p.description());
    }
    Ok(out)
}
