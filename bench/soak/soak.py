"""Soak: a release `wse demo` holding N sessions for a long time under steady work (issue 10, Beyond 5).

    python3 bench/soak/soak.py [--wse .build-release/release/wse] [--sessions 10000] [--minutes 60]

Starts `wse demo` (sessions.maxPerUser lifted: the sessions belong to alice, bob and carol), registers a
`soak` service through the admin API (its connector is a thread here that answers every call 202), opens
the sessions from --workers processes (worker.py; source addresses 127.0.0.60 and up, as bench/ws does),
then for --minutes: pushes one event per --push-interval through connector IN (`POST
/connector/in/v1/events`, to alice, bob and carol in turn: each push reaches a third of the sessions), logs
a user in every --login-every seconds (the workers use the fresh token from then on), drops and resumes
--resumes sessions per worker every --resume-every seconds, and makes --slow sessions per worker stop
reading for --slow-for seconds every --slow-every seconds. Every --sample seconds it appends a row to
CSV: the node's RSS, open file descriptors and threads, its CPU share, the machine's load, sessions and
what the clients counted. At the end it compares the events the node said it delivered with those the
sessions received and writes a JSON summary (flat memory? anything lost?) next to the CSV.
"""
import argparse
import http.client
import json
import os
import resource
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
USERS = ["alice", "bob", "carol"]


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


class Connector(ThreadingHTTPServer):
    """The soak service's connector OUT: answers every call `202 {}`."""

    request_queue_size = 1024

    def __init__(self, port):
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(202)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", port), Handler)
        self.daemon_threads = True
        threading.Thread(target=self.serve_forever, daemon=True).start()


class Node:
    """HTTP calls to the node on one keep-alive connection each caller."""

    def __init__(self, port):
        self.port = port

    def call(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=json.dumps(body) if body is not None else None,
                         headers={"Content-Type": "application/json", **(headers or {})})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def login(self, user):
        status, body = self.call("POST", "/idp/token", {"username": user, "password": "demo"})
        return status, (json.loads(body)["access_token"] if status == 200 else None)


def proc_sample(pid):
    status = open(f"/proc/{pid}/status").read()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    ticks = int(stat[11]) + int(stat[12])
    return {"rss_kib": int(fields["VmRSS"].split()[0]), "threads": int(fields["Threads"]),
            "fds": len(os.listdir(f"/proc/{pid}/fd")), "cpu_seconds": ticks / os.sysconf("SC_CLK_TCK")}


