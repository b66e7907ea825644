//! Tests of every scene through the registry: determinism, object fractions, recorded pixels, and
//! that no global threshold solves a scene.

use super::paint::{Field, SIZE};
use super::{generate, scenes};
use crate::data::{Dataset, Sample};
use ndarray::{Array2, Array3};

fn grey(image: &Array3<f32>) -> Field {
    Array2::from_shape_fn((image.dim().0, image.dim().1), |(y, x)| {
        (image[(y, x, 0)] + image[(y, x, 1)] + image[(y, x, 2)]) / 3.0
    })
}

/// The best Dice any global threshold reaches on `values` (in [0, 1]) over all images at once,
/// trying both polarities (objects brighter or darker) at every 1/256 step: histograms of object
/// and background values, then every cut between bins.
fn best_threshold_dice(values: &[Field], masks: &[&Field]) -> f64 {
    let (mut object, mut background) = ([0u64; 256], [0u64; 256]);
    for (field, mask) in values.iter().zip(masks) {
        for (&v, &m) in field.iter().zip(mask.iter()) {
            let bin = ((v * 256.0) as usize).min(255);
            if m > 0.5 {
                object[bin] += 1
            } else {
                background[bin] += 1
            }
        }
    }
    let (objects, backgrounds): (u64, u64) = (object.iter().sum(), background.iter().sum());
    let (mut object_below, mut background_below) = (0u64, 0u64);
    let mut best: f64 = 0.0;
    for cut in 0..=256 {
        // Predict "above the cut" or "below the cut" as object.
        let above = (objects - object_below, backgrounds - background_below);
        let below = (object_below, background_below);
        for (tp, fp) in [above, below] {
            best = best.max(2.0 * tp as f64 / (tp + fp + objects).max(1) as f64);
        }
        if cut < 256 {
            object_below += object[cut];
            background_below += background[cut];
        }
    }
    best
}

#[test]
fn same_seed_gives_the_same_bits_and_seeds_differ() {
    for info in scenes() {
        let a = generate(info.name, 5).unwrap();
        let b = generate(info.name, 5).unwrap();
        assert_eq!(a, b, "{}", info.name);
        let c = generate(info.name, 6).unwrap();
        assert_ne!(a.train[0].image, c.train[0].image, "{}", info.name);
        assert_eq!((a.train.len(), a.heldout.len()), (8, 4));
        for s in a.train.iter().chain(&a.heldout) {
            assert_eq!(s.image.dim(), (96, 96, 3));
            assert!(Sample::new(s.image.clone(), s.mask.clone()).is_ok());
        }
    }
}

/// FNV-1a 64 over the little-endian bits of every image, then every mask, of the dataset.
fn pixel_hash(dataset: &Dataset) -> u64 {
    let samples = || dataset.train.iter().chain(&dataset.heldout);
    let images = samples().flat_map(|s| s.image.iter().copied().collect::<Vec<_>>());
    let masks = samples().flat_map(|s| s.mask.iter().copied().collect::<Vec<_>>());
    images
        .chain(masks)
        .flat_map(|v| v.to_bits().to_le_bytes())
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ byte as u64).wrapping_mul(0x0000_0100_0000_01b3)
        })
}

/// Every scene draws the same pixels as when these hashes were taken (before the scenes were
/// split into their own files): a change to any scene or painting helper shows up here.
#[test]
fn scenes_draw_the_recorded_pixels() {
    let recorded = [
        ("blobs", 0x8e4a98f97f08fde9),
        ("cells", 0x390f4f39a3208372),
        ("cracks", 0xf17d027d908ca76c),
        ("specks", 0xba4a1f47a9485feb),
        ("varying", 0x4059ea5e28d090d1),
        ("touching", 0xb8bf6f1692722fb2),
        ("nuclei", 0x1a2769cd83e671c0),
    ];
    let got: Vec<(&str, u64)> = scenes()
        .iter()
        .map(|info| (info.name, pixel_hash(&generate(info.name, 3).unwrap())))
        .collect();
    let hex: Vec<String> = got
        .iter()
        .map(|(n, h)| format!("(\"{n}\", {h:#018x})"))
        .collect();
    assert_eq!(got, recorded, "got {}", hex.join(", "));
}

#[test]
fn unknown_scene_lists_the_valid_names() {
    let err = generate("blob", 1).unwrap_err();
    assert_eq!(
        err.0,
        "unknown demo scene \"blob\"; choose one of: blobs, cells, cracks, specks, varying, touching, nuclei"
    );
}

