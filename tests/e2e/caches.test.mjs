// Article 6, "When a 99% cache hit ratio means nothing", as a reader uses
// it: the flash sale whose hit ratio never moves while the database
// saturates, the stampede on a hot key and its cures, and the hit ratios
// of theory beside the simulation.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setup, stats, statsChangedFrom, widgetReady, withPage } from './helpers.mjs';

const ARTICLE = '#/articles/caches';
let site;

before(async () => { site = await setup(); });
after(async () => { await site?.close(); });

describe('article 6: caches', () => {
  test('the flash sale: 98% of requests hit, yet most of the work misses and the sale saturates the database', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 0);
      // One worker per database server, in the singular; two, in the plural.
      const workers = w.locator('.knob-range:has(input[data-path="servers[0].workers"])');
      assert.equal(await workers.locator('output').innerText(), '1 worker');
      assert.equal(await workers.locator('input').getAttribute('aria-valuetext'), '1 worker');
      const [sale] = await stats(w);
      assert.ok(sale.hit_ratio >= 0.98, `hit ratio ${sale.hit_ratio}`);
      // The diagram's ratio is the player's moment, and says so.
      assert.match(await w.locator('svg.flow .flow-cache').first().textContent(), /^Cache at 240 s: \d+\.\d% hits; misses reach the servers$/);
      assert.ok(sale.cost_miss_ratio > 0.9, `work not avoided ${sale.cost_miss_ratio}`);
      assert.ok(sale.p50 > 4000, `the database's median ${sale.p50}`);
      const summary = await w.locator('figure.chart[data-chart=cache] .chart-summary').innerText();
      assert.match(summary, /^The cache answered 98\.\d% of requests, yet 9\d\.\d% of the backend work asked for still reached the backend/);
      // Without the sale (compare mode's side B), the same hit ratio and no pile-up.
      await w.locator('.compare input[type=checkbox]').check();
      const [, calm] = await statsChangedFrom(w, [sale]);
      assert.ok(Math.abs(calm.hit_ratio - sale.hit_ratio) < 0.005, `${calm.hit_ratio} vs ${sale.hit_ratio}`);
      assert.ok(calm.p50 < 10, `the database's median without the sale ${calm.p50}`);
      // Side by side, each diagram's heading fits inside it.
      const past = await w.locator('svg.flow').evaluateAll((flows) => flows.map((svg) => {
        const right = svg.getBoundingClientRect().right;
        return svg.querySelector('.flow-cache').getBoundingClientRect().right - right;
      }));
      assert.equal(past.length, 2);
      assert.ok(past.every((d) => d <= 1), `headings past their diagram by ${past} px`);
    });
  });

  test('the stampede: without protection each expiry recomputes many times; coalesced, exactly once', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 1);
      const [none, coalesced] = await stats(w);
      assert.ok(none.recomputations_per_expiry > 10, JSON.stringify(none));
      assert.equal(coalesced.recomputations_per_expiry, 1);
      assert.ok(none.logical_p99 > 10 * coalesced.logical_p99, `p99 ${none.logical_p99} vs ${coalesced.logical_p99}`);
      // Serving stale answers every request from the cache.
      const before = await stats(w);
      await w.locator('.widget-controls > .knobs select[data-path="cache.protection"]').selectOption('stale_while_revalidate');
      const [stale] = await statsChangedFrom(w, before);
      assert.equal(stale.hit_ratio, 1);
    });
  });

  test('the maths: LRU at Che\'s approximation, perfect LFU at the static optimum', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 2);
      const [lru, lfu] = await stats(w);
      for (const [name, s] of [['LRU', lru], ['LFU', lfu]]) {
        assert.ok(Math.abs(s.hit_ratio - s.theory_hit_ratio) / s.theory_hit_ratio < 0.01, `${name}: ${JSON.stringify(s)}`);
      }
      assert.ok(lfu.hit_ratio > lru.hit_ratio + 0.1);
      // A bigger cache: theory and simulation move together.
      const before = await stats(w);
      const cap = w.locator('.widget-controls > .knobs input[data-path="cache.capacity"]');
      await cap.focus();
      for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
      const [bigger] = await statsChangedFrom(w, before);
      assert.ok(bigger.theory_hit_ratio > lru.theory_hit_ratio, JSON.stringify(bigger));
      assert.ok(Math.abs(bigger.hit_ratio - bigger.theory_hit_ratio) / bigger.theory_hit_ratio < 0.02, JSON.stringify(bigger));
    });
  });
});
