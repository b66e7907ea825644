// The experiment file: every setting and the user's images at training size, as JSON, for
// experiments too large for a link. Opening one that is not valid changes nothing.

const $ = (id) => document.getElementById(id);
const FORMAT = 'segloss-experiment';
const VERSION = 1;
/** An experiment file holds at most 16 M characters of query; its JSON a little more. */
const MAX_BYTES = 17 * 1024 * 1024;

export class ExperimentFile {
  /** `query()` is the current experiment; `open(query)` restores one and returns '' or a message. */
  constructor({ query, open }) {
    $('save-experiment').addEventListener('click', () => {
      const text = JSON.stringify({ format: FORMAT, version: VERSION, query: query() });
      const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = 'segloss-experiment.json';
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      this.message('');
    });
    $('open-experiment').addEventListener('change', async (event) => {
      const [file] = event.target.files;
      event.target.value = '';
      if (file) this.message(await this.read(file, open));
    });
  }

  message(text) {
    $('link-copied').textContent = text;
    $('link-copied').classList.toggle('error', text !== '');
  }

  async read(file, open) {
    if (file.size > MAX_BYTES) return `${file.name} is ${(file.size / 1e6).toFixed(1)} MB; an experiment file is at most 17 MB.`;
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
    return open(parsed.query);
  }
}
