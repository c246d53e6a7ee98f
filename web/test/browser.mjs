// Drives the lab page in headless Chromium as a visitor would, asserts on what the page shows,
// and saves screenshots. Run by scripts/web_test.sh, which builds and serves the page first.
//
//   BASE_URL   the served page (default http://127.0.0.1:8000/)
//   CHROMIUM   the browser binary (default /usr/bin/chromium)
//   SHOTS      where the screenshots go (default web/test/screenshots)
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import assert from 'node:assert/strict';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8000/';
const shots = process.env.SHOTS ?? new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
const problems = [];
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
const results = {};

try {
  // ---- load ----
  await page.goto(base);
  await page.waitForSelector('#status[data-state="ready"]', { timeout: 30000 });
  results.ready_ms = Number(await page.getAttribute('#status', 'data-ready-ms'));
  assert.ok(results.ready_ms < 1000, `the page took ${results.ready_ms} ms to be ready`);
  assert.equal(await page.textContent('#simd'), 'simd128');

  // ---- strides explorer ----
  const layout = async (shape, expr) => {
    await page.fill('#shape', shape);
    await page.fill('#expr', expr);
    return {
      strides: await page.getAttribute('#layout-summary', 'data-strides'),
      view: await page.getAttribute('#layout-summary', 'data-view'),
      text: await page.textContent('#layout-summary'),
    };
  };
  let l = await layout('4, 15', 'x[:, 7:-7:2]');
  assert.equal(l.strides, '[15,2]');
  assert.match(l.text, /shape \[4, 1\].*offset 7.*a view/);
  l = await layout('3, 4', 'x[::-1, ::-2]');
  assert.equal(l.strides, '[-4,-2]');
  assert.match(l.text, /offset 11/);
  l = await layout('3, 4', 'x.T');
  assert.equal(l.strides, '[1,4]');
  l = await layout('4', 'np.broadcast_to(x, (3, 4))');
  assert.equal(l.strides, '[0,1]');
  l = await layout('3, 4', 'x[None]');
  assert.equal(l.strides, '[0,4,1]');
  l = await layout('3, 4', 'x.T.reshape(12)');
  assert.equal(l.view, 'false');
  assert.match(l.text, /a copy/);
  l = await layout('3, 4', 'x[::0]');
  assert.match(l.text, /step cannot be zero/);
  l = await layout('3, 4', 'x[:, ::-2]');
  // The strip numbers the view's reads: storage cell 3 is read first, cell 1 second.
  const orders = await page.$$eval('#strip .cell.hit .order', (els) => els.map((e) => e.textContent));
  assert.deepEqual(orders, ['1', '0', '3', '2', '5', '4']);
  await page.locator('#explorer').screenshot({ path: `${shots}/explorer.png` });

  await page.selectOption('#puzzle', '4');
  await page.fill('#answer', 'x[::-2]');
  await page.click('#check');
  assert.match(await page.textContent('#verdict'), /Not yet/);
  await page.fill('#answer', 'x.reshape(4, 3).T[::-2]');
  await page.click('#check');
  assert.match(await page.textContent('#verdict'), /Solved/);
  results.explorer = 'ok';

  // ---- GEMM ladder ----
  await page.fill('#n', '256');
  await page.click('#run-ladder');
  await page.waitForSelector('#ladder-state[data-done="true"]', { timeout: 180000 });
  const rows = await page.$$eval('#ladder-table tbody tr', (trs) => trs.map((tr) => ({
    tier: tr.dataset.tier, gflops: Number(tr.dataset.gflops), mismatches: Number(tr.dataset.mismatches),
  })));
  assert.equal(rows.length, 6);
  for (const r of rows) assert.equal(r.mismatches, 0, `${r.tier} differs from the naive loop`);
  const naive = rows[0].gflops;
  const packed = rows.find((r) => r.tier === 'packed').gflops;
  results.ladder_256 = Object.fromEntries(rows.map((r) => [r.tier, Number(r.gflops.toFixed(3))]));
  results.packed_over_naive = Number((packed / naive).toFixed(2));
  assert.ok(packed >= 4 * naive, `SIMD128 packed ${packed} GFLOP/s is not 4x naive ${naive}`);
  await page.locator('#ladder').screenshot({ path: `${shots}/ladder.png` });

  // ---- draw a digit ----
  const stroke = async (points) => {
    // Read after any scrolling: mouse positions are in the viewport.
    const pad = await page.locator('#pad').boundingBox();
    await page.mouse.move(pad.x + points[0][0], pad.y + points[0][1]);
    await page.mouse.down();
    for (const [x, y] of points.slice(1)) await page.mouse.move(pad.x + x, pad.y + y, { steps: 12 });
    await page.mouse.up();
  };
  const drawn = async (strokes) => {
    await page.click('#clear');
    for (const s of strokes) await stroke(s);
    await page.waitForFunction(() => document.querySelector('#prediction').dataset.digit !== '');
    return Number(await page.getAttribute('#prediction', 'data-digit'));
  };
  assert.equal(await drawn([[[140, 40], [140, 240]]]), 1, 'a vertical bar reads as 1');
  assert.equal(await drawn([[[70, 50], [210, 50], [120, 245]]]), 7, 'a bar and a slant read as 7');
  assert.equal(await drawn([[[140, 40], [90, 80], [85, 200], [140, 245], [195, 200], [190, 80], [140, 40]]]), 0,
    'a loop reads as 0');
  // Prediction time: the canvas as it is now, read, prepared and predicted, 30 times.
  const [times, model] = await page.evaluate(() => {
    const t = [];
    const m = [];
    for (let i = 0; i < 30; i += 1) {
      const t0 = performance.now();
      window.tesseraPredict();
      t.push(performance.now() - t0);
      m.push(Number(document.querySelector('#pred-time').dataset.modelMs));
    }
    return [t.sort((a, b) => a - b), m.sort((a, b) => a - b)];
  });
  results.predict_ms_median = Number(times[15].toFixed(3));
  results.predict_ms_max = Number(times[29].toFixed(3));
  results.model_ms_median = Number(model[15].toFixed(3));
  assert.ok(times[15] < 5, `a prediction takes ${times[15]} ms`);
  const units = await page.$$eval('#units figure', (f) => f.length);
  assert.equal(units, 8);
  await page.locator('#digit').screenshot({ path: `${shots}/digit.png` });
  await page.screenshot({ path: `${shots}/page.png`, fullPage: true });

  assert.deepEqual(problems, []);
  console.log(JSON.stringify(results, null, 1));
  console.log('browser test: all assertions passed');
} catch (e) {
  await page.screenshot({ path: `${shots}/failure.png`, fullPage: true }).catch(() => {});
  console.error(JSON.stringify(results, null, 1));
  console.error(problems.join('\n'));
  throw e;
} finally {
  await browser.close();
}
