"""Runs the Keras code segloss generates in real Keras 3 (JAX backend) and compares it with segloss.

1. Losses: for every catalogue spec (defaults), parameter variants, combos and data-derived class
   weights (per image, per batch, and dataset-scoped numbers inlined), on both heads and on
   random batches (including an image with an empty mask and an all-empty batch), the value and
   the gradient d loss / d logits (jax.grad through the generated keras.ops code) must equal
   `segloss loss`'s within RTOL_LOSS relative (the gradient relative to its largest element),
   computed in float64; in float32 within RTOL_LOSS_FLOAT32 (float32 sums round at ~1e-6).
2. Model: `segloss keras --export-dir` trains each run of a few experiments; the generated model
   with the exported .npz loaded by the generated load_segloss_weights must predict our logits on
   the training images within RTOL_MODEL relative (to the largest logit); one compiled training
   step with the generated loss and optimizer must run.
3. Training script (`segloss keras --train-script`) on a demo scene the CLI writes as PNGs
   (`--export-folder`): its page network with the exported weights predicts our logits within
   RTOL_MODEL; its dataset class weights from the folder's training masks equal the numbers segloss
   inlines; a few epochs lower the training loss and report every page metric; the U-Net variant
   builds and trains.

Run it with scripts/keras_verify.sh (a venv under target/, the release CLI). Prints one line per
check and "N passed, M failed"; exits 1 on a failure.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import jax  # noqa: E402

# float64 where the inputs are float64: the float64 check tests the formulas themselves; the
# float32 check (what a model trains with) shows rounding, summing hundreds of pixels in float32.
jax.config.update("jax_enable_x64", True)

import keras  # noqa: E402
import numpy as np  # noqa: E402

RTOL_LOSS = 1e-5
RTOL_LOSS_FLOAT32 = 1e-4
RTOL_MODEL = 1e-4
CLI = Path(sys.argv[1] if len(sys.argv) > 1 else "target/e2e/segloss").resolve()

# Every catalogue loss at its defaults comes from `segloss loss --catalogue`; these add parameter
# variants, data-derived class weights and combos.
VARIANTS = [
    "bce(pos_weight=3,label_smoothing=0.1)",
    "wbce(weights=median_frequency,scope=image,norm=mean)",
    "wbce(scope=image)",
    "wbce(scope=dataset)",
    "wbce(weights=median_frequency,scope=dataset)",
    "wbce(weights=median_frequency)",
    "wbce(weights=unet_border)",
    "ce(weights=inverse_frequency)",
    "ce(weights=median_frequency,scope=image)",
    "ce(weights=inverse_frequency,scope=dataset)",
    "ce(weights=manual,w_bg=0.5,w_fg=4)",
    "dice(per_image=false)",
    "dice(squared=true,log=true,classes=both)",
    "dice(classes=bg,smooth=0)",
    "dice(smooth=1,per_image=false,classes=both)",
    "gdice(w_type=simple)",
    "gdice(w_type=uniform,smooth=0)",
    "jaccard(per_image=false,smooth=1)",
    "tversky(alpha=0.3,beta=0.7)",
    "tversky(gamma=2,per_image=false)",
    "focal_tversky(smooth=0)",
    "focal(gamma=0.5,alpha=0.25)",
    "focal(gamma=0)",
    "lovasz(per_image=false)",
    "0.5*bce+0.5*dice",
    "0.3*focal+0.7*tversky(alpha=0.3,beta=0.7)",
    "bce+lovasz+0.25*wbce(scope=image)",
    "2*ce(weights=inverse_frequency,scope=dataset)+gdice",
]
NOT_EXPRESSIBLE = {"wbce(weights=unet_border)"}

MODEL_LINKS = [
    "v=1&demo=cells&losses=0.5*bce%2B0.5*dice;wbce(scope=dataset)&steps=40",
    "v=1&demo=blobs&losses=ce(weights=inverse_frequency);lovasz&layers=3&ch=8&k=5&dil=1,2,4"
    "&head=softmax&opt=sgd&lr=0.02&steps=40",
]

results = {"passed": 0, "failed": 0}
# Largest relative errors seen, for the summary line.
worst = {"float64 value": 0.0, "float64 gradient": 0.0, "float32 value": 0.0, "float32 gradient": 0.0,
         "model logits": 0.0}


def report(ok, what):
    results["passed" if ok else "failed"] += 1
    print(f"{'ok  ' if ok else 'FAIL'} {what}", flush=True)


def cli(*args):
    return subprocess.run([str(CLI), *args], check=True, capture_output=True, text=True).stdout


def catalogue_names():
    rows = cli("loss", "--catalogue").splitlines()
    names = [row.split("`")[1] for row in rows if row.startswith("| `") and "(" in row.split("|")[1]]
    return list(dict.fromkeys(names))


def generated(code):
    namespace = {}
    exec(compile(code, "<generated>", "exec"), namespace)
    return namespace


def batches(rng):
    """(name, y_true (N, H, W, 1)): blobs of varied size, one image empty; and an all-empty batch."""
    n, h, w = 3, 12, 14
    yy, xx = np.mgrid[:h, :w]
    masks = np.zeros((n, h, w, 1), np.float32)
    for i, radius in enumerate([4.0, 2.0]):
        cy, cx = rng.uniform(3, h - 3), rng.uniform(3, w - 3)
        masks[i, ..., 0] = ((yy - cy) ** 2 + (xx - cx) ** 2 <= radius**2).astype(np.float32)
    masks[0, 1, 1, 0] = 1.0  # a second object
    return [("blobs + empty image", masks), ("all-empty batch", np.zeros_like(masks))]


def check_loss(spec, head, case, y_true, logits, work):
    np.save(work / "logits.npy", logits)
    np.save(work / "target.npy", y_true)
    rust = cli("loss", "--spec", spec, "--logits", str(work / "logits.npy"), "--target",
               str(work / "target.npy"), "--grad-out", str(work / "grad.npy"), "--dataset-from-target")
    rust_value = float(rust.split(":")[1].strip(" }\n"))
    rust_grad = np.load(work / "grad.npy")
    code = cli("keras", "--loss", spec, "--head", head, "--dataset-target", str(work / "target.npy"))
    loss = generated(code)["loss"]
    errors = {}
    for dtype in (np.float64, np.float32):
        value, grad = jax.value_and_grad(lambda l: loss(y_true.astype(dtype), l))(logits.astype(dtype))
        value, grad = float(value), np.asarray(grad, np.float64)
        scale = float(np.abs(rust_grad).max())
        grad_error = float(np.abs(grad - rust_grad).max()) / scale if scale > 0 else float(np.abs(grad).max())
        if not np.isfinite(grad).all():
            grad_error = float("inf")
        errors[dtype] = (abs(value - rust_value) / max(abs(rust_value), 1e-30), grad_error)
    for dtype, name in [(np.float64, "float64"), (np.float32, "float32")]:
        worst[f"{name} value"] = max(worst[f"{name} value"], errors[dtype][0])
        worst[f"{name} gradient"] = max(worst[f"{name} gradient"], errors[dtype][1])
    ok = max(errors[np.float64]) <= RTOL_LOSS and max(errors[np.float32]) <= RTOL_LOSS_FLOAT32
    report(ok, f"loss {spec:<48} {head:<7} {case:<19} value {rust_value:<9.6g} rel.err value, grad: "
               f"float64 {errors[np.float64][0]:.0e}, {errors[np.float64][1]:.0e}; "
               f"float32 {errors[np.float32][0]:.0e}, {errors[np.float32][1]:.0e}")


def check_not_expressible(spec, work):
    code = cli("keras", "--loss", spec)
    loss = generated(code)["loss"]
    try:
        loss(np.zeros((1, 4, 4, 1), np.float32), np.zeros((1, 4, 4, 1), np.float32))
        report(False, f"loss {spec}: expected NotImplementedError")
    except NotImplementedError as error:
        report(True, f"loss {spec:<48} raises NotImplementedError ({str(error)[:60]}...)")


def check_model(link, work):
    cli("keras", "--link", link, "--export-dir", str(work))
    images = np.load(work / "images.npy")
    model_code = (work / "model.py").read_text()
    run = 0
    while (work / f"run{run}-weights.npz").exists():
        namespace = generated((work / f"run{run}-loss.py").read_text() + "\n" + model_code)
        model = namespace["model"]
        namespace["load_segloss_weights"](model, str(work / f"run{run}-weights.npz"))
        ours = np.load(work / f"run{run}-logits.npy")
        theirs = np.asarray(model(images))
        error = float(np.abs(theirs - ours).max()) / float(np.abs(ours).max())
        worst["model logits"] = max(worst["model logits"], error)
        report(error <= RTOL_MODEL and theirs.shape == ours.shape,
               f"model {link[:60]}... run {run}: predictions {theirs.shape}, "
               f"max |logit| {np.abs(ours).max():.3g}, rel.err {error:.1e}")
        targets = (ours[..., -1:] > (ours[..., :1] if ours.shape[-1] == 2 else 0)).astype(np.float32)
        step_loss = float(model.train_on_batch(images[:2], targets[:2]))
        report(np.isfinite(step_loss), f"model run {run}: one compiled training step, loss {step_loss:.4g}")
        run += 1


TRAIN_LINK = "v=1&demo=cells&losses=wbce(scope=dataset);dice&steps=40"


def check_train_script(work):
    cli("keras", "--link", TRAIN_LINK, "--export-folder", str(work / "data"))
    cli("keras", "--link", TRAIN_LINK, "--export-dir", str(work / "export"))
    script = generated_module(cli("keras", "--link", TRAIN_LINK, "--train-script"))
    model = script["build_page_model"]()
    script["load_segloss_weights"](model, str(work / "export" / "run0-weights.npz"))
    ours = np.load(work / "export" / "run0-logits.npy")
    theirs = np.asarray(model(np.load(work / "export" / "images.npy")))
    error = float(np.abs(theirs - ours).max()) / float(np.abs(ours).max())
    worst["model logits"] = max(worst["model logits"], error)
    report(error <= RTOL_MODEL, f"train script: page network + exported weights, predictions {theirs.shape}, "
                                f"rel.err {error:.1e}")

    pairs, unmatched = script["find_pairs"](work / "data")
    masks = [script["read_pair"](image, mask, 512)[1] for image, mask in pairs]
    inlined = cli("keras", "--link", TRAIN_LINK).split("w_bg, w_fg = ")[1].split("\n")[0]
    expected = [float(v) for v in inlined.split(", ")]
    # The CLI writes the 8 training images first.
    counted = script["class_weights"](masks[:8])["inverse_frequency"]
    report(len(pairs) == 12 and not unmatched and np.allclose(counted, expected, rtol=1e-12),
           f"train script: {len(pairs)} pairs read; dataset weights {counted} vs segloss {expected}")

    for variant in (["--model", "page"], ["--model", "unet", "--depth", "2", "--width", "8"]):
        out = work / ("out-" + variant[1])
        model, history, scores = script["main"]([str(work / "data"), *variant, "--epochs", "4",
                                                 "--steps-per-epoch", "15", "--out", str(out)])
        losses = history["loss"]
        finite = all(np.isfinite(v) for v in scores.values())
        saved = (out / "best.keras").exists() and (out / "metrics.json").exists()
        keys = {"val_dice", "val_iou", "val_precision", "val_recall", "val_accuracy"} <= set(history)
        report(losses[-1] < losses[0] and finite and saved and keys,
               f"train script {' '.join(variant)}: {model.name}, loss {losses[0]:.4g} -> {losses[-1]:.4g} in "
               f"{len(losses)} epochs; held-out dice {scores['dice']:.3f}, iou {scores['iou']:.3f}")


def generated_module(code):
    """Runs a generated script as an imported module (its main() not called)."""
    namespace = {"__name__": "segloss_train"}
    exec(compile(code, "<train script>", "exec"), namespace)
    return namespace


def main():
    print(f"keras {keras.__version__}, jax {jax.__version__}, backend {keras.backend.backend()}, "
          f"floatx {keras.config.floatx()}")
    rng = np.random.default_rng(7)
    specs = catalogue_names() + VARIANTS
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for spec in specs:
            if spec in NOT_EXPRESSIBLE:
                check_not_expressible(spec, work)
                continue
            for head, channels in [("sigmoid", 1), ("softmax", 2)]:
                for case, y_true in batches(rng):
                    logits = rng.normal(0.0, 2.0, y_true.shape[:3] + (channels,)).astype(np.float32)
                    check_loss(spec, head, case, y_true, logits, work)
        for i, link in enumerate(MODEL_LINKS):
            (work / f"model{i}").mkdir()
            check_model(link, work / f"model{i}")
        check_train_script(work / "train")
    print("largest relative errors: " + ", ".join(f"{k} {v:.1e}" for k, v in worst.items()))
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
