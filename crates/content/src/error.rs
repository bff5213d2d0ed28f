//! Why content could not be read or a reader's input was refused: one
//! variant per failure, each saying what would be accepted.

use std::fmt;

use brownout_sim::ScenarioError;

/// Why an article, a widget block, a knob value or a link parameter was
/// refused.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ContentError {
    /// A widget block is not valid TOML (or JSON), or has unknown fields;
    /// the parser's message.
    WidgetBlock(String),
    /// An article's front matter does not parse; the article and the
    /// parser's message.
    FrontMatter {
        /// File stem of the article.
        slug: String,
        /// What the parser said.
        message: String,
    },
    /// An article's embedded document tree does not parse (a build bug).
    Document {
        /// File stem of the article.
        slug: String,
        /// What the parser said.
        message: String,
    },
    /// A widget block names a preset there is not.
    UnknownPreset {
        /// The name given.
        name: String,
        /// Every preset, comma-separated.
        known: String,
    },
    /// A preset's scenario is invalid.
    Preset {
        /// File stem of the preset.
        name: String,
        /// What validation said.
        error: ScenarioError,
    },
    /// A knob's path names no field of the preset's scenario.
    NoField(String),
    /// A knob's path names a field no knob can control (the seed, a name).
    NotAKnob(String),
    /// A knob's presentation cannot be drawn: its path and why.
    BadKnob(String, String),
    /// The compare value does not make a valid scenario.
    CompareValue(ScenarioError),
    /// A widget block names a chart the registry does not have.
    UnknownChart {
        /// The name given.
        name: String,
        /// Every chart, comma-separated.
        known: String,
    },
    /// A widget block's `stats` names a metric the metric table does not
    /// have.
    UnknownMetric {
        /// The path given.
        path: String,
        /// Every metric path, comma-separated.
        known: String,
    },
    /// A widget block's sweep map is invalid; which axis, and why.
    Map(String),
    /// A widget block's sweep curves are invalid, and why.
    Curves(String),
    /// A widget of an article is invalid; which one, and why.
    Widget {
        /// File stem of the article.
        slug: String,
        /// Position of the widget in the article, from 1.
        number: usize,
        /// Why.
        error: Box<ContentError>,
    },
    /// A value typed by a reader (a URL parameter) is out of its knob's
    /// range or not one of its options.
    BadValue {
        /// The knob's label.
        label: String,
        /// What is accepted, e.g. `a number from 1 to 140 req/s`.
        expected: String,
        /// The value given, at most 40 characters.
        got: String,
    },
    /// A link parameter this widget does not take.
    UnknownParameter {
        /// The key given, at most 40 characters.
        key: String,
        /// The keys the widget takes, comma-separated.
        known: String,
    },
    /// A link's compare value is refused; why.
    BadCompare(Box<ContentError>),
    /// A link asks for compare mode on a widget without one.
    NoCompare,
    /// Link parameters that pass one by one make an invalid scenario
    /// together; the preset is shown instead.
    Combination(ScenarioError),
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContentError::WidgetBlock(m) => write!(f, "widget block: {m}"),
            ContentError::FrontMatter { slug, message } => {
                write!(f, "{slug}: front matter: {message}")
            }
            ContentError::Document { slug, message } => write!(f, "{slug}: document: {message}"),
            ContentError::UnknownPreset { name, known } => {
                write!(f, "no preset \"{name}\"; presets are: {known}")
            }
            ContentError::Preset { name, error } => write!(f, "preset {name}: {error}"),
            ContentError::NoField(path) => write!(f, "no field {path} in the scenario"),
            ContentError::NotAKnob(path) => write!(f, "{path} cannot be a knob"),
            ContentError::BadKnob(path, why) => write!(f, "the knob {path}: {why}"),
            ContentError::CompareValue(e) => write!(f, "compare value: {e}"),
            ContentError::UnknownChart { name, known } => {
                write!(f, "no chart \"{name}\"; charts are: {known}")
            }
            ContentError::UnknownMetric { path, known } => {
                write!(f, "no metric \"{path}\" for stats; metrics are: {known}")
            }
            ContentError::Map(m) => write!(f, "map: {m}"),
            ContentError::Curves(m) => write!(f, "curves: {m}"),
            ContentError::Widget {
                slug,
                number,
                error,
            } => write!(f, "{slug} widget {number}: {error}"),
            ContentError::BadValue {
                label,
                expected,
                got,
            } => write!(f, "{label} must be {expected}, got \"{got}\""),
            ContentError::UnknownParameter { key, known } => {
                write!(f, "unknown parameter \"{key}\"; this widget takes: {known}")
            }
            ContentError::BadCompare(e) => write!(f, "compare: {e}"),
            ContentError::NoCompare => f.write_str("this widget has no compare mode"),
            ContentError::Combination(e) => write!(f, "{e}; showing the preset instead"),
        }
    }
}

impl std::error::Error for ContentError {}
