// The experiment file: every setting and the user's images at training size, as JSON, for
// experiments too large for a link. Opening one that is not valid changes nothing.
import { download } from './format.js';

const $ = (id) => document.getElementById(id);
const FORMAT = 'segloss-experiment';
const VERSION = 1;
/** The JSON around an experiment file's query. */
const WRAPPING_BYTES = 1024 * 1024;

export class ExperimentFile {
  /** `query()` is the current experiment; `open(query)` restores one; `refuse(text)` says why a file
   *  was not opened; `maxQuery` is the longest query the engine reads from a file. */
  constructor({ query, open, refuse, maxQuery }) {
    this.maxBytes = maxQuery + WRAPPING_BYTES;
    $('save-experiment').addEventListener('click', () => {
      const text = JSON.stringify({ format: FORMAT, version: VERSION, query: query() });
      download(new Blob([text], { type: 'application/json' }), 'segloss-experiment.json');
    });
    $('open-experiment').addEventListener('change', async (event) => {
      const [file] = event.target.files;
      event.target.value = '';
      if (!file) return;
      const parsed = await this.read(file);
      if (typeof parsed === 'string') refuse(parsed);
      else open(parsed.query);
    });
  }

  /** The file's { query }, or why it is not an experiment file this page reads. */
  async read(file) {
    if (file.size > this.maxBytes) {
      const mb = (bytes) => (bytes / 1e6).toFixed(1);
      return `${file.name} is ${mb(file.size)} MB; an experiment file is at most ${mb(this.maxBytes)} MB.`;
    }
    let parsed;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      return `${file.name} is not an experiment file (it is not JSON).`;
    }
    if (parsed?.format !== FORMAT || typeof parsed.query !== 'string') {
      return `${file.name} is not a Segloss experiment file.`;
    }
    if (parsed.version !== VERSION) {
      return `${file.name} is experiment file version ${String(parsed.version).slice(0, 20)}; this page reads version ${VERSION}.`;
    }
    return { query: parsed.query };
  }
}
