//! Where a scenario comes from: a file (TOML or JSON), a preset, or a
//! playground or embed link of the site.

use std::path::PathBuf;

use brownout_sim::{Format, ValidScenario, parse};
use clap::Args;

/// A scenario file or a preset name.
#[derive(Debug, Args)]
pub(crate) struct Source {
    /// Scenario file, TOML (or JSON when it ends in .json or opens with `{`).
    #[arg(required_unless_present_any = ["preset", "url"], conflicts_with_all = ["preset", "url"])]
    pub(crate) file: Option<PathBuf>,
    /// Run a built-in preset instead of a file (see `brownout presets`).
    #[arg(long, conflicts_with = "url")]
    pub(crate) preset: Option<String>,
    /// Run the scenario of a playground or embed link of the site (its
    /// `s=` carries the scenario; its seed and knob values are applied).
    #[arg(long, value_name = "LINK")]
    pub(crate) url: Option<String>,
    /// Override the scenario's seed.
    #[arg(long)]
    pub(crate) seed: Option<u64>,
    /// Override any field: `--set client.retries=3`, `--set balancer.policy=random`,
    /// `--set 'client.backoff={ kind = "exponential", base_ms = 50 }'` (a TOML value;
    /// a bare word is a string). Repeatable; applied in order after --seed.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub(crate) sets: Vec<String>,
}

/// Splits `PATH=VALUE` and reads the value as TOML (a bare word is a string).
pub(crate) fn parse_set(arg: &str) -> Result<(String, serde_json::Value), String> {
    let (path, text) = arg
        .split_once('=')
        .ok_or_else(|| format!("--set {arg}: expected PATH=VALUE, e.g. client.retries=3"))?;
    let path = path.trim();
    let text = text.trim();
    let value = match toml::from_str::<toml::Table>(&format!("v = {text}")) {
        Ok(mut t) => serde_json::to_value(t.remove("v")).map_err(|e| e.to_string())?,
        Err(_) => serde_json::Value::String(text.to_string()),
    };
    Ok((path.to_string(), value))
}

/// `scenario` with each `PATH=VALUE` of `sets` applied in order.
pub(crate) fn apply_sets(
    scenario: ValidScenario,
    sets: &[String],
) -> Result<ValidScenario, String> {
    let mut s = scenario;
    for arg in sets {
        let (path, value) = parse_set(arg)?;
        s = s
            .scenario()
            .with_value(&path, value)
            .map_err(|e| format!("--set {arg}: {e}"))?;
    }
    Ok(s)
}

impl Source {
    /// Reads and validates the scenario, with the seed override applied.
    pub(crate) fn load(&self) -> Result<ValidScenario, String> {
        let scenario = match (&self.file, &self.preset, &self.url) {
            (_, _, Some(link)) => {
                brownout_content::playground::scenario_of_link(link)
                    .map_err(|e| format!("--url: {e}"))?
                    .1
            }
            (Some(path), _, _) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                let format = if path.extension().is_some_and(|e| e == "json") {
                    Format::Json
                } else {
                    Format::sniff(&text)
                };
                parse(&text, format).map_err(|e| format!("{}: {e}", path.display()))?
            }
            (None, Some(name), None) => {
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
            (None, None, None) => {
                return Err("give a scenario file, --preset NAME or --url LINK".to_string());
            }
        };
        let scenario = match self.seed {
            None => scenario,
            Some(seed) => {
                let mut s = scenario.scenario().clone();
                s.seed = seed;
                s.validate().map_err(|e| e.to_string())?
            }
        };
        apply_sets(scenario, &self.sets)
    }
}
