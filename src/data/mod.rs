//! Datasets: seeded demo scenes, image/mask conversion, weights.
