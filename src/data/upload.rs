//! The user's own images: RGBA bytes decoded by the browser become samples, downscaled for training,
//! with masks read from uploaded pixels or started from an Otsu threshold, and messages a user can act on.

use super::Sample;
use crate::bail;
use crate::error::Result;
use ndarray::{Array2, Array3};

/// Longest side, in pixels, an uploaded image is downscaled to for training unless the user picks another.
pub const DEFAULT_MAX_SIDE: usize = 256;
/// Allowed longest sides: below 16 the model sees nothing; above 1024 a step takes seconds.
pub const MAX_SIDE_RANGE: (usize, usize) = (16, 1024);

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
    pub fn of(mask: &Array2<f32>) -> Coverage {
        let object = mask.iter().filter(|&&v| v > 0.5).count();
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

/// Row-major RGBA bytes → (H, W, 3) RGB in [0, 1]; alpha is dropped (the browser already composited).
pub fn rgba_to_image(rgba: &[u8], width: usize, height: usize) -> Result<Array3<f32>> {
    check_rgba(rgba, width, height, "image")?;
    Ok(Array3::from_shape_fn((height, width, 3), |(y, x, c)| {
        rgba[(y * width + x) * 4 + c] as f32 / 255.0
    }))
}

/// Row-major RGBA bytes of a mask → (H, W) in {0, 1}. A mask with any transparency marks objects by
/// alpha > 0 (painted over a transparent layer); an opaque one by any non-black pixel (white on black).
pub fn rgba_to_mask(rgba: &[u8], width: usize, height: usize) -> Result<Array2<f32>> {
    check_rgba(rgba, width, height, "mask")?;
    let has_alpha = rgba.chunks_exact(4).any(|p| p[3] < 255);
    let object = |p: &[u8]| {
        if has_alpha {
            p[3] > 0
        } else {
            p[..3].iter().any(|&v| v > 0)
        }
    };
    Ok(Array2::from_shape_fn((height, width), |(y, x)| {
        let i = (y * width + x) * 4;
        f32::from(u8::from(object(&rgba[i..i + 4])))
    }))
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

/// Source rows (or columns) [start, end) that output index `i` of `out` averages over `len` inputs;
/// never empty, so downscaling by a non-integer factor still covers every output pixel.
fn box_span(i: usize, out: usize, len: usize) -> (usize, usize) {
    let start = i * len / out;
    let end = ((i + 1) * len / out).max(start + 1);
    (start, end)
}

/// Box-filter average of each channel: every source pixel counts, so thin structures fade rather
/// than vanish or alias as they would with nearest-neighbour sampling.
fn downscale(image: &Array3<f32>, height: usize, width: usize) -> Array3<f32> {
    let (h, w, channels) = image.dim();
    let mut out = Array3::zeros((height, width, channels));
    for oy in 0..height {
        let (y0, y1) = box_span(oy, height, h);
        for ox in 0..width {
            let (x0, x1) = box_span(ox, width, w);
            let count = ((y1 - y0) * (x1 - x0)) as f32;
            for c in 0..channels {
                let mut sum = 0.0;
                for y in y0..y1 {
                    for x in x0..x1 {
                        sum += image[[y, x, c]];
                    }
                }
                out[[oy, ox, c]] = sum / count;
            }
        }
    }
    out
}

/// Otsu's threshold on luminance: the split of the 256-bin histogram that maximises the variance
/// between the two classes. The smaller class becomes the object, since objects rarely fill most of
/// a photograph; the user refines from there.
pub fn otsu_mask(image: &Array3<f32>) -> Array2<f32> {
    let (h, w, _) = image.dim();
    let level = Array2::from_shape_fn((h, w), |(y, x)| {
        let l = 0.2126 * image[[y, x, 0]] + 0.7152 * image[[y, x, 1]] + 0.0722 * image[[y, x, 2]];
        (l.clamp(0.0, 1.0) * 255.0).round() as usize
    });
    let mut histogram = [0f64; 256];
    for &v in &level {
        histogram[v] += 1.0;
    }
    let total = (h * w) as f64;
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
    level.mapv(|v| f32::from(u8::from((v > threshold) == object_is_bright)))
}

/// One uploaded image and, if given, its mask, as RGBA bytes → a sample no longer than `max_side`.
/// Without a mask the Otsu threshold is the starting mask. A mask must match its image pixel for pixel.
pub fn sample_from_rgba(
    image: (&[u8], usize, usize),
    mask: Option<(&[u8], usize, usize)>,
    max_side: usize,
) -> Result<Sample> {
    let (lo, hi) = MAX_SIDE_RANGE;
    if !(lo..=hi).contains(&max_side) {
        bail!("the longest side must be between {lo} and {hi} pixels, not {max_side}");
    }
    let (rgba, width, height) = image;
    let pixels = rgba_to_image(rgba, width, height)?;
    let mask = match mask {
        Some((mask_rgba, mask_width, mask_height)) => {
            if (mask_width, mask_height) != (width, height) {
                bail!(
                    "the mask is {mask_width}×{mask_height} pixels but its image is \
                     {width}×{height}; masks must match their image exactly"
                );
            }
            rgba_to_mask(mask_rgba, width, height)?
        }
        None => otsu_mask(&pixels),
    };
    let (h, w) = fitted_size(height, width, max_side);
    if (h, w) == (height, width) {
        return Sample::new(pixels, mask);
    }
    let mask3 = mask.insert_axis(ndarray::Axis(2));
    let small_mask = downscale(&mask3, h, w)
        .index_axis_move(ndarray::Axis(2), 0)
        .mapv(|v| f32::from(u8::from(v >= 0.5)));
    Sample::new(downscale(&pixels, h, w), small_mask)
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
    fn opaque_masks_mark_any_non_black_pixel() {
        let bytes = rgba(3, 1, |_, x| [[0, 0, 0, 255], [0, 9, 0, 255], [255; 4]][x]);
        let mask = rgba_to_mask(&bytes, 3, 1).unwrap();
        assert_eq!(
            mask.iter().copied().collect::<Vec<_>>(),
            vec![0.0, 1.0, 1.0]
        );
    }

    #[test]
    fn transparent_masks_mark_alpha() {
        let bytes = rgba(3, 1, |_, x| {
            [[0, 0, 0, 0], [0, 0, 0, 255], [255, 255, 255, 0]][x]
        });
        let mask = rgba_to_mask(&bytes, 3, 1).unwrap();
        assert_eq!(
            mask.iter().copied().collect::<Vec<_>>(),
            vec![0.0, 1.0, 0.0]
        );
    }

    #[test]
    fn wrong_byte_counts_and_empty_images_are_refused() {
        let error = rgba_to_image(&[0; 12], 2, 2).unwrap_err();
        assert!(error.0.contains("12 bytes"), "{}", error.0);
        assert!(rgba_to_image(&[], 0, 5).unwrap_err().0.contains("empty"));
    }

    #[test]
    fn mismatched_mask_sizes_name_both_sizes() {
        let image = rgba(4, 2, |_, _| [0; 4]);
        let mask = rgba(2, 4, |_, _| [0; 4]);
        let error = sample_from_rgba((&image, 4, 2), Some((&mask, 2, 4)), 256).unwrap_err();
        assert!(
            error.0.contains("2×4") && error.0.contains("4×2"),
            "{}",
            error.0
        );
    }

    #[test]
    fn large_images_shrink_to_the_longest_side_keeping_aspect() {
        assert_eq!(fitted_size(3000, 4000, 256), (192, 256));
        assert_eq!(fitted_size(100, 50, 256), (100, 50));
        assert_eq!(fitted_size(1, 5000, 256), (1, 256));
        let image = rgba(
            40,
            20,
            |_, x| if x < 20 { [255; 4] } else { [0, 0, 0, 255] },
        );
        let mask = rgba(
            40,
            20,
            |_, x| if x < 20 { [255; 4] } else { [0, 0, 0, 255] },
        );
        let sample = sample_from_rgba((&image, 40, 20), Some((&mask, 40, 20)), 16).unwrap();
        assert_eq!((sample.height(), sample.width()), (8, 16));
        assert_eq!(sample.foreground_fraction(), 0.5);
        assert_eq!(sample.image[[0, 0, 0]], 1.0);
        assert_eq!(sample.image[[0, 15, 0]], 0.0);
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
        let sample = sample_from_rgba((&image, 10, 10), None, 256).unwrap();
        assert_eq!(sample.foreground_fraction(), 0.09);
        assert_eq!(sample.mask[[4, 4]], 1.0);
    }

    #[test]
    fn coverage_tells_empty_and_full_masks_apart() {
        assert_eq!(Coverage::of(&Array2::zeros((2, 2))), Coverage::Empty);
        assert_eq!(Coverage::of(&Array2::ones((2, 2))), Coverage::Full);
        assert_eq!(Coverage::of(&Array2::eye(2)), Coverage::Mixed);
    }

    #[test]
    fn out_of_range_longest_sides_are_refused() {
        let image = rgba(2, 2, |_, _| [0; 4]);
        assert!(sample_from_rgba((&image, 2, 2), None, 8).is_err());
    }

    #[test]
    fn uploaded_images_train_every_default_loss() {
        use crate::data::Dataset;
        use crate::experiment::{DataSource, Experiment};
        let photo = rgba(300, 200, |y, x| {
            let inside = (y as i64 - 100).pow(2) + (x as i64 - 150).pow(2) < 60 * 60;
            let v = if inside { 200 } else { 40 } + (x % 7) as u8;
            [v, v / 2, 255 - v, 255]
        });
        let train = sample_from_rgba((&photo, 300, 200), None, 48).unwrap();
        let heldout = sample_from_rgba((&photo, 300, 200), None, 48).unwrap();
        assert_eq!((train.height(), train.width()), (32, 48));
        let dataset = Dataset::new("mine", vec![train], vec![heldout]).unwrap();
        let experiment = Experiment {
            data: DataSource::Given(dataset),
            patch: 16,
            ..Experiment::default()
        };
        for loss in 0..experiment.losses.len() {
            let mut run = crate::train::Run::new(&experiment, loss).unwrap();
            assert_eq!(run.step(3).unwrap().diverged, None);
            run.evaluate().unwrap();
        }
    }
}
