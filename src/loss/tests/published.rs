//! Values published by the libraries we follow (MONAI, Keras, smp), on their own inputs.

use crate::loss::{LossContext, LossOutput, evaluate};
use ndarray::Array4;

/// Evaluates `spec` on logits (N, H, W, C) and targets (N, H, W, 1), both given flat in NHWC order.
fn run(
    spec: &str,
    shape: (usize, usize, usize, usize),
    logits: &[f32],
    target: &[f32],
) -> LossOutput {
    let (n, h, w, c) = shape;
    let l = Array4::from_shape_vec((n, h, w, c), logits.to_vec()).unwrap();
    let t = Array4::from_shape_vec((n, h, w, 1), target.to_vec()).unwrap();
    evaluate(
        &spec.parse().unwrap(),
        l.view(),
        t.view(),
        &LossContext::default(),
    )
    .unwrap()
}

fn assert_close(ours: f64, published: f64, tolerance: f64, what: &str) {
    assert!(
        (ours - published).abs() <= tolerance,
        "{what}: ours {ours}, published {published}"
    );
}

#[test]
fn published_examples() {
    // losses.md §4, checked with smp 0.6.0:
    // _lovasz_hinge(tensor([[2., -1., .5, -3.]]), tensor([[1., 0., 0., 1.]]), per_image=False)
    // → 2.25, grad [0, 0, 0.1666666, -0.5]
    let out = run(
        "lovasz",
        (1, 1, 4, 1),
        &[2.0, -1.0, 0.5, -3.0],
        &[1.0, 0.0, 0.0, 1.0],
    );
    assert_eq!(out.value, 2.25);
    assert_eq!(
        out.dlogits.iter().copied().collect::<Vec<_>>(),
        vec![0.0, 0.0, 1.0 / 6.0, -0.5]
    );
    // MONAI's test value: DiceLoss(sigmoid=True)(tensor([[[1., -1., -1., 1.]]]), tensor([[[1., 0., 1., 1.]]]))
    // → 0.307576 (float32), grad [-0.0514169, 0.0272277, -0.0514169, -0.0514169]
    let out = run(
        "dice",
        (1, 1, 4, 1),
        &[1.0, -1.0, -1.0, 1.0],
        &[1.0, 0.0, 1.0, 1.0],
    );
    assert_close(out.value, 0.307576, 1e-6, "MONAI dice");
    let expected = [-0.0514169, 0.0272277, -0.0514169, -0.0514169];
    for (d, e) in out.dlogits.iter().zip(expected) {
        assert!((d - e).abs() < 1e-6, "{d} vs {e}");
    }
}

