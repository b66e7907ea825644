//! Convolution microkernels behind one safe interface. The implementation is picked at compile
//! time: simd128 when the wasm build enables it, otherwise the portable twin, which computes the
//! same bits (same lane order, same summation order, no fused multiply-add).

pub mod portable;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub mod simd128;

/// Shown in the page footer and printed by the CLI.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub const KERNEL_NAME: &str = "simd128-f32";
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub const KERNEL_NAME: &str = "portable-f32";
