//! The study as CSV rows for the metrics CSV: one row per (metric, loss) summary, per paired
//! difference to the best loss, per failure kind, and one per verdict line.
//!
//! Columns: metric, loss, mean, low, high, n, method, note. Empty cells where a value does not
//! apply (no interval with one seed; verdict lines carry only their text in `note`). Quoting as
//! RFC 4180 and the page's existing CSV (fields with `"`, `,` or a line break are quoted).

use super::interval::Summary;
use super::study::Study;
use super::verdict::VerdictLine;

pub const HEADER: [&str; 8] = [
    "metric", "loss", "mean", "low", "high", "n", "method", "note",
];

/// One CSV row; None cells are written empty.
#[derive(Clone, Debug, PartialEq)]
pub struct CsvRow {
    pub metric: String,
    pub loss: String,
    pub mean: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub n: Option<usize>,
    pub method: String,
    pub note: String,
}

impl CsvRow {
    fn summary(metric: String, loss: &str, s: &Summary, note: String) -> CsvRow {
        CsvRow {
            metric,
            loss: loss.to_string(),
            mean: Some(s.mean),
            low: s.interval.map(|i| i.low),
            high: s.interval.map(|i| i.high),
            n: Some(s.n),
            method: s.method.key().to_string(),
            note,
        }
    }

    fn cells(&self) -> [String; 8] {
        let number = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
        [
            self.metric.clone(),
            self.loss.clone(),
            number(self.mean),
            number(self.low),
            number(self.high),
            self.n.map_or(String::new(), |n| n.to_string()),
            self.method.clone(),
            self.note.clone(),
        ]
    }
}

/// The rows of a study and its verdict, in table order: summaries, differences (metric
/// "diff_to_best:<metric>", loss − best per seed, note = the group), failures (metric
/// "failures:<kind>", mean = seeds failed, n = seeds run), then the verdict (metric "verdict").
pub fn csv_rows(study: &Study, verdict: &[VerdictLine]) -> Vec<CsvRow> {
    let mut rows = Vec::new();
    for loss in &study.losses {
        for (metric, summary) in &loss.summaries {
            rows.push(CsvRow::summary(
                metric.key(),
                &loss.loss,
                summary,
                String::new(),
            ));
        }
    }
    for (metric, comparison) in &study.comparisons {
        for compared in &comparison.losses {
            if let Some(d) = &compared.difference {
                let key = format!("diff_to_best:{}", metric.key());
                let note = compared.group.label().to_string();
                rows.push(CsvRow::summary(key, &compared.loss, d, note));
            }
        }
    }
    for loss in &study.losses {
        for failure in &loss.failures {
            rows.push(CsvRow {
                metric: format!("failures:{}", failure.kind.key()),
                loss: loss.loss.clone(),
                mean: Some(failure.seeds.len() as f64),
                low: None,
                high: None,
                n: Some(failure.of),
                method: "count".to_string(),
                note: failure.text(),
            });
        }
    }
    for line in verdict {
        rows.push(CsvRow {
            metric: "verdict".to_string(),
            loss: line.loss.clone().unwrap_or_default(),
            mean: None,
            low: None,
            high: None,
            n: None,
            method: line.kind.key().to_string(),
            note: line.text.clone(),
        });
    }
    rows
}

/// The CSV text, header first, one line per row, each ending in '\n'.
pub fn to_csv(rows: &[CsvRow]) -> String {
    let mut out = HEADER.join(",") + "\n";
    for row in rows {
        let cells: Vec<String> = row.cells().iter().map(|c| quote(c)).collect();
        out += &cells.join(",");
        out.push('\n');
    }
    out
}

fn quote(cell: &str) -> String {
    if cell.contains(['"', ',', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_it() {
        let row = CsvRow {
            metric: "verdict".to_string(),
            loss: "0.5*bce+0.5*dice(per_image=false,smooth=1)".to_string(),
            mean: Some(0.25),
            low: None,
            high: None,
            n: Some(3),
            method: "t".to_string(),
            note: "a \"tied\" loss".to_string(),
        };
        assert_eq!(
            to_csv(&[row]),
            "metric,loss,mean,low,high,n,method,note\n\
             verdict,\"0.5*bce+0.5*dice(per_image=false,smooth=1)\",0.25,,,3,t,\"a \"\"tied\"\" loss\"\n"
        );
    }
}
