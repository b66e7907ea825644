//! Convolution microkernels behind one safe interface. The implementation is picked at compile
//! time: simd128 when the wasm build enables it, otherwise the portable twin, which computes the
//! same bits (same lane order, same summation order, no fused multiply-add).
//!
//! Every op is a stride-1, 'same' (zero-padded) convolution with a square odd kernel and a
//! dilation, on NHWC data with HWIO weights, computed as an implicit GEMM: no im2col buffer.
//! Zero-padding taps are skipped, never multiplied by zero.
//!
//! # Summation order (what both implementations promise, bit for bit)
//! - forward: `out[p, co] = bias[co]`, then for `ky` ascending, `kx` ascending (valid taps only),
//!   `ci` ascending: `out += in[p + tap, ci] * weight[ky, kx, ci, co]` (product rounded, then sum
//!   rounded); ReLU last when fused.
//! - d-input: the forward op on `doutput` with the weights rotated 180° and in/out swapped, starting
//!   from zero instead of the bias.
//! - d-weight: `dweight[ky, kx, ci, co] = 0`, then for output pixels `(n, y, x)` ascending (those
//!   whose tap is valid): `+= in[p + tap, ci] * doutput[p, co]`; `dbias[co]` likewise sums `doutput`.

pub mod portable;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub mod simd128;

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
use portable as active;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
use simd128 as active;

use std::ops::Range;

/// Shown in the page footer and printed by the CLI.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub const KERNEL_NAME: &str = "simd128-f32";
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub const KERNEL_NAME: &str = "portable-f32";

/// The shape of one convolution: input (batch, height, width, in_channels), weights
/// (kernel, kernel, in_channels, out_channels), output (batch, height, width, out_channels).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConvGeometry {
    pub batch: usize,
    pub height: usize,
    pub width: usize,
    pub in_channels: usize,
    pub out_channels: usize,
    /// Odd: 1, 3 or 5 in this crate's models.
    pub kernel: usize,
    /// Distance between taps; 1 is an ordinary convolution.
    pub dilation: usize,
}

impl ConvGeometry {
    pub fn pixels(&self) -> usize {
        self.batch * self.height * self.width
    }

    pub fn input_len(&self) -> usize {
        self.pixels() * self.in_channels
    }

    pub fn output_len(&self) -> usize {
        self.pixels() * self.out_channels
    }

    pub fn weight_len(&self) -> usize {
        self.kernel * self.kernel * self.in_channels * self.out_channels
    }

    /// Multiply-adds of one op, counting padding taps as if they were computed (the usual
    /// convention for FLOP figures).
    pub fn macs(&self) -> u64 {
        (self.pixels() * self.kernel * self.kernel) as u64
            * (self.in_channels * self.out_channels) as u64
    }

    /// The geometry of d-input seen as a forward convolution: channels swapped.
    pub fn transposed(&self) -> ConvGeometry {
        ConvGeometry {
            in_channels: self.out_channels,
            out_channels: self.in_channels,
            ..*self
        }
    }

    /// Offset of tap `k` from the centre along one axis, in pixels.
    fn tap_offset(&self, k: usize) -> isize {
        (k as isize - (self.kernel / 2) as isize) * self.dilation as isize
    }

    /// Taps `k` for which `position + tap_offset(k)` falls inside `0..size`. The valid taps of a
    /// position always form one contiguous range, because offsets grow with `k`.
    fn valid_taps(&self, position: usize, size: usize) -> Range<usize> {
        let inside = |k: &usize| {
            let p = position as isize + self.tap_offset(*k);
            p >= 0 && p < size as isize
        };
        let first = (0..self.kernel).find(inside).unwrap_or(self.kernel);
        let end = (first..self.kernel)
            .find(|k| !inside(k))
            .unwrap_or(self.kernel);
        first..end
    }

    /// Output positions `p` for which `p + tap_offset(k)` falls inside `0..size`.
    fn valid_positions(&self, k: usize, size: usize) -> Range<usize> {
        let offset = self.tap_offset(k);
        let start = (-offset).clamp(0, size as isize) as usize;
        let end = (size as isize - offset).clamp(0, size as isize) as usize;
        start..end.max(start)
    }

    /// Index of output pixel (n, y, x).
    fn pixel(&self, n: usize, y: usize, x: usize) -> usize {
        (n * self.height + y) * self.width + x
    }

