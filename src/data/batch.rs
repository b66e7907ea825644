//! The sequence of training batches: random crops (or whole images) with random flips and
//! quarter turns, drawn from their own Rng stream so that every run of an experiment, whatever
//! its loss, sees exactly the same batches.

use super::Sample;
use super::image::{INPUT_MEAN, INPUT_SPREAD};
use crate::bail;
use crate::error::Result;
use crate::rng::Rng;
use crate::tensor::Tensor;

/// Rng stream of the batch sequence ("BTCH"), apart from weight init and scenes.
const BATCH_STREAM: u64 = 0x4254_4348;

/// How batches are cut from the training images.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchPlan {
    /// Crops per batch.
    pub batch_size: usize,
    /// Side of the square crops in pixels; 0 = whole images (which must then share one size).
    pub patch: usize,
    /// Random flips and quarter turns: the eight symmetries of the square, which keep a
    /// segmentation a valid segmentation and multiply eight images into 64 views.
    pub augment: bool,
}

/// One batch: normalised input (N, P, P, 3) and target (N, P, P, 1) in {0, 1}.
pub struct Batch {
    pub input: Tensor,
    pub target: Tensor,
}

pub struct Batches {
    rng: Rng,
    plan: BatchPlan,
}

impl Batches {
    pub fn new(seed: u64, plan: BatchPlan) -> Batches {
        Batches {
            rng: Rng::new(seed, BATCH_STREAM),
            plan,
        }
    }

    /// Checks that `samples` can be cut as planned, so that `next` cannot fail later.
    pub fn check(plan: BatchPlan, samples: &[Sample]) -> Result<()> {
        let sizes: Vec<(usize, usize)> = samples.iter().map(|s| (s.height(), s.width())).collect();
        Batches::check_sizes(plan, &sizes)
    }

    /// `check` for training images of these (height, width): what an experiment validates, without
    /// making the images' tensors.
    pub fn check_sizes(plan: BatchPlan, sizes: &[(usize, usize)]) -> Result<()> {
        let Some(&first) = sizes.first() else {
            bail!("no training images to draw batches from")
        };
        if plan.batch_size == 0 {
            bail!("batch size must be at least 1");
        }
        let shortest = |&(h, w): &(usize, usize)| h.min(w);
        if plan.patch == 0 {
            if let Some(i) = sizes.iter().position(|&size| size != first) {
                let (h, w) = sizes[i];
                bail!(
                    "whole-image batches need images of one size: image {i} is {h}×{w}, image 0 is {}×{}; choose a patch size",
                    first.0,
                    first.1
                );
            }
        } else if let Some(&(h, w)) = sizes.iter().find(|size| shortest(size) < plan.patch) {
            bail!(
                "patch size {} exceeds a {h}×{w} training image; choose at most {}",
                plan.patch,
                sizes.iter().map(shortest).min().unwrap_or(0)
            );
        }
        Ok(())
    }

    /// The next batch. Per crop the Rng draws, in this order: image index, top, left, symmetry.
    pub fn next(&mut self, samples: &[Sample]) -> Result<Batch> {
        Batches::check(self.plan, samples)?;
        let (height, width) = match self.plan.patch {
            0 => (samples[0].height(), samples[0].width()),
            p => (p, p),
        };
        let n = self.plan.batch_size;
        // Flat buffers and plain slice indexing: the web build optimises this crate for size,
        // where ndarray's per-element indexing is a function call per pixel.
        let mut input = vec![0.0; n * height * width * 3];
        let mut target = vec![0.0; n * height * width];
        let (input_pixels, target_pixels) = (&mut input[..], &mut target[..]);
        for item in 0..n {
            let sample = &samples[self.rng.below(samples.len())];
            let top = self.rng.below(sample.height() - height + 1);
            let left = self.rng.below(sample.width() - width + 1);
            let symmetry = if self.plan.augment {
                Symmetry::from_index(self.rng.below(8))
            } else {
                Symmetry::IDENTITY
            };
            // Quarter turns swap the axes, which only keeps the shape of square crops.
            let symmetry = if height == width {
                symmetry
            } else {
                symmetry.without_transpose()
            };
            let image = sample.image.as_standard_layout();
            let image = image.as_slice().expect("standard layout");
            let mask = sample.mask.as_standard_layout();
            let mask = mask.as_slice().expect("standard layout");
            let sample_width = sample.width();
            for y in 0..height {
                for x in 0..width {
                    let (sy, sx) = symmetry.source(y, x, height, width);
                    let from = (top + sy) * sample_width + left + sx;
                    let to = (item * height + y) * width + x;
                    for c in 0..3 {
                        input_pixels[to * 3 + c] =
                            (image[from * 3 + c] - INPUT_MEAN) / INPUT_SPREAD;
                    }
                    target_pixels[to] = mask[from];
                }
            }
        }
        let input = Tensor::from_shape_vec((n, height, width, 3), input).expect("batch shape");
        let target = Tensor::from_shape_vec((n, height, width, 1), target).expect("batch shape");
        Ok(Batch { input, target })
    }
}

/// One of the eight symmetries of the square: optional transpose, then optional flips.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Symmetry {
    transpose: bool,
    flip_y: bool,
    flip_x: bool,
}

