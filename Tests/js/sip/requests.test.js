'use strict';
// register, unregister, publishPresence, sendMessage: the request on the wire, the answer, node errors.

const test = require('node:test');
const assert = require('node:assert/strict');
const { startPair } = require('../support/harness');
const { within } = require('../support/waiting');
const { startSIP } = require('./support/sip-session');

test('loadModule("sip") fetches /js/modules/sip.js and gives one module per client', async (t) => {
  const { client, sip } = await startSIP(t);
  assert.equal(sip.client, client);
  assert.equal(sip.service, 'sip');
  assert.equal(await within(client.loadModule('sip')), sip);
  assert.equal(sip.registered, false);
  assert.deepEqual(sip.watched, []);
});

test('register and unregister send their actions with empty data and track the registration', async (t) => {
  const { sip, script } = await startSIP(t);
  const registering = sip.register();
  const register = await script.expectRequest('register', {});
  assert.equal(sip.registered, false, 'not before the node says so');
  script.respond(register, { registered: true, expires: 3600 });
  assert.deepEqual(await within(registering), { registered: true, expires: 3600 });
  assert.equal(sip.registered, true);

  const unregistering = sip.unregister();
  script.respond(await script.expectRequest('unregister', {}), { registered: false });
  assert.deepEqual(await within(unregistering), { registered: false });
  assert.equal(sip.registered, false);
});

test('publishPresence sends basic, and note only when there is one', async (t) => {
  const { sip, script } = await startSIP(t);
  const cases = [
    [{ basic: 'open', note: 'at my desk' }, { basic: 'open', note: 'at my desk' }],
    [{ basic: 'closed' }, { basic: 'closed' }],
    [{ basic: 'open', note: null }, { basic: 'open' }],
    [{ basic: 'closed', note: '' }, { basic: 'closed', note: '' }],
  ];
  for (const [argument, wire] of cases) {
    const publishing = sip.publishPresence(argument);
    script.respond(await script.expectRequest('publish', wire), { published: true, basic: wire.basic });
    assert.deepEqual(await within(publishing), { published: true, basic: wire.basic });
  }
});

test('sendMessage sends to and text as given', async (t) => {
  const { sip, script } = await startSIP(t);
  const text = 'héllo 👋, "quoted" <b>not html</b>\nsecond line';
  const sending = sip.sendMessage('sip:bob@wse.test', text);
  script.respond(await script.expectRequest('message', { to: 'sip:bob@wse.test', text }), { sent: true });
  assert.deepEqual(await within(sending), { sent: true });

  const toNumber = sip.sendMessage('tel:+1-555-0100', 'to a number');
  script.respond(await script.expectRequest('message', { to: 'tel:+1-555-0100', text: 'to a number' }), { sent: true });
  await within(toNumber);
});

test('errors of the node reject with its code and message, and name the action', async (t) => {
  const { sip, script } = await startSIP(t);
  const registering = sip.register();
  script.refuse(await script.expectRequest('register'), 'forbidden', 'SIP authentication failed (403 after answering the challenge)');
  await assert.rejects(within(registering), (error) => {
    assert.equal(error.name, 'WSEError');
    assert.equal(error.code, 'forbidden');
    assert.equal(error.message, 'SIP authentication failed (403 after answering the challenge)');
    assert.equal(error.action, 'register');
    return true;
  });
  assert.equal(sip.registered, false, 'a refused register leaves the module unregistered');

  const sending = sip.sendMessage('sip:nobody@wse.test', 'hi');
  script.refuse(await script.expectRequest('message'), 'not_found', 'message for alice: SIP 404 Not Found');
  await assert.rejects(within(sending), { code: 'not_found', action: 'message', message: 'message for alice: SIP 404 Not Found' });

  const publishing = sip.publishPresence({ basic: 'open' });
  script.refuse(await script.expectRequest('publish'), 'unavailable', 'SIP 503 Service Unavailable');
  await assert.rejects(within(publishing), { code: 'unavailable', action: 'publish' });

  const unregistering = sip.unregister();
  script.refuse(await script.expectRequest('unregister'), 'timeout', 'the SIP server did not answer in time');
  await assert.rejects(within(unregistering), { code: 'timeout', action: 'unregister' });
});

test('calls made before connect() reject with closed and send nothing', async (t) => {
  const { client } = await startPair(t);
  const sip = await within(client.loadModule('sip'));
  await assert.rejects(sip.register(), { code: 'closed', action: 'register' });
  await assert.rejects(sip.sendMessage('sip:bob@wse.test', 'hi'), { code: 'closed', action: 'message' });
  const watch = sip.watchPresence('sip:bob@wse.test', () => {});
  await assert.rejects(within(watch.ready), { code: 'closed', action: 'subscribe' });
  assert.equal((await within(watch.ended)).reason, 'failed');
  assert.deepEqual(sip.watched, []);
});
