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
