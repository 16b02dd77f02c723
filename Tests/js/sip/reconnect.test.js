'use strict';
// Across reconnects: a resumed session keeps its processes (nothing is sent again); a fresh session
// (wse.js `reset`) gets the registration and every watch back; client.close() ends the watches.

const test = require('node:test');
const assert = require('node:assert/strict');
const { within } = require('../support/waiting');
const { ServiceScript, startSIP, expectNothingSentBefore, recorder } = require('./support/sip-session');

// alice registered, watching bob (two watchers) and carol; bob and carol have sent one presence each.
async function registeredAndWatching(t) {
  const setup = await startSIP(t);
  const { sip, script } = setup;
  const registering = sip.register();
  script.respond(await script.expectRequest('register', {}), { registered: true, expires: 3600 });
  await within(registering);
  const bob = recorder();
  const bobToo = recorder();
  const carol = recorder();
  const watches = { bob: sip.watchPresence('sip:bob@wse.test', bob), carol: sip.watchPresence('sip:carol@wse.test', carol) };
  const pids = { bob: await script.acceptSubscribe('sip:bob@wse.test'), carol: await script.acceptSubscribe('sip:carol@wse.test') };
  watches.bobToo = sip.watchPresence('sip:bob@wse.test', bobToo);
  script.presence(pids.bob, 'sip:bob@wse.test', 'open', 'bob before');
  script.presence(pids.carol, 'sip:carol@wse.test', 'open', 'carol before');
  await bob.waitFor(1);
  await bobToo.waitFor(1);
  await carol.waitFor(1);
  return { ...setup, seen: { bob, bobToo, carol }, watches, pids };
}

test('after a resumed session, watches go on with the same processes and nothing is sent again', async (t) => {
  const { sip, node, connection, events, seen, pids, script } = await registeredAndWatching(t);
  await connection.drop();
  await events.next('reconnecting');
  const { connection: again, hello } = await node.accept('session-1', { resumed: true });
  assert.deepEqual(hello.resume, { session: 'session-1', lastSeq: 2 });
  await events.next('resumed');
  const resumed = new ServiceScript(again, { seq: script.seq });
  // The node replays what was missed, then goes on, on the same pids.
  resumed.presence(pids.bob, 'sip:bob@wse.test', 'closed', 'bob while away');
  resumed.presence(pids.carol, 'sip:carol@wse.test', 'closed', 'carol after');
  await seen.bob.waitFor(2);
  await seen.bobToo.waitFor(2);
  await seen.carol.waitFor(2);
  assert.deepEqual(seen.bob.values().map((p) => p.note), ['bob before', 'bob while away']);
  assert.deepEqual(seen.carol.values().map((p) => p.note), ['carol before', 'carol after']);
  await expectNothingSentBefore(sip, resumed); // no register, no subscribe
  assert.equal(sip.registered, true);
});

test('after a reset, sip.js registers again and subscribes every watch again; the same watches go on', async (t) => {
  const { sip, node, connection, events, seen, pids, watches } = await registeredAndWatching(t);
  const stoppedBeforeCut = sip.watchPresence('sip:dave@wse.test', () => {});
  const script = new ServiceScript(connection, { seq: 2 });
  const davePid = await script.acceptSubscribe('sip:dave@wse.test');
  const stopping = stoppedBeforeCut.stop();
  await script.expectCancel(davePid);
  script.end(davePid, 'cancelled');
  await within(stopping);

  await connection.drop();
  await events.next('reconnecting');
  const { connection: fresh } = await node.accept('session-2', { resumed: false });
  assert.deepEqual(await events.next('reset'), { previousSession: 'session-1', lastSeq: 2 });
  const reset = new ServiceScript(fresh);
  // In this order: the registration, then one subscribe per watched entity (dave was stopped).
  reset.respond(await reset.expectRequest('register', {}), { registered: true, expires: 3600 });
  const entities = [];
  const newPids = {};
  for (let i = 0; i < 2; i++) {
    const request = await reset.expectRequest('subscribe');
    entities.push(request.data.entity);
    newPids[request.data.entity] = reset.respond(request, {}, `new-${i}`);
  }
  assert.deepEqual(entities.sort(), ['sip:bob@wse.test', 'sip:carol@wse.test']);
  await within(watches.bob.ready);

  // The old pids are dead; the new ones feed the same watches and callbacks.
  reset.presence(pids.bob, 'sip:bob@wse.test', 'closed', 'stale: old process');
  reset.presence(newPids['sip:bob@wse.test'], 'sip:bob@wse.test', 'open', 'bob after reset');
  reset.presence(newPids['sip:carol@wse.test'], 'sip:carol@wse.test', 'closed', 'carol after reset');
  await seen.bob.waitFor(2);
  await seen.bobToo.waitFor(2);
  await seen.carol.waitFor(2);
  assert.deepEqual(seen.bob.values().map((p) => p.note), ['bob before', 'bob after reset']);
  assert.deepEqual(seen.bobToo.values().map((p) => p.note), ['bob before', 'bob after reset']);
  assert.deepEqual(seen.carol.values().map((p) => p.note), ['carol before', 'carol after reset']);
  for (const watch of Object.values(watches)) assert.equal(watch.active, true);
  assert.equal(sip.registered, true);

  // Stopping now cancels the new process.
  const stoppingCarol = watches.carol.stop();
  await reset.expectCancel(newPids['sip:carol@wse.test']);
  reset.end(newPids['sip:carol@wse.test'], 'cancelled');
  await within(stoppingCarol);
  await expectNothingSentBefore(sip, reset);
});

