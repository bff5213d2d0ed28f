// Pages and links: home, article, sections, not-found pages.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setup, widgetReady, withPage } from './helpers.mjs';

const TITLE = 'When round robin fails';
let site;

before(async () => { site = await setup(); });
after(async () => { await site?.close(); });

/** Top of element `id` relative to the viewport. */
const topOf = (page, id) => page.evaluate((id) => document.getElementById(id).getBoundingClientRect().top, id);

describe('navigation', () => {
  test('the home page lists article 1 and its link opens the article', async () => {
    await withPage(site, '#/', async (page) => {
      await page.waitForSelector('.article-list li');
      assert.match(await page.title(), /Brownout/);
      assert.equal(await page.locator('.site-header a.brand').innerText(), 'Brownout');
      const link = page.locator('.article-list a', { hasText: TITLE });
      assert.equal(await link.count(), 1, 'a link to article 1');
      assert.equal(await link.getAttribute('href'), '#/articles/round-robin');
      assert.ok((await page.locator('.article-list li').first().innerText()).includes('2 AM page'), 'with its summary');
      await link.click();
      await page.waitForSelector('article.article h1');
      assert.equal(await page.locator('article.article h1').innerText(), TITLE);
      // Widgets that open in compare mode add their `wN.compare` to the hash.
      assert.match(await page.evaluate(() => location.hash), /^#\/articles\/round-robin(\?|$)/);
      assert.equal(await page.title(), `${TITLE} · Brownout`);
      await widgetReady(page, 0);
    });
  });

  test('the header puts the name and the navigation on one line and the tagline under them, at desktop and phone width', async () => {
    for (const width of [1280, 375]) {
      await withPage(site, '#/', async (page) => {
        await page.setViewportSize({ width, height: 800 });
        await page.waitForSelector('.article-list li');
        const box = (sel) => page.locator(sel).boundingBox();
        const [brand, nav, tagline] = [await box('.site-header .brand'), await box('.site-nav'), await box('.tagline')];
        const mid = (b) => b.y + b.height / 2;
        assert.ok(Math.abs(mid(nav) - mid(brand)) < brand.height / 2, `${width}: the navigation is on the name's line`);
        assert.ok(nav.x > brand.x + brand.width, `${width}: to its right`);
        assert.ok(tagline.y >= brand.y + brand.height - 1, `${width}: the tagline is under the name`);
      });
    }
  });

  test('the article page renders headings with anchors and at least three live widgets', async () => {
    await withPage(site, '#/articles/round-robin', async (page) => {
      await widgetReady(page, 0);
      const headings = await page.locator('article.article h2.heading').evaluateAll((hs) => hs.map((h) => ({
        id: h.id,
        text: h.textContent,
        href: h.querySelector('a.anchor')?.getAttribute('href'),
        label: h.querySelector('a.anchor')?.getAttribute('aria-label'),
      })));
      assert.ok(headings.length >= 3, `at least 3 headings, got ${headings.length}`);
      for (const h of headings) {
        assert.match(h.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, `heading id ${h.id}`);
        assert.equal(h.href, `#/articles/round-robin/${h.id}`, `anchor of ${h.id}`);
        assert.match(h.label, /^Link to the section /);
      }
      assert.ok(headings.some((h) => h.id === 'the-2-am-page'));
      const count = await page.locator('section.widget').count();
      assert.ok(count >= 3, `at least 3 widgets, got ${count}`);
      for (let i = 0; i < count; i++) {
        const w = await widgetReady(page, i);
        assert.ok(await w.locator('input[data-path], select[data-path]').count() >= 1, `widget ${i} has knobs`);
        assert.ok(await w.locator('figure.chart canvas').count() >= 1, `widget ${i} has charts`);
        const label = await w.locator('figure.chart canvas').first().getAttribute('aria-label');
        assert.ok(label && label.length > 20, `widget ${i}'s chart has a text summary`);
      }
      assert.equal(await page.locator('footer.site-footer').count(), 1);
    });
  });

  test('a link to a heading or a widget opens the article scrolled there', async () => {
    await withPage(site, '#/articles/round-robin/weights-the-first-fix', async (page) => {
      await page.waitForSelector('#weights-the-first-fix');
      const top = await topOf(page, 'weights-the-first-fix');
      assert.ok(Math.abs(top) < 5, `heading at the top of the viewport, at ${top}px`);
    });
    await withPage(site, '#/articles/round-robin/widget-2', async (page) => {
      await widgetReady(page, 2);
      const top = await topOf(page, 'widget-2');
      assert.ok(Math.abs(top) < 5, `widget 2 at the top of the viewport, at ${top}px`);
    });
  });

  test('clicking a heading anchor on the article scrolls to that heading', async () => {
    await withPage(site, '#/articles/round-robin', async (page) => {
      await widgetReady(page, 0);
      await page.locator('#weights-the-first-fix a.anchor').click();
      await page.waitForTimeout(300);
      const top = await topOf(page, 'weights-the-first-fix');
      assert.ok(Math.abs(top) < 5, `heading at the top of the viewport, at ${top}px`);
    });
  });

  test('the brand link leads back home', async () => {
    await withPage(site, '#/articles/round-robin', async (page) => {
      await widgetReady(page, 0);
      await page.locator('.site-header a.brand').click();
      await page.waitForSelector('.article-list');
      assert.equal(await page.evaluate(() => location.hash), '#/');
    });
  });

  test('the skip link moves keyboard focus to the main content', async () => {
    await withPage(site, '#/articles/round-robin', async (page) => {
      await widgetReady(page, 0);
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
    });
  });
});
