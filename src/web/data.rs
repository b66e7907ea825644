//! Images: demo scenes, the user's images at training size, masks from uploads.

use super::{js_error, object};
use crate::data::given::{self, GivenImage, GivenImages, SlicedEncoding};
use crate::data::upload::{self, Coverage};
use crate::data::{self, Dataset, Sample, Split};
use crate::experiment::DataSource;
use crate::link;
use crate::render;
use wasm_bindgen::Clamped;
use wasm_bindgen::prelude::*;

/// The demo scenes as an array of { name, title, description, fraction }.
#[wasm_bindgen]
pub fn scenes() -> js_sys::Array {
    data::scenes()
        .iter()
        .map(|scene| {
            object([
                ("name", scene.name.into()),
                ("title", scene.title.into()),
                ("description", scene.description.into()),
                ("fraction", scene.nominal_fraction.into()),
            ])
        })
        .collect()
}

/// A dataset whose images and masks the page draws; `split` is "train" or "heldout".
#[wasm_bindgen(js_name = Dataset)]
pub struct JsDataset(pub(super) Dataset);

#[wasm_bindgen(js_class = Dataset)]
impl JsDataset {
    /// Generates a seeded demo scene.
    #[wasm_bindgen(js_name = demo)]
    pub fn demo(name: &str, seed: f64) -> Result<JsDataset, JsError> {
        data::generate(name, seed as u64)
            .map(JsDataset)
            .map_err(js_error)
    }

    /// The user's images from a `GivenBuilder`'s `data`.
    pub fn given(data: &str) -> Result<JsDataset, JsError> {
        GivenImages::decode(data)
            .and_then(|images| images.to_dataset())
            .map(JsDataset)
            .map_err(js_error)
    }

    /// The images of an experiment query: its demo scene or its given images.
    #[wasm_bindgen(js_name = fromQuery)]
    pub fn from_query(query: &str) -> Result<JsDataset, JsError> {
        link::decode_at_most(query, link::FILE_MAX_LEN)
            .and_then(|d| d.experiment.dataset())
            .map(JsDataset)
            .map_err(js_error)
    }

    pub fn count(&self, split: &str) -> Result<usize, JsError> {
        self.samples(split).map(<[Sample]>::len)
    }

    pub fn width(&self, split: &str, index: usize) -> Result<usize, JsError> {
        self.sample(split, index).map(|s| s.mask.ncols())
    }

    pub fn height(&self, split: &str, index: usize) -> Result<usize, JsError> {
        self.sample(split, index).map(|s| s.mask.nrows())
    }

    /// RGBA pixels ready for `new ImageData(...)`.
    #[wasm_bindgen(js_name = imageRgba)]
    pub fn image_rgba(&self, split: &str, index: usize) -> Result<Clamped<Vec<u8>>, JsError> {
        self.sample(split, index)
            .map(|s| Clamped(render::image_to_rgba(&s.image)))
    }

    #[wasm_bindgen(js_name = maskRgba)]
    pub fn mask_rgba(&self, split: &str, index: usize) -> Result<Clamped<Vec<u8>>, JsError> {
        self.sample(split, index)
            .map(|s| Clamped(render::mask_to_rgba(&s.mask)))
    }

    /// Object pixels / all pixels of one image.
    #[wasm_bindgen(js_name = foregroundFraction)]
    pub fn foreground_fraction(&self, split: &str, index: usize) -> Result<f64, JsError> {
        self.sample(split, index).map(Sample::foreground_fraction)
    }

    /// Object pixels / all pixels over every image.
    #[wasm_bindgen(js_name = foregroundFractionAll)]
    pub fn foreground_fraction_all(&self) -> f64 {
        self.0.foreground_fraction()
    }
}

/// The user's images at training size, added one at a time so each bad one is refused with its own
/// message; `data` is the link's `data=` value for them.
#[wasm_bindgen(js_name = GivenBuilder)]
#[derive(Default)]
pub struct JsGivenBuilder(Vec<GivenImage>);

#[wasm_bindgen(js_class = GivenBuilder)]
impl JsGivenBuilder {
    #[wasm_bindgen(constructor)]
    pub fn new() -> JsGivenBuilder {
        JsGivenBuilder::default()
    }

    /// `rgba`: width × height × 4 bytes; `mask`: width × height bytes, non-zero = object.
    pub fn add(
        &mut self,
        rgba: &[u8],
        width: usize,
        height: usize,
        mask: &[u8],
        max_side: usize,
        heldout: bool,
    ) -> Result<(), JsError> {
        let image = GivenImage::from_rgba(rgba, (width, height), mask, max_side, heldout)
            .map_err(js_error)?;
        self.0.push(image);
        Ok(())
    }

    /// The link's `data=` value for every image added, at most `max_side` pixels long.
    pub fn data(&self, max_side: usize) -> Result<String, JsError> {
        let images = GivenImages::new(self.0.clone()).map_err(js_error)?;
        Ok(images.downscaled(max_side).encode())
    }

