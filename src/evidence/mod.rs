//! The evidence layer: statistics over many runs (loss × seed) as pure functions, shared by the
//! page and the CLI, and checked against numpy/scipy/scikit-learn/torchmetrics fixtures
//! (scripts/evidence_fixtures.py, tests/evidence.rs).
//!
//! Data flows one way:
//! `RunRecord` (what a run reports) → `evaluate_run` → `RunMetrics` (per run, small) →
//! `study` → `Study` (per loss over seeds, paired comparisons) → `verdict` → `csv_rows`.
//!
//! | file | what | convention |
//! |---|---|---|
//! | student_t | t quantile | scipy.stats.t.ppf |
//! | interval | mean and 95 % interval over seeds | numpy std(ddof=1); t interval; percentile bootstrap (numpy percentile 'linear') |
//! | paired | differences to the best loss, groups | per-seed pairing, "tied" when the interval contains 0 |
//! | pixels | images and pooled pixels | masks object where > 0.5, as `metrics` |
//! | ranked | counts at every distinct score, ROC AUC | sklearn confusion_matrix_at_thresholds, roc_auc_score |
//! | precision_recall | PR curve, AP, thinned curve | sklearn precision_recall_curve, average_precision_score |
//! | threshold | best-Dice threshold on tuning pixels, Dice held out | every distinct score, p ≥ t |
//! | calibration | ECE and reliability bins | torchmetrics BinaryCalibrationError(n_bins=15, norm='l1') |
//! | objects | object P/R/F1, recall by size | StarDist matching on `metrics::ObjectCounts` |
//! | per_image | per-image Dice vs object fraction; pooled vs per-image mean | `metrics` empty rules |
//! | failures, failure_text | failure detectors and their lines | thresholds documented there |
//! | run, metric, study | per-run metrics, metric keys, the study | |
//! | verdict, csv | plain-language verdict, CSV rows | |
//!
//! Everything here is plain arithmetic with libm (no clock, no threads, no native-only crate), so
//! it compiles for wasm32 and gives the same bits on every target.

pub mod calibration;
pub mod csv;
pub mod failure_text;
pub mod failures;
pub mod interval;
pub mod metric;
pub mod objects;
pub mod paired;
pub mod per_image;
pub mod pixels;
pub mod precision_recall;
pub mod ranked;
pub mod run;
pub mod student_t;
pub mod study;
pub mod threshold;
pub mod verdict;

pub use calibration::{Calibration, ECE_BINS, ReliabilityBin, bin_edges, calibration};
pub use csv::{CsvRow, csv_rows, to_csv};
pub use failures::{Failure, FailureKind, FailureTally, RunSignals, detect, tally};
pub use interval::{Interval, Method, Summary, summarize};
pub use metric::Metric;
pub use objects::{
    ObjectScores, SizeBin, SizeClass, TrueObject, object_scores, recall_by_size, true_objects,
};
pub use paired::{ComparedLoss, Comparison, Direction, Group, LossValues, compare};
pub use per_image::{Aggregation, DiceByImage, ImageDice, dice_by_image};
pub use pixels::{ImagePrediction, Pixels};
pub use precision_recall::{CurvePoint, DRAWN_POINTS, PrecisionRecallCurve};
pub use ranked::RankedScores;
pub use run::{RunMetrics, RunRecord, evaluate_run};
pub use student_t::t_quantile;
pub use study::{BandPoint, LossStudy, Study, curve_band, study};
pub use threshold::{ThresholdChoice, TunedDice, confusion_at, tuned_dice};
pub use verdict::{LearningRates, LineKind, VerdictLine, verdict};
