//! One runnable Python file that takes a run of the page to scale in Keras 3: it reads the user's
//! folder with the page's matching rules, builds the page's network or a U-Net, trains with the
//! run's loss (dataset class weights counted over the folder's training masks), optimizer and
//! batches, with a seeded validation split, checkpoints, early stopping and the page's metrics.
//! The Python is train_script.py with its `__NAME__` placeholders filled in here.

use super::loss::{DatasetWeights, loss_code_with};
use super::model::{layer_lines, normalize_layer, optimizer, summary};
use crate::error::Result;
use crate::experiment::Experiment;
use crate::link;
use crate::loss::LossSpec;
use crate::nn::Head;

const TEMPLATE: &str = include_str!("train_script.py");

/// The training script for loss `spec` of `experiment`.
pub fn train_script(experiment: &Experiment, spec: &LossSpec) -> Result<String> {
    let head = experiment.model.head;
    let loss = loss_code_with(spec, head, DatasetWeights::Script)?;
    // The loss snippet's imports are the script's own.
    let loss: String = loss
        .lines()
        .filter(|line| !line.starts_with("import ") && !line.starts_with("from "))
        .map(|line| format!("{line}\n"))
        .collect();
    let page_layers: String = layer_lines(&experiment.model)
        .iter()
        .map(|l| format!("            {l}\n"))
        .collect();
    let (optimizer_code, optimizer_note) = optimizer(&experiment.optimizer);
    let patch_text = match experiment.patch {
        0 => "whole-image".to_string(),
        p => format!("{p}x{p}"),
    };
    let mut query = link::encode(&Experiment {
        data: crate::experiment::DataSource::Demo {
            scene: "blobs".into(),
            seed: None,
        },
        ..experiment.clone()
    });
    // The images stay out of the script (it reads your folder); the settings stay in.
    query = query.replace("&demo=blobs", "");
    let fills = [
        ("__SPEC__", spec.to_string()),
        ("__QUERY__", query),
        ("__SUMMARY__", summary(&experiment.model)),
        ("__OPTIMIZER_TEXT__", optimizer_code.clone()),
        ("__BATCH__", experiment.batch_size.to_string()),
        ("__PATCH_TEXT__", patch_text),
        (
            "__AUGMENT_TEXT__",
            if experiment.augment {
                " with random flips and quarter turns"
            } else {
                ""
            }
            .to_string(),
        ),
        (
            "__HEAD_CHANNELS__",
            match head {
                Head::Sigmoid => "1",
                Head::Softmax => "2",
            }
            .to_string(),
        ),
        ("__PATCH__", experiment.patch.to_string()),
        (
            "__AUGMENT__",
            if experiment.augment { "True" } else { "False" }.to_string(),
        ),
        ("__LOSS__", loss.trim_end().to_string()),
        ("__PAGE_LAYERS__", page_layers.trim_end().to_string()),
        ("__NORMALIZE__", normalize_layer()),
        (
            "__OPTIMIZER__",
            format!("{optimizer_code}  # {optimizer_note}"),
        ),
    ];
    let mut script = TEMPLATE.to_string();
    for (name, value) in fills {
        script = script.replace(name, &value);
    }
    Ok(script)
}
