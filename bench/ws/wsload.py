"""One load-generator worker: opens COUNT WebSocket connections and holds them idle.

    python3 wsload.py --port P --count N --source-ip 127.0.0.10 [--path /wse] [--hello-token T] [--origin O]

Prints one JSON status line per second on stdout ({"open","ready","closed","failed"}); the
controller (memory.py) reads them. Stops on SIGTERM or when stdin closes.
"""
import argparse
import asyncio
import json
import signal
import sys

from wsclient import Stats, open_connections, run


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--path", default="/wse")
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--source-ip", action="append", required=True, help="repeatable; connections spread over them")
    p.add_argument("--hello-token", help="send {type:hello, token} after the upgrade and count welcomes")
    p.add_argument("--origin")
    p.add_argument("--batch", type=int, default=200, help="connections opened concurrently")
    args = p.parse_args()

    loop = asyncio.get_running_loop()
    stats = Stats()
    hello = {"type": "hello", "token": args.hello_token} if args.hello_token else None
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_reader(sys.stdin.fileno(), lambda: sys.stdin.readline() or stop.set())

    async def report():
        while not stop.is_set():
            print(json.dumps({"open": stats.open, "ready": stats.ready, "closed": stats.closed,
                              "failed": stats.failed, "codes": stats.close_codes}), flush=True)
            await asyncio.sleep(1)

    reporter = asyncio.create_task(report())

    await open_connections(args, args.path, stats, hello)
    await stop.wait()
    reporter.cancel()


if __name__ == "__main__":
    run(main)