test('after a reset, a module that never registered (or unregistered) does not register', async (t) => {
  const { sip, node, connection, events, script } = await startSIP(t);
  const registering = sip.register();
  script.respond(await script.expectRequest('register'), {});
  await within(registering);
  const unregistering = sip.unregister();
  script.respond(await script.expectRequest('unregister'), {});
  await within(unregistering);
  sip.watchPresence('sip:bob@wse.test', () => {});
  await script.acceptSubscribe('sip:bob@wse.test');

  await connection.drop();
  // The other way wse.js resets: the node refuses the resume with 4400, the client reconnects without.
  const refused = await node.nextConnection();
  assert.equal((await refused.expect('hello')).resume.session, 'session-1');
  await refused.close(4400, 'unknown session');
  await events.next('reset');
  const { connection: fresh, hello } = await node.accept('session-2');
  assert.equal(hello.resume, undefined);
  const reset = new ServiceScript(fresh);
  await reset.acceptSubscribe('sip:bob@wse.test'); // the watch, and no register before it
  await expectNothingSentBefore(sip, reset);
});

test('a refused re-subscribe or re-register after a reset ends that watch and is reported to onError', async (t) => {
  const { sip, node, connection, events, watches, seen } = await registeredAndWatching(t);
  const errors = recorder();
  sip.onError(errors);
  await connection.drop();
  await events.next('reconnecting');
  const { connection: fresh } = await node.accept('session-2', { resumed: false });
  const reset = new ServiceScript(fresh);
  reset.refuse(await reset.expectRequest('register'), 'forbidden', 'wrong SIP credentials');
  reset.refuse(await reset.expectRequest('subscribe', { entity: 'sip:bob@wse.test' }), 'not_found', 'no bob any more');
  const carolPid = await reset.acceptSubscribe('sip:carol@wse.test');

  await errors.waitFor(2);
  assert.deepEqual(errors.values().map((e) => [e.action, e.code]).sort(), [['register', 'forbidden'], ['subscribe', 'not_found']]);
  assert.equal(sip.registered, false);
  for (const watch of [watches.bob, watches.bobToo]) {
    const { reason, error } = await within(watch.ended);
    assert.equal(reason, 'failed');
    assert.equal(error.code, 'not_found');
  }
  assert.deepEqual(sip.watched, ['sip:carol@wse.test']);
  reset.presence(carolPid, 'sip:carol@wse.test', 'closed', 'carol goes on');
  assert.equal((await seen.carol.waitFor(2))[1][0].note, 'carol goes on');
});

test('a subscribe cut off before its answer is sent again once the client is back', async (t) => {
  const { sip, node, connection, events } = await startSIP(t);
  const seen = recorder();
  const watch = sip.watchPresence('sip:bob@wse.test', seen);
  await new ServiceScript(connection).expectRequest('subscribe');
  await connection.drop(); // the answer never came: the node may or may not have subscribed
  await events.next('reconnecting');
  const { connection: again } = await node.accept('session-1', { resumed: true });
  const resumed = new ServiceScript(again);
  const pid = await resumed.acceptSubscribe('sip:bob@wse.test');
  assert.deepEqual(await within(watch.ready), { pid });
  resumed.presence(pid, 'sip:bob@wse.test', 'open');
  await seen.waitFor(1);
});

test('client.close() ends every watch with reason closed and forgets the registration', async (t) => {
  const { client, sip, watches } = await registeredAndWatching(t);
  client.close();
  for (const watch of Object.values(watches)) assert.deepEqual(await within(watch.ended), { reason: 'closed', error: null });
  assert.deepEqual(sip.watched, []);
  assert.equal(sip.registered, false);
  await within(watches.bob.stop()); // nothing to cancel on a closed client
});
