"""A publisher process of the node benchmark: POSTs pushes over keep-alive HTTP/1.1 connections.

    python3 publisher.py pid  --port P --key KEY --pids FILE --rate R --duration D [--connections C] [--batch N]
    python3 publisher.py loop --port P --path PATH [--key KEY] --body-template T --duration D
        --counters FILE --subscribers S [--window W] [--connections C]

`pid`: pushes `{"pid","data":{"t","r":-1},"final":false}` to /connector/in/v1/events round robin over the
pids (a line of FILE may name the request target after the pid, e.g. the path and query of the process's
callback: `PID /connector/in/v1/events?node=node2`; a batch goes to its first push's target), open loop at R per second in all (each connection sends on its own schedule, catching up
when late); with --batch N, N pushes a POST in connector IN's batch form (a JSON array). `loop`: closed loop for the throughput form: each POST is one fan-out to S subscribers;
the connections hold back while more than W messages x S deliveries are still unreceived (the
receivers' counters). T is the body with `{t}` where the send time goes. `t` is time.monotonic()
just before the request is written. Prints one JSON summary line.
"""
import argparse
import asyncio
import json
import mmap
import struct
import sys
import time


class Connection:
    """One keep-alive HTTP/1.1 connection that sends POSTs one at a time."""

    def __init__(self, host, port, path, headers):
        self.host, self.port, self.path = host, port, path
        self.head = f" HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n{headers}"

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def post(self, body, path=None):
        data = body.encode()
        self.writer.write(f"POST {path or self.path}{self.head}Content-Length: {len(data)}\r\n\r\n".encode() + data)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length, closing = 0, False
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
            elif line.lower() == b"connection: close":
                closing = True
        body = await self.reader.readexactly(length) if length else b""
        if closing:  # nginx ends a kept-alive connection after keepalive_requests (1,000) requests
            self.writer.close()
            await self.open()
        return status, body


class Tally:
    def __init__(self):
        self.sent = 0
        self.statuses = {}
        self.delivered = 0
        self.post_seconds = []

    def add(self, status, body, took, pushes=1):
        self.post_seconds.append(took)
        if pushes > 1 and status == 200:  # the batch form: one result per push
            for result in json.loads(body)["results"]:
                self.count(result["status"], result.get("delivered", 0))
            return
        for _ in range(pushes):
            self.count(status, json.loads(body)["delivered"] if status == 202 and body.startswith(b'{"delivered"') else 0)

    def count(self, status, delivered):
        self.sent += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1
        self.delivered += delivered


async def pid_mode(args, tally):
    lines = [line.split() for line in open(args.pids) if line.strip()]
    pids = [words[0] for words in lines]
    targets = [words[1] if len(words) > 1 else None for words in lines]
    interval = args.connections * args.batch / args.rate
    start = time.monotonic() + 0.05
    end = start + args.duration

    async def run(c):
        conn = Connection(args.host, args.port, "/connector/in/v1/events", f"Authorization: Bearer {args.key}\r\n")
        await conn.open()
        nxt = start + c * interval / args.connections
        i = c * args.batch
        while nxt < end:
            now = time.monotonic()
            if now < nxt:
                await asyncio.sleep(nxt - now)
            t = time.monotonic()
            items = [f'{{"pid":"{pids[(i + k) % len(pids)]}","data":{{"t":{t!r},"r":-1}},"final":false}}' for k in range(args.batch)]
            status, body = await conn.post(items[0] if args.batch == 1 else "[" + ",".join(items) + "]", targets[i % len(pids)])
            tally.add(status, body, time.monotonic() - t, pushes=args.batch)
            i += args.connections * args.batch
            nxt += interval

    await asyncio.gather(*(run(c) for c in range(args.connections)))
    return time.monotonic() - start


async def loop_mode(args, tally):
    with open(args.counters, "r+b") as f:
        counters = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    slots = len(counters) // 8
    headers = f"Authorization: Bearer {args.key}\r\n" if args.key else ""
    base = sum(struct.unpack_from("q", counters, 8 * s)[0] for s in range(slots))
    state = {"stalls": 0}
    start = time.monotonic()
    end = start + args.duration

    async def run(c):
        conn = Connection(args.host, args.port, args.path, headers)
        await conn.open()
        while time.monotonic() < end:
            received = sum(struct.unpack_from("q", counters, 8 * s)[0] for s in range(slots)) - base
            if tally.sent * args.subscribers - received > args.window * args.subscribers:
                state["stalls"] += 1
                await asyncio.sleep(0.001)
                continue
            t = time.monotonic()
            status, body = await conn.post(args.body_template.replace("{t}", repr(t)))
            tally.add(status, body, time.monotonic() - t)

    await asyncio.gather(*(run(c) for c in range(args.connections)))
    return time.monotonic() - start, state["stalls"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["pid", "loop"])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--key")
    p.add_argument("--pids")
    p.add_argument("--rate", type=float)
    p.add_argument("--duration", type=float, required=True)
    p.add_argument("--connections", type=int, default=4)
    p.add_argument("--path", default="/connector/in/v1/events")
    p.add_argument("--body-template")
    p.add_argument("--counters")
    p.add_argument("--subscribers", type=int)
    p.add_argument("--window", type=int, default=20)
    p.add_argument("--batch", type=int, default=1, help="pid mode: pushes per POST (more than 1: connector IN's batch form)")
    args = p.parse_args()
    tally = Tally()
    stalls = 0
    if args.mode == "pid":
        elapsed = asyncio.run(pid_mode(args, tally))
    else:
        elapsed, stalls = asyncio.run(loop_mode(args, tally))
    posts = sorted(tally.post_seconds)
    print(json.dumps({"sent": tally.sent, "elapsed": elapsed, "statuses": tally.statuses, "delivered": tally.delivered,
                      "stalls": stalls, "cpu_s": time.process_time(), "post_ms_p50": 1000 * posts[len(posts) // 2] if posts else None,
                      "post_ms_p99": 1000 * posts[int(len(posts) * 0.99)] if posts else None,
                      "post_ms_max": 1000 * posts[-1] if posts else None}), flush=True)


if __name__ == "__main__":
    try:
        import uvloop
        uvloop.install()
    except ImportError:
        pass
    main()
