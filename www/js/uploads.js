// Your images: added by file picker, drag and drop or paste; masks matched to images by name or
// assigned by hand; decoded in a worker. Each image keeps its pixels at up to the engine's largest side
// (for painting) and a mask of one byte per pixel; the engine downsizes both for training, at the
// side the user sets here. The list's entries are upload-item.js.
import { datasetEntries, droppedFiles, pickedFiles } from './dataset-files.js';
import { Cancelled, DecodePool } from './decode-pool.js';
import { applyRange, checkInt, fittedSize } from './schema.js';
import { SplitControls } from './split.js';
import { uploadItem } from './upload-item.js';

const $ = (id) => document.getElementById(id);
/** Up to this many images each keeps its pixels at the engine's largest side (for painting); more
 *  are a dataset, kept at DATASET_SIDE: 256 images of any size then hold at most 256 × 256² pixels
 *  (64 MiB of RGBA and 16 MiB of masks). */
const SMALL_SET = 16;
const DATASET_SIDE = 256;
/** What a .zip may unpack to: a 120-megapixel PNG is rarely over 200 MB. */
const ZIP_LIMITS = { maxFileBytes: 200e6, maxTotalBytes: 2e9 };
/** The list shows this many images at a time (each is a canvas). */
const LIST_PAGE = 24;
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
const stem = (name) => name.replace(/\.[^./]+$/, '').toLowerCase();

/** The image stem a file is the mask of (`x_mask.png`, `x.mask.png`, `x-mask.png`, `masks/x.png`), or
 *  null; `entry` is { file, path } (dataset-files.js). */
