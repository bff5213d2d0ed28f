//! Finds the line of a field path (`servers[1].workers`) in TOML text, so
//! that validation errors point into the file.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::path::{FieldStep, field_steps};

/// The 1-based line of the deepest part of `field` present in `text`.
pub(super) fn toml_line(text: &str, field: &str) -> Option<usize> {
    let table = DeTable::parse(text).ok()?;
    let root = Spanned::new(table.span(), DeValue::Table(table.into_inner()));
    let mut node = &root;
    for step in field_steps(field) {
        let next = match step {
            FieldStep::Key(k) => node.get_ref().get(k),
            FieldStep::Index(i) => node.get_ref().get(i),
        };
        match next {
            Some(n) => node = n,
            None => break,
        }
    }
    if std::ptr::eq(node, &root) {
        return None;
    }
    let start = node.span().start.min(text.len());
    Some(text[..start].matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "seed = 1\nduration_s = 5\n[traffic]\nrate_rps = 3\n\n[[servers]]\ncount = 1\n\n[[servers]]\ncount = 2\nworkers = 0\n";

    #[test]
    fn a_nested_array_field_is_found_on_its_line() {
        assert_eq!(toml_line(TEXT, "servers[1].workers"), Some(11));
        assert_eq!(toml_line(TEXT, "traffic.rate_rps"), Some(4));
    }

    #[test]
    fn a_missing_leaf_falls_back_to_its_table() {
        assert_eq!(toml_line(TEXT, "servers[0].workers"), Some(6)); // its [[servers]] header
        assert_eq!(toml_line(TEXT, "nothing.here"), None);
    }
}
