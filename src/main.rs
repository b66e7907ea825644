//! The native CLI: the same engine as the page, headless.

mod cli;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "segloss",
    version,
    about = "Compare segmentation losses on a tiny conv segmenter"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate one loss spec on .npy logits and targets (NHWC); print {"loss": value}.
    Loss(cli::loss::Args),
    /// Train every loss of an experiment headlessly and print metrics and checksums.
    Run(cli::run::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Loss(args) => cli::loss::main(args),
        Command::Run(args) => cli::run::main(args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("segloss: {error}");
            ExitCode::from(2)
        }
    }
}
