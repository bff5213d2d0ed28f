// A live widget: knobs (by keyboard), numbers, charts, URL state, player,
// compare mode, flow animation and reduced motion.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chartPixels, expectClean, hashQuery, launch, open, setup, stats, statsChangedFrom, until, widget, widgetReady, withPage } from './helpers.mjs';

const ARTICLE = '#/articles/round-robin';
let site;

before(async () => { site = await setup(); });
after(async () => { await site?.close(); });

/** Waits until every chart in `scope` differs from `before` and returns the new pixels. */
const chartsChangedFrom = (scope, before) => until(
  () => chartPixels(scope),
  (now) => Object.keys(before).every((k) => now[k] !== before[k]),
  { what: 'every chart to be redrawn with new pixels' },
);


describe('widget', () => {
  test('moving a knob with the keyboard changes the numbers, the chart pixels and the URL', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 0);
      const rate = w.locator('input[type=range][data-path="traffic.rate_rps"]');
      assert.equal(await rate.inputValue(), '140');
      const id = await rate.getAttribute('id');
      assert.equal(await page.locator(`label[for="${id}"]`).innerText(), 'Arrival rate');

      let numbers = await stats(w);
      let pixels = await chartPixels(w);
      assert.deepEqual(Object.keys(pixels).sort(), ['latency', 'queues', 'utilization']);

      // One step right: 140 → 145 req/s.
      await rate.focus();
      await page.keyboard.press('ArrowRight');
      assert.equal(await rate.inputValue(), '145');
      numbers = await statsChangedFrom(w, numbers);
      pixels = await chartsChangedFrom(w, pixels);
      assert.equal(await w.locator('.knob-range output').first().innerText(), '145 req/s');
      assert.equal(await rate.getAttribute('aria-valuetext'), '145 req/s');
      let { params } = await hashQuery(page);
      assert.equal(params.get('w0.traffic.rate_rps'), '145');

      // End: the maximum, 160 req/s; more load, a worse tail.
      const p99At145 = numbers[0].p99;
      await page.keyboard.press('End');
      assert.equal(await rate.inputValue(), '160');
      numbers = await statsChangedFrom(w, numbers);
      pixels = await chartsChangedFrom(w, pixels);
      assert.ok(numbers[0].p99 > p99At145, `p99 grows with the rate: ${p99At145} → ${numbers[0].p99}`);
      ({ params } = await hashQuery(page));
      assert.equal(params.get('w0.traffic.rate_rps'), '160');

      // Home: the minimum, 50 req/s; a healthy fleet.
      await page.keyboard.press('Home');
      assert.equal(await rate.inputValue(), '50');
      numbers = await statsChangedFrom(w, numbers);
      await chartsChangedFrom(w, pixels);
      assert.ok(numbers[0].p99 < 1000, `p99 at 50 req/s is under a second: ${numbers[0].p99}`);
      assert.ok(numbers[0].within_slo > 0.99, `nearly every request within a second: ${numbers[0].within_slo}`);
      ({ params } = await hashQuery(page));
      assert.equal(params.get('w0.traffic.rate_rps'), '50');

      // The other widgets keep their own state.
      assert.equal(params.get('w1.traffic.rate_rps'), null);
      const measures = await page.evaluate(() => performance.getEntriesByName('brownout-redraw').length);
      assert.ok(measures >= 3, `a brownout-redraw measure per change, got ${measures}`);
    });
  });

  test('a select knob moved with the keyboard changes the policy', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 1);
      const policy = w.locator('.widget-controls > .knobs select[data-path="balancer.policy"]');
      assert.equal(await policy.inputValue(), 'round_robin');
      const before = await stats(w);
      await policy.focus();
      await page.keyboard.press('ArrowDown');
      const chosen = await policy.inputValue();
      assert.notEqual(chosen, 'round_robin');
      const now = await statsChangedFrom(w, before);
      assert.notEqual(now[0].p99, before[0].p99, 'side A changed');
      assert.equal(now[1].p99, before[1].p99, 'side B did not');
      const { params } = await hashQuery(page);
      assert.equal(params.get('w1.balancer.policy'), chosen);
    });
  });

  test('new seed and reset to preset change and restore the run', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 0);
      const preset = await stats(w);
      assert.equal(await w.locator('.seed').innerText(), 'seed 2');
      await w.getByRole('button', { name: 'New seed' }).click();
      const seeded = await statsChangedFrom(w, preset);
      const seed = (await w.locator('.seed').innerText()).replace('seed ', '');
      assert.notEqual(seed, '2');
      assert.equal((await hashQuery(page)).params.get('w0.seed'), seed);
      await w.locator('input[data-path="servers[2].speed"]').focus();
      await page.keyboard.press('PageUp');
      await statsChangedFrom(w, seeded);
      await w.getByRole('button', { name: 'Reset to preset' }).click();
      const reset = await until(() => stats(w), (s) => JSON.stringify(s) === JSON.stringify(preset),
        { what: 'the preset numbers' });
      assert.deepEqual(reset, preset);
      assert.equal(await w.locator('.seed').innerText(), 'seed 2');
      assert.equal(await w.locator('input[data-path="servers[2].speed"]').inputValue(), '0.5');
      const { params } = await hashQuery(page);
      assert.deepEqual([...params.keys()].filter((k) => k.startsWith('w0.')), []);
    });
  });

  test('compare mode shows two sides with the same traffic and different p99', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 1);
      const toggle = w.getByLabel('Compare side by side');
      assert.equal(await toggle.isChecked(), true, 'this widget opens in compare mode');
      const sides = w.locator('.sides.compare > .side');
      assert.equal(await sides.count(), 2);
      const labels = await w.locator('.stats-label').allInnerTexts();
      assert.deepEqual(labels, ['Round robin', 'Weighted round robin']);
      let both = await stats(w);
      assert.equal(both.length, 2);
      assert.notEqual(both[0].p99, both[1].p99);
      assert.ok(both[0].p99 > 10 * both[1].p99, `weights fix the tail: ${both[0].p99} vs ${both[1].p99}`);
      // The same arrivals: both sides run on one seed; queueing theory's
      // values (the same fleet and traffic) agree on both sides.
      assert.equal(await w.locator('.seed').count(), 1);
      assert.equal(both[0].theory_square_root, both[1].theory_square_root);
      assert.equal(await w.locator('.side .flow').count(), 2, 'a flow diagram per side');
      // Each says which time it shows (the player's; the cards cover the run).
      assert.match(await w.locator('svg.flow .flow-time').first().textContent(), /^At [\d.,]+ s: time busy and requests waiting$/);

      // Side B's own knob.
      const b = w.locator('.compare select[data-path="balancer.policy"]');
      await b.selectOption('least_connections');
      both = await statsChangedFrom(w, both);
      assert.equal(await w.locator('.stats-label').nth(1).innerText(), 'Least connections');
      assert.equal((await hashQuery(page)).params.get('w1.compare'), 'least_connections');

      // Off: one column; on again: two.
      await toggle.press('Space');
      await until(() => w.locator('.sides > .side').count(), (n) => n === 1, { what: 'one side' });
      assert.equal(await w.locator('.sides.compare').count(), 0);
      assert.equal((await stats(w)).length, 1);
      assert.equal((await hashQuery(page)).params.get('w1.compare'), 'off', 'a link made now reopens with compare off');
      await toggle.press('Space');
      await until(() => w.locator('.sides.compare > .side').count(), (n) => n === 2, { what: 'two sides' });
      const again = await stats(w);
      assert.notEqual(again[0].p99, again[1].p99);
    });
  });

  test('the flow diagram fits its column, every label inside it and each server\'s in its box, side by side and on a phone', async () => {
    /** Each flow of `w`: its layout, whether its wrapper scrolls, and its text past the right edge. */
    const fit = (w) => w.locator('svg.flow').evaluateAll((flows) => flows.map((svg) => {
      const box = svg.getBoundingClientRect();
      const wrap = svg.parentElement;
      const past = [...svg.querySelectorAll('text')]
        .filter((t) => t.getBoundingClientRect().right > box.right + 1)
        .map((t) => t.textContent);
      // A server's name and load inside its box, clear of its queue.
      for (const row of svg.querySelectorAll('.flow-row')) {
        const [label, frame] = [row.querySelector('.server-label'), row.querySelector('.server-box')];
        if (label.getBoundingClientRect().right > frame.getBoundingClientRect().right + 1) past.push(label.textContent);
      }
      return { compact: svg.classList.contains('compact'), scrolls: wrap.scrollWidth > wrap.clientWidth + 1, past, px: Math.round(box.width) };
    }));
    await withPage(site, ARTICLE, async (page) => {
      // One run on a laptop: the wide layout.
      let flows = await fit(await widgetReady(page, 0));
      assert.deepEqual(flows.map((f) => [f.compact, f.scrolls, f.past]), [[false, false, []]]);
      // Side by side (widget 1 opens comparing): compact, both whole.
      const compared = await widgetReady(page, 1);
      flows = await fit(compared);
      assert.deepEqual(flows.map((f) => [f.compact, f.scrolls, f.past]), [[true, false, []], [true, false, []]]);
      // Round robin's legacy queues run to thousands, grouped as elsewhere.
      const queues = await compared.locator('svg.flow').first().locator('.queue-label').allTextContents();
      assert.ok(queues.some((q) => /^\d,\d{3} waiting$/.test(q)), queues.join(' | '));
      // A phone: compact, whole, and no smaller than 300 px.
      await page.setViewportSize({ width: 375, height: 812 });
      const w = widget(page, 0);
      await until(() => fit(w), (f) => f.length === 1 && f[0].compact, { what: 'the compact layout at 375 px' });
      for (const i of [0, 1]) {
        for (const f of await fit(widget(page, i))) {
          assert.deepEqual([f.compact, f.scrolls, f.past], [true, false, []], `widget ${i} at 375 px: ${JSON.stringify(f)}`);
          assert.ok(f.px >= 300, `drawn ${f.px} px wide`);
        }
      }
    });
  });

  test('sliders and menus of one row of knobs line up when a label wraps', async () => {
    // Widget 4's refresh knob has a label that wraps to three lines at 1,280 px.
    await withPage(site, `${ARTICLE}/widget-4`, async (page) => {
      const w = await widgetReady(page, 4);
      const rows = await w.locator('.knobs > .knob-range, .knobs > .knob-select').evaluateAll((knobs) => knobs.map((k) => ({
        row: Math.round(k.getBoundingClientRect().top),
        control: ((r) => (r.top + r.bottom) / 2)(k.querySelector('input, select').getBoundingClientRect()),
        lines: Math.round(k.querySelector('label').getBoundingClientRect().height / 20),
      })));
      assert.ok(rows.some((r) => r.lines > 1), `a wrapped label: ${JSON.stringify(rows)}`);
      const byRow = new Map();
      for (const r of rows) byRow.set(r.row, [...(byRow.get(r.row) ?? []), r]);
      for (const [row, knobs] of byRow) {
        const tops = knobs.map((k) => k.control);
        assert.ok(Math.max(...tops) - Math.min(...tops) <= 1, `row at ${row}: control centres at ${tops}`);
      }
    });
  });

  test('a stat\'s qualifier stays whole beside its number, quieter than it', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 1);
      const dd = w.locator('.side').first().locator('.stat[data-stat="theory_group_proportional"] dd').nth(1);
      assert.equal(await dd.innerText(), '333 ms (legacy)');
      const which = dd.locator('.stat-which');
      assert.equal(await which.innerText(), '(legacy)');
      assert.equal(await which.evaluate((e) => e.getClientRects().length), 1, 'on one line');
      const weight = (loc) => loc.evaluate((e) => Number(getComputedStyle(e).fontWeight));
      assert.ok(await weight(which) < await weight(dd));
    });
  });

  test('the player plays and pauses, and the flow diagram animates while playing', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 0);
      const play = w.locator('.player > button').first();
      const time = w.locator('.player output');
      assert.match(await play.innerText(), /Play/);
      assert.equal(await w.locator('svg.flow animateMotion').count(), 0, 'still while paused');
      await play.click();
      assert.match(await play.innerText(), /Pause/);
      assert.equal(await play.getAttribute('aria-pressed'), 'true');
      await until(() => time.innerText(), (t) => /^([1-9]\d*) s \/ 600 s$/.test(t), { what: 'time to move' });
      assert.ok(await w.locator('svg.flow animateMotion').count() > 0, 'moving dots while playing');
      await play.click();
      assert.match(await play.innerText(), /Play/);
      const paused = await time.innerText();
      await page.waitForTimeout(200);
      assert.equal(await time.innerText(), paused, 'time stands still when paused');
      assert.equal(await w.locator('svg.flow animateMotion').count(), 0);
    });
  });

  test('with prefers-reduced-motion the flow diagram has no animateMotion while playing', async () => {
    const context = await launch({ reducedMotion: 'reduce' });
    try {
      const page = await open(context, `${site.server.url}${ARTICLE}`);
      assert.equal(await page.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches), true);
      const w = await widgetReady(page, 0);
      const play = w.locator('.player > button').first();
      await play.click();
      const time = w.locator('.player output');
      await until(() => time.innerText(), (t) => /^([1-9]\d*) s \/ 600 s$/.test(t), { what: 'time to move' });
      assert.match(await play.innerText(), /Pause/);
      assert.equal(await page.locator('svg.flow animateMotion').count(), 0);
      assert.ok(await w.locator('svg.flow circle.flow-dot').count() > 0, 'still dots instead');
      await expectClean(page);
    } finally {
      await context.close();
    }
  });

  test('charts redraw in the new colours when the colour scheme changes', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 0);
      const light = await chartPixels(w);
      await page.emulateMedia({ colorScheme: 'dark' });
      await chartsChangedFrom(w, light);
    });
  });
});
