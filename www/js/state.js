// The page's state: the experiment (the engine's normalised settings, keyed and written as in links),
// the user's images, the dataset they make, the view (image shown, threshold), the share link and the
// URL. The only caller of the link codec (normalizeExperiment) and of the browser's history. Panels
// read it and call its intentions; each change is announced once, as a 'change' event whose detail is
// the set of what changed: 'settings', 'runs' (the runs' query), 'data' (the dataset), 'images' (the
// user's images or their training size), 'view' (the image shown), 'threshold', 'link', 'notices'.
import { fittedPatch } from './fitted-defaults.js';
import { PRESETS } from './presets.js';

// The page opens on the classic question rather than the engine's longer default list of losses.
const DEFAULT_SCENE = 'cells';
const DEFAULT_QUERY = `v=1&demo=${DEFAULT_SCENE}&losses=${encodeURIComponent(PRESETS[0].losses.join(';'))}`;

const fragment = () => location.hash.slice(1);
/** `encodeInSlices` yields to the page after this much work (ms), and deflates this many bytes a
 *  step (about 5 ms at deflate's fast level). */
const SLICE_MS = 12;
const DEFLATE_SLICE_BYTES = 512 * 1024;

export class PageState extends EventTarget {
  constructor(api, schema) {
    super();
    this.api = api;
    this.schema = schema;
    this.settings = {}; // every setting's link text as the engine normalised it (without the images)
    this.explicit = new Set(); // the settings the user (or the opened link) chose
    this.fitted = null; // the patch chosen for the user's images: { patch, shortest }, or null
    this.query = ''; // the runs' canonical query: settings and images, no view settings
    this.source = 'demo'; // or 'given': the user's images
    this.scene = DEFAULT_SCENE; // the last demo scene, to go back to when the user's images are removed
    this.images = []; // the user's images: { name, rgba, width, height, originalWidth, originalHeight, mask, maskOrigin, heldout }
    this.given = null; // their `data=` value at the training size: { train }
    this.trainSide = Number(schema.entry('train_side').default);
    this.linkSide = null; // the user's link image size; null: as large as fits, up to the training size
    this.linkFit = null; // the side the last link's images fitted at: { given, requested, side }
    this.dataset = null;
    this.dataKey = '';
    this.view = { split: 'train', index: 0 };
    this.threshold = Number(schema.entry('thr').default);
    this.link = { query: null, images: null }; // images: null for a demo scene, else what the link carries
    this.notices = []; // what the last link or file changed or refused: [{ text, error }]
    this.hash = '';
    window.addEventListener('hashchange', () => {
      if (fragment() !== this.hash) this.open(fragment(), 'link');
    });
  }

  /** Announces a change; a listener hands work that may wait a moment to `event.defer(work)`, which
   *  runs it at once unless `later` (a list) collects it for `applyInSteps`. */
  emit(aspects, later = null) {
    const event = new CustomEvent('change', { detail: new Set(aspects) });
    event.defer = (work) => (later ? later.push(work) : work());
    this.dispatchEvent(event);
  }

  /** The query of `settings` on the demo scene, or on the user's images given as a `data=` value. */
  buildQuery(settings, data) {
    const parts = ['v=1'];
    for (const [key, value] of Object.entries(settings)) {
      // `data` names the images' source; the images themselves are `data`.
      // Settings that do not apply (momentum under Adam) are undefined.
      if (value === undefined || value === '' || !this.schema.affectsRuns(key)) continue;
      if (data && (key === 'demo' || key === 'scene_seed')) continue;
      parts.push(`${key}=${encodeURIComponent(value)}`);
    }
    if (data) parts.push(`data=${data}`);
    return parts.join('&');
  }

