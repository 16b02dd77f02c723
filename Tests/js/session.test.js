'use strict';
// One session without trouble: hello/welcome, requests, events, processes, cancel, acks.

const test = require('node:test');
const assert = require('node:assert/strict');
const { startPair, startSession } = require('./support/harness');
const { within } = require('./support/waiting');

test('connect sends hello with the token and resolves on welcome', async (t) => {
  let calls = 0;
  const { node, client, events } = await startPair(t, { token: async () => `token-${++calls}` });
  const opened = client.connect();
  const connection = await node.nextConnection();
  const hello = await connection.expect('hello');
  assert.deepEqual(hello, { type: 'hello', token: 'token-1' }, 'a first hello carries no resume');
  assert.equal(client.state, 'connecting');
  connection.welcome('s-42', { heartbeat: 25 });
  assert.deepEqual(await within(opened), { session: 's-42', resumed: false, heartbeat: 25 });
  assert.equal(client.state, 'open');
  assert.equal(client.session, 's-42');
  assert.equal(client.heartbeat, 25);
  assert.deepEqual(await events.next('open'), { session: 's-42', resumed: false, heartbeat: 25 });
  assert.equal(events.count('resumed'), 0);
});

test('request resolves with data and pid of the matching response', async (t) => {
  const { client, connection } = await startSession(t);
  const first = client.request('contacts', 'list', {});
  const second = client.request('location', 'get', { address: 'tel:+33123' });
  const a = await connection.expect('request');
  const b = await connection.expect('request');
  const { id: firstId, ...firstRest } = a;
  assert.match(firstId, /^r\d+$/);
  assert.deepEqual(firstRest, { type: 'request', service: 'contacts', action: 'list', data: {} });
  assert.equal(b.service, 'location');
  assert.deepEqual(b.data, { address: 'tel:+33123' });
  assert.notEqual(a.id, b.id, 'each request has its own id');
  // Answer out of order: matching is by id.
  connection.send({ type: 'response', id: b.id, pid: 'p-b', data: { latitude: 45.1 } });
  connection.send({ type: 'response', id: a.id, pid: 'p-a', data: { contacts: [] } });
  assert.deepEqual(await within(second), { data: { latitude: 45.1 }, pid: 'p-b' });
  assert.deepEqual(await within(first), { data: { contacts: [] }, pid: 'p-a' });
});

test('an error with the request id rejects it with the code and message', async (t) => {
  const { client, connection } = await startSession(t);
  const pending = client.request('nope', 'x');
  const request = await connection.expect('request');
  connection.send({ type: 'error', id: request.id, code: 'unknown_service', message: 'no service "nope"' });
  await assert.rejects(within(pending), (error) => {
    assert.equal(error.name, 'WSEError');
    assert.equal(error.code, 'unknown_service');
    assert.equal(error.message, 'no service "nope"');
    assert.equal(error.id, request.id);
    return true;
  });
});

test('an error without id is an error event and the session goes on', async (t) => {
  const { client, connection, events } = await startSession(t);
  connection.send({ type: 'error', code: 'bad_request', message: 'missing field "type"' });
  const error = await events.next('error');
  assert.equal(error.code, 'bad_request');
  assert.equal(error.message, 'missing field "type"');
  const pending = client.request('contacts', 'list');
  const request = await connection.expect('request');
  connection.send({ type: 'response', id: request.id, pid: 'p1', data: 1 });
  assert.equal((await within(pending)).data, 1);
});

test('a frame that is not a WSE message is reported, not fatal', async (t) => {
  const { client, connection, events } = await startSession(t);
  connection.send('this is not json');
  assert.equal((await events.next('error')).code, 'bad_message');
  connection.send({ no: 'type' });
  assert.equal((await events.next('error')).code, 'bad_message');
  connection.send({ type: 'from-the-future', x: 1 }); // unknown types are ignored
  connection.send({ type: 'event', seq: 1, service: 's', data: 'still here' });
  assert.equal((await events.next('event')).data, 'still here');
  assert.equal(client.state, 'open');
  assert.equal(events.count('error'), 2);
});

test('a message split over several frames arrives whole', async (t) => {
  const { connection, events } = await startSession(t);
  connection.sendFragmented({ type: 'event', seq: 1, service: 'location', data: { note: 'x'.repeat(300) } }, 3);
  assert.equal((await events.next('event')).data.note.length, 300);
});

