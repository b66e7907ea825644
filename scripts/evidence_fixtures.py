"""Reference fixtures for segloss's evidence layer (src/evidence/), computed by the libraries whose
conventions it follows: scipy (Student's t), numpy (means, sample std, percentiles), scikit-learn
(precision_recall_curve, average_precision_score, roc_auc_score), torchmetrics
(BinaryCalibrationError and its binning) and scipy.ndimage (8-connected objects).

Writes tests/fixtures/evidence/<topic>.json; tests/evidence.rs compares the Rust functions with
them at 1e-9 (f64). The test command never regenerates them. Regenerate (any directory):
    python3 -m venv /tmp/evidenceenv
    /tmp/evidenceenv/bin/pip install -r scripts/evidence_fixtures-requirements.txt
    /tmp/evidenceenv/bin/python scripts/evidence_fixtures.py      # from the repository root

Scores are float32 values (the model's probabilities are f32) stored exactly as JSON numbers;
labels and masks are 0/1. Where no library has the function (the paired grouping, the best-Dice
threshold, per-image Dice, the object matching), `source` says "independent:" and the numbers
come from a plain numpy re-implementation of the rule stated in the Rust docs, written apart from it.
Cases cover seeded random inputs and the edges of metrics.md: all background, all object, one
pixel, ties, a single seed, identical runs.
"""

import json
import os
from importlib.metadata import version

import numpy as np
import scipy.ndimage
import scipy.stats
import sklearn.metrics as skm
import torch
from torchmetrics.classification import BinaryCalibrationError
from torchmetrics.functional.classification.calibration_error import _binning_bucketize

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "evidence")
VERSIONS = {p: version(p) for p in ["numpy", "scipy", "scikit-learn", "torch", "torchmetrics"]}
rng = np.random.default_rng(20260601)


def f32_list(a):
    return [float(v) for v in np.asarray(a, dtype=np.float32).ravel()]


def write(name, payload):
    payload = payload if isinstance(payload, dict) else {"cases": payload}
    with open(os.path.join(OUT, f"{name}.json"), "w") as f:
        json.dump({"versions": VERSIONS, **payload}, f, separators=(",", ":"))
        f.write("\n")


# ------------------------------------------------------------------------ Student t, intervals
def t_quantiles():
    cases = []
    for df in range(1, 31):
        for p in [0.975, 0.95, 0.995, 0.6, 0.025]:
            cases.append({"p": p, "df": df, "t": float(scipy.stats.t.ppf(p, df))})
    return cases


def t_interval(values):
    values = np.asarray(values, dtype=np.float64)
    n, mean = len(values), float(np.mean(values))
    if n < 2:
        return mean, None, None
    std = float(np.std(values, ddof=1))
    if std == 0.0:  # scipy's scale must be > 0; the interval is the point itself
        return mean, std, [mean, mean]
    low, high = scipy.stats.t.interval(0.95, n - 1, loc=mean, scale=std / np.sqrt(n))
    return mean, std, [float(low), float(high)]


def intervals():
    cases = []
    for n in range(1, 11):
        for spread in [0.02, 0.2]:
            values = (0.85 + spread * rng.standard_normal(n)).tolist()
            mean, std, interval = t_interval(values)
            cases.append({"scenario": f"random n={n} sd={spread}", "values": values, "mean": mean,
                          "std": std, "interval": interval})
    for name, values in [("single seed", [0.93]), ("identical runs", [0.7] * 5),
                         ("two seeds", [0.881, 0.968]), ("issue 16 dice seeds 1-5", [0.881, 0.968, 0.901, 0.951, 0.968])]:
        mean, std, interval = t_interval(values)
        cases.append({"scenario": name, "values": values, "mean": mean, "std": std, "interval": interval})
    percentiles = []
    for n in [2, 3, 7, 200, 2000]:
        values = np.sort(rng.standard_normal(n))
        percentiles.append({"sorted": values.tolist(), "q": [0.0, 2.5, 50.0, 97.5, 100.0],
                            "values": np.percentile(values, [0.0, 2.5, 50.0, 97.5, 100.0]).tolist()})
    return {"intervals": cases, "percentiles": percentiles}


