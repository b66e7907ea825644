//! The shapes every implementation shares: the convolution's geometry, how the output is cut into
//! register tiles and channel blocks, and the rotated weight layout of d-input.

use std::ops::Range;

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
    pub fn tap_offset(&self, k: usize) -> isize {
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
    pub(super) fn pixel(&self, n: usize, y: usize, x: usize) -> usize {
        (n * self.height + y) * self.width + x
    }

    /// Index of the input pixel that tap (ky, kx) of output pixel (n, y, x) reads; the tap must
    /// be valid.
    pub(super) fn tap_pixel(&self, n: usize, y: usize, x: usize, ky: usize, kx: usize) -> usize {
        let ty = (y as isize + self.tap_offset(ky)) as usize;
        let tx = (x as isize + self.tap_offset(kx)) as usize;
        self.pixel(n, ty, tx)
    }

    /// Visits every output pixel once, in tiles of `TILE_PIXELS` pixels that see the same valid
    /// taps (so one register tile serves them all): neighbours on a row, and where a row's ends
    /// break that (the first and last `kernel / 2 · dilation` columns), neighbours down a column
    /// of four rows instead; single pixels only where neither fits (the corners). On a 32-pixel
    /// row the ends are an eighth of the pixels, which single-pixel tiles computed at a fraction
    /// of the speed (two independent sums wait on the adder's latency).
    pub(super) fn for_each_pixel_tile(&self, mut visit: impl FnMut(&PixelTile)) {
        // (x, pixels along the row) of one row: the same for every row.
        let mut segments = Vec::new();
        let mut x = 0;
        while x < self.width {
            let taps_x = self.valid_taps(x, self.width);
            let last = x + TILE_PIXELS - 1;
            // Valid ranges move monotonically with x, so equal ends mean equal between.
            let full = last < self.width && self.valid_taps(last, self.width) == taps_x;
            let pixels = if full { TILE_PIXELS } else { 1 };
            segments.push((x, pixels, taps_x));
            x += pixels;
        }
        for n in 0..self.batch {
            let mut y = 0;
            while y < self.height {
                let taps_y = self.valid_taps(y, self.height);
                let last = y + TILE_PIXELS - 1;
                let rows = if last < self.height && self.valid_taps(last, self.height) == taps_y {
                    TILE_PIXELS
                } else {
                    1
                };
                for (x, pixels, taps_x) in &segments {
                    let tile = |y, pixels, stride| PixelTile {
                        n,
                        y,
                        x: *x,
                        pixels,
                        stride,
                        taps_y: taps_y.clone(),
                        taps_x: taps_x.clone(),
                    };
                    if *pixels == TILE_PIXELS {
                        for row in y..y + rows {
                            visit(&tile(row, TILE_PIXELS, 1));
                        }
                    } else {
                        visit(&tile(y, rows, self.width));
                    }
                }
                y += rows;
            }
        }
    }

    /// Rows (n, y) ascending, then every valid tap: each dweight entry sees its pixels in
    /// ascending order, one row at a time (rows keep the data in cache).
    pub(super) fn for_each_tap_row(&self, mut visit: impl FnMut(&TapRow)) {
        for n in 0..self.batch {
            for y in 0..self.height {
                for ky in self.valid_taps(y, self.height) {
                    for kx in 0..self.kernel {
                        let xs = self.valid_positions(kx, self.width);
                        if !xs.is_empty() {
                            visit(&TapRow { n, y, ky, kx, xs });
                        }
                    }
                }
            }
        }
    }
}

/// Pixels per register tile: XNNPACK's f32-gemm 4x8 wasmsimd shape.
pub(super) const TILE_PIXELS: usize = 4;

/// Output pixels `pixel(n, y, x) + p · stride` for p in 0..pixels (a run along a row, stride 1,
/// or down a column, stride = width) that share the valid taps `taps_y` × `taps_x`.
pub struct PixelTile {
    pub(super) n: usize,
    pub(super) y: usize,
    pub(super) x: usize,
    /// `TILE_PIXELS` or 1.
    pub(super) pixels: usize,
    /// Pixels from one pixel of the tile to the next.
    pub(super) stride: usize,
    pub(super) taps_y: Range<usize>,
    pub(super) taps_x: Range<usize>,
}

