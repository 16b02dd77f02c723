/* The broker's parties on the operator console: providers and retailers on board (PUT/GET /admin/v1/providers,
 * /admin/v1/retailers) and the audit log (GET /admin/v1/audit). Read when the console opens and after each
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
      showError('');
    } catch (error) {
      showError(`The parties could not be read: ${error.message}`);
    }
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
    refresh();
  });
})();
