/* The broker's parties on the operator console: providers and retailers on board (PUT/GET /admin/v1/providers,
 * /admin/v1/retailers), the audit log (GET /admin/v1/audit) and the last day's usage summed per provider and per
 * retailer in two SVG bar charts (GET /admin/v1/usage). Read when the console opens and after each
 * change, with the admin token admin.js keeps in sessionStorage. Plain ES2020; text only through textContent. */
(function () {
  'use strict';

  const TOKEN_KEY = 'wse.admin.token';
  const BASE = new URL('v1/', window.location.href.replace(/[^/]*([?#].*)?$/, '')).href;
  const $ = (id) => document.getElementById(id);

  async function call(method, path, body) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) return null;
    const response = await fetch(BASE + path, {
      method,
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    let answer = null;
    try { answer = await response.json(); } catch (error) { answer = null; }
    if (!response.ok) throw new Error(answer && answer.error ? answer.error.message : `HTTP ${response.status}`);
    return answer;
  }

  function row(cells) {
    const tr = document.createElement('tr');
    for (const text of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.appendChild(td);
    }
    return tr;
  }

  function fill(tableId, rows) {
    $(tableId).querySelector('tbody').replaceChildren(...rows.map(row));
  }

  function showError(message) {
    $('parties-error').textContent = message || '';
    $('parties-error').hidden = !message;
  }

  async function refresh() {
    if (!sessionStorage.getItem(TOKEN_KEY)) return;
    try {
      const [providers, retailers, audit] = await Promise.all([call('GET', 'providers'), call('GET', 'retailers'), call('GET', 'audit?limit=20')]);
      fill('providers', providers.providers.map((p) => [p.id, p.name, new Date(p.createdAt).toLocaleString()]));
      fill('retailers', retailers.retailers.map((r) => [r.id, r.name, r.origins.join(' '), r.clientId]));
      fill('audit', audit.entries.map((e) => [new Date(e.at).toLocaleString(), e.actor, e.action, e.target, e.detail]));
      await refreshUsage();
      showError('');
    } catch (error) {
      showError(`The parties could not be read: ${error.message}`);
    }
  }

  /** Sums the records by `key`: requests, events, bytes. */
  function sums(records, key) {
    const totals = new Map();
    for (const r of records) {
      const name = r[key] || (key === 'provider' ? 'operator' : 'none');
      const t = totals.get(name) || { name, requests: 0, events: 0, bytes: 0 };
      t.requests += 1;
      t.events += r.events;
      t.bytes += r.bytes;
      totals.set(name, t);
    }
    return [...totals.values()].sort((a, b) => b.requests - a.requests);
  }

  /** A horizontal bar chart of the requests, in plain SVG, with events and bytes as text. */
  function chart(containerId, totals) {
    const svgNS = 'http://www.w3.org/2000/svg';
    const rowHeight = 26;
    const width = 460;
    const labelWidth = 110;
    const svg = document.createElementNS(svgNS, 'svg');
    svg.setAttribute('viewBox', `0 0 ${width} ${Math.max(1, totals.length) * rowHeight + 4}`);
    svg.setAttribute('role', 'img');
    svg.classList.add('usage-chart');
    const most = Math.max(1, ...totals.map((t) => t.requests));
    totals.forEach((t, i) => {
      const y = i * rowHeight + 4;
      const text = (x, content, anchor) => {
        const node = document.createElementNS(svgNS, 'text');
        node.setAttribute('x', x);
        node.setAttribute('y', y + 15);
        if (anchor) node.setAttribute('text-anchor', anchor);
        node.textContent = content;
        svg.appendChild(node);
      };
      text(labelWidth - 8, t.name, 'end');
      const bar = document.createElementNS(svgNS, 'rect');
      bar.setAttribute('x', labelWidth);
      bar.setAttribute('y', y + 2);
      bar.setAttribute('height', rowHeight - 8);
      bar.setAttribute('width', Math.max(2, ((width - labelWidth - 150) * t.requests) / most));
      bar.setAttribute('rx', 3);
      svg.appendChild(bar);
      text(width - 4, `${t.requests} req · ${t.events} ev · ${t.bytes} B`, 'end');
    });
    if (totals.length === 0) {
      const empty = document.createElementNS(svgNS, 'text');
      empty.setAttribute('x', 4);
      empty.setAttribute('y', 18);
      empty.textContent = 'No usage in this period';
      svg.appendChild(empty);
    }
    svg.setAttribute('aria-label', totals.map((t) => `${t.name}: ${t.requests} requests`).join(', ') || 'no usage');
    $(containerId).replaceChildren(svg);
  }

  async function refreshUsage() {
    const from = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
    const usage = await call('GET', `usage?from=${encodeURIComponent(from)}`);
    chart('usage-providers', sums(usage.records, 'provider'));
    chart('usage-retailers', sums(usage.records, 'retailer'));
  }

  async function downloadCSV(event) {
    event.preventDefault();
    const response = await fetch(BASE + 'usage', { headers: { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}`, Accept: 'text/csv' } });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await response.blob());
    link.download = 'wse-usage.csv';
    link.click();
    URL.revokeObjectURL(link.href);
  }

  async function submit(event, save) {
    event.preventDefault();
    const form = event.target;
    if (!form.reportValidity()) return;
    try {
      await save(new FormData(form));
      form.reset();
      showError('');
    } catch (error) {
      showError(error.message);
    }
    refresh();
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('provider-form').addEventListener('submit', (event) => submit(event, async (data) => {
      const id = data.get('id');
      const answer = await call('PUT', `providers/${encodeURIComponent(id)}`, { name: data.get('name') });
      const notice = $('provider-key');
      notice.textContent = answer.key
        ? `Key of provider ${id} (shown this once; give it to the provider): ${answer.key}`
        : `Provider ${id} updated; its key is unchanged.`;
      notice.hidden = false;
    }));
    $('retailer-form').addEventListener('submit', (event) => submit(event, async (data) => {
      const origins = String(data.get('origins') || '').split(/[\s,]+/).filter(Boolean);
      await call('PUT', `retailers/${encodeURIComponent(data.get('id'))}`, { name: data.get('name'), origins });
    }));
    $('token-form').addEventListener('submit', () => setTimeout(refresh, 0));
    $('usage-csv').addEventListener('click', downloadCSV);
    refresh();
  });
})();
