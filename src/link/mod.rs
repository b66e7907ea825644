//! The experiment as a short, versioned, human-readable URL fragment, and back:
//! `v=1&demo=cells&seed=7&losses=bce;wbce(weights=inverse_frequency);dice&layers=2&ch=32&lr=0.01&steps=300`.
//! Defaults are omitted; loss specs use the loss grammar. Decoding never panics: unknown keys are
//! ignored and reported, out-of-range numbers are clamped and reported, and what cannot be repaired
//! (a bad loss spec, an unknown scene) is an error with a message. The user's own images travel as
//! `data=` (see `data::given` for its form); an experiment file holds the same text, allowed longer.

use crate::data::given::GivenImages;
use crate::error::{Error, Result};
use crate::experiment::{DataSource, Experiment};
use crate::settings::{self, Access, Setting, View, quote};

pub const VERSION: u32 = 1;
/// Longer links are refused before parsing: settings take a few hundred characters, and images
/// small enough to share by link a few thousand.
pub const MAX_LEN: usize = 64 * 1024;
/// Experiment files (and the page's own state) may carry images at training size: up to
/// `MAX_TOTAL_PIXELS` of them, 3⅛ bytes a pixel before deflate, 4/3 after base64 (17.5 MB when
/// nothing compresses).
pub const FILE_MAX_LEN: usize = 24 * 1024 * 1024;

/// A decoded experiment, how the page shows it, and what was repaired or ignored on the way, in words.
#[derive(Debug)]
pub struct Decoded {
    pub experiment: Experiment,
    /// Page-only state (the display threshold): the CLI ignores it.
    pub view: View,
    pub notes: Vec<String>,
}

/// Encodes every setting that differs from its default, in the table's order; given images last,
/// as they are the bulk.
pub fn encode(experiment: &Experiment) -> String {
    encode_with_view(experiment, &View::default())
}

/// `encode` with the page's view settings.
pub fn encode_with_view(experiment: &Experiment, view: &View) -> String {
    encode_query(experiment, view, GivenImages::encode)
}

/// The query of `experiment` and `view`, its images (if any) written by `data`.
fn encode_query(
    experiment: &Experiment,
    view: &View,
    data: impl Fn(&GivenImages) -> String,
) -> String {
    let mut parts = vec![format!("v={VERSION}")];
    for (setting, value) in values(experiment, view) {
        let Some(value) = value else { continue };
        // The scene and the seed are always named, so a link says what it shows.
        if value != setting.default
            || [settings::DEMO.key, settings::SEED.key].contains(&setting.key)
        {
            parts.push(format!("{}={}", setting.key, escape(&value)));
        }
    }
    if let DataSource::Given(images) = &experiment.data {
        parts.push(format!("data={}", data(images)));
    }
    parts.join("&")
}

/// A share link, and how the runs it reproduces differ from the sharer's.
#[derive(Debug, PartialEq)]
pub struct Share {
    pub query: String,
    /// The link's images are the ones trained on, so it reproduces the sharer's runs bit for bit.
    pub exact: bool,
    /// The longest side the link's images were given at: the one asked for, or smaller where that
    /// did not fit in `MAX_LEN` characters.
    pub side: usize,
    /// The patch size the link trains on when its images are smaller than the sharer's patch.
    pub patch: Option<usize>,
}

/// The smallest side the link's copies are made at (the link image size setting's minimum).
const SMALLEST_LINK_SIDE: usize = 16;

