//! Where a scenario comes from: a file (TOML or JSON) or a preset.

use std::path::PathBuf;

use brownout_sim::{Format, ValidScenario, parse};
use clap::Args;

/// A scenario file or a preset name.
#[derive(Debug, Args)]
pub(crate) struct Source {
    /// Scenario file, TOML (or JSON when it ends in .json or opens with `{`).
    #[arg(required_unless_present = "preset", conflicts_with = "preset")]
    pub(crate) file: Option<PathBuf>,
    /// Run a built-in preset instead of a file (see `brownout presets`).
    #[arg(long)]
    pub(crate) preset: Option<String>,
    /// Override the scenario's seed.
    #[arg(long)]
    pub(crate) seed: Option<u64>,
}

impl Source {
    /// Reads and validates the scenario, with the seed override applied.
    pub(crate) fn load(&self) -> Result<ValidScenario, String> {
        let scenario = match (&self.file, &self.preset) {
            (Some(path), _) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                let format = if path.extension().is_some_and(|e| e == "json") {
                    Format::Json
                } else {
                    Format::sniff(&text)
                };
                parse(&text, format).map_err(|e| format!("{}: {e}", path.display()))?
            }
            (None, Some(name)) => {
                let preset = brownout_content::preset(name).ok_or_else(|| {
                    format!(
                        "no preset \"{name}\"; presets are: {}",
                        brownout_content::preset::preset_names()
                    )
                })?;
                preset
                    .scenario()
                    .map_err(|e| format!("preset {name}: {e}"))?
            }
            (None, None) => return Err("give a scenario file or --preset NAME".to_string()),
        };
        match self.seed {
            None => Ok(scenario),
            Some(seed) => {
                let mut s = scenario.scenario().clone();
                s.seed = seed;
                s.validate().map_err(|e| e.to_string())
            }
        }
    }
}
