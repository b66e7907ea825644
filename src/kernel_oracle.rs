//! The naive oracle: each op written the textbook way in f64, and the tests that hold the
//! portable kernels to it on awkward sizes. The simd128 kernels are held to the portable ones
//! bit for bit by tests/wasm/kernels.rs.

use crate::kernels::{ConvGeometry, Isa, Portable};
use crate::rng::Rng;

/// (value, Σ|term|) per entry: the exact sum, and the magnitude that bounds f32 rounding.
type Oracle = Vec<(f64, f64)>;

/// Unit roundoff of f32.
const U: f64 = f32::EPSILON as f64 / 2.0;

fn random(rng: &mut Rng, len: usize) -> Vec<f32> {
    (0..len)
        .map(|_| (rng.uniform() * 2.0 - 1.0) as f32)
        .collect()
}

fn at(g: &ConvGeometry, n: usize, y: isize, x: isize) -> Option<usize> {
    let inside = y >= 0 && x >= 0 && (y as usize) < g.height && (x as usize) < g.width;
    inside.then(|| (n * g.height + y as usize) * g.width + x as usize)
}

/// Calls `visit(p, q, ky, kx)` for every output pixel p and valid tap (ky, kx) reading input
/// pixel q.
fn for_each_tap(g: &ConvGeometry, mut visit: impl FnMut(usize, usize, usize, usize)) {
    for n in 0..g.batch {
        for y in 0..g.height {
            for x in 0..g.width {
                let p = at(g, n, y as isize, x as isize).unwrap();
                for ky in 0..g.kernel {
                    for kx in 0..g.kernel {
                        let ty = y as isize + g.tap_offset(ky);
                        let tx = x as isize + g.tap_offset(kx);
                        if let Some(q) = at(g, n, ty, tx) {
                            visit(p, q, ky, kx);
                        }
                    }
                }
            }
        }
    }
}

/// Index of weight[ky, kx, ci, co] in HWIO order.
fn hwio(g: &ConvGeometry, ky: usize, kx: usize, ci: usize, co: usize) -> usize {
    ((ky * g.kernel + kx) * g.in_channels + ci) * g.out_channels + co
}

fn add(entry: &mut (f64, f64), term: f64) {
    entry.0 += term;
    entry.1 += term.abs();
}

/// Forward without ReLU. Inputs are f32, so their f64 products and sums are exact to ~1e-16.
fn naive_forward(g: &ConvGeometry, input: &[f32], weight: &[f32], bias: &[f32]) -> Oracle {
    let (cin, cout) = (g.in_channels, g.out_channels);
    let mut out = vec![(0.0, 0.0); g.output_len()];
    for p in 0..g.pixels() {
        for co in 0..cout {
            add(&mut out[p * cout + co], bias[co] as f64);
        }
    }
    for_each_tap(g, |p, q, ky, kx| {
        for co in 0..cout {
            for ci in 0..cin {
                let term = input[q * cin + ci] as f64 * weight[hwio(g, ky, kx, ci, co)] as f64;
                add(&mut out[p * cout + co], term);
            }
        }
    });
    out
}

/// dinput by scattering each output gradient back along the taps.
fn naive_backward_input(g: &ConvGeometry, doutput: &[f32], weight: &[f32]) -> Oracle {
    let (cin, cout) = (g.in_channels, g.out_channels);
    let mut dinput = vec![(0.0, 0.0); g.input_len()];
    for_each_tap(g, |p, q, ky, kx| {
        for ci in 0..cin {
            for co in 0..cout {
                let term = doutput[p * cout + co] as f64 * weight[hwio(g, ky, kx, ci, co)] as f64;
                add(&mut dinput[q * cin + ci], term);
            }
        }
    });
    dinput
}

/// (dweight, dbias).
fn naive_backward_weight(g: &ConvGeometry, input: &[f32], doutput: &[f32]) -> (Oracle, Oracle) {
    let (cin, cout) = (g.in_channels, g.out_channels);
    let mut dweight = vec![(0.0, 0.0); g.weight_len()];
    let mut dbias = vec![(0.0, 0.0); cout];
    for p in 0..g.pixels() {
        for co in 0..cout {
            add(&mut dbias[co], doutput[p * cout + co] as f64);
        }
    }
    for_each_tap(g, |p, q, ky, kx| {
        for ci in 0..cin {
            for co in 0..cout {
                let term = input[q * cin + ci] as f64 * doutput[p * cout + co] as f64;
                add(&mut dweight[hwio(g, ky, kx, ci, co)], term);
            }
        }
    });
    (dweight, dbias)
}

