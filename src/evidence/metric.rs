//! The per-run numbers the statistics summarize over seeds, each with a key for CSV/JSON, a label
//! for people, and the direction in which it improves.

use super::objects::SizeClass;
use super::paired::Direction;
use super::per_image::Aggregation;
use super::run::RunMetrics;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// Held-out Dice at threshold 0.5.
    Dice(Aggregation),
    /// Held-out Dice at the threshold chosen on the tuning images.
    TunedDice(Aggregation),
    /// The threshold chosen on the tuning images (summarized, never ranked).
    TunedThreshold,
    AveragePrecision,
    RocAuc,
    /// Expected calibration error (15 bins, L1).
    Ece,
    ObjectPrecision,
    ObjectRecall,
    ObjectF1,
    ObjectRecallBySize(SizeClass),
}

impl Metric {
    /// Every metric, in the order tables list them.
    pub const ALL: [Metric; 14] = [
        Metric::Dice(Aggregation::Pooled),
        Metric::Dice(Aggregation::PerImageMean),
        Metric::TunedDice(Aggregation::Pooled),
        Metric::TunedDice(Aggregation::PerImageMean),
        Metric::TunedThreshold,
        Metric::AveragePrecision,
        Metric::RocAuc,
        Metric::Ece,
        Metric::ObjectPrecision,
        Metric::ObjectRecall,
        Metric::ObjectF1,
        Metric::ObjectRecallBySize(SizeClass::Small),
        Metric::ObjectRecallBySize(SizeClass::Medium),
        Metric::ObjectRecallBySize(SizeClass::Large),
    ];

    /// Stable key for CSV and JSON, e.g. "heldout_dice_pooled@0.5".
    pub fn key(&self) -> String {
        match self {
            Metric::Dice(a) => format!("heldout_dice_{}@0.5", a.key()),
            Metric::TunedDice(a) => format!("heldout_dice_{}@tuned", a.key()),
            Metric::TunedThreshold => "tuned_threshold".to_string(),
            Metric::AveragePrecision => "heldout_average_precision".to_string(),
            Metric::RocAuc => "heldout_roc_auc".to_string(),
            Metric::Ece => "heldout_ece".to_string(),
            Metric::ObjectPrecision => "heldout_object_precision@0.5".to_string(),
            Metric::ObjectRecall => "heldout_object_recall@0.5".to_string(),
            Metric::ObjectF1 => "heldout_object_f1@0.5".to_string(),
            Metric::ObjectRecallBySize(c) => format!("heldout_object_recall_{}@0.5", c.key()),
        }
    }

    /// What a person reads, naming the images, the threshold and how pixels are pooled.
    pub fn label(&self) -> String {
        match self {
            Metric::Dice(a) => format!("held-out Dice at 0.5 ({})", a.label()),
            Metric::TunedDice(a) => {
                format!(
                    "held-out Dice at the threshold tuned on training images ({})",
                    a.label()
                )
            }
            Metric::TunedThreshold => "threshold tuned on training images".to_string(),
            Metric::AveragePrecision => "held-out average precision".to_string(),
            Metric::RocAuc => "held-out ROC AUC".to_string(),
            Metric::Ece => "held-out expected calibration error (15 bins)".to_string(),
            Metric::ObjectPrecision => "held-out object precision at 0.5".to_string(),
            Metric::ObjectRecall => "held-out object recall at 0.5".to_string(),
            Metric::ObjectF1 => "held-out object F1 at 0.5".to_string(),
            Metric::ObjectRecallBySize(c) => format!("held-out object recall, {}", c.label()),
        }
    }

    /// None for numbers that describe rather than score (the tuned threshold).
    pub fn direction(&self) -> Option<Direction> {
        match self {
            Metric::TunedThreshold => None,
            Metric::Ece => Some(Direction::LowerIsBetter),
            _ => Some(Direction::HigherIsBetter),
        }
    }
}

impl RunMetrics {
    /// The run's value of `metric`; None when it is undefined for this run (no object in the
    /// tuning images, one class held out, per-object matches not reported, a size bin with too
    /// few objects).
    pub fn value(&self, metric: Metric) -> Option<f64> {
        match metric {
            Metric::Dice(a) => Some(self.dice.value(a)),
            Metric::TunedDice(a) => self.dice_at_tuned.as_ref().map(|d| d.value(a)),
            Metric::TunedThreshold => self.tuned.map(|t| f64::from(t.choice.threshold)),
            Metric::AveragePrecision => Some(self.average_precision),
            Metric::RocAuc => self.roc_auc,
            Metric::Ece => Some(self.calibration.ece),
            Metric::ObjectPrecision => Some(self.object_scores.precision),
            Metric::ObjectRecall => Some(self.object_scores.recall),
            Metric::ObjectF1 => Some(self.object_scores.f1),
            Metric::ObjectRecallBySize(class) => self
                .recall_by_size
                .and_then(|bins| bins.iter().find(|b| b.class == class)?.recall),
        }
    }
}
