//! Files a user takes away from a run: the trained weights as .npz in Keras layout, and a dataset
//! as a folder of PNGs for the Keras training script. (The page's masks as PNG and curves as CSV
//! are made by the page from what it already shows.)

mod npz;
mod png;

pub use npz::{weight_names, weights_npz};
pub use png::{png, sample_pngs};
