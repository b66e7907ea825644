// How many runs train at once (runs.js asks before every turn it hands out). Every core while the user
// is away from the page, one fewer for QUIET_MS after any input (pointer, key, wheel, touch): with every
// core busy the main thread shares a core with a worker, so an answer to a click waits for the OS to
// switch, while a page the user only watches loses nothing (measured in docs/performance.md). Turns
// last at most a slice (runs.js), so a lane frees within one after the user comes back.

const QUIET_MS = 2000;
const INPUTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'];

export class LanePolicy {
  constructor({ cores = navigator.hardwareConcurrency || 2, quietMs = QUIET_MS, target = window } = {}) {
    this.all = Math.max(1, cores);
    this.interactive = Math.max(1, this.all - 1);
    this.quietMs = quietMs;
    this.lastInput = Number.NEGATIVE_INFINITY;
    this.timer = null;
    this.onRise = () => {}; // called when the user has been away for QUIET_MS: lanes went up again
    const noteInput = () => this.noteInput();
    for (const type of INPUTS) target.addEventListener(type, noteInput, { capture: true, passive: true });
  }

  /** Lanes now. */
  get lanes() {
    return performance.now() - this.lastInput < this.quietMs ? this.interactive : this.all;
  }

  noteInput() {
    this.lastInput = performance.now();
    if (this.timer === null && this.all > this.interactive) this.timer = setTimeout(() => this.wake(), this.quietMs);
  }

  // One timer per quiet period, however many inputs it saw: it re-arms for the time left.
  wake() {
    const left = this.lastInput + this.quietMs - performance.now();
    if (left > 0) {
      this.timer = setTimeout(() => this.wake(), left);
      return;
    }
    this.timer = null;
    this.onRise();
  }
}