impl Symmetry {
    const IDENTITY: Symmetry = Symmetry {
        transpose: false,
        flip_y: false,
        flip_x: false,
    };

    fn from_index(index: usize) -> Symmetry {
        Symmetry {
            transpose: index & 4 != 0,
            flip_y: index & 2 != 0,
            flip_x: index & 1 != 0,
        }
    }

    fn without_transpose(self) -> Symmetry {
        Symmetry {
            transpose: false,
            ..self
        }
    }

    /// The crop pixel that output pixel (y, x) shows, for an output of height × width.
    fn source(self, y: usize, x: usize, height: usize, width: usize) -> (usize, usize) {
        let y = if self.flip_y { height - 1 - y } else { y };
        let x = if self.flip_x { width - 1 - x } else { x };
        if self.transpose { (x, y) } else { (y, x) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array2, Array3};

    /// A 6×8 sample whose pixel values encode their position, so crops can be traced back.
    fn traceable(height: usize, width: usize) -> Sample {
        let image = Array3::from_shape_fn((height, width, 3), |(y, x, c)| {
            (y * width + x) as f32 / (height * width) as f32 * if c == 0 { 1.0 } else { 0.5 }
        });
        let mask = Array2::from_shape_fn((height, width), |(y, x)| ((y + x) % 3 == 0) as u8 as f32);
        Sample { image, mask }
    }

    fn position(value: f32, height: usize, width: usize) -> (usize, usize) {
        let index = (value * INPUT_SPREAD + INPUT_MEAN) * (height * width) as f32;
        let index = (index + 0.5) as usize;
        (index / width, index % width)
    }

    #[test]
    fn crops_are_windows_of_one_image_under_a_symmetry() {
        let samples = [traceable(6, 8), traceable(6, 8)];
        let plan = BatchPlan {
            batch_size: 5,
            patch: 4,
            augment: true,
        };
        let mut batches = Batches::new(3, plan);
        for _ in 0..10 {
            let batch = batches.next(&samples).unwrap();
            assert_eq!(batch.input.dim(), (5, 4, 4, 3));
            for n in 0..5 {
                // Every crop pixel comes from the image, with its own mask value and a
                // neighbour in the crop that is a neighbour in the image.
                for y in 0..4 {
                    for x in 0..4 {
                        let (sy, sx) = position(batch.input[(n, y, x, 0)], 6, 8);
                        assert_eq!(batch.target[(n, y, x, 0)], samples[0].mask[(sy, sx)]);
                        assert_eq!(
                            batch.input[(n, y, x, 1)],
                            ((samples[0].image[(sy, sx, 1)]) - 0.5) / 0.25
                        );
                        if x > 0 {
                            let (ny, nx) = position(batch.input[(n, y, x - 1, 0)], 6, 8);
                            assert_eq!(ny.abs_diff(sy) + nx.abs_diff(sx), 1);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn same_seed_same_batches_whatever_happens_between() {
        let samples = [traceable(6, 8), traceable(6, 8)];
        let plan = BatchPlan {
            batch_size: 2,
            patch: 3,
            augment: true,
        };
        let (mut a, mut b) = (Batches::new(9, plan), Batches::new(9, plan));
        for _ in 0..5 {
            let (x, y) = (a.next(&samples).unwrap(), b.next(&samples).unwrap());
            assert_eq!((x.input, x.target), (y.input, y.target));
        }
        let mut c = Batches::new(10, plan);
        assert_ne!(
            a.next(&samples).unwrap().input,
            c.next(&samples).unwrap().input
        );
    }

    #[test]
    fn whole_images_without_augmentation_are_the_images() {
        let samples = [traceable(6, 8)];
        let plan = BatchPlan {
            batch_size: 2,
            patch: 0,
            augment: false,
        };
        let batch = Batches::new(1, plan).next(&samples).unwrap();
        assert_eq!(batch.input.dim(), (2, 6, 8, 3));
        assert_eq!(position(batch.input[(1, 5, 7, 0)], 6, 8), (5, 7));
        // Non-square whole images still get flips, never transposes.
        let plan = BatchPlan {
            augment: true,
            ..plan
        };
        let batch = Batches::new(1, plan).next(&samples).unwrap();
        assert_eq!(batch.input.dim(), (2, 6, 8, 3));
    }

    #[test]
    fn impossible_plans_are_refused_with_a_reason() {
        let samples = [traceable(6, 8), traceable(5, 8)];
        let whole = BatchPlan {
            batch_size: 1,
            patch: 0,
            augment: false,
        };
        let err = Batches::check(whole, &samples).unwrap_err();
        assert_eq!(
            err.0,
            "whole-image batches need images of one size: image 1 is 5×8, image 0 is 6×8; choose a patch size"
        );
        let big = BatchPlan { patch: 6, ..whole };
        assert_eq!(
            Batches::check(big, &samples).unwrap_err().0,
            "patch size 6 exceeds a 5×8 training image; choose at most 5"
        );
        assert!(
            Batches::check(
                BatchPlan {
                    batch_size: 0,
                    patch: 4,
                    augment: false
                },
                &samples
            )
            .is_err()
        );
        assert!(Batches::check(whole, &[]).is_err());
    }
}
