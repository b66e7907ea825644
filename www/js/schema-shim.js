// TEMPORARY: stand-ins for engine bindings the lead is adding to src/web.rs (settingsSchema,
// engineLimits, fitPatchToImages, fittedSize). Each returns today's engine values in the binding's
// shape, and schema.js uses it only while `api.<binding>` is undefined. Delete this file when the
// bindings are on main.

const SEED_MAX = 2 ** 53 - 1;

const int = (key, label, group, def, min, max, extra = {}) => ({
  key,
  label,
  group,
  kind: 'int',
  default: String(def),
  min,
  max,
  step: 1,
  help: '',
  inLink: true,
  ...extra,
});
const float = (key, label, group, def, min, max, step, extra = {}) => ({
  key,
  label,
  group,
  kind: 'float',
  default: String(def),
  min,
  max,
  step,
  help: '',
  inLink: true,
  ...extra,
});
const choice = (key, label, group, def, choices) => ({
  key,
  label,
  group,
  kind: 'choice',
  default: def,
  choices,
  help: '',
  inLink: true,
});
const text = (key, label, group, def, help = '') => ({
  key,
  label,
  group,
  kind: 'text',
  default: def,
  help,
  inLink: true,
});

/** src/link.rs, src/experiment.rs and src/data/given.rs as of this commit. */
export function settingsSchema(api) {
  return [
    choice(
      'demo',
      'Images',
      'data',
      'blobs',
      api.scenes().map((s) => ({ value: s.name, label: s.title })),
    ),
    int('scene_seed', 'Scene seed', 'data', 1, 0, SEED_MAX),
    int('seed', 'Seed', 'training', 1, 0, SEED_MAX),
    text('losses', 'Losses', 'losses', 'bce;wbce;dice;focal;lovasz;tversky(alpha=0.3,beta=0.7)'),
    int('layers', 'Hidden layers', 'model', 2, 1, 6),
    int('ch', 'Channels', 'model', 32, 4, 64),
    choice('k', 'Kernel', 'model', '3', [
      { value: '1', label: '1×1' },
      { value: '3', label: '3×3' },
      { value: '5', label: '5×5' },
    ]),
    text('dil', 'Dilations', 'model', '1,1', 'one per hidden layer, 1 to 8'),
    choice('head', 'Head', 'model', 'sigmoid', [
      { value: 'sigmoid', label: 'sigmoid, 1 channel' },
      { value: 'softmax', label: 'softmax, 2 channels' },
    ]),
    choice('opt', 'Optimizer', 'training', 'adam', [
      { value: 'adam', label: 'Adam' },
      { value: 'sgd', label: 'SGD + momentum' },
    ]),
    float('lr', 'Learning rate', 'training', 0.005, 1e-5, 10, 'any'),
    float('momentum', 'Momentum (SGD)', 'training', 0.9, 0, 0.999, 'any'),
    int('batch', 'Batch size', 'training', 4, 1, 32),
    int('patch', 'Patch size (0 = whole image)', 'training', 32, 0, 512, { help: '0, or 8 to 512' }),
    {
      ...int('aug', 'Augmentation', 'training', 1, 0, 1),
      kind: 'bool',
      min: undefined,
      max: undefined,
      step: undefined,
    },
    int('steps', 'Steps', 'training', 600, 1, 100_000),
    float('thr', 'Threshold', 'view', 0.5, 0.05, 0.95, 0.05),
    int('train_side', 'Train at a longest side of (pixels)', 'data', 256, 16, 1024, { inLink: false }),
    int('link_side', 'Your images travel in the link at a longest side of (pixels)', 'data', 64, 16, 256, {
      inLink: false,
    }),
  ];
}

export function engineLimits() {
  return {
    maxLosses: 8,
    maxImages: 16,
    maxSide: 1024,
    maxMegapixels: 120,
    linkMaxLen: 64 * 1024,
    fileMaxLen: 16 * 1024 * 1024,
    trainSide: { min: 16, max: 1024, default: 256 },
    linkSide: { min: 16, max: 256, default: 64 },
  };
}

/** data::given::fitted_size: (width, height) with the longest side at most `maxSide`. */
export function fittedSize(width, height, maxSide) {
  const longest = Math.max(width, height);
  if (longest <= maxSide) return { width, height };
  const scale = (n) => Math.max(1, Math.floor((n * maxSide + Math.floor(longest / 2)) / longest));
  return { width: scale(width), height: scale(height) };
}

/** normalizeExperiment, with a patch larger than the training images lowered to their shortest side
 *  when that is at least 8 (data::batch::Batches::check refuses it otherwise); `patchFitted` is the
 *  patch used when it was lowered, else null. */
export function fitPatchToImages(api, query, source) {
  const parts = query.split('&');
  const given = parts.find((part) => part.startsWith('patch='));
  const withPatch = (patch) => [...parts.filter((p) => p !== given), `patch=${patch}`].join('&');
  // givenImages validates the experiment too: ask with the smallest patch to read the image sizes.
  const images = api.givenImages(withPatch(8)).filter((image) => !image.heldout);
  const shortest = Math.min(...images.map((image) => Math.min(image.width, image.height)));
  const patch = Number(given ? given.slice(6) : 32);
  const fitted = patch > shortest && shortest >= 8 ? shortest : null;
  return { ...api.normalizeExperiment(fitted === null ? query : withPatch(fitted), source), patchFitted: fitted };
}
