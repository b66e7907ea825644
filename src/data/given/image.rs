//! One given image from the page's pixels: checked, and box-averaged down to the training size in
//! integers, so every target gets the same bytes.

use super::GivenImage;
use crate::bail;
use crate::error::Result;
use crate::settings;

/// Source indices [start, end) that output index `i` of `out` averages over `len` inputs; never
/// empty, so a non-integer factor still covers every output pixel.
fn box_span(i: usize, out: usize, len: usize) -> (usize, usize) {
    let start = i * len / out;
    let end = ((i + 1) * len / out).max(start + 1);
    (start, end)
}

/// (height, width) with the longest side at most `max_side`, aspect kept, each side at least 1.
pub fn fitted_size(height: usize, width: usize, max_side: usize) -> (usize, usize) {
    let longest = height.max(width);
    if longest <= max_side {
        return (height, width);
    }
    let scale = |n: usize| ((n * max_side + longest / 2) / longest).max(1);
    (scale(height), scale(width))
}

impl GivenImage {
    /// RGBA pixels and a 0/1 mask of the same size → an image no longer than `max_side`, by box
    /// averaging in integers (every source pixel counts, thin structures fade rather than alias;
    /// the same bytes on every target). A downscaled mask pixel is object when at least half its
    /// box is.
    pub fn from_rgba(
        rgba: &[u8],
        (width, height): (usize, usize),
        mask: &[u8],
        max_side: usize,
        heldout: bool,
    ) -> Result<GivenImage> {
        settings::TRAIN_SIDE.check_int(max_side as u64)?;
        let pixels = width.checked_mul(height).filter(|&n| n > 0);
        let Some(pixels) = pixels else {
            bail!("the image is empty ({width}×{height} pixels)");
        };
        if rgba.len() != pixels * 4 {
            bail!(
                "the image has {} bytes of pixels but {width}×{height} RGBA needs {}",
                rgba.len(),
                pixels * 4
            );
        }
        if mask.len() != pixels {
            bail!(
                "the mask has {} pixels but its {width}×{height} image has {pixels}; masks must match \
                 their image exactly",
                mask.len()
            );
        }
        let rgb: Vec<u8> = rgba
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        let full = GivenImage {
            width,
            height,
            rgb,
            mask: mask.iter().map(|&m| u8::from(m > 0)).collect(),
            heldout,
        };
        Ok(full.downscaled(max_side))
    }

    /// This image with its longest side at most `max_side` (itself if already that small).
    pub fn downscaled(&self, max_side: usize) -> GivenImage {
        let (h, w) = fitted_size(self.height, self.width, max_side.max(1));
        if (h, w) == (self.height, self.width) {
            return self.clone();
        }
        let mut rgb = Vec::with_capacity(h * w * 3);
        let mut mask = Vec::with_capacity(h * w);
        for oy in 0..h {
            let (y0, y1) = box_span(oy, h, self.height);
            for ox in 0..w {
                let (x0, x1) = box_span(ox, w, self.width);
                let count = ((y1 - y0) * (x1 - x0)) as u64;
                let mut sums = [0u64; 4];
                for y in y0..y1 {
                    for x in x0..x1 {
                        let i = y * self.width + x;
                        for (c, sum) in sums.iter_mut().take(3).enumerate() {
                            *sum += u64::from(self.rgb[i * 3 + c]);
                        }
                        sums[3] += u64::from(self.mask[i]);
                    }
                }
                rgb.extend(sums[..3].iter().map(|&s| ((s + count / 2) / count) as u8));
                mask.push(u8::from(2 * sums[3] >= count));
            }
        }
        GivenImage {
            width: w,
            height: h,
            rgb,
            mask,
            heldout: self.heldout,
        }
    }
}
