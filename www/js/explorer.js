// The loss explorer: what each loss computes, which library it matches, and how its value and gradient
// react to one pixel's predicted probability at the current image's object fraction.
import uPlot from '../vendor/uPlot.esm.js';

const FIELDS = [
  ['formula', 'Formula'],
  ['convention', 'Matches'],
  ['defaults', 'Parameters (defaults)'],
  ['reduction', 'Reduction'],
  ['emptyMask', 'Empty mask'],
  ['whenToUse', 'When to use it'],
];

export class LossExplorer {
  constructor(select, box, api) {
    this.select = select;
    this.box = box;
    this.api = api;
    this.catalogue = api.lossCatalogue();
    this.fraction = 0.1;
    for (const entry of this.catalogue) select.add(new Option(entry.name, entry.name));
    select.addEventListener('change', () => this.render());
    this.plots = [];
  }

  setFraction(fraction) {
    this.fraction = fraction;
    this.render();
  }

  render() {
    const entry = this.catalogue.find((e) => e.name === this.select.value) ?? this.catalogue[0];
    const list = document.createElement('dl');
    for (const [key, label] of FIELDS) {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.textContent = entry[key];
      list.append(dt, dd);
    }
    const curves = this.api.lossCurves(entry.name, this.fraction);
    const note = document.createElement('p');
    note.className = 'hint';
    note.textContent =
      `A 1000-pixel image with ${(100 * this.fraction).toFixed(1)} % object pixels (the current image's ` +
      'fraction), every pixel predicted with the same object probability p (x axis). Left: the loss. Right: how hard ' +
      'the loss pushes one object pixel and one background pixel, |∂loss/∂logit|. Per-pixel losses such as bce push ' +
      'every pixel alike; region losses such as dice push the rare class harder when it is rare.';
    const charts = document.createElement('div');
    charts.className = 'charts';
    for (const plot of this.plots) plot.destroy();
    const width = Math.max(240, Math.min(460, Math.floor(this.box.getBoundingClientRect().width / 2) - 16));
    const make = (title, series, data) => {
      const figure = document.createElement('figure');
      const caption = document.createElement('figcaption');
      caption.textContent = title;
      figure.append(caption);
      charts.append(figure);
      return new uPlot(
        {
          width,
          height: 200,
          scales: { x: { time: false } },
          series: [{ label: 'p(object)' }, ...series],
          axes: [
            { label: 'predicted object probability', stroke: 'currentColor' },
            {
              stroke: 'currentColor',
              size: 56,
              values: (_plot, ticks) => ticks.map((v) => String(Number(v.toPrecision(2)))),
            },
          ],
        },
        [Array.from(curves.p), ...data.map((d) => Array.from(d))],
        figure,
      );
    };
    this.box.replaceChildren(list, note, charts);
    this.plots = [
      make('Loss', [{ label: 'loss', stroke: '#2962ff', width: 2 }], [curves.loss]),
      make(
        '|∂loss/∂logit| of one pixel',
        [
          { label: 'object pixel', stroke: '#43a047', width: 2 },
          { label: 'background pixel', stroke: '#e53935', width: 2 },
        ],
        [curves.gradObject, curves.gradBackground],
      ),
    ];
  }
}
