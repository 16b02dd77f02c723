"""Resident memory per idle WebSocket session of a server process.

    python3 bench/ws/memory.py --port 18711 --steps 5000,19000 [--workers 4] [--path /wse]
        [--hello-token TOKEN | --login USER:PASSWORD] [--origin ORIGIN] -- SERVER COMMAND ...

Starts the server command (it must listen on 127.0.0.1:PORT), measures it with no session,
then opens sessions in steps with worker processes (wsload.py, source IPs 127.0.0.10-41),
waits until every one is open (and welcomed when --hello-token or --login is given; --login
fetches the token from the server's `POST /idp/token` once it listens), waits --settle
seconds, and measures again. Memory = the sum of VmRSS (and of Pss) over the server process
and its descendants. Prints one line per step and a JSON summary on the last line.
"""
import argparse
import http.client
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def descendants(pid):
    found, frontier = [pid], [pid]
    while frontier:
        parent = frontier.pop()
        try:
            children = open(f"/proc/{parent}/task/{parent}/children").read().split()
        except OSError:
            continue
        for child in map(int, children):
            found.append(child)
            frontier.append(child)
    return found


def memory_kib(pid):
    rss = pss = 0
    for p in descendants(pid):
        try:
            for line in open(f"/proc/{p}/status"):
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1])
            for line in open(f"/proc/{p}/smaps_rollup"):
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            pass
    return rss, pss


def wait_for_port(port, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"server did not listen on 127.0.0.1:{port} within {timeout} s")


def login(port, credentials):
    username, _, password = credentials.partition(":")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/idp/token", body=json.dumps({"username": username, "password": password}),
                 headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        sys.exit(f"login as {username} failed: {response.status} {body!r}")
    return json.loads(body)["access_token"]


def raise_nofile():
    """The server holds one descriptor per session: let it use the hard limit."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


class Worker:
    """A wsload.py process and its latest status line."""

    def __init__(self, args, count, ips):
        cmd = [sys.executable, os.path.join(HERE, "wsload.py"), "--port", str(args.port), "--path", args.path,
               "--count", str(count)]
        for ip in ips:
            cmd += ["--source-ip", ip]
        if args.hello_token:
            cmd += ["--hello-token", args.hello_token]
        if args.origin:
            cmd += ["--origin", args.origin]
        self.process = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.status = {"open": 0, "ready": 0, "closed": 0, "failed": 0}
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        for line in self.process.stdout:
            self.status = json.loads(line)

    def stop(self):
        self.process.terminate()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--steps", default="5000,19000")
    p.add_argument("--workers", type=int, default=4, help="load-generator processes per step")
    p.add_argument("--path", default="/wse")
    p.add_argument("--hello-token")
    p.add_argument("--login", metavar="USER:PASSWORD", help="get the hello token from POST /idp/token")
    p.add_argument("--origin")
    p.add_argument("--settle", type=float, default=5)
    p.add_argument("--timeout", type=float, default=180)
    p.add_argument("server", nargs=argparse.REMAINDER)
    args = p.parse_args()
    command = args.server[1:] if args.server[:1] == ["--"] else args.server
    if not command:
        sys.exit("give the server command after --")

    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                              preexec_fn=raise_nofile)
    workers = []
    results = []
    try:
        wait_for_port(args.port, 60)
        if args.login:
            args.hello_token = login(args.port, args.login)
        time.sleep(args.settle)
        rss0, pss0 = memory_kib(server.pid)
        print(f"0 sessions: RSS {rss0 / 1024:.1f} MiB, PSS {pss0 / 1024:.1f} MiB", flush=True)
        opened = 0
        ip_index = 0
        for target in (int(s) for s in args.steps.split(",")):
            delta = target - opened
            for w in range(args.workers):
                count = delta // args.workers + (1 if w < delta % args.workers else 0)
                ips = [f"127.0.0.{10 + (ip_index + k) % 32}" for k in range(4)]
                ip_index += 4
                workers.append(Worker(args, count, ips))
            opened = target
            deadline = time.monotonic() + args.timeout
            while sum(w.status["ready"] for w in workers) < target:
                if time.monotonic() > deadline or server.poll() is not None:
                    print(f"only {sum(w.status['ready'] for w in workers)} of {target} sessions ready;"
                          f" failed {sum(w.status['failed'] for w in workers)}, server exit {server.poll()}")
                    sys.exit(1)
                time.sleep(0.5)
            time.sleep(args.settle)
            closed = sum(w.status["closed"] for w in workers)
            rss, pss = memory_kib(server.pid)
            per_rss = (rss - rss0) / target
            per_pss = (pss - pss0) / target
            print(f"{target} sessions: RSS {rss / 1024:.1f} MiB, PSS {pss / 1024:.1f} MiB,"
                  f" {per_rss:.2f} KiB RSS / {per_pss:.2f} KiB PSS per session, {closed} closed meanwhile", flush=True)
            results.append({"sessions": target, "rss_kib": rss, "pss_kib": pss, "kib_per_session_rss": round(per_rss, 2),
                            "kib_per_session_pss": round(per_pss, 2), "closed": closed})
        print(json.dumps({"command": command, "rss0_kib": rss0, "pss0_kib": pss0, "steps": results}))
    finally:
        for w in workers:
            w.stop()
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            print("server still running 60 s after SIGTERM: killed", flush=True)
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
