'use strict';
// watchPresence: one subscribe process per entity, shared by its watchers, events routed by process,
// stop and cancel, refusals and ends decided by the node.

const test = require('node:test');
const assert = require('node:assert/strict');
const { within } = require('../support/waiting');
const { startSIP, expectNothingSentBefore, recorder } = require('./support/sip-session');

test('watchPresence subscribes to the entity and calls back with every presence event of its process', async (t) => {
  const { sip, script } = await startSIP(t);
  const seen = recorder();
  const watch = sip.watchPresence('sip:bob@wse.test', seen);
  assert.equal(watch.uri, 'sip:bob@wse.test');
  assert.equal(watch.presence, null);
  assert.equal(watch.active, true);
  const pid = await script.acceptSubscribe('sip:bob@wse.test');
  assert.deepEqual(await within(watch.ready), { pid });
  assert.deepEqual(sip.watched, ['sip:bob@wse.test']);

  script.presence(pid, 'sip:bob@wse.test', 'open', 'in a meeting');
  script.presence(pid, 'sip:bob@wse.test', 'closed');
  await seen.waitFor(2);
  assert.deepEqual(seen.values(), [
    { entity: 'sip:bob@wse.test', basic: 'open', note: 'in a meeting' },
    { entity: 'sip:bob@wse.test', basic: 'closed', note: null },
  ]);
  assert.equal(seen.calls[0][1], watch, 'the watch is the second argument');
  assert.deepEqual(watch.presence, { entity: 'sip:bob@wse.test', basic: 'closed', note: null });
});

test('a presence event\'s since (the time of the change, when the node sends it) is kept', async (t) => {
  const { sip, script } = await startSIP(t);
  const seen = recorder();
  sip.watchPresence('sip:bob@wse.test', seen);
  const pid = await script.acceptSubscribe('sip:bob@wse.test');
  script.push({ kind: 'presence', entity: 'sip:bob@wse.test', basic: 'open', note: null, since: '2026-12-05T11:40:21.125Z' }, pid);
  script.presence(pid, 'sip:bob@wse.test', 'closed');
  await seen.waitFor(2);
  assert.deepEqual(seen.values(), [
    { entity: 'sip:bob@wse.test', basic: 'open', note: null, since: '2026-12-05T11:40:21.125Z' },
    { entity: 'sip:bob@wse.test', basic: 'closed', note: null },
  ]);
});

test('events are routed by process: each watcher sees only its entity', async (t) => {
  const { sip, script } = await startSIP(t);
  const bob = recorder();
  const carol = recorder();
  sip.watchPresence('sip:bob@wse.test', bob);
  const bobPid = await script.acceptSubscribe('sip:bob@wse.test');
  sip.watchPresence('sip:carol@wse.test', carol);
  const carolPid = await script.acceptSubscribe('sip:carol@wse.test');
  assert.notEqual(bobPid, carolPid);

  script.presence(carolPid, 'sip:carol@wse.test', 'open', 'carol 1');
  script.presence(bobPid, 'sip:bob@wse.test', 'open', 'bob 1');
  script.presence(carolPid, 'sip:carol@wse.test', 'closed', 'carol 2');
  await carol.waitFor(2);
  await bob.waitFor(1);
  assert.deepEqual(bob.values().map((p) => p.note), ['bob 1']);
  assert.deepEqual(carol.values().map((p) => p.note), ['carol 1', 'carol 2']);
  assert.deepEqual(sip.watched.sort(), ['sip:bob@wse.test', 'sip:carol@wse.test']);
});

