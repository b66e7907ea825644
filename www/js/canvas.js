// Drawing helpers: RGBA buffers from the engine onto canvases.

/** Puts `rgba` (Uint8ClampedArray, width × height × 4) on `canvas`, resizing it to fit. */
export function drawRgba(canvas, rgba, width, height) {
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  canvas.getContext('2d').putImageData(new ImageData(rgba, width, height), 0, 0);
}
