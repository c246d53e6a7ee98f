// The lab page: each part calls Tessera's WebAssembly build (crates/web) and draws what it
// returns. Timing is done here, with performance.now(): WebAssembly has no clock of its own.
import init, {
  explore, puzzles, check_puzzle, ladder_tiers, simd_name, LadderLab, DigitModel,
} from './pkg/tessera_web.js';

const $ = (id) => document.getElementById(id);
const status = $('status');

// ---- 1. strides explorer ------------------------------------------------------------------

function renderExplorer() {
  const r = JSON.parse(explore($('shape').value, $('expr').value));
  const summary = $('layout-summary');
  if (r.error) {
    summary.innerHTML = '';
    const e = document.createElement('span');
    e.className = 'error';
    e.textContent = r.error;
    summary.append(e);
    summary.dataset.strides = '';
    return;
  }
  summary.dataset.strides = JSON.stringify(r.strides);
  summary.dataset.view = r.is_view;
  summary.textContent = `shape [${r.shape.join(', ')}]   strides [${r.strides.join(', ')}]   ` +
    `offset ${r.offset}   ${r.is_view ? 'a view: no element copied' : 'a copy: new storage'}`;
  // The storage strip: every cell of the storage, the view's cells numbered in reading order.
  const order = new Map();
  r.offsets.forEach((o, i) => { if (!order.has(o)) order.set(o, []); order.get(o).push(i); });
  const strip = $('strip');
  strip.replaceChildren(...r.storage.map((v, o) => {
    const cell = document.createElement('div');
    cell.className = order.has(o) ? 'cell hit' : 'cell';
    cell.textContent = v;
    if (order.has(o)) {
      const n = document.createElement('span');
      n.className = 'order';
      const reads = order.get(o);
      n.textContent = reads.length > 2 ? `${reads[0]},…` : reads.join(',');
      cell.append(n);
    }
    return cell;
  }));
  // The view itself: the last axis across, everything before it down.
  const cols = r.shape.length ? r.shape[r.shape.length - 1] : 1;
  const values = r.offsets.map((o) => r.storage[o]);
  const table = document.createElement('table');
  for (let i = 0; i < values.length; i += Math.max(cols, 1)) {
    const tr = table.insertRow();
    values.slice(i, i + cols).forEach((v) => { tr.insertCell().textContent = v; });
  }
  $('view-grid').replaceChildren(values.length ? table : document.createTextNode('(no elements)'));
  $('explain').textContent = r.explain;
}

function setUpPuzzles() {
  const list = JSON.parse(puzzles());
  const select = $('puzzle');
  list.forEach((p, i) => select.add(new Option(`Puzzle ${i + 1}`, i)));
  const show = () => {
    const p = list[select.value];
    $('puzzle-prompt').textContent =
      `${p.prompt}  x = np.arange(${p.base.reduce((a, b) => a * b, 1)}).reshape(${p.base.join(', ')}); ` +
      `target: shape [${p.shape.join(', ')}], strides [${p.strides.join(', ')}], offset ${p.offset}.`;
    $('verdict').textContent = '';
    $('verdict').className = '';
  };
  select.onchange = show;
  $('check').onclick = () => {
    const v = JSON.parse(check_puzzle(Number(select.value), $('answer').value));
    const out = $('verdict');
    out.className = v.error ? 'error' : (v.solved ? 'solved' : '');
    out.textContent = v.error ?? (v.solved ? `Solved: ${v.made}` : `Not yet: you made ${v.made}`);
  };
  $('reveal').onclick = () => { $('answer').value = list[select.value].answer; };
  show();
}

// ---- 2. the GEMM ladder ---------------------------------------------------------------------

const tiers = () => JSON.parse(ladder_tiers());

