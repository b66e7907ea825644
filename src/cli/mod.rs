//! One file per subcommand; each turns its arguments into library calls and prints the result.

pub mod loss;
pub mod run;
