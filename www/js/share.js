// The share link: the experiment's canonical query lives in the URL fragment, so the address bar is
// always a link that reproduces what is on screen. Edits replace the history entry (no flooding);
// opening another link, or going back to one, fires `hashchange`.

const $ = (id) => document.getElementById(id);

/** Above this many characters some chat apps and mail clients cut links. */
const SAFE_LENGTH = 8000;

/** The fragment as typed: the engine's decoder undoes percent-escapes value by value. */
export function linkQuery() {
  return location.hash.slice(1);
}

export class SharePanel {
  constructor(onLinkOpened) {
    this.current = '';
    window.addEventListener('hashchange', () => {
      if (linkQuery() !== this.current) onLinkOpened(linkQuery());
    });
    $('copy-link').addEventListener('click', () => this.copy());
    if (navigator.share) {
      $('share-link').hidden = false;
      $('share-link').addEventListener('click', () => {
        navigator.share({ title: 'Segloss experiment', url: location.href }).catch(() => {});
      });
    }
  }

  /** Shows `query` as the page's link without adding a history entry; null when no link can carry the
   *  experiment. `images` (null for a demo scene): { linkSide, trainSide, differs, problem }. */
  show(query, images) {
    const url = new URL(location.href);
    url.hash = query ?? '';
    if (url.href !== location.href) history.replaceState(null, '', url.href);
    this.current = linkQuery();
    $('link').value = query === null ? '' : location.href;
    $('copy-link').disabled = query === null;
    const length = location.href.length;
    const tooLong = query !== null && length > SAFE_LENGTH;
    let text = query === null ? '' : `${length.toLocaleString('en')} characters`;
    if (tooLong) {
      text += ` — longer than ${SAFE_LENGTH.toLocaleString('en')}, which some apps cut.`
        + (images ? ' Make the images smaller in the link, or download the experiment file.' : '');
    }
    $('link-length').textContent = text;
    $('link-length').classList.toggle('error', tooLong);
    $('link-images').hidden = images === null;
    if (images) {
      let note = '';
      if (images.problem) {
        note = `No link can carry this experiment: ${images.problem} Download the experiment file instead.`;
      } else if (images.differs) {
        note = `The link carries ${images.linkSide}-pixel copies of your images, and you train at ${images.trainSide} pixels: `
          + 'whoever opens it trains on the copies and gets other numbers than yours. Train on the copies to share '
          + 'runs bit for bit, or send the experiment file.'
          + (images.patch ? ` The copies are smaller than your training crops, so the link trains on ${images.patch}-pixel crops.` : '');
      } else {
        note = 'The link carries your images exactly as they are trained: whoever opens it gets your numbers.';
      }
      $('link-images-note').textContent = note;
      $('link-images-note').classList.toggle('error', Boolean(images.problem));
      $('train-link-copies').hidden = !images.differs || Boolean(images.problem);
    }
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
