// Article 1's revised widgets, as a reader uses them: queueing theory's
// values beside the simulated ones, round robin's stability threshold,
// balancers with old information herding, and a server that dies.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setup, stats, statsChangedFrom, until, widgetReady, withPage } from './helpers.mjs';

const ARTICLE = '#/articles/round-robin';
let site;

before(async () => { site = await setup(); });
after(async () => { await site?.close(); });


/** The text of stat `key` on each side of `w`. */
const statText = (w, key) => w.locator(`.stat[data-stat=${key}] dd`).allInnerTexts();

describe('article 1: theory beside the simulation', () => {
  test('the mathematics widget shows each policy\'s formula next to its simulated mean', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 3);
      const [random, two] = await stats(w);
      assert.equal(Math.round(random.theory_policy), 1000, 'M/M/1 at 90%: ten service times');
      assert.ok(Math.abs(random.mean - 1000) < 150, `random simulated mean ${random.mean} ms`);
      assert.equal(Math.round(two.theory_policy), 261, 'the supermarket model');
      assert.ok(two.mean > 250 && two.mean < 320, `two choices simulated mean ${two.mean} ms`);
      for (const side of [random, two]) assert.equal(Math.round(side.theory_shared_queue), 128);
      assert.ok(random.theory_random_queue5 > 0.5 && two.theory_two_choices_queue5 < 0.05);
      // Least connections has no closed form: the row says so.
      const before = await stats(w);
      await w.locator('.widget-controls > .knobs select[data-path="balancer.policy"]').selectOption('least_connections');
      const [lc] = await statsChangedFrom(w, before);
      assert.ok(lc.mean > lc.theory_shared_queue, `least connections ${lc.mean} ms above the M/M/20 bound`);
      assert.equal((await statText(w, 'theory_policy'))[0], 'no formula');
    });
  });

  test('the 2 AM widget shows round robin overloading legacy boxes until their speed passes 0.7', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 0);
      const [before] = await stats(w);
      assert.equal(before.theory_rr_max_utilization, 1.4);
      assert.equal(before.theory_rr_limit, 100);
      assert.ok(before.within_slo > 0.68 && before.within_slo < 0.72, `within the SLO ${before.within_slo}`);
      assert.match((await statText(w, 'theory_rr_max_utilization'))[0], /^140%/);
      await w.locator('input[data-path="servers[2].speed"]').focus();
      for (let i = 0; i < 4; i += 1) await page.keyboard.press('ArrowRight');
      const [at] = await until(() => stats(w), ([s]) => Math.abs(s.theory_rr_max_utilization - 1) < 1e-9, { what: 'legacy speed 0.7' });
      assert.ok(at.within_slo < 0.8, `at the threshold the legacy queues still drift upward: ${at.within_slo}`);
      await page.keyboard.press('ArrowRight');
      const [above] = await until(() => stats(w), ([s]) => s.theory_rr_max_utilization < 0.95, { what: 'legacy speed 0.75' });
      assert.ok(above.within_slo > 0.9, `above it most requests finish within a second: ${above.within_slo}`);
    });
  });

  test('with stale views least connections herds and two random choices do not; a live view ends the herd', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 4);
      const [lc, two] = await stats(w);
      assert.ok(lc.mean > 1.4 * two.mean, `least connections ${lc.mean} ms vs two choices ${two.mean} ms`);
      assert.equal(Math.round(lc.theory_random), 1000);
      const refresh = w.locator('.widget-controls > .knobs input[type=range][data-path="balancer.view_refresh_ms"]');
      await refresh.focus();
      await page.keyboard.press('Home');
      const [live, liveTwo] = await statsChangedFrom(w, [lc, two]);
      assert.ok(live.mean < 200 && live.mean < liveTwo.mean, `live view: ${live.mean} ms vs ${liveTwo.mean} ms`);
    });
  });

  test('a server that dies: weights lose more requests to the one-second objective than least connections', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 6);
      const [weights, lc] = await stats(w);
      assert.ok(weights.within_slo < 0.98 && lc.within_slo > 0.99, `${weights.within_slo} vs ${lc.within_slo}`);
      assert.ok(weights.failed <= 5 && lc.failed <= 5, 'only the requests queued on the dead box fail');
      await w.locator('input[data-path="faults[0].enabled"]').first().uncheck();
      const [healthy] = await statsChangedFrom(w, [weights, lc]);
      assert.ok(healthy.within_slo > weights.within_slo, `without the outage: ${healthy.within_slo}`);
      assert.equal(healthy.failed, 0);
    });
  });
});
