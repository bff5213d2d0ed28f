// Article 2, "The retry budget that amplified load", as a reader uses it:
// the storm and its fix side by side, knobs that end it, share links and
// embeds that reproduce it, hostile link values, and the layered widget.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectClean, hashQuery, open, setup, stats, statsChangedFrom, until, widget, widgetReady, withPage } from './helpers.mjs';

const ARTICLE = '#/articles/retries';
let site;

before(async () => { site = await setup(); });
after(async () => { await site?.close(); });

const notices = (scope) => scope.locator('.notice').evaluateAll(
  (ns) => ns.map((n) => n.textContent.replace(/\s+/g, ' ').trim()),
);


describe('article 2: retries', () => {
  test('the storm widget compares the storm with the retry budget: stuck beside recovered', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 0);
      const [storm, fixed] = await stats(w);
      assert.ok(!Number.isFinite(storm.recovered), 'without the budget the storm never ends');
      assert.ok(Number.isFinite(fixed.recovered) && fixed.recovered <= 60, `recovered after ${fixed.recovered} s`);
      assert.ok(storm.goodput < 8 && fixed.goodput > 45, `goodput ${storm.goodput} vs ${fixed.goodput}`);
      assert.ok(storm.amplification > 3.5 && fixed.amplification < 1.1);
      assert.match(await w.locator('.stat[data-stat=recovered] dd').first().innerText(), /did not recover/);
      // The latency chart says that its percentiles cannot see the requests that never finished.
      const latency = await w.locator('figure.chart[data-chart=latency] .chart-summary').innerText();
      assert.match(latency, /9\d% of requests did not succeed \(they failed or never finished\)/);
      // "did not recover" wraps to two lines on one side only; the two
      // diagrams still start at one height.
      const [a, b] = await w.locator('.side .flow').evaluateAll((f) => f.map((e) => e.getBoundingClientRect().top));
      assert.ok(Math.abs(a - b) <= 1, `diagrams at ${a} and ${b}`);
    });
  });

  test('turning on adaptive throttling ends the storm and goes into the URL', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 0);
      const before = await stats(w);
      await w.locator('input[data-path="client.throttle.enabled"]').check();
      const after = await statsChangedFrom(w, before);
      assert.ok(Number.isFinite(after[0].recovered), `side A recovers with the throttle: ${after[0].recovered}`);
      assert.ok(after[0].goodput > 40, `goodput ${after[0].goodput}`);
      const q = (await hashQuery(page)).params;
      assert.equal(q.get('w0.client.throttle.enabled'), 'true');
    });
  });

  test('a share link with fewer retries reproduces the numbers in a fresh page', async () => {
    const page = await site.open(ARTICLE);
    const w = await widgetReady(page, 0);
    const before = await stats(w);
    await w.locator('input[data-path="client.retries"]').focus();
    await page.keyboard.press('Home');
    const numbers = await statsChangedFrom(w, before);
    assert.ok(Number.isFinite(numbers[0].recovered), 'no retries: the spike drains');
    const link = await until(
      () => w.locator('input.share-link').inputValue(),
      (v) => v.includes('w0.client.retries=0'),
      { what: 'the share link to carry the retries' },
    );
    const fresh = await open(site.context, link);
    const w2 = await widgetReady(fresh, 0);
    assert.deepEqual(await stats(w2), numbers);
    assert.equal(await w2.locator('.notice').count(), 0);
    await expectClean(page, fresh);
  });

  test('the layered widget shows four attempts per request and 64 per request at the bottom, drawn layer by layer', async () => {
    await withPage(site, `${ARTICLE}/widget-1`, async (page) => {
      const w = await widgetReady(page, 1);
      const [s] = await stats(w);
      assert.ok(Math.abs(s.amplification - 4) < 0.05, `amplification ${s.amplification}`);
      const perRequest = s.service_arrivals / s.logical_arrived;
      assert.ok(perRequest > 60 && perRequest <= 64, `${perRequest} attempts per request at the database`);
      // The flow diagram draws one block per layer of the topology.
      assert.equal(await w.locator('svg.flow').first().locator('.flow-service-block').count(), 3);
      // The failing share reads as a percentage.
      const share = w.locator('.knob-range:has(input[data-path="faults[0].probability"])');
      assert.equal(await share.locator('output').innerText(), '100% of attempts');
    });
  });

  test('hostile link values are named, shown as text, and the preset runs', async () => {
    const evil = encodeURIComponent('<img src=x onerror="window.pwned=1">');
    const hash = `${ARTICLE}?w0.client.retries=1e9&w0.client.backoff.kind=${evil}&w0.client.budget.enabled=maybe`;
    await withPage(site, hash, async (page) => {
      const w = await widgetReady(page, 0);
      const text = (await notices(w)).join(' ');
      assert.match(text, /Retries per request must be a number from 0 to 10 retries, got "1e9"/);
      assert.match(text, /Backoff must be one of none, constant, exponential, got "<img src=x onerror="window.pwned=1">"/);
      assert.match(text, /Retry budget must be true or false, got "maybe"/);
      assert.equal(await page.locator('img[src=x]').count(), 0, 'nothing injected');
      assert.equal(await page.evaluate(() => window.pwned), undefined);
      const [storm] = await stats(w);
      assert.ok(!Number.isFinite(storm.recovered), 'the preset runs');
    });
  });

  test('the sweep map fills in Web Workers while the page stays responsive, and a cell loads into the widget', { timeout: 120_000 }, async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 0);
      const map = w.locator('figure.sweep-map');
      assert.equal(await map.getAttribute('data-total'), '400');
      // While cells come in, the page still paints frames promptly.
      await until(() => map.getAttribute('data-done'), (d) => Number(d) > 0, { timeout: 30_000, what: 'a first cell' });
      const frame = await page.evaluate(() => new Promise((r) => {
        const t0 = performance.now();
        requestAnimationFrame(() => r(performance.now() - t0));
      }));
      assert.ok(frame < 250, `a frame took ${frame} ms while the map ran`);
      assert.ok(page.workers().length >= 1, 'the map runs in workers');
      await until(() => map.getAttribute('data-done'), (d) => d === '400', { timeout: 60_000, what: 'every cell' });
      const status = await map.locator('.map-status').innerText();
      assert.match(status, /^400 runs: \d+ recovered, \d+ stuck/);
      const stuck = await map.locator('.map-cell.stuck').count();
      const recovered = await map.locator('.map-cell.recovered').count();
      assert.ok(stuck > 200 && recovered > 20, `${recovered} recovered, ${stuck} stuck`);
      // Click a light-load cell with a big spike: it loads into the widget.
      const cell = map.getByRole('button', { name: /^Arrival rate 30 req\/s, rate during the change 155 req\/s: stuck/ });
      await cell.click();
      await until(() => hashQuery(page), (q) => q.params.get('w0.traffic.rate_rps') === '30'
        && q.params.get('w0.traffic.changes[0].rate_rps') === '155', { what: 'the cell in the URL' });
      assert.equal(await w.locator('input[data-path="traffic.rate_rps"]').inputValue(), '30');
      assert.equal(await cell.getAttribute('aria-pressed'), 'true');
      const [a] = await until(() => stats(w), (s) => !Number.isFinite(s[0].recovered), { what: 'the stuck run' });
      assert.ok(a.goodput < 10, `goodput ${a.goodput}`);
      // The map did not restart: only its two knobs moved.
      assert.equal(await map.getAttribute('data-done'), '400');
      // At desktop width the map, its captions and its legend stand in one
      // centred column, not against the left edge.
      const [fig, grid, legend] = [await map.boundingBox(), await map.locator('.map-grid').boundingBox(),
        await map.locator('.map-legend').boundingBox()];
      const [left, right] = [grid.x - fig.x, fig.x + fig.width - (grid.x + grid.width)];
      assert.ok(left > 100 && Math.abs(left - right) < 4, `map centred: ${left} px left, ${right} px right`);
      assert.ok(Math.abs(legend.x - grid.x) < 2, 'the legend starts under the map');
    });
  });

  test('moving a knob cancels the map and runs it again with the new setting', { timeout: 120_000 }, async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 0);
      const map = w.locator('figure.sweep-map');
      await until(() => map.getAttribute('data-done'), (d) => Number(d) > 10, { timeout: 30_000, what: 'some cells' });
      await w.getByRole('checkbox', { name: 'Retry budget', exact: true }).check();
      await until(() => map.getAttribute('data-done'), (d) => Number(d) < 10, { what: 'the map to restart' });
      await until(() => map.getAttribute('data-done'), (d) => d === '400', { timeout: 60_000, what: 'every cell' });
      const recovered = await map.locator('.map-cell.recovered').count();
      assert.ok(recovered > 300, `with the budget ${recovered} of 400 recover`);
    });
  });

  test('an embed of the storm widget reproduces the article in the same state, storm beside fix', async () => {
    await withPage(site, '#/embed/retries/0?show=client.retries,client.throttle.enabled&client.retries=1', async (page) => {
      const w = await widgetReady(page, 0);
      assert.equal(await page.locator('main.embed').count(), 1);
      assert.equal(await page.locator('.site-header, .site-footer').count(), 0, 'no site chrome');
      // The knobs in show=, in the widget's order, and the comparison's own
      // switch (the retry budget, on one side only).
      assert.deepEqual(
        [...new Set(await w.locator('[data-path]').evaluateAll((els) => els.map((e) => e.dataset.path)))].sort(),
        ['client.budget.enabled', 'client.retries', 'client.throttle.enabled'],
        'only the knobs in show=, and the comparison switch',
      );
      assert.equal(await w.locator('.stat[data-stat=goodput]').count(), 2, 'both sides of the comparison');
      const embedded = await stats(w);
      const article = await site.open(`${ARTICLE}?w0.client.retries=1`);
      assert.deepEqual(await stats(await widgetReady(article, 0)), embedded, 'the article in the same state');
      const back = page.locator('.embed-credit a');
      assert.match(await back.innerText(), /From “The retry budget that amplified load” on Brownout/);
      assert.equal(await back.getAttribute('href'), '#/articles/retries/widget-0');

      // A knob moved in the embed goes into its own query, unprefixed.
      await w.locator('input[data-path="client.throttle.enabled"]').first().check();
      await statsChangedFrom(w, embedded);
      const { params } = await hashQuery(page);
      assert.equal(params.get('client.throttle.enabled'), 'true');
      assert.equal(params.get('client.retries'), '1');
      await expectClean(article);
    });
  });

  test('at phone width article 2 fits the screen', async () => {
    await withPage(site, ARTICLE, async (page) => {
      await page.setViewportSize({ width: 375, height: 812 });
      await widgetReady(page, 0);
      await page.waitForTimeout(300); // let the charts re-layout
      const { scrollWidth, clientWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      assert.ok(scrollWidth <= clientWidth + 1, `page is ${scrollWidth}px wide in a ${clientWidth}px viewport`);
      assert.ok(await widget(page, 0).locator('figure.chart canvas').count() >= 3);
    });
  });
});
