//! The last `data=` value this instance encoded or decoded, with its images. The page's state,
//! its dataset, its share link and each run read the same value in turn; decoding 256 images (or
//! deflating them again) every time is what froze the page for seconds. One entry: it holds at
//! most one dataset besides the one in use.

use super::GivenImages;
use std::cell::RefCell;
use std::sync::Arc;

struct Entry {
    text: String,
    images: Arc<GivenImages>,
    /// `text` is `images.encode()` (not, say, a share link's smaller encoding of them).
    is_encoding: bool,
}

thread_local! {
    static LAST: RefCell<Option<Entry>> = const { RefCell::new(None) };
}

/// The images `text` decodes to, if it is the last value seen.
pub(super) fn decoded(text: &str) -> Option<Arc<GivenImages>> {
    LAST.with_borrow(|last| {
        last.as_ref()
            .filter(|entry| entry.text == text)
            .map(|entry| Arc::clone(&entry.images))
    })
}

/// `images.encode()`, if these are the images last encoded.
pub(super) fn encoded(images: &GivenImages) -> Option<String> {
    LAST.with_borrow(|last| {
        last.as_ref()
            .filter(|entry| entry.is_encoding && *entry.images == *images)
            .map(|entry| entry.text.clone())
    })
}

/// Remembers that `text` decodes to `images` (and is their `encode()` when `is_encoding`).
pub(super) fn remember(text: &str, images: Arc<GivenImages>, is_encoding: bool) {
    LAST.set(Some(Entry {
        text: text.to_string(),
        images,
        is_encoding,
    }));
}
