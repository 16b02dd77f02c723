/* The operator console of a WSE node, served at /admin/: polls GET /admin/v1/overview every 2 s with the
 * admin token (kept in sessionStorage) and shows sessions, services (load, circuit), compositions, message
 * rates (from the difference between two polls) and the share of composed traffic. Plain ES2020. */
(function () {
  'use strict';

  const TOKEN_KEY = 'wse.admin.token';
  const POLL_MS = 2000;
  const OVERVIEW_URL = new URL('v1/overview', window.location.href.replace(/[^/]*([?#].*)?$/, '')).href;
  const NODES_URL = new URL('v1/nodes', window.location.href.replace(/[^/]*([?#].*)?$/, '')).href;
  const CIRCUIT_TEXT = { closed: 'Closed', open: 'Open', halfOpen: 'Half-open' };

  const $ = (id) => document.getElementById(id);
  let timer = null;
  let previous = null; // {at, requests, pushes} of the last poll, for the rates
  let generation = 0; // a poll answered after the token changed is ignored

  function showView(name) {
    document.body.dataset.view = name;
    $('token-view').hidden = name !== 'token';
    $('dashboard-view').hidden = name !== 'dashboard';
    $('forget-token').hidden = name !== 'dashboard';
  }

  function setPollState(state, text) {
    document.body.dataset.pollState = state;
    $('poll-status').dataset.state = state;
    $('poll-text').textContent = text;
  }

  function askForToken(message) {
    stop();
    sessionStorage.removeItem(TOKEN_KEY);
    showView('token');
    setPollState('idle', 'Idle');
    $('node-info').textContent = 'Not connected';
    $('token-error').textContent = message || '';
    $('token-error').hidden = !message;
    $('admin-token').value = '';
    $('admin-token').focus();
  }

  function stop() {
    clearTimeout(timer);
    timer = null;
    previous = null;
    generation += 1;
  }

  function start() {
    stop();
    showView('dashboard');
    setPollState('pending', 'Loading…');
    poll(generation);
  }

  async function poll(mine) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) return askForToken();
    let response;
    try {
      response = await fetch(OVERVIEW_URL, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, cache: 'no-store' });
    } catch (error) {
      if (mine !== generation) return;
      failed(`The node cannot be reached (${error.message}). Retrying…`);
      return schedule(mine);
    }
    if (mine !== generation) return;
    if (response.status === 401) return askForToken('The admin token was refused. Enter it again.');
    let body = null;
    try { body = await response.json(); } catch (error) { body = null; }
    if (mine !== generation) return;
    if (!response.ok || !body || typeof body !== 'object') {
      const detail = body && body.error ? body.error.message : `HTTP ${response.status}`;
      failed(`The overview could not be read: ${detail}. Retrying…`);
      return schedule(mine);
    }
    render(body);
    await pollNodes(token, mine);
    schedule(mine);
  }

  /** GET /admin/v1/nodes: every node of the deployment (one for a node on its own); a failure leaves the table as it was. */
  async function pollNodes(token, mine) {
    try {
      const response = await fetch(NODES_URL, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, cache: 'no-store' });
      const body = response.ok ? await response.json() : null;
      if (mine === generation && body && Array.isArray(body.nodes)) renderNodes(body.nodes);
    } catch (error) {
      // The overview already reports an unreachable node.
    }
  }

  function renderNodes(nodes) {
    const alive = nodes.filter((node) => node.alive === true).length;
    $('nodes-count').textContent = `${alive} of ${nodes.length} alive`;
    const rows = nodes.map((node) => {
      const row = document.createElement('tr');
      row.dataset.nodeId = String(node.id);
      const name = document.createElement('th');
      name.scope = 'row';
      name.textContent = String(node.id);
      const state = cell('', 'state');
      const pill = document.createElement('span');
      pill.className = `circuit circuit-${node.alive === true ? 'closed' : 'open'}`;
      pill.textContent = node.alive === true ? 'Alive' : 'Silent';
      state.append(pill);
      row.append(name, cell(String(node.url || ''), 'url'), cell(String(count(node.pid)), 'pid', 'num'),
        cell(count(node.sessions).toLocaleString(), 'sessions', 'num'), state);
      return row;
    });
    $('nodes').tBodies[0].replaceChildren(...rows);
  }

  function schedule(mine) {
    if (mine === generation) timer = setTimeout(() => poll(mine), POLL_MS);
  }

  function failed(text) {
    setPollState('error', 'Node unreachable');
    $('poll-error').textContent = text;
    $('poll-error').hidden = false;
  }

  // --- rendering ---

  function render(overview) {
    $('poll-error').hidden = true;
    const now = performance.now();
    const traffic = overview.traffic || {};
    const requests = count(traffic.basicRequests) + count(traffic.composedRequests);
    const pushes = count(traffic.pushes);
    let requestRate = null;
    let pushRate = null;
    if (previous && now > previous.at) {
      const seconds = (now - previous.at) / 1000;
      requestRate = Math.max(0, requests - previous.requests) / seconds;
      pushRate = Math.max(0, pushes - previous.pushes) / seconds;
    }
    previous = { at: now, requests, pushes };

    const node = overview.node || {};
    $('node-info').textContent = `Up ${duration(count(node.uptimeSeconds))}${node.startedAt ? ` · started ${new Date(node.startedAt).toLocaleString()}` : ''}`;
    setPollState('ok', `Live · updated ${new Date().toLocaleTimeString()}`);

    const sessions = overview.sessions || {};
    metric('sessionsOpen', count(sessions.open));
    metric('connections', count(sessions.connections));
    metric('requestRate', requestRate, rate);
    metric('pushRate', pushRate, rate);
    metric('compositionsRunning', count((overview.compositions || {}).running));
    const share = Number.isFinite(traffic.composedShare) ? Math.min(1, Math.max(0, traffic.composedShare)) : 0;
    metric('composedShare', share, (value) => `${Math.round(value * 100)} %`);
    document.querySelector('.share-bar').style.width = `${share * 100}%`;
    $('traffic-totals').textContent = `${count(traffic.composedRequests)} composed of ${requests} requests · ${pushes} pushes`;

    renderServices(Array.isArray(overview.services) ? overview.services : []);
  }

  function metric(name, value, format = String) {
    const element = document.querySelector(`[data-metric="${name}"]`);
    element.dataset.value = value === null ? '' : String(value);
    element.querySelector('.metric-value').textContent = value === null ? '—' : format(value);
  }

  function renderServices(services) {
    const body = $('services').tBodies[0];
    $('services-count').textContent = `${services.length} registered`;
    const rows = services.map((service) => {
      const row = document.createElement('tr');
      row.dataset.serviceId = String(service.id);
      row.dataset.circuit = CIRCUIT_TEXT[service.circuit] ? service.circuit : 'unknown';
      const name = document.createElement('th');
      name.scope = 'row';
      name.textContent = String(service.id);
      row.append(name,
        cell(service.kind === 'composed' ? 'Composed' : 'Basic', 'kind', `kind kind-${service.kind === 'composed' ? 'composed' : 'basic'}`),
        loadCell(count(service.inFlight), Number.isFinite(service.capacity) ? service.capacity : null),
        circuitCell(service.circuit, count(service.consecutiveFailures)),
        cell(count(service.requests).toLocaleString(), 'requests', 'num'),
        cell(count(service.pushes).toLocaleString(), 'pushes', 'num'),
        errorsCell(service.errors),
        cell(Number.isFinite(service.meanLatencyMilliseconds) ? `${service.meanLatencyMilliseconds.toFixed(1)} ms` : '—', 'latency', 'num'));
      return row;
    });
    body.replaceChildren(...rows);
  }

  function cell(text, field, className) {
    const element = document.createElement('td');
    element.dataset.field = field;
    if (className) element.className = className;
    element.textContent = text;
    return element;
  }

  function loadCell(inFlight, capacity) {
    const element = cell('', 'load');
    const box = document.createElement('span');
    box.className = 'load';
    const label = document.createElement('span');
    label.textContent = capacity ? `${inFlight} / ${capacity}` : `${inFlight} in flight`;
    box.append(label);
    element.append(box);
    if (capacity) {
      const ratio = Math.min(1, inFlight / capacity);
      const meter = document.createElement('meter');
      meter.min = 0; meter.max = capacity; meter.value = inFlight;
      meter.low = capacity * 0.6; meter.high = capacity * 0.85; meter.optimum = 0;
      meter.setAttribute('aria-label', `load ${Math.round(ratio * 100)} percent`);
      box.append(meter);
    }
    return element;
  }

  function circuitCell(circuit, failures) {
    const known = CIRCUIT_TEXT[circuit] ? circuit : 'unknown';
    const element = cell('', 'circuit');
    const pill = document.createElement('span');
    pill.className = `circuit circuit-${known}`;
    pill.textContent = CIRCUIT_TEXT[known] || 'Unknown';
    element.append(pill);
    if (failures) {
      const detail = document.createElement('span');
      detail.className = 'muted small';
      detail.textContent = ` ${failures} failure${failures === 1 ? '' : 's'} in a row`;
      element.append(detail);
    }
    return element;
  }

  function errorsCell(errors) {
    const entries = errors && typeof errors === 'object' ? Object.entries(errors).filter(([, n]) => count(n) > 0) : [];
    const element = cell(entries.length ? '' : '—', 'errors', entries.length ? 'errors' : 'muted');
    for (const [code, n] of entries.sort((a, b) => count(b[1]) - count(a[1]))) {
      const tag = document.createElement('span');
      tag.className = 'error-tag';
      tag.textContent = `${code} ${count(n)}`;
      element.append(tag);
    }
    return element;
  }

  function count(value) { return Number.isFinite(value) && value > 0 ? value : 0; }

  function rate(value) { return value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString(); }

  function duration(seconds) {
    const days = Math.floor(seconds / 86400);
    const hours = Math.floor((seconds % 86400) / 3600);
    const minutes = Math.floor((seconds % 3600) / 60);
    if (days) return `${days} d ${hours} h`;
    if (hours) return `${hours} h ${minutes} min`;
    if (minutes) return `${minutes} min ${Math.floor(seconds % 60)} s`;
    return `${Math.floor(seconds)} s`;
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const token = $('admin-token').value.trim();
      if (!token) {
        $('token-error').textContent = 'Enter the admin token.';
        $('token-error').hidden = false;
        return;
      }
      sessionStorage.setItem(TOKEN_KEY, token);
      $('admin-token').value = '';
      $('token-error').hidden = true;
      start();
    });
    $('forget-token').addEventListener('click', () => askForToken());
    if (sessionStorage.getItem(TOKEN_KEY)) start();
    else askForToken();
  });
})();
