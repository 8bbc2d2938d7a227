// Drives the dashboard in Debian's headless Chromium the way a user would, for the dashboard's browser tests
// (BrowserPage.java). Opens the runs list, waits for the run's row and prints "LISTED <json>", follows the row's link
// to the run page and, once the loss chart has a point, prints "POINTS <n>". Then obeys commands on stdin, one a line:
//   points <n>             wait until the loss chart holds at least n points (without reloading); print "POINTS <m>"
//   compare <other id>     open /compare?run=<run id>&run=<other id> in a second tab, wait until it draws the run and
//                          names the other as unknown; print "COMPARED <json>" (what it shows of both); close the tab
//   finish <rows> <scored> wait until the checkpoint table has at least <rows> rows, <scored> of them with a test
//                          accuracy, and the confusion matrix shows; save the screenshot; print "RESULT <json>"; exit
// Usage: node run-page.mjs <dashboard url> <run id> <screenshot path>
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';

const [dashboardUrl, runId, screenshot] = process.argv.slice(2);
// Each wait covers a trainer starting up (libtorch load, first batches) on a busy 2-core machine.
const TIMEOUT_MS = 60000;
const commands = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const dialogs = [];
  const errors = [];
  const origin = new URL(dashboardUrl).origin;
  const watched = async () => {
    const tab = await browser.newPage({ viewport: { width: 1400, height: 1500 } });
    tab.on('dialog', dialog => { dialogs.push(dialog.message()); dialog.dismiss(); });
    tab.on('pageerror', error => errors.push(String(error)));
    tab.on('console', message => { if (message.type() === 'error') errors.push(message.text()); });
    tab.on('response', response => { if (response.status() >= 400) errors.push(response.status() + ' ' + response.url()); });
    tab.on('request', request => { if (!request.url().startsWith(origin)) errors.push('foreign request: ' + request.url()); });
    return tab;
  };
  const page = await watched();

  await page.goto(dashboardUrl, { timeout: TIMEOUT_MS });
  // The list is re-rendered on every live update, so the row is looked up afresh each time it is used.
  const listed = await (await page.waitForFunction(id => {
    const tr = [...document.querySelectorAll('#runs tbody tr')].find(row => row.dataset.run === id);
    return tr && {
      linkText: tr.querySelector('a').textContent,
      cellElements: tr.querySelector('a').parentElement.querySelectorAll('*').length,
      status: tr.querySelector('.status').textContent,
      images: document.querySelectorAll('img').length,
    };
  }, runId, { timeout: TIMEOUT_MS })).jsonValue();
  console.log('LISTED ' + JSON.stringify(listed));

  await Promise.all([page.waitForURL(url => url.pathname.startsWith('/runs/'), { timeout: TIMEOUT_MS }),
    page.evaluate(id => [...document.querySelectorAll('#runs tbody tr')].find(row => row.dataset.run === id)
      .querySelector('a').click(), runId)]);
  await page.waitForFunction(id => document.getElementById('run-id').textContent === id, runId, { timeout: TIMEOUT_MS });
  const lossPoints = () => page.$eval('#chart-loss', node => Number(node.dataset.points));
  await page.waitForFunction(() => Number(document.getElementById('chart-loss').dataset.points) > 0, null,
    { timeout: TIMEOUT_MS });
  console.log('POINTS ' + await lossPoints());

  for (let next = await commands.next(); !next.done; next = await commands.next()) {
    const [command, ...args] = next.value.trim().split(/\s+/);
    if (command === 'points') {
      await page.waitForFunction(n => Number(document.getElementById('chart-loss').dataset.points) >= n,
        Number(args[0]), { timeout: TIMEOUT_MS });
      console.log('POINTS ' + await lossPoints());
    } else if (command === 'compare') {
      const other = next.value.trim().substring('compare '.length);
      const tab = await watched();
      await tab.goto(new URL('/compare?' + new URLSearchParams([['run', runId], ['run', other]]), dashboardUrl).href,
        { timeout: TIMEOUT_MS });
      await tab.waitForFunction(() => document.querySelector('#compare-error [data-unknown]')
        && JSON.parse(document.getElementById('chart-loss').dataset.series || '[]').length === 1
        && document.querySelectorAll('#config-diff thead th[data-run]').length === 1, null, { timeout: TIMEOUT_MS });
      console.log('COMPARED ' + JSON.stringify(await tab.evaluate(() => {
        const column = document.querySelector('#config-diff thead th[data-run]');
        return {
          column: column.dataset.run,
          columnLink: column.querySelector('a').textContent,
          columnElements: column.querySelectorAll('*').length,
          legendLabels: [...document.querySelectorAll('#chart-loss .u-legend .u-series .u-label')].map(n => n.textContent),
          legendElements: document.querySelectorAll('#chart-loss .u-legend *').length,
          seriesLabels: JSON.parse(document.getElementById('chart-loss').dataset.series).map(s => s.label),
          unknown: JSON.parse(document.querySelector('#compare-error [data-unknown]').dataset.unknown),
          message: document.getElementById('compare-error').textContent,
          messageElements: document.querySelectorAll('#compare-error *').length,
          images: document.querySelectorAll('img').length,
          title: document.title,
        };
      })));
      await tab.close();
    } else if (command === 'finish') {
      await page.waitForFunction(([rows, scored]) => {
        const table = [...document.querySelectorAll('#checkpoints tbody tr')];
        return table.length >= rows && table.filter(tr => tr.cells[5].textContent !== '\u2013').length >= scored
          && document.querySelectorAll('#confusion td').length > 0;
      }, args.map(Number), { timeout: TIMEOUT_MS });
      await page.screenshot({ path: screenshot, fullPage: true });
      const result = await page.evaluate(() => ({
        runIdShown: document.getElementById('run-id').textContent,
        headingElements: document.getElementById('run-id').children.length,
        images: document.querySelectorAll('img').length,
        status: document.getElementById('run-status').textContent,
        lossPoints: Number(document.getElementById('chart-loss').dataset.points),
        canvases: document.querySelectorAll('.chart canvas').length,
        classHeaders: [...document.querySelectorAll('#confusion thead th')].map(n => n.textContent).filter(Boolean),
        checkpointSteps: [...document.querySelectorAll('#checkpoints tbody tr')].map(n => Number(n.dataset.step)),
        bestRows: [...document.querySelectorAll('#checkpoints tr.best')].map(n => Number(n.dataset.step)),
        matrixStep: document.getElementById('matrix-step').textContent,
        live: document.getElementById('live').dataset.state,
      }));
      console.log('RESULT ' + JSON.stringify({ ...result, dialogs, errors }));
      break;
    } else {
      throw new Error('unknown command: ' + next.value);
    }
  }
} finally {
  await browser.close();
  process.stdin.destroy();
}