    /// Index of the input pixel that tap (ky, kx) of output pixel (n, y, x) reads; the tap must
    /// be valid.
    fn tap_pixel(&self, n: usize, y: usize, x: usize, ky: usize, kx: usize) -> usize {
        let ty = (y as isize + self.tap_offset(ky)) as usize;
        let tx = (x as isize + self.tap_offset(kx)) as usize;
        self.pixel(n, ty, tx)
    }

    /// Visits the output in row-major order as tiles of `TILE_PIXELS` neighbours on one row
    /// that see the same valid taps (so one register tile serves them all), else single pixels.
    fn for_each_pixel_tile(&self, mut visit: impl FnMut(&PixelTile)) {
        for n in 0..self.batch {
            for y in 0..self.height {
                let taps_y = self.valid_taps(y, self.height);
                let mut x = 0;
                while x < self.width {
                    let taps_x = self.valid_taps(x, self.width);
                    let last = x + TILE_PIXELS - 1;
                    // Valid ranges move monotonically with x, so equal ends mean equal between.
                    let full = last < self.width && self.valid_taps(last, self.width) == taps_x;
                    let pixels = if full { TILE_PIXELS } else { 1 };
                    visit(&PixelTile {
                        n,
                        y,
                        x,
                        pixels,
                        taps_y: taps_y.clone(),
                        taps_x,
                    });
                    x += pixels;
                }
            }
        }
    }

    fn assert_forward(&self, input: usize, weight: usize, bias: Option<usize>, output: usize) {
        assert!(self.kernel % 2 == 1, "kernel {} must be odd", self.kernel);
        assert!(self.dilation >= 1, "dilation must be at least 1");
        assert!(
            self.in_channels >= 1 && self.out_channels >= 1,
            "channels must be at least 1"
        );
        assert_eq!(input, self.input_len(), "input length");
        assert_eq!(weight, self.weight_len(), "weight length");
        if let Some(bias) = bias {
            assert_eq!(bias, self.out_channels, "bias length");
        }
        assert_eq!(output, self.output_len(), "output length");
    }
}

/// Pixels per register tile: XNNPACK's f32-gemm 4x8 wasmsimd shape.
const TILE_PIXELS: usize = 4;

/// Output pixels (n, y, x..x + pixels) that share the valid taps `taps_y` × `taps_x`.
struct PixelTile {
    n: usize,
    y: usize,
    x: usize,
    pixels: usize,
    taps_y: Range<usize>,
    taps_x: Range<usize>,
}

/// Splits `channels` into blocks (start, width): 8-wide while they fit, then one 4-wide, then
/// single channels.
fn channel_blocks(channels: usize) -> impl Iterator<Item = (usize, usize)> {
    let eights = channels / 8 * 8;
    let fours = eights + (channels - eights) / 4 * 4;
    (0..eights)
        .step_by(8)
        .map(|c| (c, 8))
        .chain((eights..fours).step_by(4).map(|c| (c, 4)))
        .chain((fours..channels).map(|c| (c, 1)))
}

/// Input channels are gathered 4 at a time in d-weight (4 rows × 8 lanes), then the 1–3 left in
/// one block: an RGB input is one 3-row tile, whose 6 independent sums keep the adder busy where
/// single rows waited on their 2.
fn input_channel_blocks(channels: usize) -> impl Iterator<Item = (usize, usize)> {
    let fours = channels / 4 * 4;
    let rest = (fours < channels).then_some((fours, channels - fours));
    (0..fours).step_by(4).map(|c| (c, 4)).chain(rest)
}

/// Rotates HWIO weights by 180° and swaps in/out: (k, k, in, out) → (k, k, out, in), so that the
/// forward op computes d-input.
fn rotate_weights(geometry: &ConvGeometry, weight: &[f32]) -> Vec<f32> {
    let (k, cin, cout) = (geometry.kernel, geometry.in_channels, geometry.out_channels);
    let mut rotated = vec![0.0; weight.len()]; // (k, k, cout, cin)
    for ky in 0..k {
        for kx in 0..k {
            let source = ((ky * k + kx) * cin) * cout;
            let target = (((k - 1 - ky) * k + (k - 1 - kx)) * cout) * cin;
            for ci in 0..cin {
                for co in 0..cout {
                    rotated[target + co * cin + ci] = weight[source + ci * cout + co];
                }
            }
        }
    }
    rotated
}

/// `output = conv(input, weight) + bias`, then ReLU when `relu`.
/// Shapes: input (N, H, W, in), weight (k, k, in, out), bias (out), output (N, H, W, out).
pub fn conv_forward(
    geometry: &ConvGeometry,
    input: &[f32],
    weight: &[f32],
    bias: &[f32],
    relu: bool,
    output: &mut [f32],
) {
    active::conv_forward(geometry, input, weight, bias, relu, output)
}

