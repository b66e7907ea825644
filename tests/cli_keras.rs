//! `segloss keras`: code for one spec or a link's experiment, and `--export-dir` files that match
//! the run (weights .npz in Keras layout, logits of the training images).

use ndarray::{Array1, Array4};
use ndarray_npy::{NpzReader, read_npy};
use std::process::{Command, Output};

fn segloss(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_segloss"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn prints_the_loss_code_of_a_spec_for_the_chosen_head() {
    let out = segloss(&["keras", "--loss", "0.5*bce+0.5*dice", "--head", "softmax"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let code = String::from_utf8(out.stdout).unwrap();
    assert!(code.contains("def loss(y_true, y_pred):"));
    assert!(code.contains("x = y_pred[..., 1] - y_pred[..., 0]"));
    assert!(code.contains("return 0.5 * _bce_1(x, y) + 0.5 * _dice_2(x, y)"));

    let out = segloss(&["keras", "--loss", "wbce(scope=dataset)"]);
    assert_eq!(out.status.code(), Some(2));
    let message = String::from_utf8(out.stderr).unwrap();
    assert!(message.contains("scope=dataset needs"), "{message}");
}

#[test]
fn exports_weights_and_logits_of_each_run() {
    let dir = std::env::temp_dir().join(format!("segloss-cli-keras-{}", std::process::id()));
    let link = "v=1&demo=blobs&losses=bce;dice&ch=4&steps=3";
    let out = segloss(&[
        "keras",
        "--link",
        link,
        "--export-dir",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let model = std::fs::read_to_string(dir.join("model.py")).unwrap();
    assert!(
        model.contains("layers.Conv2D(4, 3, padding=\"same\""),
        "{model}"
    );
    let images: Array4<f32> = read_npy(dir.join("images.npy")).unwrap();
    assert_eq!(images.dim().3, 3);
    assert!(images.iter().all(|v| (0.0..=1.0).contains(v)));
    for run in 0..2 {
        let logits: Array4<f32> = read_npy(dir.join(format!("run{run}-logits.npy"))).unwrap();
        assert_eq!(
            logits.dim(),
            (images.dim().0, images.dim().1, images.dim().2, 1)
        );
        let file = std::fs::File::open(dir.join(format!("run{run}-weights.npz"))).unwrap();
        let mut npz = NpzReader::new(file).unwrap();
        let kernel: Array4<f32> = npz.by_name("conv1_kernel").unwrap();
        assert_eq!(kernel.dim(), (3, 3, 3, 4));
        let bias: Array1<f32> = npz.by_name("head_bias").unwrap();
        assert_eq!(bias.len(), 1);
        assert!(dir.join(format!("run{run}-loss.py")).exists());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
