//! Portable tiles: the reference, bit-identical to simd128.rs. Register tiles are plain arrays
//! (`[[f32; LANES]; PIXELS]`) that mirror the simd128 tiles lane for lane; compilers vectorize
//! them natively without changing any result, since each lane is an independent sum.
//! The summation order is documented in the crate docs (`lib.rs`).

use super::{ChannelBlock, ForwardOp, Isa, PixelTile, TapRow, WeightOp};

/// Plain Rust, on every target.
pub struct Portable;

impl Isa for Portable {
    const NAME: &'static str = "portable-f32";

    #[inline(always)]
    fn forward_tile(op: &ForwardOp, tile: &PixelTile, lanes: ChannelBlock, output: &mut [f32]) {
        let co = lanes.start;
        match (tile.pixels, lanes.width) {
            (4, 8) => forward_tile::<4, 8>(op, tile, co, output),
            (4, 4) => forward_tile::<4, 4>(op, tile, co, output),
            (4, _) => forward_tile::<4, 1>(op, tile, co, output),
            (_, 8) => forward_tile::<1, 8>(op, tile, co, output),
            (_, 4) => forward_tile::<1, 4>(op, tile, co, output),
            _ => forward_tile::<1, 1>(op, tile, co, output),
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
        match rows.width {
            4 => weight_tile_lanes::<4>(op, row, rows.start, lanes, dweight),
            3 => weight_tile_lanes::<3>(op, row, rows.start, lanes, dweight),
            2 => weight_tile_lanes::<2>(op, row, rows.start, lanes, dweight),
            _ => weight_tile_lanes::<1>(op, row, rows.start, lanes, dweight),
        }
    }
}

/// Output channels `co..co + LANES` of the `PIXELS` pixels of `tile`.
#[inline(always)]
fn forward_tile<const PIXELS: usize, const LANES: usize>(
    op: &ForwardOp,
    tile: &PixelTile,
    co: usize,
    output: &mut [f32],
) {
    let g = op.geometry;
    let (k, cin, cout) = (g.kernel, g.in_channels, g.out_channels);
    let mut acc = [[0.0f32; LANES]; PIXELS];
    if let Some(bias) = op.bias {
        for pixel in &mut acc {
            pixel.copy_from_slice(&bias[co..co + LANES]);
        }
    }
    for ky in tile.taps_y.clone() {
        for kx in tile.taps_x.clone() {
            let first = g.tap_pixel(tile.n, tile.y, tile.x, ky, kx) * cin;
            let step = tile.stride * cin;
            let pixels = &op.input[first..first + (PIXELS - 1) * step + cin]; // PIXELS × (in)
            let taps = &op.weight[(ky * k + kx) * cin * cout..][..cin * cout]; // (in, out)
            for ci in 0..cin {
                let w = &taps[ci * cout + co..][..LANES];
                for (p, pixel) in acc.iter_mut().enumerate() {
                    let value = pixels[p * step + ci];
                    for (sum, &w) in pixel.iter_mut().zip(w) {
                        *sum += value * w;
                    }
                }
            }
        }
    }
    let first = g.pixel(tile.n, tile.y, tile.x);
    for (p, pixel) in acc.iter().enumerate() {
        let out = &mut output[(first + p * tile.stride) * cout + co..][..LANES];
        for (out, &sum) in out.iter_mut().zip(pixel) {
            // Same as f32x4_pmax(sum, 0): NaN passes through, so divergence stays visible.
            *out = if op.relu && sum < 0.0 { 0.0 } else { sum };
        }
    }
}

#[inline(always)]
fn weight_tile_lanes<const ROWS: usize>(
    op: &WeightOp,
    row: &TapRow,
    ci: usize,
    lanes: ChannelBlock,
    dweight: &mut [f32],
) {
    let co = lanes.start;
    match lanes.width {
        8 => weight_tile::<ROWS, 8>(op, row, ci, co, dweight),
        4 => weight_tile::<ROWS, 4>(op, row, ci, co, dweight),
        _ => weight_tile::<ROWS, 1>(op, row, ci, co, dweight),
    }
}

/// Adds this row's contribution to dweight[ky, kx, ci..ci + ROWS, co..co + LANES].
#[inline(always)]
fn weight_tile<const ROWS: usize, const LANES: usize>(
    op: &WeightOp,
    row: &TapRow,
    ci: usize,
    co: usize,
    dweight: &mut [f32],
) {
    let g = op.geometry;
    let (cin, cout) = (g.in_channels, g.out_channels);
    let first = ((row.ky * g.kernel + row.kx) * cin + ci) * cout + co;
    let mut acc = [[0.0f32; LANES]; ROWS];
    for (r, sums) in acc.iter_mut().enumerate() {
        sums.copy_from_slice(&dweight[first + r * cout..][..LANES]);
    }
    for x in row.xs.clone() {
        let d = &op.doutput[g.pixel(row.n, row.y, x) * cout + co..][..LANES];
        let source = g.tap_pixel(row.n, row.y, x, row.ky, row.kx) * cin + ci;
        let values = &op.input[source..source + ROWS];
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