test('watchers of the same entity share one subscription; a late watcher gets the last state at once', async (t) => {
  const { sip, script } = await startSIP(t);
  const first = recorder();
  const second = recorder();
  const firstWatch = sip.watchPresence('sip:bob@wse.test', first);
  const pid = await script.acceptSubscribe('sip:bob@wse.test');
  script.presence(pid, 'sip:bob@wse.test', 'open', 'here');
  await first.waitFor(1);

  // Scheme and host are case-insensitive: the same entity.
  const secondWatch = sip.watchPresence('SIP:bob@WSE.test', second);
  assert.deepEqual((await second.waitFor(1))[0][0], { entity: 'sip:bob@wse.test', basic: 'open', note: 'here' });
  assert.equal(second.calls[0][1], secondWatch);
  assert.deepEqual(await within(secondWatch.ready), { pid });
  await expectNothingSentBefore(sip, script); // no second subscribe

  script.presence(pid, 'sip:bob@wse.test', 'closed', 'gone');
  await first.waitFor(2);
  await second.waitFor(2);
  assert.deepEqual(first.values().map((p) => p.note), ['here', 'gone']);
  assert.deepEqual(second.values().map((p) => p.note), ['here', 'gone']);

  // Stopping one watcher keeps the subscription for the other.
  await within(firstWatch.stop());
  assert.deepEqual(await within(firstWatch.ended), { reason: 'stopped', error: null });
  assert.equal(firstWatch.active, false);
  await expectNothingSentBefore(sip, script); // no cancel yet
  script.presence(pid, 'sip:bob@wse.test', 'open', 'back');
  await second.waitFor(3);
  assert.equal(first.calls.length, 2, 'a stopped watcher is not called any more');
  assert.deepEqual(sip.watched, ['sip:bob@wse.test']);

  // The last one cancels the subscribe process; stop() resolves when the node ends it.
  const stopping = secondWatch.stop();
  await script.expectCancel(pid);
  script.end(pid, 'cancelled');
  await within(stopping);
  assert.deepEqual(await within(secondWatch.ended), { reason: 'stopped', error: null });
  assert.deepEqual(sip.watched, []);
  await within(secondWatch.stop()); // stopping twice is harmless
  await expectNothingSentBefore(sip, script);
});

test('tel: numbers are the same entity whatever their visual separators (RFC 3966)', async (t) => {
  const { sip, script } = await startSIP(t);
  sip.watchPresence('tel:+1-555-0100', () => {});
  await script.acceptSubscribe('tel:+1-555-0100');
  sip.watchPresence('tel:+1(555)0100', () => {});
  await expectNothingSentBefore(sip, script);
  assert.deepEqual(sip.watched, ['tel:+1-555-0100']);
});

test('a new watcher after the last one stopped subscribes again', async (t) => {
  const { sip, script } = await startSIP(t);
  const watch = sip.watchPresence('sip:bob@wse.test', () => {});
  const pid = await script.acceptSubscribe('sip:bob@wse.test');
  const stopping = watch.stop();
  await script.expectCancel(pid);
  // Watched again before the node confirmed the cancel: a fresh subscription, not the dying one.
  const again = recorder();
  sip.watchPresence('sip:bob@wse.test', again);
  const newPid = await script.acceptSubscribe('sip:bob@wse.test');
  script.end(pid, 'cancelled');
  await within(stopping);
  script.presence(newPid, 'sip:bob@wse.test', 'open');
  assert.equal((await again.waitFor(1))[0][0].basic, 'open');
});

test('stop() before the subscribe answer cancels the process once the answer comes', async (t) => {
  const { sip, script } = await startSIP(t);
  const seen = recorder();
  const watch = sip.watchPresence('sip:bob@wse.test', seen);
  const request = await script.expectRequest('subscribe', { entity: 'sip:bob@wse.test' });
  const stopping = watch.stop();
  assert.equal(watch.active, false);
  await assert.rejects(within(watch.ready), { code: 'watch_ended' });
  const pid = script.respond(request, {});
  await script.expectCancel(pid);
  script.presence(pid, 'sip:bob@wse.test', 'open'); // still on its way when the cancel crossed it
  script.end(pid, 'cancelled');
  await within(stopping);
  assert.equal(seen.calls.length, 0);
});

