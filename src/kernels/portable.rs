//! Portable kernels: the reference, bit-identical to simd128.rs.
