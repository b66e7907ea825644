//! Golden hashes of loss values and gradients, shared by tests/loss_golden.rs (native) and
//! tests/wasm/losses.rs (wasm32, Node and Chromium): both assert the same constants, so a loss that
//! computes different bits on the two targets fails one of them.
//!
//! Each case evaluates one spec on seeded inputs and hashes the value (f64) and every dlogit (f32)
//! by their bits. The constants were printed by `cargo test --test loss_golden` on x86_64 Linux.

use segloss::loss::{LossContext, LossSpec, evaluate};
use segloss::rng::Rng;
use segloss::tensor::Tensor;

/// Small batches: 2 images of 5 × 6 pixels.
const SHAPE: (usize, usize, usize) = (2, 5, 6);

#[derive(Debug, Clone, Copy)]
pub enum Inputs {
    /// Logits ~ N(0, 4), ~30% foreground, image 1 empty.
    Random,
    /// Every mask empty.
    EmptyMask,
    /// Logits ±50, half on the right side and half on the wrong side.
    Saturated,
    /// Targets 0.1 / 0.9 / 0.5 and hard labels mixed.
    SoftLabels,
}

pub struct Case {
    pub spec: &'static str,
    /// 1 = sigmoid head, 2 = softmax head [bg, fg].
    pub channels: usize,
    pub inputs: Inputs,
    pub golden: u64,
}

const fn case(spec: &'static str, channels: usize, inputs: Inputs, golden: u64) -> Case {
    Case {
        spec,
        channels,
        inputs,
        golden,
    }
}

use Inputs::{EmptyMask, Random, Saturated, SoftLabels};

/// Every loss family on both heads, then the variants that call other libm functions (pow, log,
/// the border map's exp), scopes, a combination and the edge inputs.
#[rustfmt::skip]
pub const CASES: [Case; 36] = [
    case("bce", 1, Random, 0xe305231dc6c8f180),
    case("bce", 2, Random, 0x4cdc2487bd1ddf02),
    case("bce(pos_weight=3,label_smoothing=0.1)", 1, SoftLabels, 0x35329aed500c5e14),
    case("wbce", 1, Random, 0xc6df0dbe61611835),
    case("wbce", 2, Random, 0x63bf67fc8d08204c),
    case("wbce(scope=image)", 1, Random, 0x0595ab8904ac4d09),
    case("wbce(weights=median_frequency,scope=dataset,norm=mean)", 1, Random, 0x2e952760951a2de1),
    case("wbce(weights=unet_border,w0=5,sigma=2)", 1, Random, 0x64276edde5d321f7),
    case("ce(weights=manual,w_bg=0.5,w_fg=9)", 1, Random, 0xe99f7aafcfc73899),
    case("ce(weights=inverse_frequency,scope=image)", 2, Random, 0x197128bd91de5720),
    case("dice", 1, Random, 0x7057071b2a1dfa1b),
    case("dice", 2, Random, 0xd4a706807ce8735c),
    case("dice(log=true,classes=both,squared=true)", 1, Random, 0x78941504c915b92b),
    case("gdice", 1, Random, 0x70dc8ae9fab40071),
    case("gdice(w_type=simple)", 2, Random, 0xd2dc8980c3b7f98c),
    case("jaccard", 1, Random, 0x5218f66b6fed008b),
    case("jaccard(per_image=false)", 2, Random, 0xbb8025acd7c7e80e),
    case("tversky", 1, Random, 0xd9fcbea452bf3abb),
    case("tversky(alpha=0.3,beta=0.7,gamma=2)", 2, Random, 0xdbb83ecb48cad95d),
    case("focal_tversky", 1, Random, 0xc0951326737fb2c1),
    case("focal", 1, Random, 0xa7f9cf75cb42eb8f),
    case("focal(gamma=0.5,alpha=0.25)", 2, Random, 0x395df321b034ee72),
    case("focal", 1, SoftLabels, 0xb901d10c186b0c34),
    case("lovasz", 1, Random, 0x99ded8f8a4c803af),
    case("lovasz(per_image=false)", 2, Random, 0xcd80611c40317076),
    case("mse", 1, Random, 0xf6d817628058f359),
    case("mse", 2, Random, 0x6a3bad06a749ef50),
    case("0.5*bce+0.5*dice", 1, Random, 0x81f02d61513471b9),
    case("0.2*focal+gdice+0.3*lovasz(per_image=false)", 2, Random, 0x5a9032d7231b51bf),
    case("dice", 1, EmptyMask, 0x1914a08bb543ee26),
    case("gdice", 2, EmptyMask, 0x0e31c86c5d773723),
    case("wbce(scope=image)", 1, EmptyMask, 0xf253fdf5766228c4),
    case("focal_tversky", 1, EmptyMask, 0xdf130b0a8f3cfab9),
    case("bce", 1, Saturated, 0x1989b3da04cd5b7f),
    case("focal(gamma=0.5)", 2, Saturated, 0xefa61cf0e5c4abac),
    case("0.5*bce+0.5*dice(log=true)", 1, Saturated, 0xa5ae5440042b9c5b),
];

