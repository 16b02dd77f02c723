'use strict';
// A scripted stand-in for a WSE node on loopback: a real HTTP server with a real RFC 6455 WebSocket
// endpoint at /wse, whose every move (welcome, response, event, close code, dropped socket) the test
// decides. It also serves static files, e.g. wse.js and modules under /js/.

const http = require('node:http');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { Opcode, encodeFrame, closePayload, parseClosePayload, FrameReader, FrameError } = require('./frames');
const { Waitable } = require('./waiting');

const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** One browser connection as the node sees it. */
class TestConnection {
  constructor(socket, request) {
    this.socket = socket;
    this.request = request;
    this.messages = new Waitable('message from the client');
    /** Resolves with `{code, reason}` of the client's close frame, or `null` if the socket ended without one. */
    this.closed = new Promise((resolve) => { this._resolveClosed = resolve; });
    this._closeSent = false;
    this._pongs = new Waitable('pong');
    this._reader = new FrameReader({ expectMasked: true });
    socket.on('data', (chunk) => this._onData(chunk));
    socket.on('close', () => { this._resolveClosed(null); this.messages.end(); });
    socket.on('error', () => {});
  }

  /** The next text message, parsed as JSON; fails after `timeout` ms. */
  nextMessage(timeout) { return this.messages.next(timeout); }

  /** The next message, which must have `type`. */
  async expect(type, timeout) {
    const message = await this.nextMessage(timeout);
    if (message.type !== type) throw new Error(`expected a ${type} message, got ${JSON.stringify(message)}`);
    return message;
  }

  /** Sends an object as JSON (or a string as it is) in one text frame. */
  send(message) {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    this.socket.write(encodeFrame(Opcode.TEXT, Buffer.from(text)));
  }

  /** Sends `text` split over several frames, to exercise the client's reassembly. */
  sendFragmented(message, parts) {
    const bytes = Buffer.from(JSON.stringify(message));
    const size = Math.ceil(bytes.length / parts);
    for (let i = 0; i < parts; i++) {
      const chunk = bytes.subarray(i * size, (i + 1) * size);
      this.socket.write(encodeFrame(i === 0 ? Opcode.TEXT : Opcode.CONTINUATION, chunk, { fin: i === parts - 1 }));
    }
  }

  /** Answers the client's hello with a welcome. */
  welcome(session, { resumed = false, heartbeat = 30 } = {}) {
    this.send({ type: 'welcome', session, resumed, heartbeat });
  }

  /** Starts a clean close with `code`; resolves when the socket is gone. */
  close(code, reason = '') {
    this._closeSent = true;
    this.socket.write(encodeFrame(Opcode.CLOSE, closePayload(code, reason)));
    return this.closed;
  }

  /** Cuts the TCP connection without a close frame (the client sees 1006). */
  drop() {
    this.socket.destroy();
    return this.closed;
  }

  /** Sends a ping; resolves with the payload of the pong. */
  ping(payload = 'are you there', timeout) {
    this.socket.write(encodeFrame(Opcode.PING, Buffer.from(payload)));
    return this._pongs.next(timeout);
  }

  _onData(chunk) {
    let messages;
    try {
      messages = this._reader.push(chunk);
    } catch (error) {
      if (!(error instanceof FrameError)) throw error;
      this.messages.fail(new Error(`client broke the protocol: ${error.message}`));
      this.close(error.code, error.message);
      return;
    }
    for (const { opcode, payload } of messages) {
      if (opcode === Opcode.TEXT) {
        let message;
        try { message = JSON.parse(payload.toString('utf8')); } catch (_) { message = { unparsable: payload.toString('utf8') }; }
        this.messages.push(message);
      } else if (opcode === Opcode.PING) {
        this.socket.write(encodeFrame(Opcode.PONG, payload));
      } else if (opcode === Opcode.PONG) {
        this._pongs.push(payload.toString('utf8'));
      } else if (opcode === Opcode.CLOSE) {
        const close = parseClosePayload(payload);
        if (!this._closeSent) this.socket.write(encodeFrame(Opcode.CLOSE, payload.subarray(0, 2)));
        this._resolveClosed(close);
        this.socket.end();
      } else {
        this.messages.push({ binary: payload });
      }
    }
  }
}

/** The stand-in node: `await TestNode.start()`, then script the connections it accepts. */
class TestNode {
  static async start({ staticRoot = null } = {}) {
    const node = new TestNode(staticRoot);
    await new Promise((resolve) => node.server.listen(0, '127.0.0.1', resolve));
    const { port } = node.server.address();
    node.port = port;
    node.url = `ws://127.0.0.1:${port}/wse`;
    node.httpURL = `http://127.0.0.1:${port}`;
    return node;
  }

  constructor(staticRoot) {
    this.staticRoot = staticRoot;
    this.routes = new Map();
    this.connections = new Waitable('WebSocket connection');
    this.connectionCount = 0;
    this.refuseUpgrades = 0;
    this._sockets = new Set();
    this.server = http.createServer((request, response) => this._serve(request, response));
    this.server.on('upgrade', (request, socket) => this._upgrade(request, socket));
    this.server.on('connection', (socket) => { this._sockets.add(socket); socket.on('close', () => this._sockets.delete(socket)); });
  }

  /** The next connection the client opens; fails after `timeout` ms. */
  nextConnection(timeout) { return this.connections.next(timeout); }

  /** Accepts the next connection, reads its hello, and answers with a welcome for `session`. */
  async accept(session, options = {}, timeout) {
    const connection = await this.nextConnection(timeout);
    const hello = await connection.expect('hello', timeout);
    connection.welcome(session, options);
    return { connection, hello };
  }

  /** Serves `body` at `urlPath` (for module tests); the returned route counts its `hits`. */
  route(urlPath, status, body, contentType = 'text/javascript') {
    const route = { status, body, contentType, hits: 0 };
    this.routes.set(urlPath, route);
    return route;
  }

  async stop() {
    for (const socket of this._sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  _serve(request, response) {
    const urlPath = new URL(request.url, 'http://x').pathname;
    const route = this.routes.get(urlPath);
    if (route) {
      route.hits += 1;
      response.writeHead(route.status, { 'content-type': route.contentType });
      return response.end(route.body);
    }
    if (this.staticRoot && urlPath.startsWith('/js/')) {
      const file = path.join(this.staticRoot, path.normalize(urlPath.slice('/js/'.length)));
      if (file.startsWith(this.staticRoot) && fs.existsSync(file) && fs.statSync(file).isFile()) {
        response.writeHead(200, { 'content-type': 'text/javascript' });
        return response.end(fs.readFileSync(file));
      }
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { code: 'not_found', message: `no ${urlPath}` } }));
  }

  _upgrade(request, socket) {
    const key = request.headers['sec-websocket-key'];
    const urlPath = new URL(request.url, 'http://x').pathname;
    if (this.refuseUpgrades > 0 || urlPath !== '/wse' || !key || request.headers.upgrade?.toLowerCase() !== 'websocket') {
      if (this.refuseUpgrades > 0) this.refuseUpgrades -= 1;
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n', () => socket.destroy());
      return;
    }
    const accept = crypto.createHash('sha1').update(key + ACCEPT_GUID).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    socket.setNoDelay(true);
    this.connectionCount += 1;
    this.connections.push(new TestConnection(socket, request));
  }
}

module.exports = { TestNode, TestConnection };
