//! Trained weights as a NumPy .npz in Keras layout, loadable with
//! `model.set_weights([w[k] for k in w.files])` into the generated Keras model.
//!
//! # Shapes
//! Per layer, in `Segmenter::params()` order (which is Keras's `model.get_weights()` order):
//! `<layer>_kernel` (kernel_h, kernel_w, in, out) (HWIO), then `<layer>_bias` (out).

use crate::error::{Error, Result};
use crate::nn::Segmenter;
use ndarray::{ArrayView1, ArrayView4};
use ndarray_npy::NpzWriter;
use std::io::Cursor;

/// Entry names in file order: conv1_kernel, conv1_bias, ..., head_kernel, head_bias.
pub fn weight_names(model: &Segmenter) -> Vec<String> {
    model
        .config()
        .layer_shapes(1, 1, 1)
        .iter()
        .flat_map(|l| [format!("{}_kernel", l.name), format!("{}_bias", l.name)])
        .collect()
}

/// The .npz bytes: stored (uncompressed) float32 entries, in Keras's weight order.
pub fn weights_npz(model: &Segmenter) -> Result<Vec<u8>> {
    let failed = |e: ndarray_npy::WriteNpzError| Error(format!("cannot write the weights: {e}"));
    let shapes = model.config().layer_shapes(1, 1, 1);
    let params = model.params();
    let mut npz = NpzWriter::new(Cursor::new(Vec::new()));
    for (layer, pair) in shapes.iter().zip(params.chunks(2)) {
        let kernel = ArrayView4::from_shape(layer.kernel, pair[0])
            .map_err(|e| Error(format!("{} kernel: {e}", layer.name)))?;
        let bias = ArrayView1::from(pair[1]);
        npz.add_array(format!("{}_kernel", layer.name), &kernel)
            .map_err(failed)?;
        npz.add_array(format!("{}_bias", layer.name), &bias)
            .map_err(failed)?;
    }
    Ok(npz.finish().map_err(failed)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::{Head, ModelConfig};
    use ndarray::{Array1, Array4};
    use ndarray_npy::NpzReader;

    #[test]
    fn weights_round_trip_in_keras_order_and_layout() {
        let config = ModelConfig {
            hidden_layers: 2,
            channels: 4,
            kernel: 3,
            dilations: vec![1, 2],
            head: Head::Softmax,
        };
        let model = Segmenter::new(config, 3).unwrap();
        let bytes = weights_npz(&model).unwrap();
        let mut npz = NpzReader::new(Cursor::new(bytes)).unwrap();
        let names: Vec<String> = npz.names().unwrap();
        let expected = [
            "conv1_kernel",
            "conv1_bias",
            "conv2_kernel",
            "conv2_bias",
            "head_kernel",
            "head_bias",
        ];
        assert_eq!(names, expected, "file order is Keras's get_weights() order");
        assert_eq!(weight_names(&model), expected.to_vec());
        let params = model.params();
        let conv1: Array4<f32> = npz.by_name("conv1_kernel").unwrap();
        assert_eq!(conv1.dim(), (3, 3, 3, 4));
        assert_eq!(conv1.as_slice().unwrap(), params[0]);
        let conv2: Array4<f32> = npz.by_name("conv2_kernel").unwrap();
        // HWIO: element (ky, kx, in, out) is params[2][((ky·3 + kx)·4 + in)·4 + out].
        assert_eq!(conv2[(2, 1, 3, 0)], params[2][((2 * 3 + 1) * 4 + 3) * 4]);
        let head: Array4<f32> = npz.by_name("head_kernel").unwrap();
        assert_eq!(head.dim(), (1, 1, 4, 2));
        let bias: Array1<f32> = npz.by_name("head_bias").unwrap();
        assert_eq!(bias.len(), 2);
    }
}
