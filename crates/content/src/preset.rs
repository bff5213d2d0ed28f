//! Preset scenarios: the TOML files of `content/scenarios/`, by file name.

use brownout_sim::{Format, ScenarioError, ValidScenario, parse};

use crate::embedded::{PRESET_FILES, PRESET_TEXTS};

/// A built-in scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// File stem, e.g. `round-robin-2am`.
    pub name: &'static str,
    /// The scenario as JSON (converted from its TOML file at build time).
    pub json: &'static str,
    /// Its place in `PRESET_FILES` and `PRESET_TEXTS`.
    index: usize,
}

impl Preset {
    /// The TOML text of the file. (Kept apart from the JSON, so that the
    /// site, which reads only the JSON, does not ship the text too.)
    pub fn text(&self) -> &'static str {
        PRESET_TEXTS.get(self.index).copied().unwrap_or_default()
    }

    /// The first comment lines of the file, joined: what the preset shows.
    pub fn description(&self) -> String {
        self.text()
            .lines()
            .take_while(|l| l.starts_with('#'))
            .map(|l| l.trim_start_matches('#').trim())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The preset parsed and validated (from its JSON form, so this needs
    /// no TOML parser).
    pub fn scenario(&self) -> Result<ValidScenario, ScenarioError> {
        parse(self.json, Format::Json)
    }
}

/// Every preset, sorted by name.
pub fn presets() -> impl Iterator<Item = Preset> {
    PRESET_FILES
        .iter()
        .enumerate()
        .map(|(index, &(name, json))| Preset { name, json, index })
}

/// The preset called `name`.
pub fn preset(name: &str) -> Option<Preset> {
    presets().find(|p| p.name == name)
}

/// The names of every preset, comma-separated, for error messages.
pub fn preset_names() -> String {
    presets().map(|p| p.name).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_a_valid_scenario_with_a_description() {
        let mut n = 0;
        for p in presets() {
            p.scenario()
                .unwrap_or_else(|e| panic!("preset {}: {e}", p.name));
            assert!(
                !p.description().is_empty(),
                "preset {} needs a leading # comment",
                p.name
            );
            n += 1;
        }
        assert!(n >= 3, "only {n} presets");
    }

    #[cfg(feature = "toml")]
    #[test]
    fn every_preset_text_is_its_json() {
        for p in presets() {
            let from_text = brownout_sim::parse(p.text(), Format::Toml)
                .unwrap_or_else(|e| panic!("preset {}: {e}", p.name));
            assert_eq!(
                Ok(from_text.scenario()),
                p.scenario().as_ref().map(|s| s.scenario()),
                "{}",
                p.name
            );
        }
    }

    #[test]
    fn an_unknown_preset_is_none() {
        assert!(preset("no-such-preset").is_none());
    }
}
