// Article 5, "Why your connection pool of 100 is killing performance", as
// a reader uses it: a restart's burst that 2,048 connections never drain
// and 96 do, the pool-size sweep beside the theory of a full pool, and slow
// queries starving a pool that a bigger pool does not save.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { setup, stats, statsChangedFrom, until, widgetReady, withPage } from './helpers.mjs';

const ARTICLE = '#/articles/pools';
let site;

before(async () => { site = await setup(); });
after(async () => { await site?.close(); });

describe('article 5: connection pools', () => {
  test('2,048 connections leave the database stuck with 2,048 sessions; 96 serve twice the queries in milliseconds', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 0);
      const [big, small] = await stats(w);
      assert.ok(big.active_sessions > 2000, JSON.stringify(big));
      assert.ok(big.p50 > 2000, `median with 2,048: ${big.p50}`);
      assert.ok(small.p50 < 5, `median with 96: ${small.p50}`);
      assert.ok(small.db_throughput_qps > 1.8 * big.db_throughput_qps, `${small.db_throughput_qps} vs ${big.db_throughput_qps}`);
      // The theory beside the simulation: a full pool runs at MVA's figure.
      assert.ok(Math.abs(big.db_throughput_qps / big.capacity_qps - 1) < 0.03, JSON.stringify(big));
      // The flow draws the pool and the database at the player's time.
      const [flowA, flowB] = await w.locator('svg.flow').evaluateAll((f) => f.map((x) => x.getAttribute('aria-label')));
      assert.match(flowA, /^At 10 s: 2048 of 2048 connections in use, [\d]+ threads waiting for one, 2048 sessions in a database of 8 cores$/);
      assert.match(flowB, /^At 10 s: \d of 96 connections in use, 0 threads waiting for one, \d+ sessions in a database of 8 cores$/);
      const summary = await w.locator('figure.chart[data-chart=pool] .chart-summary').innerText();
      assert.match(summary, /2,048 connections, 100% in use; a query waited .+ for one, then spent .+ in the database/);
    });
  });

  test('a link with the pool at the rule of thumb drains the burst on side A too', async () => {
    await withPage(site, `${ARTICLE}/widget-0?w0.pool.size=20`, async (page) => {
      const w = await widgetReady(page, 0);
      const [twenty] = await stats(w);
      assert.ok(twenty.p50 < 10, `median with 20 connections: ${twenty.p50}`);
      assert.ok(twenty.active_sessions <= 20, JSON.stringify(twenty));
      assert.equal(await w.locator('.widget-controls > .knobs input[data-path="pool.size"]').inputValue(), '20');
    });
  });

  test('the pool-size sweep fills in a worker: a plateau, then a cliff, on the theory\'s line where the pool is full', { timeout: 120_000 }, async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 0);
      const curves = w.locator('figure.sweep-curves');
      assert.equal(await curves.getAttribute('data-total'), '31', '31 pool sizes');
      await until(() => curves.getAttribute('data-done'), (d) => d === '31', { timeout: 60_000, what: 'every pool size' });
      const label = await curves.locator('canvas').getAttribute('aria-label');
      assert.match(label, /Rule of thumb: 20\. Measured best: \d+\./);
      const [file] = await Promise.all([page.waitForEvent('download'), curves.getByRole('button', { name: /CSV/ }).click()]);
      const rows = fs.readFileSync(await file.path(), 'utf8').trim().split('\n');
      assert.equal(rows[0], 'line,pool.size,database.throughput_qps,latency_ms.p99,database.capacity_qps');
      const points = rows.slice(1).map((r) => r.split(',').slice(1).map(Number));
      assert.equal(points.length, 31);
      const at = (n) => points.find(([x]) => x === n);
      assert.ok(at(80)[1] > 2900, `plateau at 80: ${at(80)}`);
      assert.ok(at(2048)[1] < 1600, `cliff at 2,048: ${at(2048)}`);
      // Where every connection is busy (too few, or stuck full), the
      // simulation lies on the theory's line.
      for (const [x, thr, , cap] of points.filter(([x]) => x <= 6 || x >= 1024)) {
        assert.ok(Math.abs(thr / cap - 1) < 0.03, `pool ${x}: ${thr} vs MVA ${cap}`);
      }
    });
  });

  test('slow queries starve the pool: waits hit the acquire timeout and a bigger pool only stretches time in the database', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 1);
      const [healthy] = await stats(w);
      assert.ok(healthy.goodput > 1900, JSON.stringify(healthy));
      await w.locator('.compare input[type=checkbox]').check();
      const [, starved] = await statsChangedFrom(w, [healthy]);
      assert.ok(starved.goodput < 1300, JSON.stringify(starved));
      assert.ok(starved.pool_wait_ms > 200 && starved.pool_wait_ms <= 250, JSON.stringify(starved));
      assert.ok(starved.acquire_timeouts > 1000, JSON.stringify(starved));
    });
  });
});
