//! The experiment as a short, versioned, human-readable URL fragment, and back:
//! `v=1&demo=cells&seed=7&losses=bce;wbce(weights=inverse_frequency);dice&layers=2&ch=32&lr=0.01&steps=300`.
//! Defaults are omitted; loss specs use the loss grammar. Decoding never panics: unknown keys are
//! ignored and reported, out-of-range numbers are clamped and reported, and what cannot be repaired
//! (a bad loss spec, an unknown scene) is an error with a message. The user's own images travel as
//! `data=` (see `data::given` for its form); an experiment file holds the same text, allowed longer.

use crate::data::given::GivenImages;
use crate::error::{Error, Result};
use crate::experiment::{self, DataSource, Experiment};
use crate::loss::LossSpec;
use crate::nn::Head;
use crate::optim::OptimizerConfig;

pub const VERSION: u32 = 1;
/// Longer links are refused before parsing: settings take a few hundred characters, and images
/// small enough to share by link a few thousand.
pub const MAX_LEN: usize = 64 * 1024;
/// Experiment files may carry images at training size.
pub const FILE_MAX_LEN: usize = 16 * 1024 * 1024;

/// A decoded experiment and what was repaired or ignored on the way, in words.
#[derive(Debug)]
pub struct Decoded {
    pub experiment: Experiment,
    /// The page's display threshold (`thr=`, default DEFAULT_THRESHOLD): it changes what the masks
    /// show, not the runs, so the page appends it to the link itself and the CLI ignores it.
    pub threshold: f32,
    pub notes: Vec<String>,
}

pub const DEFAULT_THRESHOLD: f32 = 0.5;

/// Encodes every setting that differs from its default; given images last, as they are the bulk.
pub fn encode(experiment: &Experiment) -> String {
    let default = Experiment::default();
    let mut parts = vec![format!("v={VERSION}")];
    let mut push = |key: &str, value: String, default: String| {
        if value != default {
            parts.push(format!("{key}={}", escape(&value)));
        }
    };
    if let DataSource::Demo { scene, seed } = &experiment.data {
        push("demo", scene.clone(), String::new());
        push("scene_seed", seed.to_string(), experiment.seed.to_string());
    }
    push("seed", experiment.seed.to_string(), String::new());
    let losses = |specs: &[LossSpec]| {
        specs
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(";")
    };
    push(
        "losses",
        losses(&experiment.losses),
        losses(&default.losses),
    );
    let (model, base) = (&experiment.model, &default.model);
    push(
        "layers",
        model.hidden_layers.to_string(),
        base.hidden_layers.to_string(),
    );
    push("ch", model.channels.to_string(), base.channels.to_string());
    push("k", model.kernel.to_string(), base.kernel.to_string());
    push(
        "dil",
        join(&model.dilations),
        join(&vec![1; model.hidden_layers]),
    );
    push(
        "head",
        head_name(model.head).into(),
        head_name(base.head).into(),
    );
    let (opt, lr, momentum) = optimizer_fields(&experiment.optimizer);
    let (base_opt, base_lr, _) = optimizer_fields(&default.optimizer);
    push("opt", opt.into(), base_opt.into());
    push("lr", format_f32(lr), format_f32(base_lr));
    if let Some(momentum) = momentum {
        push(
            "momentum",
            format_f32(momentum),
            format_f32(DEFAULT_MOMENTUM),
        );
    }
    push(
        "batch",
        experiment.batch_size.to_string(),
        default.batch_size.to_string(),
    );
    push(
        "patch",
        experiment.patch.to_string(),
        default.patch.to_string(),
    );
    push(
        "aug",
        u8::from(experiment.augment).to_string(),
        u8::from(default.augment).to_string(),
    );
    push(
        "steps",
        experiment.steps.to_string(),
        default.steps.to_string(),
    );
    if let DataSource::Given(images) = &experiment.data {
        parts.push(format!("data={}", images.encode()));
    }
    parts.join("&")
}

