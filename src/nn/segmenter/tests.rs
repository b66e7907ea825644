//! The segmenter against its own promises: seeded weights, the checksum, shapes, strides, and
//! gradients that match finite differences.

use super::*;
use crate::nn::Head;
use ndarray::Array4;

fn random_tensor(rng: &mut Rng, shape: (usize, usize, usize, usize)) -> Tensor {
    Array4::from_shape_simple_fn(shape, || (rng.uniform() * 2.0 - 1.0) as f32)
}

#[test]
fn new_refuses_an_invalid_config() {
    let config = ModelConfig {
        channels: 0,
        ..ModelConfig::default()
    };
    let err = Segmenter::new(config, 1).err().unwrap();
    assert_eq!(err.0, "channels 0 is out of range: use 4 to 64");
}

#[test]
fn same_seed_same_weights_and_checksum() {
    let a = Segmenter::new(ModelConfig::default(), 7).unwrap();
    let b = Segmenter::new(ModelConfig::default(), 7).unwrap();
    let c = Segmenter::new(ModelConfig::default(), 8).unwrap();
    assert_eq!(a.params(), b.params());
    assert_eq!(a.checksum(), b.checksum());
    assert_ne!(a.checksum(), c.checksum());
    let sizes: Vec<usize> = a.params().iter().map(|p| p.len()).collect();
    assert_eq!(sizes, [864, 32, 9216, 32, 32, 1]);
}

#[test]
fn checksum_is_fnv1a_of_the_le_bytes() {
    let mut model = Segmenter::new(
        ModelConfig {
            channels: 4,
            ..ModelConfig::default()
        },
        1,
    )
    .unwrap();
    for p in model.params_mut() {
        p.fill(0.0);
    }
    model.params_mut()[0][0] = 1.0; // bits 0x3f800000 → LE bytes 00 00 80 3f
    let zeros = model.config().param_count() * 4 - 4;
    // FNV-1a 64 of [00, 00, 80, 3f] followed by `zeros` zero bytes, per the published algorithm.
    let mut want: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in [0u8, 0, 0x80, 0x3f]
        .into_iter()
        .chain(std::iter::repeat_n(0, zeros))
    {
        want = (want ^ byte as u64).wrapping_mul(0x100_0000_01b3);
    }
    assert_eq!(model.checksum(), want);
    // Known-answer vector of FNV-1a 64: "a" → 0xaf63dc4c8601ec8c.
    assert_eq!(
        (0xcbf2_9ce4_8422_2325u64 ^ b'a' as u64).wrapping_mul(0x100_0000_01b3),
        0xaf63_dc4c_8601_ec8c
    );
}

#[test]
fn forward_keeps_size_and_predict_agrees() {
    let mut rng = Rng::new(3, 0);
    for head in [Head::Sigmoid, Head::Softmax] {
        let config = ModelConfig {
            channels: 8,
            head,
            ..ModelConfig::default()
        };
        let model = Segmenter::new(config, 3).unwrap();
        let input = random_tensor(&mut rng, (2, 7, 5, 3));
        let forward = model.forward(input.view()).unwrap();
        assert_eq!(forward.logits().shape(), [2, 7, 5, head.channels()]);
        assert_eq!(&model.predict(input.view()).unwrap(), forward.logits());
    }
    let model = Segmenter::new(ModelConfig::default(), 3).unwrap();
    let err = model
        .forward(random_tensor(&mut rng, (1, 4, 4, 4)).view())
        .err()
        .unwrap();
    assert_eq!(err.0, "input has shape (1, 4, 4, 4), expected (N, H, W, 3)");
}

#[test]
fn strided_input_view_gives_the_same_logits_as_its_copy() {
    let mut rng = Rng::new(4, 0);
    let model = Segmenter::new(
        ModelConfig {
            channels: 4,
            ..ModelConfig::default()
        },
        1,
    )
    .unwrap();
    let input = random_tensor(&mut rng, (1, 3, 6, 3));
    let mirrored = input.slice(ndarray::s![.., .., ..;-1, ..]); // negative stride along W
    let copy = mirrored.to_owned();
    assert_eq!(
        model.predict(mirrored).unwrap(),
        model.predict(copy.view()).unwrap()
    );
    assert_ne!(
        model.predict(mirrored).unwrap(),
        model.predict(input.view()).unwrap()
    );
}

