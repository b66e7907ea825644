//! simd128 tiles (core::arch::wasm32), bit-identical to portable.rs: the same tiles with `v128`
//! lanes in place of array lanes. Each output channel is one lane, so a lane sees exactly the sums
//! of its portable twin: `f32x4_mul` then `f32x4_add` (never fused), in the same order.
//! Blocks of single channels (counts that are not a multiple of 4) take the portable tiles.

use super::{ChannelBlock, ForwardOp, Isa, PixelTile, Portable, TapRow, WeightOp};
use core::arch::wasm32::*;

/// wasm32 with `target-feature=+simd128` (never relaxed-SIMD, whose results differ between CPUs).
pub struct Simd128;

impl Isa for Simd128 {
    const NAME: &'static str = "simd128-f32";

    #[inline(always)]
    fn forward_tile(op: &ForwardOp, tile: &PixelTile, lanes: ChannelBlock, output: &mut [f32]) {
        let co = lanes.start;
        match (tile.pixels, lanes.width) {
            (4, 8) => forward_tile::<4, 2>(op, tile, co, output),
            (4, 4) => forward_tile::<4, 1>(op, tile, co, output),
            (_, 8) => forward_tile::<1, 2>(op, tile, co, output),
            (_, 4) => forward_tile::<1, 1>(op, tile, co, output),
            _ => Portable::forward_tile(op, tile, lanes, output),
        }
    }

    #[inline(always)]
    fn weight_tile(
        op: &WeightOp,
        row: &TapRow,
        rows: ChannelBlock,
        lanes: ChannelBlock,
        dweight: &mut [f32],
    ) {
        let (ci, co) = (rows.start, lanes.start);
        match (rows.width, lanes.width) {
            (4, 8) => weight_tile::<4, 2>(op, row, ci, co, dweight),
            (4, 4) => weight_tile::<4, 1>(op, row, ci, co, dweight),
            (3, 8) => weight_tile::<3, 2>(op, row, ci, co, dweight),
            (3, 4) => weight_tile::<3, 1>(op, row, ci, co, dweight),
            (2, 8) => weight_tile::<2, 2>(op, row, ci, co, dweight),
            (2, 4) => weight_tile::<2, 1>(op, row, ci, co, dweight),
            (1, 8) => weight_tile::<1, 2>(op, row, ci, co, dweight),
            (1, 4) => weight_tile::<1, 1>(op, row, ci, co, dweight),
            _ => Portable::weight_tile(op, row, rows, lanes, dweight),
        }
    }
}

/// Four lanes from `values[..4]` (bounds-checked, so never out of range).
#[inline(always)]
fn load(values: &[f32]) -> v128 {
    let four = &values[..4];
    // SAFETY: `four` is 16 readable bytes; v128_load has no alignment requirement.
    unsafe { v128_load(four.as_ptr().cast()) }
}

#[inline(always)]
fn store(values: &mut [f32], vector: v128) {
    let four = &mut values[..4];
    // SAFETY: `four` is 16 writable bytes; v128_store has no alignment requirement.
    unsafe { v128_store(four.as_mut_ptr().cast(), vector) }
}

