//! The only file that touches wasm_bindgen: converts types and maps errors, no logic.
