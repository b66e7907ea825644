//! Convolution microkernels behind one safe interface: this file checks shapes, sets up each op
//! and walks its tiles; each instruction set's file computes one tile. The implementation is picked
//! at compile time: simd128 when the wasm build enables it, otherwise the portable twin, which
//! computes the same bits (same lane order, same summation order, no fused multiply-add).
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
//!
//! # A crate of its own
//! So that the web build can optimise this crate for speed (opt-level 3: inlined, vectorised) and
//! the rest of the module for size (Cargo.toml's `web` profile). Hot elementwise loops of the
//! training step that must vectorise belong here too (ReLU's backward).

mod layout;
mod portable;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128;

pub use layout::{ChannelBlock, ConvGeometry, PixelTile, TapRow};
pub use portable::Portable;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub use simd128::Simd128;

use layout::{lane_blocks, rotate_weights, row_blocks};

/// The implementation this build uses.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub type Active = Portable;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub type Active = Simd128;

/// Shown in the page footer and printed by the CLI.
pub const KERNEL_NAME: &str = Active::NAME;

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
    Active::conv_forward(geometry, input, weight, bias, relu, output)
}

/// `dinput = conv(doutput, rotate180(weight)ᵀ)`.
/// Shapes: doutput (N, H, W, out), weight (k, k, in, out), dinput (N, H, W, in).
pub fn conv_backward_input(
    geometry: &ConvGeometry,
    doutput: &[f32],
    weight: &[f32],
    dinput: &mut [f32],
) {
    Active::conv_backward_input(geometry, doutput, weight, dinput)
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
    Active::conv_backward_weight(geometry, input, doutput, dweight, dbias)
}

/// `dactivation[i] = 0` wherever `activation[i] <= 0` (or NaN), in place.
/// `activation` is the ReLU output, so the pre-activation was positive exactly where it is positive;
/// at zero the gradient is 0, as in PyTorch.
/// Shapes: activation and dactivation (N, H, W, C), flattened alike.
pub fn relu_backward(activation: &[f32], dactivation: &mut [f32]) {
    assert_eq!(activation.len(), dactivation.len(), "relu_backward lengths");
    for (d, &a) in dactivation.iter_mut().zip(activation) {
        *d = if a > 0.0 { *d } else { 0.0 };
    }
}

/// One instruction set's kernels. An implementation provides the two tile loops; the three ops
/// (checks, set-up, the walk over tiles and the summation order) are written once, here.
pub trait Isa: Sized {
    /// Shown in the page footer and printed by the CLI.
    const NAME: &'static str;

    /// Output channels `lanes` of the pixels of `tile`: the bias (or zero) plus every tap's
    /// products, in the order of the module docs, stored after ReLU when `op.relu`.
    fn forward_tile(op: &ForwardOp, tile: &PixelTile, lanes: ChannelBlock, output: &mut [f32]);

    /// Adds `row`'s products to `dweight[ky, kx, rows, lanes]`, pixels in ascending order.
    fn weight_tile(
        op: &WeightOp,
        row: &TapRow,
        rows: ChannelBlock,
        lanes: ChannelBlock,
        dweight: &mut [f32],
    );

    /// [`conv_forward`] on this instruction set.
    fn conv_forward(
        geometry: &ConvGeometry,
        input: &[f32],
        weight: &[f32],
        bias: &[f32],
        relu: bool,
        output: &mut [f32],
    ) {
        assert_lengths(
            geometry,
            input.len(),
            weight.len(),
            Some(bias.len()),
            output.len(),
        );
        let op = ForwardOp {
            geometry,
            input,
            weight,
            bias: Some(bias),
            relu,
        };
        forward_tiles::<Self>(&op, output);
    }

    /// [`conv_backward_input`] on this instruction set.
    fn conv_backward_input(
        geometry: &ConvGeometry,
        doutput: &[f32],
        weight: &[f32],
        dinput: &mut [f32],
    ) {
        let transposed = geometry.transposed();
        assert_lengths(&transposed, doutput.len(), weight.len(), None, dinput.len());
        let rotated = rotate_weights(geometry, weight); // (k, k, out, in)
        let op = ForwardOp {
            geometry: &transposed,
            input: doutput,
            weight: &rotated,
            bias: None,
            relu: false,
        };
        forward_tiles::<Self>(&op, dinput);
    }

    /// [`conv_backward_weight`] on this instruction set.
    fn conv_backward_weight(
        geometry: &ConvGeometry,
        input: &[f32],
        doutput: &[f32],
        dweight: &mut [f32],
        dbias: &mut [f32],
    ) {
        assert_lengths(
            geometry,
            input.len(),
            dweight.len(),
            Some(dbias.len()),
            doutput.len(),
        );
        // dbias[co] = Σ doutput[p, co] over pixels p ascending.
        dbias.fill(0.0);
        for pixel in doutput.chunks_exact(geometry.out_channels) {
            for (sum, &d) in dbias.iter_mut().zip(pixel) {
                *sum += d;
            }
        }
        let op = WeightOp {
            geometry,
            input,
            doutput,
        };
        dweight.fill(0.0);
        geometry.for_each_tap_row(|row| {
            for rows in row_blocks(geometry.in_channels) {
                for lanes in lane_blocks(geometry.out_channels) {
                    Self::weight_tile(&op, row, rows, lanes, dweight);
                }
            }
        });
    }
}

/// Every tile of a forward op (or of d-input seen as one), in row-major order.
fn forward_tiles<I: Isa>(op: &ForwardOp, output: &mut [f32]) {
    op.geometry.for_each_pixel_tile(|tile| {
        for lanes in lane_blocks(op.geometry.out_channels) {
            I::forward_tile(op, tile, lanes, output);
        }
    });
}

/// The operands of one forward convolution, or of d-input seen as one (`bias: None` starts the
/// sums at zero).
pub struct ForwardOp<'a> {
    geometry: &'a ConvGeometry,
    /// (N, H, W, in)
    input: &'a [f32],
    /// (k, k, in, out)
    weight: &'a [f32],
    /// (out)
    bias: Option<&'a [f32]>,
    relu: bool,
}

/// The operands of one d-weight.
pub struct WeightOp<'a> {
    geometry: &'a ConvGeometry,
    /// (N, H, W, in)
    input: &'a [f32],
    /// (N, H, W, out)
    doutput: &'a [f32],
}

/// Panics unless the buffers fit `geometry` (a caller's bug, not a user's input: the layers
/// check shapes before they call in).
fn assert_lengths(
    geometry: &ConvGeometry,
    input: usize,
    weight: usize,
    bias: Option<usize>,
    output: usize,
) {
    let g = geometry;
    assert!(g.kernel % 2 == 1, "kernel {} must be odd", g.kernel);
    assert!(g.dilation >= 1, "dilation must be at least 1");
    assert!(
        g.in_channels >= 1 && g.out_channels >= 1,
        "channels must be at least 1"
    );
    assert_eq!(input, g.input_len(), "input length");
    assert_eq!(weight, g.weight_len(), "weight length");
    if let Some(bias) = bias {
        assert_eq!(bias, g.out_channels, "bias length");
    }
    assert_eq!(output, g.output_len(), "output length");
}
