//! Files a user takes away from a run: the trained weights as .npz in Keras layout.
//! (Masks as PNG and curves as CSV are made by the page from what it already shows.)

mod npz;

pub use npz::{weight_names, weights_npz};