  /** Makes `changes` ({ settings (null deletes a key), source, images, trainSide, linkSide, explicit,
   *  given: their `data=` value from `encodeInSlices`, if made ahead }) one step: the engine
   *  validates the result. The settings changed count as the user's choices, unless `explicit` gives
   *  them. Returns { error } (nothing changed) or { notes }. */
  apply(changes) {
    const steps = this.applySteps(changes);
    let step = steps.next();
    while (!step.done) step = steps.next();
    return step.value;
  }

  /** `apply`, one engine call or listener's deferred work a task, so that the page stays responsive
   *  while it takes on a dataset of hundreds of images (each step then takes tens of ms). */
  async applyInSteps(changes) {
    const steps = this.applySteps(changes);
    let step = steps.next();
    while (!step.done) {
      await new Promise((resolve) => setTimeout(resolve));
      step = steps.next();
    }
    return step.value;
  }

  /** `apply` as a generator that yields between its long steps. */
  *applySteps(changes) {
    const {
      source = this.source,
      images = this.images,
      trainSide = this.trainSide,
      linkSide = this.linkSide,
    } = changes;
    const explicit = changes.explicit ?? new Set([...this.explicit, ...Object.keys(changes.settings ?? {})]);
    const settings = { ...this.settings, ...changes.settings };
    for (const [key, value] of Object.entries(changes.settings ?? {})) if (value === null) delete settings[key];
    if (source === 'demo' && !settings.demo) settings.demo = this.scene;
    // The user's images train on crops that fit them, unless a patch size was chosen.
    const fitted = source === 'given' && !explicit.has('patch') ? fittedPatch(this.api, images, trainSide) : null;
    if (fitted) settings.patch = String(fitted.patch);
    let given = null;
    const same = images === this.images && trainSide === this.trainSide;
    if (source === 'given' && same && this.given) {
      given = this.given;
    } else if (source === 'given' && changes.given) {
      given = changes.given;
    } else if (source === 'given') {
      try {
        given = this.encode(images, trainSide);
      } catch (error) {
        return { error: `Your images could not be used: ${error.message}` };
      }
    }
    let normalized;
    let dataset = this.dataset;
    const query = this.buildQuery(settings, given?.train);
    try {
      normalized = this.api.normalizeExperiment(query, 'file');
    } catch (error) {
      return { error: error.message };
    }
    const s = normalized.settings;
    const dataKey = given ? given.train : `${s.demo}/${s.scene_seed ?? s.seed}`;
    if (dataKey !== this.dataKey) {
      yield;
      try {
        dataset = this.api.Dataset.fromQuery(normalized.query);
      } catch (error) {
        return { error: error.message };
      }
      this.dataKey = dataKey;
    }
    const changed = ['settings', 'link'];
    if (dataset !== this.dataset) {
      this.dataset?.free();
      this.dataset = dataset;
      this.view = { split: 'train', index: 0 };
      changed.push('data', 'view');
    }
    if (normalized.query !== this.query) changed.push('runs');
    if (images !== this.images || trainSide !== this.trainSide) changed.push('images');
    const { thr, ...kept } = normalized.settings;
    Object.assign(this, { settings: kept, query: normalized.query, source, images, given, trainSide, linkSide });
    Object.assign(this, { explicit, fitted });
    if (kept.demo) this.scene = kept.demo;
    yield;
    this.updateLink();
    yield;
    const later = [];
    this.emit(changed, later);
    for (const work of later) {
      yield;
      work();
    }
    return { notes: normalized.notes };
  }

  /** The images' `data=` value at the training size; throws the engine's refusal. */
  encode(images, trainSide) {
    const builder = new this.api.GivenBuilder();
    try {
      for (const item of images) builder.add(item.rgba, item.width, item.height, item.mask, trainSide, item.heldout);
      return { train: builder.data(trainSide) };
    } finally {
      builder.free();
    }
  }

