//! `brownout`: run a scenario file or preset and print what happened.
//!
//! ```text
//! brownout run FILE [--seed N] [--json | --csv]
//! brownout run --preset NAME [--seed N] [--json | --csv]
//! brownout run --url 'PLAYGROUND LINK' [--json | --csv]
//! brownout decode 'PLAYGROUND LINK' > scenario.toml
//! brownout sweep FILE|--preset NAME --param PATH=FROM..TO:STEP [--param …] [--metric PATH] [--json | --csv]
//! brownout presets
//! brownout export FILE --chart latency --svg OUT.svg [--png OUT.png] [--csv OUT.csv]
//! ```

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Reproduce Brownout's simulations from the command line.
#[derive(Debug, Parser)]
#[command(name = "brownout", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a scenario and print a summary (or JSON, or the time series as CSV).
    Run(cmd::run::RunArgs),
    /// Run a scenario over a grid of parameter values on every core.
    Sweep(cmd::sweep::SweepArgs),
    /// List the built-in presets.
    Presets,
    /// Draw a chart of a run as SVG or PNG (the site's drawing code), or
    /// write its data as CSV.
    Export(cmd::export::ExportArgs),
    /// Print the scenario a playground or embed link of the site carries,
    /// as TOML.
    Decode(cmd::decode::DecodeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => cmd::run::run(&args),
        Command::Sweep(args) => cmd::sweep::run(&args),
        Command::Presets => cmd::presets::run(),
        Command::Export(args) => cmd::export::run(&args),
        Command::Decode(args) => cmd::decode::run(&args),
    };
    match result {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
