//! The native CLI.

fn main() {
    println!("segloss {} ({})", env!("CARGO_PKG_VERSION"), segloss::kernels::KERNEL_NAME);
}
