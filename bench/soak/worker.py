"""One soak worker process: holds COUNT WSE sessions, checks every event's `seq`, and resumes on request.

    python3 worker.py --port P --count N --source-ip 127.0.0.60 [...] --token alice=T --token bob=T ...
        [--slow N]

Sessions are spread over the tokens' users and the source addresses. Each session acknowledges what it
received every 32 events. A `seq` that skips numbers counts as lost events, one already seen as a duplicate.
Commands on stdin, one a line: `resume K` drops K sessions without a close frame (as a lost network does)
and opens each again with `hello` + `resume` (`resumed: true` expected, then the missed events);
`token USER T` replaces a user's token (after a fresh login); `slow SECONDS` makes the first --slow sessions
stop reading for SECONDS (slow consumers). Prints a JSON status line every 2 s. Stops on SIGTERM or when
stdin closes.
"""
import argparse
import asyncio
import json
import os
import random
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ws"))
from wsclient import Stats, WSClientProtocol, run  # noqa: E402


class Tally:
    def __init__(self):
        self.events = 0
        self.lost = 0
        self.duplicates = 0
        self.resumed = 0
        self.fresh = 0
        self.errors = 0


class SoakProtocol(WSClientProtocol):
    """A connection of one session; when the server closes it (a slow consumer's 4429, say), the session
    comes back with a resume a second later, as wse.js does."""

    def connection_lost(self, exc):
        super().connection_lost(exc)
        if not self.dropped and self.session.protocol is self and not self.stopping.is_set():
            asyncio.get_running_loop().call_later(1, lambda: asyncio.ensure_future(self.reconnect(self.index)))


class Session:
    """What one WSE session has received, across its connections."""

    def __init__(self, user):
        self.user = user
        self.id = None
        self.last_seq = 0
        self.acked = 0
        self.protocol = None


def main_args():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--source-ip", action="append", required=True)
    p.add_argument("--token", action="append", required=True, help="USER=TOKEN, repeatable")
    p.add_argument("--slow", type=int, default=0, help="sessions that stop reading on `slow`")
    p.add_argument("--batch", type=int, default=100)
    return p.parse_args()


async def main():
    args = main_args()
    loop = asyncio.get_running_loop()
    tokens = dict(t.split("=", 1) for t in args.token)
    users = sorted(tokens)
    stats = Stats()
    tally = Tally()
    sessions = [Session(users[i % len(users)]) for i in range(args.count)]

    def on_message(protocol, payload, _received):
        session = protocol.session
        message = json.loads(payload)
        kind = message.get("type")
        if kind == "event":
            seq = message["seq"]
            if seq <= session.last_seq:
                tally.duplicates += 1
                return
            tally.lost += seq - session.last_seq - 1
            tally.events += 1
            session.last_seq = seq
            if seq - session.acked >= 32:
                protocol.send_text(json.dumps({"type": "ack", "seq": seq}))
                session.acked = seq
        elif kind == "welcome":
            if session.id is not None:
                if message.get("resumed"):
                    tally.resumed += 1
                else:
                    tally.fresh += 1
                    session.last_seq = 0
                    session.acked = 0
            session.id = message["session"]
        elif kind == "error":
            tally.errors += 1

    async def connect(i):
        session = sessions[i]
        hello = {"type": "hello", "token": tokens[session.user]}
        if session.id is not None:
            hello["resume"] = {"session": session.id, "lastSeq": session.last_seq}

        def make():
            protocol = SoakProtocol(f"{args.host}:{args.port}", "/wse", stats, hello, None, on_message)
            protocol.session, protocol.index, protocol.reconnect = session, i, connect
            protocol.dropped, protocol.stopping = False, stop
            session.protocol = protocol
            return protocol

        try:
            await loop.create_connection(make, args.host, args.port, local_addr=(args.source_ip[i % len(args.source_ip)], 0))
        except OSError as e:
            stats.failed += 1
            print(json.dumps({"error": str(e)}), file=sys.stderr, flush=True)

    stop = asyncio.Event()
    for start in range(0, args.count, args.batch):
        await asyncio.gather(*(connect(i) for i in range(start, min(start + args.batch, args.count))))

    async def resume(k):
        for i in random.sample(range(args.slow, args.count), min(k, args.count - args.slow)):
            protocol = sessions[i].protocol
            if protocol and protocol.transport:
                protocol.dropped = True
                protocol.transport.abort()
            await connect(i)

    async def slow(seconds):
        paused = [s.protocol.transport for s in sessions[:args.slow] if s.protocol and s.protocol.transport]
        for transport in paused:
            transport.pause_reading()
        await asyncio.sleep(seconds)
        for transport in paused:
            if not transport.is_closing():
                transport.resume_reading()

    loop.add_signal_handler(signal.SIGTERM, stop.set)

    def command():
        line = sys.stdin.readline()
        if not line:
            stop.set()
            return
        words = line.split()
        if words[:1] == ["resume"]:
            loop.create_task(resume(int(words[1])))
        elif words[:1] == ["token"]:
            tokens[words[1]] = words[2]
        elif words[:1] == ["slow"]:
            loop.create_task(slow(float(words[1])))

    loop.add_reader(sys.stdin.fileno(), command)
    while not stop.is_set():
        print(json.dumps({"open": stats.open, "ready": stats.ready, "closed": stats.closed, "failed": stats.failed,
                          "codes": stats.close_codes, "events": tally.events, "lost": tally.lost,
                          "duplicates": tally.duplicates, "resumed": tally.resumed, "fresh": tally.fresh,
                          "errors": tally.errors}), flush=True)
        try:
            await asyncio.wait_for(stop.wait(), 2)
        except asyncio.TimeoutError:
            pass


if __name__ == "__main__":
    run(main)
