'use strict';
// Bad input is refused by sip.js itself, with a clear invalid_argument error, before anything is sent.

const test = require('node:test');
const assert = require('node:assert/strict');
const { startSIP, expectNothingSentBefore } = require('./support/sip-session');

const GOOD_ADDRESSES = [
  'sip:bob@wse.test',
  'sips:bob@wse.test',
  'SIP:Bob@Example.ORG',
  'sip:bob@127.0.0.1',
  'sip:bob@127.0.0.1:5060;transport=tcp',
  'sip:bob@[::1]:5070',
  'sip:+15550100@ims.example.net;user=phone',
  'sip:bob.smith%20jr@example.org',
  'tel:+15550100',
  'tel:+1-555-0199',
  'tel:+1(555)0100;ext=22',
  'tel:5550100;phone-context=example.org',
];

const BAD_ADDRESSES = [
  ['bob', /must be a SIP URI such as sip:bob@example\.org or a tel: URI such as tel:\+15550100, not "bob"/],
  ['', /not ""/],
  ['sip:bob', /not "sip:bob"/],
  ['sip:@wse.test', /not "sip:@wse.test"/],
  ['sip:bob@', /not "sip:bob@"/],
  ['http://wse.test/bob', /not "http:\/\/wse.test\/bob"/],
  ['sip:bob@wse test', /not "sip:bob@wse test"/],
  [' sip:bob@wse.test', /not " sip:bob@wse.test"/],
  ['sip:bob@wse.test?subject=hi', /not "sip:bob@wse.test\?subject=hi"/],
  ['sip:bob@300.1.1.1', /IPv4 address out of range/],
  ['sip:bob@wse.test:70000', /port above 65535/],
  ['tel:5550100', /local tel: number needs a ;phone-context= parameter/],
  ['tel:+', /not "tel:\+"/],
  ['tel:+1555abc', /not "tel:\+1555abc"/],
  [`sip:${'b'.repeat(1100)}@wse.test`, /longer than 1024 characters/],
  [42, /not a value of type number/],
  [null, /not null/],
  [undefined, /not undefined \(missing\)/],
  [['sip:bob@wse.test'], /not an array/],
];

function isInvalid(field, pattern) {
  return (error) => {
    assert.equal(error.name, 'WSEError');
    assert.equal(error.code, 'invalid_argument');
    assert.equal(error.field, field);
    assert.match(error.message, pattern);
    return true;
  };
}

test('sendMessage and watchPresence accept sip:, sips: and tel: URIs', async (t) => {
  const { sip, script } = await startSIP(t);
  for (const address of GOOD_ADDRESSES) {
    const sending = sip.sendMessage(address, 'hi');
    script.respond(await script.expectRequest('message', { to: address, text: 'hi' }), { sent: true });
    await sending;
    sip.watchPresence(address, () => {});
    await script.expectRequest('subscribe', { entity: address });
  }
});

test('sendMessage refuses a bad address or text before sending anything', async (t) => {
  const { sip, script } = await startSIP(t);
  for (const [address, pattern] of BAD_ADDRESSES) {
    await assert.rejects(sip.sendMessage(address, 'hi'), isInvalid('to', pattern), `address ${String(address).slice(0, 40)}`);
  }
  await assert.rejects(sip.sendMessage('sip:bob@wse.test', ''), isInvalid('text', /sip\.sendMessage: `text` must not be empty/));
  await assert.rejects(sip.sendMessage('sip:bob@wse.test'), isInvalid('text', /`text` must be a string, not undefined \(missing\)/));
  await assert.rejects(sip.sendMessage('sip:bob@wse.test', { text: 'hi' }), isInvalid('text', /must be a string/));
  await assert.rejects(sip.sendMessage('sip:bob@wse.test', 'é'.repeat(32 * 1024 + 1)), isInvalid('text', /longer than 65536 bytes \(UTF-8\)/));
  await expectNothingSentBefore(sip, script);
  // Exactly at the limit is fine.
  const limit = 'x'.repeat(64 * 1024);
  const sending = sip.sendMessage('sip:bob@wse.test', limit);
  script.respond(await script.expectRequest('message', { to: 'sip:bob@wse.test', text: limit }), { sent: true });
  await sending;
});

test('publishPresence refuses a bad basic, note or argument before sending anything', async (t) => {
  const { sip, script } = await startSIP(t);
  const cases = [
    [{ basic: 'busy' }, 'basic', /sip\.publishPresence: `basic` must be "open" or "closed", not "busy"/],
    [{ basic: 'OPEN' }, 'basic', /not "OPEN"/],
    [{ note: 'no basic' }, 'basic', /not undefined \(missing\)/],
    [{ basic: 'open', note: 42 }, 'note', /`note` must be a string, not a value of type number/],
    [{ basic: 'open', note: 'n'.repeat(64 * 1024 + 1) }, 'note', /longer than 65536 bytes/],
    [null, 'presence', /must be an object \{basic, note\}, not null/],
    ['open', 'presence', /not "open"/],
    [[], 'presence', /not an array/],
    [undefined, 'presence', /not undefined \(missing\)/],
  ];
  for (const [argument, field, pattern] of cases) {
    await assert.rejects(sip.publishPresence(argument), isInvalid(field, pattern), JSON.stringify(argument)?.slice(0, 60));
  }
  await expectNothingSentBefore(sip, script);
});

test('watchPresence and onMessage throw at once for a bad address or callback', async (t) => {
  const { sip, script } = await startSIP(t);
  for (const [address, pattern] of BAD_ADDRESSES) {
    assert.throws(() => sip.watchPresence(address, () => {}), isInvalid('uri', pattern));
  }
  assert.throws(() => sip.watchPresence('sip:bob@wse.test'), isInvalid('callback', /sip\.watchPresence: the callback must be a function, not undefined \(missing\)/));
  assert.throws(() => sip.watchPresence('sip:bob@wse.test', 'cb'), isInvalid('callback', /not "cb"/));
  assert.throws(() => sip.onMessage(null), isInvalid('callback', /sip\.onMessage: the callback must be a function, not null/));
  assert.throws(() => sip.onError({}), isInvalid('callback', /sip\.onError/));
  assert.deepEqual(sip.watched, []);
  await expectNothingSentBefore(sip, script);
});
