// Article 3, "Exponential backoff and jitter", as a reader uses it: 100
// clients contending for one record, full jitter beside no jitter, the
// timeline of every write, and backoff under open traffic.

import assert from 'node:assert/strict';
import fs from 'node:fs';
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

  test('the sweep curves fill in Web Workers and show the post\'s orderings; a jitter knob does not restart them, a new seed does', { timeout: 120_000 }, async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 0);
      const curves = w.locator('figure.sweep-curves');
      assert.equal(await curves.getAttribute('data-total'), '95', '19 crowd sizes × 5 policies');
      await until(() => curves.getAttribute('data-done'), (d) => d === '95', { timeout: 60_000, what: 'every point' });
      assert.ok(page.workers().length >= 1, 'the curves run in workers');
      assert.match(await curves.locator('.map-status').innerText(), /^95 points, 1,900 runs in /);
      const label = await curves.locator('canvas').getAttribute('aria-label');
      assert.match(label, /Writes \(calls\), failed or not at 190: No backoff [\d,]+, Exponential [\d,]+/);
      const drawn = await curves.locator('canvas').evaluate((c) => {
        const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
        let ink = 0;
        for (let k = 0; k < data.length; k += 4) if (data[k] < 200) ink += 1;
        return ink;
      });
      assert.ok(drawn > 1000, `${drawn} dark pixels on the curves' canvas`);
      // The numbers, as the CSV download gives them.
      const [file] = await Promise.all([page.waitForEvent('download'), curves.getByRole('button', { name: /CSV/ }).click()]);
      const csv = fs.readFileSync(await file.path(), 'utf8').trim().split('\n');
      assert.equal(csv[0], 'line,contention.clients,contention.writes,contention.makespan_ms');
      assert.equal(csv.length, 1 + 95);
      const at = (line, n) => {
        const row = csv.find((r) => r.startsWith(`${line},${n},`)).split(',');
        return { writes: Number(row[2]), time: Number(row[3]) };
      };
      for (const n of [40, 100, 190]) {
        const [expo, full, equal, decorr] = ['Exponential', 'Full jitter', 'Equal jitter', 'Decorrelated jitter'].map((l) => at(l, n));
        assert.ok(expo.writes > decorr.writes && decorr.writes > full.writes, `${n}: writes ${JSON.stringify({ expo, decorr, full })}`);
        assert.ok(Math.abs(full.writes - equal.writes) < 0.1 * full.writes, `${n}: full ≈ equal`);
        assert.ok(expo.time > 3 * equal.time && equal.time > full.time, `${n}: time ${JSON.stringify({ expo, equal, full })}`);
      }
      // The jitter knob is set by every line: the curves stay as they are.
      await w.locator('.widget-controls > .knobs select[data-path="client.backoff.jitter"]').selectOption('equal');
      await page.waitForTimeout(400);
      assert.equal(await curves.getAttribute('data-done'), '95');
      await w.getByRole('button', { name: 'New seed' }).click();
      await until(() => curves.getAttribute('data-done'), (d) => d !== '95', { what: 'the curves to restart' });
      await until(() => curves.getAttribute('data-done'), (d) => d === '95', { timeout: 60_000, what: 'every point again' });
    });
  });
});
