// Article 3, "Exponential backoff and jitter", as a reader uses it: 100
// clients contending for one record, full jitter beside no jitter, the
// timeline of every write, and backoff under open traffic.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashQuery, setup, stats, statsChangedFrom, until, widgetReady, withPage } from './helpers.mjs';

const ARTICLE = '#/articles/backoff';
let site;

before(async () => { site = await setup(); });
after(async () => { await site?.close(); });


describe('article 3: backoff and jitter', () => {
  test('full jitter beside no jitter: fewer than half the writes, and a timeline of every write', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 0);
      const [full, none] = await stats(w);
      assert.ok(full.writes < 0.5 * none.writes, `full jitter ${full.writes} writes vs no jitter ${none.writes}`);
      assert.ok(full.makespan < none.makespan, `full jitter done after ${full.makespan} ms, no jitter ${none.makespan} ms`);
      const summary = await w.locator('figure.chart[data-chart=timeline] .chart-summary').innerText();
      assert.match(summary, /100 clients made [\d,]+ writes/);
      assert.equal(await w.locator('.flow').count(), 0, 'no flow diagram: there are no servers');
    });
  });

  test('fewer clients means fewer writes, and the knob goes into the URL', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 0);
      const before = await stats(w);
      const clients = w.locator('.widget-controls > .knobs input[type=range][data-path="contention.clients"]');
      await clients.focus();
      await page.keyboard.press('Home');
      const [few] = await statsChangedFrom(w, before);
      assert.ok(few.writes < before[0].writes, `${few.writes} writes for 10 clients`);
      assert.equal((await hashQuery(page)).params.get('w0.contention.clients'), '10');
    });
  });

  test('under open traffic, backoff leaves the storm\'s amplification where it was', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 1);
      const [none, expo] = await stats(w);
      assert.ok(Math.abs(none.amplification - expo.amplification) < 0.1 * none.amplification,
        `amplification ${none.amplification} without backoff, ${expo.amplification} with`);
      assert.ok(!Number.isFinite(expo.recovered), 'backoff alone does not end the storm');
    });
  });
});
