//! The subcommands, one file each; each turns its arguments into library calls and prints the result.

pub mod keras;
pub mod loss;
pub mod run;
pub mod run_report;
pub mod settings;

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
    Loss(loss::Args),
    /// Train every loss once per seed (after a learning-rate sweep when tuning) and print metrics,
    /// checksums, statistics over seeds and the verdict.
    Run(run::Args),
    /// Print the Keras 3 code of an experiment's losses and model (or of one loss spec); export weights.
    Keras(keras::Args),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Loss(args) => loss::main(args),
        Command::Run(args) => run::main(args),
        Command::Keras(args) => keras::main(args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("segloss: {error}");
            ExitCode::from(2)
        }
    }
}
