//! The link decoder never panics, whatever the string: seeded random fragments built from the link's own
//! vocabulary (keys, loss names, separators, escapes, numbers at the edges) mixed with arbitrary
//! characters. Whatever decodes re-encodes to a fragment that decodes to the same experiment.
//! The regular tests try 10⁴ strings; `cargo test --release --test link_fuzz -- --ignored` tries 10⁶.
//! The images a link carries (`data=`) get their own test: a valid payload with random bytes changed
//! inside its deflate stream, so the decoder's inflate and parse paths see damaged input.

use base64::Engine;
use segloss::data::given::{GivenImage, GivenImages};
use segloss::link;
use segloss::rng::Rng;

const PIECES: &[&str] = &[
    "v=1",
    "v=",
    "v=2",
    "&",
    "&&",
    "=",
    "==",
    "#",
    "%",
    "%2",
    "%41",
    "%E0%A4",
    "%FF",
    "demo=",
    "blobs",
    "cells",
    "specks",
    "seed=",
    "scene_seed=",
    "losses=",
    "bce",
    "dice(per_image=false)",
    "focal(gamma=",
    "wbce(weights=inverse_frequency)",
    "0.5*bce+0.5*dice",
    ";",
    "(",
    ")",
    ",",
    "layers=",
    "ch=",
    "k=",
    "dil=",
    "1,2,4",
    "head=",
    "softmax",
    "opt=",
    "sgd",
    "adam",
    "lr=",
    "momentum=",
    "batch=",
    "patch=",
    "aug=",
    "steps=",
    "0",
    "1",
    "-1",
    "7",
    "64",
    "1e30",
    "-0",
    "NaN",
    "inf",
    "1e-45",
    "9007199254740993",
    "18446744073709551616",
    "0.0000001",
    " ",
    "<script>",
    "\u{0}",
    "é",
    "\u{10FFFF}",
    "🦀",
];

/// Two 3×2 images, one held out, in the link's wire form.
fn valid_data() -> String {
    let image = |heldout| GivenImage {
        width: 3,
        height: 2,
        rgb: (0..18).map(|v| v * 13).collect(),
        mask: vec![0, 1, 1, 0, 0, 1],
        heldout,
    };
    GivenImages::new(vec![image(false), image(true)])
        .unwrap()
        .encode()
}

fn random_fragment(rng: &mut Rng, data: &str) -> String {
    let mut out = String::new();
    for _ in 0..rng.below(24) {
        if rng.below(8) == 0 {
            out.push(char::from_u32(rng.below(0x800) as u32).unwrap_or('?'));
        } else if rng.below(16) == 0 {
            out.push_str("data=");
            out.push_str(&data[..rng.below(data.len() + 1)]);
        } else {
            out.push_str(PIECES[rng.below(PIECES.len())]);
        }
    }
    out
}

fn fuzz(count: usize) {
    let mut rng = Rng::new(20261129, 0);
    let data = valid_data();
    let mut decoded_ok = 0;
    for _ in 0..count {
        let fragment = random_fragment(&mut rng, &data);
        if let Ok(decoded) = link::decode(&fragment) {
            decoded_ok += 1;
            let canonical = link::encode(&decoded.experiment);
            let again = link::decode(&canonical).unwrap_or_else(|e| {
                panic!("{fragment:?} re-encoded to {canonical:?}, which fails: {e}")
            });
            assert_eq!(
                link::encode(&again.experiment),
                canonical,
                "from {fragment:?}"
            );
        }
    }
    // The generator must reach the decoder's success paths too, or the test proves little.
    assert!(
        decoded_ok > count / 20,
        "only {decoded_ok} of {count} fragments decoded"
    );
}

fn damage_image_payloads(count: usize) {
    let base64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let deflated = base64.decode(valid_data()).unwrap();
    let mut rng = Rng::new(20261129, 1);
    let mut decoded_ok = 0;
    for _ in 0..count {
        let mut bytes = deflated.clone();
        for _ in 0..1 + rng.below(3) {
            let i = rng.below(bytes.len());
            bytes[i] ^= 1 << rng.below(8);
        }
        bytes.truncate(bytes.len() - rng.below(2) * rng.below(bytes.len()));
        if GivenImages::decode(&base64.encode(&bytes)).is_ok() {
            decoded_ok += 1;
        }
    }
    assert!(decoded_ok < count, "every damaged payload decoded");
}

#[test]
fn damaged_image_payloads_never_panic() {
    damage_image_payloads(10_000);
}

#[test]
fn ten_thousand_random_fragments_never_panic() {
    fuzz(10_000);
}

#[test]
#[ignore = "long: a million fragments, run on demand"]
fn a_million_random_fragments_never_panic() {
    fuzz(1_000_000);
    damage_image_payloads(1_000_000);
}
