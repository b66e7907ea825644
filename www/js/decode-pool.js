// Decodes uploaded files in a few workers at once (decode-worker.js, each with the engine's module),
// so a folder of hundreds of images neither freezes the page nor waits on one core. `cancel()` stops
// every decode under way: the workers are ended (freeing what they hold) and made again on demand.

/** Cancelled decodes reject with this, so callers tell a cancel from a bad file. */
export class Cancelled extends Error {}

export class DecodePool {
  /** `limits`: { maxSide, maxMegapixels } of the engine. */
  constructor(engine, limits, size = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2))) {
    this.engine = engine;
    this.limits = limits;
    this.size = size;
    this.workers = [];
    this.pending = new Map(); // id → { resolve, reject, worker }
    this.nextId = 0;
    this.turn = 0;
  }

  worker() {
    if (this.workers.length < this.size) {
      const worker = new Worker(new URL('./decode-worker.js', import.meta.url), { type: 'module' });
      worker.postMessage({ type: 'init', module: this.engine.module, glueUrl: this.engine.glueUrl });
      worker.onmessage = ({ data }) => {
        const { resolve, reject } = this.pending.get(data.id);
        this.pending.delete(data.id);
        if (data.error) reject(new Error(data.error));
        else resolve(data);
      };
      this.workers.push(worker);
      return worker;
    }
    // Round robin: decodes of one batch take about as long as each other.
    this.turn = (this.turn + 1) % this.workers.length;
    return this.workers[this.turn];
  }

  /** `role`: 'image' (the mask starts from Otsu's threshold) or 'mask' (object pixels by `colour`,
   *  [r, g, b], or else any non-black / alpha > 0); kept at a longest side of at most `maxSide`. */
  decode(file, role, colour = null, maxSide = this.limits.maxSide) {
    const id = this.nextId++;
    const worker = this.worker();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const maxPixels = this.limits.maxMegapixels * 1e6;
      worker.postMessage({ id, file, maxSide, maxPixels, role, colour });
    });
  }

  /** Ends every decode under way; their promises reject with `Cancelled`. */
  cancel() {
    for (const worker of this.workers) worker.terminate();
    this.workers = [];
    for (const { reject } of this.pending.values()) reject(new Cancelled('cancelled'));
    this.pending.clear();
  }
}
