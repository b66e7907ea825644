//! `segloss keras`: prints the Keras 3 code of an experiment (each loss and the model), or of one
//! loss spec; with `--export-dir` also trains every run and writes its weights (.npz, Keras layout)
//! and its logits on the training images, which scripts/keras_verify.py compares with Keras.

use ndarray::{Array4, Axis};
use ndarray_npy::{read_npy, write_npy};
use segloss::data::Dataset;
use segloss::data::image::input_tensor;
use segloss::error::{Error, Result};
use segloss::experiment::Experiment;
use segloss::export::{sample_pngs, weights_npz};
use segloss::keras::{loss_code, model_code, train_script};
use segloss::link;
use segloss::loss::{LossContext, LossSpec};
use segloss::nn::Head;
use segloss::train::Run;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// A share link of the page (the whole URL or its fragment): the code of its losses and model.
    #[arg(long, required_unless_present = "loss", conflicts_with = "loss")]
    link: Option<String>,
    /// One loss spec instead of a link: print only its loss function.
    #[arg(long)]
    loss: Option<String>,
    /// With --loss: the model's head.
    #[arg(long, value_enum, default_value = "sigmoid", requires = "loss")]
    head: HeadArg,
    /// With --loss: count dataset class weights (scope=dataset) over the masks of this target .npy
    /// (N, H, W, 1), as `segloss loss --dataset-from-target` does.
    #[arg(long, requires = "loss")]
    dataset_target: Option<PathBuf>,
    /// With --link: train every run and write its code, weights and training-image logits here.
    #[arg(long, requires = "link")]
    export_dir: Option<PathBuf>,
    /// With --export-dir: training steps per run [default: the link's].
    #[arg(long, requires = "export_dir")]
    steps: Option<usize>,
    /// With --link: print the Keras training script of run --run (see docs/keras.md).
    #[arg(long, requires = "link")]
    train_script: bool,
    /// With --train-script: which run's loss (0 = the first).
    #[arg(long, default_value_t = 0, requires = "train_script")]
    run: usize,
    /// With --link: write the link's images as images/NAME.png + masks/NAME.png here (a folder the
    /// training script and the page read).
    #[arg(long, requires = "link")]
    export_folder: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum HeadArg {
    Sigmoid,
    Softmax,
}

pub fn main(args: Args) -> Result<()> {
    if let Some(spec) = &args.loss {
        let spec: LossSpec = spec.parse()?;
        let head = match args.head {
            HeadArg::Sigmoid => Head::Sigmoid,
            HeadArg::Softmax => Head::Softmax,
        };
        let ctx = match &args.dataset_target {
            Some(path) => context_from_target(path)?,
            None => LossContext::default(),
        };
        print!("{}", loss_code(&spec, head, &ctx)?);
        return Ok(());
    }
    let link = args.link.as_deref().unwrap_or_default();
    let decoded = link::decode(link).map_err(|e| Error(format!("the link: {e}")))?;
    let mut experiment = decoded.experiment;
    if let Some(steps) = args.steps {
        experiment.steps = steps;
    }
    experiment.validate()?;
    if args.train_script {
        let Some(spec) = experiment.losses.get(args.run) else {
            return Err(Error(format!(
                "--run {}: the link has {} runs (0 to {})",
                args.run,
                experiment.losses.len(),
                experiment.losses.len() - 1
            )));
        };
        print!("{}", train_script(&experiment, spec)?);
        return Ok(());
    }
    let dataset = experiment.dataset()?;
    if let Some(dir) = &args.export_folder {
        return export_folder(&dataset, dir);
    }
    let ctx = LossContext::from_masks(dataset.train.iter().map(|s| s.mask.view()));
    match &args.export_dir {
        None => {
            for spec in &experiment.losses {
                println!("{}\n", loss_code(spec, experiment.model.head, &ctx)?);
            }
            print!("{}", model_code(&experiment));
        }
        Some(dir) => export(&experiment, &ctx, dir)?,
    }
    Ok(())
}

/// Writes model.py, images.npy (training images in [0, 1], (N, H, W, 3)) and per run i:
/// run<i>-loss.py, run<i>-weights.npz, run<i>-logits.npy (our logits on images.npy).
fn export(experiment: &Experiment, ctx: &LossContext, dir: &Path) -> Result<()> {
    let io = |path: &Path, e: &dyn std::fmt::Display| {
        Error(format!("cannot write {}: {e}", path.display()))
    };
    std::fs::create_dir_all(dir).map_err(|e| io(dir, &e))?;
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| io(&path, &e))
    };
    write("model.py", model_code(experiment).as_bytes())?;
    let dataset = experiment.dataset()?;
    let images: Vec<_> = dataset.train.iter().map(|s| s.image.view()).collect();
    let input = input_tensor(&images)?;
    let raw: Array4<f32> =
        ndarray::stack(Axis(0), &images).map_err(|e| Error(format!("training images: {e}")))?;
    let path = dir.join("images.npy");
    write_npy(&path, &raw).map_err(|e| io(&path, &e))?;
    for (i, spec) in experiment.losses.iter().enumerate() {
        let mut run = Run::with_dataset(experiment, dataset.clone(), i)?;
        run.step(experiment.steps)?;
        write(
            &format!("run{i}-loss.py"),
            loss_code(spec, experiment.model.head, ctx)?.as_bytes(),
        )?;
        write(&format!("run{i}-weights.npz"), &weights_npz(run.model())?)?;
        let logits = run.model().predict(input.view())?;
        let path = dir.join(format!("run{i}-logits.npy"));
        write_npy(&path, &logits).map_err(|e| io(&path, &e))?;
        eprintln!(
            "run {i} ({spec}): {} steps, checksum {:016x}",
            run.steps_done(),
            run.checksum()
        );
    }
    Ok(())
}

/// The dataset's images and masks as PNGs in `dir`/images and `dir`/masks, training images first.
fn export_folder(dataset: &Dataset, dir: &Path) -> Result<()> {
    let io = |path: &Path, e: &dyn std::fmt::Display| {
        Error(format!("cannot write {}: {e}", path.display()))
    };
    for sub in ["images", "masks"] {
        let path = dir.join(sub);
        std::fs::create_dir_all(&path).map_err(|e| io(&path, &e))?;
    }
    let samples = dataset.train.iter().chain(&dataset.heldout);
    for (i, sample) in samples.enumerate() {
        let (image, mask) = sample_pngs(sample);
        for (sub, bytes) in [("images", image), ("masks", mask)] {
            let path = dir.join(sub).join(format!("image_{i:03}.png"));
            std::fs::write(&path, bytes).map_err(|e| io(&path, &e))?;
        }
    }
    eprintln!(
        "wrote {} image-mask pairs ({}) to {}",
        dataset.train.len() + dataset.heldout.len(),
        dataset.name,
        dir.display()
    );
    Ok(())
}

/// Dataset class statistics over the masks of a target .npy (N, H, W, 1).
pub fn context_from_target(path: &Path) -> Result<LossContext> {
    let target: Array4<f32> =
        read_npy(path).map_err(|e| Error(format!("cannot read target {}: {e}", path.display())))?;
    Ok(LossContext::from_masks(
        target
            .outer_iter()
            .map(|image| image.index_axis_move(Axis(2), 0)),
    ))
}
