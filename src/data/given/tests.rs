use super::*;

fn photo(width: usize, height: usize, heldout: bool) -> GivenImage {
    let mut rgba = Vec::new();
    let mut mask = Vec::new();
    for y in 0..height {
        for x in 0..width {
            let inside = (y as i64 - height as i64 / 2).pow(2)
                + (x as i64 - width as i64 / 2).pow(2)
                < (width as i64 / 4).pow(2);
            let v = if inside { 200 } else { 40 } + (x * 7 % 13) as u8;
            rgba.extend([v, v / 2, 255 - v, 255]);
            mask.push(u8::from(inside));
        }
    }
    GivenImage::from_rgba(&rgba, (width, height), &mask, 1024, heldout).unwrap()
}

#[test]
fn the_wire_form_round_trips_exactly() {
    let images = GivenImages::new(vec![
        photo(37, 20, false),
        photo(5, 9, true),
        photo(1, 1, false),
    ])
    .unwrap();
    let text = images.encode();
    assert!(
        text.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    assert_eq!(GivenImages::decode(&text).unwrap(), images);
}

#[test]
fn a_64_pixel_copy_of_a_photo_fits_a_link() {
    let images = GivenImages::new(vec![photo(640, 480, false)])
        .unwrap()
        .downscaled(64);
    assert_eq!((images.images[0].width, images.images[0].height), (64, 48));
    let length = images.encode().len();
    assert!(length < 8000, "{length} characters");
}

#[test]
fn downscaling_averages_boxes_and_keeps_the_mask_share() {
    let image = GivenImage {
        width: 4,
        height: 2,
        rgb: [[0u8, 10, 255], [2, 10, 255], [200, 0, 0], [201, 0, 0]]
            .iter()
            .cycle()
            .take(8)
            .flatten()
            .copied()
            .collect(),
        mask: vec![1, 1, 0, 1, 1, 1, 0, 0],
        heldout: false,
    };
    let small = image.downscaled(2);
    assert_eq!((small.width, small.height), (2, 1));
    assert_eq!(small.rgb, vec![1, 10, 255, 201, 0, 0]);
    assert_eq!(small.mask, vec![1, 0]);
    assert_eq!(fitted_size(3000, 4000, 256), (192, 256));
    assert_eq!(fitted_size(1, 5000, 256), (1, 256));
}

#[test]
fn hostile_wire_forms_are_refused_with_messages() {
    let good = GivenImages::new(vec![photo(8, 8, false)]).unwrap().encode();
    // 64 MB of zeros deflate to ~64 KB: the decoder stops at the largest legal size.
    let bomb = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(miniz_oxide::deflate::compress_to_vec(&vec![0; 64 << 20], 1));
    let raw = |bytes: &[u8]| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(miniz_oxide::deflate::compress_to_vec(bytes, 9))
    };
    for (text, expected) in [
        ("", "not deflate"),
        ("<script>", "base64"),
        ("AAAA", "deflate"),
        (&good[..good.len() / 2], ""),
        (&bomb, "too large"),
        (
            &raw(&[FORMAT, 1, 0, 0, 8, 1, 0, 0]),
            "an image of 2048×1 pixels",
        ),
        (&raw(&[3, 1]), "format 3"),
        (&raw(&[FORMAT, 0, 0]), "0 images"),
        (&raw(&[FORMAT, 1, 1]), "257 images"),
        (
            &raw(&[FORMAT, 1, 0, 1, 0, 1, 0, 1, 9, 9, 9, 0]),
            "every image is held out",
        ),
        (
            &raw(&[FORMAT, 1, 0, 1, 0, 1, 0, 0, 9, 9, 9, 0, 7]),
            "extra bytes",
        ),
    ] {
        let error = GivenImages::decode(text).unwrap_err().0;
        assert!(error.contains(expected), "{text:?}: {error}");
    }
}

#[test]
fn links_of_format_one_still_open() {
    // One 2×1 image in format 1 (a one-byte count): RGB after the Sub filter, then the mask bits.
    let bytes = [1, 1, 2, 0, 1, 0, 0, 10, 20, 30, 5, 5, 5, 0b0100_0000];
    let text = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(miniz_oxide::deflate::compress_to_vec(&bytes, 9));
    let images = GivenImages::decode(&text).unwrap();
    assert_eq!(images.images[0].rgb, vec![10, 20, 30, 15, 25, 35]);
    assert_eq!(images.images[0].mask, vec![0, 1]);
}

