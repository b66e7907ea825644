"""Reference fixtures for segloss's losses, computed by the real libraries.

Runs PyTorch, MONAI and segmentation_models_pytorch (smp) in float64 on the test vectors of
shared/reference/losses.md §6 and writes, per loss name, tests/fixtures/losses/<name>.json:
a list of cases {spec, source, scenario, logits_shape, logits, target, value, dlogits}, arrays
flattened in NHWC order. Logits are float32 values (segloss takes f32 tensors) stored exactly;
value and dlogits are float64, the gradient from autograd. tests/losses.rs compares against them.

Regenerate (outside the repo's tree, any directory):
    python3 -m venv /tmp/lossenv
    /tmp/lossenv/bin/pip install -r scripts/loss_fixtures-requirements.txt
    /tmp/lossenv/bin/python scripts/loss_fixtures.py        # from the repository root

Where no library expresses a spec exactly, `source` says "independent:" and names what is
composed by hand (wbce's class weights and U-Net border map are numpy/scipy re-implementations;
tversky's gamma and dice's log are applied to MONAI's per-image output). Cases whose library
value or gradient is not finite (e.g. MONAI's 0/0 at smooth=0 on empty images) are skipped and
listed in tests/fixtures/losses/skipped.json; the Rust tests check those edges separately.
"""

import json
import os
from importlib.metadata import version

import numpy as np
import scipy.ndimage
import torch
import torch.nn.functional as F
import segmentation_models_pytorch as smp
from segmentation_models_pytorch.losses.lovasz import _lovasz_hinge
from monai.losses import DiceCELoss, DiceLoss, GeneralizedDiceLoss, TverskyLoss
from monai.losses.focal_loss import sigmoid_focal_loss

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "losses")
VERSIONS = {p: version(p) for p in ["torch", "monai", "segmentation-models-pytorch", "numpy", "scipy"]}


# ---------------------------------------------------------------- scenarios (logits, target) NHWC
def scenarios():
    rng = np.random.default_rng(20240531)

    def normal(*shape):
        return rng.normal(0.0, 2.0, size=shape).astype(np.float32)  # N(0, 4)

    def random_mask(n, h, w, fraction):
        m = (rng.random((n, h, w, 1)) < fraction).astype(np.float32)
        m.reshape(n, -1)[:, 0] = np.maximum(m.reshape(n, -1)[:, 0], m.reshape(n, -1).max(1) == 0)
        return m

    def saturated(target, magnitude, right):
        sign = (2 * target - 1) * (1 if right else -1)
        return (sign * magnitude).astype(np.float32)

    s = {}
    y = random_mask(4, 8, 8, 0.3)
    s["random30_b4_8x8"] = (normal(4, 8, 8, 1), y)
    y = (rng.random((4, 8, 8, 1)) < 0.01).astype(np.float32)
    y[0, 3, 5, 0] = 1.0  # at least one foreground pixel in the batch
    s["random1pct_b4_8x8"] = (normal(4, 8, 8, 1), y)
    y = np.zeros((2, 3, 3, 1), np.float32)
    y[1] = (rng.random((3, 3, 1)) < 0.5)
    y[1, 1, 1, 0] = 1.0
    s["mixed_empty_b2_3x3"] = (normal(2, 3, 3, 1), y)
    s["all_bg_b2_2x2"] = (normal(2, 2, 2, 1), np.zeros((2, 2, 2, 1), np.float32))
    s["all_fg_b1_3x3"] = (normal(1, 3, 3, 1), np.ones((1, 3, 3, 1), np.float32))
    y = np.zeros((1, 8, 8, 1), np.float32)
    y[0, 2, 6, 0] = 1.0
    s["one_pixel_b1_8x8"] = (normal(1, 8, 8, 1), y)
    y = np.indices((8, 8)).sum(0) % 2
    s["checker_b2_8x8"] = (normal(2, 8, 8, 1), np.stack([y, 1 - y])[..., None].astype(np.float32))
    s["pixel_1x1_b4"] = (normal(4, 1, 1, 1), np.array([0, 1, 0, 1], np.float32).reshape(4, 1, 1, 1))
    y = random_mask(2, 3, 3, 0.4)
    s["ties_zero_b2_3x3"] = (np.zeros((2, 3, 3, 1), np.float32), y)
    y = random_mask(2, 3, 3, 0.4)
    y[0] = 0.0  # one empty image among the saturated ones
    for m in (50, 100):
        s[f"right_{m}_b2_3x3"] = (saturated(y, m, True), y)
        s[f"wrong_{m}_b2_3x3"] = (saturated(y, m, False), y)
    y = random_mask(1, 2, 2, 0.5)
    s["huge_1e4_b1_2x2"] = (np.array([1e4, -1e4, -1e4, 1e4], np.float32).reshape(1, 2, 2, 1), y)
    soft = np.where(random_mask(2, 3, 3, 0.4) > 0, 0.9, 0.1).astype(np.float32)
    s["soft_b2_3x3"] = (normal(2, 3, 3, 1), soft)
    blobs = np.zeros((2, 8, 8, 1), np.float32)
    blobs[0, 1:4, 1:3] = 1.0
    blobs[0, 1:4, 5:7] = 1.0
    blobs[0, 6:8, 2:6] = 1.0
    blobs[1, 2:6, 2:4] = 1.0
    blobs[1, 3, 6] = 1.0
    s["blobs_b2_8x8"] = (normal(2, 8, 8, 1), blobs)
    # Softmax heads [bg, fg]: x = l_fg − l_bg.
    s["head2_random30_b2_8x8"] = (normal(2, 8, 8, 2), random_mask(2, 8, 8, 0.3))
    y = random_mask(2, 3, 3, 0.4)
    s["head2_right_50_b2_3x3"] = (np.concatenate([-saturated(y, 50, True), saturated(y, 50, True)], 3), y)
    return s


