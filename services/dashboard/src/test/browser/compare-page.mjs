// Compares runs in Debian's headless Chromium the way a user would, for CompareRunsBrowserTest (through
// BrowserPage.java). On the runs list it ticks each run's checkbox, follows the compare link, waits until every chart
// draws every run (the test-accuracy chart <scored> points each), and reads what the page shows; moves the smoothing
// slider to 0.6 and reads again; switches the x axis to epochs; asks the page's own EMA for a fixed series; opens the
// run page with smoothing in its address; opens a compare address naming an unknown run, then one naming none.
// Prints "RESULT <json>" and exits. Nothing is read from stdin.
// Usage: node compare-page.mjs <dashboard url> <screenshot path> <scored checkpoints per run> <run id>...
import { chromium } from 'playwright-core';

const [dashboardUrl, screenshot, scoredArg, ...runIds] = process.argv.slice(2);
const scored = Number(scoredArg);
const TIMEOUT_MS = 60000;
const at = path => new URL(path, dashboardUrl).href;
const CHARTS = ['chart-loss', 'chart-accuracy', 'chart-test-accuracy', 'chart-lr', 'chart-throughput'];
/** Input of the EMA check: a step, a NaN (passes through, not averaged), and a rise. */
const EMA_INPUT = [2, 1, NaN, 4, 3, 0.5];

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const dialogs = [];
const errors = [];
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1500 } });
  const origin = new URL(dashboardUrl).origin;
  page.on('dialog', dialog => { dialogs.push(dialog.message()); dialog.dismiss(); });
  page.on('pageerror', error => errors.push(String(error)));
  page.on('console', message => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('response', response => { if (response.status() >= 400) errors.push(response.status() + ' ' + response.url()); });
  page.on('request', request => { if (!request.url().startsWith(origin)) errors.push('foreign request: ' + request.url()); });

  // What the compare page draws and tabulates now.
  const compareState = () => page.evaluate(charts => ({
    path: location.pathname,
    runs: new URLSearchParams(location.search).getAll('run'),
    x: new URLSearchParams(location.search).get('x'),
    smoothing: new URLSearchParams(location.search).get('smoothing'),
    charts: Object.fromEntries(charts.map(id => [id, JSON.parse(document.getElementById(id).dataset.series || '[]')])),
    canvases: document.querySelectorAll('.chart canvas').length,
    legendLabels: [...document.querySelectorAll('#chart-loss .u-legend .u-series .u-label')].map(n => n.textContent),
    columns: [...document.querySelectorAll('#config-diff thead th[data-run]')].map(n => n.dataset.run),
    differing: [...document.querySelectorAll('#config-diff tbody tr.differs')].map(n => n.dataset.key),
    rows: document.querySelectorAll('#config-diff tbody tr').length,
    bestAccuracy: [...document.querySelectorAll('#config-diff tr[data-key="best test accuracy"] td')]
      .map(n => ({ text: n.textContent, best: n.classList.contains('best') })),
    message: document.getElementById('compare-error').hidden ? null : document.getElementById('compare-error').textContent,
    unknown: JSON.parse(document.querySelector('#compare-error [data-unknown]')?.dataset.unknown || '[]'),
    images: document.querySelectorAll('img').length,
  }), CHARTS);

  await page.goto(dashboardUrl, { timeout: TIMEOUT_MS });
  for (const id of runIds) {
    await page.locator('#runs tbody tr').filter({ has: page.getByRole('link', { name: id, exact: true }) })
      .waitFor({ timeout: TIMEOUT_MS });
  }
  const linkBefore = await page.locator('#compare').getAttribute('aria-disabled');
  // The list is re-rendered on every live update; the role locator finds the box afresh and the tick survives.
  for (const id of runIds) {
    await page.getByRole('checkbox', { name: 'compare ' + id, exact: true }).check({ timeout: TIMEOUT_MS });
  }
  const link = await page.locator('#compare').evaluate(a => ({ text: a.textContent, href: a.getAttribute('href'),
    disabled: a.getAttribute('aria-disabled') }));
  await Promise.all([page.waitForURL(url => url.pathname === '/compare', { timeout: TIMEOUT_MS }),
    page.locator('#compare').click()]);

  await page.waitForFunction(([charts, n, scored]) => charts.every(id => {
    const series = JSON.parse(document.getElementById(id).dataset.series || '[]');
    return series.length === n && series.every(s => (id === 'chart-test-accuracy' ? s.points >= scored : s.points > 0));
  }) && document.querySelectorAll('#config-diff thead th[data-run]').length === n, [CHARTS, runIds.length, scored],
  { timeout: TIMEOUT_MS });
  const raw = await compareState();

  await page.locator('#smoothing').fill('0.6');
  await page.waitForURL(url => url.searchParams.get('smoothing') === '0.6', { timeout: TIMEOUT_MS });
  const smoothed = await compareState();
  const ema = await page.evaluate(input => window.charts.ema(input, 0.6).map(v => (Number.isNaN(v) ? 'NaN' : v)),
    EMA_INPUT);
  const emaOff = await page.evaluate(input => window.charts.ema(input, 0).map(v => (Number.isNaN(v) ? 'NaN' : v)),
    EMA_INPUT);

  await page.locator('#x-axis').selectOption('epoch');
  await page.waitForURL(url => url.searchParams.get('x') === 'epoch', { timeout: TIMEOUT_MS });
  const epochs = await compareState();
  await page.screenshot({ path: screenshot, fullPage: true });

  // A shared address opens as it was shared.
  await page.goto(at('/compare?') + new URLSearchParams([...runIds.map(id => ['run', id]),
    ['x', 'epoch'], ['smoothing', '0.6']]), { timeout: TIMEOUT_MS });
  await page.waitForFunction(n => JSON.parse(document.getElementById('chart-loss').dataset.series || '[]').length === n,
    runIds.length, { timeout: TIMEOUT_MS });
  const shared = await page.evaluate(() => ({ x: document.getElementById('x-axis').value,
    smoothing: document.getElementById('smoothing').value,
    loss: JSON.parse(document.getElementById('chart-loss').dataset.series) }));

  // The run page smooths the same way.
  await page.goto(at('/runs/' + encodeURIComponent(runIds[0]) + '?smoothing=0.6'), { timeout: TIMEOUT_MS });
  await page.waitForFunction(() => Number(document.getElementById('chart-loss').dataset.points) > 0, null,
    { timeout: TIMEOUT_MS });
  const runPage = await page.evaluate(() => ({ smoothing: document.getElementById('smoothing').value,
    loss: JSON.parse(document.getElementById('chart-loss').dataset.series) }));

  await page.goto(at('/compare?') + new URLSearchParams([['run', runIds[0]], ['run', 'no-such-run']]),
    { timeout: TIMEOUT_MS });
  await page.waitForFunction(() => document.querySelector('#compare-error [data-unknown]')
    && JSON.parse(document.getElementById('chart-loss').dataset.series || '[]').length === 1, null,
  { timeout: TIMEOUT_MS });
  const unknown = await compareState();

  await page.goto(at('/compare'), { timeout: TIMEOUT_MS });
  await page.waitForFunction(() => !document.getElementById('compare-error').hidden, null, { timeout: TIMEOUT_MS });
  const none = await compareState();

  console.log('RESULT ' + JSON.stringify({ linkBefore, link, raw, smoothed, ema, emaOff, epochs, shared, runPage,
    unknown, none, dialogs, errors }));
} catch (e) {
  console.error('failed at ' + (browser.contexts()[0]?.pages()[0]?.url() ?? '?') + '; page errors so far: '
    + JSON.stringify(errors));
  throw e;
} finally {
  await browser.close();
}
