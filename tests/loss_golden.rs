//! Natively, every loss case hashes to the golden constant that tests/wasm/losses.rs checks in
//! Node and Chromium: together they prove the losses compute the same bits on both targets.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/loss_golden.rs"]
mod golden;

#[test]
fn loss_values_and_gradients_hash_to_the_golden_constants() {
    let wrong = golden::mismatches();
    assert!(
        wrong.is_empty(),
        "{} cases differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_hash_sees_every_bit() {
    let (logits, _) = golden::inputs(golden::Inputs::Random, 1);
    let mut flipped = logits.clone();
    flipped[[1, 4, 5, 0]] = f32::from_bits(flipped[[1, 4, 5, 0]].to_bits() ^ 1);
    assert_ne!(golden::hash(0.5, &logits), golden::hash(0.5, &flipped));
    assert_ne!(golden::hash(0.5, &logits), golden::hash(-0.5, &logits));
}
