"""Lean raw-protocol WebSocket client for load generation (no task per connection).

One asyncio.Protocol per connection: it writes the HTTP upgrade, parses frames, answers
pings, and optionally sends a WSE `hello` once the upgrade succeeds. Used by wsload.py.
"""
import asyncio
import base64
import json
import os
import struct
import sys
import time

OP_TEXT, OP_CLOSE, OP_PING, OP_PONG = 0x1, 0x8, 0x9, 0xA


def encode_frame(opcode, payload):
    """A masked client frame (RFC 6455 section 5.2)."""
    mask = os.urandom(4)
    n = len(payload)
    if n < 126:
        header = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
    elif n < 65536:
        header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
    masked = bytes(b ^ mask[i & 3] for i, b in enumerate(payload))
    return header + mask + masked


class Stats:
    """Counters shared by every connection of one worker process."""

    def __init__(self):
        self.open = 0
        self.ready = 0
        self.closed = 0
        self.failed = 0
        self.messages = 0
        self.close_codes = {}


class WSClientProtocol(asyncio.Protocol):
    def __init__(self, host, path, stats, hello=None, origin=None, on_message=None):
        self.host, self.path, self.stats = host, path, stats
        self.hello, self.origin, self.on_message = hello, origin, on_message
        self.buffer = b""
        self.upgraded = False
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        origin = f"Origin: {self.origin}\r\n" if self.origin else ""
        transport.write(
            (f"GET {self.path} HTTP/1.1\r\nHost: {self.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{origin}\r\n").encode())

    def data_received(self, data):
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = self.buffer[:self.buffer.find(b"\r\n")]
            self.buffer = self.buffer[end + 4:]
            if b" 101 " not in status:
                self.stats.failed += 1
                self.transport.close()
                return
            self.upgraded = True
            self.stats.open += 1
            if self.hello is None:
                self.stats.ready += 1
            else:
                self.send_text(json.dumps(self.hello))
        self.parse_frames()

    def parse_frames(self):
        buf = self.buffer
        while len(buf) >= 2:
            opcode = buf[0] & 0x0F
            n = buf[1] & 0x7F
            offset = 2
            if n == 126:
                if len(buf) < 4:
                    break
                n = struct.unpack("!H", buf[2:4])[0]
                offset = 4
            elif n == 127:
                if len(buf) < 10:
                    break
                n = struct.unpack("!Q", buf[2:10])[0]
                offset = 10
            if len(buf) < offset + n:
                break
            payload = buf[offset:offset + n]
            buf = buf[offset + n:]
            self.handle_frame(opcode, payload)
        self.buffer = buf

    def handle_frame(self, opcode, payload):
        if opcode == OP_PING:
            self.transport.write(encode_frame(OP_PONG, payload))
        elif opcode == OP_CLOSE:
            code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
            self.stats.close_codes[code] = self.stats.close_codes.get(code, 0) + 1
            self.transport.write(encode_frame(OP_CLOSE, payload[:2]))
            self.transport.close()
        elif opcode == OP_TEXT:
            self.stats.messages += 1
            if self.hello is not None and b'"welcome"' in payload[:40]:
                self.stats.ready += 1
            if self.on_message:
                self.on_message(self, payload, time.monotonic())

    def send_text(self, text):
        self.transport.write(encode_frame(OP_TEXT, text.encode()))

    def connection_lost(self, exc):
        if self.upgraded:
            self.stats.closed += 1


async def open_connections(args, path, stats, hello, on_message=None):
    """Opens args.count connections to args.host:args.port, args.batch at a time, spread over the
    args.source_ip addresses (so that more than one source port range is available). Failures are
    counted in stats and reported on stderr; the run goes on."""
    loop = asyncio.get_running_loop()

    async def connect(i):
        ip = args.source_ip[i % len(args.source_ip)]
        try:
            await loop.create_connection(
                lambda: WSClientProtocol(f"{args.host}:{args.port}", path, stats, hello, args.origin, on_message),
                args.host, args.port, local_addr=(ip, 0))
        except OSError as e:
            stats.failed += 1
            print(json.dumps({"error": str(e)}), file=sys.stderr, flush=True)

    for start in range(0, args.count, args.batch):
        await asyncio.gather(*(connect(i) for i in range(start, min(start + args.batch, args.count))))


def run(main):
    """Runs the worker's main coroutine, on uvloop when it is installed (leaner client CPU)."""
    try:
        import uvloop
        uvloop.install()
    except ImportError:
        pass
    asyncio.run(main())

