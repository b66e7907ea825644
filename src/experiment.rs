//! The whole experiment as one validated value.