  /** `encode(images, trainSide)` a slice at a time, yielding to the page between slices (a dataset
   *  of 256 images takes seconds to encode); resolves to { given } for `apply`, or { error }.
   *  `progress(done, total)` counts the images encoded. */
  async encodeInSlices(images, trainSide, progress = () => {}) {
    const builder = new this.api.GivenBuilder();
    let encoding = null;
    try {
      let sliceStart = performance.now();
      const yieldIfLong = async () => {
        if (performance.now() - sliceStart < SLICE_MS) return;
        await new Promise((resolve) => setTimeout(resolve));
        sliceStart = performance.now();
      };
      for (const [i, item] of images.entries()) {
        builder.add(item.rgba, item.width, item.height, item.mask, trainSide, item.heldout);
        progress(i + 1, images.length);
        await yieldIfLong();
      }
      encoding = builder.encoding(trainSide);
      while (!encoding.step(DEFLATE_SLICE_BYTES)) await yieldIfLong();
      return { given: { train: encoding.text() } };
    } catch (error) {
      return { error: `Your images could not be used: ${error.message}` };
    } finally {
      encoding?.free();
      builder.free();
    }
  }

  /** The share link (the runs' query with the view settings, the images at the link's size) and the URL. */
  updateLink() {
    const defaultThreshold = Number(this.schema.entry('thr').default);
    const view = this.threshold === defaultThreshold ? '' : `&thr=${this.threshold.toFixed(2)}`;
    if (this.source !== 'given') {
      this.link = { query: this.query + view, images: null };
    } else {
      const requested = Math.min(this.linkSide ?? this.trainSide, this.trainSide);
      const images = { requested, linkSide: requested, trainSide: this.trainSide, differs: false, problem: '' };
      // Until the images change, start from the side they last fitted at: each try compresses them.
      const fit = this.linkFit;
      const start = fit?.given === this.given && fit.requested === requested ? fit.side : requested;
      try {
        // The engine makes the link's copies (smaller where the link would be too long to open) and
        // lowers the patch where they are smaller than it.
        const shared = this.api.shareLink(this.query + view, start);
        this.linkFit = { given: this.given, requested, side: shared.side };
        Object.assign(images, { linkSide: shared.side, differs: !shared.exact, patch: shared.patch ?? null });
        this.link = { query: shared.query, images };
      } catch (error) {
        this.link = { query: null, images: { ...images, problem: error.message } };
      }
    }
    const url = new URL(location.href);
    url.hash = this.link.query ?? '';
    if (url.href !== location.href) history.replaceState(null, '', url.href);
    this.hash = fragment();
  }

  /** Opens a link's or an experiment file's query (`from` 'link' or 'file'): every setting, the images,
   *  the threshold. What the engine changed or refused becomes the page's notices. */
  open(query, from) {
    const notices = [];
    const refused = (text) => notices.push({ text, error: true });
    let normalized;
    try {
      normalized = this.api.normalizeExperiment(query || DEFAULT_QUERY, from === 'file' ? 'file' : 'link');
    } catch (error) {
      if (from === 'file') {
        this.notify([
          { text: `This experiment file could not be read (${error.message}); nothing was changed.`, error: true },
        ]);
        return;
      }
      refused(`This link could not be read (${error.message}); the default experiment is loaded instead.`);
      normalized = this.api.normalizeExperiment(DEFAULT_QUERY, 'link');
    }
    for (const note of normalized.notes) notices.push({ text: `From the ${from}: ${note}.`, error: false });
    const result = this.restore(normalized, query || DEFAULT_QUERY, from);
    if (result.error) {
      refused(
        `This ${from} could not be used (${result.error}); ${this.query ? 'nothing was changed' : 'the default experiment is loaded instead'}.`,
      );
      if (!this.query) this.restore(this.api.normalizeExperiment(DEFAULT_QUERY, 'link'), DEFAULT_QUERY);
    }
    this.notify(notices);
  }

