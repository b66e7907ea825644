// Markdown table of docs/evidence.md from `segloss run --seeds 5 [--tune-lr] --json` reports:
//   node scripts/evidence-table.mjs blobs-shared.json blobs-tuned.json …
// One row per scene, learning-rate mode and loss: the rate trained at, held-out Dice at 0.5 over
// seeds (mean and 95 % Student t interval), the paired difference to the best loss with its
// interval, the group (best / tied with best / worse / failed), AP, object F1 and failures.
import { readFileSync } from 'node:fs';

const HEADLINE = 'heldout_dice_pooled@0.5';
const fixed = (x) => (x === null || x === undefined ? '–' : x.toFixed(3));
const interval = (s) => (s.low === null ? fixed(s.mean) : `${fixed(s.mean)} [${fixed(s.low)}, ${fixed(s.high)}]`);

const rows = [
  '| scene | rate | loss | lr | held-out Dice@0.5 | difference to best | group | AP | object F1 | failures |',
  '|---|---|---|---|---|---|---|---|---|---|',
];
for (const file of process.argv.slice(2)) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const mode = report.tune_lr ? 'tuned' : 'shared';
  const comparison = report.study.comparisons[HEADLINE];
  for (const loss of report.study.losses) {
    const compared = comparison.losses.find((l) => l.loss === loss.loss);
    const rates = [...new Set(report.runs.filter((r) => r.loss === loss.loss).map((r) => r.learning_rate))];
    const failures = loss.failures.map((f) => f.text).join('; ') || '–';
    const summaries = loss.summaries;
    rows.push(
      `| ${report.scene} | ${mode} | \`${loss.loss}\` | ${rates.join(', ')} | ${interval(summaries[HEADLINE])} | ${
        compared.difference ? interval(compared.difference) : '–'
      } | ${compared.group} | ${fixed(summaries.heldout_average_precision?.mean)} | ${fixed(
        summaries['heldout_object_f1@0.5']?.mean,
      )} | ${failures} |`,
    );
  }
}
console.log(rows.join('\n'));
