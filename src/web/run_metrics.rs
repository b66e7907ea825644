//! One run's evidence (`evidence::RunMetrics`) as a plain JS object and back: a worker posts it when
//! its run ends (structured clone keeps every f64 exact), the page draws from it, and the study is
//! built from the objects of all runs. Field names are the Rust ones in camelCase; `values` adds
//! each metric's value by its key (what the page plots as one dot per seed).

use super::object;
use crate::evidence::{
    Calibration, CurvePoint, DiceByImage, Failure, FailureKind, ImageDice, Metric, ObjectScores,
    ReliabilityBin, RunMetrics, SizeBin, SizeClass, ThresholdChoice, TunedDice,
};
use crate::metrics::ObjectCounts;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

type Read<T> = Result<T, JsError>;

fn get(from: &JsValue, key: &str) -> JsValue {
    Reflect::get(from, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn number(from: &JsValue, key: &str) -> Read<f64> {
    get(from, key)
        .as_f64()
        .ok_or_else(|| JsError::new(&format!("run evidence: {key} is not a number")))
}

fn count(from: &JsValue, key: &str) -> Read<u64> {
    Ok(number(from, key)? as u64)
}

fn maybe(from: &JsValue, key: &str) -> Option<f64> {
    get(from, key).as_f64()
}

fn text(from: &JsValue, key: &str) -> Read<String> {
    get(from, key)
        .as_string()
        .ok_or_else(|| JsError::new(&format!("run evidence: {key} is not text")))
}

fn list<T>(from: &JsValue, key: &str, item: impl Fn(&JsValue) -> Read<T>) -> Read<Vec<T>> {
    let value = get(from, key);
    if !Array::is_array(&value) {
        return Err(JsError::new(&format!("run evidence: {key} is not a list")));
    }
    Array::from(&value).iter().map(|v| item(&v)).collect()
}

fn optional<T>(from: &JsValue, key: &str, item: impl Fn(&JsValue) -> Read<T>) -> Read<Option<T>> {
    let value = get(from, key);
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        item(&value).map(Some)
    }
}

fn or_undefined(value: Option<f64>) -> JsValue {
    value.map_or(JsValue::UNDEFINED, JsValue::from)
}

fn array<T>(items: &[T], each: impl Fn(&T) -> JsValue) -> JsValue {
    items.iter().map(each).collect::<Array>().into()
}

fn dice_to_js(d: &DiceByImage) -> JsValue {
    object([
        ("threshold", d.threshold.into()),
        ("pooled", d.pooled.into()),
        ("perImageMean", d.per_image_mean.into()),
        (
            "images",
            array(&d.images, |i| {
                object([
                    ("image", (i.image as f64).into()),
                    ("objectFraction", i.object_fraction.into()),
                    ("dice", i.dice.into()),
                ])
            }),
        ),
    ])
}

fn dice_from_js(d: &JsValue) -> Read<DiceByImage> {
    Ok(DiceByImage {
        threshold: number(d, "threshold")? as f32,
        pooled: number(d, "pooled")?,
        per_image_mean: number(d, "perImageMean")?,
        images: list(d, "images", |i| {
            Ok(ImageDice {
                image: number(i, "image")? as usize,
                object_fraction: number(i, "objectFraction")?,
                dice: number(i, "dice")?,
            })
        })?,
    })
}

fn tuned_to_js(t: &TunedDice) -> JsValue {
    object([
        ("threshold", t.choice.threshold.into()),
        ("tuningDice", t.choice.tuning_dice.into()),
        ("candidates", (t.choice.candidates as f64).into()),
        ("heldoutDice", t.heldout_dice.into()),
    ])
}

fn tuned_from_js(t: &JsValue) -> Read<TunedDice> {
    Ok(TunedDice {
        choice: ThresholdChoice {
            threshold: number(t, "threshold")? as f32,
            tuning_dice: number(t, "tuningDice")?,
            candidates: number(t, "candidates")? as usize,
        },
        heldout_dice: number(t, "heldoutDice")?,
    })
}

fn calibration_to_js(c: &Calibration) -> JsValue {
    object([
        ("ece", c.ece.into()),
        ("pixels", (c.pixels as f64).into()),
        (
            "bins",
            array(&c.bins, |b| {
                object([
                    ("low", b.low.into()),
                    ("high", b.high.into()),
                    ("count", (b.count as f64).into()),
                    ("meanProbability", or_undefined(b.mean_probability)),
                    ("objectFraction", or_undefined(b.object_fraction)),
                ])
            }),
        ),
    ])
}

fn calibration_from_js(c: &JsValue) -> Read<Calibration> {
    Ok(Calibration {
        ece: number(c, "ece")?,
        pixels: count(c, "pixels")?,
        bins: list(c, "bins", |b| {
            Ok(ReliabilityBin {
                low: number(b, "low")?,
                high: number(b, "high")?,
                count: count(b, "count")?,
                mean_probability: maybe(b, "meanProbability"),
                object_fraction: maybe(b, "objectFraction"),
            })
        })?,
    })
}

fn size_bin_to_js(b: &SizeBin) -> JsValue {
    object([
        ("class", b.class.key().into()),
        ("label", b.class.label().into()),
        ("objects", (b.objects as f64).into()),
        ("matched", (b.matched as f64).into()),
        ("recall", or_undefined(b.recall)),
    ])
}

fn size_bin_from_js(b: &JsValue) -> Read<SizeBin> {
    let key = text(b, "class")?;
    let class = SizeClass::ALL
        .into_iter()
        .find(|c| c.key() == key)
        .ok_or_else(|| JsError::new(&format!("run evidence: no size class {key}")))?;
    Ok(SizeBin {
        class,
        objects: count(b, "objects")?,
        matched: count(b, "matched")?,
        recall: maybe(b, "recall"),
    })
}

fn failure_to_js(f: &Failure) -> JsValue {
    object([
        ("kind", f.kind.key().into()),
        ("label", f.kind.label().into()),
        ("what", f.what.as_str().into()),
        ("why", f.why.as_str().into()),
        ("tryNext", f.try_next.as_str().into()),
        ("line", f.line().into()),
    ])
}

fn failure_from_js(f: &JsValue) -> Read<Failure> {
    let key = text(f, "kind")?;
    let kind = FailureKind::ALL
        .into_iter()
        .find(|k| k.key() == key)
        .ok_or_else(|| JsError::new(&format!("run evidence: no failure kind {key}")))?;
    Ok(Failure {
        kind,
        what: text(f, "what")?,
        why: text(f, "why")?,
        try_next: text(f, "tryNext")?,
    })
}

/// Every metric's value by key (undefined where it is not defined for this run).
fn values_to_js(m: &RunMetrics) -> JsValue {
    let values = Object::new();
    for metric in Metric::ALL {
        let _ = Reflect::set(
            &values,
            &metric.key().into(),
            &or_undefined(m.value(metric)),
        );
    }
    values.into()
}

pub(crate) fn run_metrics_to_js(m: &RunMetrics) -> JsValue {
    let objects = object([
        ("truth", (m.objects.truth as f64).into()),
        ("predicted", (m.objects.predicted as f64).into()),
        ("matched", (m.objects.matched as f64).into()),
    ]);
    let scores = object([
        ("precision", m.object_scores.precision.into()),
        ("recall", m.object_scores.recall.into()),
        ("f1", m.object_scores.f1.into()),
    ]);
    let curve = array(&m.heldout_dice_curve, |&(step, dice)| {
        object([("step", (step as f64).into()), ("dice", dice.into())])
    });
    object([
        ("lossIndex", (m.loss_index as f64).into()),
        ("loss", m.loss.as_str().into()),
        ("seed", (m.seed as f64).into()),
        ("learningRate", m.learning_rate.into()),
        ("dice", dice_to_js(&m.dice)),
        (
            "tuned",
            m.tuned.as_ref().map_or(JsValue::UNDEFINED, tuned_to_js),
        ),
        (
            "diceAtTuned",
            m.dice_at_tuned
                .as_ref()
                .map_or(JsValue::UNDEFINED, dice_to_js),
        ),
        ("averagePrecision", m.average_precision.into()),
        ("rocAuc", or_undefined(m.roc_auc)),
        (
            "prCurve",
            array(&m.pr_curve, |p| {
                object([
                    ("recall", p.recall.into()),
                    ("precision", p.precision.into()),
                    ("threshold", or_undefined(p.threshold.map(f64::from))),
                ])
            }),
        ),
        ("calibration", calibration_to_js(&m.calibration)),
        ("objects", objects),
        ("objectScores", scores),
        (
            "recallBySize",
            m.recall_by_size
                .as_ref()
                .map_or(JsValue::UNDEFINED, |bins| array(bins, size_bin_to_js)),
        ),
        ("failures", array(&m.failures, failure_to_js)),
        ("heldoutDiceCurve", curve),
        ("heldoutImages", (m.heldout_images as f64).into()),
        ("values", values_to_js(m)),
    ])
}

pub(crate) fn run_metrics_from_js(m: &JsValue) -> Read<RunMetrics> {
    let objects = get(m, "objects");
    let scores = get(m, "objectScores");
    let recall_by_size = optional(m, "recallBySize", |bins| {
        let bins: Vec<SizeBin> = Array::from(bins)
            .iter()
            .map(|b| size_bin_from_js(&b))
            .collect::<Read<_>>()?;
        <[SizeBin; 3]>::try_from(bins)
            .map_err(|_| JsError::new("run evidence: recallBySize needs three bins"))
    })?;
    Ok(RunMetrics {
        loss_index: number(m, "lossIndex")? as usize,
        loss: text(m, "loss")?,
        seed: count(m, "seed")?,
        learning_rate: number(m, "learningRate")?,
        dice: dice_from_js(&get(m, "dice"))?,
        tuned: optional(m, "tuned", tuned_from_js)?,
        dice_at_tuned: optional(m, "diceAtTuned", dice_from_js)?,
        average_precision: number(m, "averagePrecision")?,
        roc_auc: maybe(m, "rocAuc"),
        pr_curve: list(m, "prCurve", |p| {
            Ok(CurvePoint {
                recall: number(p, "recall")?,
                precision: number(p, "precision")?,
                threshold: maybe(p, "threshold").map(|t| t as f32),
            })
        })?,
        calibration: calibration_from_js(&get(m, "calibration"))?,
        objects: ObjectCounts {
            truth: count(&objects, "truth")?,
            predicted: count(&objects, "predicted")?,
            matched: count(&objects, "matched")?,
        },
        object_scores: ObjectScores {
            precision: number(&scores, "precision")?,
            recall: number(&scores, "recall")?,
            f1: number(&scores, "f1")?,
        },
        recall_by_size,
        failures: list(m, "failures", failure_from_js)?,
        heldout_dice_curve: list(m, "heldoutDiceCurve", |p| {
            Ok((number(p, "step")? as usize, number(p, "dice")?))
        })?,
        heldout_images: number(m, "heldoutImages")? as usize,
    })
}
