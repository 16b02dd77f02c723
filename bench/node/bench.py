"""The node benchmark: pushes through connector IN and fan-out, WSE side by side with nginx+nchan.

    python3 bench/node/bench.py --wse-binary .build-release/release/wse pushes [--sessions 1000] [--rates 10000] [--batch 1] [--runs 2]
    python3 bench/node/bench.py --wse-binary ... fanout [--peers wse,nchan] [--subscribers 10000] [--rounds 20] [--runs 2]
    python3 bench/node/bench.py --wse-binary ... tput   [--peers wse,nchan] [--subscribers 1000] [--seconds 10] [--runs 2]

Every server and load process runs on loopback and is stopped by its PID at the end. Results are
printed and appended as JSON lines to --results. See bench/node/README.md.
"""
import argparse
import array
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import http.client

HERE = os.path.dirname(os.path.abspath(__file__))
TICK = os.sysconf("SC_CLK_TCK")
ORIGIN = "http://127.0.0.1:18699"
PAD = "x" * 48  # makes the data object ~100 bytes, the size of the peer benchmark's message


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def cpu_seconds(pid):
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK
    except OSError:
        return 0.0


def machine_busy_seconds():
    fields = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / TICK


class CPUWindow:
    """CPU used by given process groups and by the whole machine between start() and stop()."""

    def __init__(self, groups):
        self.groups = groups  # name -> callable returning pids

    def sample(self):
        return {name: sum(cpu_seconds(p) for p in pids()) for name, pids in self.groups.items()}, machine_busy_seconds(), time.monotonic()

    def start(self):
        self.begin = self.sample()

    def stop(self, extra_seconds=0.0):
        end = self.sample()
        wall = end[2] - self.begin[2]
        used = {k: (end[0][k] - self.begin[0][k]) for k in end[0]}
        machine = end[1] - self.begin[1]
        ours = sum(used.values()) + extra_seconds
        out = {f"{k}_cpu_pct": round(100 * v / wall, 1) for k, v in used.items()}
        out["machine_busy_pct"] = round(100 * machine / wall, 1)
        out["foreign_cpu_pct"] = round(100 * max(0.0, machine - ours) / wall, 1)
        out["window_s"] = round(wall, 2)
        out["_used"] = used
        return out


def quiet_wait(ours, threshold_pct, max_wait):
    """Waits until processes other than ours used < threshold % of one core for 1 s; gives up after max_wait."""
    deadline = time.monotonic() + max_wait
    waited_from = time.monotonic()
    while True:
        ours0, busy0 = sum(cpu_seconds(p) for p in ours()), machine_busy_seconds()
        time.sleep(1)
        foreign = 100 * max(0.0, (machine_busy_seconds() - busy0) - (sum(cpu_seconds(p) for p in ours()) - ours0))
        if foreign < threshold_pct or time.monotonic() > deadline:
            return {"quiet": foreign < threshold_pct, "foreign_before_pct": round(foreign, 1),
                    "waited_s": round(time.monotonic() - waited_from, 1)}


def percentile(sorted_values, q):
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, int(q * (len(sorted_values) - 1) + 0.5))]


def ms(v):
    return None if v is None else round(1000 * v, 2)