#[test]
fn a_dataset_of_256_images_at_128_pixels_round_trips() {
    let images: Vec<GivenImage> = (0..MAX_IMAGES)
        .map(|i| {
            let mut image = photo(128, 128, i % 5 == 0);
            image.rgb[0] = i as u8;
            image
        })
        .collect();
    let images = GivenImages::new(images).unwrap();
    assert_eq!(GivenImages::decode(&images.encode()).unwrap(), images);
    let mut too_many = images.images.clone();
    too_many.push(photo(1, 1, false));
    assert!(
        GivenImages::new(too_many)
            .unwrap_err()
            .0
            .contains("257 images")
    );
}

#[test]
fn mismatched_masks_are_refused() {
    let error = GivenImage::from_rgba(&[0; 16], (2, 2), &[0; 3], 256, false).unwrap_err();
    assert!(error.0.contains("3 pixels"), "{}", error.0);
    assert!(GivenImage::from_rgba(&[], (0, 5), &[], 256, false).is_err());
    let error = GivenImage::from_rgba(&[0; 4], (1, 1), &[0], 8, false).unwrap_err();
    assert!(error.0.contains("16 to 1024"), "{}", error.0);
}

#[test]
fn given_images_train_every_default_loss() {
    use crate::experiment::{DataSource, Experiment};
    let images = GivenImages::new(vec![photo(48, 32, false), photo(40, 40, true)]).unwrap();
    let experiment = Experiment {
        data: DataSource::Given(images.into()),
        patch: 16,
        ..Experiment::default()
    };
    experiment.validate().unwrap();
    for loss in 0..experiment.losses.len() {
        let mut run = crate::train::Run::new(&experiment, loss).unwrap();
        assert_eq!(run.step(3).unwrap().diverged, None);
        run.evaluate().unwrap();
    }
}

#[test]
fn the_fitting_side_is_the_largest_within_the_pixel_budget() {
    // 256 squares fit at 128 (exactly 4 Mi pixels), not at 129.
    assert_eq!(fitting_side(&vec![(1024, 1024); 256], 256), Some(128));
    assert_eq!(fitting_side(&[(1024, 1024); 4], 1024), Some(1024));
    assert_eq!(fitting_side(&[(30, 40)], 256), Some(256));
    assert_eq!(fitting_side(&vec![(1024, 1024); 20_000], 1024), None);
}

/// `encode` as it was written before it was sliced: one call of miniz's `compress_to_vec`.
fn encoded_in_one_call(images: &GivenImages) -> String {
    let bytes = images.wire_bytes();
    let deflated =
        miniz_oxide::deflate::compress_to_vec(&bytes, GivenImages::level_for(bytes.len()));
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(deflated)
}

#[test]
fn a_sliced_encoding_gives_the_same_text_however_it_is_cut() {
    // Over FAST_ABOVE_BYTES (deflate level 1) and under it (level 9).
    for side in [300, 40] {
        let images = GivenImages::new(vec![photo(side, side, false), photo(side / 2, 30, true)]);
        let images = images.unwrap();
        let expected = encoded_in_one_call(&images);
        for slice in [1, 1000, 65_536, usize::MAX / 2] {
            // Another dataset in between, so the encoding is made rather than remembered.
            GivenImages::new(vec![photo(3, 3, false)]).unwrap().encode();
            let mut encoding = SlicedEncoding::new(images.clone());
            let mut steps = 1;
            while !encoding.step(slice) {
                steps += 1;
            }
            assert_eq!(
                encoding.text(),
                Some(expected.as_str()),
                "slices of {slice}"
            );
            assert!(slice > 1000 || steps > 1, "{steps} steps of {slice} bytes");
            assert_eq!(GivenImages::decode(&expected).unwrap(), images);
        }
        assert_eq!(images.encode(), expected);
    }
}

#[test]
fn the_last_value_is_decoded_and_encoded_once() {
    let images = GivenImages::new(vec![photo(50, 40, false)]).unwrap();
    let text = images.encode();
    assert_eq!(GivenImages::decode(&text).unwrap(), images);
    assert_eq!(images.fast_encoded_len(), text.len());
    // A different value is decoded anew, and a damaged copy of the last one is still refused.
    let other = GivenImages::new(vec![photo(20, 20, true), photo(8, 8, false)]).unwrap();
    assert_eq!(GivenImages::decode(&other.encode()).unwrap(), other);
    assert!(GivenImages::decode(&text[..text.len() - 4]).is_err());
    assert_eq!(GivenImages::decode(&text).unwrap(), images);
}
