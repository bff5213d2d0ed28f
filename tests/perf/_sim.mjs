import { launch, open, serve, widgetReady } from '../e2e/helpers.mjs';
const server = await serve();
for (const [hash, knob] of [['#/articles/round-robin', 'traffic.rate_rps'], ['#/articles/retries', 'traffic.changes[0].rate_rps']]) {
  const context = await launch();
  const page = await open(context, `${server.url}${hash}`);
  const sims = [];
  page.on('console', (m) => { const t = m.text(); if (t.startsWith('SIMMS')) sims.push(Number(t.slice(6))); });
  const w = await widgetReady(page, 0);
  await page.waitForFunction(() => [...document.querySelectorAll('figure.sweep-map')].every((m) => m.dataset.done === m.dataset.total), null, { timeout: 120000 });
  await page.evaluate(() => performance.clearMeasures('brownout-redraw'));
  const rate = w.locator(`input[type=range][data-path="${knob}"]`);
  await rate.focus();
  sims.length = 0;
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction((n) => performance.getEntriesByName('brownout-redraw').length > n, i);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  }
  const ms = await page.evaluate(() => performance.getEntriesByName('brownout-redraw').map((e) => e.duration));
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(hash, 'redraw median', med(ms).toFixed(1), 'sim median', med(sims).toFixed(1), sims.length);
  await context.close();
}
await server.close();
