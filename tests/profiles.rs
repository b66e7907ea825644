//! The optimisation level never changes a number: the CLI built by this test run (dev profile: no LTO,
//! overflow checks on) and a release-optimised CLI train the same small experiment to the same weight
//! checksums and metrics. The test command builds the release one (profile e2e) and names it in
//! SEGLOSS_RELEASE_CLI, so there it must exist; elsewhere a missing one skips the comparison.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

const ARGS: [&str; 10] = [
    "run",
    "--seeds",
    "1",
    "--demo",
    "blobs",
    "--losses",
    "bce;dice;focal(gamma=1)",
    "--steps",
    "30",
    "--json",
];

/// Every run's numbers that do not depend on timing.
fn numbers(cli: &Path) -> Vec<(String, String, String, String)> {
    let output = Command::new(cli).args(ARGS).output().unwrap();
    assert!(
        output.status.success(),
        "{} failed: {}",
        cli.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    report["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|run| {
            (
                run["loss"].to_string(),
                run["checksum"].to_string(),
                run["train"].to_string(),
                run["heldout"].to_string(),
            )
        })
        .collect()
}

#[test]
fn debug_and_release_clis_print_the_same_checksums() {
    let release = match std::env::var_os("SEGLOSS_RELEASE_CLI") {
        Some(path) => Path::new(env!("CARGO_MANIFEST_DIR")).join(path),
        None => {
            eprintln!("SEGLOSS_RELEASE_CLI not set: skipped (scripts/test.sh sets it)");
            return;
        }
    };
    assert!(release.exists(), "no release CLI at {}", release.display());
    let debug = numbers(Path::new(env!("CARGO_BIN_EXE_segloss")));
    assert_eq!(debug.len(), 3);
    for (loss, checksum, ..) in &debug {
        println!("debug {loss}: checksum {checksum}");
    }
    assert_eq!(debug, numbers(&release));
}
