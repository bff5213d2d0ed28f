#!/usr/bin/env node
// Web benchmark of the built site (not a test; it never fails on a missed
// target, it reports). Builds nothing: build first with
//   PATH=$PWD/node_modules/.bin:$PATH trunk build --release
// then run from the repository root:
//   node tests/perf/web-bench.mjs
// It serves dist/ (or $BROWNOUT_DIST) on 127.0.0.1 and prints, and writes to
// test-output/web-bench.json:
//   - gzip size of the wasm + JS + loader (target <= 350 KB);
//   - median and p90 of the `brownout-redraw` measure over 20 keyboard knob
//     changes on widget 0 of round-robin, of its mathematics and stale-view
//     widgets, and of article 2's storm widget (target <= 50 ms);
//   - time for article 2's 20 x 20 sweep map to fill in its workers
//   - time for article 3's sweep curves (19 crowd sizes x 5 policies, 20
//     seeds per point) to fill in theirs
//     (target <= 3 s);
//   - animation frames per second while widget 0 plays for 3 s (target 60);
//   - time from navigation start to the first chart canvas with pixels on
//     a fresh load of #/articles/round-robin (target <= 1 s);
//   - the playground: a valid edit of the 2 AM scenario, from its check
//     (after the typing pause) to the widget redrawn (target <= 50 ms
//     median), and while typing, the longest input event (Event Timing) and
//     the long tasks (target: none over 50 ms).

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DIST, OUTPUT, launch, open, serve, widgetReady } from '../e2e/helpers.mjs';

const KB = 1024;
const TARGETS = { gzipBytes: 350 * KB, redrawMedianMs: 50, fps: 60, firstChartMs: 1000, mapMs: 3000, curvesMs: 5000 };
const REDRAW_CHANGES = 20;
const FIRST_CHART_RUNS = 5;

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo] + (s[Math.ceil(i)] - s[lo]) * (i - lo);
};
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * Raw, gzip -9 and brotli sizes of the wasm, the bindings JS and the loader:
 * the page's (`worker` unset), or a worker's (`brownout-sweep`, which only
 * pages with a sweep load; `brownout-tools`, only the playground).
 */
