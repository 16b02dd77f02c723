'use strict';
// Starts a scripted test node and a wse.js client pointed at it, and tears both down after the test.

const path = require('node:path');
const { TestNode } = require('./scripted-node');
const { MinimalWebSocket } = require('./minimal-websocket');
const { record, within } = require('./waiting');

const PUBLIC_DIR = path.resolve(__dirname, '../../../Public/js');
const WSE = require(path.join(PUBLIC_DIR, 'wse.js'));

const CLIENT_EVENTS = ['connecting', 'open', 'reconnecting', 'resumed', 'reset', 'closed', 'error', 'event', 'end', 'gap'];

// node's own WebSocket client (node >= 22, or node 20 with --experimental-websocket) when there is one,
// else the small one in this folder, so that a plain `node --test Tests/js/` runs everywhere.
function webSocketClass() {
  return typeof WebSocket === 'function' ? WebSocket : MinimalWebSocket;
}

console.log(`WebSocket client under the tests: ${typeof WebSocket === 'function' ? "node's built-in (undici)" : 'Tests/js/support/minimal-websocket.js'}`);

/**
 * A test node, a client (not yet connected) and a recorder of the client's events.
 * `options` go to WSE.Client; small backoff delays keep reconnect tests quick.
 */
async function startPair(t, options = {}) {
  const node = await TestNode.start({ staticRoot: PUBLIC_DIR });
  const client = new WSE.Client({
    url: node.url,
    token: 'token-1',
    WebSocket: webSocketClass(),
    backoff: { initial: 2, max: 10, factor: 2, jitter: true },
    ...options,
  });
  const events = record(client, CLIENT_EVENTS);
  t.after(async () => {
    client.close();
    await node.stop();
  });
  return { node, client, events };
}

/** startPair, then connect and welcome the client into session `session`. */
async function startSession(t, options = {}, session = 'session-1') {
  const pair = await startPair(t, options);
  const opened = pair.client.connect();
  const { connection, hello } = await pair.node.accept(session);
  await within(opened, undefined, 'connect()');
  return { ...pair, connection, hello };
}

module.exports = { WSE, PUBLIC_DIR, startPair, startSession, webSocketClass };
