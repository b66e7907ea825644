//! The experiment's settings as command-line flags, one per entry of the settings table that names a
//! flag: the same names, ranges, defaults and messages as links and the page. A value that a link
//! would repair is refused here, with the reason.

use clap::{Arg, ArgAction, ArgMatches, Command};
use segloss::error::{Error, Result};
use segloss::experiment::Experiment;
use segloss::settings::{self, Access, Kind, Setting};

/// The flags given, as (setting, text), in the table's order.
#[derive(Default)]
pub struct SettingFlags(Vec<(&'static Setting, String)>);

/// Settings with a flag.
fn flagged() -> impl Iterator<Item = (&'static Setting, &'static str)> {
    settings::SETTINGS
        .iter()
        .filter_map(|&s| s.cli.map(|flag| (s, flag)))
}

/// A boolean's flag is a switch to its non-default state (the table names it so: `--no-augment`).
fn is_switch(setting: &Setting) -> bool {
    matches!(setting.kind, Kind::Bool)
}

fn arg(setting: &'static Setting, flag: &'static str) -> Arg {
    let arg = Arg::new(setting.key).long(flag);
    if is_switch(setting) {
        let state = if setting.default_value().bool() {
            "off"
        } else {
            "on"
        };
        let help = format!("Turns {} {state}: {}", setting.label, setting.help);
        return arg.action(ArgAction::SetTrue).help(help);
    }
    let (name, range) = match setting.kind {
        Kind::Int { min, max, zero } => {
            let zero = zero.map_or(String::new(), |z| format!(", or 0 for {z}"));
            ("N", format!("{min} to {max}{zero}; "))
        }
        Kind::Float { min, max } => ("X", format!("{min} to {max}; ")),
        Kind::Choice(choices) => {
            let names: Vec<&str> = choices().iter().map(|(value, _)| *value).collect();
            ("NAME", format!("{}; ", settings::or_list(&names)))
        }
        Kind::Bool | Kind::Text => ("TEXT", String::new()),
    };
    arg.value_name(name)
        // `--steps -5` reaches the range check, which says what is wrong, instead of clap's usage.
        .allow_hyphen_values(true)
        .help(format!(
            "{} [{range}default {}]",
            setting.help, setting.default
        ))
}

impl clap::Args for SettingFlags {
    fn augment_args(command: Command) -> Command {
        flagged().fold(command, |command, (setting, flag)| {
            command.arg(arg(setting, flag))
        })
    }

    fn augment_args_for_update(command: Command) -> Command {
        Self::augment_args(command)
    }
}

impl clap::FromArgMatches for SettingFlags {
    fn from_arg_matches(matches: &ArgMatches) -> std::result::Result<Self, clap::Error> {
        let mut given = Vec::new();
        for (setting, _) in flagged() {
            if is_switch(setting) {
                if matches.get_flag(setting.key) {
                    let default = setting.default_value().bool();
                    given.push((setting, if default { "0" } else { "1" }.to_string()));
                }
            } else if let Some(text) = matches.get_one::<String>(setting.key) {
                given.push((setting, text.clone()));
            }
        }
        Ok(SettingFlags(given))
    }

    fn update_from_arg_matches(
        &mut self,
        matches: &ArgMatches,
    ) -> std::result::Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl SettingFlags {
    /// Sets each given flag's setting on `experiment`, refusing any value a link would repair.
    pub fn apply(&self, experiment: &mut Experiment) -> Result<()> {
        for (setting, text) in &self.0 {
            let flag = setting.cli.unwrap_or(setting.key);
            let refuse = |message: String| Error(format!("--{flag}: {message}"));
            let value = setting.parse(text).map_err(|e| refuse(e.0))?;
            if let Access::Experiment { set, .. } = setting.access {
                let mut notes = Vec::new();
                set(experiment, value, &mut notes).map_err(|e| refuse(e.0))?;
                if let Some(note) = notes.into_iter().next() {
                    return Err(refuse(note));
                }
            }
        }
        experiment.validate()
    }
}
