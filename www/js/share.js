// The Share panel: first, whether the link reproduces the runs; the link to the experiment (state.js
// keeps it in the address bar too), a Copy and a Share button, and, with the user's images, the size
// they travel at in the link and what that means.
import { applyRange, checkInt } from './schema.js';

const $ = (id) => document.getElementById(id);

/** Above this many characters some chat apps and mail clients cut links. */
const SAFE_LENGTH = 8000;

export class SharePanel {
  constructor(state) {
    this.state = state;
    $('copy-link').addEventListener('click', () => this.copy());
    if (navigator.share) {
      $('share-link').hidden = false;
      $('share-link').addEventListener('click', () => {
        navigator.share({ title: 'Segloss experiment', url: location.href }).catch(() => {});
      });
    }
    const side = state.schema.entry('link_side');
    applyRange($('link-side'), side);
    $('link-side').addEventListener('change', () => {
      const { value, error } = checkInt(side, $('link-side').value);
      const result = error ? { error: `The size ${error} pixels.` } : state.setSides({ linkSide: value });
      if (result.error) this.note(result.error, true);
    });
    $('train-link-copies').addEventListener('click', () => {
      const { error, changed } = state.trainOnLinkCopies();
      if (error) this.note(error, true);
      else $('link-trained-copies').textContent = changed;
    });
  }

  note(text, isError = false) {
    $('link-images-note').textContent = text;
    $('link-images-note').classList.toggle('error', isError);
  }

  render() {
    const { query, images } = this.state.link;
    $('link').value = query === null ? '' : location.href;
    $('copy-link').disabled = query === null;
    const length = location.href.length;
    const tooLong = query !== null && length > SAFE_LENGTH;
    let text = query === null ? '' : `${length.toLocaleString('en')} characters`;
    if (tooLong) {
      text +=
        ` — longer than ${SAFE_LENGTH.toLocaleString('en')}, which some apps cut.` +
        (images ? ' Make the images smaller in the link, or download the experiment file.' : '');
    }
    $('link-length').textContent = text;
    $('link-length').classList.toggle('error', tooLong);
    $('link-images').hidden = images === null;
    // Without images the (hidden) field shows the schema's default, as every control does.
    const side = images?.linkSide ?? this.state.linkSide ?? this.state.schema.entry('link_side').default;
    $('link-side').value = String(side);
    this.reproduces(images);
    if (!images) return;
    if (images.problem) {
      this.note(`No link can carry this experiment: ${images.problem} Download the experiment file instead.`, true);
    } else if (images.differs) {
      const fitted =
        images.linkSide < images.requested
          ? ` At ${images.requested} pixels the link would be longer than the ` +
            `${this.state.schema.limits.linkMaxLen.toLocaleString('en')} characters a link may hold.`
          : '';
      this.note(
        `The link carries ${images.linkSide}-pixel copies of your images, and you train at ${images.trainSide} pixels.` +
          `${fitted} Train on the copies to share runs bit for bit, or send the experiment file.` +
          (images.patch
            ? ` The copies are smaller than your training crops, so the link trains on ${images.patch}-pixel crops.`
            : ''),
      );
    } else {
      this.note('The link carries your images exactly as they are trained.');
    }
    $('train-link-copies').hidden = !images.differs || Boolean(images.problem);
    if (images.differs) $('link-trained-copies').textContent = '';
  }

  /** The panel's first line: whether whoever opens the link gets the sharer's numbers. */
  reproduces(images) {
    let text = 'Whoever opens this link can train the same runs, bit for bit.';
    if (images?.problem) text = 'No link can carry your images: share the experiment file instead.';
    else if (images?.differs)
      text =
        `This link shares smaller copies of your images (${images.linkSide} px; you train at ${images.trainSide} px): ` +
        'whoever opens it gets different numbers than yours.';
    $('link-reproduces').textContent = text;
    $('link-reproduces').classList.toggle('error', Boolean(images?.problem || images?.differs));
  }

  async copy() {
    try {
      await navigator.clipboard.writeText(location.href);
      $('link-copied').textContent = 'Copied.';
    } catch {
      $('link').select();
      $('link-copied').textContent = 'Select and copy the link above (the browser refused clipboard access).';
    }
  }
}
