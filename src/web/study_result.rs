//! The study (`evidence::Study`), its verdict and its CSV as one plain JS object for the page:
//! { method (words), methodKey, seeds, heldoutImages, heldoutObjects, verdict: [{ kind, loss, text }],
//! csv, losses: [{ loss, lossIndex, failed, failedSeeds, failures: [{ kind, label, text, seeds, of,
//! why, tryNext }] }], metrics: [{ key, label, direction, losses: [{ mean, std, low, high, n, group,
//! groupLabel, difference: { mean, low, high } }] }] (per metric, one entry per loss in the order of
//! `losses`), bands: per loss [{ step, mean, low, high }] }.

use super::object;
use crate::evidence::{
    BandPoint, Comparison, Group, LossStudy, Metric, Study, Summary, VerdictLine,
};
use js_sys::Array;
use wasm_bindgen::prelude::*;

fn or_undefined(value: Option<f64>) -> JsValue {
    value.map_or(JsValue::UNDEFINED, JsValue::from)
}

fn array<T>(items: &[T], each: impl Fn(&T) -> JsValue) -> JsValue {
    items.iter().map(each).collect::<Array>().into()
}

fn group_key(group: Group) -> &'static str {
    match group {
        Group::Best => "best",
        Group::TiedWithBest => "tied",
        Group::Worse => "worse",
        Group::Failed => "failed",
        Group::Undecided => "undecided",
    }
}

fn summary_fields(s: &Summary) -> [(&'static str, JsValue); 5] {
    [
        ("mean", s.mean.into()),
        ("std", or_undefined(s.std)),
        ("low", or_undefined(s.interval.map(|i| i.low))),
        ("high", or_undefined(s.interval.map(|i| i.high))),
        ("n", (s.n as f64).into()),
    ]
}

fn loss_to_js(index: usize, loss: &LossStudy) -> JsValue {
    let failures = array(&loss.failures, |f| {
        object([
            ("kind", f.kind.key().into()),
            ("label", f.kind.label().into()),
            ("text", f.text().into()),
            ("seeds", array(&f.seeds, |&s| (s as f64).into())),
            ("of", (f.of as f64).into()),
            ("why", f.why.as_str().into()),
            ("tryNext", f.try_next.as_str().into()),
        ])
    });
    object([
        ("loss", loss.loss.as_str().into()),
        ("lossIndex", (index as f64).into()),
        ("failed", loss.failed.into()),
        ("failedSeeds", (loss.failed_seeds as f64).into()),
        ("failures", failures),
    ])
}

/// One loss's summary of `metric`, with its group and difference when the metric is compared.
fn cell(
    loss: &LossStudy,
    index: usize,
    metric: Metric,
    comparison: Option<&Comparison>,
) -> JsValue {
    let Some(summary) = loss.summary(metric) else {
        return JsValue::UNDEFINED;
    };
    let [mean, std, low, high, n] = summary_fields(summary);
    let compared = comparison.and_then(|c| c.losses.get(index));
    let difference = compared
        .and_then(|c| c.difference.as_ref())
        .map_or(JsValue::UNDEFINED, |d| {
            let [mean, _, low, high, _] = summary_fields(d);
            object([mean, low, high])
        });
    object([
        mean,
        std,
        low,
        high,
        n,
        (
            "group",
            compared.map_or(JsValue::UNDEFINED, |c| group_key(c.group).into()),
        ),
        (
            "groupLabel",
            compared.map_or(JsValue::UNDEFINED, |c| c.group.label().into()),
        ),
        ("difference", difference),
    ])
}

fn band_to_js(band: &[BandPoint]) -> JsValue {
    array(band, |p| {
        let [mean, _, low, high, _] = summary_fields(&p.summary);
        object([("step", (p.step as f64).into()), mean, low, high])
    })
}

pub(crate) fn study_to_js(
    study: &Study,
    verdict: &[VerdictLine],
    csv: String,
    bands: &[Vec<BandPoint>],
) -> JsValue {
    let metrics: Array = Metric::ALL
        .iter()
        .filter(|&&m| study.losses.iter().any(|l| l.summary(m).is_some()))
        .map(|&metric| {
            let comparison = study.comparison(metric);
            let cells: Array = study
                .losses
                .iter()
                .enumerate()
                .map(|(i, loss)| cell(loss, i, metric, comparison))
                .collect();
            let direction = match metric.direction() {
                Some(crate::evidence::Direction::HigherIsBetter) => "higher".into(),
                Some(crate::evidence::Direction::LowerIsBetter) => "lower".into(),
                None => JsValue::UNDEFINED,
            };
            object([
                ("key", metric.key().into()),
                ("label", metric.label().into()),
                ("direction", direction),
                ("losses", cells.into()),
            ])
        })
        .collect();
    let n = study.seeds.len();
    object([
        ("method", study.method.describe(n).into()),
        ("methodKey", study.method.key().into()),
        ("seeds", array(&study.seeds, |&s| (s as f64).into())),
        ("heldoutImages", (study.heldout_images as f64).into()),
        ("heldoutObjects", (study.heldout_objects as f64).into()),
        (
            "verdict",
            array(verdict, |line| {
                object([
                    ("kind", line.kind.key().into()),
                    (
                        "loss",
                        line.loss
                            .as_deref()
                            .map_or(JsValue::UNDEFINED, JsValue::from),
                    ),
                    ("text", line.text.as_str().into()),
                ])
            }),
        ),
        ("csv", csv.into()),
        (
            "losses",
            study
                .losses
                .iter()
                .enumerate()
                .map(|(i, l)| loss_to_js(i, l))
                .collect::<Array>()
                .into(),
        ),
        ("metrics", metrics.into()),
        (
            "bands",
            bands
                .iter()
                .map(|b| band_to_js(b))
                .collect::<Array>()
                .into(),
        ),
    ])
}