/// `dinput = conv(doutput, rotate180(weight)ᵀ)`.
/// Shapes: doutput (N, H, W, out), weight (k, k, in, out), dinput (N, H, W, in).
pub fn conv_backward_input(
    geometry: &ConvGeometry,
    doutput: &[f32],
    weight: &[f32],
    dinput: &mut [f32],
) {
    active::conv_backward_input(geometry, doutput, weight, dinput)
}

/// `dweight = Σ_pixels input ⊗ doutput` per tap and `dbias = Σ_pixels doutput`, overwriting both.
/// Shapes: input (N, H, W, in), doutput (N, H, W, out), dweight (k, k, in, out), dbias (out).
pub fn conv_backward_weight(
    geometry: &ConvGeometry,
    input: &[f32],
    doutput: &[f32],
    dweight: &mut [f32],
    dbias: &mut [f32],
) {
    active::conv_backward_weight(geometry, input, doutput, dweight, dbias)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

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

    /// Naive f64 oracle: (value, Σ|term|) per output, where the terms are the products summed
    /// (bias included). Inputs are f32, so their f64 products and sums are exact to ~1e-16.
    fn naive_forward(
        g: &ConvGeometry,
        input: &[f32],
        weight: &[f32],
        bias: &[f32],
    ) -> Vec<(f64, f64)> {
        let (k, cin, cout) = (g.kernel, g.in_channels, g.out_channels);
        let mut out = vec![(0.0, 0.0); g.output_len()];
        for n in 0..g.batch {
            for y in 0..g.height {
                for x in 0..g.width {
                    let p = at(g, n, y as isize, x as isize).unwrap();
                    for co in 0..cout {
                        let (mut sum, mut magnitude) = (bias[co] as f64, (bias[co] as f64).abs());
                        for ky in 0..k {
                            for kx in 0..k {
                                let q = at(
                                    g,
                                    n,
                                    y as isize + g.tap_offset(ky),
                                    x as isize + g.tap_offset(kx),
                                );
                                let Some(q) = q else { continue };
                                for ci in 0..cin {
                                    let term = input[q * cin + ci] as f64
                                        * weight[((ky * k + kx) * cin + ci) * cout + co] as f64;
                                    sum += term;
                                    magnitude += term.abs();
                                }
                            }
                        }
                        out[p * cout + co] = (sum, magnitude);
                    }
                }
            }
        }
        out
    }

    /// dinput by scattering each output gradient back along the taps (the textbook form).
    fn naive_backward_input(g: &ConvGeometry, doutput: &[f32], weight: &[f32]) -> Vec<(f64, f64)> {
        let (k, cin, cout) = (g.kernel, g.in_channels, g.out_channels);
        let mut dinput = vec![(0.0, 0.0); g.input_len()];
        for n in 0..g.batch {
            for y in 0..g.height {
                for x in 0..g.width {
                    let p = at(g, n, y as isize, x as isize).unwrap();
                    for ky in 0..k {
                        for kx in 0..k {
                            let q = at(
                                g,
                                n,
                                y as isize + g.tap_offset(ky),
                                x as isize + g.tap_offset(kx),
                            );
                            let Some(q) = q else { continue };
                            for ci in 0..cin {
                                for co in 0..cout {
                                    let term = doutput[p * cout + co] as f64
                                        * weight[((ky * k + kx) * cin + ci) * cout + co] as f64;
                                    dinput[q * cin + ci].0 += term;
                                    dinput[q * cin + ci].1 += term.abs();
                                }
                            }
                        }
                    }
                }
            }
        }
        dinput
    }

    /// (dweight, dbias), each entry (value, Σ|term|).
    type Oracle = Vec<(f64, f64)>;

    fn naive_backward_weight(g: &ConvGeometry, input: &[f32], doutput: &[f32]) -> (Oracle, Oracle) {
        let (k, cin, cout) = (g.kernel, g.in_channels, g.out_channels);
        let mut dweight = vec![(0.0, 0.0); g.weight_len()];
        let mut dbias = vec![(0.0, 0.0); cout];
        for n in 0..g.batch {
            for y in 0..g.height {
                for x in 0..g.width {
                    let p = at(g, n, y as isize, x as isize).unwrap();
                    for co in 0..cout {
                        let d = doutput[p * cout + co] as f64;
                        dbias[co].0 += d;
                        dbias[co].1 += d.abs();
                    }
                    for ky in 0..k {
                        for kx in 0..k {
                            let q = at(
                                g,
                                n,
                                y as isize + g.tap_offset(ky),
                                x as isize + g.tap_offset(kx),
                            );
                            let Some(q) = q else { continue };
                            for ci in 0..cin {
                                for co in 0..cout {
                                    let term =
                                        input[q * cin + ci] as f64 * doutput[p * cout + co] as f64;
                                    let w = ((ky * k + kx) * cin + ci) * cout + co;
                                    dweight[w].0 += term;
                                    dweight[w].1 += term.abs();
                                }
                            }
                        }
                    }
                }
            }
        }
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

    #[test]
    fn forward_matches_naive_f64() {
        let mut rng = Rng::new(1, 0);
        for g in shapes() {
            let input = random(&mut rng, g.input_len());
            let weight = random(&mut rng, g.weight_len());
            let bias = random(&mut rng, g.out_channels);
            let want = naive_forward(&g, &input, &weight, &bias);
            let terms = g.kernel * g.kernel * g.in_channels + 2;
            let mut output = vec![f32::NAN; g.output_len()];
            conv_forward(&g, &input, &weight, &bias, false, &mut output);
            assert_close(&format!("forward {g:?}"), &output, &want, terms);

            conv_forward(&g, &input, &weight, &bias, true, &mut output);
            let relu: Vec<(f64, f64)> = want.iter().map(|&(v, m)| (v.max(0.0), m)).collect();
            assert_close(&format!("forward+relu {g:?}"), &output, &relu, terms);
        }
    }

    #[test]
    fn backward_input_matches_naive_f64() {
        let mut rng = Rng::new(2, 0);
        for g in shapes() {
            let doutput = random(&mut rng, g.output_len());
            let weight = random(&mut rng, g.weight_len());
            let want = naive_backward_input(&g, &doutput, &weight);
            let mut dinput = vec![f32::NAN; g.input_len()];
            conv_backward_input(&g, &doutput, &weight, &mut dinput);
            let terms = g.kernel * g.kernel * g.out_channels + 2;
            assert_close(&format!("dinput {g:?}"), &dinput, &want, terms);
        }
    }

    #[test]
    fn backward_weight_matches_naive_f64() {
        let mut rng = Rng::new(3, 0);
        for g in shapes() {
            let input = random(&mut rng, g.input_len());
            let doutput = random(&mut rng, g.output_len());
            let (want_dweight, want_dbias) = naive_backward_weight(&g, &input, &doutput);
            let mut dweight = vec![f32::NAN; g.weight_len()];
            let mut dbias = vec![f32::NAN; g.out_channels];
            conv_backward_weight(&g, &input, &doutput, &mut dweight, &mut dbias);
            let terms = g.pixels() + 2;
            assert_close(&format!("dweight {g:?}"), &dweight, &want_dweight, terms);
            assert_close(&format!("dbias {g:?}"), &dbias, &want_dbias, terms);
        }
    }

    #[test]
    fn valid_taps_and_positions_agree() {
        for (kernel, dilation, size) in [(3, 1, 1), (5, 2, 3), (5, 3, 9), (1, 1, 4), (3, 8, 20)] {
            let g = ConvGeometry {
                batch: 1,
                height: size,
                width: size,
                in_channels: 1,
                out_channels: 1,
                kernel,
                dilation,
            };
            for position in 0..size {
                for k in 0..kernel {
                    let inside = (position as isize + g.tap_offset(k)).clamp(-1, size as isize);
                    let valid = inside >= 0 && inside < size as isize;
                    assert_eq!(g.valid_taps(position, size).contains(&k), valid);
                    assert_eq!(g.valid_positions(k, size).contains(&position), valid);
                }
            }
        }
    }

    #[test]
    fn rotated_weights_put_each_tap_opposite() {
        let g = ConvGeometry {
            batch: 1,
            height: 1,
            width: 1,
            in_channels: 2,
            out_channels: 3,
            kernel: 3,
            dilation: 1,
        };
        let weight: Vec<f32> = (0..g.weight_len()).map(|i| i as f32).collect();
        let rotated = rotate_weights(&g, &weight);
        let hwio = |ky: usize, kx: usize, a: usize, b: usize, inner: usize| {
            ((ky * 3 + kx) * (6 / inner) + a) * inner + b
        };
        // weight[ky=0, kx=1, ci=1, co=2] (ci < 2, co < 3) moves to rotated[2, 1, co=2, ci=1].
        assert_eq!(rotated[hwio(2, 1, 2, 1, 2)], weight[hwio(0, 1, 1, 2, 3)]);
        assert_eq!(weight[hwio(0, 1, 1, 2, 3)], 11.0);
    }
}