test('events reach the global, per-service and per-process listeners', async (t) => {
  const { client, connection } = await startSession(t);
  const all = [];
  const location = [];
  const processOne = [];
  client.on('event', (e) => all.push(e.seq));
  client.on('event:location', (e) => location.push(e.seq));
  const subscribed = client.request('location', 'subscribe', { address: 'tel:1', interval: 1 });
  const request = await connection.expect('request');
  connection.send({ type: 'response', id: request.id, pid: 'p1', data: {} });
  const { pid } = await within(subscribed);
  const process = client.process(pid);
  process.on('event', (e) => processOne.push(e.data));
  const ended = new Promise((resolve) => process.on('end', resolve));
  connection.send({ type: 'event', seq: 1, service: 'location', pid: 'p1', data: 'a' });
  connection.send({ type: 'event', seq: 2, service: 'sip', data: 'unsolicited' });
  connection.send({ type: 'event', seq: 3, service: 'location', pid: 'p2', data: 'other process' });
  connection.send({ type: 'event', seq: 4, service: 'location', pid: 'p1', data: 'b' });
  connection.send({ type: 'end', pid: 'p1', reason: 'done' });
  assert.deepEqual(await within(ended), { pid: 'p1', reason: 'done' });
  assert.deepEqual(processOne, ['a', 'b']);
  assert.deepEqual(location, [1, 3, 4]);
  assert.deepEqual(all, [1, 2, 3, 4]);
  assert.equal(process.ended, true);
  assert.equal(await within(process.done), 'done');
  assert.equal(client.lastSeq, 4);
});

test('events of a process that arrive before anyone listens are kept for its first listener', async (t) => {
  const { client, connection } = await startSession(t);
  const subscribed = client.request('location', 'subscribe', {});
  const request = await connection.expect('request');
  // The node may push the first event before the response (connector IN is fast).
  connection.send({ type: 'event', seq: 1, service: 'location', pid: 'p7', data: 'early' });
  connection.send({ type: 'response', id: request.id, pid: 'p7', data: {} });
  const { pid } = await within(subscribed);
  const received = [];
  const got = new Promise((resolve) => client.process(pid).on('event', (e) => { received.push(e.data); if (received.length === 2) resolve(); }));
  connection.send({ type: 'event', seq: 2, service: 'location', pid: 'p7', data: 'late' });
  await within(got);
  assert.deepEqual(received, ['early', 'late']);
});

test('cancel sends cancel and resolves with the end reason', async (t) => {
  const { client, connection, events } = await startSession(t);
  const cancelled = client.cancel('p9');
  assert.deepEqual(await connection.expect('cancel'), { type: 'cancel', pid: 'p9' });
  connection.send({ type: 'end', pid: 'p9', reason: 'cancelled' });
  assert.equal(await within(cancelled), 'cancelled');
  assert.deepEqual(await events.next('end'), { pid: 'p9', reason: 'cancelled' });
});

test('cancel through a process handle, and a cancel that gets no end times out', async (t) => {
  const { client, connection } = await startSession(t);
  const viaHandle = client.process('p1').cancel();
  assert.equal((await connection.expect('cancel')).pid, 'p1');
  connection.send({ type: 'end', pid: 'p1', reason: 'cancelled' });
  assert.equal(await within(viaHandle), 'cancelled');
  const unanswered = assert.rejects(within(client.cancel('p2', { timeout: 20 })), { code: 'client_timeout' });
  await connection.expect('cancel');
  await unanswered;
});

test('a request with no answer rejects with client_timeout, and a late answer is ignored', async (t) => {
  const { client, connection } = await startSession(t);
  const timedOut = assert.rejects(within(client.request('slow', 'call', {}, { timeout: 20 })), { code: 'client_timeout' });
  const request = await connection.expect('request');
  await timedOut;
  connection.send({ type: 'response', id: request.id, pid: 'p', data: 'late' });
  const next = client.request('fast', 'call');
  const second = await connection.expect('request');
  connection.send({ type: 'response', id: second.id, pid: 'q', data: 'ok' });
  assert.equal((await within(next)).data, 'ok');
});

test('bad arguments are refused before anything is sent', async (t) => {
  const { client, node, events } = await startPair(t);
  await assert.rejects(client.request('contacts', 'list'), { code: 'closed' }, 'before connect()');
  await assert.rejects(client.cancel('p1'), { code: 'closed' });
  const opened = client.connect();
  await node.accept('s');
  await within(opened);
  await assert.rejects(client.request('', 'list'), TypeError);
  await assert.rejects(client.request('contacts'), TypeError);
  await assert.rejects(client.cancel(''), TypeError);
  assert.throws(() => client.on('event', 'not a function'), TypeError);
  assert.equal(events.count('error'), 0);
});