/// The values MONAI asserts in tests/losses/test_dice_loss.py and test_generalized_dice_loss.py, on
/// its own inputs, with its own tolerance (rtol 1e-5). MONAI's (N, 1, H, W) tensors have the same
/// flat order as our (N, H, W, 1).
#[test]
fn monai_published_values() {
    let assert_monai = |ours: f64, published: f64, what: &str| {
        assert_close(ours, published, 1e-5 * published, what)
    };
    // Cases with input [[1, -1], [-1, 1]] per image.
    let one_image = [1.0, -1.0, -1.0, 1.0];
    let one_target = [1.0, 0.0, 1.0, 1.0];
    let two_images = [1.0, -1.0, -1.0, 1.0, 1.0, -1.0, -1.0, 1.0];
    let two_targets = [1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 0.0];

    // DiceLoss(sigmoid=True, smooth_nr=1e-4, smooth_dr=1e-4), batch=False: a Dice per image.
    let out = run("dice(smooth=1e-4)", (2, 2, 2, 1), &two_images, &two_targets);
    assert_monai(out.value, 0.416657, "MONAI dice per image");
    // DiceLoss(sigmoid=True, squared_pred=True), default smooth 1e-5 like ours.
    let out = run("dice(squared=true)", (1, 2, 2, 1), &one_image, &one_target);
    assert_monai(out.value, 0.178337, "MONAI dice squared_pred");
    // DiceLoss(sigmoid=True, jaccard=True): our jaccard is MONAI's form 1 − (2I + s)/(2(P + G − I) + s).
    // MONAI 1.6.1 itself now gives 0.4704521 (float32 and float64), within its rtol of 0.470451.
    let out = run("jaccard", (1, 2, 2, 1), &one_image, &one_target);
    assert_monai(out.value, 0.470451, "MONAI jaccard");

    // GeneralizedDiceLoss(sigmoid=True, smooth_nr=1e-4, smooth_dr=1e-4) on ONE channel: per image
    // 1 − (2wI + s)/(w(P + G) + s) with w = 1/G², i.e. Dice with smoothing s·G². Our gdice is the
    // two-class [bg, fg] form, so this one-channel value is reproduced by our Dice per image:
    // G = 4 in image 0 (smooth 1.6e-3) and G = 2 in image 1 (smooth 4e-4), then the mean.
    let image0 = run(
        "dice(smooth=1.6e-3)",
        (1, 2, 2, 1),
        &two_images[..4],
        &two_targets[..4],
    );
    let image1 = run(
        "dice(smooth=4e-4)",
        (1, 2, 2, 1),
        &two_images[4..],
        &two_targets[4..],
    );
    assert_monai(
        (image0.value + image1.value) / 2.0,
        0.416597,
        "MONAI GDL, one channel",
    );

    // The two-class GDL our gdice is: GeneralizedDiceLoss(to_onehot_y=True, softmax=True,
    // smooth_nr=1e-4, smooth_dr=1e-4) on input (N=2, C=2, 3) [[[-1, 0, 1], [1, 0, -1]], zeros],
    // target labels [[1, 0, 0], [1, 1, 0]] → 0.414507 (per image [0.273476, 0.555539]).
    // Our softmax head takes (N, H, W, [bg, fg]).
    let logits = [-1.0, 1.0, 0.0, 0.0, 1.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
    let labels = [1.0, 0.0, 0.0, 1.0, 1.0, 0.0];
    let out = run("gdice(smooth=1e-4)", (2, 1, 3, 2), &logits, &labels);
    assert_monai(out.value, 0.414507, "MONAI GDL, softmax over two classes");
    let image0 = run(
        "gdice(smooth=1e-4)",
        (1, 1, 3, 2),
        &logits[..6],
        &labels[..3],
    );
    assert_monai(image0.value, 0.273476, "MONAI GDL, image 0");
}

/// Keras 3.15 docstring examples (keras/src/losses/losses.py). The docstrings print a few digits,
/// not always rounded (BCE is 0.865458, printed 0.8654), so we allow one unit of the last digit.
#[test]
fn keras_published_values() {
    // keras.losses.Dice()(y_true, y_pred) takes probabilities; 0 and 1 become logits ∓50
    // (σ(50) rounds to 1 in f64, σ(−50) ≈ 2e-22), 0.4 and 0.9 their exact logits.
    let logit = |p: f64| match p {
        0.0 => -50.0,
        1.0 => 50.0,
        _ => libm::log(p / (1.0 - p)) as f32,
    };
    let y_true = [1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0];
    let y_pred: Vec<f32> = [0.0, 1.0, 0.0, 1.0, 0.4, 0.0, 0.0, 0.9].map(logit).to_vec();
    // Keras's Dice has no smoothing, only 1e-7 added to the denominator (a change below 1e-7
    // here), and reduces over the whole batch by default (axis=None): smooth=0, per_image=false.
    let out = run(
        "dice(smooth=0,per_image=false)",
        (2, 2, 2, 1),
        &y_pred,
        &y_true,
    );
    assert_close(out.value, 0.6164384, 1e-6, "Keras Dice");
    // Dice(axis=(1, 2, 3), reduction=None) → [0.5, 0.75757575] per image; ours is their mean.
    let out = run("dice(smooth=0)", (2, 2, 2, 1), &y_pred, &y_true);
    assert_close(
        out.value,
        (0.5 + 0.75757575) / 2.0,
        1e-6,
        "Keras Dice per image",
    );

    // BinaryCrossentropy(from_logits=True) and BinaryFocalCrossentropy(gamma=2, from_logits=True),
    // the latter also with apply_class_balancing=True (alpha=0.25 for class 1, like ours).
    let y_true = [0.0, 1.0, 0.0, 0.0];
    let y_pred = [-18.6, 0.51, 2.94, -12.8];
    let out = run("bce", (1, 1, 4, 1), &y_pred, &y_true);
    assert_close(out.value, 0.8654, 1e-4, "Keras BCE");
    let out = run("focal(gamma=2)", (1, 1, 4, 1), &y_pred, &y_true);
    assert_close(out.value, 0.691, 1e-3, "Keras focal");
    let out = run("focal(gamma=2,alpha=0.25)", (1, 1, 4, 1), &y_pred, &y_true);
    assert_close(out.value, 0.51, 1e-2, "Keras focal with class balancing");
}

/// smp tests/test_losses.py: SoftBCEWithLogitsLoss(smooth_factor=0.1, ignore_index=-100) on logits
/// [-9, 9, 1, 9, -9], targets [0, 1, -100, 1, 0] → 0.7201 (abs 1e-4). Our targets must lie in
/// [0, 1], so an ignored pixel cannot be written; smp zeroes its loss but keeps it in the mean's
/// denominator, which is the mean over the 4 other pixels times 4/5. smooth_factor 0.1 (y → 0.1 /
/// 0.9) is our label_smoothing 0.2 (y(1 − 0.2) + 0.1).
#[test]
fn smp_soft_bce_published_value() {
    let out = run(
        "0.8*bce(label_smoothing=0.2)",
        (1, 1, 4, 1),
        &[-9.0, 9.0, 9.0, -9.0],
        &[0.0, 1.0, 1.0, 0.0],
    );
    assert_close(out.value, 0.7201, 1e-4, "smp SoftBCE");
}