#[test]
fn object_fractions_stay_in_their_bands() {
    // (scene, lowest and highest dataset fraction accepted) over several seeds.
    let bands = [
        ("blobs", 0.24, 0.36),
        ("cells", 0.06, 0.10),
        ("cracks", 0.012, 0.03),
        ("specks", 0.0035, 0.0075),
        ("varying", 0.12, 0.16),
        ("touching", 0.25, 0.40),
        ("nuclei", 0.15, 0.21),
    ];
    for (name, low, high) in bands {
        let nominal = scenes()
            .iter()
            .find(|s| s.name == name)
            .unwrap()
            .nominal_fraction;
        assert!((low..=high).contains(&nominal));
        for seed in 0..4 {
            let fraction = generate(name, seed).unwrap().foreground_fraction();
            assert!(
                (low..=high).contains(&fraction),
                "{name} seed {seed}: {fraction}"
            );
        }
    }
    // "varying" spans 1 % to 50 % from image to image.
    let varying = generate("varying", 0).unwrap();
    let fractions: Vec<f64> = varying
        .train
        .iter()
        .map(Sample::foreground_fraction)
        .collect();
    assert!(fractions[0] < 0.012 && fractions[7] > 0.48, "{fractions:?}");
}

#[test]
fn no_global_threshold_solves_a_scene() {
    let mut solved = Vec::new();
    for info in scenes() {
        let dataset = generate(info.name, 1).unwrap();
        let masks: Vec<&Field> = dataset.train.iter().map(|s| &s.mask).collect();
        let mut channels: Vec<(String, Vec<Field>)> = vec![(
            "grey".into(),
            dataset.train.iter().map(|s| grey(&s.image)).collect(),
        )];
        for (ch, name) in ["red", "green", "blue"].iter().enumerate() {
            let values = dataset
                .train
                .iter()
                .map(|s| s.image.index_axis(ndarray::Axis(2), ch).to_owned())
                .collect();
            channels.push((name.to_string(), values));
        }
        for (channel, values) in &channels {
            let dice = best_threshold_dice(values, &masks);
            println!(
                "{} {channel}: best global threshold Dice {dice:.3}",
                info.name
            );
            if dice >= 0.75 {
                solved.push(format!("{} by {channel} (Dice {dice:.3})", info.name));
            }
        }
    }
    assert!(
        solved.is_empty(),
        "a global threshold solves {}",
        solved.join(", ")
    );
}

/// Writes every scene as a contact sheet (image row over mask row, 3× enlarged) to
/// /tmp/segloss-scenes-<name>.ppm, for looking at: `cargo test -- --ignored contact_sheet`.
#[test]
#[ignore]
fn contact_sheet() {
    use std::io::Write;
    let zoom = 3;
    for info in scenes() {
        let dataset = generate(info.name, 1).unwrap();
        let samples: Vec<&Sample> = dataset
            .train
            .iter()
            .chain(&dataset.heldout)
            .take(6)
            .collect();
        let (width, height) = (samples.len() * (SIZE + 2) * zoom, 2 * (SIZE + 2) * zoom);
        let mut pixels = vec![255u8; width * height * 3];
        for (i, s) in samples.iter().enumerate() {
            for y in 0..SIZE * zoom {
                for x in 0..SIZE * zoom {
                    let (sy, sx) = (y / zoom, x / zoom);
                    let left = i * (SIZE + 2) * zoom + x;
                    for ch in 0..3 {
                        pixels[(y * width + left) * 3 + ch] =
                            (s.image[(sy, sx, ch)] * 255.0 + 0.5) as u8;
                        let top = y + (SIZE + 2) * zoom;
                        pixels[(top * width + left) * 3 + ch] = (s.mask[(sy, sx)] * 255.0) as u8;
                    }
                }
            }
        }
        let mut file =
            std::fs::File::create(format!("/tmp/segloss-scenes-{}.ppm", info.name)).unwrap();
        write!(file, "P6\n{width} {height}\n255\n").unwrap();
        file.write_all(&pixels).unwrap();
        let fractions: Vec<String> = samples
            .iter()
            .map(|s| format!("{:.3}", s.foreground_fraction()))
            .collect();
        println!(
            "{}: dataset {:.4}, images {}",
            info.name,
            dataset.foreground_fraction(),
            fractions.join(" ")
        );
    }
}
