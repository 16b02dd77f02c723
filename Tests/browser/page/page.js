// Drives wse.js (and, against a real node, the identity proxy's auth.js) the way a retailer page
// would, and records everything for the test to read back through `wseTest.snapshot()`.
'use strict';

window.wseTest = (() => {
  const record = {
    states: [],
    contacts: null,
    unknownServiceError: null,
    pid: null,
    locationEvents: [], // {seq, data} of the subscription's events, as delivered to the page
    allSeqs: [], // seq of every event delivered to the page
    gaps: [],
    resumedEvents: [],
    reconnects: [],
    endReason: null,
    errors: [],
    closes: [], // {code, reason} of every 'closed' (the client stopped for good)
    login: null, // {ok: true} or {ok: false, status, code, message} from WSEAuth.login
  };
  let client = null;

  function log(text) {
    const item = document.createElement('li');
    item.textContent = text;
    document.getElementById('log').appendChild(item);
  }

  function state(name, detail) {
    record.states.push(name);
    document.getElementById('state').textContent = name;
    log(`${name} ${detail ? JSON.stringify(detail) : ''}`);
  }

  // Adds a classic <script> (wse.js from here or from the node, the node's auth.js) and waits for it to run.
  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = () => resolve(src);
      script.onerror = () => reject(Object.assign(new Error(`could not load ${src}`), { code: 'script_load_failed' }));
      document.head.appendChild(script);
    });
  }

  // Logs in as a page would: the node's /idp/auth.js, then WSEAuth.login. The outcome is shown on the
  // page and recorded; a refused login resolves too (the test checks what the page shows).
  async function login(nodeURL, username, password) {
    if (!window.WSEAuth) await loadScript(`${nodeURL}/idp/auth.js`);
    const shown = document.getElementById('login');
    try {
      await WSEAuth.login(username, password);
      record.login = { ok: true, nodeURL: WSEAuth.nodeURL };
      shown.textContent = `logged in as ${username}`;
    } catch (error) {
      record.login = { ok: false, status: error.status, code: error.code, message: error.message };
      shown.textContent = `login failed: ${error.status} ${error.code}`;
    }
    return record.login;
  }

  // The token source: a fixed string from the test, or what auth.js holds after login().
  function tokenSource(config) {
    return config.token !== undefined ? () => config.token : () => WSEAuth.token();
  }

  function newClient(config) {
    client = new WSE.Client({
      url: config.url,
      token: tokenSource(config),
      backoff: config.backoff || { initial: 50, max: 300, factor: 2, jitter: true },
      ackEvery: 2,
      ackDelay: 200,
    });
    for (const name of ['connecting', 'open', 'reconnecting', 'closed', 'reset']) client.on(name, (detail) => state(name, detail));
    client.on('resumed', (detail) => { record.resumedEvents.push(detail); state('resumed', detail); });
    client.on('reconnecting', (detail) => record.reconnects.push(detail));
    client.on('closed', (detail) => record.closes.push(detail));
    client.on('gap', (gap) => record.gaps.push(gap));
    client.on('error', (error) => record.errors.push(error.code));
    client.on('event', (event) => record.allSeqs.push(event.seq));
    return client;
  }

  // Only opens the session; a refusal resolves with what wse.js reported (for the bad-input tests).
  async function open(config) {
    try {
      return { session: (await newClient(config).connect()).session };
    } catch (error) {
      return { error: error.code, closeCode: error.closeCode, closeReason: error.closeReason };
    }
  }

  async function start(config) {
    await newClient(config).connect();
    const contacts = await client.request('contacts', 'list', {});
    record.contacts = contacts.data.contacts;
    document.getElementById('contacts').textContent = contacts.data.contacts.map((c) => c.name).join(', ');
    try {
      await client.request('no-such-service', 'x', {});
    } catch (error) {
      record.unknownServiceError = error.code;
    }
    const subscribed = await client.request('location', 'subscribe', { address: config.address, interval: config.interval });
    record.pid = subscribed.pid;
    client.process(subscribed.pid).on('event', (event) => {
      record.locationEvents.push({ seq: event.seq, data: event.data });
      document.getElementById('events').textContent = String(record.locationEvents.length);
      document.getElementById('last-seq').textContent = String(event.seq);
    });
    return record.pid;
  }

  async function cancel() {
    record.endReason = await client.cancel(record.pid);
    return record.endReason;
  }

  // What a page gets without options: the session URL and module folder next to the script's /js/.
  async function defaultsAndModules() {
    const local = new WSE.Client({ token: 'unused' });
    const greeter = await local.loadModule('greeter');
    const again = await local.loadModule('greeter');
    const failures = {};
    for (const name of ['absent', 'quiet', '../wse']) {
      try { await local.loadModule(name); failures[name] = 'loaded'; } catch (error) { failures[name] = error.code; }
    }
    return {
      url: local.url,
      modulesBase: local.modulesBase,
      sameInstance: greeter === again,
      boundToClient: greeter.client === local,
      greetType: typeof greeter.greet,
      failures,
      quietRan: window.quietModuleRan === true,
      leftoverScriptTags: document.querySelectorAll('script[src*="/modules/"]').length,
    };
  }

  // Which wse.js the page runs, and where it sends sessions when given no `url`.
  function library() {
    return { version: WSE.version, defaultURL: new WSE.Client({ token: 'unused' }).url };
  }

  function goOnline() {
    window.dispatchEvent(new Event('online'));
  }

  function snapshot() {
    return Object.assign({}, record, {
      state: client ? client.state : 'idle',
      session: client ? client.session : null,
      lastSeq: client ? client.lastSeq : 0,
      stats: client ? Object.assign({}, client.stats) : null,
    });
  }

  return { loadScript, login, open, start, cancel, snapshot, defaultsAndModules, library, goOnline };
})();
