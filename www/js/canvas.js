// Drawing helpers shared by the panels: RGBA buffers onto canvases, a mask tinted over its image, a
// sheet of masks as one PNG, and the colour of each run.

const PALETTE = ['#2962ff', '#e53935', '#43a047', '#fb8c00', '#8e24aa', '#00897b', '#6d4c41', '#d81b60'];

/** The colour of run `index` in the loss list, the grid and the charts. */
export const runColour = (index) => PALETTE[index % PALETTE.length];

/** Puts `rgba` (Uint8ClampedArray, width × height × 4) on `canvas`, resizing it to fit. */
export function drawRgba(canvas, rgba, width, height) {
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  canvas.getContext('2d').putImageData(new ImageData(rgba, width, height), 0, 0);
}

/** Draws an image ({ rgba, width, height }) with its object pixels (`mask`, one byte each) tinted red. */
export function drawOverlay(canvas, { rgba, width, height, mask }) {
  const pixels = new Uint8ClampedArray(rgba);
  for (let i = 0; i < mask.length; i++) {
    if (mask[i]) {
      pixels[i * 4] = (pixels[i * 4] + 255) >> 1;
      pixels[i * 4 + 1] >>= 1;
      pixels[i * 4 + 2] >>= 1;
    }
  }
  drawRgba(canvas, pixels, width, height);
}

/** Resolves to one PNG: a row of masks ({ split, width, height, rgba }) per split, training first. */
export function maskSheet(masks) {
  const rows = ['train', 'heldout'].map((split) => masks.filter((m) => m.split === split)).filter((r) => r.length);
  const gap = 4;
  const width = Math.max(...rows.map((r) => r.reduce((w, m) => w + m.width + gap, -gap)));
  const height = rows.reduce((h, r) => h + Math.max(...r.map((m) => m.height)) + gap, -gap);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  let y = 0;
  for (const row of rows) {
    let x = 0;
    for (const m of row) {
      context.putImageData(new ImageData(m.rgba, m.width, m.height), x, y);
      x += m.width + gap;
    }
    y += Math.max(...row.map((m) => m.height)) + gap;
  }
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}
