//! The link decoder never panics, whatever the string: seeded random fragments built from the link's own
//! vocabulary (keys, loss names, separators, escapes, numbers at the edges) mixed with arbitrary
//! characters. Whatever decodes re-encodes to a fragment that decodes to the same experiment.
//! The regular tests try 10⁴ strings; `cargo test --release --test link_fuzz -- --ignored` tries 10⁶.

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

fn random_fragment(rng: &mut Rng) -> String {
    let mut out = String::new();
    for _ in 0..rng.below(24) {
        if rng.below(8) == 0 {
            out.push(char::from_u32(rng.below(0x800) as u32).unwrap_or('?'));
        } else {
            out.push_str(PIECES[rng.below(PIECES.len())]);
        }
    }
    out
}

fn fuzz(count: usize) {
    let mut rng = Rng::new(20261129, 0);
    let mut decoded_ok = 0;
    for _ in 0..count {
        let fragment = random_fragment(&mut rng);
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

#[test]
fn ten_thousand_random_fragments_never_panic() {
    fuzz(10_000);
}

#[test]
#[ignore = "long: a million fragments, run on demand"]
fn a_million_random_fragments_never_panic() {
    fuzz(1_000_000);
}
