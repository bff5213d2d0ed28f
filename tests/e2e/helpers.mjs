// Shared helpers for the browser tests and the web benchmark: a static
// server for the built site, a Chromium with a fresh profile, and pages
// that record console errors and page errors.
//
// The site must be built first (`trunk build --release`); set BROWNOUT_DIST
// to serve another directory than `dist/`.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.resolve(ROOT, process.env.BROWNOUT_DIST ?? 'dist');
export const OUTPUT = path.join(ROOT, 'test-output');
export const CHROMIUM = process.env.BROWNOUT_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serves `dir` on 127.0.0.1 at a free port. Returns `{ url, close }`; `url` ends in `/`. */
export async function serve(dir = DIST) {
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`${dir}/index.html is missing: build the site first (trunk build --release)`);
  }
  const server = http.createServer(async (req, res) => {
    try {
      let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (rel.endsWith('/')) rel += 'index.html';
      const file = path.join(dir, path.normalize(rel));
      if (!file.startsWith(dir + path.sep)) throw Object.assign(new Error('outside'), { code: 'ENOENT' });
      const body = await fsp.readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

/**
 * Starts Chromium with a fresh profile directory and returns its (persistent)
 * context; `options` are Playwright context options (viewport, bypassCSP,
 * reducedMotion, …). `close()` also deletes the profile.
 */
export async function launch(options = {}) {
  const profile = await fsp.mkdtemp(path.join(os.tmpdir(), 'brownout-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  context.setDefaultTimeout(15_000);
  const close = context.close.bind(context);
  context.close = async () => {
    await close().catch(() => {});
    await fsp.rm(profile, { recursive: true, force: true }).catch(() => {});
  };
  return context;
}

/**
 * A site and a browser for one test file: `{ url(hash), context, open(hash), close() }`.
 * `open` gives a new page that records errors, at `hash` (like `#/articles/round-robin`).
 */
export async function setup(options = {}) {
  const server = await serve();
  const context = await launch(options);
  const url = (hash = '#/') => `${server.url}${hash}`;
  return {
    server,
    context,
    url,
    open: (hash, opts) => open(context, url(hash), opts),
    close: async () => { await context.close(); await server.close(); },
  };
}

/**
 * Opens a new page in `context` at `url` that collects console errors and
 * page errors in `page.errors`, and waits until the app has rendered
 * (a `main` element with content, or a panic box).
 */
export async function open(context, url, { wait = 'main' } = {}) {
  const page = await context.newPage();
  track(page);
  await page.goto(url);
  if (wait) await page.waitForSelector(`${wait}, .panic-box`);
  return page;
}

/** Records console errors and uncaught exceptions of `page` in `page.errors`. */
export function track(page) {
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => { page.errors.push(`dialog: ${d.type()} ${d.message()}`); d.dismiss().catch(() => {}); });
  return page;
}

/** Fails when any page had a console error, a page error, a dialog, or shows a panic box; closes the pages. */
export async function expectClean(...pages) {
  for (const page of pages) {
    const panic = await page.locator('.panic-box').allTextContents().catch(() => []);
    const errors = [...page.errors, ...panic.map((t) => `panic box: ${t}`)];
    await page.close().catch(() => {});
    assert.deepEqual(errors, [], `errors on ${page.url()}`);
  }
}

/**
 * Runs `body(page)` on a fresh tracked page at `hash`, then asserts the page
 * logged no errors; the page is closed either way.
 */
export async function withPage(site, hash, body, opts) {
  const page = await site.open(hash, opts);
  try {
    await body(page);
  } catch (e) {
    await page.close().catch(() => {});
    throw e;
  }
  await expectClean(page);
}

/** Locator of widget `i` (`section.widget#widget-i`) on the page. */
export const widget = (page, i = 0) => page.locator(`section.widget#widget-${i}`);

/** Scrolls widget `i` into view, then waits until it shows its numbers and its first chart has been drawn. */
export async function widgetReady(page, i = 0) {
  const w = widget(page, i);
  // An article's widget runs once it is scrolled near the viewport.
  await w.scrollIntoViewIfNeeded();
  await w.locator('.stat[data-stat] dd[data-value]').first().waitFor();
  await page.waitForFunction((sel) => {
    const c = document.querySelector(sel);
    return c && c.width > 0 && canvasDrawn(c);
    function canvasDrawn(canvas) {
      const ctx = canvas.getContext('2d');
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      for (let k = 3; k < data.length; k += 4 * 7) if (data[k] !== 0) return true;
      return false;
    }
  }, `section.widget#widget-${i} figure.chart canvas`);
  return w;
}

/** `{ p50, p99, throughput, failed, queue }` of every `.stats` inside `scope` (an array, one per side). */
export async function stats(scope) {
  return scope.locator('.stats').evaluateAll((lists) => lists.map((dl) => {
    const out = {};
    for (const s of dl.querySelectorAll('.stat[data-stat]')) {
      out[s.dataset.stat] = Number(s.querySelector('dd').dataset.value);
    }
    return out;
  }));
}

/** The `data:` URL of each chart canvas inside `scope`, by chart name. */
export async function chartPixels(scope) {
  return scope.locator('figure.chart').evaluateAll((figs) => Object.fromEntries(
    figs.map((f) => [f.dataset.chart, f.querySelector('canvas').toDataURL()]),
  ));
}

/** Waits until `fn()` returns something that `ok(value)` accepts, and returns it. */
export async function until(fn, ok, { timeout = 10_000, interval = 50, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let value;
  for (;;) {
    value = await fn();
    if (ok(value)) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)?.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Waits until the stats in `scope` differ from `before` and returns them. */
export const statsChangedFrom = (scope, before) => until(
  () => stats(scope),
  (now) => JSON.stringify(now) !== JSON.stringify(before),
  { what: 'the numbers to change' },
);

/** The URL hash of `page`, decoded as the app reads it. */
export async function hashQuery(page) {
  const hash = await page.evaluate(() => location.hash);
  const q = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '';
  return { hash, params: new URLSearchParams(q) };
}

/** Creates `test-output/<sub>` and returns its path. */
export function outputDir(sub = '') {
  const dir = path.join(OUTPUT, sub);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
