// The runs list: one row per run from /api/runs, refreshed on every live update.
'use strict';
(() => {
  const { el, clear, pct, time, getJson, follow } = window.dom;
  const body = document.querySelector('#runs tbody');

  function row(run) {
    const link = el('a', { href: '/runs/' + encodeURIComponent(run.runId), text: run.runId });
    return el('tr', { 'data-run': run.runId },
      el('td', {}, link),
      el('td', {}, el('span', { className: 'status ' + run.status, text: run.status })),
      el('td', { text: run.datasetId || '\u2013' }),
      el('td', { text: run.configSummary || '\u2013' }),
      el('td', { className: 'num', text: run.steps }),
      el('td', { className: 'num', text: pct(run.bestAccuracy) }),
      el('td', { text: time(run.lastUpdate) }));
  }

  async function refresh() {
    const runs = await getJson('/api/runs');
    clear(body).append(...runs.map(row));
    document.getElementById('empty').hidden = runs.length > 0;
  }

  refresh().catch(e => console.error(e));
  follow('/api/events', () => refresh().catch(e => console.error(e)));
})();
