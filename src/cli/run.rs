//! Not implemented yet.

#[derive(clap::Args)]
pub struct Args {}

pub fn main(_args: Args) -> segloss::Result<()> {
    Err(segloss::Error::new(
        "this subcommand is not implemented yet",
    ))
}