  /** Puts a normalised experiment on the page: its settings, images and threshold. The settings
   *  `opened` (the query as given) names count as chosen; with images, all do, so it reproduces. */
  restore({ query, source, settings: { thr, ...settings } }, opened, from = 'link') {
    const threshold = this.threshold;
    this.threshold = Math.round(Number(thr) * 100) / 100;
    const named = opened.split('&').map((pair) => pair.split('=')[0]);
    const explicit = new Set(source === 'given' ? Object.keys(settings) : named);
    const changes = { settings, source, explicit };
    if (source === 'given') Object.assign(changes, this.linkImages(query, from));
    const result = this.apply(changes);
    if (result.error) this.threshold = threshold;
    else this.emit(['threshold']);
    return result;
  }

  /** A link's images, and the size to train them at: the size they were shared at. */
  linkImages(query, from) {
    const images = this.api.givenImages(query).map((image, i) => ({
      ...image,
      // File names stay with the sharer: a link or experiment file carries pixels only.
      name: `image ${i + 1} of the ${from}`,
      openedFrom: from,
      originalWidth: image.width,
      originalHeight: image.height,
      maskOrigin: `from the ${from}`,
    }));
    const longest = Math.max(...images.map((image) => Math.max(image.width, image.height)));
    const train = this.schema.entry('train_side');
    return { images, trainSide: Math.max(Number(train.min), longest), linkSide: null };
  }

  notify(notices) {
    this.notices = notices;
    this.emit(['notices']);
  }

  /** The user's images changed (added, removed, a mask or a split): train on them, or on the demo scene
   *  when none are left. */
  setImages(images) {
    return this.apply({ images: [...images], source: images.length > 0 ? 'given' : 'demo' });
  }

  setThreshold(threshold, final) {
    this.threshold = threshold;
    if (final) this.updateLink();
    this.emit(final ? ['threshold', 'link'] : ['threshold']);
  }

  setView(split, index) {
    this.view = { split, index };
    this.emit(['view']);
  }

  /** Sides are page settings: a given image is encoded at them, a demo scene ignores them. */
  setSides({ trainSide = this.trainSide, linkSide = this.linkSide }) {
    if (this.source === 'given') return this.apply({ trainSide, linkSide });
    Object.assign(this, { trainSide, linkSide });
    this.emit(['images']);
    return { notes: [] };
  }

  /** Trains on the images as the link carries them, so the link reproduces the runs; says what changed. */
  trainOnLinkCopies() {
    const { linkSide, patch } = this.link.images;
    const before = { side: this.trainSide, patch: this.settings.patch };
    const result = this.apply({ trainSide: linkSide, settings: patch ? { patch: String(patch) } : {} });
    if (result.error) return result;
    const now = this.settings.patch;
    const crops = now === before.patch ? '' : `, on ${now}-pixel crops (was ${before.patch})`;
    return { changed: `Now training at ${linkSide} px (was ${before.side} px)${crops}; the runs start again.` };
  }

  /** The current image of the user's (null for a demo scene). */
  item(split = this.view.split, index = this.view.index) {
    if (this.source !== 'given') return null;
    return this.images.filter((item) => item.heldout === (split === 'heldout'))[index] ?? null;
  }

  /** The object share of one of the user's images as it is trained (at the training size, where the
   *  summary and captions count it), or null while the runs do not train on it. */
  trainedFraction(item) {
    if (this.source !== 'given' || !this.images.includes(item)) return null;
    const split = item.heldout ? 'heldout' : 'train';
    const index = this.images.filter((i) => i.heldout === item.heldout).indexOf(item);
    return this.dataset.foregroundFraction(split, index);
  }

  /** The name of image `index` of `split`: a given image's file name, or its place in the scene. */
  imageName(split, index) {
    return this.item(split, index)?.name ?? `${split === 'train' ? 'Training' : 'Held-out'} image ${index + 1}`;
  }

  get losses() {
    return this.settings.losses ? this.settings.losses.split(';') : [];
  }
}