def paired_case(scenario, names, values, failed, higher_is_better):
    """independent: best = first arg-best mean among losses not failed; differences loss − best per
    seed with scipy's t interval; tied when the interval contains 0."""
    values = np.asarray(values, dtype=np.float64)
    means = values.mean(axis=1)
    candidates = [i for i in range(len(names)) if not failed[i]]
    best = None
    if candidates:
        sub = means[candidates]
        best = candidates[int(np.argmax(sub) if higher_is_better else np.argmin(sub))]
    rows = []
    for i, name in enumerate(names):
        mean, std, interval = t_interval(values[i])
        difference = None
        if best is not None and i != best:
            d_mean, d_std, d_interval = t_interval(values[i] - values[best])
            difference = {"mean": d_mean, "std": d_std, "interval": d_interval}
        if failed[i]:
            group = "failed"
        elif i == best:
            group = "best"
        elif difference["interval"] is None:
            group = "undecided"
        elif difference["interval"][0] <= 0.0 <= difference["interval"][1]:
            group = "tied"
        else:
            group = "worse"
        rows.append({"loss": name, "mean": mean, "std": std, "interval": interval,
                     "difference": difference, "group": group})
    return {"scenario": scenario, "source": "independent: numpy/scipy paired t", "losses": names,
            "values": values.tolist(), "failed": failed, "higher_is_better": higher_is_better,
            "best": best, "rows": rows}


def paired():
    cases = []
    base = 0.85 + 0.05 * rng.standard_normal(5)
    values = [base + 0.03 + 0.004 * rng.standard_normal(5), base + 0.028 + 0.004 * rng.standard_normal(5),
              base - 0.02 + 0.004 * rng.standard_normal(5), base - 0.3]
    cases.append(paired_case("random 4 losses x 5 seeds", ["bce", "focal", "wbce", "dice"], values,
                             [False, False, False, False], True))
    cases.append(paired_case("a failed loss is never best", ["bce", "focal", "wbce", "dice"], values,
                             [True, False, False, False], True))
    cases.append(paired_case("identical runs", ["a", "b", "c"], [[0.8, 0.9, 0.7]] * 3, [False] * 3, True))
    cases.append(paired_case("a single seed", ["a", "b"], [[0.8], [0.9]], [False, False], True))
    cases.append(paired_case("every loss failed", ["a", "b"], [[0.1, 0.2], [0.3, 0.1]], [True, True], True))
    ece = np.abs(0.05 + 0.02 * rng.standard_normal((3, 10)))
    cases.append(paired_case("lower is better, 10 seeds", ["bce", "dice", "focal"], ece.tolist(), [False] * 3, False))
    issue = [[0.766, 0.484, 0.800, 0.857, 0.950], [0.634, 0.938, 0.811, 0.902, 0.925]]
    cases.append(paired_case("issue 16 object F1 seeds 1-5", ["bce", "dice"], issue, [False, False], True))
    return cases


# ------------------------------------------------------------------------ ranking metrics
def ranking_case(scenario, scores, labels):
    scores = np.asarray(scores, dtype=np.float32)
    labels = np.asarray(labels, dtype=np.int64)
    precision, recall, thresholds = skm.precision_recall_curve(labels, scores)
    ap = float(skm.average_precision_score(labels, scores))
    auc = float(skm.roc_auc_score(labels, scores)) if len(np.unique(labels)) == 2 else None
    return {"scenario": scenario, "scores": f32_list(scores), "labels": labels.tolist(),
            "precision": precision.tolist(), "recall": recall.tolist(), "thresholds": f32_list(thresholds),
            "average_precision": ap, "roc_auc": auc}


def ranking():
    cases = []
    n = 300
    labels = (rng.random(n) < 0.2).astype(int)
    scores = np.clip(0.35 * labels + 0.6 * rng.random(n), 0, 1)
    cases.append(ranking_case("random 300, 20 % object", scores, labels))
    cases.append(ranking_case("ties: scores in steps of 0.1", np.round(scores * 10) / 10, labels))
    saturated = np.where(rng.random(n) < 0.7, 1.0, np.float32(1 - 1e-7) * rng.random(n)).astype(np.float32)
    cases.append(ranking_case("saturated: 70 % at exactly 1", saturated, labels))
    cases.append(ranking_case("all background", rng.random(50), np.zeros(50, int)))
    cases.append(ranking_case("all object", rng.random(50), np.ones(50, int)))
    cases.append(ranking_case("one object pixel", [0.7], [1]))
    cases.append(ranking_case("one background pixel", [0.7], [0]))
    cases.append(ranking_case("constant scores", np.full(40, 0.5), (rng.random(40) < 0.3).astype(int)))
    cases.append(ranking_case("sklearn docstring", [0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]))
    big = 5000
    labels = (rng.random(big) < 0.05).astype(int)
    cases.append(ranking_case("5000 distinct, 5 % object", rng.beta(2, 5, big) + 0.3 * labels * rng.random(big) / 1.3, labels))
    return cases


