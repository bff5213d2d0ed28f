// axe-core audits of the home, article and embed pages: no serious or
// critical violations. The page's CSP forbids inline scripts, so this file's
// browser context bypasses CSP to inject axe (and only this file's).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, expectClean, outputDir, setup, track, widgetReady, withPage } from './helpers.mjs';

const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');
let site;

// Known app bugs, reported and tracked by the `todo` test at the end: these
// rules are printed but do not fail the page audits. Remove an entry once the
// app is fixed (the todo test then passes).
const KNOWN = {};

before(async () => { site = await setup({ bypassCSP: true }); });
after(async () => { await site?.close(); });

/** Runs axe on `page`; prints and returns the serious and critical violations. */
async function audit(page, name) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  fs.writeFileSync(path.join(outputDir('axe'), `${name}.json`), JSON.stringify(result.violations, null, 2));
  const bad = result.violations.filter((v) => (v.impact === 'serious' || v.impact === 'critical') && !(v.id in KNOWN));
  for (const v of result.violations) {
    const where = v.nodes.slice(0, 5).map((n) => `      ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join('; ')}`);
    const known = v.id in KNOWN ? ' [KNOWN BUG, not failing]' : '';
    console.log(`[axe ${name}]${known} ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} nodes)\n${where.join('\n')}`);
  }
  return bad.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}× e.g. ${v.nodes[0]?.target.join(' ')})`);
}

describe('accessibility', () => {
  test('the home page has no serious or critical axe violations', async () => {
    await withPage(site, '#/', async (page) => {
      await page.waitForSelector('.article-list li');
      assert.deepEqual(await audit(page, 'home'), []);
    });
  });

  test('the article page has no serious or critical axe violations', { timeout: 60_000 }, async () => {
    await withPage(site, '#/articles/round-robin', async (page) => {
      const widgets = await page.locator('section.widget').count();
      for (let i = 0; i < widgets; i++) await widgetReady(page, i);
      // With the embed options open, so that they are audited too.
      await page.locator('#widget-0').getByRole('button', { name: 'Embed', exact: true }).click();
      await page.locator('#widget-0 textarea.embed-snippet').waitFor();
      assert.deepEqual(await audit(page, 'article'), []);
    });
  });

  test('article 3 has no serious or critical axe violations', { timeout: 60_000 }, async () => {
    await withPage(site, '#/articles/backoff', async (page) => {
      await widgetReady(page, 0);
      await widgetReady(page, 1);
      assert.deepEqual(await audit(page, 'backoff'), []);
    });
  });

  test('article 4 has no serious or critical axe violations', { timeout: 60_000 }, async () => {
    await withPage(site, '#/articles/breakers', async (page) => {
      for (let i = 0; i < 5; i++) await widgetReady(page, i);
      assert.deepEqual(await audit(page, 'breakers'), []);
    });
  });

  test('article 6 has no serious or critical axe violations', { timeout: 60_000 }, async () => {
    await withPage(site, '#/articles/caches', async (page) => {
      for (let i = 0; i < 3; i++) await widgetReady(page, i);
      assert.deepEqual(await audit(page, 'caches'), []);
    });
  });

  test('article 5 has no serious or critical axe violations', { timeout: 60_000 }, async () => {
    await withPage(site, '#/articles/pools', async (page) => {
      for (let i = 0; i < 2; i++) await widgetReady(page, i);
      assert.deepEqual(await audit(page, 'pools'), []);
    });
  });

  test('article 2 has no serious or critical axe violations', { timeout: 60_000 }, async () => {
    await withPage(site, '#/articles/retries', async (page) => {
      await widgetReady(page, 0);
      await widgetReady(page, 1);
      assert.deepEqual(await audit(page, 'retries'), []);
    });
  });

  test('the embed page has no serious or critical axe violations', async () => {
    await withPage(site, '#/embed/round-robin/1?show=balancer.policy', async (page) => {
      await widgetReady(page, 1);
      assert.deepEqual(await audit(page, 'embed'), []);
    });
  });

  test('the embed of the storm comparison (article 2) has no serious or critical axe violations', async () => {
    await withPage(site, '#/embed/retries/0', async (page) => {
      await widgetReady(page, 0);
      assert.deepEqual(await audit(page, 'embed-retries'), []);
    });
  });

  test('the playground, with an error and a knob, and its embed have no serious or critical axe violations', { timeout: 60_000 }, async () => {
    await withPage(site, '#/playground', async (page) => {
      await widgetReady(page, 0);
      await page.getByRole('button', { name: 'Add knob' }).click();
      await page.locator('#widget-0 [data-path]').first().waitFor();
      const text = await page.locator('#pg-text').inputValue();
      await page.locator('#pg-text').fill(text.replace('rate_rps = 140', 'rate_rps = -1'));
      await page.locator('.editor-status.bad').waitFor();
      assert.deepEqual(await audit(page, 'playground'), []);
    });
    await withPage(site, '#/embed/playground', async (page) => {
      await widgetReady(page, 0);
      assert.deepEqual(await audit(page, 'embed-playground'), []);
    });
  });

  test('the not-found page and a page with notices have no serious or critical axe violations', async () => {
    await withPage(site, '#/articles/round-robin?w0.traffic.rate_rps=9999&zzz=1', async (page) => {
      await widgetReady(page, 0);
      assert.deepEqual(await audit(page, 'notices'), []);
    });
    await withPage(site, '#/nope', async (page) => {
      await page.waitForSelector('.not-found');
      assert.deepEqual(await audit(page, 'not-found'), []);
    });
  });

  test('in dark mode the article page has no serious or critical axe violations', { timeout: 60_000 }, async () => {
    const page = track(await site.context.newPage());
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(site.url('#/articles/round-robin'));
    await widgetReady(page, 0);
    assert.equal(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), true);
    const bad = await audit(page, 'article-dark');
    await expectClean(page);
    assert.deepEqual(bad, []);
  });

  test('the results lists are valid definition lists', async () => {
    await withPage(site, '#/embed/round-robin/0', async (page) => {
      await widgetReady(page, 0);
      await page.addScriptTag({ path: AXE });
      const result = await page.evaluate(() => window.axe.run('.stats', { runOnly: ['definition-list', 'dlitem'] }));
      assert.deepEqual(result.violations.map((v) => v.id), []);
    });
  });
});
