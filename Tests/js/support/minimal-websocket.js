'use strict';
// A small RFC 6455 client with the browser WebSocket interface (onopen, onmessage, onclose, onerror,
// send, close, readyState), for node versions whose global WebSocket needs a flag (node 20 without
// --experimental-websocket). Like a browser, a failed handshake fires `error` then `close` (1006).

const http = require('node:http');
const crypto = require('node:crypto');
const { Opcode, encodeFrame, closePayload, parseClosePayload, FrameReader, FrameError } = require('./frames');

const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

class MinimalWebSocket {
  constructor(url) {
    this.url = url;
    this.readyState = MinimalWebSocket.CONNECTING;
    this.onopen = this.onmessage = this.onclose = this.onerror = null;
    this._socket = null;
    this._reader = new FrameReader({ expectMasked: false });
    const target = new URL(url);
    const key = crypto.randomBytes(16).toString('base64');
    const request = http.request({
      host: target.hostname,
      port: target.port || 80,
      path: target.pathname + target.search,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Version': '13' },
    });
    request.on('upgrade', (response, socket, head) => {
      const expected = crypto.createHash('sha1').update(key + ACCEPT_GUID).digest('base64');
      if (response.headers['sec-websocket-accept'] !== expected) { socket.destroy(); return this._fail(); }
      this._attach(socket, head);
    });
    request.on('response', (response) => { response.resume(); this._fail(); });
    request.on('error', () => this._fail());
    request.end();
  }

  send(text) {
    if (this.readyState === MinimalWebSocket.CONNECTING) throw new Error('InvalidStateError: still connecting');
    if (this.readyState !== MinimalWebSocket.OPEN) return;
    this._socket.write(encodeFrame(Opcode.TEXT, Buffer.from(String(text)), { mask: crypto.randomBytes(4) }));
  }

  close(code = 1000, reason = '') {
    if (this.readyState >= MinimalWebSocket.CLOSING) return;
    if (this.readyState === MinimalWebSocket.CONNECTING) return this._fail();
    this.readyState = MinimalWebSocket.CLOSING;
    this._socket.write(encodeFrame(Opcode.CLOSE, closePayload(code, reason), { mask: crypto.randomBytes(4) }));
  }

  _attach(socket, head) {
    this._socket = socket;
    this.readyState = MinimalWebSocket.OPEN;
    socket.on('data', (chunk) => this._onData(chunk));
    socket.on('close', () => this._closed(1006, '', false));
    socket.on('error', () => {});
    this._fire('onopen', {});
    if (head && head.length > 0) this._onData(head);
  }

  _onData(chunk) {
    let messages;
    try {
      messages = this._reader.push(chunk);
    } catch (error) {
      if (!(error instanceof FrameError)) throw error;
      this._socket.destroy();
      return;
    }
    for (const { opcode, payload } of messages) {
      if (opcode === Opcode.TEXT) this._fire('onmessage', { data: payload.toString('utf8') });
      else if (opcode === Opcode.BINARY) this._fire('onmessage', { data: payload });
      else if (opcode === Opcode.PING) this._socket.write(encodeFrame(Opcode.PONG, payload, { mask: crypto.randomBytes(4) }));
      else if (opcode === Opcode.CLOSE) {
        const { code, reason } = parseClosePayload(payload);
        if (this.readyState === MinimalWebSocket.OPEN) {
          this._socket.write(encodeFrame(Opcode.CLOSE, payload.subarray(0, 2), { mask: crypto.randomBytes(4) }));
        }
        this._socket.end();
        this._closed(code, reason, true);
      }
    }
  }

  _fail() {
    if (this.readyState === MinimalWebSocket.CLOSED) return;
    this._fire('onerror', { type: 'error' });
    this._closed(1006, '', false);
  }

  _closed(code, reason, wasClean) {
    if (this.readyState === MinimalWebSocket.CLOSED) return;
    this.readyState = MinimalWebSocket.CLOSED;
    this._fire('onclose', { code, reason, wasClean });
  }

  _fire(handler, event) {
    if (typeof this[handler] === 'function') this[handler](event);
  }
}

Object.assign(MinimalWebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });

module.exports = { MinimalWebSocket };
