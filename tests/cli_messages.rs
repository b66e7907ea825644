//! Issue 15 item 11: the command line tried as a new user would, each mistake answered by one short
//! message and exit code 2, never a minute of training, clap's usage, or ndarray's wording.

use ndarray::{ArrayD, IxDyn, arr0};
use ndarray_npy::write_npy;
use std::process::{Command, Output};

fn segloss(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_segloss"))
        .args(args)
        .output()
        .unwrap()
}

/// Exit code 2, nothing on stdout, and stderr (returned) of one line.
fn refused(args: &[&str]) -> String {
    let out = segloss(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?} printed {:?}", out.stdout);
    assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
    stderr
}

#[test]
fn issue_15_item_11_a_link_with_no_setting_is_refused_before_training() {
    for link in ["garbage", "#garbage", "https://example.org/#hello=1&world"] {
        let stderr = refused(&["run", "--link", link]);
        assert!(stderr.contains("not a Segloss link"), "{stderr}");
    }
}

#[test]
fn issue_15_item_11_a_negative_step_count_gets_the_range_message() {
    for steps in ["-5", "0"] {
        let stderr = refused(&["run", "--steps", steps]);
        assert!(
            stderr.contains(&format!("steps {steps} is out of range: use 1 to")),
            "{stderr}"
        );
        assert!(!stderr.contains("Usage"), "{stderr}");
    }
}

#[test]
fn issue_15_item_11_arrays_of_the_wrong_rank_say_what_is_expected() {
    let dir = std::env::temp_dir().join(format!("segloss-cli-messages-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let four = dir.join("four.npy");
    let zero = dir.join("zero.npy");
    let five = dir.join("five.npy");
    write_npy(&four, &ArrayD::<f32>::zeros(IxDyn(&[1, 2, 2, 1]))).unwrap();
    write_npy(&zero, &arr0(1.0f32)).unwrap();
    write_npy(&five, &ArrayD::<f32>::zeros(IxDyn(&[1, 2, 2, 1, 1]))).unwrap();
    let path = |p: &std::path::Path| p.to_str().unwrap().to_string();
    for (logits, target, what, ndim) in [(&zero, &four, "logits", 0), (&four, &five, "target", 5)] {
        let stderr = refused(&[
            "loss",
            "--spec",
            "bce",
            "--logits",
            &path(logits),
            "--target",
            &path(target),
        ]);
        assert!(
            stderr.contains(&format!(
                "{what} {} holds a {ndim}-D array; expected a 4-D (batch, H, W, C) array",
                path(if what == "logits" { logits } else { target })
            )),
            "{stderr}"
        );
        assert!(!stderr.contains("NDIM"), "{stderr}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