def generated_pixels(n):
    """The formula tests/evidence.rs repeats: integer hashing, an exact power-of-two division and
    one f32 rounding, so numpy and Rust get the same scores bit for bit without storing them."""
    i = np.arange(n, dtype=np.uint64)
    scores = ((((i * np.uint64(2654435761)) % np.uint64(2**32)) >> np.uint64(20)).astype(np.float64) / 4096.0).astype(np.float32)
    flip = ((i * np.uint64(7919)) % np.uint64(10)) == 0
    labels = ((scores > np.float32(0.6)) != flip).astype(np.int64)
    return scores, labels


def generated():
    n = 100_000
    scores, labels = generated_pixels(n)
    precision, recall, thresholds = skm.precision_recall_curve(labels, scores)
    picks = [0, 1, 7, 100, len(thresholds) // 2, len(thresholds) - 1]
    best = best_dice_threshold(scores, labels)
    ece = BinaryCalibrationError(n_bins=15, norm="l1")(torch.tensor(scores, dtype=torch.float64), torch.tensor(labels))
    return {"scenario": f"{n} generated pixels, 4096 score levels", "n": n,
            "average_precision": float(skm.average_precision_score(labels, scores)),
            "roc_auc": float(skm.roc_auc_score(labels, scores)), "thresholds": len(thresholds),
            "picks": [{"index": k, "precision": float(precision[k]), "recall": float(recall[k]),
                       "threshold": float(thresholds[k])} for k in picks],
            "best_threshold": best, "ece": float(ece)}


# ------------------------------------------------------------------------ threshold choice
def dice(pred, truth):
    tp, fp, fn = int(np.sum(pred & truth)), int(np.sum(pred & ~truth)), int(np.sum(~pred & truth))
    if 2 * tp + fp + fn == 0:
        return 1.0
    return 2 * tp / (2 * tp + fp + fn)


def best_dice_threshold(scores, labels):
    """independent: brute force over every distinct score, p ≥ t; the highest t among equal Dice."""
    scores = np.asarray(scores, dtype=np.float32)
    truth = np.asarray(labels).astype(bool)
    if not truth.any():
        return None
    candidates = np.unique(scores)[::-1]  # decreasing: np.argmax keeps the first, highest t
    dices = [dice(scores >= t, truth) for t in candidates]
    k = int(np.argmax(dices))
    return {"threshold": float(candidates[k]), "tuning_dice": float(dices[k]), "candidates": len(candidates)}


def threshold_case(scenario, tuning, tuning_labels, heldout, heldout_labels):
    best = best_dice_threshold(tuning, tuning_labels)
    heldout = np.asarray(heldout, dtype=np.float32)
    heldout_dice = None
    if best is not None:
        heldout_dice = dice(heldout >= np.float32(best["threshold"]), np.asarray(heldout_labels).astype(bool))
    return {"scenario": scenario, "source": "independent: numpy brute force over distinct scores",
            "tuning": f32_list(tuning), "tuning_labels": list(map(int, tuning_labels)),
            "heldout": f32_list(heldout), "heldout_labels": list(map(int, heldout_labels)),
            "best": best, "heldout_dice": heldout_dice}


def thresholds():
    cases = []
    for k, fraction in enumerate([0.05, 0.2, 0.5]):
        n = 400
        tl = (rng.random(n) < fraction).astype(int)
        hl = (rng.random(n) < fraction).astype(int)
        t = np.clip(0.25 * tl + 0.5 * rng.random(n), 0, 1)
        h = np.clip(0.25 * hl + 0.5 * rng.random(n), 0, 1)
        cases.append(threshold_case(f"random {int(fraction * 100)} % object", t, tl, h, hl))
        cases.append(threshold_case(f"ties, {int(fraction * 100)} % object", np.round(t * 8) / 8, tl, np.round(h * 8) / 8, hl))
    cases.append(threshold_case("tie between thresholds", [0.9, 0.5, 0.5, 0.5, 0.1], [1, 1, 0, 0, 0], [0.6, 0.2], [1, 0]))
    cases.append(threshold_case("collapsed map: all 1", np.ones(20), (np.arange(20) < 4).astype(int), np.ones(10), (np.arange(10) < 2).astype(int)))
    cases.append(threshold_case("no object to tune on", rng.random(20), np.zeros(20, int), rng.random(5), [1, 0, 0, 0, 0]))
    cases.append(threshold_case("one pixel", [0.3], [1], [0.2], [1]))
    cases.append(threshold_case("held out all background", rng.random(30), (rng.random(30) < 0.3).astype(int), rng.random(10) * 0.1, np.zeros(10, int)))
    return cases


# ------------------------------------------------------------------------ calibration
def calibration_case(scenario, scores, labels):
    scores = np.asarray(scores, dtype=np.float32)
    labels = np.asarray(labels, dtype=np.int64)
    conf = torch.tensor(scores.astype(np.float64))
    target = torch.tensor(labels)
    ece = float(BinaryCalibrationError(n_bins=15, norm="l1")(conf, target))
    ece_f32 = float(BinaryCalibrationError(n_bins=15, norm="l1")(torch.tensor(scores), target))
    edges = torch.linspace(0, 1, 16, dtype=torch.float64)
    acc, mean_p, prop = _binning_bucketize(conf, target, edges)
    counts = torch.bincount(torch.bucketize(conf, edges, right=True) - 1, minlength=16)
    return {"scenario": scenario, "source": "torchmetrics BinaryCalibrationError(n_bins=15, norm='l1') on float64; bins from its _binning_bucketize",
            "scores": f32_list(scores), "labels": labels.tolist(), "ece": ece, "ece_float32_input": ece_f32,
            "counts": counts.tolist(), "accuracy": acc.tolist(), "confidence": mean_p.tolist(),
            "proportion": prop.tolist()}


def calibration():
    cases = []
    p = rng.random(1000)
    cases.append(calibration_case("random, calibrated", p, (rng.random(1000) < p).astype(int)))
    cases.append(calibration_case("random, overconfident", p, (rng.random(1000) < 0.3 + 0.4 * p).astype(int)))
    sat = np.where(rng.random(500) < 0.5, 1.0, 0.0)
    cases.append(calibration_case("saturated at exactly 0 and 1", sat, (rng.random(500) < 0.2).astype(int)))
    edges32 = np.float32(np.arange(16) / 15)
    linspace32 = np.float32(torch.linspace(0, 1, 16, dtype=torch.float64).numpy())
    on_edges = np.concatenate([edges32, linspace32, np.nextafter(edges32, np.float32(0))])
    on_edges = np.clip(on_edges, 0, 1)
    cases.append(calibration_case("scores on and just below the bin edges", on_edges, (np.arange(len(on_edges)) % 3 == 0).astype(int)))
    cases.append(calibration_case("one pixel", [0.42], [1]))
    cases.append(calibration_case("all background", rng.random(100) * 0.3, np.zeros(100, int)))
    cases.append(calibration_case("all object", 0.7 + 0.3 * rng.random(100), np.ones(100, int)))
    edges = torch.linspace(0, 1, 16, dtype=torch.float64).numpy()
    # As u64 bits too: serde_json's default float parsing may miss the last bit.
    return {"edges": edges.tolist(), "edges_bits": [int(b) for b in edges.view(np.uint64)],
            "cpu_capability": torch.backends.cpu.get_cpu_capability(), "cases": cases}


# ------------------------------------------------------------------------ objects, per image
EIGHT = np.ones((3, 3), dtype=int)


def objects_case(scenario, prediction, truth):
    """independent: scipy.ndimage.label with 8-connectivity; a (pred, true) pair matches when
    IoU > 0.5; precision/recall/F1 as StarDist with the metrics.rs empty rule."""
    prediction, truth = np.asarray(prediction, bool), np.asarray(truth, bool)
    pl, pn = scipy.ndimage.label(prediction, structure=EIGHT)
    tl, tn = scipy.ndimage.label(truth, structure=EIGHT)
    matched_truth = set()
    for t in range(1, tn + 1):
        for p in np.unique(pl[tl == t]):
            if p == 0:
                continue
            inter = np.sum((pl == p) & (tl == t))
            union = np.sum((pl == p) | (tl == t))
            if inter / union > 0.5:
                matched_truth.add(t)
    matched = len(matched_truth)
    objects = [{"area": int(np.sum(tl == t)), "matched": t in matched_truth} for t in range(1, tn + 1)]
    bins = []
    for name, lo, hi in [("small", 0, 15), ("medium", 16, 64), ("large", 65, 10**9)]:
        members = [o for o in objects if lo <= o["area"] <= hi]
        found = sum(o["matched"] for o in members)
        bins.append({"class": name, "objects": len(members), "matched": found,
                     "recall": found / len(members) if len(members) >= 5 else None})

    def ratio(num, den):
        return num / den if den else (1.0 if tn == 0 and pn == 0 else 0.0)

    return {"scenario": scenario, "source": "independent: scipy.ndimage.label(structure=ones((3,3))), IoU > 0.5",
            "shape": list(truth.shape), "prediction": prediction.astype(int).ravel().tolist(),
            "truth": truth.astype(int).ravel().tolist(), "truth_objects": tn, "predicted_objects": pn,
            "matched": matched, "objects": objects, "bins": bins, "precision": ratio(matched, pn),
            "recall": ratio(matched, tn), "f1": ratio(2 * matched, tn + pn)}


def blobs(shape, count, radii):
    yy, xx = np.mgrid[: shape[0], : shape[1]]
    mask = np.zeros(shape, bool)
    for _ in range(count):
        cy, cx, r = rng.integers(0, shape[0]), rng.integers(0, shape[1]), rng.uniform(*radii)
        mask |= (yy - cy) ** 2 + (xx - cx) ** 2 <= r * r
    return mask


def objects():
    cases = []
    truth = blobs((96, 96), 70, (0.5, 6.5))
    drift = np.roll(truth, 1, axis=1) & (rng.random(truth.shape) < 0.97)
    cases.append(objects_case("random blobs, shifted by a pixel", drift | blobs((96, 96), 6, (0.5, 2)), truth))
    small = blobs((40, 40), 30, (0.5, 1.6))
    cases.append(objects_case("many small objects, half dropped", small & (rng.random(small.shape) < 0.5), small))
    cases.append(objects_case("empty truth and prediction", np.zeros((8, 8)), np.zeros((8, 8))))
    cases.append(objects_case("nothing predicted", np.zeros((16, 16)), blobs((16, 16), 3, (1, 3))))
    diagonal = np.eye(6, dtype=bool)
    cases.append(objects_case("diagonal pixels form one 8-connected object", diagonal, diagonal))
    seam = np.zeros((6, 9), bool)
    seam[1:5, 1:4] = seam[1:5, 5:8] = True
    merged = seam.copy()
    merged[1:5, 4] = True
    cases.append(objects_case("touching objects merged by the prediction", merged, seam))
    return cases


def per_image():
    images = []
    for h, w, fraction in [(8, 8, 0.1), (6, 10, 0.0), (12, 12, 0.5), (4, 4, 1.0), (5, 7, 0.02)]:
        mask = (rng.random((h, w)) < fraction).astype(np.float32)
        probs = np.clip(0.55 * mask + 0.6 * rng.random((h, w)), 0, 1).astype(np.float32)
        images.append((probs, mask))
    cases = []
    for threshold in [0.5, 0.3]:
        dices, fractions, tp, fp, fn = [], [], 0, 0, 0
        for probs, mask in images:
            pred, truth = probs >= np.float32(threshold), mask > 0.5
            dices.append(dice(pred, truth))
            fractions.append(float(truth.mean()))
            tp += int(np.sum(pred & truth)); fp += int(np.sum(pred & ~truth)); fn += int(np.sum(~pred & truth))
        pooled = 2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else 1.0
        cases.append({"threshold": threshold, "dice": dices, "object_fraction": fractions,
                      "pooled": pooled, "per_image_mean": float(np.mean(dices))})
    return {"source": "independent: numpy Dice per image and pooled, p >= threshold",
            "images": [{"shape": list(p.shape), "probabilities": f32_list(p), "mask": f32_list(m)} for p, m in images],
            "cases": cases}


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write("student_t", t_quantiles())
    write("intervals", intervals())
    write("paired", paired())
    write("ranking", {"cases": ranking(), "generated": generated()})
    write("threshold", thresholds())
    write("calibration", calibration())
    write("objects", objects())
    write("per_image", per_image())
    for name in sorted(os.listdir(OUT)):
        print(f"{name}: {os.path.getsize(os.path.join(OUT, name))} bytes")
