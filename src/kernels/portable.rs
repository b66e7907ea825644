//! Portable kernels: the reference, bit-identical to simd128.rs. Register tiles are plain arrays
//! (`[[f32; LANES]; PIXELS]`) that mirror the simd128 tiles lane for lane; compilers vectorize
//! them natively without changing any result, since each lane is an independent sum.
//! The summation order is documented in `kernels/mod.rs`.

use super::{ConvGeometry, PixelTile, channel_blocks, input_channel_blocks, rotate_weights};
use std::ops::Range;

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
    geometry.assert_forward(input.len(), weight.len(), Some(bias.len()), output.len());
    let op = ForwardOp {
        geometry,
        input,
        weight,
        bias: Some(bias),
        relu,
    };
    op.run(output);
}

/// `dinput = conv(doutput, rotate180(weight)ᵀ)`.
/// Shapes: doutput (N, H, W, out), weight (k, k, in, out), dinput (N, H, W, in).
pub fn conv_backward_input(
    geometry: &ConvGeometry,
    doutput: &[f32],
    weight: &[f32],
    dinput: &mut [f32],
) {
    let transposed = geometry.transposed();
    transposed.assert_forward(doutput.len(), weight.len(), None, dinput.len());
    let rotated = rotate_weights(geometry, weight); // (k, k, out, in)
    let op = ForwardOp {
        geometry: &transposed,
        input: doutput,
        weight: &rotated,
        bias: None,
        relu: false,
    };
    op.run(dinput);
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
    geometry.assert_forward(input.len(), dweight.len(), Some(dbias.len()), doutput.len());
    let op = WeightOp {
        geometry,
        input,
        doutput,
    };
    op.run_bias(dbias);
    dweight.fill(0.0);
    op.for_each_tap_row(|row| {
        for (ci, rows) in input_channel_blocks(geometry.in_channels) {
            match rows {
                4 => op.tiles::<4>(row, ci, dweight),
                3 => op.tiles::<3>(row, ci, dweight),
                2 => op.tiles::<2>(row, ci, dweight),
                _ => op.tiles::<1>(row, ci, dweight),
            }
        }
    });
}

/// One forward convolution (or d-input seen as one); `bias: None` starts the sums at zero.
pub(super) struct ForwardOp<'a> {
    pub geometry: &'a ConvGeometry,
    pub input: &'a [f32],
    pub weight: &'a [f32],
    pub bias: Option<&'a [f32]>,
    pub relu: bool,
}

impl ForwardOp<'_> {
    fn run(&self, output: &mut [f32]) {
        self.geometry.for_each_pixel_tile(|tile| {
            for (co, lanes) in channel_blocks(self.geometry.out_channels) {
                match (tile.pixels, lanes) {
                    (4, 8) => self.tile::<4, 8>(tile, co, output),
                    (4, 4) => self.tile::<4, 4>(tile, co, output),
                    (4, _) => self.tile::<4, 1>(tile, co, output),
                    (_, 8) => self.tile::<1, 8>(tile, co, output),
                    (_, 4) => self.tile::<1, 4>(tile, co, output),
                    _ => self.tile::<1, 1>(tile, co, output),
                }
            }
        });
    }

    /// Output channels `co..co + LANES` of the `PIXELS` pixels of `tile`.
    #[inline(always)]
    pub(super) fn tile<const PIXELS: usize, const LANES: usize>(
        &self,
        tile: &PixelTile,
        co: usize,
        output: &mut [f32],
    ) {
        let g = self.geometry;
        let (k, cin, cout) = (g.kernel, g.in_channels, g.out_channels);
        let mut acc = [[0.0f32; LANES]; PIXELS];
        if let Some(bias) = self.bias {
            for pixel in &mut acc {
                pixel.copy_from_slice(&bias[co..co + LANES]);
            }
        }
        for ky in tile.taps_y.clone() {
            for kx in tile.taps_x.clone() {
                let first = g.tap_pixel(tile.n, tile.y, tile.x, ky, kx) * cin;
                let pixels = &self.input[first..first + PIXELS * cin]; // (PIXELS, in)
                let taps = &self.weight[(ky * k + kx) * cin * cout..][..cin * cout]; // (in, out)
                for ci in 0..cin {
                    let w = &taps[ci * cout + co..][..LANES];
                    for (p, pixel) in acc.iter_mut().enumerate() {
                        let value = pixels[p * cin + ci];
                        for (sum, &w) in pixel.iter_mut().zip(w) {
                            *sum += value * w;
                        }
                    }
                }
            }
        }
        let first = g.pixel(tile.n, tile.y, tile.x);
        for (p, pixel) in acc.iter().enumerate() {
            let out = &mut output[(first + p) * cout + co..][..LANES];
            for (out, &sum) in out.iter_mut().zip(pixel) {
                // Same as f32x4_pmax(sum, 0): NaN passes through, so divergence stays visible.
                *out = if self.relu && sum < 0.0 { 0.0 } else { sum };
            }
        }
    }
}

