// The runs list: one row per run from /api/runs, refreshed on every live update; ticked runs open on the compare page.
'use strict';
(() => {
  const { el, clear, pct, time, getJson, follow } = window.dom;
  const body = document.querySelector('#runs tbody');
  // Ticked run ids; kept across re-renders of the list.
  const selected = new Set();

  function row(run) {
    const link = el('a', { href: '/runs/' + encodeURIComponent(run.runId), text: run.runId });
    const tick = el('input', { type: 'checkbox', className: 'select-run', 'aria-label': 'compare ' + run.runId });
    tick.checked = selected.has(run.runId);
    tick.addEventListener('change', () => {
      if (tick.checked) selected.add(run.runId); else selected.delete(run.runId);
      updateCompareLink();
    });
    return el('tr', { 'data-run': run.runId },
      el('td', {}, tick),
      el('td', {}, link),
      el('td', {}, el('span', { className: 'status ' + run.status, text: run.status })),
      el('td', { text: run.datasetId || '\u2013' }),
      el('td', { text: run.configSummary || '\u2013' }),
      el('td', { className: 'num', text: run.steps }),
      el('td', { className: 'num', text: pct(run.bestAccuracy) }),
      el('td', { text: time(run.lastUpdate) }));
  }

  // The compare link carries the selection in its query string (?run=a&run=b), in the list's order.
  function updateCompareLink() {
    const listed = [...body.querySelectorAll('tr')].map(tr => tr.dataset.run).filter(id => selected.has(id));
    const query = new URLSearchParams(listed.map(id => ['run', id]));
    const link = document.getElementById('compare');
    link.setAttribute('href', '/compare?' + query);
    link.setAttribute('aria-disabled', String(listed.length < 2));
    link.textContent = 'Compare selected runs (' + listed.length + ')';
  }

  async function refresh() {
    const runs = await getJson('/api/runs');
    clear(body).append(...runs.map(row));
    document.getElementById('empty').hidden = runs.length > 0;
    updateCompareLink();
  }

  document.getElementById('compare').addEventListener('click', event => {
    if (event.currentTarget.getAttribute('aria-disabled') === 'true') event.preventDefault();
  });
  refresh().catch(e => console.error(e));
  follow('/api/events', () => refresh().catch(e => console.error(e)));
})();