// A tier's time per product: one warm-up run, then batches of runs long enough (>= 20 ms) for
// the browser's coarse clock, the best batch kept.
function timeTier(lab, index) {
  let t0 = performance.now();
  lab.run(index);
  const once = Math.max(performance.now() - t0, 0.05);
  const reps = Math.max(1, Math.ceil(20 / once));
  let best = Infinity;
  for (let batch = 0; batch < 5; batch += 1) {
    t0 = performance.now();
    for (let i = 0; i < reps; i += 1) lab.run(index);
    best = Math.min(best, (performance.now() - t0) / reps);
    if (once > 200) break; // a slow tier at a large size: one batch is enough
  }
  return best;
}

function drawChart(rows) {
  const c = $('ladder-chart');
  const g = c.getContext('2d');
  g.clearRect(0, 0, c.width, c.height);
  const max = Math.max(1, ...rows.map((r) => r.gflops));
  const left = 110; const barH = 28; const gap = 10;
  g.font = '13px system-ui';
  rows.forEach((r, i) => {
    const y = 10 + i * (barH + gap);
    const w = (c.width - left - 130) * r.gflops / max;
    g.fillStyle = '#333';
    g.fillText(r.name, 4, y + 19);
    g.fillStyle = r.mismatches === 0 ? '#4a7bd0' : '#c62828';
    g.fillRect(left, y, w, barH);
    g.fillStyle = '#333';
    g.fillText(`${r.gflops.toFixed(2)} GFLOP/s`, left + w + 6, y + 19);
  });
}

// Yields to the browser so the chart and table update between tiers.
const nextFrame = () => new Promise((resolve) => setTimeout(resolve, 0));

async function runLadder() {
  const n = Number($('n').value);
  const state = $('ladder-state');
  state.dataset.done = 'false';
  let lab;
  try {
    lab = new LadderLab(n);
  } catch (e) {
    state.textContent = String(e);
    return;
  }
  const body = $('ladder-table').tBodies[0];
  body.replaceChildren();
  const rows = [];
  for (const [index, tier] of tiers().entries()) {
    state.textContent = `running ${tier.name}…`;
    await nextFrame();
    const ms = timeTier(lab, index);
    const row = { name: tier.name, ms, gflops: lab.flops() / ms / 1e6, mismatches: lab.mismatches() };
    rows.push(row);
    const tr = body.insertRow();
    tr.dataset.tier = tier.name;
    tr.dataset.gflops = row.gflops;
    tr.dataset.mismatches = row.mismatches;
    [tier.name, tier.adds, ms.toFixed(2), row.gflops.toFixed(2), (row.gflops / rows[0].gflops).toFixed(1),
      row.mismatches === 0 ? 'exact' : `${row.mismatches} differ`].forEach((t) => { tr.insertCell().textContent = t; });
    drawChart(rows);
  }
  lab.free();
  state.textContent = `done: n = ${n}`;
  state.dataset.done = 'true';
}

// ---- 3. draw a digit -----------------------------------------------------------------------

function setUpPad(model) {
  const pad = $('pad');
  const g = pad.getContext('2d', { willReadFrequently: true });
  const clear = () => { g.fillStyle = '#fff'; g.fillRect(0, 0, pad.width, pad.height); };
  clear();
  g.lineWidth = 18; g.lineCap = 'round'; g.lineJoin = 'round'; g.strokeStyle = '#000';
  let drawing = false;
  let pending = false;
  const predict = () => {
    pending = false;
    // Timed from reading the canvas to the page showing the answer; the model's part apart.
    const t0 = performance.now();
    const img = g.getImageData(0, 0, pad.width, pad.height);
    const t1 = performance.now();
    const r = JSON.parse(model.predict(img.data, pad.width, pad.height));
    const t2 = performance.now();
    showPrediction(model, r);
    const ms = performance.now() - t0;
    $('pred-time').textContent = `prediction ${ms.toFixed(1)} ms (Tessera ${(t2 - t1).toFixed(1)} ms)`;
    $('pred-time').dataset.ms = ms;
    $('pred-time').dataset.modelMs = t2 - t1;
  };
  const later = () => { if (!pending) { pending = true; requestAnimationFrame(predict); } };
  const at = (e) => { const b = pad.getBoundingClientRect(); return [e.clientX - b.left, e.clientY - b.top]; };
  pad.onpointerdown = (e) => { drawing = true; pad.setPointerCapture(e.pointerId); g.beginPath(); g.moveTo(...at(e)); };
  pad.onpointermove = (e) => { if (drawing) { g.lineTo(...at(e)); g.stroke(); later(); } };
  pad.onpointerup = () => { drawing = false; predict(); };
  $('clear').onclick = () => { clear(); predict(); };
  window.tesseraPredict = predict;
}

