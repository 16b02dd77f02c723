'use strict';
// Trouble on the line: backoff, resume without loss or duplicates, refusals that must not loop.

const test = require('node:test');
const assert = require('node:assert/strict');
const { startPair, startSession } = require('./support/harness');
const { within } = require('./support/waiting');

// Accepts the next connection and drops it after its hello, before any welcome.
async function dropNextAfterHello(node) {
  const connection = await node.nextConnection();
  const hello = await connection.expect('hello');
  await connection.drop();
  return hello;
}

test('reconnects with exponential backoff up to max, and starts over after a welcome', async (t) => {
  // random() = 1 puts every full-jitter draw at its ceiling, so the delays are exact.
  const { node, client, events } = await startPair(t, { backoff: { initial: 4, factor: 2, max: 10, jitter: true }, random: () => 1 });
  const opened = client.connect();
  const delays = [];
  for (let i = 0; i < 4; i++) {
    await dropNextAfterHello(node);
    const reconnecting = await events.next('reconnecting');
    assert.equal(reconnecting.attempt, i + 1);
    assert.equal(reconnecting.code, 1006);
    delays.push(reconnecting.delay);
  }
  assert.deepEqual(delays, [4, 8, 10, 10]);
  const { connection } = await node.accept('s1');
  assert.equal((await within(opened)).session, 's1');
  assert.equal(node.connectionCount, 5);
  // A welcome resets the counter: the next drop waits `initial` again.
  await connection.drop();
  const afterWelcome = await events.next('reconnecting');
  assert.deepEqual({ attempt: afterWelcome.attempt, delay: afterWelcome.delay }, { attempt: 1, delay: 4 });
  await node.accept('s1', { resumed: true });
  await events.next('resumed');
  assert.equal(client.state, 'open');
});

test('full jitter draws each delay uniformly below the ceiling; jitter off uses the ceiling', async (t) => {
  const draws = [0.5, 0.25, 0];
  const jittered = await startPair(t, { backoff: { initial: 4, factor: 2, max: 100, jitter: true }, random: () => draws.shift() });
  jittered.client.connect().catch(() => {}); // rejects with `closed` when the test ends
  const got = [];
  for (let i = 0; i < 3; i++) {
    await dropNextAfterHello(jittered.node);
    got.push((await jittered.events.next('reconnecting')).delay);
  }
  assert.deepEqual(got, [2, 2, 0]);

  const plain = await startPair(t, { backoff: { initial: 3, factor: 3, max: 100, jitter: false } });
  plain.client.connect().catch(() => {});
  const ceilings = [];
  for (let i = 0; i < 3; i++) {
    await dropNextAfterHello(plain.node);
    ceilings.push((await plain.events.next('reconnecting')).delay);
  }
  assert.deepEqual(ceilings, [3, 9, 27]);
});

test('resume: hello carries session and lastSeq, replayed duplicates are dropped, nothing is missed', async (t) => {
  let tokens = 0;
  const { client, node, connection, events } = await startSession(t, { token: () => `token-${++tokens}` }, 's1');
  const seen = [];
  client.on('event', (e) => seen.push(e.seq));
  for (let seq = 1; seq <= 3; seq++) connection.send({ type: 'event', seq, service: 'location', pid: 'p1', data: { n: seq } });
  for (let i = 0; i < 3; i++) await events.next('event');
  await connection.drop();
  assert.equal((await events.next('reconnecting')).code, 1006);

  const again = await node.nextConnection();
  const hello = await again.expect('hello');
  assert.deepEqual(hello, { type: 'hello', token: 'token-2', resume: { session: 's1', lastSeq: 3 } }, 'a fresh token and the resume point');
  again.welcome('s1', { resumed: true });
  assert.deepEqual(await events.next('resumed'), { session: 's1', lastSeq: 3 });
  // The node replays from its buffer, which may overlap what the client already has.
  for (const seq of [2, 3, 4, 5]) again.send({ type: 'event', seq, service: 'location', pid: 'p1', data: { n: seq } });
  await events.next('event');
  await events.next('event');
  assert.deepEqual(seen, [1, 2, 3, 4, 5]);
  assert.equal(client.stats.duplicates, 2);
  assert.equal(client.stats.gaps, 0);
  assert.equal(client.stats.resumes, 1);
  assert.equal(client.lastSeq, 5);
});

