// The notice area at the top of the page: what the last link or experiment file changed or refused,
// in one place the user sees without scrolling, until they dismiss it or open another.

const $ = (id) => document.getElementById(id);

export class Notices {
  constructor(onDismiss) {
    $('notices-dismiss').addEventListener('click', onDismiss);
  }

  /** `notices`: [{ text, error }]. */
  render(notices) {
    $('notices').hidden = notices.length === 0;
    $('notices').classList.toggle(
      'error',
      notices.some((notice) => notice.error),
    );
    $('notice-list').replaceChildren(
      ...notices.map((notice) => {
        const item = document.createElement('li');
        item.textContent = notice.text;
        item.classList.toggle('error', notice.error);
        return item;
      }),
    );
  }
}
