//! Gradient checks by finite differences, head mapping, edge cases and error messages.
//! The library comparisons live in tests/losses.rs (fixtures).

use super::*;
use crate::rng::Rng;
use ndarray::Array4;

/// Every loss at its defaults, notable variants, and combinations.
const SPECS: [&str; 30] = [
    "bce",
    "bce(pos_weight=3,label_smoothing=0.1)",
    "wbce",
    "wbce(weights=median_frequency,scope=image,norm=mean)",
    "wbce(weights=unet_border,w0=5,sigma=2)",
    "wbce(scope=dataset)",
    "ce",
    "ce(weights=manual,w_bg=0.5,w_fg=9)",
    "ce(weights=inverse_frequency,scope=image)",
    "ce(weights=median_frequency,scope=dataset)",
    "dice",
    "dice(per_image=false,squared=true)",
    "dice(log=true,classes=both)",
    "dice(smooth=0,classes=bg)",
    "gdice",
    "gdice(w_type=simple)",
    "gdice(w_type=uniform,smooth=1)",
    "jaccard",
    "jaccard(per_image=false,smooth=0)",
    "tversky",
    "tversky(alpha=0.3,beta=0.7,gamma=2,per_image=false)",
    "focal_tversky",
    "focal",
    "focal(gamma=0.5,alpha=0.25)",
    "lovasz",
    "lovasz(per_image=false)",
    "mse",
    "0.5*bce+0.5*dice",
    "0.2*focal+gdice+0.3*lovasz(per_image=false)",
    "wbce(weights=unet_border)+2*focal_tversky",
];

/// Random batch: x ~ N(0, 4), y with ~30% foreground; image 1 is empty, image 0 has two objects.
fn random_batch(seed: u64, images: usize, height: usize, width: usize) -> (Vec<f64>, Vec<f64>) {
    let mut rng = Rng::new(seed, 0);
    let n = images * height * width;
    let x: Vec<f64> = (0..n).map(|_| 2.0 * rng.normal()).collect();
    let mut y: Vec<f64> = (0..n).map(|_| (rng.uniform() < 0.3) as u8 as f64).collect();
    let hw = height * width;
    y[hw..2 * hw].fill(0.0);
    y[0] = 1.0;
    y[hw - 1] = 1.0;
    (x, y)
}

fn context(y: &[f64], images: usize, height: usize, width: usize) -> LossContext {
    let masks: Vec<Array2f> = y
        .chunks(height * width)
        .take(images)
        .map(|m| {
            ndarray::Array2::from_shape_vec((height, width), m.iter().map(|&v| v as f32).collect())
                .unwrap()
        })
        .collect();
    LossContext::from_masks(masks.iter().map(|m| m.view()))
}

type Array2f = ndarray::Array2<f32>;

#[test]
fn gradients_match_central_differences_for_every_spec() {
    let (images, height, width) = (3, 4, 5);
    let (x, y) = random_batch(7, images, height, width);
    let ctx = context(&y, images, height, width);
    let value_at = |spec: &LossSpec, x: &[f64]| {
        let batch = Batch {
            x,
            y: &y,
            images,
            height,
            width,
        };
        evaluate_binary(spec, &batch, &ctx).unwrap()
    };
    for text in SPECS {
        let spec: LossSpec = text.parse().unwrap();
        let analytic = value_at(&spec, &x).dx;
        let scale = analytic.iter().fold(0.0_f64, |m, d| m.max(d.abs()));
        assert!(scale > 0.0, "{text}: zero gradient");
        for i in 0..x.len() {
            let h = 1e-6;
            let (mut plus, mut minus) = (x.clone(), x.clone());
            plus[i] += h;
            minus[i] -= h;
            let numeric =
                (value_at(&spec, &plus).value - value_at(&spec, &minus).value) / (2.0 * h);
            let error = (numeric - analytic[i]).abs();
            assert!(
                error <= 1e-6 * scale + 1e-9,
                "{text}: pixel {i}: analytic {} vs numeric {numeric}",
                analytic[i]
            );
        }
    }
}