def median(values):
    values = sorted(v for v in values if v is not None)
    return values[len(values) // 2] if values else None


class BenchConnector:
    """The bench service's connector: answers every connector OUT call with `202 {}`, and keeps the `callback`
    of each call by its pid (`callbacks`)."""

    def __init__(self, port):
        callbacks = self.callbacks = {}

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path == "/v1/requests":
                    call = json.loads(body)
                    callbacks[call.get("pid")] = call.get("callback")
                self.send_response(202 if self.path == "/v1/requests" else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            # socketserver's default backlog (5) drops the SYNs of a burst of connector OUT calls; the
            # node's call then times out and its session gets an error instead of a pid.
            request_queue_size = 1024

        self.server = Server(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def http_json(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=json.dumps(body) if body is not None else None,
                 headers={"Content-Type": "application/json", **(headers or {})})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, data


def wait_for_port(port, timeout, process):
    import socket
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server exited with {process.returncode} before listening on {port}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


class WSENode:
    """`wse demo` on PORT, alice logged in, the bench service registered through the admin API."""

    name = "wse"

    def __init__(self, args, workdir):
        self.port = args.wse_port
        self.key = "ck_bench_" + os.urandom(12).hex()
        self.log = open(os.path.join(workdir, "wse-demo.log"), "w")
        self.process = subprocess.Popen([args.wse_binary, "demo", "--port", str(self.port), "--allow-origin", ORIGIN,
                                         "--database", os.path.join(workdir, f"wse-{time.time_ns()}.sqlite")],
                                        stdout=subprocess.PIPE, stderr=self.log, text=True, preexec_fn=raise_nofile)
        self.admin_token = None
        for line in self.process.stdout:
            self.log.write(line)
            if "admin token" in line:
                self.admin_token = line.split()[2]
            if "Press Ctrl-C" in line:
                break
        threading.Thread(target=lambda: [self.log.write(l) for l in self.process.stdout], daemon=True).start()
        if not self.admin_token:
            sys.exit("wse demo printed no admin token")
        wait_for_port(self.port, 60, self.process)
        status, body = http_json(self.port, "POST", "/idp/token", {"username": "alice", "password": "demo"})
        if status != 200:
            sys.exit(f"login failed: {status} {body!r}")
        self.token = json.loads(body)["access_token"]
        self.connector = BenchConnector(args.connector_port)
        status, body = http_json(self.port, "PUT", "/admin/v1/services/bench",
                                 {"id": "bench", "kind": "basic", "endpoint": f"http://127.0.0.1:{args.connector_port}",
                                  "connectorKey": self.key, "timeout": 5},
                                 {"Authorization": f"Bearer {self.admin_token}"})
        if status not in (200, 201, 204):
            sys.exit(f"registering the bench service failed: {status} {body!r}")

    def pids(self):
        return [self.process.pid]

    def worker_args(self, request):
        return ["--wse", self.token, "--origin", ORIGIN] + (["--request", "bench"] if request else [])

    def fanout_post(self):
        return "/connector/in/v1/events", {"Authorization": f"Bearer {self.key}"}, \
            '{"user":"alice","service":"bench","data":{"t":{t},"r":{r},"p":"' + PAD + '"}}'

    def stop(self):
        self.connector.stop()
        self.process.terminate()
        started = time.monotonic()
        try:
            self.process.wait(timeout=60)
            print(f"  wse stopped {time.monotonic() - started:.1f} s after SIGTERM", flush=True)
        except subprocess.TimeoutExpired:
            print("  wse still running 60 s after SIGTERM: killed", flush=True)
            self.process.kill()
            self.process.wait(timeout=30)


class Nchan:
    """nginx + nchan, one worker, in the style of infra-files/nginx-nchan.conf."""

    name = "nchan"

    def __init__(self, args, workdir):
        self.port = args.nchan_port
        d = os.path.join(workdir, "nginx")
        for sub in ("logs", "tmp"):
            os.makedirs(os.path.join(d, sub), exist_ok=True)
        conf = f"""load_module /usr/lib/nginx/modules/ngx_nchan_module.so;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/logs/error.log warn;
events {{ worker_connections 19500; }}
http {{
  access_log off;
  client_body_temp_path {d}/tmp/body; proxy_temp_path {d}/tmp/proxy; fastcgi_temp_path {d}/tmp/fcgi;
  uwsgi_temp_path {d}/tmp/uwsgi; scgi_temp_path {d}/tmp/scgi;
  server {{
    listen 127.0.0.1:{self.port};
    location ~ ^/pub/(\\w+)$ {{ nchan_publisher; nchan_channel_id $1; nchan_message_buffer_length 10; nchan_message_timeout 60s; }}
    location ~ ^/sub/(\\w+)$ {{ nchan_subscriber; nchan_channel_id $1; nchan_subscriber_first_message newest; }}
  }}
}}
"""
        with open(os.path.join(d, "nginx.conf"), "w") as f:
            f.write(conf)
        self.process = subprocess.Popen(["nginx", "-p", d, "-c", os.path.join(d, "nginx.conf"), "-e", f"{d}/logs/error.log",
                                         "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        preexec_fn=raise_nofile)
        wait_for_port(self.port, 30, self.process)

    def pids(self):
        try:
            children = open(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read().split()
        except OSError:
            children = []
        return [self.process.pid] + [int(c) for c in children]

    def worker_args(self, request):
        return ["--nchan", "bench"]

    def fanout_post(self):
        return "/pub/bench", {}, '{"t":{t},"r":{r},"p":"' + PAD + '"}'

    def stop(self):
        self.process.send_signal(signal.SIGQUIT)  # nginx: graceful stop of master and workers
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            self.process.wait(timeout=15)


class Receivers:
    """worker.py processes holding the sessions, with their latest status."""

    def __init__(self, server, total, processes, workdir, request=False, ip_base=50):
        self.counters = os.path.join(workdir, f"counters-{time.time_ns()}")
        with open(self.counters, "wb") as f:
            f.write(b"\0" * 8 * processes)
        self.workers = []
        for w in range(processes):
            count = total // processes + (1 if w < total % processes else 0)
            cmd = [sys.executable, os.path.join(HERE, "worker.py"), "--port", str(server.port), "--count", str(count),
                   "--index", str(w), "--counters", self.counters] + server.worker_args(request)
            for k in range(4):
                cmd += ["--source-ip", f"127.0.0.{ip_base + 4 * w + k}"]
            process = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, preexec_fn=raise_nofile)
            worker = {"process": process, "status": {}, "replies": []}
            threading.Thread(target=self.read, args=(worker,), daemon=True).start()
            self.workers.append(worker)

    @staticmethod
    def read(worker):
        for line in worker["process"].stdout:
            message = json.loads(line)
            if "done" in message:
                worker["replies"].append(message)
            else:
                worker["status"] = message

    def total(self, field):
        return sum(w["status"].get(field, 0) for w in self.workers)

    def wait(self, field, target, timeout, what):
        deadline = time.monotonic() + timeout
        while self.total(field) < target:
            errors = self.total("errors")
            if errors or time.monotonic() > deadline:
                last = [w["status"].get("last_error") for w in self.workers if w["status"].get("errors")]
                cause = f"{errors} sessions got an error, e.g. {last[0]}" if errors else f"nothing more after {timeout} s"
                sys.exit(f"{what}: only {self.total(field)} of {target}; {cause}")
            time.sleep(0.2)

    def command(self, verb, arg=""):
        for w in self.workers:
            w["replies"].clear()
        for i, w in enumerate(self.workers):
            w["process"].stdin.write(f"{verb} {arg}{'.' + str(i) if arg else ''}\n")
            w["process"].stdin.flush()
        deadline = time.monotonic() + 30
        while any(not w["replies"] for w in self.workers):
            if time.monotonic() > deadline:
                sys.exit(f"workers did not answer {verb}")
            time.sleep(0.05)
        return [f"{arg}.{i}" for i in range(len(self.workers))]

    def samples(self, path):
        latencies, rounds = array.array("d"), array.array("i")
        for stem in self.command("dump", path):
            with open(stem + ".lat", "rb") as f:
                latencies.frombytes(f.read())
            with open(stem + ".round", "rb") as f:
                rounds.frombytes(f.read())
        return latencies, rounds

    def pids(self):
        return [w["process"].pid for w in self.workers]

    def stop(self):
        for w in self.workers:
            w["process"].terminate()
        for w in self.workers:
            w["process"].wait(timeout=30)


def open_sessions(server, count, args, workdir, request=False):
    started = time.monotonic()
    receivers = Receivers(server, count, args.workers, workdir, request)
    receivers.wait("ready", count, args.open_timeout, "sessions ready")
    if request:
        receivers.wait("pids", count, args.open_timeout, "bench processes started")
    print(f"  {server.name}: {count} sessions ready in {time.monotonic() - started:.1f} s", flush=True)
    return receivers


def make_server(name, args, workdir):
    return WSENode(args, workdir) if name == "wse" else Nchan(args, workdir)


def record(args, result):
    result["date"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with open(args.results, "a") as f:
        f.write(json.dumps(result) + "\n")
    print("  " + json.dumps({k: v for k, v in result.items() if not k.startswith("_")}), flush=True)


def pushes(args, workdir):
    """Per-pid pushes: K sessions each with one bench process; publishers push to the pids at a target rate."""
    server = WSENode(args, workdir)
    receivers = None
    try:
        receivers = open_sessions(server, args.sessions, args, workdir, request=True)
        pid_file = os.path.join(workdir, "pids")
        with open(pid_file, "w") as out:
            for stem in receivers.command("pids", os.path.join(workdir, "pids-part")):
                out.write(open(stem).read())
        ours = lambda: server.pids() + receivers.pids() + [os.getpid()]
        for run in range(args.runs):
            for rate in (float(r) for r in args.rates.split(",")):
                quiet = quiet_wait(ours, args.quiet_pct, args.quiet_max)
                receivers.command("reset")
                before = receivers.total("received")
                window = CPUWindow({"node": server.pids, "receivers": receivers.pids})
                publishers = [subprocess.Popen(
                    [sys.executable, os.path.join(HERE, "publisher.py"), "pid", "--port", str(server.port), "--key", server.key,
                     "--pids", pid_file, "--rate", str(rate / args.publishers), "--duration", str(args.seconds),
                     "--connections", str(args.connections), "--batch", str(args.batch)], stdout=subprocess.PIPE, text=True)
                    for _ in range(args.publishers)]
                window.start()
                outputs = [json.loads(p.communicate(timeout=args.seconds + 120)[0].strip().splitlines()[-1]) for p in publishers]
                delivered = sum(o["delivered"] for o in outputs)
                deadline = time.monotonic() + 10
                while receivers.total("received") - before < delivered and time.monotonic() < deadline:
                    time.sleep(0.1)
                cpu = window.stop(extra_seconds=sum(o["cpu_s"] for o in outputs))
                cpu["publishers_cpu_s"] = round(sum(o["cpu_s"] for o in outputs), 2)
                received = receivers.total("received") - before
                latencies, _ = receivers.samples(os.path.join(workdir, "lat"))
                values = sorted(latencies)
                sent = sum(o["sent"] for o in outputs)
                statuses = {}
                for o in outputs:
                    for k, v in o["statuses"].items():
                        statuses[k] = statuses.get(k, 0) + v
                elapsed = max(o["elapsed"] for o in outputs)
                record(args, {"scenario": "pushes", "server": "wse", "run": run + 1, "sessions": args.sessions,
                              "target_rate": rate, "publishers": args.publishers, "connections_each": args.connections,
                              "batch": args.batch,
                              "sent": sent, "statuses": statuses, "achieved_per_s": round(sent / elapsed),
                              "accepted_per_s": round(statuses.get("202", 0) / elapsed), "delivered": delivered,
                              "received": received, "lost": delivered - received,
                              "p50_ms": ms(percentile(values, 0.5)), "p99_ms": ms(percentile(values, 0.99)),
                              "max_ms": ms(values[-1] if values else None),
                              "post_ms_p50": median(o["post_ms_p50"] for o in outputs),
                              "post_ms_p99": max(o["post_ms_p99"] or 0 for o in outputs),
                              "node_cpu_us_per_push": round(1e6 * cpu["_used"]["node"] / max(1, sent), 1), **quiet, **cpu})
    finally:
        if receivers:
            receivers.stop()
        server.stop()


def fanout_runs(args, workdir):
    """For each run and each peer: a started server with args.subscribers open sessions on one
    user / channel, once the machine is quiet. Yields (run, name, server, receivers, quiet, post)
    where post is the server's (path, headers, body template) for a fan-out publish; stops both after."""
    for run in range(args.runs):
        for name in args.peers.split(","):
            server = make_server(name, args, workdir)
            receivers = None
            try:
                receivers = open_sessions(server, args.subscribers, args, workdir)
                ours = lambda: server.pids() + receivers.pids() + [os.getpid()]
                quiet = quiet_wait(ours, args.quiet_pct, args.quiet_max)
                receivers.command("reset")
                yield run, name, server, receivers, quiet, server.fanout_post()
            finally:
                if receivers:
                    receivers.stop()
                server.stop()


def fanout(args, workdir):
    """One channel / one user with many sessions; one publish per second; latency per round."""
    for run, name, server, receivers, quiet, (path, headers, template) in fanout_runs(args, workdir):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        window = CPUWindow({"server": server.pids, "receivers": receivers.pids})
        window.start()
        post_times, statuses = [], {}
        start = time.monotonic() + 0.5
        before = receivers.total("received")
        for r in range(args.rounds):
            while time.monotonic() < start + r:
                time.sleep(0.001)
            t = time.monotonic()
            conn.request("POST", path, body=template.replace("{t}", repr(t)).replace("{r}", str(r)),
                         headers={"Content-Type": "application/json", **headers})
            response = conn.getresponse()
            response.read()
            post_times.append(time.monotonic() - t)
            statuses[response.status] = statuses.get(response.status, 0) + 1
        expected = args.rounds * args.subscribers
        deadline = time.monotonic() + 15
        while receivers.total("received") - before < expected and time.monotonic() < deadline:
            time.sleep(0.1)
        cpu = window.stop()
        latencies, rounds = receivers.samples(os.path.join(workdir, "lat"))
        per_round = [[] for _ in range(args.rounds)]
        for latency, r in zip(latencies, rounds):
            if 0 <= r < args.rounds:
                per_round[r].append(latency)
        stats = []
        for values in per_round:
            values.sort()
            stats.append({"n": len(values), "p50": ms(percentile(values, 0.5)), "p99": ms(percentile(values, 0.99)),
                          "max": ms(values[-1] if values else None)})
        pooled = sorted(latencies)
        record(args, {"scenario": "fanout", "server": name, "run": run + 1, "subscribers": args.subscribers,
                      "rounds": args.rounds, "delivered": len(latencies), "expected": expected,
                      "lost": expected - len(latencies), "statuses": statuses,
                      "p50_ms": median(s["p50"] for s in stats), "p99_ms": median(s["p99"] for s in stats),
                      "max_ms": median(s["max"] for s in stats), "pooled_p99_ms": ms(percentile(pooled, 0.99)),
                      "worst_max_ms": ms(pooled[-1] if pooled else None),
                      "post_ms_median": ms(median(post_times)), "post_ms_max": ms(max(post_times)),
                      "server_cpu_ms_per_fanout": round(1000 * cpu["_used"]["server"] / args.rounds, 1),
                      "per_round": stats, **quiet, **cpu})


def tput(args, workdir):
    """Closed-loop publishing to many sessions of one user / one channel for a fixed time: deliveries per second."""
    for run, name, server, receivers, quiet, (path, headers, template) in fanout_runs(args, workdir):
        cmd = [sys.executable, os.path.join(HERE, "publisher.py"), "loop", "--port", str(server.port), "--path", path,
               "--body-template", template.replace("{r}", "-1"), "--duration", str(args.seconds),
               "--counters", receivers.counters, "--subscribers", str(args.subscribers),
               "--connections", str(args.connections)]
        if "Authorization" in headers:
            cmd += ["--key", headers["Authorization"].split()[1]]
        before = receivers.total("received")
        window = CPUWindow({"server": server.pids, "receivers": receivers.pids})
        window.start()
        publisher = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        out = json.loads(publisher.communicate(timeout=args.seconds + 60)[0].strip().splitlines()[-1])
        received_in_window = receivers.total("received") - before
        cpu = window.stop(extra_seconds=out["cpu_s"])
        cpu["publisher_cpu_pct"] = round(100 * out["cpu_s"] / cpu["window_s"], 1)
        expected = out["statuses"].get("202", 0) * args.subscribers if name == "wse" else \
            sum(v for k, v in out["statuses"].items() if k.startswith("2")) * args.subscribers
        deadline = time.monotonic() + 15
        while receivers.total("received") - before < expected and time.monotonic() < deadline:
            time.sleep(0.1)
        received = receivers.total("received") - before
        record(args, {"scenario": "tput", "server": name, "run": run + 1, "subscribers": args.subscribers,
                      "publishes": out["sent"], "statuses": out["statuses"], "stalls": out["stalls"],
                      "publishes_per_s": round(out["sent"] / out["elapsed"]),
                      "deliveries_per_s": round(received_in_window / cpu["window_s"]),
                      "expected": expected, "received": received, "lost": expected - received,
                      "post_ms_p50": out["post_ms_p50"], "post_ms_p99": out["post_ms_p99"],
                      "server_cpu_us_per_delivery": round(1e6 * cpu["_used"]["server"] / max(1, received_in_window), 2),
                      "receivers_cpu_us_per_delivery": round(1e6 * cpu["_used"]["receivers"] / max(1, received_in_window), 2),
                      **quiet, **cpu})


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--wse-binary", default=os.path.join(HERE, "..", "..", ".build-release", "release", "wse"))
    p.add_argument("--wse-port", type=int, default=18650)
    p.add_argument("--connector-port", type=int, default=18651)
    p.add_argument("--nchan-port", type=int, default=18610)
    p.add_argument("--workers", type=int, default=4, help="receiver processes")
    p.add_argument("--open-timeout", type=float, default=240)
    p.add_argument("--quiet-pct", type=float, default=30, help="foreign CPU (%% of one core) counted as quiet")
    p.add_argument("--quiet-max", type=float, default=60, help="longest wait for quiet before a timed phase (s)")
    p.add_argument("--results", default=os.path.join(HERE, "results.jsonl"))
    p.add_argument("--runs", type=int, default=2)
    sub = p.add_subparsers(dest="scenario", required=True)
    s = sub.add_parser("pushes")
    s.add_argument("--sessions", type=int, default=1000)
    s.add_argument("--rates", default="10000", help="target pushes/s, comma-separated")
    s.add_argument("--seconds", type=float, default=10)
    s.add_argument("--publishers", type=int, default=3)
    s.add_argument("--connections", type=int, default=8, help="keep-alive connections per publisher")
    s.add_argument("--batch", type=int, default=1, help="pushes per POST (more than 1: connector IN's batch form)")
    s = sub.add_parser("fanout")
    s.add_argument("--peers", default="wse,nchan")
    s.add_argument("--subscribers", type=int, default=10000)
    s.add_argument("--rounds", type=int, default=20)
    s = sub.add_parser("tput")
    s.add_argument("--peers", default="wse,nchan")
    s.add_argument("--subscribers", type=int, default=1000)
    s.add_argument("--seconds", type=float, default=10)
    s.add_argument("--connections", type=int, default=4)
    args = p.parse_args()
    args.wse_binary = os.path.abspath(args.wse_binary)
    with tempfile.TemporaryDirectory(prefix="wse-bench-") as workdir:
        print(f"{args.scenario}: {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, load {os.getloadavg()}", flush=True)
        {"pushes": pushes, "fanout": fanout, "tput": tput}[args.scenario](args, workdir)


if __name__ == "__main__":
    main()