HARD = [k for k in scenarios() if k != "soft_b2_3x3"]
NON_EMPTY = [k for k in HARD if k != "all_bg_b2_2x2"]
ALL = list(scenarios())


# ---------------------------------------------------------------- views of the logits
def binary(l):
    """(N,H,W,C) logits → (N,1,H,W) x; a softmax head gives x = l_fg − l_bg."""
    x = l[..., :1] if l.shape[3] == 1 else l[..., 1:] - l[..., :1]
    return x.permute(0, 3, 1, 2)


def two(l):
    """(N,H,W,C) logits → (N,2,H,W) [bg, fg]; a sigmoid head is read as [0, x]."""
    if l.shape[3] == 1:
        l = torch.cat([torch.zeros_like(l), l], 3)
    return l.permute(0, 3, 1, 2)


def nchw(y):
    return y.permute(0, 3, 1, 2)


def onehot(y):
    return torch.cat([1 - nchw(y), nchw(y)], 1)


# ---------------------------------------------------------------- independent re-implementations
def class_weights(kind, images):
    """Independent numpy version of segloss's weights::class_weights over a list of images."""
    pixels = np.array([sum((1 - im).sum() for im in images), sum(im.sum() for im in images)])
    with_class = np.array(
        [sum(im.size for im in images if (1 - im).sum() > 0), sum(im.size for im in images if im.sum() > 0)]
    )
    present = [c for c in range(2) if pixels[c] > 0]
    if kind == "inverse_frequency":
        freq = {c: pixels[c] / pixels.sum() for c in present}
        w = {c: 1.0 / (len(present) * freq[c]) for c in present}
    else:
        freq = {c: pixels[c] / with_class[c] for c in present}
        median = np.median([freq[c] for c in present])
        w = {c: median / freq[c] for c in present}
    largest = max(w.values())
    return [w.get(0, largest), w.get(1, largest)]


def scoped_weights(kind, scope, y):
    ys = [im for im in y.numpy()]
    if scope == "image":
        return [class_weights(kind, [im]) for im in ys]
    return [class_weights(kind, ys)] * len(ys)


def unet_border(mask, w0, sigma):
    """U-Net border term with scipy: 4-connected objects, exact Euclidean distances."""
    labels, count = scipy.ndimage.label(mask > 0.5)
    if count < 2:
        return np.zeros(mask.shape)
    d = np.stack([scipy.ndimage.distance_transform_edt(labels != k) for k in range(1, count + 1)])
    d.sort(0)
    return w0 * np.exp(-((d[0] + d[1]) ** 2) / (2 * sigma**2)) * (labels == 0)


def weight_map(kind, scope, y, w0=10.0, sigma=5.0):
    per_image = scoped_weights("inverse_frequency" if kind == "unet_border" else kind, scope, y)
    maps = []
    for (w_bg, w_fg), im in zip(per_image, y.numpy()):
        m = w_fg * im + w_bg * (1 - im)
        if kind == "unet_border":
            m = m + unet_border(im[..., 0], w0, sigma)[..., None]
        maps.append(m)
    return torch.tensor(np.stack(maps))


