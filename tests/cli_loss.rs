//! `segloss loss`: .npy in (float32 or float64), one JSON line out, gradient file, exit code 2
//! with a readable message on bad input.

use ndarray::Array4;
use ndarray_npy::{read_npy, write_npy};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("segloss-cli-loss-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn segloss(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_segloss"))
        .args(args)
        .output()
        .unwrap()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// MONAI's DiceLoss test example, (1, 1, 4, 1): 0.307576 (losses.md §3).
fn dice_example() -> (Array4<f32>, Array4<f32>) {
    let logits = Array4::from_shape_vec((1, 1, 4, 1), vec![1.0, -1.0, -1.0, 1.0]).unwrap();
    let target = Array4::from_shape_vec((1, 1, 4, 1), vec![1.0, 0.0, 1.0, 1.0]).unwrap();
    (logits, target)
}

#[test]
fn prints_the_loss_as_json_and_writes_the_gradient() {
    let (logits, target) = dice_example();
    let (l32, l64, t, g) = (
        scratch("l32.npy"),
        scratch("l64.npy"),
        scratch("t.npy"),
        scratch("g.npy"),
    );
    write_npy(&l32, &logits).unwrap();
    write_npy(&l64, &logits.mapv(|v| v as f64)).unwrap();
    write_npy(&t, &target).unwrap();
    let mut printed = vec![];
    for logits_file in [&l32, &l64] {
        let out = segloss(&[
            "loss",
            "--spec",
            "dice",
            "--logits",
            path(logits_file),
            "--target",
            path(&t),
            "--grad-out",
            path(&g),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(stdout.lines().count(), 1);
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let value = json["loss"].as_f64().unwrap();
        assert!((value - 0.307576).abs() < 1e-6, "{value}");
        printed.push(stdout);
        let dlogits: Array4<f32> = read_npy(&g).unwrap();
        assert_eq!(dlogits.shape(), &[1, 1, 4, 1]);
        // MONAI autograd (float32): [-0.0514169, 0.0272277, -0.0514169, -0.0514169].
        assert!((dlogits[[0, 0, 1, 0]] - 0.0272277).abs() < 1e-6);
    }
    assert_eq!(
        printed[0], printed[1],
        "float32 and float64 inputs of the same values agree"
    );
}

#[test]
fn softmax_head_gradient_has_two_channels() {
    let logits = Array4::from_shape_vec((1, 1, 2, 2), vec![0.0, 1.0, 2.0, -1.0]).unwrap();
    let target = Array4::from_shape_vec((1, 1, 2, 1), vec![1.0, 0.0]).unwrap();
    let (l, t, g) = (scratch("l2.npy"), scratch("t2.npy"), scratch("g2.npy"));
    write_npy(&l, &logits).unwrap();
    write_npy(&t, &target).unwrap();
    let out = segloss(&[
        "loss",
        "--spec",
        "ce",
        "--logits",
        path(&l),
        "--target",
        path(&t),
        "--grad-out",
        path(&g),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // torch: F.cross_entropy(tensor([[0., 1.], [2., -1.]]), tensor([1, 0])) = 0.2831...
    // = (softplus(-1) + softplus(-3)) / 2
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let expected = (f64::ln(1.0 + (-1.0f64).exp()) + f64::ln(1.0 + (-3.0f64).exp())) / 2.0;
    assert!((json["loss"].as_f64().unwrap() - expected).abs() < 1e-7);
    let dlogits: Array4<f32> = read_npy(&g).unwrap();
    assert_eq!(dlogits.shape(), &[1, 1, 2, 2]);
    assert_eq!(dlogits[[0, 0, 0, 0]], -dlogits[[0, 0, 0, 1]]);
}

#[test]
fn bad_input_exits_with_code_2_and_a_message() {
    let (logits, target) = dice_example();
    let (l, t, wrong, ints) = (
        scratch("l.npy"),
        scratch("t.npy"),
        scratch("wrong.npy"),
        scratch("ints.npy"),
    );
    write_npy(&l, &logits).unwrap();
    write_npy(&t, &target).unwrap();
    write_npy(&wrong, &Array4::<f32>::zeros((1, 2, 2, 1))).unwrap();
    write_npy(&ints, &Array4::<i32>::zeros((1, 1, 4, 1))).unwrap();
    let cases: [(&[&str], &str); 5] = [
        (
            &[
                "--spec",
                "dice(smooth=-1)",
                "--logits",
                path(&l),
                "--target",
                path(&t),
            ],
            "dice: smooth=-1 is not allowed",
        ),
        (
            &[
                "--spec",
                "dice",
                "--logits",
                path(&l),
                "--target",
                path(&wrong),
            ],
            "target has shape (1, 2, 2, 1), expected (1, 1, 4, 1)",
        ),
        (
            &[
                "--spec",
                "dice",
                "--logits",
                "/nonexistent.npy",
                "--target",
                path(&t),
            ],
            "cannot read logits /nonexistent.npy",
        ),
        (
            &[
                "--spec",
                "dice",
                "--logits",
                path(&ints),
                "--target",
                path(&t),
            ],
            "expected float32 or float64",
        ),
        (
            &["--spec", "nope", "--logits", path(&l), "--target", path(&t)],
            "unknown loss \"nope\"",
        ),
    ];
    for (args, message) in cases {
        let out = segloss(&[&["loss"], args].concat());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn catalogue_flag_prints_the_docs_table() {
    let out = segloss(&["loss", "--catalogue"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text, segloss::loss::catalogue_markdown());
}

/// Issue 15: a 10,000-character spec was echoed whole in the message, twice when the bad token
/// was most of it. Now the message quotes at most 40 characters of it, once.
#[test]
fn a_long_bad_spec_is_quoted_once_and_cut() {
    let long = "x".repeat(10_000);
    let specs = [
        long.clone(),
        format!("dice(smooth={long})"),
        format!("dice({long}=1)"),
        format!("0.5*bce+{long}"),
        format!("bce+{}", "bce+".repeat(2_500)),
    ];
    for spec in specs {
        let out = segloss(&[
            "loss", "--spec", &spec, "--logits", "l.npy", "--target", "t.npy",
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("bad loss spec"), "{stderr}");
        assert!(stderr.len() < 300, "{} bytes: {stderr}", stderr.len());
        assert_eq!(stderr.matches('…').count(), 1, "{stderr}");
    }
}