/// The output pixels of one image row that tap (ky, kx) connects to an input pixel.
pub(super) struct TapRow {
    pub n: usize,
    pub y: usize,
    pub ky: usize,
    pub kx: usize,
    pub xs: Range<usize>,
}

/// d-weight and d-bias of one convolution.
pub(super) struct WeightOp<'a> {
    pub geometry: &'a ConvGeometry,
    pub input: &'a [f32],
    pub doutput: &'a [f32],
}

impl WeightOp<'_> {
    /// `dbias[co] = Σ doutput[p, co]` over pixels p ascending.
    pub(super) fn run_bias(&self, dbias: &mut [f32]) {
        dbias.fill(0.0);
        for pixel in self.doutput.chunks_exact(self.geometry.out_channels) {
            for (sum, &d) in dbias.iter_mut().zip(pixel) {
                *sum += d;
            }
        }
    }

    /// Rows (n, y) ascending, then every valid tap: each dweight entry sees its pixels in
    /// ascending order, one row at a time (rows keep the data in cache).
    pub(super) fn for_each_tap_row(&self, mut visit: impl FnMut(&TapRow)) {
        let g = self.geometry;
        for n in 0..g.batch {
            for y in 0..g.height {
                for ky in g.valid_taps(y, g.height) {
                    for kx in 0..g.kernel {
                        let xs = g.valid_positions(kx, g.width);
                        if !xs.is_empty() {
                            visit(&TapRow { n, y, ky, kx, xs });
                        }
                    }
                }
            }
        }
    }

    /// Every output-channel block of input channels `ci..ci + ROWS`.
    #[inline(always)]
    fn tiles<const ROWS: usize>(&self, row: &TapRow, ci: usize, dweight: &mut [f32]) {
        for (co, lanes) in channel_blocks(self.geometry.out_channels) {
            match lanes {
                8 => self.tile::<ROWS, 8>(row, ci, co, dweight),
                4 => self.tile::<ROWS, 4>(row, ci, co, dweight),
                _ => self.tile::<ROWS, 1>(row, ci, co, dweight),
            }
        }
    }

    /// Adds this row's contribution to dweight[ky, kx, ci..ci + ROWS, co..co + LANES].
    #[inline(always)]
    pub(super) fn tile<const ROWS: usize, const LANES: usize>(
        &self,
        row: &TapRow,
        ci: usize,
        co: usize,
        dweight: &mut [f32],
    ) {
        let g = self.geometry;
        let (cin, cout) = (g.in_channels, g.out_channels);
        let first = ((row.ky * g.kernel + row.kx) * cin + ci) * cout + co;
        let mut acc = [[0.0f32; LANES]; ROWS];
        for (r, sums) in acc.iter_mut().enumerate() {
            sums.copy_from_slice(&dweight[first + r * cout..][..LANES]);
        }
        for x in row.xs.clone() {
            let d = &self.doutput[g.pixel(row.n, row.y, x) * cout + co..][..LANES];
            let source = g.tap_pixel(row.n, row.y, x, row.ky, row.kx) * cin + ci;
            let values = &self.input[source..source + ROWS];
            for (sums, &value) in acc.iter_mut().zip(values) {
                for (sum, &d) in sums.iter_mut().zip(d) {
                    *sum += value * d;
                }
            }
        }
        for (r, sums) in acc.iter().enumerate() {
            dweight[first + r * cout..][..LANES].copy_from_slice(sums);
        }
    }
}