test('a refused subscription rejects ready with the node error and ends its watchers', async (t) => {
  const { sip, script } = await startSIP(t);
  const first = sip.watchPresence('sip:nobody@wse.test', () => {});
  const second = sip.watchPresence('sip:nobody@wse.test', () => {});
  script.refuse(await script.expectRequest('subscribe', { entity: 'sip:nobody@wse.test' }), 'not_found', 'subscribe for alice: SIP 404 Not Found');
  await assert.rejects(within(first.ready), { code: 'not_found', message: 'subscribe for alice: SIP 404 Not Found', action: 'subscribe' });
  for (const watch of [first, second]) {
    const { reason, error } = await within(watch.ended);
    assert.equal(reason, 'failed');
    assert.equal(error.code, 'not_found');
    assert.equal(watch.active, false);
  }
  assert.deepEqual(sip.watched, []);
  // Watching again tries again.
  sip.watchPresence('sip:nobody@wse.test', () => {});
  await script.expectRequest('subscribe', { entity: 'sip:nobody@wse.test' });
});

test('the node ending the subscription ends its watchers; a terminated notice is not a presence', async (t) => {
  const { sip, script } = await startSIP(t);
  const seen = recorder();
  const watch = sip.watchPresence('sip:bob@wse.test', seen);
  const pid = await script.acceptSubscribe('sip:bob@wse.test');
  script.presence(pid, 'sip:bob@wse.test', 'open');
  script.push({ kind: 'presence', entity: 'sip:bob@wse.test', state: 'terminated', reason: 'unsubscribed' }, pid);
  script.end(pid, 'done');
  assert.deepEqual(await within(watch.ended), { reason: 'ended', error: null });
  assert.deepEqual(seen.values(), [{ entity: 'sip:bob@wse.test', basic: 'open', note: null }]);
  assert.deepEqual(sip.watched, []);
  await within(watch.stop()); // nothing left to cancel
  await expectNothingSentBefore(sip, script);
});

test('presence that arrives before the subscribe answer is not lost', async (t) => {
  const { sip, script } = await startSIP(t);
  const seen = recorder();
  sip.watchPresence('sip:bob@wse.test', seen);
  const request = await script.expectRequest('subscribe');
  script.presence('p-fast', 'sip:bob@wse.test', 'open', 'first NOTIFY');
  script.respond(request, {}, 'p-fast');
  assert.equal((await seen.waitFor(1))[0][0].note, 'first NOTIFY');
});

test('a watcher callback that throws does not stop the other watchers', async (t) => {
  const reported = [];
  const previous = globalThis.reportError;
  globalThis.reportError = (error) => reported.push(error.message); // what a browser provides
  t.after(() => { globalThis.reportError = previous; });
  const { sip, script } = await startSIP(t);
  sip.watchPresence('sip:bob@wse.test', () => { throw new Error('page bug'); });
  const good = recorder();
  sip.watchPresence('sip:bob@wse.test', good);
  const pid = await script.acceptSubscribe('sip:bob@wse.test');
  script.presence(pid, 'sip:bob@wse.test', 'open');
  await good.waitFor(1);
  assert.deepEqual(reported, ['page bug']);
});

test('stop() before a subscribe that the node then refuses resolves without a cancel', async (t) => {
  const { sip, script } = await startSIP(t);
  const watch = sip.watchPresence('sip:bob@wse.test', () => {});
  const request = await script.expectRequest('subscribe');
  const stopping = watch.stop();
  script.refuse(request, 'unavailable', 'SIP 503');
  await within(stopping);
  assert.deepEqual(await within(watch.ended), { reason: 'stopped', error: null });
  await expectNothingSentBefore(sip, script);
});

test('a subscribe answer without a process id fails the watch with bad_response', async (t) => {
  const { sip, script } = await startSIP(t);
  const watch = sip.watchPresence('sip:bob@wse.test', () => {});
  const request = await script.expectRequest('subscribe');
  script.connection.send({ type: 'response', id: request.id, data: {} });
  await assert.rejects(within(watch.ready), { code: 'bad_response', action: 'subscribe' });
  assert.equal((await within(watch.ended)).reason, 'failed');
});