#[test]
fn softmax_head_is_the_sigmoid_head_on_the_logit_difference() {
    let (images, height, width) = (2, 3, 3);
    let mut rng = Rng::new(3, 1);
    let two = Array4::from_shape_fn((images, height, width, 2), |_| (2.0 * rng.normal()) as f32);
    let target = Array4::from_shape_fn((images, height, width, 1), |(n, h, w, _)| {
        ((n + h * w) % 3 == 0) as u8 as f32
    });
    let one = Array4::from_shape_fn((images, height, width, 1), |(n, h, w, _)| {
        two[[n, h, w, 1]] - two[[n, h, w, 0]]
    });
    let ctx = LossContext::default();
    for text in SPECS.iter().filter(|s| !s.contains("dataset")) {
        let spec: LossSpec = text.parse().unwrap();
        let a = evaluate(&spec, two.view(), target.view(), &ctx).unwrap();
        let b = evaluate(&spec, one.view(), target.view(), &ctx).unwrap();
        assert!(
            (a.value - b.value).abs() <= 1e-6 * b.value.abs().max(1e-6),
            "{text}"
        );
        for ((pixel_two, pixel_one), _) in
            a.dlogits.rows().into_iter().zip(b.dlogits.rows()).zip(0..)
        {
            assert_eq!(pixel_two[0], -pixel_two[1], "{text}: dl_bg = −dl_fg");
            assert!(
                (pixel_two[1] - pixel_one[0]).abs() <= 1e-5 * pixel_one[0].abs().max(1e-4),
                "{text}"
            );
        }
    }
}

#[test]
fn extreme_inputs_give_finite_values_and_gradients() {
    // (logits, target) per pixel of a 1×2×2 image, and 1×1 images.
    let cases: Vec<(Vec<f32>, Vec<f32>)> = vec![
        (vec![1e4, -1e4, -1e4, 1e4], vec![1.0, 0.0, 0.0, 1.0]),
        (vec![-1e4, 1e4, 1e4, -1e4], vec![1.0, 0.0, 0.0, 1.0]),
        (vec![-1e4; 4], vec![0.0; 4]),
        (vec![1e4; 4], vec![1.0; 4]),
        (vec![50.0, -50.0, -50.0, 50.0], vec![1.0, 0.0, 0.0, 1.0]),
        (vec![-100.0; 4], vec![0.0; 4]),
        (vec![100.0; 4], vec![0.0; 4]),
        (vec![0.0; 4], vec![0.0, 1.0, 1.0, 0.0]),
        (vec![3.0, -2.0, 0.5, 1e4], vec![0.1, 0.9, 0.9, 0.1]),
    ];
    let extra = [
        "dice(smooth=0)",
        "jaccard(smooth=0)",
        "tversky(smooth=0,gamma=0.5)",
        "gdice(smooth=0)",
        "focal(gamma=0.1)",
    ];
    for (logits, target) in &cases {
        for (h, w) in [(2, 2), (4, 1)] {
            let l = Array4::from_shape_vec((1, h, w, 1), logits.clone()).unwrap();
            let t = Array4::from_shape_vec((1, h, w, 1), target.clone()).unwrap();
            let ctx = LossContext::from_masks([t
                .index_axis(ndarray::Axis(0), 0)
                .index_axis(ndarray::Axis(2), 0)]);
            for text in SPECS.iter().chain(&extra) {
                let out = evaluate(&text.parse().unwrap(), l.view(), t.view(), &ctx).unwrap();
                assert!(
                    out.value.is_finite(),
                    "{text} on {logits:?}: value {}",
                    out.value
                );
                assert!(
                    out.dlogits.iter().all(|d| d.is_finite()),
                    "{text} on {logits:?}: {:?}",
                    out.dlogits
                );
            }
        }
    }
}

#[test]
fn focal_tversky_at_a_perfect_image_has_zero_loss_and_gradient() {
    // Torch's autograd gives inf·0 = NaN here (fixtures/losses/skipped.json); we take 0.
    let l = Array4::from_shape_vec((1, 1, 3, 1), vec![-50.0, -50.0, -50.0]).unwrap();
    let t = Array4::zeros((1, 1, 3, 1));
    let out = evaluate(
        &"focal_tversky".parse().unwrap(),
        l.view(),
        t.view(),
        &LossContext::default(),
    )
    .unwrap();
    assert_eq!(out.value, 0.0);
    assert!(out.dlogits.iter().all(|&d| d == 0.0));
}

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

#[test]
fn dataset_scope_with_the_batch_as_dataset_equals_batch_scope() {
    let (images, height, width) = (3, 4, 5);
    let (x, y) = random_batch(11, images, height, width);
    let ctx = context(&y, images, height, width);
    let batch = Batch {
        x: &x,
        y: &y,
        images,
        height,
        width,
    };
    for (dataset, batch_scope) in [
        ("wbce(scope=dataset)", "wbce"),
        (
            "ce(weights=median_frequency,scope=dataset)",
            "ce(weights=median_frequency)",
        ),
    ] {
        let a = evaluate_binary(&dataset.parse().unwrap(), &batch, &ctx).unwrap();
        let b = evaluate_binary(&batch_scope.parse().unwrap(), &batch, &ctx).unwrap();
        assert_eq!(a.value, b.value);
        assert_eq!(a.class_weights, b.class_weights);
        assert!(
            a.class_weights.unwrap()[1] > 1.0,
            "the rarer foreground weighs more"
        );
    }
    let message = evaluate_binary(
        &"wbce(scope=dataset)".parse().unwrap(),
        &batch,
        &LossContext::default(),
    )
    .err()
    .unwrap()
    .0;
    assert!(
        message.contains("wbce: scope=dataset needs dataset class statistics"),
        "{message}"
    );
}