/// The share link of `experiment` with the user's images (if any) at a longest side of at most
/// `link_side`, or smaller until the link fits in `MAX_LEN` characters (a link longer than that is
/// refused when opened). Copies smaller than the training crops train on crops as large as they
/// allow.
pub fn share(experiment: &Experiment, view: &View, link_side: usize) -> Result<Share> {
    let copies_at = |side: usize| match &experiment.data {
        DataSource::Given(images) => Some(images.downscaled(side)),
        DataSource::Demo { .. } => None,
    };
    let too_long = |length: usize| {
        let count = match &experiment.data {
            DataSource::Given(images) => images.images.len(),
            DataSource::Demo { .. } => 0,
        };
        Error(format!(
            "its {count} images at a longest side of {SMALLEST_LINK_SIDE} pixels (the smallest) \
             take {length} characters, more than the {MAX_LEN} a link may hold"
        ))
    };
    let mut side = link_side.max(SMALLEST_LINK_SIDE);
    let mut smallest_tried = false;
    loop {
        let copies = copies_at(side);
        // Deflating as small as possible is slow on a large dataset (seconds for 256 images at
        // 128 px), and the fast encoding the page already made says when that cannot fit: the
        // smallest is never half its length. Skip such sides, aiming where half of it would fit;
        // first try the smallest side, as such a dataset rarely fits even there.
        if let (Some(copies), true) = (&copies, side > SMALLEST_LINK_SIDE) {
            let fast = copies.fast_encoded_len();
            if fast > 2 * MAX_LEN {
                if !smallest_tried {
                    smallest_tried = true;
                    let smallest = copies_at(SMALLEST_LINK_SIDE);
                    let length = share_at(experiment, view, SMALLEST_LINK_SIDE, smallest)?
                        .query
                        .len();
                    if length > MAX_LEN {
                        return Err(too_long(length));
                    }
                }
                side = smaller_side(side, fast / 2);
                continue;
            }
        }
        let share = share_at(experiment, view, side, copies)?;
        let length = share.query.len();
        if length <= MAX_LEN {
            return Ok(share);
        }
        if side == SMALLEST_LINK_SIDE {
            return Err(too_long(length));
        }
        side = smaller_side(side, length);
    }
}

/// The next side to try after a link of `length` characters at `side` was too long: its length
/// grows with the pixels, about side², so aim a little under the limit.
fn smaller_side(side: usize, length: usize) -> usize {
    let scale = (MAX_LEN as f64 / length as f64).sqrt() * 0.97;
    ((side as f64 * scale) as usize).clamp(SMALLEST_LINK_SIDE, side - 1)
}

/// The share link with `copies`, the experiment's images at `link_side` (None for a demo scene).
fn share_at(
    experiment: &Experiment,
    view: &View,
    link_side: usize,
    copies: Option<GivenImages>,
) -> Result<Share> {
    let (DataSource::Given(images), Some(copies)) = (&experiment.data, copies) else {
        return Ok(Share {
            query: encode_with_view(experiment, view),
            exact: true,
            side: link_side,
            patch: None,
        });
    };
    let mut shared = Experiment {
        data: DataSource::Given(copies.clone().into()),
        ..experiment.clone()
    };
    let side = copies.shortest_training_side();
    let patch = (shared.patch > side).then_some(side);
    if let Some(side) = patch {
        shared.patch = side;
    }
    shared.validate().map_err(|e| {
        Error(format!(
            "at a longest side of {link_side} pixels the link's images cannot train this experiment: {e}"
        ))
    })?;
    Ok(Share {
        query: encode_query(&shared, view, GivenImages::encode_smallest),
        exact: copies == **images,
        side: link_side,
        patch,
    })
}

/// Every setting a link can hold with its current value (None where it does not apply, such as
/// momentum under Adam), in the table's order.
pub fn values(experiment: &Experiment, view: &View) -> Vec<(&'static Setting, Option<String>)> {
    settings::SETTINGS
        .iter()
        .filter_map(|&setting| match setting.access {
            Access::Experiment { get, .. } => Some((setting, get(experiment))),
            Access::View { get, .. } => Some((setting, Some(get(view)))),
            Access::Page => None,
        })
        .collect()
}

/// Decodes a fragment (with or without the leading `#`, or a whole URL), repairing what it can.
pub fn decode(fragment: &str) -> Result<Decoded> {
    decode_at_most(fragment, MAX_LEN)
}

