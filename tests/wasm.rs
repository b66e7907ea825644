//! The wasm-bindgen tests, one binary: each wasm test binary costs a link, a wasm-bindgen pass and a
//! browser start in Node and in Chromium. `cargo test --target wasm32-unknown-unknown --test wasm`
//! runs them in Node; with WASM_BINDGEN_USE_BROWSER=1 in headless Chromium. Natively it is empty.
#![cfg(target_arch = "wasm32")]

#[path = "wasm/engine.rs"]
mod engine;
#[path = "wasm/evidence.rs"]
mod evidence;
#[path = "wasm/kernels.rs"]
mod kernels;
#[path = "wasm/losses.rs"]
mod losses;
