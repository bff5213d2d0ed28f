//! One module per subcommand; each returns the text to print or an error
//! message for stderr.

pub(crate) mod curves;
pub(crate) mod decode;
pub(crate) mod export;
pub(crate) mod presets;
pub(crate) mod run;
pub(crate) mod source;
pub(crate) mod sweep;
