// Static hosting: the built dist/ works under a sub-path (a GitHub Pages
// project URL) and on reload of an article URL, because routes live in the
// hash and asset URLs are relative.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DIST, expectClean, launch, open, serve, stats, widgetReady } from './helpers.mjs';

let server, context, root;

before(async () => {
  // Serve a folder in which the site sits at /projects/brownout/.
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'brownout-host-'));
  await fsp.mkdir(path.join(root, 'projects'));
  fs.cpSync(DIST, path.join(root, 'projects', 'brownout'), { recursive: true });
  await fsp.writeFile(path.join(root, 'index.html'), '<!doctype html><title>another site</title>');
  server = await serve(root);
  context = await launch();
});
after(async () => {
  await context?.close();
  await server?.close();
  await fsp.rm(root, { recursive: true, force: true });
});

test('the site works under a sub-path and survives a reload of an article URL', async () => {
  const url = `${server.url}projects/brownout/#/articles/round-robin?w0.traffic.rate_rps=100`;
  const page = await open(context, url);
  await widgetReady(page, 0);
  const before = await stats(page.locator('section.widget#widget-0'));
  await page.reload();
  await widgetReady(page, 0);
  assert.equal(await page.locator('article.article h1').innerText(), 'When round robin fails');
  assert.deepEqual(await stats(page.locator('section.widget#widget-0')), before, 'the same numbers after reload');
  assert.equal(await page.inputValue('input[data-path="traffic.rate_rps"]'), '100');
  await expectClean(page);
});

test('a playground link and its embed work under a sub-path and survive a reload', { timeout: 60_000 }, async () => {
  const page = await open(context, `${server.url}projects/brownout/#/playground?preset=mm1`);
  await widgetReady(page, 0);
  await page.selectOption('#pg-knobs-add', 'traffic.rate_rps');
  await page.getByRole('button', { name: 'Add knob' }).click();
  await page.locator('section.widget#widget-0 input[data-path="traffic.rate_rps"]').waitFor();
  const w = page.locator('section.widget#widget-0');
  const link = await w.locator('input.share-link').inputValue();
  assert.ok(link.startsWith(`${server.url}projects/brownout/#/playground?s=`), link);
  const before = await stats(w);
  await page.reload();
  await widgetReady(page, 0);
  assert.deepEqual(await stats(page.locator('section.widget#widget-0')), before, 'the same numbers after reload');
  assert.equal(await page.locator('section.widget#widget-0 input[data-path="traffic.rate_rps"]').count(), 1, 'the knob too');
  await w.getByRole('button', { name: 'Embed', exact: true }).click();
  const snippet = await w.locator('textarea.embed-snippet').inputValue();
  const src = snippet.match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
  assert.ok(src.startsWith(`${server.url}projects/brownout/#/embed/playground?s=`), src);
  const embed = await open(context, src);
  await widgetReady(embed, 0);
  assert.deepEqual(await stats(embed.locator('section.widget#widget-0')), before);
  await embed.reload();
  await widgetReady(embed, 0);
  assert.deepEqual(await stats(embed.locator('section.widget#widget-0')), before, 'the embed after reload');
  await expectClean(page, embed);
});