/// Every page setting with its current value, keyed as in the fragment (defaults included).
pub fn settings(experiment: &Experiment) -> Vec<(&'static str, String)> {
    let (opt, lr, momentum) = optimizer_fields(&experiment.optimizer);
    let (scene, scene_seed, data) = match &experiment.data {
        DataSource::Demo { scene, seed } => (scene.clone(), seed.to_string(), "demo"),
        DataSource::Given(_) => (String::new(), String::new(), "given"),
    };
    let model = &experiment.model;
    vec![
        ("data", data.to_string()),
        ("demo", scene),
        ("scene_seed", scene_seed),
        ("seed", experiment.seed.to_string()),
        (
            "losses",
            experiment
                .losses
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(";"),
        ),
        ("layers", model.hidden_layers.to_string()),
        ("ch", model.channels.to_string()),
        ("k", model.kernel.to_string()),
        ("dil", join(&model.dilations)),
        ("head", head_name(model.head).to_string()),
        ("opt", opt.to_string()),
        ("lr", format_f32(lr)),
        ("momentum", format_f32(momentum.unwrap_or(DEFAULT_MOMENTUM))),
        ("batch", experiment.batch_size.to_string()),
        ("patch", experiment.patch.to_string()),
        ("aug", u8::from(experiment.augment).to_string()),
        ("steps", experiment.steps.to_string()),
    ]
}

