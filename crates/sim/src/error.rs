//! The one error a scenario can produce: which field, what is wrong, where.

use std::fmt;

/// A scenario that cannot be run, with the field to fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// Path of the offending field, e.g. `servers[1].workers`; empty when the
    /// document as a whole is at fault (a syntax error).
    pub field: String,
    /// What is wrong and what would be accepted.
    pub message: String,
    /// 1-based line in the source file, when the scenario came from a file.
    pub line: Option<usize>,
}

impl ScenarioError {
    /// An error about `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        ScenarioError {
            field: field.into(),
            message: message.into(),
            line: None,
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        if self.field.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for ScenarioError {}
