//! Every tensor of one training step in Keras's layout (NHWC activations, HWIO kernels), with the
//! label forms Keras's losses take for the experiment's head: what the page's shapes panel lists.

use crate::experiment::Experiment;
use crate::nn::{Head, LayerShape};

/// One accepted form of the labels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelShape {
    pub shape: Vec<usize>,
    pub note: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TensorShapes {
    /// (N, H, W, 3)
    pub input: [usize; 4],
    pub layers: Vec<LayerShape>,
    /// (N, H, W, classes)
    pub logits: [usize; 4],
    pub head: Head,
    pub labels: Vec<LabelShape>,
    pub params: usize,
    pub receptive_field: usize,
    pub flops_per_step: u64,
}

/// The shapes of one training batch of `experiment`.
pub fn tensor_shapes(experiment: &Experiment) -> TensorShapes {
    let (n, h, w) = experiment.batch_shape();
    let model = &experiment.model;
    let labels = match model.head {
        Head::Sigmoid => vec![LabelShape {
            shape: vec![n, h, w, 1],
            note: "binary, float 0/1 (sigmoid head)",
        }],
        Head::Softmax => vec![
            LabelShape {
                shape: vec![n, h, w, 2],
                note: "one-hot [background, object] (categorical cross-entropy)",
            },
            LabelShape {
                shape: vec![n, h, w],
                note: "or sparse class indices 0/1 (sparse categorical cross-entropy)",
            },
        ],
    };
    TensorShapes {
        input: [n, h, w, 3],
        layers: model.layer_shapes(n, h, w),
        logits: [n, h, w, model.head.channels()],
        head: model.head,
        labels,
        params: model.param_count(),
        receptive_field: model.receptive_field(),
        flops_per_step: model.flops_per_step(n, h, w),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_softmax_head_lists_one_hot_and_sparse_labels() {
        let mut experiment = Experiment::default();
        experiment.model.head = Head::Softmax;
        let shapes = tensor_shapes(&experiment);
        assert_eq!(shapes.input, [4, 32, 32, 3]);
        assert_eq!(shapes.logits, [4, 32, 32, 2]);
        let forms: Vec<&[usize]> = shapes.labels.iter().map(|l| l.shape.as_slice()).collect();
        assert_eq!(forms, [&[4, 32, 32, 2][..], &[4, 32, 32][..]]);
        assert_eq!(shapes.layers.last().unwrap().kernel, [1, 1, 32, 2]);
    }
}