/// The output pixels (n, y, x) for x in `xs` that tap (ky, kx) connects to an input pixel.
pub struct TapRow {
    pub(super) n: usize,
    pub(super) y: usize,
    pub(super) ky: usize,
    pub(super) kx: usize,
    pub(super) xs: Range<usize>,
}

/// Channels `start..start + width` of one tile: `width` is 8, 4 or 1 for output channels (the
/// lanes), 1 to 4 for the input channels of d-weight (the rows).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChannelBlock {
    pub(super) start: usize,
    pub(super) width: usize,
}

/// Splits output `channels` into blocks: 8-wide while they fit, then one 4-wide, then single
/// channels.
pub(super) fn lane_blocks(channels: usize) -> impl Iterator<Item = ChannelBlock> {
    let eights = channels / 8 * 8;
    let fours = eights + (channels - eights) / 4 * 4;
    let block = |width| move |start| ChannelBlock { start, width };
    (0..eights)
        .step_by(8)
        .map(block(8))
        .chain((eights..fours).step_by(4).map(block(4)))
        .chain((fours..channels).map(block(1)))
}

/// Input channels are gathered 4 at a time in d-weight (4 rows × 8 lanes), then the 1–3 left in
/// one block: an RGB input is one 3-row tile, whose 6 independent sums keep the adder busy where
/// single rows waited on their 2.
pub(super) fn row_blocks(channels: usize) -> impl Iterator<Item = ChannelBlock> {
    let fours = channels / 4 * 4;
    let rest = (fours < channels).then_some(ChannelBlock {
        start: fours,
        width: channels - fours,
    });
    (0..fours)
        .step_by(4)
        .map(|start| ChannelBlock { start, width: 4 })
        .chain(rest)
}

/// Rotates HWIO weights by 180° and swaps in/out: (k, k, in, out) → (k, k, out, in), so that the
/// forward op computes d-input.
pub(super) fn rotate_weights(geometry: &ConvGeometry, weight: &[f32]) -> Vec<f32> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn tiles_cover_every_pixel_once_with_shared_taps() {
        for (kernel, dilation, height, width) in
            [(3, 1, 32, 32), (5, 2, 7, 9), (3, 1, 3, 2), (1, 1, 5, 6)]
        {
            let g = ConvGeometry {
                batch: 2,
                height,
                width,
                in_channels: 1,
                out_channels: 1,
                kernel,
                dilation,
            };
            let mut seen = vec![0; g.pixels()];
            let mut singles = 0;
            g.for_each_pixel_tile(|tile| {
                singles += usize::from(tile.pixels == 1);
                for p in 0..tile.pixels {
                    let (y, x) = if tile.stride == 1 {
                        (tile.y, tile.x + p)
                    } else {
                        (tile.y + p, tile.x)
                    };
                    assert_eq!(
                        g.pixel(tile.n, y, x),
                        g.pixel(tile.n, tile.y, tile.x) + p * tile.stride
                    );
                    assert_eq!(g.valid_taps(y, height), tile.taps_y, "{y} {x}");
                    assert_eq!(g.valid_taps(x, width), tile.taps_x, "{y} {x}");
                    seen[g.pixel(tile.n, y, x)] += 1;
                }
            });
            assert!(seen.iter().all(|&count| count == 1));
            if (kernel, height, width) == (3, 32, 32) {
                // Per image: 4 end columns of the 2 edge rows and of the 2 rows the 30 inner rows
                // leave over after groups of four; all else in 4-pixel tiles.
                assert_eq!(singles, 2 * 4 * 4);
            }
        }
    }

    #[test]
    fn blocks_cover_every_channel_once_widest_first() {
        let widths = |blocks: Vec<ChannelBlock>| -> Vec<usize> {
            let mut next = 0;
            for block in &blocks {
                assert_eq!(block.start, next, "{blocks:?}");
                next += block.width;
            }
            blocks.iter().map(|b| b.width).collect()
        };
        assert_eq!(widths(lane_blocks(21).collect()), [8, 8, 4, 1]);
        assert_eq!(widths(lane_blocks(3).collect()), [1, 1, 1]);
        assert_eq!(widths(row_blocks(11).collect()), [4, 4, 3]);
        assert_eq!(widths(row_blocks(3).collect()), [3]);
        assert_eq!(widths(row_blocks(8).collect()), [4, 4]);
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
