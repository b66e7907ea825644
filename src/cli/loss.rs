//! `segloss loss`: evaluate a loss spec on .npy logits and targets (NHWC, float32 or float64),
//! print `{"loss": value}` and optionally write d/dlogits (float32, same shape).

use ndarray::Array4;
use ndarray_npy::{ReadNpyError, read_npy, write_npy};
use segloss::loss::{LossContext, LossSpec, catalogue_markdown, evaluate};
use segloss::{Error, Result};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// Loss spec, e.g. "bce", "focal(gamma=2)", "0.5*bce+0.5*dice".
    #[arg(long, required_unless_present = "catalogue")]
    spec: Option<String>,
    /// Logits .npy, shape (N, H, W, 1) for a sigmoid head or (N, H, W, 2) for softmax [bg, fg].
    #[arg(long, required_unless_present = "catalogue")]
    logits: Option<PathBuf>,
    /// Targets .npy, shape (N, H, W, 1), values in [0, 1].
    #[arg(long, required_unless_present = "catalogue")]
    target: Option<PathBuf>,
    /// Write d(loss)/d(logits) here as float32 .npy.
    #[arg(long)]
    grad_out: Option<PathBuf>,
    /// Count dataset class weights (scope=dataset) over the masks of --target, as if it were the
    /// whole training set.
    #[arg(long)]
    dataset_from_target: bool,
    /// Print the loss catalogue as Markdown (the table of docs/losses.md) and exit.
    #[arg(long)]
    catalogue: bool,
}

pub fn main(args: Args) -> Result<()> {
    if args.catalogue {
        print!("{}", catalogue_markdown());
        return Ok(());
    }
    let (Some(spec), Some(logits), Some(target)) = (args.spec, args.logits, args.target) else {
        unreachable!("clap requires --spec, --logits and --target without --catalogue");
    };
    let spec: LossSpec = spec.parse()?;
    let logits = read_f32(&logits, "logits")?;
    let target = read_f32(&target, "target")?;
    let ctx = if args.dataset_from_target {
        LossContext::from_masks(
            target
                .outer_iter()
                .map(|image| image.index_axis_move(ndarray::Axis(2), 0)),
        )
    } else {
        LossContext::default()
    };
    let out = evaluate(&spec, logits.view(), target.view(), &ctx)?;
    if let Some(path) = args.grad_out {
        write_npy(&path, &out.dlogits)
            .map_err(|e| Error(format!("cannot write {}: {e}", path.display())))?;
    }
    println!("{{\"loss\": {}}}", out.value);
    Ok(())
}

/// Reads a 4-D float32 or float64 .npy as f32.
fn read_f32(path: &Path, name: &str) -> Result<Array4<f32>> {
    let describe = |e: ReadNpyError| match e {
        ReadNpyError::WrongNdim(_, ndim) => Error(format!(
            "{name} {} holds a {ndim}-D array; expected a 4-D (batch, H, W, C) array",
            path.display()
        )),
        e => Error(format!("cannot read {name} {}: {e}", path.display())),
    };
    match read_npy::<_, Array4<f32>>(path) {
        Ok(array) => Ok(array),
        Err(ReadNpyError::WrongDescriptor(_)) => read_npy::<_, Array4<f64>>(path)
            .map(|a| a.mapv(|v| v as f32))
            .map_err(|e| match e {
                ReadNpyError::WrongDescriptor(d) => Error(format!(
                    "{name} {} has dtype {d}, expected float32 or float64",
                    path.display()
                )),
                e => describe(e),
            }),
        Err(e) => Err(describe(e)),
    }
}
