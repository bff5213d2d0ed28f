// Downloads: the exported scenario reproduces the page's numbers in the
// CLI; charts download as PNG, SVG and CSV.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { DIST, ROOT, outputDir, setup, stats, until, widgetReady, withPage } from './helpers.mjs';

const run = promisify(execFile);
const ARTICLE = '#/articles/round-robin';
let site;
let downloads;

before(async () => {
  site = await setup();
  downloads = outputDir('downloads');
});
after(async () => { await site?.close(); });

/** Clicks `button` and returns `{ name, text, bytes }` of the file it downloads (also saved under test-output/downloads). */
async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const name = file.suggestedFilename();
  const target = path.join(downloads, name);
  await file.saveAs(target);
  const bytes = fs.readFileSync(target);
  return { name, path: target, bytes, text: bytes.toString('utf8') };
}

/**
 * The command that runs the CLI: $BROWNOUT_CLI, else target/release/brownout
 * when it is newer than the built site's wasm, else `cargo run`.
 */
function cli() {
  if (process.env.BROWNOUT_CLI) return [process.env.BROWNOUT_CLI, []];
  const bin = path.join(ROOT, 'target/release/brownout');
  const wasm = fs.readdirSync(DIST).find((f) => f.endsWith('.wasm'));
  if (fs.existsSync(bin) && (!wasm || fs.statSync(bin).mtimeMs >= fs.statSync(path.join(DIST, wasm)).mtimeMs)) {
    return [bin, []];
  }
  return ['cargo', ['run', '--quiet', '--release', '-p', 'brownout-cli', '--']];
}

describe('downloads', () => {
  test('the exported scenario, run with the CLI, gives the numbers the page shows', { timeout: 300_000 }, async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 0);
      const preset = await stats(w);
      await w.locator('input[data-path="traffic.rate_rps"]').focus();
      await page.keyboard.press('ArrowLeft');
      await w.locator('input[data-path="servers[2].speed"]').focus();
      await page.keyboard.press('ArrowRight');
      await until(() => w.locator('input.share-link').inputValue(), (v) => v.includes('speed=0.55'), { what: 'state' });
      const [shown] = await until(() => stats(w), (s) => s[0].p99 !== preset[0].p99, { what: 'new numbers' });
      assert.equal(await w.locator('.sides.compare').count(), 0, 'a single run');

      const file = await download(page, w.getByRole('button', { name: 'Export scenario' }));
      assert.equal(file.name, 'brownout-round-robin-2am.toml');
      assert.match(file.text, /^# Exported from Brownout \(round-robin-2am\); reproduce with: brownout run brownout-round-robin-2am\.toml\n/);
      assert.match(file.text, /rate_rps = 135\b/);

      const [cmd, args] = cli();
      const { stdout } = await run(cmd, [...args, 'run', file.path, '--json'], { cwd: ROOT, maxBuffer: 1 << 24 });
      const summary = JSON.parse(stdout);
      assert.equal(summary.latency_ms.p99, shown.p99, 'p99');
      assert.equal(summary.latency_ms.p50, shown.p50, 'p50');
      assert.equal(summary.throughput_rps, shown.throughput, 'throughput');
      assert.equal(summary.in_flight, shown.in_flight, 'unfinished');
      assert.equal(summary.within_slo, shown.within_slo, 'within the objective');
      assert.equal(summary.theory.round_robin_max_utilization, shown.theory_rr_max_utilization, 'theory');
    });
  });

  test('charts download as SVG, CSV with a header row, and PNG', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 0);
      const chart = w.locator('figure.chart[data-chart=latency]');
      const svg = await download(page, chart.getByRole('button', { name: 'SVG' }));
      assert.equal(svg.name, 'brownout-round-robin-2am-latency.svg');
      assert.match(svg.text, /<svg[\s>]/);
      assert.match(svg.text, /<\/svg>\s*$/);

      const csv = await download(page, chart.getByRole('button', { name: 'CSV' }));
      assert.equal(csv.name, 'brownout-round-robin-2am-latency.csv');
      const rows = csv.text.trim().split('\n').map((r) => r.split(','));
      assert.ok(rows.length > 10, `rows: ${rows.length}`);
      const header = rows[0];
      assert.ok(header.length >= 2 && header.every((h) => h !== '' && Number.isNaN(Number(h))), `header: ${header}`);
      assert.ok(rows.slice(1).every((r) => r.length === header.length), 'every row has a value per column');
      assert.ok(!Number.isNaN(Number(rows[1][0])), 'data rows are numbers');

      const png = await download(page, chart.getByRole('button', { name: 'PNG' }));
      assert.equal(png.name, 'brownout-round-robin-2am-latency.png');
      assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    });
  });

  test('in compare mode the CSV has columns for both sides', async () => {
    await withPage(site, ARTICLE, async (page) => {
      const w = await widgetReady(page, 1);
      const csv = await download(page, w.locator('figure.chart[data-chart=queues]').getByRole('button', { name: 'CSV' }));
      const header = csv.text.split('\n')[0];
      assert.ok(header.split(',').length >= 3, header);
      assert.match(header, /weighted/i, `side B in the header: ${header}`);
    });
  });

  test('article 2: the exported storm scenario reproduces its goodput in the CLI, and the goodput CSV has both sides', { timeout: 300_000 }, async () => {
    await withPage(site, '#/articles/retries', async (page) => {
      const w = await widgetReady(page, 0);
      const before = await stats(w);
      await w.locator('input[data-path="client.throttle.enabled"]').check();
      const [shown] = await until(() => stats(w), (s) => JSON.stringify(s) !== JSON.stringify(before), { what: 'new numbers' });
      const file = await download(page, w.getByRole('button', { name: 'Export scenario' }));
      assert.equal(file.name, 'brownout-retry-storm.toml');
      assert.match(file.text, /throttle/);
      const [cmd, args] = cli();
      const { stdout } = await run(cmd, [...args, 'run', file.path, '--json'], { cwd: ROOT, maxBuffer: 1 << 24 });
      const summary = JSON.parse(stdout);
      assert.equal(summary.goodput_rps, shown.goodput, 'goodput');
      assert.equal(summary.within_slo, shown.within_slo, 'within the SLO');
      assert.equal(summary.amplification, shown.amplification, 'amplification');

      const csv = await download(page, w.locator('figure.chart[data-chart=goodput]').getByRole('button', { name: 'CSV' }));
      const header = csv.text.split('\n')[0];
      assert.match(header, /goodput/i, header);
      assert.ok(header.split(',').length >= 5, `both sides: ${header}`);
    });
  });
});
