// The toolbar: Train, Pause, Step and Reset (also on the keys T, P, S, R) and the progress over all
// runs (which run of how many, and steps). Marks the page's training state on <body> (data-training, data-finished) for tests and styles.

const $ = (id) => document.getElementById(id);
const KEYS = { t: 'train', p: 'pause', s: 'step', r: 'reset' };

export class Controls {
  /** `actions`: { train, pause, step, reset }, each called when its button is pressed. */
  constructor(actions) {
    for (const name of Object.values(KEYS)) $(name).addEventListener('click', () => actions[name]());
    document.addEventListener('keydown', (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.target.closest('input:not([readonly]), select, textarea, dialog')) return;
      const button = KEYS[event.key.toLowerCase()];
      if (button && !$(button).disabled) {
        event.preventDefault();
        $(button).click();
      }
    });
  }

  render(pool) {
    const { runs, training } = pool;
    const canTrain = runs.some((r) => ['starting', 'ready', 'paused'].includes(r.status) && r.step < r.total);
    $('train').disabled = training || !canTrain;
    $('pause').disabled = !training;
    $('step').disabled = training || !canTrain;
    $('reset').disabled = runs.length === 0;
    const { planned, ended } = pool.counts;
    const stepsDone = runs.reduce((sum, r) => sum + r.step, 0);
    const stepsAll = runs.reduce((sum, r) => sum + r.total, 0);
    const finished = planned > 0 && ended === planned;
    const phase = training ? 'Training' : finished ? 'Done' : 'Ready';
    const current = Math.min(planned, ended + 1);
    const tuning = pool.plan?.tuningRates.length ? ', tuning runs first' : '';
    const seeds = pool.plan?.seeds.length ?? 0;
    $('progress').textContent =
      planned === 0
        ? ''
        : `${phase}: ${finished ? `${planned} runs` : `run ${current} of ${planned}`} ` +
          `(${pool.specs.length} losses × ${seeds} seeds${tuning}) · ${stepsDone}/${stepsAll} steps`;
    document.body.dataset.training = String(training);
    document.body.dataset.finished = String(finished);
  }
}
