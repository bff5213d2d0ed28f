// The playground (#/playground) and its embed (#/embed/playground): edit a
// scenario beside its widget, pick knobs, share, embed, import and export,
// and links that cannot be opened.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import path from 'node:path';
import {
  chartPixels, expectClean, launch, open, outputDir, setup, stats, until, widget, widgetReady, withPage,
} from './helpers.mjs';

let site;

before(async () => { site = await setup(); });
after(async () => { await site?.close(); });

/** A playground link value (`s=`) for `toml` and `knobs`, written as the site writes it. */
const encode = (toml, knobs = []) => zlib.deflateRawSync(Buffer.from(JSON.stringify({ v: 1, toml, knobs })))
  .toString('base64url');

const MM1 = `duration_s = 600
seed = 3
[traffic]
rate_rps = 8
[[servers]]
count = 1
workers = 1
service_ms = { dist = "exponential", mean = 100 }
`;

const editor = (page) => page.locator('#pg-text');
const status = (page) => page.locator('.editor-status');

/** Waits for the playground's widget to show its numbers and charts. */
async function ready(page) {
  return widgetReady(page, 0);
}

/** Replaces the editor's text the way typing does (an input event). */
async function typeText(page, text) {
  await editor(page).fill(text);
}

describe('playground', () => {
  test('editing a value reruns the widget, and the URL carries the scenario', { timeout: 60_000 }, async () => {
    await withPage(site, '#/playground', async (page) => {
      const w = await ready(page);
      assert.equal(await page.title(), 'Playground · Brownout');
      const text = await editor(page).inputValue();
      assert.match(text, /^# The 2 AM outage/, 'opens on the default preset, comments kept');
      const before = await stats(w);
      const charts = await chartPixels(w);
      await typeText(page, text.replace(/rate_rps = 140/, 'rate_rps = 60'));
      const after = await until(() => stats(widget(page, 0)), (s) => s[0]?.p99 !== before[0].p99, { what: 'new numbers' });
      assert.ok(after[0].p99 < before[0].p99, `less load, lower p99: ${before[0].p99} → ${after[0].p99}`);
      await until(() => chartPixels(widget(page, 0)), (c) => c.latency && c.latency !== charts.latency, { what: 'a new latency chart' });
      assert.equal(await status(page).innerText(), 'Valid: the widget runs this scenario.');
      const hash = await page.evaluate(() => location.hash);
      assert.match(hash, /^#\/playground\?s=[A-Za-z0-9_-]+$/);
      // A reload gives the edited scenario back, numbers and all.
      await page.reload();
      const again = await ready(page);
      assert.match(await editor(page).inputValue(), /rate_rps = 60/);
      assert.deepEqual(await stats(again), after);
    });
  });

  test('an error names its line and field, marks the line, and never runs', { timeout: 60_000 }, async () => {
    await withPage(site, `#/playground?s=${encode(MM1)}`, async (page) => {
      const w = await ready(page);
      const good = await stats(w);
      await typeText(page, MM1.replace('rate_rps = 8', 'rate_rps = -8'));
      await page.locator('.editor-status.bad').waitFor();
      assert.match(await status(page).innerText(), /^Line 4: traffic\.rate_rps: must be above 0/);
      assert.equal((await page.locator('.editor-gutter .bad').innerText()).trim(), '4');
      assert.equal(await editor(page).getAttribute('aria-invalid'), 'true');
      assert.equal(await page.locator('.stale-note').innerText(), 'The text has an error; the widget shows the last valid scenario.');
      assert.deepEqual(await stats(w), good, 'the last valid scenario still shows');
      // "Show the line" selects it.
      await page.getByRole('button', { name: 'Show the line' }).click();
      const selected = await editor(page).evaluate((t) => t.value.slice(t.selectionStart, t.selectionEnd));
      assert.equal(selected, 'rate_rps = -8');
      // A syntax error and an unknown field, too.
      await typeText(page, MM1.replace('[traffic]', '[traffic'));
      await until(() => status(page).innerText(), (t) => t.startsWith('Line 3:'), { what: 'a syntax error on line 3' });
      await typeText(page, MM1.replace('workers = 1', 'workers = 1\nwrokers = 2'));
      await until(() => status(page).innerText(), (t) => /^Line 8: servers\[0\]/.test(t) && t.includes('wrokers'), { what: 'the unknown field' });
      await typeText(page, MM1);
      await until(() => status(page).innerText(), (t) => t.startsWith('Valid'), { what: 'valid again' });
    });
  });

  test('knobs picked from the fields appear in the widget with their label and range', { timeout: 60_000 }, async () => {
    await withPage(site, `#/playground?s=${encode(MM1)}`, async (page) => {
      const w = await ready(page);
      const options = await page.locator('#pg-knobs-add option').evaluateAll((os) => os.map((o) => o.value));
      assert.ok(options.includes('traffic.rate_rps') && options.includes('servers[0].workers'), options.join(', '));
      await page.selectOption('#pg-knobs-add', 'traffic.rate_rps');
      await page.getByRole('button', { name: 'Add knob' }).click();
      const slider = w.locator('input[data-path="traffic.rate_rps"]');
      await slider.waitFor();
      await page.fill('#pg-knobs-0-label', 'Arrivals per second');
      await page.locator('#pg-knobs-0-label').press('Tab');
      await page.fill('#pg-knobs-0-max', '12');
      await page.locator('#pg-knobs-0-max').press('Tab');
      await until(() => widget(page, 0).locator('label[for="w0-k0"]').innerText(), (t) => t === 'Arrivals per second', { what: 'the label' });
      await until(() => widget(page, 0).locator('input[data-path="traffic.rate_rps"]').getAttribute('max'), (m) => m === '12', { what: 'the new range' });
      // Moving it reruns, and the URL keeps the value next to the scenario.
      const before = await stats(widget(page, 0));
      await widget(page, 0).locator('input[data-path="traffic.rate_rps"]').focus();
      await page.keyboard.press('End');
      await until(() => stats(widget(page, 0)), (s) => s[0].p99 !== before[0].p99, { what: 'new numbers' });
      const params = new URLSearchParams((await page.evaluate(() => location.hash)).split('?')[1]);
      assert.equal(params.get('w0.traffic.rate_rps'), '12');
      await page.getByRole('button', { name: 'Remove the knob traffic.rate_rps' }).click();
      await until(() => widget(page, 0).locator('input[data-path]').count(), (n) => n === 0, { what: 'the knob to go' });
    });
  });

  test('a shared link and its embed give the same numbers in a fresh browser', { timeout: 90_000 }, async () => {
    const knobs = ['traffic.rate_rps', { path: 'servers[0].workers', label: 'Workers', max: 4 }];
    const page = await site.open(`#/playground?s=${encode(MM1, knobs)}`);
    const w = await ready(page);
    await w.locator('input[data-path="traffic.rate_rps"]').focus();
    await page.keyboard.press('ArrowRight');
    await w.getByRole('button', { name: 'New seed' }).click();
    const numbers = await until(() => stats(widget(page, 0)), (s) => s[0] && s[0].p99 > 0, { what: 'numbers' });
    await page.waitForTimeout(100);
    const shown = await stats(widget(page, 0));
    const link = await widget(page, 0).locator('input.share-link').inputValue();
    assert.match(link, /#\/playground\?s=[A-Za-z0-9_-]+&w0\.traffic\.rate_rps=[\d.]+&w0\.seed=\d+$/);
    await widget(page, 0).getByRole('button', { name: 'Embed', exact: true }).click();
    const snippet = await widget(page, 0).locator('textarea.embed-snippet').inputValue();
    const src = snippet.match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
    assert.match(src, /#\/embed\/playground\?s=[A-Za-z0-9_-]+&traffic\.rate_rps=[\d.]+&seed=\d+&height=720$/);
    assert.ok(numbers);
    await expectClean(page);

    const fresh = await launch();
    try {
      const shared = await open(fresh, link);
      assert.deepEqual(await stats(await ready(shared)), shown, 'the shared link');
      assert.match(await editor(shared).inputValue(), /rate_rps = 8/, 'the text as written');
      assert.equal(await widget(shared, 0).locator('label[for="w0-k1"]').innerText(), 'Workers');
      await expectClean(shared);
      const embed = await open(fresh, src);
      const e = await ready(embed);
      assert.deepEqual(await stats(e), shown, 'the embed');
      assert.equal(await embed.locator('.site-header, #pg-text').count(), 0, 'no chrome, no editor');
      assert.equal(await embed.locator('.embed-frame').evaluate((f) => f.style.height), '720px');
      const back = await embed.locator('.embed-credit a').getAttribute('href');
      assert.match(back, /^#\/playground\?s=/);
      await expectClean(embed);
      // show= limits the knobs, as on any embed.
      const one = await open(fresh, `${src}&show=servers%5B0%5D.workers`);
      const o = await ready(one);
      assert.deepEqual(await o.locator('[data-path]').evaluateAll((els) => els.map((x) => x.dataset.path)), ['servers[0].workers']);
      await expectClean(one);
    } finally {
      await fresh.close();
    }
  });

  test('any widget opens in the playground as it was set, with its knobs', { timeout: 60_000 }, async () => {
    await withPage(site, '#/articles/round-robin?w0.traffic.rate_rps=120&w0.seed=5', async (page) => {
      const w = await widgetReady(page, 0);
      const article = await stats(w);
      const href = await w.getByRole('link', { name: 'Open in playground' }).getAttribute('href');
      assert.equal(href, '#/playground?article=round-robin&widget=0&traffic.rate_rps=120&seed=5');
      await w.getByRole('link', { name: 'Open in playground' }).click();
      await page.locator('#pg-text').waitFor();
      const p = await ready(page);
      const pick = ([s]) => ({ p50: s.p50, p99: s.p99, throughput: s.throughput });
      assert.deepEqual(pick(await stats(p)), pick(article));
      assert.match(await editor(page).inputValue(), /^# From “When round robin fails”, simulation 1 \(preset round-robin-2am\)/);
      assert.ok(await p.locator('input[data-path="traffic.rate_rps"]').count() === 1);
    });
  });

  test('a preset picked just after typing is not undone by the typing pause', { timeout: 60_000 }, async () => {
    await withPage(site, `#/playground?s=${encode(MM1)}`, async (page) => {
      await ready(page);
      await typeText(page, MM1.replace('rate_rps = 8', 'rate_rps = 5'));
      await page.selectOption('#pg-preset', 'round-robin-2am');
      await until(() => editor(page).inputValue(), (t) => t.startsWith('# The 2 AM outage'), { what: 'the preset' });
      await page.waitForTimeout(600);
      assert.match(await editor(page).inputValue(), /^# The 2 AM outage/, 'still the preset');
      const [s] = await until(() => stats(widget(page, 0)), ([x]) => x && x.throughput > 100, { what: 'the preset running' });
      assert.ok(s.throughput > 100);
    });
  });

  test('a knob on a field the text no longer has is an error of the knobs', { timeout: 60_000 }, async () => {
    const two = `${MM1}[[servers]]\ncount = 1\nworkers = 2\nservice_ms = { dist = "constant", value = 50 }\n`;
    await withPage(site, `#/playground?s=${encode(two, ['servers[1].workers'])}`, async (page) => {
      const w = await ready(page);
      const good = await stats(w);
      await typeText(page, MM1);
      await until(() => status(page).innerText(), (t) => t.startsWith('knobs: ') && t.includes('servers[1].workers'), { what: 'the knobs error' });
      assert.deepEqual(await stats(widget(page, 0)), good, 'the last valid scenario still runs');
      await page.getByRole('button', { name: 'Remove the knob servers[1].workers' }).click();
      await until(() => status(page).innerText(), (t) => t.startsWith('Valid'), { what: 'valid without the knob' });
    });
  });

  test('a preset, a file and a download', { timeout: 60_000 }, async () => {
    await withPage(site, '#/playground', async (page) => {
      await ready(page);
      await page.selectOption('#pg-preset', 'mm1');
      await until(() => editor(page).inputValue(), (t) => t.includes('rate_rps = 8'), { what: 'the mm1 preset' });
      await until(() => page.evaluate(() => location.hash), (h) => h.startsWith('#/playground?s='), { what: 'the URL' });
      await page.setInputFiles('#pg-file', { name: 'mine.toml', mimeType: 'application/toml', buffer: Buffer.from(MM1.replace('rate_rps = 8', 'rate_rps = 6')) });
      await until(() => editor(page).inputValue(), (t) => t.includes('rate_rps = 6'), { what: 'the file' });
      await until(() => status(page).innerText(), (t) => t.startsWith('Valid'), { what: 'valid' });
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .toml' }).click()]);
      assert.equal(download.suggestedFilename(), 'brownout-playground.toml');
      assert.equal(fs.readFileSync(await download.path(), 'utf8'), await editor(page).inputValue());
      await page.setInputFiles('#pg-file', { name: 'huge.toml', mimeType: 'text/plain', buffer: Buffer.alloc(70 * 1024, 35) });
      await until(() => page.locator('.notice').allInnerTexts(), (ns) => ns.some((n) => n.includes('“huge.toml” is 70 KiB; the playground opens scenarios of at most 64 KiB.')), { what: 'the size message' });
    });
  });

  test('the CLI command reruns the scenario from its link', { timeout: 60_000 }, async () => {
    await withPage(site, `#/playground?s=${encode(MM1)}`, async (page) => {
      const w = await ready(page);
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
      await w.getByRole('button', { name: 'Copy CLI command' }).click();
      await until(() => w.locator('.share-status').innerText(), (t) => t === 'CLI command copied.', { what: 'copied' });
      const cmd = await page.evaluate(() => navigator.clipboard.readText());
      assert.match(cmd, /^brownout run --url 'http:\/\/127\.0\.0\.1:\d+\/#\/playground\?s=[A-Za-z0-9_-]+'$/);
    });
  });
});

describe('playground: the instructor', () => {
  test('pastes a scenario, picks three knobs, sets one, and embeds exactly that widget in a slide', { timeout: 90_000 }, async () => {
    const mine = `# Our checkout service at Black Friday load
seed = 11
duration_s = 300
[traffic]
rate_rps = 30
[balancer]
policy = "least_connections"
[[servers]]
name = "checkout"
count = 4
workers = 2
service_ms = { dist = "lognormal", mean = 200, p99 = 900 }
`;
    const page = await site.open('#/playground');
    await ready(page);
    await typeText(page, mine);
    await until(() => status(page).innerText(), (t) => t.startsWith('Valid'), { what: 'valid' });
    await until(() => widget(page, 0).locator('svg.flow').textContent().catch(() => ''), (t) => t.includes('checkout 3'), { what: 'the pasted scenario to run' });
    for (const field of ['traffic.rate_rps', 'balancer.policy', 'servers[0].count']) {
      await page.selectOption('#pg-knobs-add', field);
      await page.getByRole('button', { name: 'Add knob' }).click();
      await widget(page, 0).locator(`[data-path="${field}"]`).waitFor();
    }
    await widget(page, 0).locator('select[data-path="balancer.policy"]').selectOption('round_robin');
    await until(() => page.evaluate(() => location.hash), (h) => h.includes('w0.balancer.policy=round_robin'), { what: 'the state in the URL' });
    const shown = await stats(widget(page, 0));
    await widget(page, 0).getByRole('button', { name: 'Embed', exact: true }).click();
    const snippet = await widget(page, 0).locator('textarea.embed-snippet').inputValue();
    await expectClean(page);

    // The slide: another page with the snippet pasted in, in a fresh browser.
    const fresh = await launch();
    try {
      const slide = await fresh.newPage();
      await slide.goto(`${site.server.url}missing-page-for-the-slide`);
      await slide.setContent(`<!doctype html><title>Slide 12</title><h1>Why our checkout melted</h1>${snippet}`);
      const frame = slide.frameLocator('iframe');
      await frame.locator('section.widget .stat[data-stat=p99] dd[data-value]').waitFor();
      const framed = await frame.locator('.stats').evaluateAll((lists) => lists.map((dl) => {
        const out = {};
        for (const s of dl.querySelectorAll('.stat[data-stat]')) out[s.dataset.stat] = Number(s.querySelector('dd').dataset.value);
        return out;
      }));
      assert.deepEqual(framed, shown, 'exactly the numbers the instructor saw');
      assert.deepEqual(await frame.locator('[data-path]').evaluateAll((els) => els.map((e) => e.dataset.path)),
        ['traffic.rate_rps', 'balancer.policy', 'servers[0].count'], 'the three knobs');
      assert.equal(await frame.locator('select[data-path="balancer.policy"]').inputValue(), 'round_robin', 'in that state');
      assert.equal(await frame.locator('.site-header, #pg-text').count(), 0);
    } finally {
      await fresh.close();
    }
  });
});

describe('playground: layout', () => {
  for (const [name, viewport, beside] of [['1600', { width: 1600, height: 1000 }, true], ['375', { width: 375, height: 812 }, false]]) {
    test(`at ${name} px the editor is ${beside ? 'beside' : 'above'} the widget, and nothing runs off the page`, { timeout: 60_000 }, async () => {
      const context = await launch({ viewport, deviceScaleFactor: beside ? 1 : 2 });
      try {
        const page = await open(context, site.url(`#/playground?s=${encode(MM1, ['traffic.rate_rps'])}`));
        await ready(page);
        const ed = await page.locator('.editor-body').boundingBox();
        const w = await widget(page, 0).boundingBox();
        if (beside) assert.ok(w.x >= ed.x + ed.width && Math.abs(w.y - ed.y) < 200, `${JSON.stringify(ed)} ${JSON.stringify(w)}`);
        else assert.ok(w.y >= ed.y + ed.height, `${JSON.stringify(ed)} ${JSON.stringify(w)}`);
        const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
        assert.ok(scroll <= client, `page is ${scroll} px wide in a ${client} px viewport`);
        // The header and the footer span the page as the playground does.
        const edges = await page.evaluate(() => ['.site-header', 'main', '.site-footer'].map((s) => {
          const r = document.querySelector(s).getBoundingClientRect();
          return [Math.round(r.left), Math.round(r.right)];
        }));
        assert.ok(edges.every(([l, r]) => l === edges[1][0] && r === edges[1][1]), `header, main, footer: ${JSON.stringify(edges)}`);
        // Typing works at this width too.
        await page.locator('#pg-text').fill(MM1.replace('rate_rps = 8', 'rate_rps = 7'));
        await until(() => page.evaluate(() => location.hash), (h) => h.includes('s='), { what: 'the URL' });
        // The knob follows the text before the picture is taken.
        const knob = widget(page, 0).locator('.knob-range output').first();
        await until(() => knob.innerText(), (t) => t === '7 req/s', { what: 'the knob to read the typed rate' });
        // In the knob list, every label sits on the line of its input.
        const apart = await page.locator('.knob-set-item label').evaluateAll((labels) => labels
          .map((l) => [l.textContent, l.getBoundingClientRect(), document.getElementById(l.htmlFor).getBoundingClientRect()])
          .filter(([, a, b]) => Math.abs((a.top + a.bottom) / 2 - (b.top + b.bottom) / 2) > 6)
          .map(([t]) => t));
        assert.deepEqual(apart, [], 'labels away from their inputs');
        await page.screenshot({ path: path.join(outputDir('screenshots'), `playground-${name}-full.png`), fullPage: true });
        await expectClean(page);
      } finally {
        await context.close();
      }
    });
  }
});

describe('playground: links that cannot be opened', () => {
  const bomb = zlib.deflateRawSync(Buffer.alloc(10_000_000, 48), { level: 9 }).toString('base64url');
  const cases = [
    ['not base64', '%%%', /not valid base64url/],
    ['not deflate', Buffer.from('plain text').toString('base64url'), /does not decompress/],
    ['a decompression bomb', bomb, /decompresses to more than 128 KiB/],
    ['not a scenario payload', zlib.deflateRawSync(Buffer.from('{"hello": 1}')).toString('base64url'), /not a Brownout scenario/],
    ['too long', 'A'.repeat(20_000), /a link carries at most 16384/],
  ];
  for (const [name, s, message] of cases) {
    test(`${name}: a specific message and the default preset`, { timeout: 30_000 }, async () => {
      for (const route of ['#/playground', '#/embed/playground']) {
        await withPage(site, `${route}?s=${s}`, async (page) => {
          await ready(page);
          const notes = await page.locator('.notice').allInnerTexts();
          assert.ok(notes.some((n) => message.test(n)), `${route}: ${notes.join(' | ')}`);
          if (route === '#/playground') assert.match(await editor(page).inputValue(), /^# The 2 AM outage/);
        });
      }
    });
  }

  test('an invalid scenario in a link stays in the editor to fix, the default preset runs', { timeout: 30_000 }, async () => {
    await withPage(site, `#/playground?s=${encode(MM1.replace('workers = 1', 'workers = 0'))}`, async (page) => {
      await ready(page);
      const notes = await page.locator('.notice').allInnerTexts();
      assert.ok(notes.some((n) => n.includes("This link's scenario is not valid (Line 7: servers[0].workers:")), notes.join(' | '));
      assert.match(await editor(page).inputValue(), /workers = 0/);
      assert.match(await status(page).innerText(), /^Line 7: servers\[0\]\.workers/);
    });
  });

  test('markup in a scenario is shown as text, never run as HTML', { timeout: 30_000 }, async () => {
    const evil = MM1.replace('[[servers]]', '[[servers]]\nname = "<img src=x onerror=alert(1)><b>bold</b>"');
    await withPage(site, `#/playground?s=${encode(evil, [{ path: 'traffic.rate_rps', label: '<script>alert(2)</script>' }])}`, async (page) => {
      const w = await ready(page);
      assert.equal(await page.locator('main img, main b, main script').count(), 0);
      assert.equal(await w.locator('label[for="w0-k0"]').innerText(), '<script>alert(2)</script>');
      assert.match(await editor(page).inputValue(), /<img src=x onerror=alert\(1\)>/);
    });
  });

  test('a scenario asking for more work than the budget is cut short with a message', { timeout: 30_000 }, async () => {
    const heavy = MM1.replace('duration_s = 600', 'duration_s = 100000').replace('rate_rps = 8', 'rate_rps = 9');
    await withPage(site, `#/playground?s=${encode(heavy)}`, async (page) => {
      const w = await ready(page);
      const notes = await w.locator('.notice').allInnerTexts();
      assert.ok(notes.some((n) => n.includes('This run was cut short')), notes.join(' | '));
    });
  });
});
