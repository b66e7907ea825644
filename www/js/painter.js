// The mask painter: brush, eraser and fill on top of the image, adjustable size, undo/redo, and a
// fresh start from the Otsu threshold. Works on a copy; Done hands the copy back, Cancel drops it.
import { drawOverlay } from './canvas.js';

const $ = (id) => document.getElementById(id);
const HISTORY = 50;

export class Painter {
  constructor(api) {
    this.api = api;
    this.dialog = $('painter');
    this.canvas = $('painter-canvas');
    this.item = null;
    this.mask = null;
    this.undoStack = [];
    this.redoStack = [];
    this.last = null;
    this.frame = 0;
    this.resolve = null;
    this.canvas.addEventListener('pointerdown', (event) => this.down(event));
    this.canvas.addEventListener('pointermove', (event) => this.move(event));
    for (const type of ['pointerup', 'pointercancel', 'pointerleave']) {
      this.canvas.addEventListener(type, () => {
        this.last = null;
      });
    }
    $('painter-size').addEventListener('input', () => this.showSize());
    $('painter-undo').addEventListener('click', () => this.undo());
    $('painter-redo').addEventListener('click', () => this.redo());
    $('painter-otsu').addEventListener('click', () =>
      this.replace(this.api.otsuMask(this.item.rgba, this.item.width, this.item.height)),
    );
    $('painter-clear').addEventListener('click', () => this.replace(new Uint8Array(this.mask.length)));
    $('painter-done').addEventListener('click', () => this.close(this.mask));
    $('painter-cancel').addEventListener('click', () => this.close(null));
    this.dialog.addEventListener('cancel', () => this.close(null));
    this.dialog.addEventListener('keydown', (event) => this.key(event));
  }

  /** Resolves to the edited mask, or null when cancelled. */
  open(item) {
    this.item = item;
    this.mask = new Uint8Array(item.mask);
    this.undoStack = [];
    this.redoStack = [];
    $('painter-title').textContent = `Mask of ${item.name}`;
    const longest = Math.max(item.width, item.height);
    $('painter-size').min = '1';
    $('painter-size').max = String(Math.max(8, Math.round(longest / 4)));
    $('painter-size').value = String(Math.max(1, Math.round(longest / 40)));
    this.showSize();
    this.draw();
    this.updateButtons();
    this.dialog.showModal();
    return new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  close(result) {
    if (!this.resolve) return;
    const resolve = this.resolve;
    this.resolve = null;
    if (this.dialog.open) this.dialog.close();
    resolve(result);
  }

  tool() {
    return document.querySelector('input[name="painter-tool"]:checked').value;
  }

  showSize() {
    $('painter-size-value').textContent = `${$('painter-size').value} px`;
  }

  /** Image pixel under a pointer event. */
  pixel(event) {
    const rect = this.canvas.getBoundingClientRect();
    const x = Math.floor(((event.clientX - rect.left) / rect.width) * this.item.width);
    const y = Math.floor(((event.clientY - rect.top) / rect.height) * this.item.height);
    return { x: Math.min(this.item.width - 1, Math.max(0, x)), y: Math.min(this.item.height - 1, Math.max(0, y)) };
  }

  down(event) {
    if (event.button !== 0) return;
    event.preventDefault();
    this.remember();
    const point = this.pixel(event);
    if (this.tool() === 'fill') {
      this.fill(point);
      this.last = null;
    } else {
      this.canvas.setPointerCapture?.(event.pointerId);
      this.stroke(point, point);
      this.last = point;
    }
    this.scheduleDraw();
  }

  move(event) {
    if (!this.last || this.tool() === 'fill') return;
    const point = this.pixel(event);
    this.stroke(this.last, point);
    this.last = point;
    this.scheduleDraw();
  }

  /** Paints discs along the segment a → b, so a fast stroke leaves no gaps. */
  stroke(a, b) {
    const value = this.tool() === 'brush' ? 1 : 0;
    const radius = Number($('painter-size').value) / 2;
    const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / Math.max(1, radius / 2)));
    const { width, height } = this.item;
    for (let s = 0; s <= steps; s++) {
      const cx = a.x + ((b.x - a.x) * s) / steps;
      const cy = a.y + ((b.y - a.y) * s) / steps;
      const r = Math.max(0.5, radius);
      for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(height - 1, Math.ceil(cy + r)); y++) {
        for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(width - 1, Math.ceil(cx + r)); x++) {
          if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) this.mask[y * width + x] = value;
        }
      }
    }
  }

  /** Switches the connected region under `point` (4-neighbours, same value) to the other value:
   *  fills a hole with object, or clears a blob. */
  fill({ x, y }) {
    const { width, height } = this.item;
    const from = this.mask[y * width + x];
    const to = 1 - from;
    const stack = [y * width + x];
    this.mask[y * width + x] = to;
    while (stack.length > 0) {
      const i = stack.pop();
      const px = i % width;
      const neighbours = [px > 0 ? i - 1 : -1, px < width - 1 ? i + 1 : -1, i - width, i + width];
      for (const j of neighbours) {
        if (j >= 0 && j < width * height && this.mask[j] === from) {
          this.mask[j] = to;
          stack.push(j);
        }
      }
    }
  }

  remember() {
    this.undoStack.push(new Uint8Array(this.mask));
    if (this.undoStack.length > HISTORY) this.undoStack.shift();
    this.redoStack = [];
    this.updateButtons();
  }

  replace(mask) {
    this.remember();
    this.mask = new Uint8Array(mask);
    this.draw();
  }

  undo() {
    this.travel(this.undoStack, this.redoStack);
  }

  redo() {
    this.travel(this.redoStack, this.undoStack);
  }

  /** Moves one mask back or forward through the history: the current one goes on `to`. */
  travel(from, to) {
    if (from.length === 0) return;
    to.push(this.mask);
    this.mask = from.pop();
    this.draw();
  }

  updateButtons() {
    $('painter-undo').disabled = this.undoStack.length === 0;
    $('painter-redo').disabled = this.redoStack.length === 0;
  }

  key(event) {
    const k = event.key.toLowerCase();
    if ((event.ctrlKey || event.metaKey) && k === 'z') {
      event.preventDefault();
      if (event.shiftKey) this.redo();
      else this.undo();
    } else if ((event.ctrlKey || event.metaKey) && k === 'y') {
      event.preventDefault();
      this.redo();
    } else if (!event.ctrlKey && !event.metaKey && !event.altKey && !event.target.closest('input[type="range"]')) {
      const tool = { b: 'brush', e: 'eraser', f: 'fill' }[k];
      const size = $('painter-size');
      if (tool) $(`painter-${tool}`).checked = true;
      else if (k === '[') size.value = String(Number(size.value) - 1);
      else if (k === ']') size.value = String(Number(size.value) + 1);
      else return;
      this.showSize();
    }
  }

  scheduleDraw() {
    if (!this.frame)
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.draw();
      });
  }

  draw() {
    drawOverlay(this.canvas, { ...this.item, mask: this.mask });
    const object = this.mask.reduce((sum, v) => sum + v, 0);
    $('painter-fraction').textContent = `${((100 * object) / this.mask.length).toFixed(1)} % object`;
    this.updateButtons();
  }
}
