//! How the page shows the runs (carried by links, ignored by the runs and the CLI).

use crate::settings::{Access, Group, Kind, Setting, Value, View};

pub const THRESHOLD: Setting = Setting {
    key: "thr",
    label: "threshold",
    group: Group::View,
    kind: Kind::Float {
        min: 0.05,
        max: 0.95,
    },
    default: "0.5",
    help: "Probability at or above which the page's masks show a pixel as object (the runs do not depend on it).",
    cli: None,
    access: Access::View {
        get: |v: &View| Value::Float(v.threshold).to_string(),
        set: |v: &mut View, value| v.threshold = value.float(),
    },
};
