//! Optimizers: SGD with momentum and Adam.