class Workers:
    def __init__(self, args, tokens):
        per = args.sessions // args.workers
        self.status = [{} for _ in range(args.workers)]
        self.processes = []
        for w in range(args.workers):
            ips = [f"127.0.0.{60 + 4 * w + k}" for k in range(4)]
            command = [sys.executable, os.path.join(HERE, "worker.py"), "--port", str(args.port),
                       "--count", str(per + (args.sessions % args.workers if w == 0 else 0)), "--slow", str(args.slow)]
            command += sum((["--source-ip", ip] for ip in ips), [])
            command += sum((["--token", f"{u}={t}"] for u, t in tokens.items()), [])
            process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                       preexec_fn=raise_nofile)
            self.processes.append(process)
            threading.Thread(target=self.read, args=(w, process), daemon=True).start()

    def read(self, w, process):
        for line in process.stdout:
            self.status[w] = json.loads(line)

    def tell(self, line):
        for process in self.processes:
            process.stdin.write(line + "\n")
            process.stdin.flush()

    def total(self, key):
        return sum(s.get(key, 0) for s in self.status)

    def codes(self):
        codes = {}
        for s in self.status:
            for code, n in s.get("codes", {}).items():
                codes[code] = codes.get(code, 0) + n
        return codes

    def stop(self):
        for process in self.processes:
            process.stdin.close()
        for process in self.processes:
            process.wait(timeout=60)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--wse", default=".build-release/release/wse")
    p.add_argument("--sessions", type=int, default=10_000)
    p.add_argument("--minutes", type=float, default=60)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--port", type=int, default=18660)
    p.add_argument("--connector-port", type=int, default=18661)
    p.add_argument("--push-interval", type=float, default=1.0)
    p.add_argument("--login-every", type=float, default=30)
    p.add_argument("--resume-every", type=float, default=30)
    p.add_argument("--resumes", type=int, default=25, help="sessions per worker dropped and resumed each time")
    p.add_argument("--slow", type=int, default=5, help="slow consumers per worker")
    p.add_argument("--slow-every", type=float, default=120)
    p.add_argument("--slow-for", type=float, default=30)
    p.add_argument("--sample", type=float, default=60)
    p.add_argument("--out", default="soak.csv")
    args = p.parse_args()

    log = open(args.out + ".wse.log", "w")
    demo = subprocess.Popen([args.wse, "demo", "--port", str(args.port), "--max-sessions-per-user", "0"],
                            stdout=subprocess.PIPE, stderr=log, text=True, preexec_fn=raise_nofile)
    admin = None
    for line in demo.stdout:
        log.write(line)
        if "admin token" in line:
            admin = line.split()[2]
        if "Press Ctrl-C" in line:
            break
    threading.Thread(target=lambda: [log.write(l) for l in demo.stdout], daemon=True).start()
    if not admin:
        sys.exit("wse demo printed no admin token")
    node = Node(args.port)
    key = "ck_soak_" + os.urandom(12).hex()
    connector = Connector(args.connector_port)
    status, body = node.call("PUT", "/admin/v1/services/soak",
                             {"id": "soak", "kind": "basic", "endpoint": f"http://127.0.0.1:{args.connector_port}",
                              "connectorKey": key, "timeout": 5}, {"Authorization": f"Bearer {admin}"})
    if status not in (200, 201, 204):
        sys.exit(f"registering the soak service failed: {status} {body!r}")
    tokens = {u: node.login(u)[1] for u in USERS}
    workers = Workers(args, tokens)
    started = time.monotonic()
    while workers.total("ready") < args.sessions and time.monotonic() - started < 600:
        time.sleep(1)
    ready_at_start, ramp = workers.total("ready"), round(time.monotonic() - started)
    print(f"{ready_at_start} sessions open after {ramp} s", flush=True)

    tally = {"pushes": 0, "delivered": 0, "push_status": {}, "logins": {}}
    stop = threading.Event()

    def push():
        n = 0
        next_at = time.monotonic()
        while not stop.is_set():
            user = USERS[n % len(USERS)]
            status, body = node.call("POST", "/connector/in/v1/events", {"user": user, "service": "soak", "data": {"n": n}},
                                     {"Authorization": f"Bearer {key}"})
            tally["pushes"] += 1
            tally["push_status"][status] = tally["push_status"].get(status, 0) + 1
            if status == 202:
                tally["delivered"] += json.loads(body).get("delivered", 0)
            n += 1
            next_at += args.push_interval
            stop.wait(max(0, next_at - time.monotonic()))

    def every(seconds, action):
        def loop():
            while not stop.wait(seconds):
                action()
        threading.Thread(target=loop, daemon=True).start()

    logins = iter(range(10**9))

    def login():
        user = USERS[next(logins) % len(USERS)]
        status, token = node.login(user)
        tally["logins"][status] = tally["logins"].get(status, 0) + 1
        if token:
            workers.tell(f"token {user} {token}")

    threading.Thread(target=push, daemon=True).start()
    every(args.login_every, login)
    every(args.resume_every, lambda: workers.tell(f"resume {args.resumes}"))
    every(args.slow_every, lambda: workers.tell(f"slow {args.slow_for}"))

    columns = ["sample", "elapsed_s", "rss_kib", "fds", "threads", "node_cpu_pct", "load1", "ready", "closed", "events", "lost",
               "duplicates", "resumed", "fresh", "pushes", "delivered", "logins_ok"]
    csv = open(args.out, "w")
    csv.write(",".join(columns) + "\n")
    rows = []
    begin = time.monotonic()
    last = proc_sample(demo.pid)
    last_at = begin
    index = 0
    while time.monotonic() - begin < args.minutes * 60:
        time.sleep(max(0, begin + (index + 1) * args.sample - time.monotonic()))
        index += 1
        now, sample = time.monotonic(), proc_sample(demo.pid)
        row = {"sample": index, "elapsed_s": round(now - begin), **{k: sample[k] for k in ("rss_kib", "fds", "threads")},
               "node_cpu_pct": round(100 * (sample["cpu_seconds"] - last["cpu_seconds"]) / (now - last_at), 1),
               "load1": os.getloadavg()[0], "pushes": tally["pushes"], "delivered": tally["delivered"],
               "logins_ok": tally["logins"].get(200, 0),
               **{k: workers.total(k) for k in ("ready", "closed", "events", "lost", "duplicates", "resumed", "fresh")}}
        last, last_at = sample, now
        rows.append(row)
        csv.write(",".join(str(row[c]) for c in columns) + "\n")
        csv.flush()
        print(json.dumps(row), flush=True)

    stop.set()
    time.sleep(10)  # the last pushes reach the sessions (slow consumers read again)
    received = workers.total("events")
    first, final = rows[0], rows[-1]
    growth = (final["rss_kib"] - first["rss_kib"]) / max(1 / 60, (final["elapsed_s"] - first["elapsed_s"]) / 60)
    # The first minute fills the resume buffers; the trend that says "flat" is the slope after it.
    steady = rows[1:] if len(rows) > 2 else rows
    mean_t = sum(r["elapsed_s"] for r in steady) / len(steady)
    mean_rss = sum(r["rss_kib"] for r in steady) / len(steady)
    spread = sum((r["elapsed_s"] - mean_t) ** 2 for r in steady)
    slope = 60 * sum((r["elapsed_s"] - mean_t) * (r["rss_kib"] - mean_rss) for r in steady) / spread if spread else 0.0
    summary = {
        "sessions": args.sessions, "sessions_ready_at_start": ready_at_start, "ramp_seconds": ramp, "minutes": args.minutes, "pushes": tally["pushes"], "push_status": tally["push_status"],
        "delivered_by_node": tally["delivered"], "received_by_sessions": received,
        "lost_seq_gaps": workers.total("lost"), "duplicates": workers.total("duplicates"),
        "resumed": workers.total("resumed"), "fresh_after_resume": workers.total("fresh"),
        "logins": tally["logins"], "close_codes": workers.codes(), "client_errors": workers.total("errors"),
        "rss_kib_first_last": [first["rss_kib"], final["rss_kib"]], "rss_growth_kib_per_minute": round(growth, 1),
        "rss_slope_kib_per_minute_from_sample_2": round(slope, 1),
        "rss_kib_min_max": [min(r["rss_kib"] for r in rows), max(r["rss_kib"] for r in rows)],
        "fds_first_last": [first["fds"], final["fds"]], "threads_first_last": [first["threads"], final["threads"]],
        "load1_mean": round(sum(r["load1"] for r in rows) / len(rows), 2),
        "load1_min_max": [min(r["load1"] for r in rows), max(r["load1"] for r in rows)],
    }
    json.dump(summary, open(args.out + ".summary.json", "w"), indent=1)
    print(json.dumps(summary, indent=1), flush=True)
    workers.stop()
    connector.shutdown()
    demo.terminate()
    try:
        demo.wait(timeout=60)
    except subprocess.TimeoutExpired:
        demo.kill()


if __name__ == "__main__":
    main()
