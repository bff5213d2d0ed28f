//! Field paths: `servers[1].service_ms.mean` names a field of a scenario. Error
//! messages, file line look-ups, knobs and article facts all use them.

/// One step of a field path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldStep<'a> {
    /// A table key.
    Key(&'a str),
    /// An index into an array, from 0.
    Index(usize),
}

/// Splits `servers[1].workers` into `Key("servers"), Index(1), Key("workers")`.
/// Malformed indices are skipped.
pub fn field_steps(path: &str) -> Vec<FieldStep<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let mut pieces = part.split('[');
        if let Some(key) = pieces.next().filter(|k| !k.is_empty()) {
            out.push(FieldStep::Key(key));
        }
        for index in pieces {
            if let Ok(i) = index.trim_end_matches(']').parse() {
                out.push(FieldStep::Index(i));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_indices_come_out_in_order() {
        use FieldStep::{Index, Key};
        assert_eq!(
            field_steps("servers[1].service_ms.parts[0].weight"),
            vec![
                Key("servers"),
                Index(1),
                Key("service_ms"),
                Key("parts"),
                Index(0),
                Key("weight")
            ]
        );
        assert_eq!(field_steps("seed"), vec![Key("seed")]);
    }
}
