// The study as the engine computes it from the runs' evidence: per loss, every metric's mean and 95 %
// interval over seeds, paired differences to the best loss, failures, the verdict and the CSV. Built on
// the seeds that every loss has finished (so a first answer shows after one seed), rebuilt when a run
// ends. The statistics are the engine's (buildStudy); this module only chooses which runs go in.

export class StudyResults {
  constructor(api) {
    this.api = api;
    this.key = '';
    this.result = null; // the engine's study, or null before every loss finished one seed
    this.error = '';
    this.seedsDone = 0;
  }

  /** Rebuilds the study when the set of finished runs changed; true when it did. */
  update(pool) {
    const trained = pool.runs.filter((run) => run.kind === 'train');
    const losses = pool.specs?.length ?? 0;
    const seeds = pool.plan?.seeds ?? [];
    const complete = seeds.filter((_, k) => {
      const of = trained.filter((run) => run.seedIndex === k && run.evidence);
      return of.length === losses;
    });
    const runs = trained.filter((run) => run.evidence && complete.includes(run.seed));
    const key = `${pool.generation}|${runs.map((run) => run.id).join(',')}`;
    if (key === this.key) return false;
    this.key = key;
    this.seedsDone = complete.length;
    this.error = '';
    this.result = null;
    if (runs.length === 0 || losses === 0) return true;
    try {
      // A loss whose sweep failed trained at the experiment's rate; when every sweep failed, all did.
      const swept = pool.rates.filter((rate) => rate && !rate.problem);
      const sweeps = swept.length > 0 ? pool.rates.map((rate) => rate?.scores ?? []) : [];
      this.result = this.api.buildStudy(
        pool.query,
        runs.map((run) => run.evidence),
        sweeps,
      );
    } catch (error) {
      this.error = error.message;
    }
    return true;
  }
}
