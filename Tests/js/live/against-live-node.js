'use strict';
// wse.js against a running WSE node (the demo contract of PROTOCOL.md). Not part of the default
// suite (the file name does not match node's test patterns, and it needs a node). Run it with:
//   wse demo --port 18080 &
//   WSE_NODE_URL=http://127.0.0.1:18080 node --experimental-websocket --test Tests/js/live/against-live-node.js
// (node 22 and later need no flag). It logs in as alice/demo through the identity proxy (or uses
// WSE_TOKEN when set). Its WebSockets carry an Origin header, as a browser's do: WSE_ORIGIN, by default
// the node's own origin, which `wse demo` admits (a node refuses a missing or unknown Origin with 4403).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { WSE, PUBLIC_DIR } = require('../support/harness');
const { CuttableProxy } = require('../support/cuttable-proxy');
const { record, within } = require('../support/waiting');

const base = process.env.WSE_NODE_URL;
if (!base) throw new Error('set WSE_NODE_URL to a running WSE node, e.g. WSE_NODE_URL=http://127.0.0.1:8080 (wse demo)');
const nodeURL = new URL(base);
const sessionURL = `${nodeURL.protocol === 'https:' ? 'wss:' : 'ws:'}//${nodeURL.host}/wse`;
const origin = process.env.WSE_ORIGIN || nodeURL.origin;
const ADDRESS = 'tel:+15550100001'; // alice's number, known to the demo location service
const INTERVAL = 1; // seconds between location events (the demo's unit)
const EVENT_WAIT = 5000 * INTERVAL;

// node's WebSocket (undici) takes extra handshake headers, which a browser sets by itself.
function webSocketClass() {
  if (typeof WebSocket !== 'function') throw new Error('no WebSocket in this node: run it with `node --experimental-websocket` (node 20)');
  return class OriginWebSocket extends WebSocket {
    constructor(url) { super(url, { headers: { origin } }); }
  };
}

async function login(username = 'alice', password = 'demo') {
  if (process.env.WSE_TOKEN) return process.env.WSE_TOKEN;
  const response = await fetch(new URL('/idp/token', nodeURL), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(response.status, 200, `login as ${username} at ${base}/idp/token`);
  const body = await response.json();
  assert.equal(body.token_type, 'Bearer');
  return body.access_token;
}

async function connectedClient(t, options = {}) {
  const token = await login();
  const client = new WSE.Client({ url: sessionURL, token: () => token, WebSocket: webSocketClass(), backoff: { initial: 50, max: 300 }, ...options });
  const events = record(client, ['open', 'reconnecting', 'resumed', 'reset', 'closed', 'error', 'event', 'end', 'gap']);
  t.after(() => client.close());
  await within(client.connect(), 5000, 'welcome from the node');
  return { client, events };
}

function nextProcessEvent(handle, timeout = EVENT_WAIT) {
  return within(new Promise((resolve) => { const off = handle.on('event', (event) => { off(); resolve(event); }); }), timeout, `an event of ${handle.pid}`);
}

test('the node serves this wse.js at /js/wse.js', async () => {
  const response = await fetch(new URL('/js/wse.js', nodeURL));
  assert.equal(response.status, 200);
  assert.equal(await response.text(), fs.readFileSync(`${PUBLIC_DIR}/wse.js`, 'utf8'));
});

test('hello/welcome, contacts.list and location.get', async (t) => {
  const { client } = await connectedClient(t);
  assert.ok(client.session);
  const contacts = await within(client.request('contacts', 'list', {}));
  assert.ok(Array.isArray(contacts.data.contacts) && contacts.data.contacts.length > 0, JSON.stringify(contacts.data));
  for (const field of ['id', 'name', 'sip', 'address']) assert.ok(field in contacts.data.contacts[0], field);
  const position = await within(client.request('location', 'get', { address: contacts.data.contacts[0].address }));
  for (const field of ['latitude', 'longitude', 'accuracy', 'timestamp']) assert.ok(field in position.data, field);
});

test('an unknown service is refused with unknown_service', async (t) => {
  const { client } = await connectedClient(t);
  await assert.rejects(within(client.request('no-such-service', 'x', {})), { code: 'unknown_service' });
});

test('a bad token is refused with 4401 and the client stops', async (t) => {
  const client = new WSE.Client({ url: sessionURL, token: 'not-a-jwt', WebSocket: webSocketClass() });
  const events = record(client, ['reconnecting', 'closed']);
  t.after(() => client.close());
  await assert.rejects(within(client.connect(), 5000), { code: 'unauthorized' });
  assert.equal((await events.next('closed')).code, 4401);
  assert.equal(events.count('reconnecting'), 0);
});

test('location.subscribe: events per interval on the process, cancel ends it', async (t) => {
  const { client } = await connectedClient(t);
  const subscribed = await within(client.request('location', 'subscribe', { address: ADDRESS, interval: INTERVAL }));
  const handle = client.process(subscribed.pid);
  const first = await nextProcessEvent(handle);
  const second = await nextProcessEvent(handle);
  assert.equal(second.seq, first.seq + 1);
  assert.equal(first.service, 'location');
  assert.equal(await within(client.cancel(subscribed.pid)), 'cancelled');
});

test('resume after the connection is cut: no event missing or duplicated', async (t) => {
  const proxy = await CuttableProxy.start(nodeURL.hostname, Number(nodeURL.port) || 80);
  t.after(() => proxy.stop());
  const token = await login();
  const client = new WSE.Client({
    url: `ws://127.0.0.1:${proxy.port}/wse`, token: () => token, WebSocket: webSocketClass(),
    backoff: { initial: 50, max: 300 }, ackEvery: 2,
  });
  const events = record(client, ['reconnecting', 'resumed', 'reset', 'gap']);
  const sessionSeqs = []; // every event of the session: the user may also get unsolicited pushes
  client.on('event', (event) => sessionSeqs.push(event.seq));
  t.after(() => client.close());
  await within(client.connect(), 5000, 'welcome through the proxy');
  const session = client.session;
  const subscribed = await within(client.request('location', 'subscribe', { address: ADDRESS, interval: INTERVAL }));
  const handle = client.process(subscribed.pid);
  const seqs = [];
  handle.on('event', (event) => seqs.push(event.seq));
  await nextProcessEvent(handle);
  await nextProcessEvent(handle);

  proxy.hold();
  assert.ok(proxy.cut() >= 1);
  await events.next('reconnecting');
  const lastSeqAtCut = client.lastSeq;
  // The service runs on the node's clock: let it produce events while the client is away.
  await new Promise((resolve) => setTimeout(resolve, 2500 * INTERVAL));
  const countAtRelease = seqs.length;
  proxy.release();
  assert.deepEqual(await events.next('resumed', 10000), { session, lastSeq: lastSeqAtCut });
  while (seqs.length < countAtRelease + 4) await nextProcessEvent(handle);
  assert.equal(await within(client.cancel(subscribed.pid)), 'cancelled');

  assert.deepEqual(sessionSeqs, sessionSeqs.map((_, i) => sessionSeqs[0] + i), `contiguous, no duplicates: ${sessionSeqs}`);
  assert.equal(new Set(seqs).size, seqs.length);
  assert.ok(seqs.length >= countAtRelease + 4);
  assert.equal(events.count('gap'), 0);
  assert.equal(events.count('reset'), 0);
  assert.equal(client.session, session);
});