export function maskStem({ file, path }) {
  const inFolder = path.match(/(?:^|\/)masks?\/([^/]+)$/i);
  if (inFolder) return stem(inFolder[1]);
  const named = file.name.match(/^(.+?)[_.\- ]mask\.[^.]+$/i);
  return named ? named[1].toLowerCase() : null;
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
    this.decoder = new DecodePool(engine, state.schema.limits);
    this.split = new SplitControls(state, () => this.drawSplit());
    this.reading = Promise.resolve(); // the files being read, one set after the other
    this.shown = LIST_PAGE;
    const side = state.schema.entry('train_side');
    applyRange($('train-side'), side);
    $('train-side').value = String(state.trainSide);
    $('train-side').addEventListener('change', () => {
      const { value, error } = checkInt(side, $('train-side').value);
      this.report(error ? { error: `The size ${error} pixels.` } : state.setSides({ trainSide: value }));
    });
    for (const id of ['upload-input', 'folder-input']) {
      $(id).addEventListener('change', (event) => {
        this.addFiles(pickedFiles(event.target.files));
        event.target.value = '';
      });
    }
    $('upload-cancel').addEventListener('click', () => this.cancel());
    $('upload-more').addEventListener('click', () => {
      this.shown += LIST_PAGE;
      this.render();
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
    zone.addEventListener('drop', async (event) => {
      event.preventDefault();
      zone.classList.remove('over');
      try {
        this.addFiles(await droppedFiles(event.dataTransfer));
      } catch (error) {
        this.message(`The dropped folder could not be read (${error.message}).`, true);
      }
    });
    document.addEventListener('paste', (event) => {
      if (event.target.closest('input, textarea')) return;
      const files = [...event.clipboardData.files];
      if (files.length > 0) {
        event.preventDefault();
        this.addFiles(
          pickedFiles(
            files.map((f, i) =>
              f.name && f.name !== 'image.png'
                ? f
                : new File([f], `pasted-${Date.now()}-${i + 1}.png`, { type: f.type }),
            ),
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

  /** Reads files, folders and .zips ({ file, path }, dataset-files.js): images with their masks, decoded
   *  in workers with a progress bar. A bad file is reported and skipped, the images already here stay;
   *  a cancel adds nothing. Files given while others are read (the page takes a large dataset on in
   *  steps, and stays usable meanwhile) are read after them. */
  addFiles(given) {
    if (given.length === 0) return this.reading;
    this.reading = this.reading.then(() => this.read(given));
    return this.reading;
  }

  async read(given) {
    this.cancelled = false;
    this.progress(0, 1, 'Reading the files…');
    try {
      const { entries, skipped } = await datasetEntries(given, ZIP_LIMITS, () => this.cancelled);
      if (!this.cancelled) await this.readEntries(entries, skipped);
    } catch (error) {
      if (!(error instanceof Cancelled)) this.message(error.message, true);
    } finally {
      $('upload-progress-row').hidden = true;
    }
    if (this.cancelled) this.message('Cancelled: nothing was added.');
  }

  cancel() {
    this.cancelled = true;
    this.decoder.cancel();
  }

  progress(done, total, text) {
    $('upload-progress-row').hidden = false;
    $('upload-progress').max = total;
    $('upload-progress').value = done;
    this.message(text);
  }

  async readEntries(entries, skipped) {
    const problems = [];
    const masks = new Map();
    const images = [];
    for (const entry of entries) {
      const forStem = maskStem(entry);
      if (forStem !== null) masks.set(forStem, entry);
      else images.push(entry);
    }
    const room = Math.max(0, this.maxItems - this.items.length);
    if (room === 0 && images.length > 0) {
      problems.push(`At most ${this.maxItems} images: remove some before adding ${plural(images.length, 'image')}.`);
    } else if (images.length > room) {
      problems.push(
        `${plural(images.length, 'image')} given and at most ${this.maxItems} are kept: ` +
          `the ${images.length - room} after ${images[room - 1].path} were left out.`,
      );
    }
    const taken = images.slice(0, room);
    const side = this.items.length + taken.length > SMALL_SET ? DATASET_SIDE : this.state.schema.limits.maxSide;
    const paired = taken.map((entry) => {
      const mask = masks.get(stem(entry.file.name));
      masks.delete(stem(entry.file.name));
      return { entry, mask };
    });
    const total = paired.length + paired.filter((p) => p.mask).length + masks.size;
    let done = 0;
    const step = (name) => this.progress(++done, total, `Reading ${done} of ${total}: ${name}…`);
    const animated = [];
    const read = async ({ entry, mask }) => {
      const picture = await this.decoder.decode(entry.file, 'image', null, side);
      step(entry.path);
      const thin = this.tooThin(entry.path, picture);
      if (thin) throw new Error(thin);
      if (picture.animated) animated.push(`${entry.path}: an animated ${picture.animated}; its first frame is used.`);
      const item = {
        name: entry.path,
        ...picture,
        maskOrigin: 'automatic (Otsu threshold): check it, and paint to refine',
        heldout: false,
      };
      if (mask) {
        try {
          await this.attachMask(item, mask.file, side);
        } catch (error) {
          if (error instanceof Cancelled) throw error;
          problems.push(error.message);
        }
        step(mask.path);
      }
      return item;
    };
    const results = await this.inParallel(
      paired.map((pair) => () => read(pair)),
      problems,
    );
    if (this.cancelled) return;
    const added = results.filter(Boolean);
    let maskCount = added.filter((item) => item.maskOrigin.startsWith('from')).length;
    this.items.push(...added);
    for (const [forStem, entry] of masks) {
      step(entry.path);
      const item = this.items.find((i) => stem(i.name) === forStem);
      if (!item) {
        problems.push(`${entry.path}: no image named "${forStem}" is here; add it, or use "Mask file…" on an image.`);
        continue;
      }
      try {
        await this.attachMask(item, entry.file, Math.max(item.width, item.height));
        maskCount += 1;
      } catch (error) {
        if (error instanceof Cancelled) return;
        problems.push(error.message);
      }
    }
    const notes = [
      ...animated,
      ...(skipped > 0 ? [`Skipped ${plural(skipped, 'file')} that ${skipped === 1 ? 'is' : 'are'} not an image.`] : []),
    ];
    if (added.length > 0 && !this.items.some((i) => i.heldout)) this.split.draw(this.items);
    const summary = `Added ${plural(added.length, 'image')} and ${plural(maskCount, 'mask')}.`;
    this.message([summary, ...problems, ...notes].join(' '), problems.length > 0);
    if (added.length + maskCount > 0) await this.fitAndChange();
  }

  /** Runs `tasks` a few at a time (as many as the decoders); a failed one is reported and yields null. */
  async inParallel(tasks, problems) {
    const results = new Array(tasks.length).fill(null);
    let next = 0;
    const lane = async () => {
      while (next < tasks.length && !this.cancelled) {
        const i = next++;
        try {
          results[i] = await tasks[i]();
        } catch (error) {
          if (error instanceof Cancelled) return;
          problems.push(error.message);
        }
      }
    };
    await Promise.all(Array.from({ length: this.decoder.size * 2 }, lane));
    return results;
  }

  /** The images changed: train on them, at a smaller side when they do not fit the engine's budget.
   *  They are encoded at the training size in slices first, then taken on in steps (the page stays
   *  responsive; the message counts them); a cancel no longer applies, as they are already read. */
  async fitAndChange() {
    const fits = this.api.fittingSide(
      Uint32Array.from(this.items, (i) => i.width),
      Uint32Array.from(this.items, (i) => i.height),
      this.state.trainSide,
    );
    const lowered = fits !== undefined && fits < this.state.trainSide;
    const side = lowered ? fits : this.state.trainSide;
    const summary = $('upload-message').textContent;
    const isError = $('upload-message').classList.contains('error');
    const images = [...this.items];
    $('upload-cancel').disabled = true;
    const { given, error } = await this.state.encodeInSlices(images, side, (done, total) =>
      this.message(`Preparing ${done} of ${total} images at ${side} px…`),
    );
    const changes = { images, source: 'given', given };
    const result = error
      ? { error }
      : await this.state.applyInSteps(lowered ? { ...changes, trainSide: fits } : changes);
    $('upload-cancel').disabled = false;
    this.message(summary, isError);
    // Drawn after the page took the images, so each entry states what the runs train on.
    this.render();
    this.report(result);
    if (lowered && !result.error) {
      this.message(
        `${summary} Training at ${fits} px, the largest side at which all ` +
          `${this.items.length} images fit the ${this.state.schema.limits.maxTotalMegapixels.toFixed(1)} megapixels the runs hold.`,
      );
    }
  }

  /** The seeded split was drawn again (its fraction or seed changed). */
  drawSplit() {
    if (this.items.length === 0) return;
    this.split.draw(this.items);
    this.changed(true);
  }

  /** Reads a mask file for `item`; throws (leaving the item as it was) when it does not fit. */
  async attachMask(item, file, side = Math.max(item.width, item.height)) {
    const colour = $('mask-rule').value === 'colour' ? $('mask-colour').value : null;
    const rgb = colour && [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
    const mask = await this.decoder.decode(file, 'mask', rgb, side);
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
    for (const item of this.items.slice(0, this.shown)) list.append(uploadItem(this, item));
    const hidden = this.items.length - Math.min(this.shown, this.items.length);
    $('upload-more').hidden = hidden === 0;
    $('upload-more').textContent = `Show ${Math.min(hidden, LIST_PAGE)} more (${hidden} not shown)`;
  }
}
