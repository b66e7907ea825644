// Share links: a link copied from the page reproduces the experiment in a fresh browser and in the
// native CLI, bit for bit; hostile links give a message and a working page.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { openBrowser, openPage, setLosses, setSeeds, trainToEnd } from './browser.mjs';

const CLI = new URL('../../target/e2e/segloss', import.meta.url).pathname;

test('a copied link reproduces the runs in a fresh browser and in the CLI', async () => {
  const first = await openBrowser();
  const { page, errors } = await openPage(first.context, first.url);
  await setSeeds(page, 1);
  await page.selectOption('#scene', 'blobs');
  await setLosses(page, ['dice(per_image=false)', 'focal(gamma=1)']);
  await page.fill('#setting-ch', '16');
  await page.press('#setting-ch', 'Tab');
  await page.fill('#setting-steps', '40');
  await page.press('#setting-steps', 'Tab');
  await page.$eval('#threshold', (slider) => {
    slider.value = '0.35';
    slider.dispatchEvent(new Event('input'));
    slider.dispatchEvent(new Event('change'));
  });
  const link = await page.inputValue('#link');
  assert.match(link, /#v=1&demo=blobs&.*losses=dice\(per_image=false\);focal\(gamma=1\)/);
  assert.match(link, /&thr=0\.35$/);
  assert.match(link, /ch=16/);
  assert.match(link, /steps=40/);
  assert.match(link, /seeds=1/);
  const original = await trainToEnd(page);
  assert.equal(original.length, 2);
  assert.deepEqual(errors, []);
  await first.close();

  const second = await openBrowser();
  const opened = await openPage(second.context, link.replace(/^http:\/\/[^/]+\//, second.url));
  assert.equal(await opened.page.inputValue('#setting-ch'), '16');
  assert.equal(await opened.page.inputValue('#setting-steps'), '40');
  assert.equal(await opened.page.inputValue('#scene'), 'blobs');
  assert.equal(await opened.page.inputValue('#threshold'), '0.35');
  assert.equal(await opened.page.textContent('#threshold-value'), '0.35');
  const reproduced = await trainToEnd(opened.page);
  assert.deepEqual(
    reproduced,
    original.map((row) => ({ ...row, time: reproduced.find((r) => r.spec === row.spec).time })),
  );
  assert.deepEqual(opened.errors, []);
  await second.close();

  const cli = JSON.parse(execFileSync(CLI, ['run', '--link', link, '--json'], { encoding: 'utf8' }));
  const checksums = Object.fromEntries(cli.runs.map((run) => [run.loss, run.checksum]));
  for (const row of original) assert.equal(checksums[row.spec], row.checksum, `CLI checksum of ${row.spec}`);
  for (const run of cli.runs) {
    const row = original.find((r) => r.spec === run.loss);
    assert.equal(Number(row.dice), Number(run.heldout.dice.toFixed(3)), `CLI held-out Dice of ${run.loss}`);
  }
});

test('hostile links each give a message and a working page', async () => {
  const browser = await openBrowser();
  const cases = [
    ['#v=1&losses=<img src=x onerror=alert(1)>', /could not be read/],
    [`#v=1&seed=${'9'.repeat(100_000)}`, /could not be read.*characters long/],
    ['#v=1&lr=NaN', /learning rate must be a number, not "NaN"; used 0\.005/],
    ['#v=1&patch=-3', /patch size -3 is out of range.*used 8/],
    ['#v=1&steps=1000000000', /steps 1000000000 is out of range.*used 100000/],
    ['#v=1&k=2&aug=x', /kernel size "2" is not one of 1, 3 or 5; used 3.*augmentation must be 1 or 0/],
    ['#v=1&seed=1&seed=2', /seed is given more than once \("1" and "2"\); used the last/],
    ['#v=7', /version "7"/],
    ['#v=1&demo=nowhere', /demo scene "nowhere" is not one of/],
    ['#garbage', /not a Segloss link/],
    ['#%E0%A4%A&&==&v', /could not be read|unknown/],
  ];
  for (const [fragment, message] of cases) {
    const { page, errors } = await openPage(browser.context, browser.url + fragment);
    const text = await page.textContent('#notices');
    assert.match(text, message, `${fragment.slice(0, 60)} → ${text}`);
    assert.equal(await page.isVisible('#notices'), true, 'the notice is shown');
    const top = await page.$eval('#notices', (notices) => notices.getBoundingClientRect().bottom);
    assert.ok(top <= 900, `the notice is visible without scrolling (it ends at ${top} px)`);
    assert.equal(await page.$$eval('img', (images) => images.length), 0, 'nothing from a link becomes HTML');
    assert.equal(await page.isEnabled('#train'), true, `Train works after ${fragment.slice(0, 40)}`);
    assert.ok((await page.$$('#loss-list code')).length >= 1);
    assert.deepEqual(errors, [], fragment.slice(0, 60));
    await page.close();
  }
  await browser.close();
});

test('back and forward move between opened links; edits do not add history entries', async () => {
  const browser = await openBrowser();
  const { page, errors } = await openPage(browser.context, `${browser.url}#v=1&demo=specks&ch=8`);
  const historyLength = await page.evaluate(() => history.length);
  await page.fill('#setting-layers', '3');
  await page.press('#setting-layers', 'Tab');
  await page.fill('#setting-steps', '77');
  await page.press('#setting-steps', 'Tab');
  assert.equal(await page.evaluate(() => history.length), historyLength);
  assert.match(page.url(), /layers=3/);
  await page.goto(`${browser.url}#v=1&demo=cracks&ch=24`);
  await page.waitForFunction(() => document.querySelector('#setting-ch').value === '24');
  assert.equal(await page.inputValue('#scene'), 'cracks');
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('#setting-ch').value === '8');
  assert.equal(await page.inputValue('#scene'), 'specks');
  assert.equal(await page.inputValue('#setting-layers'), '3');
  assert.equal(await page.inputValue('#setting-steps'), '77');
  assert.deepEqual(errors, []);
  await browser.close();
});
