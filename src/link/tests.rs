use super::*;
use crate::data::given::GivenImage;

#[test]
fn defaults_encode_to_the_version_scene_and_seed_only() {
    assert_eq!(encode(&Experiment::default()), "v=1&demo=blobs&seed=1");
}

#[test]
fn every_setting_round_trips() {
    let query = "v=1&demo=cells&seed=7&scene_seed=3&losses=bce;focal(gamma=1);0.5*bce+0.5*dice\
                 &layers=3&ch=16&k=5&dil=1,2,4&head=softmax&opt=sgd&lr=0.05&momentum=0.8\
                 &batch=2&patch=16&aug=0&steps=250&thr=0.35";
    let decoded = decode(query).unwrap();
    assert!(decoded.notes.is_empty(), "{:?}", decoded.notes);
    assert_eq!(decoded.view.threshold, 0.35);
    let again = decode(&encode_with_view(&decoded.experiment, &decoded.view)).unwrap();
    assert_eq!(again.experiment, decoded.experiment);
    assert_eq!(again.view, decoded.view);
    assert_eq!(
        encode_with_view(&again.experiment, &again.view),
        query.replace(' ', "")
    );
}

#[test]
fn unknown_keys_are_reported_and_numbers_clamped() {
    let decoded = decode("#v=1&demo=cells&colour=blue&layers=99&lr=1e9&steps=1000000000").unwrap();
    let e = &decoded.experiment;
    assert_eq!((e.model.hidden_layers, e.steps), (6, 100_000));
    assert_eq!(e.model.dilations.len(), 6);
    assert_eq!(
        decoded.notes,
        [
            "ignored the unknown setting \"colour\"",
            "hidden layers 99 is out of range: use 1 to 6; used 6",
            "learning rate 1000000000 is out of range: use 0.00001 to 10; used 10",
            "steps 1000000000 is out of range: use 1 to 100000; used 100000",
        ]
    );
}

#[test]
fn the_scene_follows_the_seed_unless_given_its_own() {
    let scene_seed = |query: &str| match decode(query).unwrap().experiment.data {
        DataSource::Demo { seed, .. } => seed,
        DataSource::Given(_) => unreachable!(),
    };
    assert_eq!(scene_seed("v=1&seed=5"), None);
    assert_eq!(scene_seed("v=1&seed=5&scene_seed=5"), None);
    assert_eq!(scene_seed("v=1&seed=5&scene_seed=1"), Some(1));
    assert_eq!(
        Experiment::default().dataset().unwrap(),
        decode("v=1&seed=1").unwrap().experiment.dataset().unwrap()
    );
}

#[test]
fn every_repair_is_reported() {
    for (query, note) in [
        (
            "v=1&k=2",
            "kernel size \"2\" is not one of 1, 3 or 5; used 3",
        ),
        (
            "v=1&aug=x",
            "augmentation must be 1 or 0, not \"x\"; used 1",
        ),
        (
            "v=1&patch=3",
            "patch size 3 is out of range: use 8 to 512, or 0 for whole images; used 8",
        ),
        (
            "v=1&batch=2.5",
            "batch size must be a whole number, not \"2.5\"; used 3",
        ),
        (
            "v=1&seed=1&seed=2",
            "seed is given more than once (\"1\" and \"2\"); used the last",
        ),
        (
            "v=1&lr=NaN",
            "learning rate must be a number, not \"NaN\"; used 0.005",
        ),
        (
            "v=1&demo=moon",
            "demo scene \"moon\" is not one of blobs, cells, cracks, specks, varying, touching or nuclei; used blobs",
        ),
        (
            "v=1&seeds=20",
            "seeds 20 is out of range: use 1 to 10; used 10",
        ),
        (
            "v=1&tune=yes",
            "tune each loss's learning rate must be 1 or 0, not \"yes\"; used 0",
        ),
        (
            "v=1&momentum=0.5",
            "momentum applies to SGD only; ignored it",
        ),
        (
            "v=1&layers=3&dil=1,2",
            "2 dilations for 3 hidden layers; repeated the last",
        ),
        ("v=1&losses=bce;nonsense", "left out a loss: "),
    ] {
        let decoded = decode(query).unwrap();
        assert!(
            decoded.notes.iter().any(|n| n.starts_with(note)),
            "{query}: {:?}",
            decoded.notes
        );
    }
    let seeds = decode("v=1&seed=1&seed=2").unwrap();
    assert_eq!(seeds.experiment.seed, 2);
}

