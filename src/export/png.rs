//! A dataset as a folder of PNGs (`images/NAME.png` + `masks/NAME.png`, the layout the page and the
//! training script read): 8-bit RGB images and 8-bit grey masks (255 = object), written with
//! miniz_oxide's zlib stream and a CRC-32 of its own (PNG needs nothing else).

use crate::data::Sample;

/// CRC-32 (IEEE, reflected), as PNG chunks carry it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xedb8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend(kind);
    out.extend(data);
    let crc = crc32(&out[start..]);
    out.extend(crc.to_be_bytes());
}

/// A PNG of `width` × `height` pixels of `channels` (1 grey, 3 RGB) 8-bit values, row-major.
pub fn png(width: usize, height: usize, channels: usize, pixels: &[u8]) -> Vec<u8> {
    let colour_type = if channels == 3 { 2 } else { 0 };
    let mut header = Vec::with_capacity(13);
    header.extend((width as u32).to_be_bytes());
    header.extend((height as u32).to_be_bytes());
    header.extend([8, colour_type, 0, 0, 0]);
    let mut raw = Vec::with_capacity(height * (1 + width * channels));
    for row in pixels.chunks_exact(width * channels) {
        raw.push(0); // filter: none
        raw.extend(row);
    }
    let mut out = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
    chunk(&mut out, b"IHDR", &header);
    chunk(
        &mut out,
        b"IDAT",
        &miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6),
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

/// The image of a sample as an RGB PNG (values rounded from [0, 1]) and its mask as a grey one.
pub fn sample_pngs(sample: &Sample) -> (Vec<u8>, Vec<u8>) {
    let (h, w) = (sample.height(), sample.width());
    let rgb: Vec<u8> = sample
        .image
        .iter()
        .map(|&v| (v * 255.0).round() as u8)
        .collect();
    let mask: Vec<u8> = sample
        .mask
        .iter()
        .map(|&m| if m > 0.5 { 255 } else { 0 })
        .collect();
    (png(w, h, 3, &rgb), png(w, h, 1, &mask))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_and_header_match_the_png_specification() {
        // CRC-32 of "123456789" is the standard check value.
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        let bytes = png(2, 1, 1, &[0, 255]);
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&bytes[12..16], b"IHDR");
        assert_eq!(&bytes[bytes.len() - 8..bytes.len() - 4], b"IEND");
    }
}
