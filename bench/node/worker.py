"""One receiver process of the node benchmark: holds WebSocket sessions and timestamps what they receive.

    python3 worker.py --port P --count N --source-ip 127.0.0.50 [--source-ip ...] --index I --counters FILE
        (--wse TOKEN --origin O [--request SERVICE] | --nchan CHANNEL)

With --wse every session sends `hello` and waits for `welcome`; with --request it then sends one
`request` to SERVICE and keeps the pid of the `response`. Every event (WSE) or message (nchan)
carries `{"t": <publisher's time.monotonic() before its POST>, "r": <round>}`; the worker keeps
`receipt - t` and the round. Receipt counts go to slot I of the shared counter file (8 bytes each),
so a closed-loop publisher can read them. Prints a JSON status line every 0.5 s. Commands on stdin:
`pids PATH` (write the pids, one a line), `dump PATH` (latencies to PATH.lat, rounds to PATH.round,
both as native arrays), `reset` (forget latencies). Stops on SIGTERM or when stdin closes.
"""
import argparse
import array
import asyncio
import json
import mmap
import os
import signal
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ws"))
from wsclient import Stats, open_connections, run  # noqa: E402


class Receiver:
    """What the sessions of this process received."""

    def __init__(self, args, counters):
        self.args = args
        self.counters = counters
        self.slot = args.index * 8
        self.latencies = array.array("d")
        self.rounds = array.array("i")
        self.received = 0
        self.pids = []
        self.errors = 0
        self.last_error = None
        self.request = json.dumps({"type": "request", "id": "r1", "service": args.request, "action": "watch", "data": {}}) \
            if args.request else None

    def on_message(self, proto, payload, now):
        message = json.loads(payload)
        if self.args.nchan:
            self.record(message, now)
            return
        kind = message.get("type")
        if kind == "event":
            self.record(message["data"], now)
        elif kind == "welcome":
            if self.request:
                proto.send_text(self.request)
        elif kind == "response":
            self.pids.append(message["pid"])
        elif kind == "error" or kind == "end":
            self.errors += 1
            self.last_error = message

    def record(self, data, now):
        self.latencies.append(now - data["t"])
        self.rounds.append(data.get("r", -1))
        self.received += 1
        struct.pack_into("q", self.counters, self.slot, self.received)


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--source-ip", action="append", required=True)
    p.add_argument("--index", type=int, required=True)
    p.add_argument("--counters", required=True)
    p.add_argument("--wse", metavar="TOKEN")
    p.add_argument("--origin")
    p.add_argument("--request", metavar="SERVICE")
    p.add_argument("--nchan", metavar="CHANNEL")
    p.add_argument("--batch", type=int, default=200)
    args = p.parse_args()
    if bool(args.wse) == bool(args.nchan):
        sys.exit("give exactly one of --wse TOKEN and --nchan CHANNEL")

    with open(args.counters, "r+b") as f:
        counters = mmap.mmap(f.fileno(), 0)
    loop = asyncio.get_running_loop()
    stats = Stats()
    receiver = Receiver(args, counters)
    hello = {"type": "hello", "token": args.wse} if args.wse else None
    path = "/wse" if args.wse else f"/sub/{args.nchan}"
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)

    def command():
        line = sys.stdin.readline()
        if not line:
            stop.set()
            return
        verb, _, arg = line.strip().partition(" ")
        if verb == "pids":
            with open(arg, "w") as f:
                f.write("".join(pid + "\n" for pid in receiver.pids))
        elif verb == "dump":
            with open(arg + ".lat", "wb") as f:
                receiver.latencies.tofile(f)
            with open(arg + ".round", "wb") as f:
                receiver.rounds.tofile(f)
        elif verb == "reset":
            receiver.latencies = array.array("d")
            receiver.rounds = array.array("i")
        print(json.dumps({"done": verb}), flush=True)

    loop.add_reader(sys.stdin.fileno(), command)

    async def report():
        while not stop.is_set():
            print(json.dumps({"open": stats.open, "ready": stats.ready if args.wse else stats.open, "closed": stats.closed,
                              "failed": stats.failed, "pids": len(receiver.pids), "received": receiver.received,
                              "errors": receiver.errors, "last_error": receiver.last_error, "codes": stats.close_codes}),
                  flush=True)
            await asyncio.sleep(0.5)

    reporter = asyncio.create_task(report())

    await open_connections(args, path, stats, hello, receiver.on_message)
    await stop.wait()
    reporter.cancel()


if __name__ == "__main__":
    run(main)
