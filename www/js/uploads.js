// Your images: added by file picker, drag and drop or paste; masks matched to images by name or
// assigned by hand; decoded in a worker. Each image keeps its pixels at up to the engine's largest side
// (for painting) and a mask of one byte per pixel; the engine downsizes both for training, at the
// side the user sets here. The list's entries are upload-item.js.
import { applyRange, checkInt, fittedSize } from './schema.js';
import { uploadItem } from './upload-item.js';

const $ = (id) => document.getElementById(id);
const stem = (name) => name.replace(/\.[^./]+$/, '').toLowerCase();

/** The image stem a file is the mask of (`x_mask.png`, `x.mask.png`, `x-mask.png`, `masks/x.png`), or null. */
export function maskStem(file) {
  const path = (file.webkitRelativePath || file.name).replaceAll('\\', '/');
  const inFolder = path.match(/(?:^|\/)masks?\/([^/]+)$/i);
  if (inFolder) return stem(inFolder[1]);
  const named = file.name.match(/^(.+?)[_.\- ]mask\.[^.]+$/i);
  return named ? named[1].toLowerCase() : null;
}

class Decoder {
  constructor(engine, limits) {
    this.limits = limits;
    this.worker = new Worker(new URL('./decode-worker.js', import.meta.url), { type: 'module' });
    this.worker.postMessage({ type: 'init', module: engine.module, glueUrl: engine.glueUrl });
    this.pending = new Map();
    this.nextId = 0;
    this.worker.onmessage = ({ data }) => {
      const { resolve, reject } = this.pending.get(data.id);
      this.pending.delete(data.id);
      if (data.error) reject(new Error(data.error));
      else resolve(data);
    };
  }

  /** `role`: 'image' (the mask starts from Otsu's threshold) or 'mask' (object pixels by `colour`,
   *  [r, g, b], or else by the engine's rule: any non-zero level, or above half the brightest). */
  decode(file, role, colour = null) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const { maxSide, maxMegapixels } = this.limits;
      this.worker.postMessage({ id, file, maxSide, maxPixels: maxMegapixels * 1e6, role, colour });
    });
  }
}