    /// `data(max_side)` made a slice at a time (`GivenEncoding.step`), so the page stays responsive.
    /// The builder is left empty.
    pub fn encoding(&mut self, max_side: usize) -> Result<JsGivenEncoding, JsError> {
        let images = GivenImages::new(std::mem::take(&mut self.0)).map_err(js_error)?;
        Ok(JsGivenEncoding(SlicedEncoding::new(
            images.downscaled(max_side),
        )))
    }
}

/// A `data=` value being made: `step(bytes)` deflates up to `bytes` more and says whether it is
/// ready; `text()` is the value then.
#[wasm_bindgen(js_name = GivenEncoding)]
pub struct JsGivenEncoding(SlicedEncoding);

#[wasm_bindgen(js_class = GivenEncoding)]
impl JsGivenEncoding {
    pub fn step(&mut self, bytes: usize) -> bool {
        self.0.step(bytes)
    }

    pub fn text(&self) -> Option<String> {
        self.0.text().map(str::to_string)
    }
}

/// The size an image of `width` × `height` is kept at when its longest side may be at most
/// `max_side`: { width, height }.
#[wasm_bindgen(js_name = fittedSize)]
pub fn fitted_size(width: usize, height: usize, max_side: usize) -> JsValue {
    let (height, width) = given::fitted_size(height, width, max_side);
    object([("width", width.into()), ("height", height.into())])
}

/// The images a query carries, in order: [{ width, height, rgba, mask (0/1 per pixel), heldout }].
#[wasm_bindgen(js_name = givenImages)]
pub fn given_images(query: &str) -> Result<js_sys::Array, JsError> {
    let experiment = link::decode_at_most(query, link::FILE_MAX_LEN)
        .map_err(js_error)?
        .experiment;
    let DataSource::Given(images) = experiment.data else {
        return Ok(js_sys::Array::new());
    };
    Ok(images
        .images
        .iter()
        .map(|i| {
            object([
                ("width", i.width.into()),
                ("height", i.height.into()),
                ("rgba", Clamped(i.rgba()).into()),
                ("mask", js_sys::Uint8Array::from(i.mask.as_slice()).into()),
                ("heldout", i.heldout.into()),
            ])
        })
        .collect())
}

/// An uploaded mask's pixels as `upload::rgba_to_mask` reads them: { mask (one byte per pixel,
/// 1 = object), thresholded (split at half the brightest level, else any non-zero level),
/// intermediate (the share of grey pixels) }.
#[wasm_bindgen(js_name = maskFromRgba)]
pub fn mask_from_rgba(rgba: &[u8], width: usize, height: usize) -> Result<JsValue, JsError> {
    let reading = upload::rgba_to_mask(rgba, width, height).map_err(js_error)?;
    Ok(object([
        (
            "mask",
            js_sys::Uint8Array::from(reading.mask.as_slice()).into(),
        ),
        ("thresholded", reading.thresholded.into()),
        ("intermediate", reading.intermediate.into()),
    ]))
}

/// An uploaded mask's pixels → one byte per pixel, 1 where the pixel is exactly `#rrggbb` `colour`.
#[wasm_bindgen(js_name = maskFromColour)]
pub fn mask_from_colour(
    rgba: &[u8],
    width: usize,
    height: usize,
    red: u8,
    green: u8,
    blue: u8,
) -> Result<Vec<u8>, JsError> {
    upload::rgba_colour_to_mask(rgba, width, height, [red, green, blue]).map_err(js_error)
}

/// A starting mask for an image from Otsu's threshold, one byte per pixel, 1 = object.
#[wasm_bindgen(js_name = otsuMask)]
pub fn otsu_mask(rgba: &[u8], width: usize, height: usize) -> Result<Vec<u8>, JsError> {
    upload::otsu_mask(rgba, width, height).map_err(js_error)
}

/// "empty", "full" or "mixed" for a mask of one byte per pixel.
#[wasm_bindgen(js_name = maskCoverage)]
pub fn mask_coverage(mask: &[u8]) -> String {
    Coverage::of(mask).name().to_string()
}

pub(crate) fn parse_split(split: &str) -> Result<Split, JsError> {
    match split {
        "train" => Ok(Split::Train),
        "heldout" => Ok(Split::Heldout),
        other => Err(JsError::new(&format!(
            "unknown split {other:?}: use \"train\" or \"heldout\""
        ))),
    }
}

impl JsDataset {
    fn samples(&self, split: &str) -> Result<&[Sample], JsError> {
        Ok(self.0.split(parse_split(split)?))
    }

    fn sample(&self, split: &str, index: usize) -> Result<&Sample, JsError> {
        let samples = self.samples(split)?;
        samples.get(index).ok_or_else(|| {
            JsError::new(&format!(
                "{split} image {index} does not exist ({} images)",
                samples.len()
            ))
        })
    }
}
