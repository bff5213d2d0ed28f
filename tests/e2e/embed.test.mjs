// The chrome-less embed route, alone and inside an iframe.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectClean, hashQuery, setup, stats, track, until, widget, widgetReady, withPage } from './helpers.mjs';

let site;

before(async () => { site = await setup(); });
after(async () => { await site?.close(); });

describe('embed', () => {
  test('the embed route renders one widget without the site header, limited by show, with a link back', async () => {
    const hash = '#/embed/round-robin/0?show=traffic.rate_rps&height=600';
    await withPage(site, hash, async (page) => {
      const w = await widgetReady(page, 0);
      assert.equal(await page.locator('main.embed').count(), 1);
      assert.equal(await page.locator('.site-header, .site-footer, .skip-link').count(), 0, 'no site chrome');
      assert.equal(await page.locator('section.widget').count(), 1);
      assert.deepEqual(await w.locator('[data-path]').evaluateAll((els) => els.map((e) => e.dataset.path)),
        ['traffic.rate_rps'], 'only the knobs in show=');
      assert.equal(await w.locator('input.share-link, .share').count(), 0, 'no share panel');
      assert.equal(await page.locator('.embed-frame').evaluate((e) => e.style.height), '600px');
      const back = page.locator('.embed-credit a');
      assert.equal(await back.innerText(), 'From “When round robin fails” on Brownout ↗');
      assert.equal(await back.getAttribute('href'), '#/articles/round-robin/widget-0');
      assert.equal(await back.getAttribute('target'), '_top');

      // Its state lives in the query, unprefixed, next to show and height.
      const before = await stats(w);
      await w.locator('input[data-path="traffic.rate_rps"]').focus();
      await page.keyboard.press('ArrowLeft');
      await until(() => stats(w), (s) => s[0].p99 !== before[0].p99, { what: 'new numbers' });
      const { params } = await hashQuery(page);
      assert.deepEqual([...params], [['show', 'traffic.rate_rps'], ['height', '600'], ['traffic.rate_rps', '135']]);
    });
  });

  test('without show the embed has every knob, and the same numbers as the article', async () => {
    await withPage(site, '#/embed/round-robin/1', async (page) => {
      const w = await widgetReady(page, 1);
      assert.ok(await w.locator('[data-path="balancer.policy"]').count() >= 1);
      const embedded = await stats(w);
      const article = await site.open('#/articles/round-robin');
      assert.deepEqual(await stats(await widgetReady(article, 1)), embedded);
      await expectClean(article);
    });
  });

  test('a note about the embed link sits inset, like the credit, at desktop and phone width', async () => {
    for (const width of [1280, 375]) {
      await withPage(site, '#/embed/playground', async (page) => {
        await page.setViewportSize({ width, height: 800 });
        // The note is drawn again once the scenario is open: measure that one.
        await page.locator('.embed-frame .embed-credit').waitFor();
        const note = page.locator('.embed-frame > .notice');
        assert.match(await note.innerText(), /carries no scenario/);
        const box = await note.boundingBox();
        assert.ok(box.x >= 8 && box.x + box.width <= width - 8, `${width}: inset, got ${box.x} + ${box.width}`);
      });
    }
  });

  test('inside an iframe the link back opens the article in the top window', async () => {
    const page = track(await site.context.newPage());
    await page.goto(`${site.server.url}missing-page-for-iframe-host`);
    await page.setContent(`<!doctype html><title>host</title><h1>A blog</h1>
      <iframe src="${site.url('#/embed/round-robin/0?show=traffic.rate_rps')}" title="Brownout" width="100%" height="800"></iframe>`);
    const frame = page.frameLocator('iframe');
    await frame.locator('section.widget .stat[data-stat=p99] dd[data-value]').waitFor();
    assert.equal(await frame.locator('.site-header').count(), 0);
    await frame.locator('.embed-credit a').click();
    await page.waitForURL(/#\/articles\/round-robin\/widget-0$/);
    await widgetReady(page, 0);
    assert.equal(await page.locator('section.widget').count() >= 3, true);
    // The 404 of the blank host page is not the app's error.
    page.errors = page.errors.filter((e) => !/404/.test(e));
    await expectClean(page);
  });
});
