//! The segmenter as a Keras 3 model: the same layers, padding, dilations, activations and head,
//! the input normalisation as a layer, compiled with the run's optimizer and the generated `loss`.

use super::{python_number as num, python_number_f32};
use crate::data::image::{INPUT_MEAN, INPUT_SPREAD};
use crate::experiment::Experiment;
use crate::nn::{Head, ModelConfig};
use crate::optim::OptimizerConfig;

/// Python that defines `build_model()`, `load_segloss_weights(model, path)` and a compiled `model`;
/// it expects `loss` from `loss_code` above it.
pub fn model_code(experiment: &Experiment) -> String {
    let model = &experiment.model;
    let layers = layer_lines(model);
    let layers: String = layers
        .iter()
        .map(|l| format!("            {l}\n"))
        .collect();
    let optimizer = optimizer(&experiment.optimizer);
    let crops = match experiment.patch {
        0 => "whole images".to_string(),
        p => format!("random {p}x{p} crops"),
    };
    format!(
        "# The segloss model: {summary}.\n\
         # Input: RGB in [0, 1], (batch, H, W, 3), any H and W (stride 1, 'same' padding).\n\
         # Output: logits {logits}; {probabilities}.\n\
         import keras\n\
         from keras import layers\n\
         import numpy as np\n\n\n\
         def build_model():\n\
         \x20   return keras.Sequential(\n\
         \x20       [\n\
         \x20           keras.Input(shape=(None, None, 3)),\n\
         {layers}\
         \x20       ],\n\
         \x20       name=\"segloss\",\n\
         \x20   )\n\n\n\
         def load_segloss_weights(model, path):\n\
         \x20   # The page's / CLI's weights .npz (Keras layout: kernels HWIO, then biases), in\n\
         \x20   # model.get_weights() order.\n\
         \x20   with np.load(path) as weights:\n\
         \x20       model.set_weights([weights[name] for name in weights.files])\n\n\n\
         model = build_model()\n\
         # Keras's default initialisers differ from segloss's He-normal: load the exported weights to\n\
         # get segloss's predictions. segloss trained {steps} steps on batches of {batch} {crops}{augment}.\n\
         # {note}\n\
         model.compile(optimizer={optimizer}, loss=loss)\n",
        summary = summary(model),
        logits = match model.head {
            Head::Sigmoid => "(batch, H, W, 1)",
            Head::Softmax => "(batch, H, W, 2) = [background, object]",
        },
        probabilities = match model.head {
            Head::Sigmoid => "object probability = keras.ops.sigmoid(logits)",
            Head::Softmax => "class probabilities = keras.ops.softmax(logits)",
        },
        steps = experiment.steps,
        batch = experiment.batch_size,
        augment = if experiment.augment {
            " with random flips and quarter turns"
        } else {
            ""
        },
        optimizer = optimizer.0,
        note = optimizer.1,
    )
}

/// The input normalisation as a Keras layer. Rescaling computes x·scale + offset = (x − mean)/spread,
/// bit for bit the same in f32 because the spread is a power of two.
pub(crate) fn normalize_layer() -> String {
    let scale = 1.0 / INPUT_SPREAD as f64;
    let offset = -(INPUT_MEAN as f64) / INPUT_SPREAD as f64;
    format!(
        "layers.Rescaling(scale={}, offset={}, name=\"normalize\")",
        num(scale),
        num(offset)
    )
}

/// The model's layers as lines of a `keras.Sequential([...])` after its `keras.Input`.
pub(crate) fn layer_lines(model: &ModelConfig) -> Vec<String> {
    let mut layers = vec![format!(
        "{},  # (x - {}) / {}",
        normalize_layer(),
        python_number_f32(INPUT_MEAN),
        python_number_f32(INPUT_SPREAD)
    )];
    for shape in model.layer_shapes(1, 1, 1) {
        let [k, _, _, out] = shape.kernel;
        layers.push(if shape.relu {
            format!(
                "layers.Conv2D({out}, {k}, padding=\"same\", dilation_rate={}, activation=\"relu\", name=\"{}\"),",
                shape.dilation, shape.name
            )
        } else {
            format!(
                "layers.Conv2D({out}, 1, name=\"{}\"),  # linear: logits for the loss",
                shape.name
            )
        });
    }
    layers
}

pub(crate) fn summary(model: &ModelConfig) -> String {
    let dilations: Vec<String> = model.dilations.iter().map(usize::to_string).collect();
    format!(
        "{} hidden {k}x{k} conv layer{} of {} channels (ReLU, dilations {}), a 1x1 {} head",
        model.hidden_layers,
        if model.hidden_layers == 1 { "" } else { "s" },
        model.channels,
        dilations.join(", "),
        match model.head {
            Head::Sigmoid => "sigmoid",
            Head::Softmax => "softmax",
        },
        k = model.kernel,
    )
}

/// The optimizer as Keras spells it, and a note on how Keras's convention compares.
pub(crate) fn optimizer(config: &OptimizerConfig) -> (String, &'static str) {
    let f = python_number_f32;
    match *config {
        // Keras's Adam adds epsilon to √v, PyTorch's (which segloss follows) to √v̂ = √v/√(1−β₂ᵗ):
        // the steps differ only while √v̂ is as small as epsilon.
        OptimizerConfig::Adam {
            lr,
            beta1,
            beta2,
            eps,
        } => (
            format!(
                "keras.optimizers.Adam(learning_rate={}, beta_1={}, beta_2={}, epsilon={})",
                f(lr),
                f(beta1),
                f(beta2),
                f(eps)
            ),
            "Adam: segloss (like PyTorch) adds epsilon to sqrt(v_hat), Keras to sqrt(v); the steps differ only where sqrt(v_hat) ~ epsilon.",
        ),
        // Keras: v = m·v − lr·g, w += v; PyTorch: b = m·b + g, w −= lr·b: the same for a fixed lr.
        OptimizerConfig::Sgd { lr, momentum } => (
            format!(
                "keras.optimizers.SGD(learning_rate={}, momentum={})",
                f(lr),
                f(momentum)
            ),
            "SGD with momentum: Keras's form takes the same steps as segloss's (PyTorch's) for a fixed learning rate.",
        ),
    }
}
