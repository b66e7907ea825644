//! The user's own images as the browser decodes them (RGBA bytes): which pixels of an uploaded mask
//! are object, an Otsu threshold to start a mask from, and how much of a mask is object. Sizing and
//! storage are in `given`.

use crate::bail;
use crate::error::Result;
use ndarray::Array3;

/// The largest uploaded file the page decodes, in pixels (checked from its header before decoding):
/// a 40-megapixel photograph passes, a 100,000 × 100,000 decompression bomb does not.
pub const MAX_FILE_PIXELS: usize = 120_000_000;

/// How much of a mask is object; training on all-background or all-object masks is legal but lopsided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// No object pixel: overlap losses (Dice, Tversky, Lovász) have nothing to overlap with.
    Empty,
    /// Every pixel is object: there is no background to tell apart.
    Full,
    Mixed,
}

impl Coverage {
    /// `mask`: one byte per pixel, non-zero = object.
    pub fn of(mask: &[u8]) -> Coverage {
        let object = mask.iter().filter(|&&v| v > 0).count();
        match object {
            0 => Coverage::Empty,
            n if n == mask.len() => Coverage::Full,
            _ => Coverage::Mixed,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Coverage::Empty => "empty",
            Coverage::Full => "full",
            Coverage::Mixed => "mixed",
        }
    }
}

fn check_rgba(rgba: &[u8], width: usize, height: usize, what: &str) -> Result<()> {
    if width == 0 || height == 0 {
        bail!("the {what} is empty ({width}×{height} pixels)");
    }
    let expected = width.checked_mul(height).and_then(|n| n.checked_mul(4));
    if expected != Some(rgba.len()) {
        bail!(
            "the {what} has {} bytes of pixels but {width}×{height} RGBA needs {}",
            rgba.len(),
            width.saturating_mul(height).saturating_mul(4)
        );
    }
    Ok(())
}

/// Row-major RGBA bytes → (H, W, 3) RGB in [0, 1], as training normalises them; alpha is dropped
/// (the browser already composited).
pub fn rgba_to_image(rgba: &[u8], width: usize, height: usize) -> Result<Array3<f32>> {
    check_rgba(rgba, width, height, "image")?;
    Ok(Array3::from_shape_fn((height, width, 3), |(y, x, c)| {
        f32::from(rgba[(y * width + x) * 4 + c]) / 255.0
    }))
}

/// A mask with at most this many grey levels is a lossless label image (0/1, 0/255, class indices):
/// any non-zero level is object. More levels come from lossy compression or soft edges.
const LABEL_LEVELS: usize = 16;

/// An uploaded mask as read: one byte per pixel (1 = object), and how it was read.
#[derive(Debug, PartialEq)]
pub struct MaskReading {
    pub mask: Vec<u8>,
    /// Object pixels were those brighter than half the brightest (the mask has many grey levels, as
    /// a JPEG has); else any non-zero pixel.
    pub thresholded: bool,
    /// The share of pixels of a thresholded mask neither black nor at its brightest level:
    /// compression noise or soft edges, where the file is not exactly the mask it was saved from.
    pub intermediate: f64,
}

/// Row-major RGBA bytes of a mask → one byte per pixel, 1 = object. A mask with any transparency
/// marks objects by alpha (painted over a transparent layer); an opaque one by brightness, the
/// largest of its channels (white on black, or a palette image whose class 0 is black). A label
/// image (few levels) marks every non-zero pixel; a mask of many levels, as JPEG compression makes
/// of a black-and-white mask, is split at half its brightest level, so the noise around black does
/// not count as object.
pub fn rgba_to_mask(rgba: &[u8], width: usize, height: usize) -> Result<MaskReading> {
    check_rgba(rgba, width, height, "mask")?;
    let has_alpha = rgba.chunks_exact(4).any(|p| p[3] < 255);
    let levels: Vec<u8> = rgba
        .chunks_exact(4)
        .map(|p| {
            if has_alpha {
                p[3]
            } else {
                p[0].max(p[1]).max(p[2])
            }
        })
        .collect();
    let mut seen = [false; 256];
    for &v in &levels {
        seen[usize::from(v)] = true;
    }
    let brightest = levels.iter().copied().max().unwrap_or(0);
    let thresholded = seen.iter().filter(|&&s| s).count() > LABEL_LEVELS;
    let object = |v: u8| {
        if thresholded {
            2 * u16::from(v) > u16::from(brightest)
        } else {
            v > 0
        }
    };
    let grey = levels.iter().filter(|&&v| v > 0 && v < brightest).count();
    let intermediate = if thresholded {
        grey as f64 / levels.len() as f64
    } else {
        0.0
    };
    Ok(MaskReading {
        mask: levels.iter().map(|&v| u8::from(object(v))).collect(),
        thresholded,
        intermediate,
    })
}

/// Row-major RGBA bytes of a mask → one byte per pixel, 1 where the pixel has exactly the colour
/// `rgb` (one class of a colour-coded label image).
pub fn rgba_colour_to_mask(
    rgba: &[u8],
    width: usize,
    height: usize,
    rgb: [u8; 3],
) -> Result<Vec<u8>> {
    check_rgba(rgba, width, height, "mask")?;
    Ok(rgba
        .chunks_exact(4)
        .map(|p| u8::from(p[..3] == rgb))
        .collect())
}

