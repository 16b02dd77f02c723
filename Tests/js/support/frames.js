'use strict';
// RFC 6455 framing, just what the test node needs: text, close, ping and pong frames, fragmentation,
// masking. It knows nothing of sockets: `encodeFrame` makes bytes and `FrameReader` turns bytes into frames.

const Opcode = Object.freeze({ CONTINUATION: 0x0, TEXT: 0x1, BINARY: 0x2, CLOSE: 0x8, PING: 0x9, PONG: 0xa });

/** Bytes of one frame. Servers send unmasked frames; pass `mask` (4 bytes) to write a client frame. */
function encodeFrame(opcode, payload = Buffer.alloc(0), { fin = true, mask = null } = {}) {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const length = body.length;
  const lengthBytes = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const header = Buffer.alloc(2 + lengthBytes + (mask ? 4 : 0));
  header[0] = (fin ? 0x80 : 0) | opcode;
  header[1] = (mask ? 0x80 : 0) | (lengthBytes === 0 ? length : lengthBytes === 2 ? 126 : 127);
  if (lengthBytes === 2) header.writeUInt16BE(length, 2);
  if (lengthBytes === 8) header.writeBigUInt64BE(BigInt(length), 2);
  if (!mask) return Buffer.concat([header, body]);
  mask.copy(header, 2 + lengthBytes);
  const masked = Buffer.from(body);
  for (let i = 0; i < masked.length; i++) masked[i] ^= mask[i % 4];
  return Buffer.concat([header, masked]);
}

/** The payload of a close frame: a 2-byte code and a UTF-8 reason. */
function closePayload(code, reason = '') {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return payload;
}

function parseClosePayload(payload) {
  if (payload.length < 2) return { code: 1005, reason: '' };
  return { code: payload.readUInt16BE(0), reason: payload.subarray(2).toString('utf8') };
}

/** A protocol violation by the peer, with the close code to answer it with. */
class FrameError extends Error {
  constructor(code, message) { super(message); this.code = code; }
}

/**
 * Accumulates bytes and yields complete messages: `{opcode, payload}` with fragments joined
 * (control frames may arrive between fragments and are yielded at once).
 */
class FrameReader {
  constructor({ expectMasked }) {
    this.expectMasked = expectMasked;
    this.buffer = Buffer.alloc(0);
    this.fragments = null;
  }

  push(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const messages = [];
    for (;;) {
      const frame = this._nextFrame();
      if (!frame) return messages;
      const message = this._assemble(frame);
      if (message) messages.push(message);
    }
  }

  _nextFrame() {
    const b = this.buffer;
    if (b.length < 2) return null;
    const fin = (b[0] & 0x80) !== 0;
    if ((b[0] & 0x70) !== 0) throw new FrameError(1002, 'reserved bits set without an extension');
    const opcode = b[0] & 0x0f;
    const masked = (b[1] & 0x80) !== 0;
    if (masked !== this.expectMasked) throw new FrameError(1002, masked ? 'masked frame from a server' : 'unmasked frame from a client');
    let length = b[1] & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (b.length < 4) return null;
      length = b.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (b.length < 10) return null;
      length = Number(b.readBigUInt64BE(2));
      offset = 10;
    }
    const maskOffset = offset;
    if (masked) offset += 4;
    if (b.length < offset + length) return null;
    const payload = Buffer.from(b.subarray(offset, offset + length));
    if (masked) for (let i = 0; i < payload.length; i++) payload[i] ^= b[maskOffset + (i % 4)];
    this.buffer = b.subarray(offset + length);
    if (opcode >= 0x8 && (!fin || length > 125)) throw new FrameError(1002, 'bad control frame');
    return { fin, opcode, payload };
  }

  _assemble(frame) {
    if (frame.opcode >= 0x8) return { opcode: frame.opcode, payload: frame.payload };
    if (frame.opcode === Opcode.CONTINUATION) {
      if (!this.fragments) throw new FrameError(1002, 'continuation without a first fragment');
      this.fragments.parts.push(frame.payload);
    } else {
      if (this.fragments) throw new FrameError(1002, 'new message inside a fragmented one');
      this.fragments = { opcode: frame.opcode, parts: [frame.payload] };
    }
    if (!frame.fin) return null;
    const message = { opcode: this.fragments.opcode, payload: Buffer.concat(this.fragments.parts) };
    this.fragments = null;
    return message;
  }
}

module.exports = { Opcode, encodeFrame, closePayload, parseClosePayload, FrameReader, FrameError };
