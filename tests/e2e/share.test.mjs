// Share links, copy link and the embed snippet reproduce a widget's state.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectClean, hashQuery, open, setup, stats, statsChangedFrom, until, widget, widgetReady, withPage } from './helpers.mjs';

const ARTICLE = '#/articles/round-robin';
let site;

before(async () => { site = await setup(); });
after(async () => { await site?.close(); });


/** The share link of widget `w` once it reflects the current state (contains `expect`). */
const shareLink = (w, expect) => until(
  () => w.locator('input.share-link').inputValue(),
  (v) => expect.every((e) => v.includes(e)),
  { what: `the share link to contain ${expect.join(', ')}` },
);

/** Knob values of widget `w`, by path. */
const knobValues = (w) => w.locator('[data-path]').evaluateAll((els) => els.map((e) => [e.id, e.dataset.path, e.value]));

describe('share', () => {
  test('opening a share link in a fresh page shows identical numbers', async () => {
    const page = await site.open(ARTICLE);
    const w = await widgetReady(page, 0);
    let numbers = await stats(w);
    await w.getByRole('button', { name: 'New seed' }).click();
    numbers = await statsChangedFrom(w, numbers);
    const seed = (await w.locator('.seed').innerText()).replace('seed ', '');
    await w.locator('input[data-path="traffic.rate_rps"]').focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    numbers = await statsChangedFrom(w, numbers);
    await w.locator('input[data-path="servers[2].speed"]').focus();
    await page.keyboard.press('ArrowRight');
    numbers = await statsChangedFrom(w, numbers);

    const link = await shareLink(w, ['w0.traffic.rate_rps=130', 'w0.servers%5B2%5D.speed=0.55', `w0.seed=${seed}`]);
    assert.ok(link.startsWith(site.server.url), link);
    assert.match(link, /#\/articles\/round-robin\/widget-0\?/);
    const knobs = await knobValues(w);

    const fresh = await open(site.context, link);
    const w2 = await widgetReady(fresh, 0);
    assert.deepEqual(await stats(w2), numbers);
    assert.deepEqual(await knobValues(w2), knobs);
    assert.equal(await w2.locator('.seed').innerText(), `seed ${seed}`);
    assert.equal(await w2.locator('.notice').count(), 0, 'no complaints about the link');
    const top = await fresh.evaluate(() => document.getElementById('widget-0').getBoundingClientRect().top);
    assert.ok(Math.abs(top) < 5, `scrolled to the widget (top at ${top}px)`);
    assert.equal(await fresh.locator('input.share-link').first().inputValue(), link, 'the same link again');
    await expectClean(page, fresh);
  });

  test('a share link of a compare widget reproduces both sides', async () => {
    const page = await site.open(ARTICLE);
    const w = await widgetReady(page, 2);
    const before = await stats(w);
    await w.locator('.compare select[data-path="balancer.policy"]').selectOption('peak_ewma');
    const numbers = await statsChangedFrom(w, before);
    const link = await shareLink(w, ['w2.compare=peak_ewma']);
    const fresh = await open(site.context, link);
    const w2 = await widgetReady(fresh, 2);
    assert.deepEqual(await stats(w2), numbers);
    assert.deepEqual(await w2.locator('.stats-label').allInnerTexts(), await w.locator('.stats-label').allInnerTexts());
    await expectClean(page, fresh);
  });

  test('a share link made with compare mode turned off opens with compare mode off', async () => {
    const page = await site.open(ARTICLE);
    const w = await widgetReady(page, 1);
    await w.getByLabel('Compare side by side').uncheck();
    await until(() => w.locator('.sides > .side').count(), (n) => n === 1, { what: 'one side' });
    const link = await w.locator('input.share-link').inputValue();
    const fresh = await open(site.context, link);
    const w2 = await widgetReady(fresh, 1);
    try {
      assert.equal(await w2.locator('.sides > .side').count(), 1);
    } finally {
      await page.close();
      await fresh.close();
    }
  });

  test('copy link puts the share link on the clipboard', async () => {
    await site.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.server.url.slice(0, -1) });
    await withPage(site, `${ARTICLE}?w0.traffic.rate_rps=100`, async (page) => {
      const w = await widgetReady(page, 0);
      await w.getByRole('button', { name: 'Copy link' }).click();
      await until(() => w.locator('.share-status').innerText(), (t) => t !== '', { what: 'a status message' });
      assert.equal(await w.locator('.share-status').innerText(), 'Link copied.');
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.equal(copied, await w.locator('input.share-link').inputValue());
      assert.match(copied, /w0\.traffic\.rate_rps=100/);
    });
  });

  test('the embed button reveals options and a snippet whose iframe shows the same widget', async () => {
    const page = await site.open(`${ARTICLE}?w0.traffic.rate_rps=120`);
    const w = await widgetReady(page, 0);
    const numbers = await stats(w);
    const embed = w.getByRole('button', { name: 'Embed', exact: true });
    assert.equal(await embed.getAttribute('aria-expanded'), 'false');
    assert.equal(await w.locator('textarea.embed-snippet').count(), 0);
    await embed.click();
    assert.equal(await embed.getAttribute('aria-expanded'), 'true');
    const snippet = w.locator('textarea.embed-snippet');
    let text = await snippet.inputValue();
    assert.match(text, /^<iframe src="[^"]+#\/embed\/round-robin\/0\?traffic\.rate_rps=120&amp;height=720|^<iframe src="[^"]+#\/embed\/round-robin\/0\?traffic\.rate_rps=120&height=720/);
    assert.match(text, /title="Brownout: round-robin-2am"/);
    assert.doesNotMatch(text, /show=/);

    // Hide the speed knob and lower the height.
    await w.locator('fieldset.embed-options').getByLabel('Speed of legacy servers').uncheck();
    await w.locator('fieldset.embed-options input[type=number]').fill('500');
    text = await until(() => snippet.inputValue(), (t) => t.includes('show=') && t.includes('height=500'),
      { what: 'the snippet to follow the options' });
    assert.match(text, /show=traffic\.rate_rps"/);
    assert.match(text, /height="500"/);

    const src = text.match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
    const frame = await open(site.context, src, { wait: 'main.embed' });
    const w2 = await widgetReady(frame, 0);
    assert.deepEqual(await stats(w2), numbers);
    assert.deepEqual(await w2.locator('[data-path]').evaluateAll((els) => els.map((e) => e.dataset.path)),
      ['traffic.rate_rps']);
    await expectClean(page, frame);
  });

  test('following a share link to the article already open applies the link’s state', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 0);
      const before = await stats(w);
      await page.evaluate(() => { location.hash = '#/articles/round-robin/widget-0?w0.traffic.rate_rps=100'; });
      await until(() => w.locator('input[data-path="traffic.rate_rps"]').inputValue(), (v) => v === '100',
        { what: 'the knob to follow the link', timeout: 2000 });
      assert.notDeepEqual(await stats(w), before);
    });
  });
});