function sizes(worker) {
  const WORKERS = ['brownout-sweep', 'brownout-tools'];
  const files = fs.readdirSync(DIST)
    .filter((f) => f.endsWith('.wasm') || f.endsWith('.js'))
    .filter((f) => (worker ? f.startsWith(worker) : !WORKERS.some((w) => f.startsWith(w))));
  const rows = files.map((f) => {
    const bytes = fs.readFileSync(path.join(DIST, f));
    return {
      file: f,
      raw: bytes.length,
      gzip: zlib.gzipSync(bytes, { level: 9 }).length,
      brotli: zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
  const total = (k) => rows.reduce((s, r) => s + r[k], 0);
  return { files: rows, raw: total('raw'), gzip: total('gzip'), brotli: total('brotli') };
}

/**
 * `brownout-redraw` durations over keyboard changes of widget `widget`'s
 * range knob `knob` on article `hash` (each press a new state: the knob's
 * value must have ten steps of room below it).
 */
async function redraw(server, hash = '#/articles/round-robin', knob = 'traffic.rate_rps', widget = 0, changes = REDRAW_CHANGES) {
  const context = await launch();
  try {
    const page = await open(context, `${server.url}${hash}/widget-${widget}`);
    const w = await widgetReady(page, widget);
    // A sweep map under the widget shares the cores while it fills: measure
    // once it has (a knob on one of its axes does not restart it).
    await page.waitForFunction(() => [...document.querySelectorAll('figure.sweep-map, figure.sweep-curves')]
      .every((m) => m.dataset.done === m.dataset.total), null, { timeout: 120_000 });
    const rate = w.locator(`input[type=range][data-path="${knob}"]`);
    await rate.focus();
    await page.evaluate(() => performance.clearMeasures('brownout-redraw'));
    // 140 → 90 and back, one 5 req/s step per key: every press is a new state.
    const keys = [...Array(changes / 2).fill('ArrowLeft'), ...Array(changes / 2).fill('ArrowRight')];
    for (let i = 0; i < keys.length; i++) {
      await page.keyboard.press(keys[i]);
      await page.waitForFunction((n) => performance.getEntriesByName('brownout-redraw').length > n, i);
      // Let the frame finish before the next key, as a person would.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    }
    const ms = await page.evaluate(() => performance.getEntriesByName('brownout-redraw').map((e) => e.duration));
    if (page.errors.length) throw new Error(`errors during the redraw benchmark: ${page.errors.join('; ')}`);
    return {
      changes: ms.length,
      median_ms: round(quantile(ms, 0.5)),
      p90_ms: round(quantile(ms, 0.9)),
      max_ms: round(Math.max(...ms)),
      all_ms: ms.map((x) => round(x)),
    };
  } finally {
    await context.close();
  }
}

/** requestAnimationFrame callbacks per second while widget 0 plays. */
async function fps(server) {
  const context = await launch();
  try {
    const page = await open(context, `${server.url}#/articles/round-robin/widget-0`);
    const w = await widgetReady(page, 0);
    // Idle first, as a baseline for this machine's frame rate.
    const count = (ms) => page.evaluate((ms) => new Promise((resolve) => {
      const times = [];
      const t0 = performance.now();
      const frame = (t) => {
        times.push(t);
        if (t - t0 < ms) requestAnimationFrame(frame);
        else {
          const gaps = times.slice(1).map((x, i) => x - times[i]);
          resolve({ frames: times.length, ms: t - t0, gaps });
        }
      };
      requestAnimationFrame(frame);
    }), ms);
    const idle = await count(1000);
    await w.locator('.player > button').first().click();
    const before = await w.locator('.player output').innerText();
    const busy = await count(3000);
    const after = await w.locator('.player output').innerText();
    await w.locator('.player > button').first().click();
    const rate = (r) => round(((r.frames - 1) * 1000) / r.ms);
    return {
      fps_playing: rate(busy),
      fps_idle: rate(idle),
      frames: busy.frames,
      measured_ms: round(busy.ms),
      longest_frame_ms: round(Math.max(...busy.gaps)),
      frames_over_20ms: busy.gaps.filter((g) => g > 20).length,
      player: `${before} → ${after}`,
    };
  } finally {
    await context.close();
  }
}

/** ms from navigation start until the first chart canvas has non-blank pixels, on fresh loads. */
async function firstChart(server) {
  const runs = [];
  for (let i = 0; i < FIRST_CHART_RUNS; i++) {
    const context = await launch();
    try {
      await context.addInitScript(() => {
        const drawn = (c) => {
          if (!c.width || !c.height) return false;
          const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
          for (let k = 3; k < data.length; k += 4 * 5) if (data[k] !== 0) return true;
          return false;
        };
        const poll = () => {
          const c = document.querySelector('figure.chart canvas');
          if (c && drawn(c)) {
            window.__firstChart = performance.now();
            window.__firstWidget = window.__firstWidget ?? window.__firstChart;
            return;
          }
          if (!window.__firstWidget && document.querySelector('section.widget')) window.__firstWidget = performance.now();
          requestAnimationFrame(poll);
        };
        requestAnimationFrame(poll);
      });
      const page = await context.newPage();
      await page.goto(`${server.url}#/articles/round-robin`);
      await page.waitForFunction(() => window.__firstChart !== undefined, null, { timeout: 30_000 });
      runs.push(await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const wasm = performance.getEntriesByType('resource').find((r) => r.name.endsWith('.wasm'));
        return {
          first_chart_ms: window.__firstChart,
          first_widget_ms: window.__firstWidget,
          dom_content_loaded_ms: nav.domContentLoadedEventEnd,
          wasm_loaded_ms: wasm?.responseEnd,
        };
      }));
    } finally {
      await context.close();
    }
  }
  const med = (k) => round(quantile(runs.map((r) => r[k]), 0.5));
  return {
    runs: runs.length,
    median_ms: med('first_chart_ms'),
    min_ms: round(Math.min(...runs.map((r) => r.first_chart_ms))),
    max_ms: round(Math.max(...runs.map((r) => r.first_chart_ms))),
    median_first_widget_ms: med('first_widget_ms'),
    median_dom_content_loaded_ms: med('dom_content_loaded_ms'),
    median_wasm_loaded_ms: med('wasm_loaded_ms'),
    all_ms: runs.map((r) => round(r.first_chart_ms)),
  };
}

/**
 * Time from a sweep's workers starting to its last cell, on fresh loads of
 * `hash`: article 2's 20 × 20 map (target <= 3 s) or article 3's curves
 * (target <= 5 s). `figure` is the sweep's element under widget 0.
 */
async function sweepTime(server, hash = '#/articles/retries', figure = 'figure.sweep-map', runs = 3) {
  const times = [];
  let cells = 0;
  for (let i = 0; i < runs; i++) {
    const context = await launch();
    try {
      // At the widget: an article's widgets run once scrolled near.
      const page = await open(context, `${server.url}${hash}/widget-0`);
      const sel = `section.widget#widget-0 ${figure}`;
      const map = page.locator(sel);
      await map.waitFor();
      await page.waitForFunction((sel) => {
        const m = document.querySelector(sel);
        return m && m.dataset.total && m.dataset.done === m.dataset.total && m.dataset.elapsedMs;
      }, sel, { timeout: 120_000 });
      times.push(Number(await map.getAttribute('data-elapsed-ms')));
      cells = Number(await map.getAttribute('data-total'));
    } finally {
      await context.close();
    }
  }
  return { runs, cells, median_ms: round(quantile(times, 0.5)), max_ms: round(Math.max(...times)), all_ms: times };
}

/**
 * The playground on the 2 AM scenario: `edits` valid edits (rate_rps 140 ⇄
 * 139), each timed by `brownout-redraw` from its check to the redrawn
 * widget; then 40 characters typed one by one into a comment, with every
 * input event's duration (Event Timing: delay + handler + next paint) and
 * every long task recorded.
 */
async function playground(server, edits = 20) {
  const context = await launch();
  try {
    const page = await open(context, `${server.url}#/playground`);
    await widgetReady(page, 0);
    const editor = page.locator('#pg-text');
    const text = await editor.inputValue();
    await page.evaluate(() => performance.clearMeasures('brownout-redraw'));
    for (let i = 0; i < edits; i++) {
      await editor.fill(text.replace('rate_rps = 140', `rate_rps = ${i % 2 ? 140 : 139}`));
      await page.waitForFunction((n) => performance.getEntriesByName('brownout-redraw').length > n, i);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    }
    const ms = await page.evaluate(() => performance.getEntriesByName('brownout-redraw').map((e) => e.duration));
    await page.evaluate(() => {
      window.benchEvents = [];
      window.benchLong = [];
      new PerformanceObserver((l) => window.benchEvents.push(...l.getEntries().map((e) => ({ name: e.name, duration: e.duration }))))
        .observe({ type: 'event', durationThreshold: 16, buffered: false });
      new PerformanceObserver((l) => window.benchLong.push(...l.getEntries().map((e) => e.duration)))
        .observe({ type: 'longtask', buffered: false });
    });
    await editor.focus();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n# typed one key at a time by the bench', { delay: 40 });
    await page.waitForTimeout(600);
    const typing = await page.evaluate(() => ({ events: window.benchEvents, long: window.benchLong }));
    if (page.errors.length) throw new Error(`errors during the playground benchmark: ${page.errors.join('; ')}`);
    const inputs = typing.events.filter((e) => ['keydown', 'keypress', 'keyup', 'input', 'beforeinput'].includes(e.name));
    return {
      edits: ms.length,
      median_ms: round(quantile(ms, 0.5)),
      p90_ms: round(quantile(ms, 0.9)),
      max_ms: round(Math.max(...ms)),
      typing_longest_input_event_ms: round(Math.max(0, ...inputs.map((e) => e.duration))),
      typing_input_events_over_16ms: inputs.length,
      typing_long_tasks_ms: typing.long.map((x) => round(x)),
    };
  } finally {
    await context.close();
  }
}

const verdict = (ok) => (ok ? 'ok' : 'MISSED');

const server = await serve();
try {
  const size = sizes();
  const workerSize = sizes('brownout-sweep');
  const toolsSize = sizes('brownout-tools');
  const play = await playground(server);
  const map = await sweepTime(server);
  const curves = await sweepTime(server, '#/articles/backoff', 'figure.sweep-curves');
  const redraws = await redraw(server);
  // Article 2's storm widget: compare mode, so two runs of ~125k attempts.
  const storm = await redraw(server, '#/articles/retries', 'traffic.changes[0].rate_rps');
  // Article 1's mathematics widget (compare mode, 2 x 86,000 requests on 20
  // servers) and its stale-view widget (10 balancers, compare mode).
  const math = await redraw(server, '#/articles/round-robin', 'traffic.rate_rps', 3);
  // 2,000 ms down to 0 in 250 ms steps and back: 16 changes.
  const stale = await redraw(server, '#/articles/round-robin', 'balancer.view_refresh_ms', 4, 16);
  // Article 3's contention widget: 100 clients down to 20 and back.
  const occ = await redraw(server, '#/articles/backoff', 'contention.clients', 0, 16);
  // Article 4's metadata-service widget: 300 breakers, compare mode;
  // retries 3 down to 0 and back.
  const breakers = await redraw(server, '#/articles/breakers', 'client.retries', 0, 6);
  // Its shared-breaker widget: 50 nodes, two dependencies, compare mode
  // (one breaker per node against one per dependency); retries 3 → 0 → 3.
  const shared = await redraw(server, '#/articles/breakers', 'client.retries', 4, 6);
  // Article 6's flash sale (about 54,000 requests, 20,000 keys) and its
  // stampede widget (compare mode): sale traffic 450 → 350 → 450; TTL 30 s → 20 s → 30 s.
  const flash = await redraw(server, '#/articles/caches', 'traffic.changes[0].rate_rps', 0, 8);
  const stampede = await redraw(server, '#/articles/caches', 'cache.ttl_s', 1, 10);
  // Article 5's restart widget (compare mode: 2,048 against 96 connections;
  // threads 9,600 → 9,200 → 9,600) and its slow-query widget (pool size
  // 20 → 16 → 20); and its pool-size sweep
  // (31 sizes, one run each).
  const pools = await redraw(server, '#/articles/pools', 'traffic.clients', 0, 8);
  const slow = await redraw(server, '#/articles/pools', 'pool.size', 1, 8);
  const poolSweep = await sweepTime(server, '#/articles/pools', 'figure.sweep-curves');
  const frames = await fps(server);
  const first = await firstChart(server);
  const report = {
    date: new Date().toISOString(),
    dist: DIST,
    size,
    redraw: redraws,
    redraw_storm: storm,
    redraw_math: math,
    redraw_stale_view: stale,
    redraw_contention: occ,
    redraw_breakers: breakers,
    redraw_shared_breaker: shared,
    redraw_flash_sale: flash,
    redraw_stampede: stampede,
    redraw_pools: pools,
    redraw_slow_queries: slow,
    pool_sweep: poolSweep,
    worker_size: workerSize,
    tools_size: toolsSize,
    playground: play,
    sweep_map: map,
    sweep_curves: curves,
    fps: frames,
    first_chart: first,
    targets: TARGETS,
    met: {
      size: size.gzip <= TARGETS.gzipBytes,
      redraw: redraws.median_ms <= TARGETS.redrawMedianMs,
      redraw_storm: storm.median_ms <= TARGETS.redrawMedianMs,
      redraw_math: math.median_ms <= TARGETS.redrawMedianMs,
      redraw_stale_view: stale.median_ms <= TARGETS.redrawMedianMs,
      redraw_contention: occ.median_ms <= TARGETS.redrawMedianMs,
      redraw_breakers: breakers.median_ms <= TARGETS.redrawMedianMs,
      redraw_shared_breaker: shared.median_ms <= TARGETS.redrawMedianMs,
      redraw_flash_sale: flash.median_ms <= TARGETS.redrawMedianMs,
      redraw_stampede: stampede.median_ms <= TARGETS.redrawMedianMs,
      redraw_pools: pools.median_ms <= TARGETS.redrawMedianMs,
      redraw_slow_queries: slow.median_ms <= TARGETS.redrawMedianMs,
      pool_sweep: poolSweep.median_ms <= TARGETS.mapMs,
      playground_edit: play.median_ms <= TARGETS.redrawMedianMs,
      playground_typing: play.typing_long_tasks_ms.every((t) => t <= 50) && play.typing_longest_input_event_ms <= 50,
      sweep_map: map.median_ms <= TARGETS.mapMs,
      sweep_curves: curves.median_ms <= TARGETS.curvesMs,
      fps: frames.fps_playing >= TARGETS.fps - 3,
      first_chart: first.median_ms <= TARGETS.firstChartMs,
    },
  };
  fs.mkdirSync(OUTPUT, { recursive: true });
  fs.writeFileSync(path.join(OUTPUT, 'web-bench.json'), `${JSON.stringify(report, null, 2)}\n`);

  const kib = (b) => `${round(b / KB)} KiB`;
  console.log('Brownout web benchmark');
  for (const f of size.files) console.log(`  ${f.file}: ${kib(f.raw)} raw, ${kib(f.gzip)} gzip, ${kib(f.brotli)} brotli`);
  console.log(`size (wasm + JS + loader, gzip -9): ${kib(size.gzip)} (${size.gzip} B; brotli ${kib(size.brotli)}), target <= 350 KiB: ${verdict(report.met.size)}`);
  console.log(`redraw after a keyboard knob change (${redraws.changes} changes): median ${redraws.median_ms} ms, p90 ${redraws.p90_ms} ms, max ${redraws.max_ms} ms, target <= 50 ms: ${verdict(report.met.redraw)}`);
  console.log(`redraw of article 2's storm widget (compare mode, ${storm.changes} changes): median ${storm.median_ms} ms, p90 ${storm.p90_ms} ms, max ${storm.max_ms} ms, target <= 50 ms: ${verdict(report.met.redraw_storm)}`);
  console.log(`redraw of article 1's mathematics widget (compare mode, ${math.changes} changes): median ${math.median_ms} ms, p90 ${math.p90_ms} ms, max ${math.max_ms} ms, target <= 50 ms: ${verdict(report.met.redraw_math)}`);
  console.log(`redraw of article 1's stale-view widget (compare mode, ${stale.changes} changes): median ${stale.median_ms} ms, p90 ${stale.p90_ms} ms, max ${stale.max_ms} ms, target <= 50 ms: ${verdict(report.met.redraw_stale_view)}`);
  console.log(`redraw of article 3's contention widget (compare mode, ${occ.changes} changes): median ${occ.median_ms} ms, p90 ${occ.p90_ms} ms, max ${occ.max_ms} ms, target <= 50 ms: ${verdict(report.met.redraw_contention)}`);
  console.log(`redraw of article 4's breakers widget (compare mode, ${breakers.changes} changes): median ${breakers.median_ms} ms, p90 ${breakers.p90_ms} ms, max ${breakers.max_ms} ms, target <= 50 ms: ${verdict(report.met.redraw_breakers)}`);
  console.log(`redraw of article 4's shared-breaker widget (compare mode, ${shared.changes} changes): median ${shared.median_ms} ms, p90 ${shared.p90_ms} ms, max ${shared.max_ms} ms, target <= 50 ms: ${verdict(report.met.redraw_shared_breaker)}`);
  console.log(`redraw of article 6's flash-sale widget (${flash.changes} changes): median ${flash.median_ms} ms, p90 ${flash.p90_ms} ms, max ${flash.max_ms} ms, target <= 50 ms: ${verdict(report.met.redraw_flash_sale)}`);
  console.log(`redraw of article 6's stampede widget (compare mode, ${stampede.changes} changes): median ${stampede.median_ms} ms, p90 ${stampede.p90_ms} ms, max ${stampede.max_ms} ms, target <= 50 ms: ${verdict(report.met.redraw_stampede)}`);
  console.log(`redraw of article 5's restart widget (compare mode, ${pools.changes} changes): median ${pools.median_ms} ms, p90 ${pools.p90_ms} ms, max ${pools.max_ms} ms, target <= 50 ms: ${verdict(report.met.redraw_pools)}`);
  console.log(`redraw of article 5's slow-query widget (${slow.changes} changes): median ${slow.median_ms} ms, p90 ${slow.p90_ms} ms, max ${slow.max_ms} ms, target <= 50 ms: ${verdict(report.met.redraw_slow_queries)}`);
  console.log(`article 5's pool-size sweep of ${poolSweep.cells} sizes, workers' start to last point (${poolSweep.runs} fresh loads): median ${poolSweep.median_ms} ms, max ${poolSweep.max_ms} ms, target <= 3000 ms: ${verdict(report.met.pool_sweep)}`);
  console.log(`sweep map worker (wasm + JS + loader, gzip -9): ${kib(workerSize.gzip)}, loaded only by pages with a map`);
  console.log(`playground tools worker (wasm + JS + loader, gzip -9): ${kib(toolsSize.gzip)}, loaded only by the playground and its embeds`);
  console.log(`playground: a valid edit of the 2 AM scenario, check to redrawn widget (${play.edits} edits): median ${play.median_ms} ms, p90 ${play.p90_ms} ms, max ${play.max_ms} ms, target <= 50 ms: ${verdict(report.met.playground_edit)}`);
  console.log(`playground typing: longest input event ${play.typing_longest_input_event_ms} ms (${play.typing_input_events_over_16ms} over 16 ms), long tasks [${play.typing_long_tasks_ms.join(', ')}] ms, target none over 50 ms: ${verdict(report.met.playground_typing)}`);
  console.log(`sweep map of ${map.cells} cells, workers' start to last cell (${map.runs} fresh loads): median ${map.median_ms} ms, max ${map.max_ms} ms, target <= 3000 ms: ${verdict(report.met.sweep_map)}`);
  console.log(`sweep curves of ${curves.cells} points x 20 seeds, workers' start to last point (${curves.runs} fresh loads): median ${curves.median_ms} ms, max ${curves.max_ms} ms, target <= 5000 ms: ${verdict(report.met.sweep_curves)}`);
  console.log(`frames while playing (3 s): ${frames.fps_playing} fps (idle ${frames.fps_idle} fps), longest frame ${frames.longest_frame_ms} ms, ${frames.frames_over_20ms} frames > 20 ms, target 60: ${verdict(report.met.fps)}`);
  console.log(`first chart drawn after navigation start (${first.runs} fresh loads): median ${first.median_ms} ms (min ${first.min_ms}, max ${first.max_ms}; first widget ${first.median_first_widget_ms} ms, wasm loaded ${first.median_wasm_loaded_ms} ms), target <= 1000 ms: ${verdict(report.met.first_chart)}`);
  console.log(`written to ${path.join(OUTPUT, 'web-bench.json')}`);
} finally {
  await server.close();
}
