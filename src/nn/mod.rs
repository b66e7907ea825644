//! Network layers, each op's forward and backward side by side.