def wbce(kind, scope="batch", norm="weighted_mean", **border):
    def f(l, y):
        w = nchw(weight_map(kind, scope, y, **border))
        total = F.binary_cross_entropy_with_logits(binary(l), nchw(y), weight=w, reduction="sum")
        return total / (w.numel() if norm == "mean" else w.sum())

    return f


def ce(weights):
    def f(l, y):
        if weights in ("inverse_frequency", "median_frequency"):
            w = torch.tensor(scoped_weights(weights, "batch", y)[0])
        else:
            w = None if weights is None else torch.tensor(weights)
        return F.cross_entropy(two(l), nchw(y)[:, 0].round().long(), weight=w)

    return f


# ---------------------------------------------------------------- the cases
def monai_dice(**kw):
    return lambda l, y: DiceLoss(sigmoid=True, **kw)(binary(l), nchw(y))


def dice_bg(**kw):
    # "Inverse" Dice: MONAI's sigmoid Dice of the background, σ(−x) against 1 − y.
    return lambda l, y: DiceLoss(sigmoid=True, **kw)(-binary(l), 1 - nchw(y))


def dice_both(**kw):
    return lambda l, y: DiceLoss(softmax=True, **kw)(two(l), onehot(y))


def dice_log(**kw):
    def f(l, y):
        score = 1 - DiceLoss(sigmoid=True, reduction="none", **kw)(binary(l), nchw(y))
        return (-torch.log(score.clamp_min(1e-7))).mean()

    return f


def tversky_pow(gamma, **kw):
    return lambda l, y: (TverskyLoss(sigmoid=True, reduction="none", **kw)(binary(l), nchw(y)) ** gamma).mean()


def berman(fn):
    """Runs Berman's code (vendored by smp) with two patches, both labelled in `source`:
    - Tensor.float() kept in float64: it casts labels with .float(), which would make torch.dot
      mix float32 and float64 and fail;
    - torch.sort(stable=True): with tied errors the gradient depends on the tie order, and
      torch's default unstable sort picks an arbitrary one (losses.md §4); segloss keeps pixel
      order, as a stable sort does."""

    def f(l, y):
        original_float, original_sort = torch.Tensor.float, torch.sort
        torch.Tensor.float = lambda self, *args, **kwargs: self.double()
        torch.sort = lambda *args, **kwargs: original_sort(*args, stable=True, **kwargs)
        try:
            return fn(l, y)
        finally:
            torch.Tensor.float, torch.sort = original_float, original_sort

    return f


def focal(gamma, alpha):
    return lambda l, y: sigmoid_focal_loss(binary(l), nchw(y), gamma, alpha).mean()


