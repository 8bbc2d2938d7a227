// Opens the dashboard's run page in Debian's headless Chromium and reports what a user would see, for
// DashboardBrowserTest. Protocol on stdout (one line each): "POINTS <n>" once the run and its loss chart show;
// then, after the test writes "more <points> <checkpoints>" on stdin, "POINTS <m>" once the loss chart holds that many
// points and the checkpoint table that many rows, and finally "RESULT <json>".
// Usage: node run-page.mjs <run page url> <expected run id> <screenshot path>
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';

const [url, runId, screenshot] = process.argv.slice(2);
const TIMEOUT_MS = 30000;
const stdin = createInterface({ input: process.stdin });
const nextLine = () => new Promise(resolve => stdin.once('line', resolve));

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1500 } });
  const dialogs = [];
  const errors = [];
  page.on('dialog', dialog => { dialogs.push(dialog.message()); dialog.dismiss(); });
  page.on('pageerror', error => errors.push(String(error)));
  page.on('console', message => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('response', response => { if (response.status() >= 400) errors.push(response.status() + ' ' + response.url()); });
  page.on('request', request => {
    if (!request.url().startsWith(new URL(url).origin)) errors.push('foreign request: ' + request.url());
  });

  await page.goto(url, { timeout: TIMEOUT_MS });
  await page.waitForFunction(id => document.getElementById('run-id').textContent === id, runId, { timeout: TIMEOUT_MS });
  const points = () => page.$eval('#chart-loss', node => Number(node.dataset.points));
  await page.waitForFunction(() => Number(document.getElementById('chart-loss').dataset.points) > 0, null,
    { timeout: TIMEOUT_MS });
  const before = await points();
  console.log('POINTS ' + before);

  const [wantedPoints, wantedCheckpoints] = (await nextLine()).split(' ').slice(1).map(Number);
  await page.waitForFunction(([p, c]) => Number(document.getElementById('chart-loss').dataset.points) >= p
    && document.querySelectorAll('#checkpoints tbody tr').length >= c, [wantedPoints, wantedCheckpoints],
    { timeout: TIMEOUT_MS });
  const after = await points();
  console.log('POINTS ' + after);
  await page.waitForFunction(() => document.querySelectorAll('#confusion td').length > 0, null, { timeout: TIMEOUT_MS });
  await page.screenshot({ path: screenshot, fullPage: true });

  const result = {
    runIdShown: await page.$eval('#run-id', node => node.textContent),
    headingElements: await page.$eval('#run-id', node => node.children.length),
    status: await page.$eval('#run-status', node => node.textContent),
    pointsBefore: before,
    pointsAfter: after,
    canvases: await page.$$eval('.chart canvas', nodes => nodes.length),
    classHeaders: await page.$$eval('#confusion thead th', nodes => nodes.map(n => n.textContent).filter(Boolean)),
    bestRows: await page.$$eval('#checkpoints tr.best', nodes => nodes.map(n => Number(n.dataset.step))),
    live: await page.$eval('#live', node => node.dataset.state),
    dialogs,
    errors,
  };
  console.log('RESULT ' + JSON.stringify(result));
} finally {
  await browser.close();
  stdin.close();
}