test('a resume the node could not honour resets the session: processes end with session_lost', async (t) => {
  const { client, node, connection, events } = await startSession(t, {}, 's1');
  connection.send({ type: 'event', seq: 1, service: 'location', pid: 'p1', data: 1 });
  connection.send({ type: 'event', seq: 2, service: 'location', pid: 'p1', data: 2 });
  await events.next('event');
  await events.next('event');
  const handle = client.process('p1');
  await connection.drop();
  const again = await node.nextConnection();
  assert.deepEqual((await again.expect('hello')).resume, { session: 's1', lastSeq: 2 });
  again.welcome('s2', { resumed: false });
  assert.deepEqual(await events.next('reset'), { previousSession: 's1', lastSeq: 2 });
  assert.equal(await within(handle.done), 'session_lost');
  assert.equal(client.session, 's2');
  assert.equal(client.lastSeq, 0);
  // The new session counts from 1 again: its first event is new, not a duplicate.
  again.send({ type: 'event', seq: 1, service: 'location', data: 'fresh' });
  assert.equal((await events.next('event')).data, 'fresh');
  assert.equal(client.stats.duplicates, 0);
});

test('a resume refused with 4400 is retried at once without resume', async (t) => {
  const { node, connection, events, client } = await startSession(t, {}, 's1');
  await connection.drop();
  assert.equal((await events.next('reconnecting')).code, 1006);
  const refused = await node.nextConnection();
  assert.equal((await refused.expect('hello')).resume.session, 's1');
  await refused.close(4400, 'unknown session');
  const retry = await events.next('reconnecting');
  assert.deepEqual({ code: retry.code, delay: retry.delay }, { code: 4400, delay: 0 });
  const fresh = await node.nextConnection();
  const hello = await fresh.expect('hello');
  assert.equal(hello.resume, undefined);
  fresh.welcome('s2');
  assert.equal((await events.next('reset')).previousSession, 's1');
  assert.equal((await events.next('open')).session, 's1', 'the first session');
  assert.equal((await events.next('open')).session, 's2');
  assert.equal(client.session, 's2');
});

test('a gap in seq is reported', async (t) => {
  const { connection, events, client } = await startSession(t);
  connection.send({ type: 'event', seq: 1, service: 's', data: 1 });
  connection.send({ type: 'event', seq: 4, service: 's', data: 4 });
  assert.deepEqual(await events.next('gap'), { from: 2, to: 3 });
  assert.equal(client.lastSeq, 4);
});

test('requests in flight when the connection drops reject with disconnected and are not resent', async (t) => {
  const { client, node, connection, events } = await startSession(t);
  const inFlight = client.request('location', 'get', { address: 'tel:1' });
  const rejected = assert.rejects(within(inFlight), (error) => error.code === 'disconnected' && /^r\d+$/.test(error.id));
  const sent = await connection.expect('request');
  await connection.drop();
  await rejected;
  await assert.rejects(inFlight, (error) => error.id === sent.id);
  const { connection: again } = await node.accept('session-1', { resumed: true });
  await events.next('resumed');
  const next = client.request('contacts', 'list');
  const first = await again.nextMessage();
  assert.equal(first.type, 'request');
  assert.notEqual(first.id, sent.id, 'the dropped request is not sent again');
  assert.equal(first.service, 'contacts');
  again.send({ type: 'response', id: first.id, pid: 'p', data: 'ok' });
  assert.equal((await within(next)).data, 'ok');
});

test('a request made while reconnecting waits for the session and is sent once', async (t) => {
  const { client, node, connection, events } = await startSession(t);
  await connection.drop();
  await events.next('reconnecting');
  const waiting = client.request('contacts', 'list');
  const { connection: again } = await node.accept('session-1', { resumed: true });
  const request = await again.expect('request');
  assert.equal(request.service, 'contacts');
  again.send({ type: 'response', id: request.id, pid: 'p', data: 'after reconnect' });
  assert.equal((await within(waiting)).data, 'after reconnect');
});

test('4403 (origin not allowed) is final: error event, closed, no reconnect', async (t) => {
  const { client, node, events } = await startPair(t);
  const opened = client.connect();
  const connection = await node.nextConnection();
  await connection.expect('hello');
  const refused = assert.rejects(within(opened), { code: 'origin_not_allowed' });
  await connection.close(4403, 'origin not allowed');
  await refused;
  assert.equal((await events.next('error')).code, 'origin_not_allowed');
  assert.deepEqual(await events.next('closed'), { code: 4403, reason: 'origin not allowed' });
  assert.equal(client.state, 'closed');
  assert.equal(events.count('reconnecting'), 0);
  assert.equal(node.connectionCount, 1);
});

test('4401 with a fixed token string is final at once', async (t) => {
  const { client, node, events } = await startPair(t, { token: 'expired' });
  const opened = client.connect();
  const connection = await node.nextConnection();
  await connection.expect('hello');
  const refused = assert.rejects(within(opened), { code: 'unauthorized' });
  await connection.close(4401, 'token expired');
  await refused;
  assert.equal((await events.next('closed')).code, 4401);
  assert.equal(events.count('reconnecting'), 0);
});