/// Otsu's threshold on luminance: the split of the 256-bin histogram that maximises the variance
/// between the two classes. The smaller class becomes the object, since objects rarely fill most of
/// a photograph; the user refines from there. One byte per pixel, 1 = object.
pub fn otsu_mask(rgba: &[u8], width: usize, height: usize) -> Result<Vec<u8>> {
    check_rgba(rgba, width, height, "image")?;
    let level: Vec<usize> = rgba
        .chunks_exact(4)
        .map(|p| {
            let l = 0.2126 * f64::from(p[0]) + 0.7152 * f64::from(p[1]) + 0.0722 * f64::from(p[2]);
            l.round().clamp(0.0, 255.0) as usize
        })
        .collect();
    let mut histogram = [0f64; 256];
    for &v in &level {
        histogram[v] += 1.0;
    }
    let total = level.len() as f64;
    let weighted: f64 = histogram
        .iter()
        .enumerate()
        .map(|(i, n)| i as f64 * n)
        .sum();
    let (mut below, mut below_weighted) = (0.0, 0.0);
    let (mut best, mut threshold) = (-1.0, 0);
    for (i, &n) in histogram.iter().enumerate() {
        below += n;
        below_weighted += i as f64 * n;
        let above = total - below;
        if below == 0.0 || above == 0.0 {
            continue;
        }
        let gap = below_weighted / below - (weighted - below_weighted) / above;
        let between = below * above * gap * gap;
        if between > best {
            best = between;
            threshold = i;
        }
    }
    let bright = level.iter().filter(|&&v| v > threshold).count() as f64;
    let object_is_bright = bright <= total / 2.0;
    Ok(level
        .iter()
        .map(|&v| u8::from((v > threshold) == object_is_bright))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rgba(width: usize, height: usize, pixel: impl Fn(usize, usize) -> [u8; 4]) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(width * height * 4);
        for y in 0..height {
            for x in 0..width {
                bytes.extend(pixel(y, x));
            }
        }
        bytes
    }

    #[test]
    fn label_masks_mark_any_non_black_pixel() {
        let bytes = rgba(4, 1, |_, x| {
            [[0, 0, 0, 255], [0, 9, 0, 255], [255; 4], [1, 1, 1, 255]][x]
        });
        let reading = rgba_to_mask(&bytes, 4, 1).unwrap();
        assert_eq!(reading.mask, vec![0, 1, 1, 1]);
        assert!(!reading.thresholded);
    }

    #[test]
    fn transparent_masks_mark_alpha() {
        let bytes = rgba(3, 1, |_, x| {
            [[0, 0, 0, 0], [0, 0, 0, 255], [255, 255, 255, 0]][x]
        });
        assert_eq!(rgba_to_mask(&bytes, 3, 1).unwrap().mask, vec![0, 1, 0]);
    }

    #[test]
    fn lossy_masks_split_at_half_the_brightest_and_count_grey_pixels() {
        // JPEG noise: near-black levels 0..=20, near-white 235..=255, and 10 grey pixels.
        let level = |x: usize| match x {
            0..=20 => x as u8,
            21..=41 => (214 + x) as u8,
            _ => 100 + x as u8,
        };
        let bytes = rgba(52, 1, |_, x| {
            let v = level(x);
            [v, v, v, 255]
        });
        let reading = rgba_to_mask(&bytes, 52, 1).unwrap();
        assert!(reading.thresholded);
        let object: usize = reading.mask.iter().map(|&m| usize::from(m)).sum();
        assert_eq!(object, 21 + 10, "the bright half and the greys above 127");
        assert_eq!(
            reading.intermediate,
            (20.0 + 20.0 + 10.0) / 52.0,
            "all but 0 and 255"
        );
    }

    #[test]
    fn a_chosen_colour_marks_one_class_of_a_label_image() {
        let bytes = rgba(3, 1, |_, x| {
            [[0, 0, 0, 255], [128, 0, 0, 255], [0, 128, 0, 255]][x]
        });
        assert_eq!(
            rgba_colour_to_mask(&bytes, 3, 1, [128, 0, 0]).unwrap(),
            vec![0, 1, 0]
        );
    }

    #[test]
    fn wrong_byte_counts_and_empty_images_are_refused() {
        let error = rgba_to_mask(&[0; 12], 2, 2).unwrap_err();
        assert!(error.0.contains("12 bytes"), "{}", error.0);
        assert!(otsu_mask(&[], 0, 5).unwrap_err().0.contains("empty"));
    }

    #[test]
    fn otsu_picks_the_smaller_class_as_object() {
        let image = rgba(10, 10, |y, x| {
            let v = if (3..6).contains(&y) && (3..6).contains(&x) {
                30
            } else {
                220
            };
            [v, v, v, 255]
        });
        let mask = otsu_mask(&image, 10, 10).unwrap();
        assert_eq!(mask.iter().filter(|&&m| m == 1).count(), 9);
        assert_eq!(mask[4 * 10 + 4], 1);
    }

    #[test]
    fn coverage_tells_empty_and_full_masks_apart() {
        assert_eq!(Coverage::of(&[0, 0]), Coverage::Empty);
        assert_eq!(Coverage::of(&[1, 1]), Coverage::Full);
        assert_eq!(Coverage::of(&[0, 1]), Coverage::Mixed);
    }
}
