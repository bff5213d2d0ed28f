//! `cargo xtask bench`: criterion benchmarks and the SimPy peer.

/// Runs the benchmarks.
pub(crate) fn run(_args: &[String]) -> Result<(), String> {
    Err("bench: not written yet".to_string())
}
