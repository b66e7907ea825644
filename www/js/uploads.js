// Your images: added by file picker, drag and drop or paste; masks matched to images by name or
// assigned by hand; decoded in a worker. Each image keeps its pixels at up to SOURCE_SIDE (for
// painting) and a mask of one byte per pixel; the engine downsizes both for training.

import { fittedSize } from './decode.js';

export const SOURCE_SIDE = 1024;
export const MAX_ITEMS = 16;

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

/** What a mask's coverage means for the losses, in words (null when it is a normal mask). */
export function coverageWarning(coverage) {
  if (coverage === 'empty') {
    return 'No object pixels. Dice, Tversky and Lovász scored per image have nothing to overlap here: '
      + 'their loss only says "predict nothing"; BCE, focal and weighted CE still learn the background. '
      + 'Paint the object, or hold this image out.';
  }
  if (coverage === 'full') {
    return 'Only object pixels: there is no background to tell apart, and every loss is satisfied by '
      + 'calling everything object. Paint the background, or hold this image out.';
  }
  return null;
}

class Decoder {
  constructor(engine) {
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
   *  [r, g, b], or else any non-black / alpha > 0). */
  decode(file, role, colour = null) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, file, maxSide: SOURCE_SIDE, role, colour });
    });
  }
}

export class UploadPanel {
  /** `onChange()` runs after the images or their masks or splits change; `paint(item)` resolves to a
   *  new mask or null; `trainSide()` is the longest side images are trained at. */
  constructor(engine, { onChange, paint, trainSide }) {
    this.api = engine.api;
    this.trainSide = trainSide;
    this.onChange = onChange;
    this.paint = paint;
    this.items = [];
    this.nextId = 1;
    this.decoder = new Decoder(engine);
    this.busy = false;
    $('upload-input').addEventListener('change', (event) => {
      this.addFiles([...event.target.files]);
      event.target.value = '';
    });
    $('mask-rule').addEventListener('change', () => { $('mask-colour').disabled = $('mask-rule').value !== 'colour'; });
    const zone = $('drop-zone');
    zone.addEventListener('dragover', (event) => { event.preventDefault(); zone.classList.add('over'); });
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
        this.addFiles(files.map((f, i) => (f.name && f.name !== 'image.png' ? f
          : new File([f], `pasted-${Date.now()}-${i + 1}.png`, { type: f.type }))));
      }
    });
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
      if (this.items.length >= MAX_ITEMS) {
        problems.push(`${file.name}: at most ${MAX_ITEMS} images; remove one first.`);
        continue;
      }
      try {
        const picture = await this.decoder.decode(file, 'image');
        const item = { id: this.nextId++, name: file.name, ...picture, maskOrigin: 'automatic (Otsu threshold): check it, and paint to refine', heldout: false };
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
    this.message(problems.length > 0 ? problems.join(' ') : summary, problems.length > 0);
    if (added + maskCount > 0) {
      this.render();
      this.onChange();
    }
  }

  /** Reads a mask file for `item`; throws (leaving the item as it was) when it does not fit. */
  async attachMask(item, file) {
    const colour = $('mask-rule').value === 'colour' ? $('mask-colour').value : null;
    const rgb = colour && [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
    const mask = await this.decoder.decode(file, 'mask', rgb);
    if (mask.originalWidth !== item.originalWidth || mask.originalHeight !== item.originalHeight) {
      throw new Error(`${file.name}: the mask is ${mask.originalWidth}×${mask.originalHeight} pixels but its image `
        + `${item.name} is ${item.originalWidth}×${item.originalHeight}; masks must match their image exactly.`);
    }
    item.mask = mask.mask;
    item.maskOrigin = colour ? `from ${file.name} (colour ${colour})` : `from ${file.name}`;
  }

  /** With several images and none held out, the last one is held out so the summary has something to score. */
  defaultHeldout() {
    if (this.items.length >= 2 && !this.items.some((i) => i.heldout)) this.items.at(-1).heldout = true;
  }

  /** Replaces the images by those a link or file carries. */
  setFromEngine(images) {
    this.items = images.map((image, i) => ({
      id: this.nextId++, name: `image ${i + 1} of the link`, rgba: image.rgba, width: image.width,
      height: image.height, originalWidth: image.width, originalHeight: image.height, mask: image.mask,
      maskOrigin: 'from the link', heldout: image.heldout,
    }));
    this.message('');
    this.render();
  }

  render() {
    const list = $('upload-list');
    list.replaceChildren();
    $('upload-empty').hidden = this.items.length > 0;
    for (const item of this.items) list.append(this.renderItem(item));
  }

  renderItem(item) {
    const li = document.createElement('li');
    li.className = 'upload-item';
    li.dataset.name = item.name;
    const thumb = document.createElement('canvas');
    drawOverlay(thumb, item);
    const about = document.createElement('div');
    about.className = 'upload-about';
    const name = document.createElement('strong');
    name.textContent = item.name;
    const facts = document.createElement('span');
    const fraction = item.mask.reduce((sum, v) => sum + (v > 0 ? 1 : 0), 0) / item.mask.length;
    const trained = fittedSize(item.width, item.height, this.trainSide());
    const size = trained.width === item.originalWidth && trained.height === item.originalHeight
      ? `${item.originalWidth}×${item.originalHeight}`
      : `${item.originalWidth}×${item.originalHeight}, trained at ${trained.width}×${trained.height}`;
    facts.textContent = `${size} · ${(100 * fraction).toFixed(fraction < 0.01 ? 2 : 1)} % object · mask ${item.maskOrigin}`;
    facts.className = 'hint object-fraction';
    about.append(name, facts);
    const warning = coverageWarning(this.api.maskCoverage(item.mask));
    if (warning) {
      const p = document.createElement('p');
      p.className = 'hint error coverage-warning';
      p.textContent = warning;
      about.append(p);
    }
    const actions = document.createElement('div');
    actions.className = 'row upload-actions';
    const heldoutLabel = document.createElement('label');
    const heldout = document.createElement('input');
    heldout.type = 'checkbox';
    heldout.checked = item.heldout;
    heldout.addEventListener('change', () => {
      item.heldout = heldout.checked;
      if (this.items.every((i) => i.heldout)) {
        item.heldout = false;
        heldout.checked = false;
        this.message('Keep at least one image for training.', true);
        return;
      }
      this.onChange();
    });
    heldoutLabel.append(heldout, ' held out');
    const paint = button('Paint mask', `Paint the mask of ${item.name}`, async () => {
      const mask = await this.paint(item);
      if (!mask) return;
      item.mask = mask;
      item.maskOrigin = 'painted';
      this.render();
      this.onChange();
    });
    const maskInput = document.createElement('input');
    maskInput.type = 'file';
    maskInput.accept = 'image/*';
    maskInput.hidden = true;
    maskInput.addEventListener('change', async () => {
      const [file] = maskInput.files;
      if (!file) return;
      try {
        await this.attachMask(item, file);
        this.message(`Mask of ${item.name} read from ${file.name}.`);
        this.render();
        this.onChange();
      } catch (error) {
        this.message(error.message, true);
      }
    });
    const maskButton = button('Mask file…', `Choose the mask file of ${item.name}`, () => maskInput.click());
    const remove = button('Remove', `Remove ${item.name}`, () => {
      this.items = this.items.filter((i) => i !== item);
      if (this.items.length > 0 && this.items.every((i) => i.heldout)) this.items[0].heldout = false;
      this.render();
      this.onChange();
    });
    actions.append(heldoutLabel, paint, maskButton, maskInput, remove);
    li.append(thumb, about, actions);
    return li;
  }
}

function button(text, label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
}

/** Draws an item's image with its object pixels tinted. */
export function drawOverlay(canvas, { rgba, width, height, mask }) {
  canvas.width = width;
  canvas.height = height;
  const pixels = new Uint8ClampedArray(rgba);
  for (let i = 0; i < mask.length; i++) {
    if (mask[i]) {
      pixels[i * 4] = (pixels[i * 4] + 255) >> 1;
      pixels[i * 4 + 1] >>= 1;
      pixels[i * 4 + 2] >>= 1;
    }
  }
  canvas.getContext('2d').putImageData(new ImageData(pixels, width, height), 0, 0);
}
