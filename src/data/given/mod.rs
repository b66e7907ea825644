//! The user's images as an experiment carries them: 8-bit RGB and a one-bit mask per image, at the
//! size they are trained at, each marked for training or held out. Exact and compact, so a share
//! link or an experiment file gives every reader the same training data, bit for bit.
//!
//! Wire form (the `data=` value of a link): URL-safe base64 (no padding) of the deflated bytes
//! `[format=2, count u16 LE, per image: width u16 LE, height u16 LE, flags (bit 0 = held out),
//! then per image: RGB with each byte minus its left neighbour's (PNG's "Sub" filter, which
//! turns smooth photos into small numbers that deflate well), then the mask, 8 pixels a byte]`.
//! Format 1 (links made before datasets) is the same with a one-byte count, and is still read.

use super::{Dataset, Sample};
use crate::bail;
use crate::error::{Error, Result};
use crate::settings;
use base64::Engine;
use ndarray::{Array2, Array3};
use std::sync::Arc;

mod image;
mod last;
mod sliced;
pub use image::fitted_size;
pub use sliced::SlicedEncoding;

/// Name the page and the CLI show for a dataset of given images.
pub const DATASET_NAME: &str = "your images";
/// A dataset of image–mask pairs (a folder or a .zip of one).
pub const MAX_IMAGES: usize = 256;
/// Longest side of a stored image.
pub const MAX_SIDE: usize = 1024;
/// All images together at training size: 256 at 128 × 128, 16 at 512 × 512, or 4 at 1024 × 1024.
/// Every run's worker holds them as f32 tensors (16 bytes a pixel: 64 MiB at this limit).
pub const MAX_TOTAL_PIXELS: usize = 4 * 1024 * 1024;
const FORMAT: u8 = 2;
/// The format of links made when a count fitted one byte; read, never written.
const FORMAT_ONE_BYTE_COUNT: u8 = 1;
/// Above 128 × 128 RGB and its mask, `encode` trades size for speed.
const FAST_ABOVE_BYTES: usize = 128 * 128 * 3 + 128 * 128 / 8;
const HEADER_BYTES: usize = 5;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GivenImage {
    pub width: usize,
    pub height: usize,
    /// (height, width, 3) row-major.
    pub rgb: Vec<u8>,
    /// (height, width) row-major, 1 = object, 0 = background.
    pub mask: Vec<u8>,
    pub heldout: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GivenImages {
    pub images: Vec<GivenImage>,
}

/// The largest longest side, at most `max_side`, at which images of these (height, width) fit
/// `MAX_TOTAL_PIXELS` together; None when even the smallest training side does not.
pub fn fitting_side(sizes: &[(usize, usize)], max_side: usize) -> Option<usize> {
    let (smallest, _) = settings::TRAIN_SIDE.range()?;
    let pixels = |side: usize| -> usize {
        let fitted = sizes.iter().map(|&(h, w)| fitted_size(h, w, side));
        fitted.map(|(h, w)| h * w).sum()
    };
    (smallest as usize..=max_side)
        .rev()
        .find(|&side| pixels(side) <= MAX_TOTAL_PIXELS)
}

impl GivenImage {
    /// Appends this image's part of the wire form: its filtered RGB, then its mask's bits.
    pub(super) fn extend_wire(&self, bytes: &mut Vec<u8>) {
        for row in self.rgb.chunks_exact(self.width * 3) {
            bytes.extend(
                row.iter()
                    .enumerate()
                    .map(|(i, &v)| v.wrapping_sub(if i < 3 { 0 } else { row[i - 3] })),
            );
        }
        for bits in self.mask.chunks(8) {
            bytes.push(
                bits.iter()
                    .enumerate()
                    .fold(0, |byte, (i, &m)| byte | (m << (7 - i))),
            );
        }
    }

    /// Opaque RGBA bytes, as the page draws them.
    pub fn rgba(&self) -> Vec<u8> {
        self.rgb
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect()
    }

    pub fn object_fraction(&self) -> f64 {
        self.mask.iter().map(|&m| f64::from(m)).sum::<f64>() / self.mask.len() as f64
    }

    pub fn to_sample(&self) -> Result<Sample> {
        let shape = (self.height, self.width);
        let rgb = self.rgb.iter().map(|&v| f32::from(v) / 255.0).collect();
        let image = Array3::from_shape_vec((shape.0, shape.1, 3), rgb);
        let mask = Array2::from_shape_vec(shape, self.mask.iter().map(|&m| f32::from(m)).collect());
        match (image, mask) {
            (Ok(image), Ok(mask)) => Sample::new(image, mask),
            _ => bail!("image has the wrong number of pixel values"),
        }
    }
}

impl GivenImages {
    /// Checks the counts and sizes a link or file may carry, and that one image is for training.
    pub fn new(images: Vec<GivenImage>) -> Result<GivenImages> {
        if images.is_empty() || images.len() > MAX_IMAGES {
            bail!("{} images given: use 1 to {MAX_IMAGES}", images.len());
        }
        let mut total = 0;
        for (i, image) in images.iter().enumerate() {
            let (w, h) = (image.width, image.height);
            if w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE {
                bail!(
                    "image {} is {w}×{h} pixels: each side must be 1 to {MAX_SIDE}",
                    i + 1
                );
            }
            if image.rgb.len() != w * h * 3 || image.mask.len() != w * h {
                bail!("image {} has the wrong number of pixel values", i + 1);
            }
            total += w * h;
        }
        if total > MAX_TOTAL_PIXELS {
            bail!(
                "the images hold {total} pixels together; at most {MAX_TOTAL_PIXELS} are accepted \
                 (choose a smaller image size)"
            );
        }
        if images.iter().all(|image| image.heldout) {
            bail!("every image is held out: keep at least one for training");
        }
        Ok(GivenImages { images })
    }

    pub fn to_dataset(&self) -> Result<Dataset> {
        let mut train = Vec::new();
        let mut heldout = Vec::new();
        for image in &self.images {
            let split = if image.heldout {
                &mut heldout
            } else {
                &mut train
            };
            split.push(image.to_sample()?);
        }
        Dataset::new(DATASET_NAME, train, heldout)
    }

    /// Every image with its longest side at most `max_side`.
    pub fn downscaled(&self, max_side: usize) -> GivenImages {
        GivenImages {
            images: self.images.iter().map(|i| i.downscaled(max_side)).collect(),
        }
    }

    /// (height, width) of each training image, in order.
    pub fn training_sizes(&self) -> Vec<(usize, usize)> {
        let training = self.images.iter().filter(|image| !image.heldout);
        training.map(|image| (image.height, image.width)).collect()
    }

    /// The shortest side among the training images: the largest patch they allow.
    pub fn shortest_training_side(&self) -> usize {
        self.images
            .iter()
            .filter(|image| !image.heldout)
            .map(|image| image.width.min(image.height))
            .min()
            .unwrap_or(0)
    }

    /// The wire form (see the module comment), compressed fast where the images are large (the
    /// page's own query, experiment files), which keeps the page responsive while it encodes them.
    pub fn encode(&self) -> String {
        if let Some(text) = last::encoded(self) {
            return text;
        }
        let bytes = self.wire_bytes();
        let text = Self::pack(&bytes, Self::level_for(bytes.len()));
        last::remember(&text, Arc::new(self.clone()), true);
        text
    }

    /// The length of `encode()`, without remembering these images in its place.
    pub fn fast_encoded_len(&self) -> usize {
        if let Some(text) = last::encoded(self) {
            return text.len();
        }
        let bytes = self.wire_bytes();
        Self::pack(&bytes, Self::level_for(bytes.len())).len()
    }

    /// The deflate level `encode` uses for a wire form of `bytes`.
    fn level_for(bytes: usize) -> u8 {
        if bytes <= FAST_ABOVE_BYTES { 9 } else { 1 }
    }

    /// The wire form compressed as small as deflate makes it: a share link's images, where every
    /// character counts.
    pub fn encode_smallest(&self) -> String {
        Self::pack(&self.wire_bytes(), 10)
    }

    fn pack(bytes: &[u8], level: u8) -> String {
        let mut deflated = Vec::new();
        let flush = miniz_oxide::deflate::core::TDEFLFlush::Finish;
        sliced::deflate_into(&mut sliced::compressor(level), bytes, &mut deflated, flush);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(deflated)
    }

    pub(super) fn wire_bytes(&self) -> Vec<u8> {
        let mut bytes = self.wire_header();
        for image in &self.images {
            image.extend_wire(&mut bytes);
        }
        bytes
    }

    /// The wire form's format, count and image sizes.
    pub(super) fn wire_header(&self) -> Vec<u8> {
        let mut bytes = vec![FORMAT];
        bytes.extend((self.images.len() as u16).to_le_bytes());
        for image in &self.images {
            bytes.extend((image.width as u16).to_le_bytes());
            bytes.extend((image.height as u16).to_le_bytes());
            bytes.push(u8::from(image.heldout));
        }
        bytes
    }

    /// The length of `wire_bytes()`.
    pub(super) fn wire_len(&self) -> usize {
        let pixels = self.images.iter().map(|i| i.width * i.height);
        3 + HEADER_BYTES * self.images.len() + pixels.map(|n| n * 3 + n.div_ceil(8)).sum::<usize>()
    }

    /// Reads the wire form; every way it can be wrong is an error with a message, never a panic.
    pub fn decode(text: &str) -> Result<GivenImages> {
        Self::decode_shared(text).map(Arc::unwrap_or_clone)
    }

    /// `decode`, the images shared with the last value's (decoded once per value and thread).
    pub fn decode_shared(text: &str) -> Result<Arc<GivenImages>> {
        if let Some(images) = last::decoded(text) {
            return Ok(images);
        }
        let images = Arc::new(Self::decode_anew(text)?);
        last::remember(text, Arc::clone(&images), false);
        Ok(images)
    }

    fn decode_anew(text: &str) -> Result<GivenImages> {
        let damaged = |why: &str| Error(format!("the images in this link are damaged ({why})"));
        let deflated = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text.trim())
            .map_err(|_| damaged("not URL-safe base64"))?;
        let limit = HEADER_BYTES * MAX_IMAGES
            + 3
            + MAX_TOTAL_PIXELS * 3
            + MAX_TOTAL_PIXELS / 8
            + MAX_IMAGES;
        let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, limit)
            .map_err(|_| damaged("not deflate data, or too large"))?;
        let mut cursor = bytes.as_slice();
        let mut take = |n: usize| -> Result<&[u8]> {
            if cursor.len() < n {
                return Err(damaged("cut short"));
            }
            let (head, rest) = cursor.split_at(n);
            cursor = rest;
            Ok(head)
        };
        let format = take(1)?[0];
        let count = match format {
            FORMAT => {
                let count = take(2)?;
                usize::from(u16::from_le_bytes([count[0], count[1]]))
            }
            FORMAT_ONE_BYTE_COUNT => usize::from(take(1)?[0]),
            other => {
                return Err(Error(format!(
                    "the images in this link use format {other}; this page reads formats \
                     {FORMAT_ONE_BYTE_COUNT} and {FORMAT}"
                )));
            }
        };
        if count == 0 || count > MAX_IMAGES {
            return Err(damaged(&format!(
                "{count} images; 1 to {MAX_IMAGES} are allowed"
            )));
        }
        let mut shapes = Vec::with_capacity(count);
        let mut total = 0usize;
        for _ in 0..count {
            let h = take(HEADER_BYTES)?;
            let (w, ht) = (
                usize::from(u16::from_le_bytes([h[0], h[1]])),
                usize::from(u16::from_le_bytes([h[2], h[3]])),
            );
            if w == 0 || ht == 0 || w > MAX_SIDE || ht > MAX_SIDE {
                return Err(damaged(&format!("an image of {w}×{ht} pixels")));
            }
            total += w * ht;
            if total > MAX_TOTAL_PIXELS {
                return Err(damaged("more pixels than allowed"));
            }
            shapes.push((w, ht, h[4] & 1 == 1));
        }
        let mut images = Vec::with_capacity(count);
        for (width, height, heldout) in shapes {
            let filtered = take(width * height * 3)?;
            let mut rgb = Vec::with_capacity(filtered.len());
            for row in filtered.chunks_exact(width * 3) {
                let start = rgb.len();
                for (i, &v) in row.iter().enumerate() {
                    let left = if i < 3 { 0 } else { rgb[start + i - 3] };
                    rgb.push(v.wrapping_add(left));
                }
            }
            let bits = take((width * height).div_ceil(8))?;
            let mask = (0..width * height)
                .map(|i| (bits[i / 8] >> (7 - i % 8)) & 1)
                .collect();
            images.push(GivenImage {
                width,
                height,
                rgb,
                mask,
                heldout,
            });
        }
        if !cursor.is_empty() {
            return Err(damaged("extra bytes after the last image"));
        }
        GivenImages::new(images)
    }
}

#[cfg(test)]
mod tests;