test('4401 calls the token function once more; a second 4401 in a row is final until a new connect()', async (t) => {
  const tokens = [];
  const { client, node, events } = await startPair(t, { token: async () => { tokens.push(`token-${tokens.length + 1}`); return tokens[tokens.length - 1]; } });
  const opened = client.connect();
  const first = await node.nextConnection();
  assert.equal((await first.expect('hello')).token, 'token-1');
  await first.close(4401, 'expired');
  const retry = await events.next('reconnecting');
  assert.deepEqual({ code: retry.code, delay: retry.delay }, { code: 4401, delay: 0 });
  const { connection: second, hello } = await node.accept('s1');
  assert.equal(hello.token, 'token-2');
  await within(opened);

  // The token expires mid-session: one more try with a new token, which the node refuses too.
  await second.close(4401, 'expired');
  const third = await node.nextConnection();
  const thirdHello = await third.expect('hello');
  assert.equal(thirdHello.token, 'token-3');
  assert.deepEqual(thirdHello.resume, { session: 's1', lastSeq: 0 });
  await third.close(4401, 'still expired');
  const error = await events.next('error');
  assert.equal(error.code, 'unauthorized');
  assert.match(error.message, /new token/);
  assert.equal((await events.next('closed')).code, 4401);
  assert.equal(client.state, 'closed');
  assert.equal(events.count('reconnecting'), 2);
  assert.equal(node.connectionCount, 3);

  // The page gets a new token and connects again: the session resumes.
  client.setToken('fresh-token');
  const reopened = client.connect();
  const fourth = await node.nextConnection();
  assert.deepEqual(await fourth.expect('hello'), { type: 'hello', token: 'fresh-token', resume: { session: 's1', lastSeq: 0 } });
  fourth.welcome('s1', { resumed: true });
  assert.deepEqual(await within(reopened), { session: 's1', resumed: true, heartbeat: 30 });
});

test('a node closing with 1000 ends the session without reconnecting; 1001 and 4429 reconnect', async (t) => {
  const { client, node, connection, events } = await startSession(t);
  await connection.close(1001, 'going away');
  assert.equal((await events.next('reconnecting')).code, 1001);
  const { connection: second } = await node.accept('session-1', { resumed: true });
  await events.next('resumed');
  await second.close(4429, 'slow consumer');
  assert.equal((await events.next('reconnecting')).code, 4429);
  const { connection: third } = await node.accept('session-1', { resumed: true });
  await events.next('resumed');
  await third.close(1000, 'bye');
  assert.deepEqual(await events.next('closed'), { code: 1000, reason: 'bye' });
  assert.equal(client.state, 'closed');
  assert.equal(events.count('reconnecting'), 2);
});

test('no welcome in time: the client gives up on that socket and reconnects', async (t) => {
  const { client, node, events } = await startPair(t, { welcomeTimeout: 30 });
  const opened = client.connect();
  const silent = await node.nextConnection();
  await silent.expect('hello');
  const retry = await events.next('reconnecting');
  assert.equal(retry.code, 4408);
  assert.deepEqual(await within(silent.closed), { code: 4000, reason: 'no welcome' });
  await node.accept('s1');
  assert.equal((await within(opened)).session, 's1');
});

test('a refused upgrade and a failing token function are retried with backoff', async (t) => {
  let calls = 0;
  const { client, node, events } = await startPair(t, {
    token: () => { calls += 1; if (calls === 1) throw new Error('identity proxy down'); return 'ok-token'; },
  });
  node.refuseUpgrades = 1;
  const opened = client.connect();
  const tokenError = await events.next('error');
  assert.equal(tokenError.code, 'token_failed');
  assert.match(tokenError.message, /identity proxy down/);
  assert.equal((await events.next('reconnecting')).attempt, 1);
  assert.equal((await events.next('reconnecting')).attempt, 2, 'the 503 answer to the upgrade');
  const { hello } = await node.accept('s1');
  assert.equal(hello.token, 'ok-token');
  await within(opened);
});

test('maxAttempts: the client gives up with reconnect_failed', async (t) => {
  const { client, node, events } = await startPair(t, { maxAttempts: 2 });
  const gaveUp = assert.rejects(within(client.connect()), { code: 'reconnect_failed' });
  for (let i = 0; i < 3; i++) await dropNextAfterHello(node);
  await gaveUp;
  assert.equal(events.count('reconnecting'), 2);
  assert.equal(client.state, 'closed');
});

test('connect() while waiting to reconnect tries at once; on an open session it resolves at once', async (t) => {
  // A backoff far longer than the test's waits: only connect() can bring the next connection in time.
  const { client, node, connection, events } = await startSession(t, { backoff: { initial: 600000, max: 600000, jitter: false } });
  assert.deepEqual(await within(client.connect()), { session: 'session-1', resumed: false, heartbeat: 30 });
  await connection.drop();
  assert.equal((await events.next('reconnecting')).delay, 600000);
  const reconnected = client.connect();
  await node.accept('session-1', { resumed: true });
  assert.deepEqual(await within(reconnected), { session: 'session-1', resumed: true, heartbeat: 30 });
});
