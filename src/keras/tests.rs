use super::*;
use crate::experiment::Experiment;
use crate::loss::{ClassStats, LossContext, LossSpec, catalogue};
use crate::nn::{Head, ModelConfig};
use crate::optim::OptimizerConfig;

fn dataset_context() -> LossContext {
    // 1 object pixel of 10: inverse frequency [1/1.8, 5].
    LossContext {
        stats: Some(ClassStats {
            pixels: [9.0, 1.0],
            pixels_of_images_with: [10.0, 10.0],
        }),
    }
}

#[test]
fn every_catalogue_loss_yields_a_loss_function_for_both_heads() {
    for info in catalogue() {
        let spec: LossSpec = info.name.parse().unwrap();
        for head in [Head::Sigmoid, Head::Softmax] {
            let code = loss_code(&spec, head, &LossContext::default()).unwrap();
            assert!(code.contains("def loss(y_true, y_pred):"), "{code}");
            assert!(
                code.contains(&format!("def _{}_1(x, y):", info.name)),
                "{code}"
            );
            assert!(!code.contains("\t"), "tabs in {}", info.name);
            let softmax = code.contains("x = y_pred[..., 1] - y_pred[..., 0]");
            assert_eq!(softmax, head == Head::Softmax, "{}", info.name);
        }
    }
}

#[test]
fn combos_weigh_each_term_and_helpers_appear_once() {
    let spec: LossSpec = "0.5*bce+0.5*dice+0.25*dice(per_image=false)"
        .parse()
        .unwrap();
    let code = loss_code(&spec, Head::Sigmoid, &LossContext::default()).unwrap();
    assert!(
        code.contains("return 0.5 * _bce_1(x, y) + 0.5 * _dice_2(x, y) + 0.25 * _dice_3(x, y)"),
        "{code}"
    );
    assert_eq!(code.matches("def _ratio(").count(), 1);
    assert!(code.contains("axis=(1, 2)") && code.contains("axis=None"));
}

#[test]
fn numbers_are_inlined_as_python_literals() {
    let spec: LossSpec =
        "focal(gamma=0.5,alpha=0.25)+tversky(alpha=0.3,beta=0.7,gamma=0.75,smooth=1e-6)+bce(pos_weight=3,label_smoothing=0.1)"
            .parse()
            .unwrap();
    let code = loss_code(&spec, Head::Sigmoid, &LossContext::default()).unwrap();
    for expected in [
        "ops.exp(-0.5 * ops.softplus(t * x))",
        "alpha = 0.25 * y + (1.0 - 0.25) * (1.0 - y)",
        "tp + 0.3 * fp + 0.7 * fn + 1e-6",
        "ops.power(ops.where(positive, base, 1.0), 0.75)",
        "y = y * (1.0 - 0.1) + 0.5 * 0.1",
        "(1.0 + (3.0 - 1.0) * y)",
    ] {
        assert!(code.contains(expected), "missing {expected} in\n{code}");
    }
}

#[test]
fn dataset_weights_are_inlined_and_scoped_ones_computed_from_y_true() {
    let dataset: LossSpec = "wbce(scope=dataset)".parse().unwrap();
    let error = loss_code(&dataset, Head::Sigmoid, &LossContext::default()).unwrap_err();
    assert!(error.0.contains("scope=dataset needs"), "{error}");
    let code = loss_code(&dataset, Head::Sigmoid, &dataset_context()).unwrap();
    // class_weights(InverseFrequency, [9, 1]) = [0.5/0.9, 0.5/0.1]
    let expected = format!("w_bg, w_fg = {:?}, {:?}", 0.5 / 0.9, 0.5 / 0.1);
    assert!(code.contains(&expected), "{expected} in\n{code}");
    assert!(!code.contains("_class_weights"));

    let image: LossSpec = "ce(weights=median_frequency,scope=image)".parse().unwrap();
    let code = loss_code(&image, Head::Softmax, &LossContext::default()).unwrap();
    assert!(
        code.contains("_class_weights(y, per_image=True, median=True)"),
        "{code}"
    );
    assert!(code.contains("def _class_weights(y, per_image, median):"));
    let manual: LossSpec = "ce(weights=manual,w_bg=0.5,w_fg=9)".parse().unwrap();
    let code = loss_code(&manual, Head::Softmax, &LossContext::default()).unwrap();
    assert!(code.contains("w_bg, w_fg = 0.5, 9.0"), "{code}");
}

#[test]
fn unet_border_says_why_it_is_not_generated() {
    let spec: LossSpec = "wbce(weights=unet_border)".parse().unwrap();
    let code = loss_code(&spec, Head::Sigmoid, &LossContext::default()).unwrap();
    assert!(code.contains("raise NotImplementedError"), "{code}");
}

#[test]
fn model_code_has_every_layer_of_the_config() {
    let experiment = Experiment {
        model: ModelConfig {
            hidden_layers: 3,
            channels: 8,
            kernel: 5,
            dilations: vec![1, 2, 4],
            head: Head::Softmax,
        },
        optimizer: OptimizerConfig::sgd(0.02),
        ..Experiment::default()
    };
    let code = model_code(&experiment);
    for expected in [
        "layers.Rescaling(scale=4.0, offset=-2.0, name=\"normalize\")",
        "layers.Conv2D(8, 5, padding=\"same\", dilation_rate=1, activation=\"relu\", name=\"conv1\")",
        "layers.Conv2D(8, 5, padding=\"same\", dilation_rate=2, activation=\"relu\", name=\"conv2\")",
        "layers.Conv2D(8, 5, padding=\"same\", dilation_rate=4, activation=\"relu\", name=\"conv3\")",
        "layers.Conv2D(2, 1, name=\"head\")",
        "keras.optimizers.SGD(learning_rate=0.02, momentum=0.9)",
        "model.compile(",
    ] {
        assert!(code.contains(expected), "missing {expected} in\n{code}");
    }
    assert_eq!(code.matches("layers.Conv2D(").count(), 4);
    let adam = model_code(&Experiment::default());
    assert!(
        adam.contains(
            "keras.optimizers.Adam(learning_rate=0.005, beta_1=0.9, beta_2=0.999, epsilon=1e-8)"
        ),
        "{adam}"
    );
    assert!(adam.contains("layers.Conv2D(1, 1, name=\"head\")"));
}

#[test]
fn the_training_script_fills_every_placeholder_and_reads_dataset_weights_from_the_folder() {
    let experiment: crate::experiment::Experiment = crate::link::decode(
        "v=1&demo=cells&losses=ce(weights=median_frequency,scope=dataset)&head=softmax&patch=0",
    )
    .unwrap()
    .experiment;
    let script = super::train_script(&experiment, &experiment.losses[0]).unwrap();
    let left: Vec<&str> = [
        "__SPEC__",
        "__LOSS__",
        "__PAGE_LAYERS__",
        "__OPTIMIZER__",
        "__PATCH__",
    ]
    .into_iter()
    .filter(|p| script.contains(p))
    .collect();
    assert!(left.is_empty(), "{left:?}");
    assert!(script.contains("w_bg, w_fg = DATASET_CLASS_WEIGHTS[\"median_frequency\"]"));
    assert!(script.contains("HEAD_CHANNELS = 2\nPATCH = 0 "));
    assert!(script.contains("batches of 4 random whole-image crops"));
    assert!(
        !script.contains("&data="),
        "the script carries settings, not images"
    );
}
