'use strict';
// onMessage: incoming messages as unsolicited pushes (and on a subscribe process), listener removal.

const test = require('node:test');
const assert = require('node:assert/strict');
const { startSIP, recorder } = require('./support/sip-session');

test('an unsolicited sip push of kind message reaches every onMessage listener', async (t) => {
  const { sip, script } = await startSIP(t);
  const first = recorder();
  const second = recorder();
  sip.onMessage(first);
  sip.onMessage(second);
  script.push({ kind: 'message', from: 'sip:bob@wse.test', text: 'hello alice' });
  await first.waitFor(1);
  await second.waitFor(1);
  assert.deepEqual(first.calls[0][0], { from: 'sip:bob@wse.test', text: 'hello alice' });
  const event = first.calls[0][1];
  assert.deepEqual({ seq: event.seq, service: event.service, pid: event.pid }, { seq: 1, service: 'sip', pid: undefined });
});

test('the function onMessage returns removes that listener only', async (t) => {
  const { sip, script } = await startSIP(t);
  const removed = recorder();
  const kept = recorder();
  const off = sip.onMessage(removed);
  sip.onMessage(kept);
  script.push({ kind: 'message', from: 'sip:bob@wse.test', text: 'one' });
  await kept.waitFor(1);
  off();
  off(); // twice is harmless
  script.push({ kind: 'message', from: 'sip:bob@wse.test', text: 'two' });
  await kept.waitFor(2);
  assert.deepEqual(removed.values().map((m) => m.text), ['one']);
  assert.deepEqual(kept.values().map((m) => m.text), ['one', 'two']);
});

test('only messages of the sip service are messages; presence and other services are not', async (t) => {
  const { sip, client, script } = await startSIP(t);
  const messages = recorder();
  sip.onMessage(messages);
  const all = recorder();
  client.on('event', all);
  script.push({ kind: 'presence', entity: 'sip:bob@wse.test', basic: 'open', note: null });
  script.seq += 1;
  script.connection.send({ type: 'event', seq: script.seq, service: 'chat', data: { kind: 'message', from: 'sip:x@y.z', text: 'not sip' } });
  script.push({ kind: 'message', from: 'sip:carol@wse.test', text: 'the one' });
  await all.waitFor(3); // every event arrived: the first two were looked at and left alone
  assert.deepEqual(messages.values(), [{ from: 'sip:carol@wse.test', text: 'the one' }]);
});

test('a message delivered on a subscribe process is a message too (PROTOCOL.md allows both routes)', async (t) => {
  const { sip, script } = await startSIP(t);
  const messages = recorder();
  const presence = recorder();
  sip.onMessage(messages);
  sip.watchPresence('sip:bob@wse.test', presence);
  const pid = await script.acceptSubscribe('sip:bob@wse.test');
  script.push({ kind: 'message', from: 'sip:bob@wse.test', text: 'via the process' }, pid);
  script.presence(pid, 'sip:bob@wse.test', 'open');
  await presence.waitFor(1);
  assert.deepEqual(messages.values(), [{ from: 'sip:bob@wse.test', text: 'via the process' }]);
  assert.equal(presence.calls.length, 1, 'the message was not taken for a presence');
});
