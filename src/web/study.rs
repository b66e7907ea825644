//! A study's plan and answer: its seeds and sweep (`studyPlan`), a loss's chosen rate
//! (`chooseRate`), and the statistics, verdict and CSV from every run's evidence (`buildStudy`).

use super::run_metrics::run_metrics_from_js;
use super::study_result::study_to_js;
use super::trial::sweep_rates;
use super::{js_error, object};
use crate::evidence::{RunMetrics, curve_band};
use crate::experiment::Experiment;
use crate::link;
use crate::study::{
    METHOD, RATES, Sweep, conclude, rate_f64, rates, repeat_seeds, tuning::VALIDATION_EVERY,
    tuning_steps,
};
use js_sys::Array;
use wasm_bindgen::prelude::*;

pub(crate) fn experiment(query: &str) -> Result<Experiment, JsError> {
    link::decode_at_most(query, link::FILE_MAX_LEN)
        .map(|decoded| decoded.experiment)
        .map_err(js_error)
}

/// The runs of an experiment's study: { seeds (one per repeat), learningRate (the experiment's),
/// tuningRates (the sweep's, empty when not tuning), tuningSteps, validationEvery (one validation
/// image per this many training images) }.
#[wasm_bindgen(js_name = studyPlan)]
pub fn study_plan(query: &str) -> Result<JsValue, JsError> {
    let experiment = experiment(query)?;
    let lr = experiment.optimizer.lr();
    let seeds: Array = repeat_seeds(&experiment)
        .iter()
        .map(|&s| JsValue::from(s as f64))
        .collect();
    let tuning: Array = if experiment.tune_lr {
        sweep_rates(lr).into_iter().map(JsValue::from).collect()
    } else {
        Array::new()
    };
    Ok(object([
        ("seeds", seeds.into()),
        ("learningRate", rate_f64(lr).into()),
        ("tuningRates", tuning.into()),
        ("tuningSteps", tuning_steps(experiment.steps).into()),
        ("validationEvery", VALIDATION_EVERY.into()),
    ]))
}

fn sweep(experiment: &Experiment, loss_index: usize, scores: &[f64]) -> Result<Sweep, JsError> {
    let scores = <[f64; RATES]>::try_from(scores)
        .map_err(|_| JsError::new(&format!("a sweep has {RATES} scores, not {}", scores.len())))?;
    Ok(Sweep::new(
        loss_index,
        rates(experiment.optimizer.lr()),
        scores,
    ))
}

/// Loss `loss_index`'s rate from its sweep's validation `scores` (in the order of `tuningRates`):
/// { rateIndex, learningRate }.
#[wasm_bindgen(js_name = chooseRate)]
pub fn choose_rate(query: &str, loss_index: usize, scores: &[f64]) -> Result<JsValue, JsError> {
    let sweep = sweep(&experiment(query)?, loss_index, scores)?;
    Ok(object([
        ("rateIndex", sweep.chosen.into()),
        ("learningRate", rate_f64(sweep.chosen_rate()).into()),
    ]))
}

/// The study of `runs` (each a trial's `evidence()`; losses × seeds in any order) with the sweeps'
/// `scores` (one list per loss in loss order, or none when not tuned): see study_result.rs.
#[wasm_bindgen(js_name = buildStudy)]
pub fn build_study(query: &str, runs: Array, scores: Array) -> Result<JsValue, JsError> {
    let experiment = experiment(query)?;
    let runs: Vec<RunMetrics> = runs
        .iter()
        .map(|run| run_metrics_from_js(&run))
        .collect::<Result<_, _>>()?;
    let sweeps: Vec<Sweep> = scores
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let s: Vec<f64> = Array::from(&s).iter().filter_map(|v| v.as_f64()).collect();
            sweep(&experiment, i, &s)
        })
        .collect::<Result<_, _>>()?;
    let conclusion = conclude(&experiment, &runs, &sweeps).map_err(js_error)?;
    // The held-out Dice band of each loss over its seeds, in seed order.
    let bands = (0..experiment.losses.len())
        .map(|i| {
            let mut of_loss: Vec<&RunMetrics> = runs.iter().filter(|r| r.loss_index == i).collect();
            of_loss.sort_by_key(|r| r.seed);
            let curves: Vec<&[(usize, f64)]> =
                of_loss.iter().map(|r| &r.heldout_dice_curve[..]).collect();
            curve_band(&curves, METHOD)
        })
        .collect::<crate::error::Result<Vec<_>>>()
        .map_err(js_error)?;
    Ok(study_to_js(
        &conclusion.study,
        &conclusion.verdict,
        conclusion.csv,
        &bands,
    ))
}