const DEFAULT_MOMENTUM: f32 = 0.9;

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
    let mut experiment = Experiment::default();
    let mut scene: Option<String> = None;
    let mut images: Option<GivenImages> = None;
    let mut threshold = DEFAULT_THRESHOLD;
    let mut scene_seed: Option<u64> = None;
    let (mut opt, mut lr, mut momentum) = ("adam".to_string(), None, None);
    let mut dilations: Option<Vec<usize>> = None;
    let mut version_seen = false;
    for pair in fragment.split('&').filter(|p| !p.is_empty()) {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let value = unescape(raw);
        let key = unescape(key);
        let mut number =
            |name: &str, low: u64, high: u64| clamp_int(&key, &value, name, low, high, &mut notes);
        match key.as_str() {
            "v" => {
                version_seen = true;
                if value != VERSION.to_string() {
                    return Err(Error(format!(
                        "this link is version {:?}; this page reads version {VERSION}",
                        truncate(&value)
                    )));
                }
            }
            "demo" => scene = Some(value),
            "data" => images = Some(GivenImages::decode(&value)?),
            "thr" => threshold = clamp_float(&value, "threshold", 0.05, 0.95, &mut notes)?,
            "seed" => experiment.seed = number("seed", 0, experiment::SEED_MAX)?,
            "scene_seed" => scene_seed = Some(number("scene seed", 0, experiment::SEED_MAX)?),
            "losses" => {
                experiment.losses = value
                    .split(';')
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| s.parse::<LossSpec>())
                    .collect::<Result<_>>()?;
                if experiment.losses.len() > experiment::LOSSES_MAX {
                    notes.push(format!(
                        "{} losses given; kept the first {}",
                        experiment.losses.len(),
                        experiment::LOSSES_MAX
                    ));
                    experiment.losses.truncate(experiment::LOSSES_MAX);
                }
            }
            "layers" => experiment.model.hidden_layers = number("hidden layers", 1, 6)? as usize,
            "ch" => experiment.model.channels = number("channels", 4, 64)? as usize,
            "k" => {
                let k = number("kernel size", 1, 5)? as usize;
                experiment.model.kernel = if k % 2 == 0 { k + 1 } else { k };
            }
            "dil" => {
                let parsed: Vec<usize> = value
                    .split(',')
                    .map(|d| {
                        clamp_int(&key, d.trim(), "dilation", 1, 8, &mut notes).map(|d| d as usize)
                    })
                    .collect::<Result<_>>()?;
                dilations = Some(parsed);
            }
            "head" => {
                experiment.model.head = match value.as_str() {
                    "sigmoid" => Head::Sigmoid,
                    "softmax" => Head::Softmax,
                    other => {
                        return Err(Error(format!(
                            "head {:?} is unknown: use sigmoid or softmax",
                            truncate(other)
                        )));
                    }
                }
            }
            "opt" => opt = value,
            "lr" => {
                lr = Some(clamp_float(
                    &value,
                    "learning rate",
                    1e-5,
                    10.0,
                    &mut notes,
                )?)
            }
            "momentum" => momentum = Some(clamp_float(&value, "momentum", 0.0, 0.999, &mut notes)?),
            "batch" => {
                let (low, high) = experiment::BATCH_SIZE_RANGE;
                experiment.batch_size = number("batch size", low as u64, high as u64)? as usize;
            }
            "patch" => {
                let patch = number("patch size", 0, experiment::PATCH_RANGE.1 as u64)? as usize;
                experiment.patch = if patch == 0 {
                    0
                } else {
                    patch.max(experiment::PATCH_RANGE.0)
                };
            }
            "aug" => experiment.augment = value != "0",
            "steps" => {
                let (low, high) = experiment::STEPS_RANGE;
                experiment.steps = number("steps", low as u64, high as u64)? as usize;
            }
            _ => notes.push(format!("ignored the unknown setting {:?}", truncate(&key))),
        }
    }
    if !version_seen && !fragment.is_empty() {
        notes.push(format!(
            "the link names no version; read it as version {VERSION}"
        ));
    }
    let layers = experiment.model.hidden_layers;
    experiment.model.dilations = match dilations {
        Some(mut d) if !d.is_empty() => {
            if d.len() != layers {
                notes.push(format!(
                    "{} dilations for {layers} hidden layers; repeated the last",
                    d.len()
                ));
                let last = *d.last().unwrap_or(&1);
                d.resize(layers, last);
            }
            d
        }
        _ => vec![1; layers],
    };
    let lr = lr.unwrap_or_else(|| optimizer_fields(&Experiment::default().optimizer).1);
    experiment.optimizer = match opt.as_str() {
        "adam" => OptimizerConfig::adam(lr),
        "sgd" => OptimizerConfig::Sgd {
            lr,
            momentum: momentum.unwrap_or(DEFAULT_MOMENTUM),
        },
        other => {
            return Err(Error(format!(
                "optimizer {:?} is unknown: use adam or sgd",
                truncate(other)
            )));
        }
    };
    if let Some(images) = images {
        if scene.is_some() {
            notes.push("the link holds images and names a demo scene; used the images".into());
        }
        experiment.data = DataSource::Given(images);
    } else if let Some(scene) = scene {
        experiment.data = DataSource::Demo {
            scene,
            seed: scene_seed.unwrap_or(experiment.seed),
        };
    } else if let DataSource::Demo { seed, .. } = &mut experiment.data {
        *seed = scene_seed.unwrap_or(experiment.seed);
    }
    experiment.validate()?;
    Ok(Decoded {
        experiment,
        threshold,
        notes,
    })
}

fn head_name(head: Head) -> &'static str {
    match head {
        Head::Sigmoid => "sigmoid",
        Head::Softmax => "softmax",
    }
}

fn optimizer_fields(optimizer: &OptimizerConfig) -> (&'static str, f32, Option<f32>) {
    match *optimizer {
        OptimizerConfig::Adam { lr, .. } => ("adam", lr, None),
        OptimizerConfig::Sgd { lr, momentum } => ("sgd", lr, Some(momentum)),
    }
}

