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

  /** Shows `query` as the page's link without adding a history entry. */
  show(query) {
    const url = new URL(location.href);
    url.hash = query;
    if (url.href !== location.href) history.replaceState(null, '', url.href);
    this.current = linkQuery();
    $('link').value = location.href;
    const length = location.href.length;
    $('link-length').textContent = `${length} characters`
      + (length > SAFE_LENGTH ? ` — longer than ${SAFE_LENGTH}, which some apps cut` : '');
    $('link-length').classList.toggle('error', length > SAFE_LENGTH);
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
