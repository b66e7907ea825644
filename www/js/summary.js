// The table of the runs on show (every loss at the seed shown): their scores at threshold 0.5 (of the
// held-out images, or the training images when none is held out: scored.js), the learning rate and the
// weights' checksum; best value per column highlighted, sortable by any column.
import { scored } from './scored.js';

const COLUMNS = [
  { key: 'spec', label: 'Loss', value: (r) => r.spec, text: (v) => v },
  { key: 'dice', label: 'Dice', value: (r) => scored(r.metrics)?.dice, best: 'max' },
  { key: 'iou', label: 'IoU', value: (r) => scored(r.metrics)?.iou, best: 'max' },
  { key: 'precision', label: 'Precision', value: (r) => scored(r.metrics)?.precision, best: 'max' },
  { key: 'recall', label: 'Recall', value: (r) => scored(r.metrics)?.recall, best: 'max' },
  { key: 'accuracy', label: 'Pixel accuracy', value: (r) => scored(r.metrics)?.accuracy, best: 'max' },
  { key: 'steps', label: 'Steps', value: (r) => r.step, text: (v) => String(v) },
  { key: 'lr', label: 'Learning rate', value: (r) => r.learningRate, text: (v) => (v == null ? '—' : String(v)) },
  { key: 'seed', label: 'Seed', value: (r) => r.seed, text: (v) => String(v) },
  { key: 'time', label: 'Training time (s)', value: (r) => r.computeMs / 1000, text: (v) => v.toFixed(1) },
  { key: 'checksum', label: 'Weights checksum', value: (r) => r.checksum, text: (v) => v ?? '—' },
];

const fixed3 = (v) => (v == null || Number.isNaN(v) ? '—' : v.toFixed(3));

export class SummaryTable {
  constructor(table) {
    this.table = table;
    this.sort = { key: 'dice', descending: true };
  }

  render(runs) {
    const head = document.createElement('thead');
    const headRow = head.insertRow();
    for (const column of COLUMNS) {
      const th = document.createElement('th');
      th.scope = 'col';
      const sorted = this.sort.key === column.key;
      th.setAttribute('aria-sort', sorted ? (this.sort.descending ? 'descending' : 'ascending') : 'none');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = column.label + (sorted ? (this.sort.descending ? ' ▼' : ' ▲') : '');
      button.addEventListener('click', () => {
        this.sort = { key: column.key, descending: sorted ? !this.sort.descending : column.key !== 'spec' };
        this.render(runs);
      });
      th.append(button);
      headRow.append(th);
    }
    const best = Object.fromEntries(
      COLUMNS.filter((c) => c.best).map((c) => {
        const values = runs.map(c.value).filter((v) => v != null && !Number.isNaN(v));
        return [c.key, values.length > 1 ? Math.max(...values) : undefined];
      }),
    );
    const sortColumn = COLUMNS.find((c) => c.key === this.sort.key);
    const order = [...runs].sort((a, b) => {
      const [x, y] = [sortColumn.value(a), sortColumn.value(b)];
      const cmp = typeof x === 'string' ? String(x).localeCompare(String(y)) : (x ?? -Infinity) - (y ?? -Infinity);
      return this.sort.descending ? -cmp : cmp;
    });
    const body = document.createElement('tbody');
    for (const run of order) {
      const row = body.insertRow();
      for (const column of COLUMNS) {
        const value = column.value(run);
        const cell = column.key === 'spec' ? document.createElement('th') : row.insertCell();
        if (column.key === 'spec') {
          cell.scope = 'row';
          row.append(cell);
        }
        cell.textContent = (column.text ?? fixed3)(value);
        cell.dataset.key = column.key;
        if (column.best && value != null && value === best[column.key]) cell.classList.add('best');
      }
    }
    this.table.replaceChildren(head, body);
  }
}