S1 = dict(smooth_nr=1e-5, smooth_dr=1e-5)
CASES = {
    "bce": [
        ("bce", "torch binary_cross_entropy_with_logits", ALL,
         lambda l, y: F.binary_cross_entropy_with_logits(binary(l), nchw(y))),
        ("bce(pos_weight=3)", "torch binary_cross_entropy_with_logits(pos_weight=3)", ALL,
         lambda l, y: F.binary_cross_entropy_with_logits(binary(l), nchw(y), pos_weight=torch.tensor([3.0]))),
        ("bce(label_smoothing=0.2)", "torch binary_cross_entropy_with_logits on Keras-smoothed y(1-ls)+ls/2", ALL,
         lambda l, y: F.binary_cross_entropy_with_logits(binary(l), nchw(y) * 0.8 + 0.1)),
    ],
    "wbce": [
        ("wbce", "independent: numpy inverse-frequency weights (batch), torch BCE weight map, sum/sum(w)", HARD,
         wbce("inverse_frequency")),
        ("wbce(weights=median_frequency,scope=image,norm=mean)",
         "independent: numpy median-frequency weights per image, torch BCE weight map, sum/N", HARD,
         wbce("median_frequency", "image", "mean")),
        ("wbce(weights=unet_border)", "independent: scipy label + distance_transform_edt border map, torch BCE",
         HARD, wbce("unet_border")),
        ("wbce(weights=unet_border,norm=mean,w0=5,sigma=2)", "independent: as above, w0=5, sigma=2, sum/N",
         HARD, wbce("unet_border", norm="mean", w0=5.0, sigma=2.0)),
    ],
    "ce": [
        ("ce", "torch cross_entropy on [bg, fg]", HARD, ce(None)),
        ("ce(weights=manual,w_fg=9)", "torch cross_entropy(weight=[1, 9])", HARD, ce([1.0, 9.0])),
        ("ce(weights=inverse_frequency)", "torch cross_entropy(weight=numpy inverse-frequency weights of the batch)",
         HARD, ce("inverse_frequency")),
    ],
    "dice": [
        ("dice", "monai DiceLoss(sigmoid=True)", ALL, monai_dice(**S1)),
        ("dice(per_image=false)", "monai DiceLoss(sigmoid=True, batch=True)", ALL, monai_dice(batch=True, **S1)),
        ("dice(smooth=1)", "monai DiceLoss(sigmoid=True, smooth_nr=1, smooth_dr=1)", ALL,
         monai_dice(smooth_nr=1.0, smooth_dr=1.0)),
        ("dice(squared=true)", "monai DiceLoss(sigmoid=True, squared_pred=True)", ALL,
         monai_dice(squared_pred=True, **S1)),
        ("dice(classes=bg)", "monai DiceLoss(sigmoid=True) on (-x, 1-y)", ALL, dice_bg(**S1)),
        ("dice(classes=both)", "monai DiceLoss(softmax=True) on [bg, fg] one-hot", ALL, dice_both(**S1)),
        ("dice(log=true)", "independent: -log(clamp(1 - monai DiceLoss(reduction='none'), 1e-7)), mean", ALL,
         dice_log(**S1)),
        ("dice(smooth=0,per_image=false)", "smp DiceLoss('binary', from_logits=True, smooth=0)", NON_EMPTY,
         lambda l, y: smp.losses.DiceLoss("binary", from_logits=True, smooth=0.0)(binary(l), nchw(y))),
        ("dice(smooth=0,per_image=false)", "monai DiceLoss(sigmoid=True, batch=True, smooth 0)", ["all_bg_b2_2x2"],
         monai_dice(batch=True, smooth_nr=0.0, smooth_dr=0.0)),
    ],
    "gdice": [
        (f"gdice{p}", f"monai GeneralizedDiceLoss(softmax=True, w_type={w!r}) on [bg, fg] one-hot", ALL,
         (lambda w: lambda l, y: GeneralizedDiceLoss(softmax=True, w_type=w)(two(l), onehot(y)))(w))
        for p, w in [("", "square"), ("(w_type=simple)", "simple"), ("(w_type=uniform)", "uniform")]
    ],
    "jaccard": [
        ("jaccard", "monai DiceLoss(sigmoid=True, jaccard=True)", ALL, monai_dice(jaccard=True, **S1)),
        ("jaccard(per_image=false)", "monai DiceLoss(sigmoid=True, jaccard=True, batch=True)", ALL,
         monai_dice(jaccard=True, batch=True, **S1)),
    ],
    "tversky": [
        ("tversky", "monai TverskyLoss(sigmoid=True)", ALL,
         lambda l, y: TverskyLoss(sigmoid=True, **S1)(binary(l), nchw(y))),
        ("tversky(alpha=0.3,beta=0.7,per_image=false)", "monai TverskyLoss(sigmoid=True, alpha=0.3, beta=0.7, batch=True)",
         ALL, lambda l, y: TverskyLoss(sigmoid=True, alpha=0.3, beta=0.7, batch=True, **S1)(binary(l), nchw(y))),
        ("tversky(gamma=2)", "independent: monai TverskyLoss(sigmoid=True, reduction='none') ** 2, mean", ALL,
         tversky_pow(2.0, **S1)),
    ],
    "focal_tversky": [
        ("focal_tversky", "independent: monai TverskyLoss(sigmoid=True, alpha=0.7, beta=0.3, reduction='none') ** 0.75, mean",
         ALL, tversky_pow(0.75, alpha=0.7, beta=0.3, **S1)),
    ],
    "focal": [
        ("focal", "monai sigmoid_focal_loss(gamma=2), mean (FocalLoss casts to float32, so its function is called)",
         ALL, focal(2.0, None)),
        ("focal(gamma=0)", "monai sigmoid_focal_loss(gamma=0), mean", ALL, focal(0.0, None)),
        ("focal(gamma=0.5)", "monai sigmoid_focal_loss(gamma=0.5), mean", ALL, focal(0.5, None)),
        ("focal(alpha=0.25)", "monai sigmoid_focal_loss(gamma=2, alpha=0.25), mean", ALL, focal(2.0, 0.25)),
        ("focal(gamma=0.5,alpha=0.25)", "monai sigmoid_focal_loss(gamma=0.5, alpha=0.25), mean", ALL,
         focal(0.5, 0.25)),
        ("focal(alpha=0.25)", "smp FocalLoss('binary', alpha=0.25)", ["random30_b4_8x8", "checker_b2_8x8"],
         lambda l, y: smp.losses.FocalLoss("binary", alpha=0.25)(binary(l), nchw(y))),
    ],
    "lovasz": [
        ("lovasz", "smp _lovasz_hinge(per_image=True) (Berman's lovasz_hinge, vendored), float64 + stable sort (patched)",
         HARD, berman(lambda l, y: _lovasz_hinge(binary(l)[:, 0], nchw(y)[:, 0], per_image=True))),
        ("lovasz(per_image=false)", "smp LovaszLoss('binary', per_image=False), float64 + stable sort (patched)", HARD,
         berman(lambda l, y: smp.losses.LovaszLoss("binary", per_image=False)(binary(l), nchw(y)))),
    ],
    "mse": [
        ("mse", "torch mse_loss(sigmoid(x), y)", ALL, lambda l, y: F.mse_loss(torch.sigmoid(binary(l)), nchw(y))),
    ],
    "combo": [
        ("dice+bce", "monai DiceCELoss(sigmoid=True)", ALL,
         lambda l, y: DiceCELoss(sigmoid=True, **S1)(binary(l), nchw(y))),
        ("0.3*dice+0.7*bce", "monai DiceCELoss(sigmoid=True, lambda_dice=0.3, lambda_ce=0.7)", ALL,
         lambda l, y: DiceCELoss(sigmoid=True, lambda_dice=0.3, lambda_ce=0.7, **S1)(binary(l), nchw(y))),
        ("0.5*focal+0.5*tversky(per_image=false)", "independent sum: monai sigmoid_focal_loss + monai TverskyLoss",
         HARD, lambda l, y: 0.5 * focal(2.0, None)(l, y)
         + 0.5 * TverskyLoss(sigmoid=True, batch=True, **S1)(binary(l), nchw(y))),
        ("lovasz+gdice", "independent sum: smp _lovasz_hinge + monai GeneralizedDiceLoss(softmax=True)", HARD,
         berman(lambda l, y: _lovasz_hinge(binary(l)[:, 0], nchw(y)[:, 0], per_image=True)
                    + GeneralizedDiceLoss(softmax=True)(two(l), onehot(y)))),
    ],
}