#[test]
fn class_weights_are_reported_for_weighted_terms_only() {
    let l = Array4::zeros((1, 2, 2, 1));
    let t = Array4::from_shape_vec((1, 2, 2, 1), vec![1.0, 0.0, 0.0, 0.0]).unwrap();
    let ctx = LossContext::default();
    let weights = |spec: &str| {
        evaluate(&spec.parse().unwrap(), l.view(), t.view(), &ctx)
            .unwrap()
            .class_weights
    };
    assert_eq!(weights("bce+dice"), None);
    assert_eq!(weights("ce"), None);
    // f = [3/4, 1/4] → 1/(2f) = [2/3, 2].
    assert_eq!(weights("dice+wbce"), Some([2.0 / 3.0, 2.0]));
    assert_eq!(weights("ce(weights=manual,w_fg=9)"), Some([1.0, 9.0]));
}

#[test]
fn bad_shapes_and_values_are_clear_errors() {
    let ctx = LossContext::default();
    let spec: LossSpec = "bce".parse().unwrap();
    let message =
        |l: &Array4<f32>, t: &Array4<f32>| evaluate(&spec, l.view(), t.view(), &ctx).unwrap_err().0;
    let l3 = Array4::zeros((1, 2, 2, 3));
    let t = Array4::zeros((1, 2, 2, 1));
    assert_eq!(
        message(&l3, &t),
        "logits has shape (1, 2, 2, 3), expected (N, H, W, 1) for a sigmoid head or (N, H, W, 2) for a softmax head [bg, fg]"
    );
    assert_eq!(
        message(&Array4::zeros((1, 2, 3, 1)), &t),
        "target has shape (1, 2, 2, 1), expected (1, 2, 3, 1)"
    );
    assert_eq!(
        message(&Array4::zeros((0, 2, 2, 1)), &Array4::zeros((0, 2, 2, 1))),
        "logits has shape (0, 2, 2, 1): no pixels"
    );
    let mut bad = Array4::zeros((1, 2, 2, 1));
    bad[[0, 1, 0, 0]] = f32::NAN;
    assert_eq!(
        message(&bad, &t),
        "logits has a non-finite value NaN at (0, 1, 0, 0)"
    );
    let mut bad_target = Array4::zeros((1, 2, 2, 1));
    bad_target[[0, 0, 1, 0]] = 2.0;
    assert_eq!(
        message(&Array4::zeros((1, 2, 2, 1)), &bad_target),
        "target has value 2 at (0, 0, 1, 0), expected values in [0, 1]"
    );
}

#[test]
fn catalogue_lists_every_loss_with_parameters_and_defaults_that_parse() {
    let names: Vec<&str> = catalogue().iter().map(|info| info.name).collect();
    assert_eq!(names, LOSS_NAMES);
    for info in catalogue() {
        let default = Loss::default_of(info.name).unwrap();
        for p in info.params {
            // Parameters that only apply together with another setting.
            let enabling = match (info.name, p.name) {
                ("wbce", "w0" | "sigma") => "weights=unet_border,",
                ("ce", "w_bg" | "w_fg") => "weights=manual,",
                ("ce", "scope") => "weights=inverse_frequency,",
                _ => "",
            };
            let with_default: LossSpec =
                format!("{}({enabling}{}={})", info.name, p.name, p.default)
                    .parse()
                    .unwrap();
            let without: LossSpec = format!("{}({})", info.name, enabling.trim_end_matches(','))
                .parse()
                .unwrap();
            assert_eq!(
                with_default, without,
                "{}.{} default {}",
                info.name, p.name, p.default
            );
        }
        let keys: Vec<&str> = default.pairs().iter().map(|(k, _)| *k).collect();
        for key in keys {
            assert!(
                info.params.iter().any(|p| p.name == key),
                "{}: {key} not in catalogue",
                info.name
            );
        }
    }
}

#[test]
fn docs_show_the_catalogue_text() {
    let docs = include_str!("../../docs/losses.md");
    assert!(
        docs.contains(&catalogue_markdown()),
        "docs/losses.md is out of date: paste catalogue_markdown() (cargo run -- loss --catalogue)"
    );
}
