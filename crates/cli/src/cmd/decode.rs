//! `brownout decode LINK`: the scenario a playground or embed link of the
//! site carries, as a TOML file. With no seed or knob values in the link it
//! is the text as written (comments kept); otherwise the scenario with them
//! applied, so `brownout run` of the file gives the link's numbers.

use clap::Args;

use brownout_content::link::state_of;
use brownout_content::playground::scenario_of_link;

/// Arguments of `brownout decode`.
#[derive(Debug, Args)]
pub(crate) struct DecodeArgs {
    /// A playground (`#/playground?s=…`) or embed (`#/embed/playground?s=…`)
    /// link, its hash, or the bare `s=` value. Quote it in the shell.
    link: String,
}

/// The TOML text of the link's scenario.
pub(crate) fn run(args: &DecodeArgs) -> Result<String, String> {
    // Validates the scenario and the link's settings, whichever is printed.
    let (shared, scenario) = scenario_of_link(&args.link)?;
    let knobs: Vec<&str> = shared.knobs.iter().map(|k| k.path()).collect();
    let mut out = format!(
        "# Decoded from a Brownout link; knobs: {}\n",
        if knobs.is_empty() {
            "none".to_string()
        } else {
            knobs.join(", ")
        }
    );
    if state_of(&args.link).is_empty() {
        out.push_str(&shared.toml);
        if !out.ends_with('\n') {
            out.push('\n');
        }
    } else {
        out.push_str("# (with the link's seed and knob values applied)\n");
        out.push_str(&scenario.scenario().to_toml());
    }
    Ok(out)
}
