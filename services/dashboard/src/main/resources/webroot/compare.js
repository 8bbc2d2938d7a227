// The compare page: the runs named in the address (?run=a&run=b, optionally &x=epoch&smoothing=0.6) overlaid on the
// same charts, one series per run, and their configurations side by side with the differing values highlighted.
// Kept live. Run ids are user data: they reach the page as text only (uPlot writes legend labels with textContent).
'use strict';
(() => {
  const { el, clear, pct, getJson, follow } = window.dom;
  const params = new URLSearchParams(location.search);
  const runIds = [...new Set(params.getAll('run'))];
  // Per run: its detail while the dashboard holds it (null otherwise), samples per metric key (step -> value), the
  // last step read (the next read asks only for later ones); the colour stays the run's whatever others do.
  const runs = runIds.map((id, i) => ({ id, color: charts.color(i), detail: null, metrics: new Map(), lastStep: -1 }));
  const xAxis = document.getElementById('x-axis');
  xAxis.value = params.get('x') === 'epoch' ? 'epoch' : 'step';
  const chartNodes = [...document.querySelectorAll('.chart')];
  const overlays = new Map(chartNodes.map(n => [n.id, charts.overlay(n, { points: !n.dataset.metric })]));
  const smoothing = charts.smoothingControl(document.getElementById('smoothing'),
    document.getElementById('smoothing-value'), charts.smoothingFrom(params), controlsChanged);
  xAxis.addEventListener('change', controlsChanged);
  document.getElementById('differing-only').addEventListener('change', configTable);
  document.getElementById('run-count').textContent = runIds.length + (runIds.length === 1 ? ' run' : ' runs');

  // The address always says what the page shows, so it can be shared as it is.
  function controlsChanged() {
    const query = new URLSearchParams(runIds.map(id => ['run', id]));
    if (xAxis.value === 'epoch') query.set('x', 'epoch');
    if (smoothing() > 0) query.set('smoothing', String(smoothing()));
    history.replaceState(null, '', '/compare?' + query);
    draw();
  }

  async function load(run) {
    const api = '/api/runs/' + encodeURIComponent(run.id);
    const [detail, page] = await Promise.all([getJson(api), getJson(api + '/metrics?since=' + run.lastStep)]);
    for (const [key, points] of Object.entries(page.series)) {
      if (!run.metrics.has(key)) run.metrics.set(key, new Map());
      const samples = run.metrics.get(key);
      for (const p of points) samples.set(p.step, p.value);
    }
    run.lastStep = Math.max(run.lastStep, page.lastStep);
    run.detail = detail;
  }

  // Step to x: the step itself, or epochs (fractional) once the run's steps per epoch are known; null if not.
  function xOf(run) {
    if (xAxis.value === 'step') return step => step;
    const perEpoch = run.detail.stepsPerEpoch;
    return perEpoch ? step => step / perEpoch : null;
  }

  function samplesOf(run, node) {
    if (node.dataset.metric) return run.metrics.get(node.dataset.metric) || new Map();
    return new Map(run.detail.checkpoints.filter(c => c.testAccuracy != null).map(c => [c.step, c.testAccuracy]));
  }

  function draw() {
    const shown = runs.filter(run => run.detail);
    const weight = smoothing();
    for (const node of chartNodes) {
      overlays.get(node.id).draw(shown.map(run => {
        const toX = xOf(run);
        const samples = samplesOf(run, node);
        const steps = toX ? [...samples.keys()].sort((a, b) => a - b) : [];
        const values = steps.map(step => samples.get(step));
        return { label: run.id, color: run.color, xs: steps.map(toX),
          ys: node.dataset.smooth === 'true' ? charts.ema(values, weight) : values };
      }), xAxis.value);
    }
    const withoutEpochs = shown.filter(run => !xOf(run)).map(run => run.id);
    const note = document.getElementById('epoch-note');
    note.hidden = withoutEpochs.length === 0;
    note.textContent = 'Not drawn against epochs until it completes its first epoch: ' + withoutEpochs.join(', ');
  }

  function flatten(object, prefix) {
    return Object.entries(object || {}).flatMap(([k, v]) =>
      v !== null && typeof v === 'object' ? flatten(v, prefix + k + '.') : [[prefix + k, v]]);
  }

  // The run's configuration (its STARTED event) and the trainer settings its provenance records, by name.
  function settingsOf(run) {
    const settings = new Map(flatten(run.detail.config, ''));
    for (const [key, value] of Object.entries(run.detail.provenance)) {
      if (key.startsWith('setting.') && key !== 'setting.run-id') settings.set(key, value);
    }
    return settings;
  }

  function configTable() {
    const table = document.getElementById('config-diff');
    const shown = runs.filter(run => run.detail);
    const head = el('tr', {}, el('th', {}), ...shown.map(run => {
      const swatch = el('span', { className: 'swatch' });
      swatch.style.backgroundColor = run.color;
      return el('th', { 'data-run': run.id }, swatch, el('a', { href: '/runs/' + encodeURIComponent(run.id), text: run.id }));
    }));
    const accuracies = shown.map(run => run.detail.summary.bestAccuracy);
    const top = Math.max(...accuracies.filter(a => a != null));
    const results = [
      el('tr', { 'data-key': 'best test accuracy' }, el('th', { scope: 'row', text: 'best test accuracy' }),
        ...accuracies.map(a => el('td', { className: a != null && a === top ? 'num best' : 'num', text: pct(a) }))),
      el('tr', { 'data-key': 'status' }, el('th', { scope: 'row', text: 'status' }),
        ...shown.map(run => el('td', { text: run.detail.summary.status }))),
      el('tr', { 'data-key': 'steps' }, el('th', { scope: 'row', text: 'steps' }),
        ...shown.map(run => el('td', { className: 'num', text: run.detail.summary.steps }))),
    ];
    const settings = shown.map(settingsOf);
    const keys = [...new Set(settings.flatMap(s => [...s.keys()]))];
    const differingOnly = document.getElementById('differing-only').checked;
    const rows = keys.map(key => {
      const values = settings.map(s => (s.has(key) ? String(s.get(key)) : '\u2013'));
      const differs = new Set(values).size > 1;
      const row = el('tr', { className: differs ? 'differs' : '', 'data-key': key },
        el('th', { scope: 'row', text: key }), ...values.map(v => el('td', { text: v })));
      row.hidden = differingOnly && !differs;
      return row;
    });
    clear(table.tHead).append(head);
    clear(table.tBodies[0]).append(...results, ...rows);
  }

  function messages(unknown) {
    const error = document.getElementById('compare-error');
    const runsList = () => el('a', { href: '/', text: 'runs list' });
    const parts = [];
    if (runIds.length < 2) {
      parts.push(el('span', { className: 'message' }, runIds.length === 0 ? 'No runs selected' : 'One run selected',
        ': tick two or more runs on the ', runsList(), ' to compare them.'));
    }
    if (unknown.length > 0) {
      parts.push(el('span', { className: 'message', 'data-unknown': JSON.stringify(unknown) },
        'Not known to this dashboard (yet): ' + unknown.join(', ') + '. A run shows here once its events arrive; the ',
        runsList(), ' shows the runs it holds.'));
    }
    error.hidden = parts.length === 0;
    clear(error).append(...parts);
  }

  async function refresh() {
    try {
      const listed = new Set((await getJson('/api/runs')).map(run => run.runId));
      const unknown = [];
      await Promise.all(runs.map(run => {
        if (listed.has(run.id)) return load(run);
        run.detail = null;
        unknown.push(run.id);
        return null;
      }));
      draw();
      configTable();
      messages(runIds.filter(id => unknown.includes(id)));
    } catch (e) {
      const error = document.getElementById('compare-error');
      error.hidden = false;
      error.textContent = 'could not load the runs (' + e.message + ')';
    }
  }

  draw();
  messages([]);
  refresh();
  follow('/api/events', refresh);
})();