#[test]
fn hostile_values_give_messages_not_panics() {
    for (query, expect) in [
        ("v=2&demo=cells", "version"),
        ("v=1&demo=<script>alert(1)</script>", "not one of"),
        ("v=1&layers=-3", "hidden layers -3 is out of range"),
        ("v=1&losses=dice(smooth=%3Cb%3E)", "smooth"),
        ("v=1&head=octopus", "head"),
        ("garbage", "not a Segloss link"),
        ("colour=blue&size=9", "not a Segloss link"),
    ] {
        match decode(query) {
            Ok(decoded) => assert!(
                decoded.notes.join(" ").contains(expect),
                "{query}: {:?}",
                decoded.notes
            ),
            Err(error) => assert!(error.0.contains(expect), "{query}: {error}"),
        }
    }
    assert!(
        decode(&"a".repeat(100_000))
            .unwrap_err()
            .0
            .contains("characters long")
    );
    // Truncated escapes decode as literal text (a panic here would fail the test).
    assert!(decode("v=1&%").is_ok());
    assert!(decode("v=1&dil=%FF%FE").is_err());
}

#[test]
fn messages_quote_at_most_a_little_user_text() {
    let long = "x".repeat(10_000);
    for query in [
        format!("v=1&{long}=1"),
        format!("v=1&steps={long}"),
        format!("v=1&losses={long}"),
        format!("v=1&demo={long}"),
        long.clone(),
    ] {
        let messages = match decode(&query) {
            Ok(decoded) => decoded.notes,
            Err(error) => vec![error.0],
        };
        for message in messages {
            assert!(
                message.len() < 400,
                "{} characters: {}",
                message.len(),
                &message[..100]
            );
        }
    }
}

#[test]
fn escaping_keeps_specs_readable_and_round_trips_odd_text() {
    assert_eq!(
        escape("0.5*bce+0.5*dice(smooth=1)"),
        "0.5*bce+0.5*dice(smooth=1)"
    );
    for text in ["a&b=c#d%e f", "ünï", "%zz", "%4"] {
        assert_eq!(unescape(&escape(text)), text);
    }
}

/// Given images of pseudo-random pixels (which deflate cannot shrink), `count` of them at `side`².
fn noisy_images(count: usize, side: usize) -> Experiment {
    let mut state = 12345u32;
    let images = (0..count)
        .map(|i| GivenImage {
            width: side,
            height: side,
            rgb: (0..side * side * 3)
                .map(|_| {
                    state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    (state >> 24) as u8
                })
                .collect(),
            mask: (0..side * side)
                .map(|p| u8::from(p % side < side / 2))
                .collect(),
            heldout: i > 0,
        })
        .collect();
    Experiment {
        data: DataSource::Given(GivenImages::new(images).unwrap().into()),
        patch: 16,
        ..Experiment::default()
    }
}

#[test]
fn a_share_link_is_exact_when_its_images_fit() {
    let experiment = noisy_images(2, 40);
    let share = share(&experiment, &View::default(), 40).unwrap();
    assert!(share.exact && share.side == 40 && share.patch.is_none());
    let opened = decode(&share.query).unwrap().experiment;
    assert_eq!(opened, experiment);
}

#[test]
fn a_share_link_too_long_at_the_side_asked_for_carries_smaller_copies() {
    let experiment = noisy_images(2, 200);
    let share = share(&experiment, &View::default(), 200).unwrap();
    assert!(!share.exact);
    assert!(share.side < 200 && share.side >= 64, "side {}", share.side);
    assert!(
        share.query.len() <= MAX_LEN,
        "{} characters",
        share.query.len()
    );
    assert!(decode(&share.query).is_ok(), "the link opens");
}

#[test]
fn a_dataset_too_large_for_a_link_says_so() {
    use crate::data::given::GivenImage;
    // 100 noisy 64-pixel images: about 1.2 MB of pixels, which no deflate brings under 64 KiB.
    let mut noise = crate::rng::Rng::new(3, 0);
    let images = (0..100)
        .map(|i| GivenImage {
            width: 64,
            height: 64,
            rgb: (0..64 * 64 * 3).map(|_| noise.next_u64() as u8).collect(),
            mask: (0..64 * 64).map(|p| u8::from(p % 7 == 0)).collect(),
            heldout: i % 5 == 0,
        })
        .collect();
    let experiment = Experiment {
        data: DataSource::Given(GivenImages::new(images).unwrap().into()),
        patch: 32,
        ..Experiment::default()
    };
    let error = share(&experiment, &View::default(), 64).unwrap_err().0;
    assert!(
        error.contains("its 100 images at a longest side of 16 pixels (the smallest) take"),
        "{error}"
    );
    assert!(
        error.contains("more than the 65536 a link may hold"),
        "{error}"
    );
    // The experiment file still carries it.
    let query = encode(&experiment);
    assert!(query.len() < FILE_MAX_LEN);
    assert_eq!(
        decode_at_most(&query, FILE_MAX_LEN).unwrap().experiment,
        experiment
    );
}
