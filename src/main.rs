//! The native CLI: the same engine as the page, headless. The wasm build of this binary is empty:
//! the page uses the library through web.rs.

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
