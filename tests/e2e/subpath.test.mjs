// dist/ works from any static host under a sub-path: every URL in the page is relative.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canvasStats, openBrowser, openPage } from './browser.mjs';

test('the page works under /segloss/', async () => {
  const browser = await openBrowser({ prefix: '/segloss/' });
  try {
    const missing = [];
    browser.context.on('response', (response) => {
      if (response.status() >= 400) missing.push(response.url());
    });
    const { page, errors } = await openPage(browser.context, browser.url);
    assert.match(await page.textContent('#build-info'), /simd128-f32/);
    assert.ok((await canvasStats(page, '#mask-canvas')).whiteFraction > 0);
    assert.deepEqual(errors, []);
    assert.deepEqual(missing, []);
  } finally {
    await browser.close();
  }
});

// Browsers compile wasm only when it comes as application/wasm; a host that sends another type gets
// a message that says what to configure, instead of a page that never starts.
for (const type of ['application/octet-stream', 'text/plain']) {
  test(`a host that sends .wasm as ${type} gets a message saying what to fix`, async () => {
    const browser = await openBrowser({ prefix: '/segloss/', types: { '.wasm': type } });
    try {
      const page = await browser.context.newPage();
      await page.goto(browser.url);
      await page.waitForFunction(() => document.querySelector('#status').classList.contains('error'));
      const status = await page.textContent('#status');
      console.log(`status with .wasm as ${type}: ${status}`);
      assert.match(status, new RegExp(`sends pkg/simd128/segloss_bg.wasm as '${type}'`));
      assert.match(status, /send \.wasm files as application\/wasm/);
      assert.equal(await page.getAttribute('body', 'data-ready'), null);
    } finally {
      await browser.close();
    }
  });
}