/// Output channels `co..co + 4 * VECTORS` of the `PIXELS` pixels of `tile`: per input value one
/// splat, times the packed weights of `VECTORS` × 4 output channels.
#[inline(always)]
fn forward_tile<const PIXELS: usize, const VECTORS: usize>(
    op: &ForwardOp,
    tile: &PixelTile,
    co: usize,
    output: &mut [f32],
) {
    let g = op.geometry;
    let (k, cin, cout) = (g.kernel, g.in_channels, g.out_channels);
    let start = match op.bias {
        Some(bias) => core::array::from_fn(|v| load(&bias[co + 4 * v..])),
        None => [f32x4_splat(0.0); VECTORS],
    };
    let mut acc = [start; PIXELS];
    assert!(
        co + 4 * VECTORS <= cout,
        "channel block inside the output channels"
    );
    for ky in tile.taps_y.clone() {
        for kx in tile.taps_x.clone() {
            let first = g.tap_pixel(tile.n, tile.y, tile.x, ky, kx) * cin;
            let step = tile.stride * cin;
            let pixels = &op.input[first..first + (PIXELS - 1) * step + cin]; // PIXELS × (in)
            let taps = &op.weight[(ky * k + kx) * cin * cout..][..cin * cout]; // (in, out)
            for ci in 0..cin {
                // SAFETY: ci < in and co + 4·VECTORS <= out (asserted above), so every load
                // reads taps[ci·out + co .. ci·out + co + 4·VECTORS], inside (in, out). The hot
                // loop skips the slice checks; the arithmetic is the same as the checked one.
                let w: [v128; VECTORS] = core::array::from_fn(|v| unsafe {
                    v128_load(taps.as_ptr().add(ci * cout + co + 4 * v).cast())
                });
                for (p, pixel) in acc.iter_mut().enumerate() {
                    // SAFETY: p < PIXELS and ci < in, so p·step + ci < (PIXELS − 1)·step + in,
                    // inside `pixels`.
                    let value =
                        unsafe { v128_load32_splat(pixels.as_ptr().add(p * step + ci).cast()) };
                    for (sum, &w) in pixel.iter_mut().zip(&w) {
                        *sum = f32x4_add(*sum, f32x4_mul(value, w));
                    }
                }
            }
        }
    }
    let first = g.pixel(tile.n, tile.y, tile.x);
    for (p, pixel) in acc.iter().enumerate() {
        let out = &mut output[(first + p * tile.stride) * cout + co..];
        for (v, &sum) in pixel.iter().enumerate() {
            // pmax(sum, 0) = sum < 0 ? 0 : sum, like the portable store: NaN passes through.
            let sum = if op.relu {
                f32x4_pmax(sum, f32x4_splat(0.0))
            } else {
                sum
            };
            store(&mut out[4 * v..], sum);
        }
    }
}

/// Adds one row's contribution to dweight[ky, kx, ci..ci + ROWS, co..co + 4 * VECTORS]: per pixel,
/// `ROWS` input splats times `VECTORS` loads of doutput.
#[inline(always)]
fn weight_tile<const ROWS: usize, const VECTORS: usize>(
    op: &WeightOp,
    row: &TapRow,
    ci: usize,
    co: usize,
    dweight: &mut [f32],
) {
    let g = op.geometry;
    let (cin, cout) = (g.in_channels, g.out_channels);
    let first = ((row.ky * g.kernel + row.kx) * cin + ci) * cout + co;
    let mut acc: [[v128; VECTORS]; ROWS] = core::array::from_fn(|r| {
        core::array::from_fn(|v| load(&dweight[first + r * cout + 4 * v..]))
    });
    let xs = row.xs.clone();
    if xs.is_empty() {
        return;
    }
    // Pixel x of the row reads doutput from pixel `row_pixel + x` and input from pixel
    // `tap_pixel + i` (i = x − xs.start); both ranges are checked once here, not per pixel.
    let row_pixel = g.pixel(row.n, row.y, 0);
    let tap_pixel = g.tap_pixel(row.n, row.y, xs.start, row.ky, row.kx);
    assert!(
        co + 4 * VECTORS <= cout && ci + ROWS <= cin,
        "tile inside the channels"
    );
    assert!(
        (row_pixel + xs.end) * cout <= op.doutput.len(),
        "row inside doutput"
    );
    assert!(
        (tap_pixel + xs.len()) * cin <= op.input.len(),
        "row inside input"
    );
    let doutput = op.doutput.as_ptr();
    let input = op.input.as_ptr();
    for (i, x) in xs.enumerate() {
        // SAFETY: the reads are channels co..co + 4·VECTORS of pixel row_pixel + x < row_pixel
        // + xs.end, and channels ci..ci + ROWS of pixel tap_pixel + i < tap_pixel + xs.len():
        // inside doutput and input by the asserts above.
        let d: [v128; VECTORS] = core::array::from_fn(|v| unsafe {
            v128_load(doutput.add((row_pixel + x) * cout + co + 4 * v).cast())
        });
        let source = (tap_pixel + i) * cin + ci;
        for (r, sums) in acc.iter_mut().enumerate() {
            let value = unsafe { v128_load32_splat(input.add(source + r).cast()) };
            for (sum, &d) in sums.iter_mut().zip(&d) {
                *sum = f32x4_add(*sum, f32x4_mul(value, d));
            }
        }
    }
    for (r, sums) in acc.iter().enumerate() {
        for (v, &sum) in sums.iter().enumerate() {
            store(&mut dweight[first + r * cout + 4 * v..], sum);
        }
    }
}
