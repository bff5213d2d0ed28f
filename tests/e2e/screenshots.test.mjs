// Screenshots of the home, article (top and at widget 0) and embed pages at
// 1280 px and 375 px, under test-output/screenshots/, for people to look at.
// Also records (and prints) anything wider than the viewport.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expectClean, launch, open, outputDir, serve, widgetReady } from './helpers.mjs';

const SIZES = [
  { name: '1280', viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 },
  { name: '375', viewport: { width: 375, height: 812 }, deviceScaleFactor: 2 },
];
const PAGES = [
  { name: 'home', hash: '#/', fullPage: true, ready: (p) => p.waitForSelector('.article-list li') },
  { name: 'article-top', hash: '#/articles/round-robin', fullPage: false, ready: (p) => widgetReady(p, 0) },
  { name: 'article-widget-0', hash: '#/articles/round-robin/widget-0', fullPage: false, ready: (p) => widgetReady(p, 0) },
  { name: 'article-widget-1-compare', hash: '#/articles/round-robin/widget-1', fullPage: false, ready: (p) => widgetReady(p, 1) },
  { name: 'article-math', hash: '#/articles/round-robin/widget-3', fullPage: false, ready: (p) => widgetReady(p, 3) },
  { name: 'article-stale-view', hash: '#/articles/round-robin/widget-4', fullPage: false, ready: (p) => widgetReady(p, 4) },
  { name: 'backoff-widget-0-compare', hash: '#/articles/backoff/widget-0', fullPage: false, ready: (p) => widgetReady(p, 0) },
  { name: 'backoff-curves', hash: '#/articles/backoff/widget-0', fullPage: false, ready: curvesDone },
  { name: 'breakers-widget-0-compare', hash: '#/articles/breakers/widget-0', fullPage: false, ready: (p) => breakersChart(p, 0) },
  { name: 'breakers-widget-4-shared', hash: '#/articles/breakers/widget-4', fullPage: false, ready: (p) => breakersChart(p, 4) },
  { name: 'breakers-widget-5-eager', hash: '#/articles/breakers/widget-5', fullPage: false, ready: (p) => breakersChart(p, 5) },
  { name: 'embed', hash: '#/embed/round-robin/0?show=traffic.rate_rps', fullPage: true, ready: (p) => widgetReady(p, 0) },
  { name: 'retries-widget-0-compare', hash: '#/articles/retries/widget-0', fullPage: false, ready: (p) => widgetReady(p, 0) },
  { name: 'retries-map', hash: '#/articles/retries/widget-0', fullPage: false, ready: mapDone },
  { name: 'caches-widget-0-flash-sale', hash: '#/articles/caches/widget-0', fullPage: false, ready: (p) => widgetReady(p, 0) },
  { name: 'caches-widget-1-stampede', hash: '#/articles/caches/widget-1', fullPage: false, ready: (p) => widgetReady(p, 1) },
  { name: 'pools-widget-0-compare', hash: '#/articles/pools/widget-0', fullPage: false, ready: (p) => widgetReady(p, 0) },
  { name: 'pools-curves', hash: '#/articles/pools/widget-0', fullPage: false, ready: curvesDone },
  { name: 'pools-widget-1-slow-queries', hash: '#/articles/pools/widget-1', fullPage: false, ready: (p) => widgetReady(p, 1) },
  { name: 'playground', hash: '#/playground', fullPage: false, ready: (p) => widgetReady(p, 0) },
  { name: 'embed-playground', hash: '#/embed/playground', fullPage: true, ready: (p) => widgetReady(p, 0) },
  { name: 'retries-widget-1-layers', hash: '#/articles/retries/widget-1', fullPage: false, ready: (p) => widgetReady(p, 1) },
];

/** Waits for article 2's sweep map to fill in, and scrolls it into view. */
async function mapDone(page) {
  await widgetReady(page, 0);
  const map = page.locator('section.widget#widget-0 figure.sweep-map');
  await page.waitForFunction(() => {
    const m = document.querySelector('section.widget#widget-0 figure.sweep-map');
    return m && m.dataset.done === m.dataset.total;
  }, null, { timeout: 60_000 });
  await map.scrollIntoViewIfNeeded();
}

/** Waits for article 3's sweep curves to fill in, and scrolls them into view. */
async function curvesDone(page) {
  await widgetReady(page, 0);
  await page.waitForFunction(() => {
    const c = document.querySelector('section.widget#widget-0 figure.sweep-curves');
    return c && c.dataset.total !== '0' && c.dataset.done === c.dataset.total;
  }, null, { timeout: 60_000 });
  await page.locator('section.widget#widget-0 figure.sweep-curves canvas').scrollIntoViewIfNeeded();
}

/** Waits for widget `i` of article 4 and scrolls its breakers chart into view. */
async function breakersChart(page, i) {
  await widgetReady(page, i);
  await page.locator(`section.widget#widget-${i} figure.chart[data-chart=breakers]`).scrollIntoViewIfNeeded();
}

let server;
let dir;
const overflow = {};

before(async () => {
  server = await serve();
  dir = outputDir('screenshots');
});
after(async () => {
  await server?.close();
  fs.writeFileSync(path.join(dir, 'overflow.json'), JSON.stringify(overflow, null, 2));
});

/** Elements whose right edge passes the viewport, and the page's scroll width. */
const measureOverflow = (page) => page.evaluate(() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 1 && !el.closest('svg') && getComputedStyle(el).position !== 'fixed') {
      // Report the outermost offender only.
      if (!wide.some((w) => w.el.contains(el))) wide.push({ el, right: Math.round(r.right) });
    }
  }
  return {
    viewport: width,
    scrollWidth: document.documentElement.scrollWidth,
    wide: wide.slice(0, 10).map(({ el, right }) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} → ${right}px`),
  };
});

for (const size of SIZES) {
  describe(`screenshots at ${size.name} px`, () => {
    let context;
    before(async () => { context = await launch({ viewport: size.viewport, deviceScaleFactor: size.deviceScaleFactor }); });
    after(async () => { await context?.close(); });

    for (const p of PAGES) {
      test(`the ${p.name} page at ${size.name} px is captured`, async () => {
        const page = await open(context, `${server.url}${p.hash}`);
        await p.ready(page);
        await page.evaluate(() => document.fonts.ready);
        await page.waitForTimeout(150);
        const file = path.join(dir, `${p.name}-${size.name}.png`);
        await page.screenshot({ path: file, fullPage: p.fullPage });
        assert.ok(fs.statSync(file).size > 5_000);
        const o = await measureOverflow(page);
        overflow[`${p.name}-${size.name}`] = o;
        if (o.scrollWidth > o.viewport) {
          console.log(`[overflow] ${p.name} at ${size.name}px: page is ${o.scrollWidth}px wide; ${o.wide.join(', ')}`);
        }
        await expectClean(page);
      });
    }
  });
}
