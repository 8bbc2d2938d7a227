// The run page: charts of the run's metrics and evaluations, checkpoints, configuration and provenance, kept live.
'use strict';
(() => {
  const { el, clear, num, pct, time, bytes, getJson, follow } = window.dom;
  const runId = decodeURIComponent(location.pathname.substring('/runs/'.length));
  const api = '/api/runs/' + encodeURIComponent(runId);
  document.title = 'Trainstream run ' + runId;
  document.getElementById('run-id').textContent = runId;

  // One chart per metric, fed incrementally; samples keyed by step so a re-delivered one replaces its twin.
  const params = new URLSearchParams(location.search);
  function chart(node, label) {
    return { node, label, overlay: charts.overlay(node, { points: node.id === 'chart-test-accuracy' }), points: new Map(),
      smooth: node.dataset.smooth === 'true' };
  }
  function show(c) {
    const steps = [...c.points.keys()].sort((a, b) => a - b);
    const values = steps.map(s => c.points.get(s));
    c.overlay.draw([{ label: c.label, xs: steps, ys: c.smooth ? charts.ema(values, smoothing()) : values }], 'step');
  }
  const metricCharts = {};
  for (const node of document.querySelectorAll('.chart[data-metric]')) {
    metricCharts[node.dataset.metric] = chart(node, node.dataset.metric);
  }
  const testAccuracy = chart(document.getElementById('chart-test-accuracy'), 'test accuracy');
  const smoothing = charts.smoothingControl(document.getElementById('smoothing'),
    document.getElementById('smoothing-value'), charts.smoothingFrom(params), weight => {
      const query = weight > 0 ? '?smoothing=' + weight : '';
      history.replaceState(null, '', location.pathname + query);
      Object.values(metricCharts).forEach(show);
    });
  Object.values(metricCharts).forEach(show);
  show(testAccuracy);
  let lastStep = -1;

  async function loadMetrics() {
    const page = await getJson(api + '/metrics?since=' + lastStep);
    for (const [key, points] of Object.entries(page.series)) {
      const c = metricCharts[key];
      if (!c) continue;
      for (const p of points) c.points.set(p.step, p.value);
      show(c);
    }
    lastStep = page.lastStep;
  }

  async function loadRun() {
    const run = await getJson(api);
    const s = run.summary;
    const status = document.getElementById('run-status');
    status.className = 'status ' + s.status;
    status.textContent = s.status;
    document.getElementById('run-summary').textContent = [s.datasetId, s.configSummary, 'step ' + s.steps,
      'best test accuracy ' + pct(s.bestAccuracy), 'updated ' + time(s.lastUpdate)].filter(Boolean).join(' \u00b7 ');
    const error = document.getElementById('run-error');
    error.hidden = !s.failureReason;
    error.textContent = s.failureReason ? 'failed: ' + s.failureReason : '';
    clear(document.querySelector('#checkpoints tbody')).append(...run.checkpoints.map(checkpointRow));
    facts(document.getElementById('config'), flatten(run.config || {}, ''));
    facts(document.getElementById('provenance'), Object.entries(run.provenance));
  }

  function checkpointRow(c) {
    return el('tr', { className: c.best ? 'best' : '', 'data-step': c.step },
      el('td', { text: c.best ? '\u2605 best' : '' }),
      el('td', { className: 'num', text: c.step }), el('td', { className: 'num', text: c.epoch }),
      el('td', { className: 'num', text: num(c.trainLoss, 4) }), el('td', { className: 'num', text: pct(c.trainAccuracy) }),
      el('td', { className: 'num', text: pct(c.testAccuracy) }), el('td', { className: 'num', text: bytes(c.sizeBytes) }),
      el('td', { text: time(c.createdAt) }), el('td', { text: c.checkpointUri, title: 'sha256 ' + c.sha256 }));
  }

  function flatten(object, prefix) {
    return Object.entries(object).flatMap(([k, v]) =>
      v !== null && typeof v === 'object' ? flatten(v, prefix + k + '.') : [[prefix + k, v]]);
  }

  function facts(dl, entries) {
    clear(dl).append(...entries.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]));
  }

  async function loadEvaluations() {
    const evaluations = await getJson(api + '/evaluations');
    const completed = evaluations.filter(e => e.completed);
    for (const e of completed) testAccuracy.points.set(e.step, e.accuracy);
    show(testAccuracy);
    const latest = completed.reduce((a, b) => (a && a.step > b.step ? a : b), null);
    if (latest) {
      document.getElementById('matrix-step').textContent = 'checkpoint step ' + latest.step
        + (latest.testTimeAugmentation ? ' \u00b7 scored with ' + latest.testTimeAugmentation + ' test-time augmentation' : '');
      heatmap(document.getElementById('confusion'), latest.classes, latest.confusionMatrix);
      perClass(document.getElementById('per-class'), latest.classes, latest.perClassAccuracy);
    }
  }

  function heatmap(table, classes, matrix) {
    const head = el('tr', {}, el('th', {}), ...classes.map(c => el('th', { scope: 'col', text: c })));
    const rows = matrix.map((row, i) => {
      const total = row.reduce((a, b) => a + b, 0) || 1;
      return el('tr', {}, el('th', { scope: 'row', text: classes[i] }), ...row.map((count, j) => {
        const share = count / total;
        const cell = el('td', { text: count, title: classes[i] + ' \u2192 ' + classes[j] + ': ' + count });
        cell.style.backgroundColor = 'rgba(37, 99, 235, ' + share.toFixed(3) + ')';
        cell.style.color = share > 0.5 ? '#fff' : '#1f2937';
        return cell;
      }));
    });
    clear(table).append(el('thead', {}, head), el('tbody', {}, ...rows));
  }

  function perClass(table, classes, accuracies) {
    clear(table).append(el('tbody', {}, ...classes.map((c, i) => {
      const bar = el('span', { className: 'bar' });
      bar.style.width = Math.round(accuracies[i] * 200) + 'px';
      return el('tr', {}, el('th', { scope: 'row', text: c }), el('td', {}, bar),
        el('td', { className: 'num', text: pct(accuracies[i]) }));
    })));
  }

  async function refresh() {
    try {
      await loadRun();
      await Promise.all([loadMetrics(), loadEvaluations()]);
    } catch (e) {
      const error = document.getElementById('run-error');
      error.hidden = false;
      error.textContent = 'waiting for events of this run (' + e.message + ')';
    }
  }

  refresh();
  follow('/api/events?run=' + encodeURIComponent(runId), refresh);
})();