/// `decode` for texts up to `max_len` characters (an experiment file's).
pub fn decode_at_most(fragment: &str, max_len: usize) -> Result<Decoded> {
    let fragment = fragment
        .rsplit_once('#')
        .map_or(fragment, |(_, f)| f)
        .trim();
    if fragment.len() > max_len {
        return Err(Error(format!(
            "the link's settings are {} characters long; at most {max_len} are accepted",
            fragment.len()
        )));
    }
    let mut notes = Vec::new();
    let mut texts: Vec<(&'static Setting, String)> = Vec::new();
    let mut images: Option<std::sync::Arc<GivenImages>> = None;
    let mut version_seen = false;
    let mut unknown = Vec::new();
    for pair in fragment.split('&').filter(|p| !p.is_empty()) {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let (key, value) = (unescape(key), unescape(raw));
        match key.as_str() {
            "v" => {
                if value != VERSION.to_string() {
                    return Err(Error(format!(
                        "this link is version {}; this page reads version {VERSION}",
                        quote(&value)
                    )));
                }
                version_seen = true;
            }
            "data" => {
                if images.is_some() {
                    notes.push("the link holds two sets of images; used the last".into());
                }
                images = Some(GivenImages::decode_shared(&value)?);
            }
            _ => match settings::by_key(&key).filter(|s| s.in_link()) {
                Some(setting) => {
                    if let Some(earlier) = texts.iter_mut().find(|(s, _)| s.key == setting.key) {
                        notes.push(format!(
                            "{} is given more than once ({} and {}); used the last",
                            setting.label,
                            quote(&earlier.1),
                            quote(&value)
                        ));
                        earlier.1 = value;
                    } else {
                        texts.push((setting, value));
                    }
                }
                None => unknown.push(key),
            },
        }
    }
    if !version_seen && texts.is_empty() && images.is_none() && !fragment.is_empty() {
        return Err(Error(format!(
            "this is not a Segloss link: it names no setting this page knows (it starts {}); \
             a link looks like #v=1&demo=cells&losses=bce;dice",
            quote(fragment)
        )));
    }
    for key in unknown {
        notes.push(format!("ignored the unknown setting {}", quote(&key)));
    }
    if !version_seen && !fragment.is_empty() {
        notes.push(format!(
            "the link names no version; read it as version {VERSION}"
        ));
    }
    let mut experiment = Experiment::default();
    let mut view = View::default();
    for &setting in settings::SETTINGS {
        let Some((_, text)) = texts.iter().find(|(s, _)| s.key == setting.key) else {
            continue;
        };
        let (value, problem) = setting.read(text);
        if let Some(problem) = problem {
            notes.push(setting.repaired(&problem, &value));
        }
        match setting.access {
            Access::Experiment { set, .. } => set(&mut experiment, value, &mut notes)?,
            Access::View { set, .. } => set(&mut view, value),
            Access::Page => {}
        }
    }
    if let Some(images) = images {
        if texts.iter().any(|(s, _)| s.key == settings::DEMO.key) {
            notes.push("the link holds images and names a demo scene; used the images".into());
        }
        experiment.data = DataSource::Given(images);
    }
    experiment.validate()?;
    Ok(Decoded {
        experiment,
        view,
        notes,
    })
}

/// Percent-encodes only what would break the fragment's structure or a URL; specs stay readable.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '%' | '&' | '#' | ' ' | '"' | '<' | '>' | '`' => {
                out.push_str(&format!("%{:02X}", c as u32))
            }
            c if c.is_ascii_control() || !c.is_ascii() => {
                let mut buf = [0u8; 4];
                for byte in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Decodes %XX escapes; invalid escapes stay as they are, invalid UTF-8 becomes U+FFFD.
fn unescape(value: &str) -> String {
    // Most values, and always the images' `data=`, have no escape at all.
    if !value.contains('%') {
        return value.to_string();
    }
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests;
