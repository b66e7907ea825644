// One entry of the uploads list: the image with its mask tinted, its size and object share, a warning
// for an empty or full mask, and its actions (held out, paint, mask file, remove). Part of uploads.js.
import { drawOverlay } from './canvas.js';
import { percent } from './format.js';
import { fittedSize } from './schema.js';

/** What a mask's coverage means for the losses, in words (null when it is a normal mask). */
export function coverageWarning(coverage) {
  if (coverage === 'empty') {
    return (
      'No object pixels. Dice, Tversky and Lovász scored per image have nothing to overlap here: ' +
      'their loss only says "predict nothing"; BCE, focal and weighted CE still learn the background. ' +
      'Paint the object, or hold this image out.'
    );
  }
  if (coverage === 'full') {
    return (
      'Only object pixels: there is no background to tell apart, and every loss is satisfied by ' +
      'calling everything object. Paint the background, or hold this image out.'
    );
  }
  return null;
}

/** Above this share of grey pixels a mask file is more than soft edges: the page warns. */
const GREY_WARNING = 0.01;

function warningLine(className, text) {
  const p = document.createElement('p');
  p.className = `hint error ${className}`;
  p.textContent = text;
  return p;
}

function button(text, label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
}

/** The list entry of `item` in `panel` (an UploadPanel). */
export function uploadItem(panel, item) {
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
  // As trained, the same number the image's caption and the status give; the uploaded mask's own
  // share only while the page does not train on it (a refused change).
  const fraction =
    panel.state.trainedFraction(item) ?? item.mask.reduce((sum, v) => sum + (v > 0 ? 1 : 0), 0) / item.mask.length;
  const original = `${item.originalWidth}×${item.originalHeight}`;
  const trained = fittedSize(panel.api, item.width, item.height, panel.trainSide());
  const same = trained.width === item.originalWidth && trained.height === item.originalHeight;
  const size = same ? original : `${original}, trained at ${trained.width}×${trained.height}`;
  facts.textContent = `${size} · ${percent(fraction)} object · mask ${item.maskOrigin}`;
  facts.className = 'hint object-fraction';
  about.append(name, facts);
  const warning = coverageWarning(panel.api.maskCoverage(item.mask));
  if (warning) about.append(warningLine('coverage-warning', warning));
  if (item.maskGrey > GREY_WARNING) {
    const grey = percent(item.maskGrey);
    about.append(
      warningLine(
        'grey-warning',
        `${grey} of this mask's pixels are grey, neither black nor white (JPEG compression or soft edges): ` +
          'each counts as object when brighter than half its white. Save masks as PNG to keep them exact.',
      ),
    );
  }
  const heldoutLabel = document.createElement('label');
  const heldout = document.createElement('input');
  heldout.type = 'checkbox';
  heldout.checked = item.heldout;
  heldout.addEventListener('change', () => {
    item.heldout = heldout.checked;
    if (panel.items.every((i) => i.heldout)) {
      item.heldout = false;
      heldout.checked = false;
      panel.message('Keep at least one image for training.', true);
      return;
    }
    panel.changed(false);
  });
  heldoutLabel.append(heldout, ' held out');
  const paint = button('Paint mask', `Paint the mask of ${item.name}`, async () => {
    const mask = await panel.paint(item);
    if (!mask) return;
    item.mask = mask;
    item.maskGrey = 0;
    item.maskOrigin = 'painted';
    panel.changed(true);
  });
  const maskInput = document.createElement('input');
  maskInput.type = 'file';
  maskInput.accept = 'image/*';
  maskInput.hidden = true;
  maskInput.addEventListener('change', async () => {
    const [file] = maskInput.files;
    if (!file) return;
    try {
      await panel.attachMask(item, file);
      panel.message(`Mask of ${item.name} read from ${file.name}.`);
      panel.changed(true);
    } catch (error) {
      panel.message(error.message, true);
    }
  });
  const maskButton = button('Mask file…', `Choose the mask file of ${item.name}`, () => maskInput.click());
  const remove = button('Remove', `Remove ${item.name}`, () => {
    panel.items = panel.items.filter((i) => i !== item);
    if (panel.items.length > 0 && panel.items.every((i) => i.heldout)) panel.items[0].heldout = false;
    panel.changed(true);
  });
  const actions = document.createElement('div');
  actions.className = 'row upload-actions';
  actions.append(heldoutLabel, paint, maskButton, maskInput, remove);
  li.append(thumb, about, actions);
  return li;
}