def run_case(fn, logits, target):
    l = torch.tensor(logits.astype(np.float64), requires_grad=True)
    y = torch.tensor(target.astype(np.float64))
    value = fn(l, y)
    value.backward()
    return float(value), l.grad.numpy()


def main():
    os.makedirs(OUT, exist_ok=True)
    scenes = scenarios()
    skipped = []
    for family, cases in CASES.items():
        out = []
        for spec, source, names, fn in cases:
            for name in names:
                logits, target = scenes[name]
                value, dlogits = run_case(fn, logits, target)
                if not (np.isfinite(value) and np.isfinite(dlogits).all()):
                    skipped.append({"spec": spec, "scenario": name, "value": repr(value),
                                    "non_finite_gradients": int((~np.isfinite(dlogits)).sum())})
                    continue
                out.append({
                    "spec": spec,
                    "source": source,
                    "scenario": name,
                    "logits_shape": list(logits.shape),
                    "logits": [float(v) for v in logits.ravel()],
                    "target": [float(v) for v in target.ravel()],
                    "value": value,
                    "dlogits": [float(v) for v in dlogits.ravel()],
                })
        with open(os.path.join(OUT, f"{family}.json"), "w") as f:
            json.dump({"versions": VERSIONS, "cases": out}, f, separators=(",", ":"))
        print(f"{family}: {len(out)} cases")
    with open(os.path.join(OUT, "skipped.json"), "w") as f:
        json.dump({"versions": VERSIONS, "skipped": skipped}, f, indent=1)
    print(f"skipped (non-finite reference): {len(skipped)}")


if __name__ == "__main__":
    main()