test('the constructor refuses missing or bad options', () => {
  const { WSE, webSocketClass } = require('./support/harness');
  const WebSocket = webSocketClass();
  assert.throws(() => new WSE.Client({ token: 't', WebSocket }), /url/);
  assert.throws(() => new WSE.Client({ url: 'not a url', token: 't', WebSocket }), /ws: or wss: URL/);
  assert.throws(() => new WSE.Client({ url: 'ftp://127.0.0.1/wse', token: 't', WebSocket }), /ws: or wss: URL/);
  assert.throws(() => new WSE.Client({ url: 'ws://127.0.0.1:1/wse', WebSocket }), /token/);
  assert.throws(() => new WSE.Client({ url: 'ws://127.0.0.1:1/wse', token: 't', WebSocket, backoff: { initial: -1 } }), /backoff.initial/);
  assert.throws(() => new WSE.Client({ url: 'ws://127.0.0.1:1/wse', token: 't', WebSocket, requestTimeout: 'soon' }), /requestTimeout/);
});

test('acks: one after every ackEvery events', async (t) => {
  const { connection, client } = await startSession(t, { ackEvery: 3, ackDelay: 0 });
  for (let seq = 1; seq <= 7; seq++) connection.send({ type: 'event', seq, service: 's', data: seq });
  assert.deepEqual(await connection.expect('ack'), { type: 'ack', seq: 3 });
  assert.deepEqual(await connection.expect('ack'), { type: 'ack', seq: 6 });
  connection.send({ type: 'event', seq: 8, service: 's', data: 8 });
  connection.send({ type: 'event', seq: 9, service: 's', data: 9 });
  assert.deepEqual(await connection.expect('ack'), { type: 'ack', seq: 9 }, 'nothing for 7 alone: no timer');
  assert.equal(client.stats.acksSent, 3);
});

test('acks: ackDelay after an event not acked yet', async (t) => {
  const { connection } = await startSession(t, { ackEvery: 100, ackDelay: 15 });
  connection.send({ type: 'event', seq: 1, service: 's', data: 1 });
  assert.deepEqual(await connection.expect('ack'), { type: 'ack', seq: 1 });
  connection.send({ type: 'event', seq: 2, service: 's', data: 2 });
  assert.deepEqual(await connection.expect('ack'), { type: 'ack', seq: 2 });
});

test('a server ping is answered by the WebSocket layer and does not disturb the session', async (t) => {
  const { client, connection } = await startSession(t);
  assert.equal(await connection.ping('hb-1'), 'hb-1');
  const pending = client.request('contacts', 'list');
  const request = await connection.expect('request');
  connection.send({ type: 'response', id: request.id, pid: 'p', data: 'ok' });
  assert.equal((await within(pending)).data, 'ok');
});

test('close() ends the session: close 1000, pending requests reject with closed, no reconnect', async (t) => {
  const { client, connection, events } = await startSession(t);
  const pending = client.request('contacts', 'list');
  await connection.expect('request');
  const handle = client.process('p1');
  const handleEnded = handle.done;
  client.close();
  await assert.rejects(within(pending), { code: 'closed' });
  assert.equal(await within(handleEnded), 'closed');
  assert.deepEqual(await within(connection.closed), { code: 1000, reason: 'client closed' });
  assert.deepEqual(await events.next('closed'), { code: 1000, reason: 'client closed' });
  assert.equal(client.state, 'closed');
  assert.equal(client.session, null);
  assert.equal(events.count('reconnecting'), 0);
});

test('a listener that throws is reported and the other listeners still run', async (t) => {
  const reported = [];
  const previous = globalThis.reportError;
  globalThis.reportError = (error) => reported.push(error.message); // what a browser provides
  t.after(() => { globalThis.reportError = previous; });
  const { client, connection } = await startSession(t);
  client.on('event', () => { throw new Error('page bug'); });
  const delivered = new Promise((resolve) => client.on('event', resolve));
  connection.send({ type: 'event', seq: 1, service: 's', data: 'x' });
  assert.equal((await within(delivered)).data, 'x');
  assert.deepEqual(reported, ['page bug']);
  assert.equal(client.lastSeq, 1);
});

test('a url the WebSocket class refuses stops the client with bad_url', async () => {
  const { WSE } = require('./support/harness');
  class RefusingWebSocket { constructor() { throw new SyntaxError('unsupported URL'); } } // a fake is enough here
  const client = new WSE.Client({ url: 'ws://127.0.0.1:1/wse', token: 't', WebSocket: RefusingWebSocket });
  const closed = new Promise((resolve) => client.on('closed', resolve));
  client.on('error', () => {});
  await assert.rejects(within(client.connect()), (error) => error.code === 'bad_url' && /unsupported URL/.test(error.message));
  await within(closed);
  assert.equal(client.state, 'closed');
});
