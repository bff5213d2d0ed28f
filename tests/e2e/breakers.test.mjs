// Article 4, "When one slow service took down a region", as a reader uses
// it: the metadata-service loop with breakers off and on, the breaker that
// never trips, and the breaker that trips on healthy traffic.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashQuery, setup, stats, statsChangedFrom, widgetReady, withPage } from './helpers.mjs';

const ARTICLE = '#/articles/breakers';
let site;

before(async () => { site = await setup(); });
after(async () => { await site?.close(); });

describe('article 4: circuit breakers', () => {
  test('without breakers the loop never recovers; with them it does, and the breakers chart shows them open', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 0);
      const [off, on] = await stats(w);
      assert.ok(!Number.isFinite(off.recovered), `no breakers: recovered ${off.recovered}`);
      assert.ok(on.recovered >= 15 && on.recovered <= 30, `breakers: recovered after ${on.recovered} s`);
      assert.ok(on.goodput > 5 * off.goodput, `goodput ${off.goodput} → ${on.goodput}`);
      assert.equal(off.opened, 0, 'no breakers, none opened');
      assert.ok(on.opened > 300 && on.short_circuited > 1000, JSON.stringify(on));
      const summary = await w.locator('figure.chart[data-chart=breakers] .chart-summary').innerText();
      assert.match(summary, /no circuit breakers\. .*300 breakers opened [\d,]+ times, at most \d+ open at once/);
      // The sides are named by the toggle, without a colon to collide with the captions'.
      assert.deepEqual(await w.locator('.stats-label').allInnerTexts(), ['Circuit breaker off', 'Circuit breaker on']);
      const goodput = await w.locator('figure.chart[data-chart=goodput] .chart-summary').innerText();
      assert.match(goodput, /^Circuit breaker off: [\d.]+ requests per second offered, .* [\d.]+ attempts per request/);
    });
  });

  test('switching the slowdown off gives a healthy service, and the toggle goes into the URL', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 0);
      const before = await stats(w);
      await w.locator('.widget-controls > .knobs input[type=checkbox][data-path="faults[0].enabled"]').uncheck();
      const [healthy] = await statsChangedFrom(w, before);
      assert.ok(healthy.goodput > 90, `healthy goodput ${healthy.goodput}`);
      assert.equal((await hashQuery(page)).params.get('w0.faults[0].enabled'), 'false');
    });
  });

  test('a breaker that needs 100 calls in a 30-second window never opens; 5 calls are enough', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 1);
      const [never, five] = await stats(w);
      assert.equal(never.opened, 0);
      assert.ok(!Number.isFinite(never.recovered), 'never trips, never recovers');
      assert.ok(five.opened > 300 && Number.isFinite(five.recovered), JSON.stringify(five));
    });
  });

  test('slow calls counted past 60 s never open the breaker; past 800 ms they do, and the fallback keeps requests within the SLO', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 2);
      const [slow, counted] = await stats(w);
      assert.equal(slow.opened, 0);
      assert.ok(counted.opened > 0 && counted.short_circuited > 1000, JSON.stringify(counted));
      assert.ok(counted.within_slo > slow.within_slo + 0.1, `within the SLO ${slow.within_slo} → ${counted.within_slo}`);
      assert.ok(counted.logical_p90 < slow.logical_p90 / 5, `p90 ${slow.logical_p90} → ${counted.logical_p90}`);
    });
  });

  test('a window of 4 calls trips on healthy traffic; a window of 100 does not', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 5);
      const [eager, calm] = await stats(w);
      assert.ok(eager.opened >= 20 && eager.open_s > 100, JSON.stringify(eager));
      assert.equal(calm.opened, 0);
      assert.ok(calm.goodput > 2 * eager.goodput, `goodput ${eager.goodput} vs ${calm.goodput}`);
      // Nothing triggers here (the errors last the whole run): the caption
      // says how goodput fared from the start, not "after the last trigger".
      const caption = await w.locator('figure.chart[data-chart=goodput] .chart-summary').innerText();
      assert.doesNotMatch(caption, /after the last trigger/);
      assert.match(caption, /it (never )?kept up with the offered load/);
    });
  });

  test('one breaker for two dependencies barely opens and the metadata queue stays long; per dependency or per server it drains', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 4);
      const [shared, perDependency] = await stats(w);
      assert.ok(shared.opened <= 10, `one breaker per node opened ${shared.opened} times`);
      assert.ok(shared.server_queue > 300, `metadata queue ${shared.server_queue}`);
      assert.ok(perDependency.opened >= 90 && perDependency.server_queue < 60, JSON.stringify(perDependency));
      assert.ok(perDependency.goodput > shared.goodput + 40, `goodput ${shared.goodput} → ${perDependency.goodput}`);
      // Side A to one breaker per server instance: 50 nodes × 6 servers.
      const before = await stats(w);
      await w.locator('.widget-controls > .knobs select[data-path="client.breaker.scope"]').selectOption('server');
      const [perServer] = await statsChangedFrom(w, before);
      assert.ok(perServer.opened >= 150, `per server: opened ${perServer.opened} times`);
      assert.ok(perServer.server_queue > perDependency.server_queue && perServer.server_queue < shared.server_queue,
        `queues: ${shared.server_queue} (client) > ${perServer.server_queue} (server) > ${perDependency.server_queue} (dependency)`);
      const summary = await w.locator('figure.chart[data-chart=breakers] .chart-summary').first().innerText();
      assert.match(summary, /300 breakers/, summary);
      assert.equal((await hashQuery(page)).params.get('w4.client.breaker.scope'), 'server');
    });
  });

  test('a 10-minute window opens the breakers late; a 10-second one recovers in seconds', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 3);
      const [long, short] = await stats(w);
      assert.ok(long.recovered > 60 && short.recovered < 30, `recovered after ${long.recovered} s vs ${short.recovered} s`);
    });
  });
});