// A unit's weights never change: each tile is made once.
const tiles = new Map();
function unitTile(model, unit) {
  if (!tiles.has(unit)) tiles.set(unit, new ImageData(new Uint8ClampedArray(model.unit_tile(unit)), 28, 28));
  return tiles.get(unit);
}

// The answer's nodes are made once and updated on each prediction, which comes with every
// stroke: ten probability rows, the unit figures, the 28×28 picture.
let view;
function answerView(units) {
  const probs = [...Array(10).keys()].map((d) => {
    const row = document.createElement('div');
    row.className = 'prob';
    const bar = document.createElement('span');
    bar.className = 'bar';
    const pct = document.createTextNode('');
    row.append(`${d}`, bar, pct);
    return { row, bar, pct };
  });
  const figures = [...Array(units).keys()].map(() => {
    const fig = document.createElement('figure');
    const c = document.createElement('canvas');
    c.width = 28; c.height = 28;
    const cap = document.createElement('figcaption');
    fig.append(c, cap);
    return { fig, g: c.getContext('2d'), cap };
  });
  const seen = new ImageData(28, 28);
  const small = new OffscreenCanvas(28, 28);
  return { probs, figures, seen, small, smallG: small.getContext('2d') };
}

function showPrediction(model, r) {
  const out = $('prediction');
  const seen = $('seen').getContext('2d');
  if (r.blank || r.error) {
    out.textContent = r.error ?? '–';
    out.dataset.digit = '';
    $('probs').replaceChildren();
    $('units').replaceChildren();
    seen.clearRect(0, 0, 112, 112);
    return;
  }
  out.textContent = r.digit;
  out.dataset.digit = r.digit;
  view ??= answerView(r.top_units.length);
  const px = view.seen.data;
  r.pixels.forEach((p, i) => { px[4 * i] = p; px[4 * i + 1] = p; px[4 * i + 2] = p; px[4 * i + 3] = 255; });
  view.smallG.putImageData(view.seen, 0, 0);
  seen.imageSmoothingEnabled = false;
  seen.drawImage(view.small, 0, 0, 112, 112);
  r.probs.forEach((p, d) => {
    const { row, bar, pct } = view.probs[d];
    row.className = d === r.digit ? 'prob best' : 'prob';
    bar.style.width = `${Math.round(p * 200)}px`;
    pct.data = `${(p * 100).toFixed(1)}%`;
  });
  if ($('probs').childElementCount === 0) $('probs').replaceChildren(...view.probs.map((p) => p.row));
  r.top_units.forEach(({ unit, activation }, i) => {
    const { g, cap } = view.figures[i];
    g.putImageData(unitTile(model, unit), 0, 0);
    cap.textContent = `unit ${unit}: ${activation.toFixed(2)}`;
  });
  if ($('units').childElementCount === 0) $('units').replaceChildren(...view.figures.map((f) => f.fig));
}

// ---- start -----------------------------------------------------------------------------------

async function main() {
  await init();
  $('simd').textContent = simd_name();
  $('shape').oninput = renderExplorer;
  $('expr').oninput = renderExplorer;
  renderExplorer();
  setUpPuzzles();
  $('run-ladder').onclick = runLadder;
  const bytes = new Uint8Array(await (await fetch('model.safetensors')).arrayBuffer());
  setUpPad(new DigitModel(bytes));
  status.textContent = 'ready';
  status.dataset.state = 'ready';
  status.dataset.readyMs = performance.now().toFixed(1);
}

main().catch((e) => {
  status.textContent = `failed to start: ${e}`;
  status.dataset.state = 'error';
  console.error(e);
});
