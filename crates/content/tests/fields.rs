//! Every field of every preset is described for people: a label, and a unit
//! for numbers, from the field table beside the scenario format
//! (`brownout_sim::scenario::fields`), so any field can become a knob.

use brownout_content::playground::leaves;
use brownout_content::{preset, preset::preset_names};
use brownout_sim::scenario::{FieldKind, STRUCTURAL};

/// Labels change case ASCII-only (the site ships no Unicode case tables):
/// true when that is the same as Unicode's case change.
fn ascii_case(text: &str) -> bool {
    text.to_lowercase() == text.to_ascii_lowercase()
        && text.to_uppercase() == text.to_ascii_uppercase()
}

#[test]
fn every_field_of_every_preset_has_a_label_and_numbers_have_a_unit() {
    let mut missing = Vec::new();
    let names = preset_names();
    let names: Vec<&str> = names.split(", ").collect();
    assert!(names.len() >= 8, "{names:?}");
    for name in names {
        let s = preset(name).expect("preset").scenario().expect("valid");
        let s = s.scenario();
        let json = serde_json::to_value(s).expect("json");
        for (path, value) in leaves(&json) {
            let leaf = path.rsplit('.').next().unwrap_or_default();
            let leaf = leaf.split('[').next().unwrap_or_default();
            if STRUCTURAL.contains(&leaf) {
                continue;
            }
            match s.field_info(&path) {
                None => missing.push(format!("{name}: {path} has no label")),
                Some(info) => {
                    let choices = match &info.kind {
                        FieldKind::Choice(c) => c.iter().map(|(_, l)| *l).collect(),
                        _ => Vec::new(),
                    };
                    for text in choices
                        .into_iter()
                        .chain([info.label.as_str(), info.unit()])
                    {
                        if !ascii_case(text) {
                            missing.push(format!(
                                "{name}: {path}: \"{text}\" has non-ASCII letters with a case"
                            ));
                        }
                    }
                    let numeric = matches!(info.kind, FieldKind::Number { .. });
                    if info.label.is_empty() || (numeric && info.unit().is_empty()) {
                        missing.push(format!("{name}: {path} lacks a label or unit"));
                    }
                    if value.is_number() != numeric && !value.is_null() {
                        missing.push(format!(
                            "{name}: {path} is {value} but described as {:?}",
                            info.kind
                        ));
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
