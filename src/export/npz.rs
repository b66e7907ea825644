//! Trained weights as a NumPy .npz in Keras layout, loadable with
//! `model.set_weights([w[k] for k in w.files])` into the generated Keras model.
//!
//! Written by hand (npy format 1.0 in a zip of stored entries, as `numpy.savez` writes, with a
//! 1 KB-table CRC-32): the `ndarray-npy` npz writer would bring a zip library and a Python-literal
//! parser into the wasm module, +47 KB gzipped (+22 %), and `crc32fast` 16 KB of tables, for what
//! is 100 lines here. Tests read the files back with `ndarray-npy` (whose zip reader checks the
//! CRCs), and scripts/keras_verify.py with numpy.
//!
//! # Shapes
//! Per layer, in `Segmenter::params()` order (which is Keras's `model.get_weights()` order):
//! `<layer>_kernel` (kernel_h, kernel_w, in, out) (HWIO), then `<layer>_bias` (out).

use crate::error::Result;
use crate::nn::Segmenter;

/// Entry names in file order: conv1_kernel, conv1_bias, ..., head_kernel, head_bias.
pub fn weight_names(model: &Segmenter) -> Vec<String> {
    model
        .config()
        .layer_shapes(1, 1, 1)
        .iter()
        .flat_map(|l| [format!("{}_kernel", l.name), format!("{}_bias", l.name)])
        .collect()
}

/// The .npz bytes: one float32 .npy per parameter, in Keras's weight order.
pub fn weights_npz(model: &Segmenter) -> Result<Vec<u8>> {
    let shapes = model.config().layer_shapes(1, 1, 1);
    let arrays = shapes
        .iter()
        .flat_map(|l| [l.kernel.to_vec(), vec![l.bias]]);
    let entries: Vec<(String, Vec<u8>)> = weight_names(model)
        .into_iter()
        .zip(arrays)
        .zip(model.params())
        .map(|((name, shape), data)| (format!("{name}.npy"), npy_f32(&shape, data)))
        .collect();
    zip_stored(&entries)
}

/// One .npy file, format 1.0: magic, version, header length, a Python dict literal padded with
/// spaces to a multiple of 64 bytes and ended by a newline, then the little-endian data (C order).
fn npy_f32(shape: &[usize], data: &[f32]) -> Vec<u8> {
    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
    let shape = match dims.as_slice() {
        [one] => format!("({one},)"),
        _ => format!("({})", dims.join(", ")),
    };
    let mut header = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}");
    const PREAMBLE: usize = 10; // magic (6), version (2), header length (2)
    let padded = (PREAMBLE + header.len() + 1).div_ceil(64) * 64;
    header.extend(std::iter::repeat_n(
        ' ',
        padded - PREAMBLE - header.len() - 1,
    ));
    header.push('\n');
    let mut out = Vec::with_capacity(padded + 4 * data.len());
    out.extend_from_slice(b"\x93NUMPY\x01\x00");
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    out.extend(data.iter().flat_map(|v| v.to_le_bytes()));
    out
}

/// A zip archive of stored (uncompressed) entries: local headers with the data, the central
/// directory, its end record. Dates are 1980-01-01 00:00, so equal weights give equal bytes.
fn zip_stored(entries: &[(String, Vec<u8>)]) -> Result<Vec<u8>> {
    const VERSION: u16 = 20; // 2.0: stored entries
    const DOS_DATE: u16 = (1 << 5) | 1; // 1980-01-01
    let u32_of = |n: usize, what: &str| {
        u32::try_from(n).map_err(|_| crate::Error(format!("{what} is too large for a zip file")))
    };
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for (name, data) in entries {
        let offset = u32_of(out.len(), "the archive")?;
        let size = u32_of(data.len(), name)?;
        let crc = crc32(data);
        // Fields shared by the local header (after its signature) and the central directory entry.
        let mut common = Vec::new();
        for half in [VERSION, 0, 0, 0, DOS_DATE] {
            common.extend_from_slice(&half.to_le_bytes()); // version needed, flags, method, time, date
        }
        for word in [crc, size, size] {
            common.extend_from_slice(&word.to_le_bytes());
        }
        common.extend_from_slice(&(name.len() as u16).to_le_bytes());
        common.extend_from_slice(&0u16.to_le_bytes()); // extra field length

        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&common);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);

        directory.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        directory.extend_from_slice(&VERSION.to_le_bytes()); // version made by
        directory.extend_from_slice(&common);
        for half in [0u16, 0, 0] {
            directory.extend_from_slice(&half.to_le_bytes()); // comment, disk, internal attributes
        }
        directory.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        directory.extend_from_slice(&offset.to_le_bytes());
        directory.extend_from_slice(name.as_bytes());
    }
    let directory_offset = u32_of(out.len(), "the archive")?;
    let count = entries.len() as u16;
    out.extend_from_slice(&directory);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    for half in [0u16, 0, count, count] {
        out.extend_from_slice(&half.to_le_bytes()); // disk, directory disk, entries here, entries
    }
    out.extend_from_slice(&u32_of(directory.len(), "the directory")?.to_le_bytes());
    out.extend_from_slice(&directory_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // comment length
    Ok(out)
}

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zip stores it; one table lookup a byte.
fn crc32(data: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut bit = 0;
            while bit < 8 {
                c = if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                bit += 1;
            }
            table[i] = c;
            i += 1;
        }
        table
    };
    !data.iter().fold(!0u32, |c, &b| {
        TABLE[((c ^ b as u32) & 0xff) as usize] ^ (c >> 8)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::{Head, ModelConfig};
    use ndarray::{Array1, Array4};
    use ndarray_npy::NpzReader;
    use std::io::Cursor;

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

    #[test]
    fn crc32_matches_the_standard_check_value() {
        // The CRC-32 check value of "123456789" (zlib.crc32(b"123456789") == 0xCBF43926).
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn npy_headers_are_padded_to_64_bytes_and_end_in_a_newline() {
        let npy = npy_f32(&[2], &[1.0, -2.5]);
        // numpy.save(f, np.array([1, -2.5], np.float32)) writes this 128-byte file.
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        assert_eq!(&npy[..10], b"\x93NUMPY\x01\x00\x76\x00");
        assert_eq!(&npy[10..10 + header.len()], header.as_bytes());
        assert_eq!(npy[127], b'\n');
        assert_eq!(npy.len(), 128 + 8);
        assert_eq!(&npy[128..], [1.0f32, -2.5].map(f32::to_le_bytes).concat());
    }
}
