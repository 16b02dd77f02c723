"""The wire side of the poll-vs-ws benchmark: the loopback capture and what its bytes are.

`Capture` runs dumpcap on `lo` with a capture filter on the benchmark's ports only, and stops it by PID.
`read_segments()` exports every TCP segment with tshark (time, ends, stream, IP length, TCP payload).
`label_streams()` rebuilds each direction of each TCP connection from its payloads and labels every
payload byte:
- `hdr`: protocol headers: HTTP request and response headers (the WebSocket upgrade too), WebSocket
  frame headers with their masking keys;
- `env`: the application's envelope around the data: the poll answer's `{"version":..,"changes":[..]}`,
  WSE's `{"type":"event","seq":..,"service":..,"data":..}`, wse.js's `hello`/`ack`, WSE's `welcome`,
  ping/pong/close payloads;
- `data`: the presence changes themselves, byte for byte the same JSON in both modes.
Every segment then carries how many of its payload bytes fall in each label, and the TCP/IP headers
(IP total length minus TCP payload), so that a time window sums them.
"""

import json
import signal
import subprocess
import time
from collections import defaultdict

LABELS = ("hdr", "env", "data")


class Capture:
    """dumpcap on the loopback interface, filtered on `ports`, writing `path`."""

    def __init__(self, path, ports, log_path):
        self.path = path
        self.filter = " or ".join(f"tcp port {port}" for port in ports)
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(["dumpcap", "-i", "lo", "-f", self.filter, "-w", str(path), "-q"],
                                        stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not (path.exists() and path.stat().st_size > 0):  # dumpcap writes the file header once capturing
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"dumpcap did not start (see {log_path})")
            time.sleep(0.05)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.log.close()


class Segment:
    __slots__ = ("time", "to_server", "ip_len", "payload", "labels")

    def __init__(self, time_, to_server, ip_len, payload):
        self.time = time_
        self.to_server = to_server
        self.ip_len = ip_len
        self.payload = payload
        self.labels = dict.fromkeys(LABELS, 0)

    @property
    def tcpip(self):
        return self.ip_len - len(self.payload)


class Stream:
    """One TCP connection: its server port, client address and segments."""

    def __init__(self, server_port, client_ip):
        self.server_port = server_port
        self.client_ip = client_ip
        self.segments = []
        self.kind = "other"  # "poll", "ws" (the browser's WebSocket), "push" (connector IN), "other"
        self.first_request = ""
        self.messages = []  # (time, to_server, kind, versions of the changes it carries) of each message


def read_segments(path, server_ports):
    fields = ["frame.time_epoch", "ip.src", "tcp.srcport", "ip.dst", "tcp.dstport", "tcp.stream", "ip.len",
              "tcp.payload"]
    command = ["tshark", "-r", str(path), "--disable-protocol", "http", "--disable-protocol", "websocket",
               "-T", "fields", "-E", "separator=/t", "-E", "occurrence=f"]
    for field in fields:
        command += ["-e", field]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    streams = {}
    for line in output.splitlines():
        stamp, src, sport, dst, dport, stream_id, ip_len, payload = (line.split("\t") + [""] * 8)[:8]
        sport, dport = int(sport), int(dport)
        to_server = dport in server_ports
        if not to_server and sport not in server_ports:
            continue
        stream = streams.get(int(stream_id))
        if stream is None:
            stream = streams[int(stream_id)] = Stream(dport if to_server else sport, src if to_server else dst)
        stream.segments.append(Segment(float(stamp), to_server, int(ip_len), bytes.fromhex(payload)))
    return list(streams.values())


class Labeller:
    """Labels the bytes of one direction of a stream: spans (start, end, label) over its concatenation."""

    def __init__(self):
        self.spans = []
        self.messages = []  # (offset of the message's last byte, kind, versions of the changes it carries)

    def add(self, start, end, label):
        if end > start:
            self.spans.append((start, end, label))


def label_http(data, labeller):
    """HTTP/1.1 messages without chunking (the pages' GETs, the source's answers, connector IN)."""
    offset = 0
    while offset < len(data):
        end = data.find(b"\r\n\r\n", offset)
        if end < 0:
            labeller.add(offset, len(data), "hdr")
            return len(data)
        head = data[offset:end].decode("latin-1")
        length = 0
        for line in head.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        labeller.add(offset, end + 4, "hdr")
        body_end = min(end + 4 + length, len(data))
        body = data[end + 4:body_end]
        data_bytes, versions = poll_answer_changes(body)
        labeller.add(end + 4, body_end - data_bytes, "env")
        labeller.add(body_end - data_bytes, body_end, "data")
        kind = "request"
        if head.startswith("HTTP/"):
            kind = "response_empty" if body.startswith(b'{"version":') and not data_bytes else "response"
        elif head.startswith("POST /connector/in/"):
            versions = (json.loads(body)["data"]["v"],)  # a push of the source: its change is envelope here
        labeller.messages.append((body_end - 1, kind, versions))
        offset = body_end
        if head.startswith("HTTP/1.1 101") or head.startswith("GET /wse"):
            return offset  # the WebSocket frames follow
    return offset