/// (logits (N, H, W, channels), target (N, H, W, 1)) for `inputs`, from a fixed seed.
pub fn inputs(inputs: Inputs, channels: usize) -> (Tensor, Tensor) {
    let (n, h, w) = SHAPE;
    let mut rng = Rng::new(2024, channels as u64);
    let mut logits = Tensor::zeros((n, h, w, channels));
    let mut target = Tensor::zeros((n, h, w, 1));
    for v in logits.iter_mut() {
        *v = (2.0 * rng.normal()) as f32;
    }
    for ((image, ..), v) in target.indexed_iter_mut() {
        *v = if image == 1 {
            0.0
        } else {
            (rng.uniform() < 0.3) as u8 as f32
        };
    }
    match inputs {
        Inputs::Random => {}
        Inputs::EmptyMask => target.fill(0.0),
        Inputs::Saturated => {
            for (i, v) in logits.iter_mut().enumerate() {
                *v = if i % 3 == 0 { -50.0 } else { 50.0 };
            }
        }
        Inputs::SoftLabels => {
            for v in target.iter_mut() {
                *v = [0.1, 0.9, 0.5, 0.0, 1.0][rng.below(5)];
            }
        }
    }
    (logits, target)
}

/// FNV-1a 64 over the little-endian bytes of `value`'s bits, then of every dlogit's bits.
pub fn hash(value: f64, dlogits: &Tensor) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let bytes = value
        .to_bits()
        .to_le_bytes()
        .into_iter()
        .chain(dlogits.iter().flat_map(|d| d.to_bits().to_le_bytes()));
    bytes.fold(OFFSET, |h, b| (h ^ b as u64).wrapping_mul(PRIME))
}

/// The hash of `case` on this target.
pub fn compute(case: &Case) -> u64 {
    let spec: LossSpec = case.spec.parse().expect("the spec parses");
    let (logits, target) = inputs(case.inputs, case.channels);
    let ctx = LossContext::from_masks(target.outer_iter().map(|image| {
        image
            .index_axis_move(ndarray::Axis(2), 0)
            .into_dimensionality()
            .expect("(H, W) mask")
    }));
    let out = evaluate(&spec, logits.view(), target.view(), &ctx).expect("the loss evaluates");
    hash(out.value, &out.dlogits)
}

/// One line per case whose hash differs from its golden constant, in the table's own syntax.
pub fn mismatches() -> Vec<String> {
    CASES
        .iter()
        .filter_map(|case| {
            let actual = compute(case);
            (actual != case.golden).then(|| {
                format!(
                    "case({:?}, {}, {:?}, {actual:#018x}), // golden {:#018x}",
                    case.spec, case.channels, case.inputs, case.golden
                )
            })
        })
        .collect()
}
