// Training settings that fit the user's images: the demo scenes' crops (32 px) are a corner of a
// photograph, so while the user has not chosen a patch size, the user's images train on crops of
// half their shortest training side (multiples of 8, 16 to 96 px: whole objects in view, and a step
// that still takes a fraction of a second).
import { fittedSize } from './schema.js';

const LARGEST = 96;
const SMALLEST = 16;

/** { patch, shortest } for `images` (the user's) trained at `trainSide`, or null without training images. */
export function fittedPatch(api, images, trainSide) {
  const sides = images
    .filter((item) => !item.heldout)
    .map((item) => {
      const { width, height } = fittedSize(api, item.width, item.height, trainSide);
      return Math.min(width, height);
    });
  if (sides.length === 0) return null;
  const shortest = Math.min(...sides);
  const half = Math.floor(shortest / 2 / 8) * 8;
  return { patch: Math.min(shortest, Math.max(SMALLEST, Math.min(LARGEST, half))), shortest };
}

/** The data line's sentence on a fitted patch. */
export const fittedText = ({ patch, shortest }) =>
  `Trains on ${patch}-pixel crops, chosen for your images: about half their shortest training side ` +
  `(${shortest} px), so crops hold whole objects. Set the patch size under Model and training to change it.`;
