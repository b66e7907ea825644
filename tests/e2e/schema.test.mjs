// The page's controls come from the engine's settings schema: each model and training control, the
// seed, the threshold and the two image sizes carry the schema's range, step, choices and default, and
// index.html holds no range or default of its own.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openBrowser, openPage } from './browser.mjs';

let browser;
before(async () => {
  browser = await openBrowser();
});
after(async () => {
  await browser.close();
});

/** The schema as the page's engine gives it (through the page's own schema module). */
function engineSchema(page) {
  return page.evaluate(async () => {
    const glue = await import('./pkg/simd128/segloss.js');
    await glue.default();
    const { Schema } = await import('./js/schema.js');
    return new Schema(glue).entries;
  });
}

test("every control carries the schema's min, max, step, choices and default", async () => {
  const { page, errors } = await openPage(browser.context, browser.url);
  const schema = Object.fromEntries((await engineSchema(page)).map((entry) => [entry.key, entry]));
  const controls = await page.$$eval(
    '#model-fields [data-key], #seed, #threshold, #train-side, #link-side',
    (elements) =>
      elements.map((e) => ({
        id: e.id,
        key: e.dataset.key,
        type: e.type,
        min: e.min,
        max: e.max,
        step: e.step,
        value: e.value,
        checked: e.checked,
        options: e.tagName === 'SELECT' ? [...e.options].map((o) => ({ value: o.value, label: o.textContent })) : null,
      })),
  );
  const keyOf = { seed: 'seed', threshold: 'thr', 'train-side': 'train_side', 'link-side': 'link_side' };
  assert.ok(controls.length >= 14, `${controls.length} controls`);
  for (const control of controls) {
    const entry = schema[control.key ?? keyOf[control.id]];
    assert.ok(entry, `#${control.id} has a schema entry`);
    if (entry.kind === 'int' || entry.kind === 'float') {
      assert.equal(Number(control.min), entry.min, `#${control.id} min`);
      assert.equal(Number(control.max), entry.max, `#${control.id} max`);
      assert.equal(control.step, String(entry.step ?? (entry.kind === 'int' ? 1 : 'any')), `#${control.id} step`);
      assert.equal(Number(control.value), Number(entry.default), `#${control.id} shows the default`);
    } else if (entry.kind === 'choice') {
      assert.deepEqual(control.options, entry.choices, `#${control.id} choices`);
      assert.equal(control.value, entry.default, `#${control.id} shows the default`);
    } else if (entry.kind === 'bool') {
      assert.equal(control.type, 'checkbox', `#${control.id} is a switch`);
      assert.equal(control.checked, entry.default !== '0', `#${control.id} shows the default`);
    } else {
      assert.equal(control.value, entry.default, `#${control.id} shows the default`);
    }
  }
  assert.equal(
    await page.$eval('#setting-lr', (e) => e.closest('.field').querySelector('label').textContent),
    schema.lr.label,
  );
  assert.deepEqual(errors, []);
  await page.close();
});

test('index.html holds no range or default of a number or range input', async () => {
  const html = await (await fetch(browser.url)).text();
  const inputs = html.match(/<input[^>]*type="(number|range)"[^>]*>/g) ?? [];
  assert.ok(inputs.length >= 4, inputs.join('\n'));
  for (const input of inputs) assert.doesNotMatch(input, /\s(min|max|step|value)=/, input);
});
