// Bad links: unknown pages, malformed or out-of-range parameters, markup in
// parameters. Each gives a specific visible message, and the widgets work.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setup, stats, until, widget, widgetReady, withPage } from './helpers.mjs';

const ARTICLE = '#/articles/round-robin';
let site;
let preset; // widget 0's numbers with a clean link

before(async () => {
  site = await setup();
  await withPage(site, ARTICLE, async (page) => { preset = await stats(await widgetReady(page, 0)); });
});
after(async () => { await site?.close(); });

/** Role and text (whitespace collapsed) of the notices `sel` inside `scope`. */
const notices = (scope, sel = '.notice') => scope.locator(sel).evaluateAll(
  (ns) => ns.map((n) => ({ role: n.getAttribute('role'), text: n.textContent.replace(/\s+/g, ' ').trim() })),
);

/** Widget 0 still responds to its knobs. */
async function stillWorks(page) {
  const w = widget(page, 0);
  const before = await stats(w);
  await w.locator('input[data-path="traffic.rate_rps"]').focus();
  await page.keyboard.press('ArrowLeft');
  await until(() => stats(w), (s) => s[0].p99 !== before[0].p99, { what: 'the widget to respond' });
}

describe('bad input', () => {
  test('an unknown article names the articles there are', async () => {
    await withPage(site, '#/articles/nope', async (page) => {
      assert.equal(await page.locator('main h1').innerText(), 'Article not found');
      assert.deepEqual(await notices(page), [
        { role: 'alert', text: 'Error: There is no article “nope”. The articles are: round-robin, retries, backoff, breakers, pools, caches.' },
      ]);
      assert.equal(await page.title(), 'Article not found · Brownout');
      await page.getByRole('link', { name: 'See all articles' }).click();
      await page.waitForSelector('.article-list');
    });
  });

  test('an unknown route says page not found', async () => {
    await withPage(site, '#/nope/x', async (page) => {
      assert.equal(await page.locator('main h1').innerText(), 'Page not found');
      assert.equal(await page.locator('.not-found p').first().innerText(), 'There is no page at “/nope/x”.');
      assert.equal(await page.locator('.not-found').getAttribute('role'), 'alert');
      assert.equal(await page.getByRole('link', { name: 'See all articles' }).getAttribute('href'), '#/');
    });
    await withPage(site, '#/embed/round-robin/abc', async (page) => {
      assert.equal(await page.locator('main h1').innerText(), 'Page not found');
    });
  });

  test('bad embed links say which widgets and articles exist', async () => {
    await withPage(site, '#/embed/round-robin/99', async (page) => {
      assert.deepEqual(await notices(page), [{
        role: 'alert',
        text: 'Error: “When round robin fails” has widgets 0 to 6; there is no widget 99.',
      }]);
    });
    await withPage(site, '#/embed/nope/0', async (page) => {
      assert.deepEqual(await notices(page), [{
        role: 'alert',
        text: 'Error: There is no article “nope” to embed from. The articles are: round-robin, retries, backoff, breakers, pools, caches.',
      }]);
    });
  });

  test('an out-of-range value is named, and the widget falls back to the preset and still works', async () => {
    await withPage(site, `${ARTICLE}?w0.traffic.rate_rps=9999`, async (page) => {
      const w = await widgetReady(page, 0);
      assert.deepEqual(await notices(w), [{
        role: 'status',
        text: 'Note: Arrival rate must be a number from 50 to 160 req/s, got "9999"',
      }]);
      assert.equal(await w.locator('input[data-path="traffic.rate_rps"]').inputValue(), '140');
      assert.deepEqual(await stats(w), preset);
      await stillWorks(page);
    });
  });

  test('malformed values, unknown parameters and stray keys each get their own message', async () => {
    const hash = `${ARTICLE}?w0.traffic.rate_rps=abc&w0.seed=-1&w0.x=1&w0.servers%5B2%5D.speed=&zzz=1&w9.seed=1`;
    await withPage(site, hash, async (page) => {
      const w = await widgetReady(page, 0);
      assert.deepEqual(await notices(w), [{
        role: 'status',
        text: 'Note: Arrival rate must be a number from 50 to 160 req/s, got "abc"'
          + `seed must be a whole number from 0 to 18446744073709551615, got "-1"`
          + 'unknown parameter "x"; this widget takes: traffic.rate_rps, servers[2].speed, seed'
          + 'Speed of legacy servers must be a number from 0.1 to 3 ×, got ""',
      }]);
      const page_notices = await notices(page, 'article.article > .notice');
      assert.deepEqual(page_notices, [{
        role: 'status',
        text: 'Note: Ignored link parameters: zzz, w9.seed. Widget parameters start with w0., w1., … (this article has 7 widgets).',
      }]);
      assert.deepEqual(await stats(w), preset);
      assert.equal(await w.locator('.seed').innerText(), 'seed 2');
      await stillWorks(page);
    });
  });

  test('a number with spaces around it is accepted', async () => {
    await withPage(site, '#/embed/round-robin/0?traffic.rate_rps=%20140%20', async (page) => {
      const w = await widgetReady(page, 0);
      assert.deepEqual(await notices(w), []);
      assert.deepEqual(await stats(w), preset);
    });
  });

  test('markup in link parameters is shown as text; no script runs and no element is injected', async () => {
    const script = '<script>alert(1)</script>';
    const img = '<img src=x onerror=alert(2)>';
    const hash = `${ARTICLE}?w0.balancer.policy=${encodeURIComponent(script)}`
      + `&w1.balancer.policy=${encodeURIComponent(script)}`
      + `&w0.${encodeURIComponent(img)}=1`
      + `&${encodeURIComponent('<b>bold</b>')}=1`;
    await withPage(site, hash, async (page) => {
      const w0 = await widgetReady(page, 0);
      const w1 = await widgetReady(page, 1);
      assert.deepEqual((await notices(w0)).map((n) => n.text), [
        'Note: unknown parameter "balancer.policy"; this widget takes: traffic.rate_rps, servers[2].speed, seed'
        + 'unknown parameter "<img src=x onerror=alert(2)>"; this widget takes: traffic.rate_rps, servers[2].speed, seed',
      ]);
      const [n1] = await notices(w1);
      assert.equal(n1.text, 'Note: Balancer policy must be one of round_robin, weighted_round_robin, random, '
        + 'least_connections, power_of_two, peak_ewma, got "<script>alert(1)</script>"');
      assert.equal(await w1.locator('.notice').innerText().then((t) => t.includes(script)), true,
        'the markup is visible as text');
      assert.match((await notices(page, 'article.article > .notice'))[0].text, /Ignored link parameters: <b>bold<\/b>\./);
      // Nothing was parsed as markup.
      const injected = await page.evaluate(() => ({
        scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src')),
        inMain: document.querySelectorAll('main script, main img, main b, .notice *:not(strong):not(p)').length,
      }));
      assert.equal(injected.inMain, 0);
      assert.ok(injected.scripts.every((src) => src && /^\.\/loader-[0-9a-f]+\.js$/.test(src)), JSON.stringify(injected.scripts));
      // Still the preset, and still working; `withPage` fails on any alert dialog.
      assert.equal(await w1.locator('.widget-controls > .knobs select[data-path="balancer.policy"]').inputValue(), 'round_robin');
      assert.deepEqual(await stats(w0), preset);
      await stillWorks(page);
    });
  });

  test('bad embed parameters are named too', async () => {
    await withPage(site, '#/embed/round-robin/0?traffic.rate_rps=9999', async (page) => {
      const w = await widgetReady(page, 0);
      assert.deepEqual((await notices(w)).map((n) => n.text),
        ['Note: Arrival rate must be a number from 50 to 160 req/s, got "9999"']);
      assert.deepEqual(await stats(w), preset);
    });
  });

  test('unknown knobs in show= and a bad height= on an embed are named', async () => {
    await withPage(site, '#/embed/round-robin/0?height=abc&show=nope', async (page) => {
      const w = await widgetReady(page, 0);
      const text = (await notices(page)).map((n) => n.text).join(' ');
      assert.match(text, /nope/);
      assert.match(text, /abc/);
      assert.ok(await w.locator('[data-path]').count() > 0);
    });
  });
});
