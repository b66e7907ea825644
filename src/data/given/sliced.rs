//! The wire form made and deflated a slice at a time, so the page can encode hundreds of images
//! between frames instead of in one long task. Deflate's output does not depend on how its input is cut
//! (the compressor waits for a full look-ahead before it matches), so every slicing gives the
//! bytes `GivenImages::encode` gives (tested).

use super::{GivenImages, last};
use base64::Engine;
use miniz_oxide::deflate::core::{
    CompressorOxide, TDEFLFlush, TDEFLStatus, compress, create_comp_flags_from_zip_params,
};
use std::sync::Arc;

/// Output room added whenever the compressor runs short of it.
const OUTPUT_STEP: usize = 64 * 1024;

/// Deflates `input` into `out` (raw deflate, as `compress_to_vec`); `Finish` ends the stream.
pub(super) fn deflate_into(
    compressor: &mut CompressorOxide,
    mut input: &[u8],
    out: &mut Vec<u8>,
    flush: TDEFLFlush,
) {
    loop {
        let start = out.len();
        out.resize(start + OUTPUT_STEP, 0);
        let (status, read, written) = compress(compressor, input, &mut out[start..], flush);
        out.truncate(start + written);
        input = &input[read..];
        match status {
            TDEFLStatus::Done => return,
            TDEFLStatus::Okay if input.is_empty() && flush == TDEFLFlush::None => return,
            TDEFLStatus::Okay => {}
            // Only a bad flag or a full output buffer fail, and neither can happen here.
            other => panic!("deflate failed: {other:?}"),
        }
    }
}

/// A compressor at `level` for raw deflate (miniz's `compress_to_vec`).
pub(super) fn compressor(level: u8) -> Box<CompressorOxide> {
    Box::new(CompressorOxide::new(create_comp_flags_from_zip_params(
        level.into(),
        0,
        0,
    )))
}

/// `images.encode()`, computed by `step`s: each makes the wire form of a few more images and
/// deflates it, so the whole wire form is never held at once.
pub struct SlicedEncoding {
    images: Arc<GivenImages>,
    /// The next image to deflate; the header goes with the first slice.
    next: usize,
    compressor: Box<CompressorOxide>,
    deflated: Vec<u8>,
    /// The finished text (at once when these images were the last encoded).
    text: Option<String>,
}

impl SlicedEncoding {
    pub fn new(images: GivenImages) -> SlicedEncoding {
        let text = last::encoded(&images);
        SlicedEncoding {
            compressor: compressor(GivenImages::level_for(images.wire_len())),
            images: Arc::new(images),
            next: 0,
            deflated: Vec::new(),
            text,
        }
    }

    /// Deflates the wire form of one or more images, `bytes` or a little over; true once the text
    /// is ready.
    pub fn step(&mut self, bytes: usize) -> bool {
        if self.text.is_some() {
            return true;
        }
        let mut slice = if self.next == 0 {
            self.images.wire_header()
        } else {
            Vec::new()
        };
        let count = self.images.images.len();
        let end = slice.len() + bytes;
        // At least one image a step, so every step gets on.
        loop {
            self.images.images[self.next].extend_wire(&mut slice);
            self.next += 1;
            if self.next == count || slice.len() >= end {
                break;
            }
        }
        let flush = if self.next == count {
            TDEFLFlush::Finish
        } else {
            TDEFLFlush::None
        };
        deflate_into(&mut self.compressor, &slice, &mut self.deflated, flush);
        if flush == TDEFLFlush::Finish {
            let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&self.deflated);
            last::remember(&text, Arc::clone(&self.images), true);
            self.text = Some(text);
            self.deflated = Vec::new();
        }
        self.text.is_some()
    }

    /// The `data=` value, once `step` said it is ready.
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }
}
