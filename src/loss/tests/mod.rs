//! Gradient checks by finite differences, head mapping, edge cases and error messages; the spec
//! grammar in grammar.rs, published library values in published.rs. The library comparisons on
//! fixtures live in tests/losses.rs.

mod grammar;
mod published;

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
    let docs = include_str!("../../../docs/losses.md");
    assert!(
        docs.contains(&catalogue_markdown()),
        "docs/losses.md is out of date: paste catalogue_markdown() (cargo run -- loss --catalogue)"
    );
}
