'use strict';
// client.loadModule(name): fetch /js/modules/<name>.js over HTTP, run it, return what it registers.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { WSE, startSession } = require('./support/harness');
const { within } = require('./support/waiting');

const greeterSource = fs.readFileSync(path.join(__dirname, 'fixtures/modules/greeter.js'), 'utf8');

test('loadModule fetches /js/modules/<name>.js from the node and resolves with the module API for this client', async (t) => {
  const { client, node, connection } = await startSession(t);
  const route = node.route('/js/modules/greeter.js', 200, greeterSource);
  assert.equal(client.modulesBase, `${node.httpURL}/js/modules/`, 'derived from the session URL');
  const greeter = await within(client.loadModule('greeter'));
  assert.equal(greeter.client, client);
  const greeting = greeter.greet('bob');
  const request = await connection.expect('request');
  assert.deepEqual({ service: request.service, action: request.action, data: request.data }, { service: 'greeter', action: 'greet', data: { name: 'bob' } });
  connection.send({ type: 'response', id: request.id, pid: 'p1', data: { text: 'hello bob' } });
  assert.equal(await within(greeting), 'hello bob');
  assert.equal(await within(client.loadModule('greeter')), greeter, 'loaded once per client');
  assert.equal(route.hits, 1);

  // Another client gets its own instance; the script is not fetched again.
  const other = new WSE.Client({ url: node.url, token: 't', WebSocket: client._WebSocket });
  const otherGreeter = await within(other.loadModule('greeter'));
  assert.equal(otherGreeter.client, other);
  assert.equal(route.hits, 1);
});

test('modulesBase moves where modules come from', async (t) => {
  const { node, client } = await startSession(t);
  node.route('/elsewhere/shouter.js', 200, "WSE.registerModule('shouter', () => ({ shout: (s) => s.toUpperCase() }));");
  const custom = new WSE.Client({ url: node.url, token: 't', WebSocket: client._WebSocket, modulesBase: `${node.httpURL}/elsewhere/` });
  assert.equal((await within(custom.loadModule('shouter'))).shout('hi'), 'HI');
});

test('a module that is missing, does not register, or throws is refused with a clear code', async (t) => {
  const { node, client } = await startSession(t);
  await assert.rejects(within(client.loadModule('absent')), (error) => error.code === 'module_load_failed' && /absent\.js: HTTP 404/.test(error.message));
  node.route('/js/modules/quiet.js', 200, '// registers nothing');
  await assert.rejects(within(client.loadModule('quiet')), (error) => error.code === 'module_not_registered' && /registerModule\("quiet"/.test(error.message));
  node.route('/js/modules/thrower.js', 200, "throw new Error('boom');");
  await assert.rejects(within(client.loadModule('thrower')), (error) => error.code === 'module_load_failed' && /boom/.test(error.message));
  // A failed load can be retried once the module is there.
  const route = node.route('/js/modules/absent.js', 200, "WSE.registerModule('absent', () => 'now here');");
  assert.equal(await within(client.loadModule('absent')), 'now here');
  assert.equal(route.hits, 1);
});

test('a module name that is not a plain name is refused without any fetch', async (t) => {
  const { client } = await startSession(t);
  for (const name of ['../wse', 'a/b', '', 'x.js', 'http://evil/x', 42]) {
    await assert.rejects(client.loadModule(name), { code: 'bad_module_name' }, String(name));
  }
  assert.throws(() => WSE.registerModule('../x', () => 1), TypeError);
  assert.throws(() => WSE.registerModule('ok', 'not a function'), TypeError);
});