fn join(values: &[usize]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Shortest text that parses back to the same f32.
fn format_f32(value: f32) -> String {
    format!("{value}")
}

fn truncate(text: &str) -> String {
    text.chars().take(40).collect()
}

fn clamp_int(
    key: &str,
    value: &str,
    name: &str,
    low: u64,
    high: u64,
    notes: &mut Vec<String>,
) -> Result<u64> {
    let Ok(parsed) = value.trim().parse::<i128>() else {
        return Err(Error(format!(
            "{name} ({key}) must be a whole number, not {:?}",
            truncate(value)
        )));
    };
    let clamped = parsed.clamp(low as i128, high as i128) as u64;
    if clamped as i128 != parsed {
        notes.push(format!(
            "{name} {parsed} is out of range {low} to {high}; used {clamped}"
        ));
    }
    Ok(clamped)
}

fn clamp_float(
    value: &str,
    name: &str,
    low: f32,
    high: f32,
    notes: &mut Vec<String>,
) -> Result<f32> {
    match value.trim().parse::<f32>() {
        Ok(v) if v.is_finite() => {
            let clamped = v.clamp(low, high);
            if clamped != v {
                notes.push(format!(
                    "{name} {v} is out of range {low} to {high}; used {clamped}"
                ));
            }
            Ok(clamped)
        }
        _ => Err(Error(format!(
            "{name} must be a number, not {:?}",
            truncate(value)
        ))),
    }
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
mod tests {
    use super::*;

    #[test]
    fn defaults_encode_to_the_version_and_demo_only() {
        assert_eq!(encode(&Experiment::default()), "v=1&demo=blobs&seed=1");
    }

    #[test]
    fn every_setting_round_trips() {
        let query = "v=1&demo=cells&scene_seed=3&seed=7&losses=bce;focal(gamma=1);0.5*bce+0.5*dice\
                     &layers=3&ch=16&k=5&dil=1,2,4&head=softmax&opt=sgd&lr=0.05&momentum=0.8\
                     &batch=2&patch=32&aug=0&steps=250";
        let decoded = decode(query).unwrap();
        assert!(decoded.notes.is_empty(), "{:?}", decoded.notes);
        let again = decode(&encode(&decoded.experiment)).unwrap();
        assert_eq!(again.experiment, decoded.experiment);
        assert_eq!(encode(&again.experiment), encode(&decoded.experiment));
    }

    #[test]
    fn unknown_keys_are_reported_and_numbers_clamped() {
        let decoded =
            decode("#v=1&demo=cells&colour=blue&layers=99&lr=1e9&steps=1000000000").unwrap();
        let e = &decoded.experiment;
        assert_eq!(
            (e.model.hidden_layers, e.steps),
            (6, experiment::STEPS_RANGE.1)
        );
        assert_eq!(e.model.dilations.len(), 6);
        let notes = decoded.notes.join(" | ");
        assert!(notes.contains("unknown setting \"colour\""), "{notes}");
        assert!(
            notes.contains("hidden layers 99 is out of range"),
            "{notes}"
        );
        assert!(notes.contains("learning rate"), "{notes}");
    }

    #[test]
    fn hostile_values_give_messages_not_panics() {
        for (query, expect) in [
            ("v=2&demo=cells", "version"),
            ("v=1&demo=<script>alert(1)</script>", "unknown demo scene"),
            ("v=1&lr=NaN", "learning rate must be a number"),
            ("v=1&layers=-3", "hidden layers -3 is out of range"),
            ("v=1&losses=dice(smooth=%3Cb%3E)", "smooth"),
            ("v=1&head=octopus", "head"),
        ] {
            match decode(query) {
                Ok(decoded) => assert!(
                    decoded.notes.join(" ").contains(expect),
                    "{query}: {:?}",
                    decoded.notes
                ),
                Err(error) => assert!(error.0.contains(expect), "{query}: {error}"),
            }
        }
        assert!(
            decode(&"a".repeat(100_000))
                .unwrap_err()
                .0
                .contains("characters long")
        );
        // Truncated escapes decode as literal text (a panic here would fail the test).
        assert!(decode("v=1&%").is_ok());
        assert!(decode("v=1&dil=%FF%FE").is_err());
    }

    #[test]
    fn escaping_keeps_specs_readable_and_round_trips_odd_text() {
        assert_eq!(
            escape("0.5*bce+0.5*dice(smooth=1)"),
            "0.5*bce+0.5*dice(smooth=1)"
        );
        for text in ["a&b=c#d%e f", "ünï", "%zz", "%4"] {
            assert_eq!(unescape(&escape(text)), text);
        }
    }
}
