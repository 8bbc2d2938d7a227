// Line charts shared by the run page and the compare page: one uPlot chart per metric with one series per run, and
// TensorBoard's smoothing. Series labels are user data (run ids): uPlot writes them with textContent.
'use strict';
window.charts = (() => {
  const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563',
    '#65a30d'];

  function color(i) { return COLORS[i % COLORS.length]; }

  // TensorBoard's debiased exponential moving average: weight 0 returns the values; non-finite values pass through
  // without entering the average; a constant series stays as it is.
  function ema(values, weight) {
    if (!(weight > 0)) return values.slice();
    const constant = values.every(v => v === values[0]);
    let last = 0;
    let accumulated = 0;
    return values.map(v => {
      if (constant || v == null || !Number.isFinite(v)) return v;
      last = last * weight + (1 - weight) * v;
      accumulated++;
      return weight === 1 ? last : last / (1 - Math.pow(weight, accumulated));
    });
  }

  // A chart in `node` whose series are given by draw(); `xLabel` names the x axis ('step' or 'epoch').
  // After each draw the node says what it shows: data-points (x positions), data-series (a JSON array of
  // { label, points, lastX, last } per series: its point count and its last drawn point).
  function overlay(node, options) {
    const chart = { node, plot: null, key: '' };
    chart.draw = (series, xLabel) => {
      const key = JSON.stringify([xLabel, series.map(s => s.label)]);
      if (key !== chart.key) {
        if (chart.plot) chart.plot.destroy();
        chart.plot = new uPlot({
          width: Math.max(node.clientWidth, 400), height: 200, legend: { show: true },
          scales: { x: { time: false } },
          series: [{ label: xLabel, value: (u, v) => (v == null ? '--' : xLabel === 'step' ? String(v) : v.toFixed(2)) },
            ...series.map((s, i) => ({ label: s.label, stroke: s.color || color(i), width: 1.5, spanGaps: true,
              points: { show: options.points === true } }))],
        }, [[], ...series.map(() => [])], node);
        chart.key = key;
      }
      const data = series.length > 0 ? uPlot.join(series.map(s => [s.xs, s.ys])) : [[]];
      chart.plot.setData(data);
      node.dataset.points = String(data[0].length);
      node.dataset.series = JSON.stringify(series.map(s => ({
        label: s.label, points: s.ys.length, lastX: s.xs.length ? s.xs[s.xs.length - 1] : null,
        last: s.ys.length ? s.ys[s.ys.length - 1] : null })));
    };
    return chart;
  }

  // The smoothing slider (an <input type=range> with an <output> next to it): calls changed(weight) on every move.
  function smoothingControl(input, output, initial, changed) {
    const show = () => { output.textContent = Number(input.value).toFixed(2); };
    input.value = String(initial);
    show();
    input.addEventListener('input', () => { show(); changed(Number(input.value)); });
    return () => Number(input.value);
  }

  // A weight from the address bar (?smoothing=0.6): 0 unless it is a number in [0, 0.99].
  function smoothingFrom(params) {
    const value = Number(params.get('smoothing'));
    return Number.isFinite(value) && value >= 0 && value <= 0.99 ? value : 0;
  }

  return { COLORS, color, ema, overlay, smoothingControl, smoothingFrom };
})();