/// Recursive f32 summation of m rounded products has |error| ≤ γ_{m+1}·Σ|term| with
/// γ_m = m·u/(1 − m·u) (Higham, Accuracy and Stability, §3.1); `terms` bounds m + 1.
/// The f64 oracle's own error (~1e-16 relative) is far below this.
fn assert_close(what: &str, got: &[f32], want: &[(f64, f64)], terms: usize) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    let gamma = terms as f64 * U / (1.0 - terms as f64 * U);
    for (i, (&g, &(value, magnitude))) in got.iter().zip(want).enumerate() {
        let error = (g as f64 - value).abs();
        assert!(
            error <= gamma * magnitude + f64::MIN_POSITIVE,
            "{what}[{i}]: got {g}, want {value} (error {error:e}, bound {:e})",
            gamma * magnitude
        );
    }
}

/// Random shapes over every kernel size and dilation 1..3, with channel counts that leave every
/// block remainder (8, 4, single lanes) and sizes that leave every tile remainder.
fn shapes() -> Vec<ConvGeometry> {
    let mut rng = Rng::new(42, 0);
    let channels = [1, 2, 3, 5, 8, 32];
    let sizes = [1, 2, 3, 5, 7, 9, 12];
    let mut shapes = Vec::new();
    for kernel in [1, 3, 5] {
        for dilation in 1..=3 {
            for _ in 0..4 {
                shapes.push(ConvGeometry {
                    batch: 1 + rng.below(2),
                    height: sizes[rng.below(sizes.len())],
                    width: sizes[rng.below(sizes.len())],
                    in_channels: channels[rng.below(channels.len())],
                    out_channels: channels[rng.below(channels.len())],
                    kernel,
                    dilation,
                });
            }
        }
    }
    // Rows and columns of one pixel, and a kernel wider than the image.
    for (height, width) in [(1, 9), (9, 1), (1, 1)] {
        shapes.push(ConvGeometry {
            batch: 2,
            height,
            width,
            in_channels: 3,
            out_channels: 5,
            kernel: 5,
            dilation: 2,
        });
    }
    shapes
}

fn forward_matches_naive<I: Isa>() {
    let mut rng = Rng::new(1, 0);
    for g in shapes() {
        let input = random(&mut rng, g.input_len());
        let weight = random(&mut rng, g.weight_len());
        let bias = random(&mut rng, g.out_channels);
        let want = naive_forward(&g, &input, &weight, &bias);
        let terms = g.kernel * g.kernel * g.in_channels + 2;
        let mut output = vec![f32::NAN; g.output_len()];
        I::conv_forward(&g, &input, &weight, &bias, false, &mut output);
        assert_close(&format!("{} forward {g:?}", I::NAME), &output, &want, terms);

        I::conv_forward(&g, &input, &weight, &bias, true, &mut output);
        let relu: Oracle = want.iter().map(|&(v, m)| (v.max(0.0), m)).collect();
        let what = format!("{} forward+relu {g:?}", I::NAME);
        assert_close(&what, &output, &relu, terms);
    }
}

fn backward_input_matches_naive<I: Isa>() {
    let mut rng = Rng::new(2, 0);
    for g in shapes() {
        let doutput = random(&mut rng, g.output_len());
        let weight = random(&mut rng, g.weight_len());
        let want = naive_backward_input(&g, &doutput, &weight);
        let mut dinput = vec![f32::NAN; g.input_len()];
        I::conv_backward_input(&g, &doutput, &weight, &mut dinput);
        let terms = g.kernel * g.kernel * g.out_channels + 2;
        assert_close(&format!("{} dinput {g:?}", I::NAME), &dinput, &want, terms);
    }
}

fn backward_weight_matches_naive<I: Isa>() {
    let mut rng = Rng::new(3, 0);
    for g in shapes() {
        let input = random(&mut rng, g.input_len());
        let doutput = random(&mut rng, g.output_len());
        let (want_dweight, want_dbias) = naive_backward_weight(&g, &input, &doutput);
        let mut dweight = vec![f32::NAN; g.weight_len()];
        let mut dbias = vec![f32::NAN; g.out_channels];
        I::conv_backward_weight(&g, &input, &doutput, &mut dweight, &mut dbias);
        let terms = g.pixels() + 2;
        let what = |name: &str| format!("{} {name} {g:?}", I::NAME);
        assert_close(&what("dweight"), &dweight, &want_dweight, terms);
        assert_close(&what("dbias"), &dbias, &want_dbias, terms);
    }
}

#[test]
fn portable_forward_matches_naive_f64() {
    forward_matches_naive::<Portable>();
}

#[test]
fn portable_backward_input_matches_naive_f64() {
    backward_input_matches_naive::<Portable>();
}

#[test]
fn portable_backward_weight_matches_naive_f64() {
    backward_weight_matches_naive::<Portable>();
}
