// Drives wse.js the way a retailer page would, and records everything for the test to read back
// through `wseTest.snapshot()`.
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

  async function start(config) {
    client = new WSE.Client({
      url: config.url,
      token: () => config.token,
      backoff: config.backoff || { initial: 50, max: 300, factor: 2, jitter: true },
      ackEvery: 2,
      ackDelay: 200,
    });
    for (const name of ['connecting', 'open', 'reconnecting', 'closed', 'reset']) client.on(name, (detail) => state(name, detail));
    client.on('resumed', (detail) => { record.resumedEvents.push(detail); state('resumed', detail); });
    client.on('reconnecting', (detail) => record.reconnects.push(detail));
    client.on('gap', (gap) => record.gaps.push(gap));
    client.on('error', (error) => record.errors.push(error.code));
    client.on('event', (event) => record.allSeqs.push(event.seq));

    await client.connect();
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

  return { start, cancel, snapshot, defaultsAndModules, goOnline };
})();
