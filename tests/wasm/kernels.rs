//! simd128 kernels == portable kernels, bit for bit, on awkward sizes: pixel counts 0, 1, 3, 4, 5,
//! 31, 33 and 1000 (tiles of 4 with every remainder), channel counts 1, 2, 3, 5, 8 and 32 (blocks of
//! 8, 4 and single lanes), every kernel size and dilations 1..3. The harness runs this file in Node
//! and in Chromium.
#![cfg(all(target_arch = "wasm32", target_feature = "simd128"))]

use segloss::kernels::{ConvGeometry, Isa, Portable, Simd128};
use segloss::rng::Rng;
use wasm_bindgen_test::wasm_bindgen_test;

const SIZES: [(usize, usize, usize); 9] = [
    (1, 0, 3),
    (1, 1, 1),
    (1, 1, 3),
    (1, 2, 2),
    (1, 1, 5),
    (1, 1, 31),
    (1, 3, 11),
    (2, 5, 7),
    (1, 25, 40),
];
const CHANNELS: [usize; 6] = [1, 2, 3, 5, 8, 32];

/// Values in [-1, 1) with some exact zeros and negative zeros, whose signs the sums must keep alike.
fn random(rng: &mut Rng, len: usize) -> Vec<f32> {
    (0..len)
        .map(|_| match rng.below(16) {
            0 => 0.0,
            1 => -0.0,
            _ => (rng.uniform() * 2.0 - 1.0) as f32,
        })
        .collect()
}

fn bits(values: &[f32]) -> Vec<u32> {
    values.iter().map(|v| v.to_bits()).collect()
}

/// Every size × every (in, out) channel pair, cycling through kernel sizes and dilations.
fn geometries() -> Vec<ConvGeometry> {
    let mut geometries = Vec::new();
    let mut case = 0;
    for (batch, height, width) in SIZES {
        for in_channels in CHANNELS {
            for out_channels in CHANNELS {
                geometries.push(ConvGeometry {
                    batch,
                    height,
                    width,
                    in_channels,
                    out_channels,
                    kernel: [1, 3, 5][case % 3],
                    dilation: 1 + case / 3 % 3,
                });
                case += 1;
            }
        }
    }
    geometries
}

#[wasm_bindgen_test]
fn forward_simd128_equals_portable() {
    let mut rng = Rng::new(11, 0);
    for g in geometries() {
        let input = random(&mut rng, g.input_len());
        let weight = random(&mut rng, g.weight_len());
        let bias = random(&mut rng, g.out_channels);
        for relu in [false, true] {
            let mut want = vec![f32::NAN; g.output_len()];
            let mut got = vec![f32::NAN; g.output_len()];
            Portable::conv_forward(&g, &input, &weight, &bias, relu, &mut want);
            Simd128::conv_forward(&g, &input, &weight, &bias, relu, &mut got);
            assert_eq!(bits(&got), bits(&want), "forward relu={relu} {g:?}");
        }
    }
}

#[wasm_bindgen_test]
fn backward_input_simd128_equals_portable() {
    let mut rng = Rng::new(12, 0);
    for g in geometries() {
        let doutput = random(&mut rng, g.output_len());
        let weight = random(&mut rng, g.weight_len());
        let mut want = vec![f32::NAN; g.input_len()];
        let mut got = vec![f32::NAN; g.input_len()];
        Portable::conv_backward_input(&g, &doutput, &weight, &mut want);
        Simd128::conv_backward_input(&g, &doutput, &weight, &mut got);
        assert_eq!(bits(&got), bits(&want), "dinput {g:?}");
    }
}

#[wasm_bindgen_test]
fn backward_weight_simd128_equals_portable() {
    let mut rng = Rng::new(13, 0);
    for g in geometries() {
        let input = random(&mut rng, g.input_len());
        let doutput = random(&mut rng, g.output_len());
        let mut want = (
            vec![f32::NAN; g.weight_len()],
            vec![f32::NAN; g.out_channels],
        );
        let mut got = want.clone();
        Portable::conv_backward_weight(&g, &input, &doutput, &mut want.0, &mut want.1);
        Simd128::conv_backward_weight(&g, &input, &doutput, &mut got.0, &mut got.1);
        assert_eq!(bits(&got.0), bits(&want.0), "dweight {g:?}");
        assert_eq!(bits(&got.1), bits(&want.1), "dbias {g:?}");
    }
}

#[wasm_bindgen_test]
fn nan_survives_fused_relu_in_both() {
    let g = ConvGeometry {
        batch: 1,
        height: 1,
        width: 5,
        in_channels: 1,
        out_channels: 8,
        kernel: 3,
        dilation: 1,
    };
    let input = [1.0, f32::NAN, 1.0, -1.0, 1.0];
    let weight = vec![-1.0; g.weight_len()];
    let bias = [0.0; 8];
    let mut want = vec![0.0; g.output_len()];
    let mut got = vec![0.0; g.output_len()];
    Portable::conv_forward(&g, &input, &weight, &bias, true, &mut want);
    Simd128::conv_forward(&g, &input, &weight, &bias, true, &mut got);
    assert_eq!(bits(&got), bits(&want));
    assert!(got[0].is_nan() && got[8 * 4] == 0.0);
}