def poll_answer_changes(body):
    """The bytes and versions of the changes in a poll answer `{"version":..,"changes":[...]}` (0, () otherwise)."""
    if not body.startswith(b'{"version":'):
        return 0, ()
    changes = json.loads(body)["changes"]
    return (sum(len(json.dumps(change, separators=(",", ":"), ensure_ascii=False).encode()) for change in changes),
            tuple(change["v"] for change in changes))


def label_websocket(data, offset, labeller, service):
    """RFC 6455 frames from `offset`: header (+ mask) as hdr; an event of `service` splits into env and data."""
    while offset + 2 <= len(data):
        first, second = data[offset], data[offset + 1]
        length, header = second & 0x7F, 2
        if length == 126:
            length, header = int.from_bytes(data[offset + 2:offset + 4], "big"), 4
        elif length == 127:
            length, header = int.from_bytes(data[offset + 2:offset + 10], "big"), 10
        masked = bool(second & 0x80)
        mask = data[offset + header:offset + header + 4] if masked else b""
        header += 4 if masked else 0
        start, end = offset + header, offset + header + length
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(data[start:end])) if masked else data[start:end]
        labeller.add(offset, start, "hdr")
        opcode = first & 0x0F
        data_bytes, versions = 0, ()
        kind = {1: "text", 2: "binary", 8: "close", 9: "ping", 10: "pong"}.get(opcode, f"op{opcode}")
        if opcode == 1:
            message = json.loads(payload)
            kind = message.get("type", "text")
            if kind == "event" and message.get("service") == service:
                data_bytes = len(json.dumps(message["data"], separators=(",", ":"), ensure_ascii=False).encode())
                versions = (message["data"]["v"],)
        labeller.add(start, end - data_bytes, "env")
        labeller.add(end - data_bytes, end, "data")
        labeller.messages.append((end - 1, kind, versions))
        offset = end


def label_streams(streams, ws_port, service):
    """Labels every segment's payload bytes, sets each stream's kind and its messages."""
    for stream in streams:
        for to_server in (True, False):
            segments = [s for s in stream.segments if s.to_server == to_server]
            data = b"".join(s.payload for s in segments)
            if to_server and data:
                stream.first_request = data[:data.find(b"\r\n")].decode("latin-1")
            labeller = Labeller()
            offset = label_http(data, labeller)
            if stream.server_port == ws_port and offset < len(data) and data.startswith(
                    b"HTTP/1.1 101" if not to_server else b"GET /wse"):
                label_websocket(data, offset, labeller, service)
            spread(segments, labeller, stream, to_server)
        if stream.server_port != ws_port:
            stream.kind = "poll"
        elif stream.first_request.startswith("GET /wse"):
            stream.kind = "ws"
        elif stream.first_request.startswith("POST /connector/in/"):
            stream.kind = "push"
        stream.messages.sort()


def spread(segments, labeller, stream, to_server):
    """Gives each segment its share of the labelled spans, and each message the time of its last byte."""
    bounds, position = [], 0
    for segment in segments:
        bounds.append((position, position + len(segment.payload), segment))
        position += len(segment.payload)
    spans = sorted(labeller.spans)
    index = 0
    for start, end, segment in bounds:
        while index < len(spans) and spans[index][1] <= start:
            index += 1
        probe = index
        while probe < len(spans) and spans[probe][0] < end:
            span_start, span_end, label = spans[probe]
            segment.labels[label] += min(end, span_end) - max(start, span_start)
            probe += 1
    bound_index = 0
    for last_byte, kind, versions in sorted(labeller.messages):
        while bounds[bound_index][1] <= last_byte:
            bound_index += 1
        stream.messages.append((bounds[bound_index][2].time, to_server, kind, versions))


def window_totals(streams, kinds, server_port, start, end):
    """Sums over the segments of matching streams whose time is in [start, end)."""
    totals = defaultdict(int)
    for stream in streams:
        if stream.kind not in kinds or stream.server_port != server_port:
            continue
        for segment in stream.segments:
            if start <= segment.time < end:
                totals["segments"] += 1
                totals["ip_bytes"] += segment.ip_len
                totals["tcpip"] += segment.tcpip
                for label in LABELS:
                    totals[label] += segment.labels[label]
        for stamp, to_server, kind, _ in stream.messages:
            if start <= stamp < end:
                totals["messages"] += 1
                totals[f"msg_{'up' if to_server else 'down'}_{kind}"] += 1
    totals["payload"] = sum(totals[label] for label in LABELS)
    return dict(totals)


def first_on_wire(streams, kind, server_port, to_server):
    """The time each change's version was first seen on the wire in messages of matching streams."""
    seen = {}
    for stream in streams:
        if stream.kind != kind or stream.server_port != server_port:
            continue
        for stamp, direction, _, versions in stream.messages:
            if direction == to_server:
                for version in versions:
                    seen[version] = min(stamp, seen.get(version, stamp))
    return seen
