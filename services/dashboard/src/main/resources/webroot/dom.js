// Shared helpers of the dashboard pages. All data is user input: text goes in via textContent only, never parsed as HTML.
'use strict';
window.dom = (() => {
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (name === 'text') node.textContent = value == null ? '' : String(value);
      else if (name === 'className') node.className = value;
      else if (name === 'href') node.setAttribute('href', value);
      else node.setAttribute(name, String(value));
    }
    for (const child of children) {
      if (child != null) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  function clear(node) { node.replaceChildren(); return node; }
  function num(value, digits) { return value == null ? '\u2013' : Number(value).toFixed(digits); }
  function pct(value) { return value == null ? '\u2013' : (value * 100).toFixed(2) + '%'; }
  function time(iso) { return iso ? new Date(iso).toLocaleString() : '\u2013'; }
  function bytes(n) { return n >= 1048576 ? (n / 1048576).toFixed(1) + ' MiB' : (n / 1024).toFixed(1) + ' KiB'; }
  async function getJson(url) {
    const response = await fetch(url, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(url + ' answered ' + response.status);
    return response.json();
  }
  // Calls refresh at most every 250 ms while events arrive; shows the stream state in #live.
  function follow(url, refresh) {
    let pending = null;
    const live = document.getElementById('live');
    const source = new EventSource(url);
    const schedule = () => { if (!pending) pending = setTimeout(() => { pending = null; refresh(); }, 250); };
    for (const kind of ['run', 'metrics', 'checkpoint', 'evaluation']) source.addEventListener(kind, schedule);
    source.onopen = () => { live.dataset.state = 'open'; live.textContent = 'live'; schedule(); };
    source.onerror = () => { live.dataset.state = 'closed'; live.textContent = 'reconnecting'; };
    return source;
  }
  return { el, clear, num, pct, time, bytes, getJson, follow };
})();
