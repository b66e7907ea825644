//! The release .wasm really uses simd128, and never relaxed-SIMD (whose results differ between CPUs).
//! Reads the module that scripts/build.sh wrote; the test command builds it first and sets
//! SEGLOSS_REQUIRE_WASM=1, so a missing file fails there instead of being skipped.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use wasmparser::{Parser, Payload};

/// (v128 instructions, relaxed-SIMD instructions) in the code section.
fn count_simd(wasm: &[u8]) -> (usize, usize) {
    let (mut simd, mut relaxed) = (0, 0);
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::CodeSectionEntry(body) = payload.expect("valid wasm") {
            let mut ops = body.get_operators_reader().expect("operators");
            while !ops.eof() {
                let name = format!("{:?}", ops.read().expect("operator"));
                let name = name.split(['(', ' ', '{']).next().unwrap_or_default();
                if name.contains("Relaxed") {
                    relaxed += 1;
                } else if is_simd(name) {
                    simd += 1;
                }
            }
        }
    }
    (simd, relaxed)
}

fn is_simd(op: &str) -> bool {
    op.starts_with("V128")
        || ["I8x16", "I16x8", "I32x4", "I64x2", "F32x4", "F64x2"]
            .iter()
            .any(|p| op.starts_with(p))
}

fn read_module(flavour: &str) -> Option<Vec<u8>> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("dist/pkg/{flavour}/segloss_bg.wasm"));
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(_) if std::env::var_os("SEGLOSS_REQUIRE_WASM").is_none() => {
            eprintln!(
                "skipped: {} not built (run scripts/build.sh)",
                path.display()
            );
            None
        }
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

#[test]
fn simd_build_has_v128_and_no_relaxed_simd() {
    let Some(wasm) = read_module("simd128") else {
        return;
    };
    let (simd, relaxed) = count_simd(&wasm);
    eprintln!("simd128 build: {simd} v128 instructions, {relaxed} relaxed");
    assert!(simd > 100, "only {simd} v128 instructions: is +simd128 on?");
    assert_eq!(relaxed, 0);
}

#[test]
fn portable_build_has_no_simd_at_all() {
    let Some(wasm) = read_module("portable") else {
        return;
    };
    assert_eq!(count_simd(&wasm), (0, 0));
}

#[test]
fn detector_counts_a_hand_made_simd_module() {
    // (func (result v128) i32.const 0 i8x16.splat): the same bytes the page uses to detect SIMD.
    let module = [
        0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0,
        253, 15, 11,
    ];
    assert_eq!(count_simd(&module), (1, 0));
}
