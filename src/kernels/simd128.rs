//! simd128 kernels (core::arch::wasm32), bit-identical to portable.rs.