export class UploadPanel {
  /** `state.setImages(items)` takes the images after they, their masks or splits change; `paint(item)`
   *  resolves to a new mask or null. */
  constructor(engine, state, paint) {
    this.api = engine.api;
    this.state = state;
    this.trainSide = () => state.trainSide;
    this.paint = paint;
    this.items = [];
    this.maxItems = state.schema.limits.maxImages;
    this.decoder = new Decoder(engine, state.schema.limits);
    this.busy = false;
    const side = state.schema.entry('train_side');
    applyRange($('train-side'), side);
    $('train-side').value = String(state.trainSide);
    $('train-side').addEventListener('change', () => {
      const { value, error } = checkInt(side, $('train-side').value);
      this.report(error ? { error: `The size ${error} pixels.` } : state.setSides({ trainSide: value }));
    });
    $('upload-input').addEventListener('change', (event) => {
      this.addFiles([...event.target.files]);
      event.target.value = '';
    });
    $('mask-rule').addEventListener('change', () => {
      $('mask-colour').disabled = $('mask-rule').value !== 'colour';
    });
    const zone = $('drop-zone');
    zone.addEventListener('dragover', (event) => {
      event.preventDefault();
      zone.classList.add('over');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('over'));
    zone.addEventListener('drop', (event) => {
      event.preventDefault();
      zone.classList.remove('over');
      this.addFiles([...event.dataTransfer.files]);
    });
    document.addEventListener('paste', (event) => {
      if (event.target.closest('input, textarea')) return;
      const files = [...event.clipboardData.files];
      if (files.length > 0) {
        event.preventDefault();
        this.addFiles(
          files.map((f, i) =>
            f.name && f.name !== 'image.png' ? f : new File([f], `pasted-${Date.now()}-${i + 1}.png`, { type: f.type }),
          ),
        );
      }
    });
  }

  /** Shows a refusal of the page's state (the images are kept here, to fix and try again). */
  report({ error }) {
    if (error) this.message(error, true);
  }

  /** The images, a mask or a split changed: the page trains on them (`redraw`: the list looks different). */
  changed(redraw) {
    const result = this.state.setImages(this.items);
    // Drawn after the page took the images, so each entry states what the runs train on.
    if (redraw) this.render();
    this.report(result);
  }

  message(text, isError = false) {
    $('upload-message').textContent = text;
    $('upload-message').classList.toggle('error', isError);
  }

  /** Decodes images and masks; a bad file is reported and skipped, the images already here stay. */
  async addFiles(files) {
    if (this.busy || files.length === 0) return;
    this.busy = true;
    const problems = [];
    const notes = [];
    const masks = new Map();
    const images = [];
    for (const file of files) {
      const forStem = maskStem(file);
      if (forStem !== null) masks.set(forStem, file);
      else images.push(file);
    }
    let added = 0;
    let maskCount = 0;
    let done = 0;
    const progress = (name) => this.message(`Reading ${++done} of ${files.length}: ${name}…`);
    for (const file of images) {
      progress(file.name);
      if (this.items.length >= this.maxItems) {
        problems.push(`${file.name}: at most ${this.maxItems} images; remove one first.`);
        continue;
      }
      try {
        const picture = await this.decoder.decode(file, 'image');
        const thin = this.tooThin(file.name, picture);
        if (thin) {
          problems.push(thin);
          continue;
        }
        if (picture.animated) notes.push(`${file.name}: an animated ${picture.animated}; its first frame is used.`);
        const item = {
          name: file.name,
          ...picture,
          maskOrigin: 'automatic (Otsu threshold): check it, and paint to refine',
          heldout: false,
        };
        const maskFile = masks.get(stem(file.name));
        masks.delete(stem(file.name));
        if (maskFile) {
          progress(maskFile.name);
          try {
            await this.attachMask(item, maskFile);
            maskCount += 1;
          } catch (error) {
            problems.push(error.message);
          }
        }
        this.items.push(item);
        added += 1;
      } catch (error) {
        problems.push(error.message);
      }
    }
    for (const [forStem, file] of masks) {
      progress(file.name);
      const item = this.items.find((i) => stem(i.name) === forStem);
      if (!item) {
        problems.push(`${file.name}: no image named "${forStem}" is here; add it, or use "Mask file…" on an image.`);
        continue;
      }
      try {
        await this.attachMask(item, file);
        maskCount += 1;
      } catch (error) {
        problems.push(error.message);
      }
    }
    if (added > 0) this.defaultHeldout();
    this.busy = false;
    const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
    const summary = `Added ${plural(added, 'image')} and ${plural(maskCount, 'mask')}.`;
    this.message(problems.length > 0 ? problems.join(' ') : [summary, ...notes].join(' '), problems.length > 0);
    if (added + maskCount > 0) this.changed(true);
  }

  /** Why an image cannot train (a side under the smallest patch at the training size), or null. */
  tooThin(name, { originalWidth, originalHeight }) {
    const { width, height } = fittedSize(this.api, originalWidth, originalHeight, this.state.trainSide);
    const least = this.state.schema.entry('patch').min;
    if (Math.min(width, height) >= least) return null;
    return (
      `${name}: ${originalWidth}×${originalHeight} pixels would train at ${width}×${height}, too thin to learn ` +
      `from (each side needs at least ${least} pixels at the training size); crop it, and add it again.`
    );
  }

  /** Reads a mask file for `item`; throws (leaving the item as it was) when it does not fit. */
  async attachMask(item, file) {
    const colour = $('mask-rule').value === 'colour' ? $('mask-colour').value : null;
    const rgb = colour && [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
    const mask = await this.decoder.decode(file, 'mask', rgb);
    if (mask.originalWidth !== item.originalWidth || mask.originalHeight !== item.originalHeight) {
      throw new Error(
        `${file.name}: the mask is ${mask.originalWidth}×${mask.originalHeight} pixels but its image ` +
          `${item.name} is ${item.originalWidth}×${item.originalHeight}; masks must match their image exactly.`,
      );
    }
    item.mask = mask.mask;
    item.maskGrey = mask.intermediate ?? 0;
    const rule = colour ? ` (colour ${colour})` : mask.thresholded ? ' (object: brighter than half its white)' : '';
    item.maskOrigin = `from ${file.name}${rule}`;
  }

  /** With several images and none held out, the last one is held out so the summary has something to score. */
  defaultHeldout() {
    if (this.items.length >= 2 && !this.items.some((i) => i.heldout)) this.items.at(-1).heldout = true;
  }

  /** Shows the page's images (those of a link or file, or these after the page took them), unless the
   *  list already shows them at the training size (so a ticked box keeps its focus). */
  show(items) {
    const same = items.length === this.items.length && items.every((item, i) => item === this.items[i]);
    if (same && this.shownSide === this.state.trainSide) return;
    this.items = [...items];
    this.render();
  }

  render() {
    const list = $('upload-list');
    list.replaceChildren();
    $('upload-empty').hidden = this.items.length > 0;
    $('train-side').value = String(this.state.trainSide);
    this.shownSide = this.state.trainSide;
    for (const item of this.items) list.append(uploadItem(this, item));
  }
}