/// Loss L = Σ logits·r for fixed random r, so dL/dlogits = r. Each parameter's gradient is
/// compared with the central difference (L(θ+h) − L(θ−h)) / 2h of the f32 network, summed in
/// f64. While no ReLU switches, L is linear in any single parameter (it enters its layer
/// linearly and everything after it is linear for fixed ReLU masks), so the difference is
/// exact but for f32 rounding of L, about 1e-7·Σ|logit·r| ≈ 1e-6, which over 2h = 6e-3 is
/// ≈ 2e-4 (measured: at most 8e-5 relative). A smaller h drowns in that noise, a larger one
/// flips more ReLUs: perturbations that flip one are skipped, and must stay rare.
#[test]
fn gradients_match_finite_differences() {
    for (head, dilations) in [(Head::Sigmoid, vec![1, 2]), (Head::Softmax, vec![2, 1])] {
        let config = ModelConfig {
            hidden_layers: 2,
            channels: 4,
            kernel: 3,
            dilations,
            head,
        };
        let mut model = Segmenter::new(config, 11).unwrap();
        let mut rng = Rng::new(12, 0);
        let input = random_tensor(&mut rng, (2, 5, 6, 3));
        let r = random_tensor(&mut rng, (2, 5, 6, head.channels()));
        let forward = model.forward(input.view()).unwrap();
        let gradients = model.backward(&forward, r.view()).unwrap();
        let analytic: Vec<Vec<f32>> = gradients.slices().iter().map(|g| g.to_vec()).collect();
        let masks = |forward: &Forward| -> Vec<bool> {
            forward.hidden.iter().flatten().map(|&a| a > 0.0).collect()
        };
        let original_masks = masks(&forward);
        // Returns None when the perturbation flips a ReLU.
        let loss = |model: &Segmenter| -> Option<f64> {
            let forward = model.forward(input.view()).unwrap();
            let logits = forward.logits().iter().zip(r.iter());
            let value = logits.map(|(&l, &r)| l as f64 * r as f64).sum();
            (masks(&forward) == original_masks).then_some(value)
        };

        let h = 3e-3;
        let (mut checked, mut skipped) = (0, 0);
        for (p, gradient) in analytic.iter().enumerate() {
            for (i, &want) in gradient.iter().enumerate() {
                let original = model.params()[p][i];
                model.params_mut()[p][i] = original + h;
                let plus = loss(&model);
                model.params_mut()[p][i] = original - h;
                let minus = loss(&model);
                model.params_mut()[p][i] = original;
                let (Some(plus), Some(minus)) = (plus, minus) else {
                    skipped += 1;
                    continue;
                };
                let numeric = (plus - minus) / (2.0 * h as f64);
                let error = (numeric - want as f64).abs();
                assert!(
                    error <= 1e-3 * (1.0 + want.abs() as f64),
                    "{head:?} param {p}[{i}]: backward {want}, finite difference {numeric}"
                );
                checked += 1;
            }
        }
        assert_eq!(checked + skipped, model.config().param_count());
        assert!(
            skipped * 10 < checked,
            "{skipped} skipped, {checked} checked"
        );
    }
}

#[test]
fn backward_rejects_mismatched_dlogits() {
    let model = Segmenter::new(
        ModelConfig {
            channels: 4,
            ..ModelConfig::default()
        },
        1,
    )
    .unwrap();
    let input = Array4::zeros((1, 2, 2, 3));
    let forward = model.forward(input.view()).unwrap();
    let err = model
        .backward(&forward, Array4::zeros((1, 2, 2, 2)).view())
        .err()
        .unwrap();
    assert_eq!(
        err.0,
        "dlogits has shape (1, 2, 2, 2), expected (1, 2, 2, 1)"
    );
}
