"""The cluster benchmark (issue 8, "Benchmarks"): `wse demo --cluster N` behind nginx, measured from outside.

    python3 bench/cluster/cluster.py --wse-binary .build/release/wse pushes   [--sessions 1000] [--rates 2000,4000]
    python3 bench/cluster/cluster.py --wse-binary ... fanout   [--subscribers 3000] [--rounds 20]
    python3 bench/cluster/cluster.py --wse-binary ... failover [--sessions 10000] [--push-interval 0.5]
    python3 bench/cluster/cluster.py --wse-binary ... --workers 6 sessions [--sessions 57000] [--store shared]

`pushes`: per-pid pushes through nginx, side by side in one run: 1 node vs 3 nodes, `memory` vs `shared`
session store (`wse demo --cluster N --session-store S`), each on a fresh demo. `fanout`: sessions of alice
spread over 3 nodes, one user push a second, push-to-receipt p50/p99. `failover`: sessions of alice, bob and
carol spread over 3 nodes, user pushes all along, `kill -9` of one node: time from the kill until each of its
sessions is resumed elsewhere, and events lost (202 `delivered` vs received, `seq` gaps, duplicates); with
the nodes' RSS before and after the sessions opened (memory per session). `sessions`: only that ramp, at
scale (3 nodes x 19,000 by default), with nginx's RSS too, and how many sessions are still open after a while. Reuses bench/node's receivers,
publishers and bench connector; the failover clients are this file run as `failover-worker`.
Everything started here is stopped by PID. See bench/cluster/README.md.
"""
import argparse
import array
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "node"))
sys.path.insert(0, os.path.join(HERE, "..", "ws"))
import bench  # noqa: E402  (bench/node/bench.py)

USERS = ["alice", "bob", "carol"]


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class ClusterDemo:
    """`wse demo --cluster N --session-store S` on PORT, users logged in, the bench service registered
    through the admin API and waited for on every node."""

    def __init__(self, args, workdir, nodes, store):
        self.name = f"{nodes} node{'s' if nodes > 1 else ''}/{store}"
        self.port = args.port
        self.key = "ck_bench_" + os.urandom(16).hex()
        self.log = open(os.path.join(workdir, f"demo-{nodes}-{store}-{time.time_ns()}.log"), "w")
        self.process = subprocess.Popen(
            [args.wse_binary, "demo", "--cluster", str(nodes), "--session-store", store, "--port", str(self.port),
             "--max-sessions-per-user", "0"],
            stdout=subprocess.PIPE, stderr=self.log, text=True, preexec_fn=bench.raise_nofile, start_new_session=True)
        self.admin_token, self.nodes, self.logs = None, [], {}  # nodes: (id, url, pid); logs: id -> the node's log file
        for line in self.process.stdout:
            self.log.write(line)
            words = line.split()
            if "admin token" in line:
                self.admin_token = words[2]
            if len(words) >= 4 and words[0].startswith("node") and words[2] == "pid":
                self.nodes.append((words[0], words[1], int(words[3])))
                self.logs[words[0]] = words[5] if len(words) >= 6 and words[4] == "log" else None
            if line.strip().startswith("PostgreSQL"):
                break
        threading.Thread(target=lambda: [self.log.write(l) for l in self.process.stdout], daemon=True).start()
        if not self.admin_token or len(self.nodes) != nodes:
            self.stop()
            sys.exit(f"wse demo --cluster {nodes} printed no admin token or not {nodes} node lines (log {self.log.name})")
        bench.wait_for_port(self.port, 60, self.process)
        self.tokens = {}
        for user in USERS:
            status, body = bench.http_json(self.port, "POST", "/idp/token", {"username": user, "password": "demo"})
            if status != 200:
                sys.exit(f"login of {user} failed: {status} {body!r}")
            self.tokens[user] = json.loads(body)["access_token"]
        self.token = self.tokens["alice"]
        self.connector = bench.BenchConnector(args.connector_port)
        service = {"id": "bench", "kind": "basic", "endpoint": f"http://127.0.0.1:{args.connector_port}",
                   "connectorKey": self.key, "timeout": 5, "access": {"roles": ["subscriber"]}}
        admin = {"Authorization": f"Bearer {self.admin_token}"}
        status, body = bench.http_json(self.port, "PUT", "/admin/v1/services/bench", service, admin)
        if status not in (200, 201, 204):
            sys.exit(f"registering the bench service failed: {status} {body!r}")
        # A change through one node is in force on the others within about a second: wait until each has it.
        deadline = time.monotonic() + 10
        for _, url, _ in self.nodes:
            port = int(url.rsplit(":", 1)[1])
            while bench.http_json(port, "GET", "/admin/v1/services/bench", None, admin)[0] != 200:
                if time.monotonic() > deadline:
                    sys.exit(f"the bench service is not on {url} 10 s after its PUT")
                time.sleep(0.1)

    def pids(self):
        return [pid for _, _, pid in self.nodes]

    def log_lines(self, text):
        """How many lines of the nodes' logs contain `text`; None when no log could be read."""
        count, read = 0, False
        for path in self.logs.values():
            try:
                with open(path, errors="replace") as f:
                    count += sum(1 for line in f if text in line)
                read = True
            except (OSError, TypeError):
                pass
        return count if read else None

    def worker_args(self, request):
        return ["--wse", self.token] + (["--request", "bench"] if request else [])

    def forwarded(self):
        """Per-pid pushes each node forwarded to another (`wse_cluster_forwarded_pushes_total` on its /metrics)."""
        counts = {}
        for nid, url, _ in self.nodes:
            status, body = bench.http_json(int(url.rsplit(":", 1)[1]), "GET", "/metrics", None,
                                           {"Authorization": f"Bearer {self.admin_token}"})
            lines = [l for l in body.decode().splitlines() if l.startswith("wse_cluster_forwarded_pushes_total ")]
            counts[nid] = int(float(lines[0].split()[-1])) if status == 200 and lines else None
        return counts

    def node_sessions(self):
        status, body = bench.http_json(self.port, "GET", "/admin/v1/nodes", None, {"Authorization": f"Bearer {self.admin_token}"})
        return {n["id"]: n for n in json.loads(body)["nodes"]} if status == 200 else {}

    def stop(self):
        if getattr(self, "connector", None):
            self.connector.stop()
        self.process.terminate()  # the demo stops nginx, its nodes and PostgreSQL by their PIDs
        try:
            self.process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)


def percentiles(values):
    values = sorted(values)
    return {"p50_ms": bench.ms(bench.percentile(values, 0.5)), "p99_ms": bench.ms(bench.percentile(values, 0.99)),
            "max_ms": bench.ms(values[-1] if values else None), "samples": len(values)}


def routed_target(callback):
    """The request target (path and query) of a process's callback: its query carries the routing hint."""
    parts = urllib.parse.urlsplit(callback)
    return parts.path + ("?" + parts.query if parts.query else "")


def pushes(args, workdir):
    """Per-pid pushes through nginx, for each (nodes, store) in turn, on a fresh cluster each. Each push goes to
    its process's callback (with the routing hint of the node that started it); with --unhinted, 3 nodes are also
    measured with every push to the plain connector IN URL (nginx picks any node, which forwards)."""
    runs = [(1, "memory", True), (1, "shared", True), (3, "memory", True), (3, "shared", True)]
    if args.unhinted:
        runs += [(3, "memory", False), (3, "shared", False)]
    for nodes, store, hinted in runs:
        server = ClusterDemo(args, workdir, nodes, store)
        receivers = None
        try:
            receivers = bench.open_sessions(server, args.sessions, args, workdir, request=True)
            pid_file = os.path.join(workdir, "pids")
            with open(pid_file, "w") as out:
                for stem in receivers.command("pids", os.path.join(workdir, "pids-part")):
                    for pid in open(stem).read().split():
                        callback = server.connector.callbacks.get(pid) if hinted else None
                        out.write(f"{pid} {routed_target(callback)}\n" if callback else f"{pid}\n")
            spread = {k: v["sessions"] for k, v in server.node_sessions().items()}
            for rate in (float(r) for r in args.rates.split(",")):
                receivers.command("reset")
                before = receivers.total("received")
                forwarded_before = server.forwarded()
                load = os.getloadavg()[0]
                window = bench.CPUWindow({"nodes": server.pids, "receivers": receivers.pids})
                publishers = [subprocess.Popen(
                    [sys.executable, os.path.join(HERE, "..", "node", "publisher.py"), "pid", "--port", str(server.port),
                     "--key", server.key, "--pids", pid_file, "--rate", str(rate / args.publishers),
                     "--duration", str(args.seconds), "--connections", str(args.connections)],
                    stdout=subprocess.PIPE, text=True) for _ in range(args.publishers)]
                window.start()
                outputs = [json.loads(p.communicate(timeout=args.seconds + 120)[0].strip().splitlines()[-1]) for p in publishers]
                delivered = sum(o["delivered"] for o in outputs)
                deadline = time.monotonic() + 10
                while receivers.total("received") - before < delivered and time.monotonic() < deadline:
                    time.sleep(0.1)
                cpu = window.stop(extra_seconds=sum(o["cpu_s"] for o in outputs))
                forwarded = {nid: (n - forwarded_before[nid]) if n is not None and forwarded_before.get(nid) is not None else None
                             for nid, n in server.forwarded().items()}
                received = receivers.total("received") - before
                latencies, _ = receivers.samples(os.path.join(workdir, "lat"))
                sent = sum(o["sent"] for o in outputs)
                statuses = {}
                for o in outputs:
                    for k, v in o["statuses"].items():
                        statuses[k] = statuses.get(k, 0) + v
                elapsed = max(o["elapsed"] for o in outputs)
                bench.record(args, {"scenario": "cluster-pushes", "nodes": nodes, "store": store, "hinted": hinted,
                                    "forwarded": forwarded, "sessions": args.sessions,
                                    "sessions_per_node": spread, "target_rate": rate, "sent": sent, "statuses": statuses,
                                    "accepted_per_s": round(statuses.get("202", 0) / elapsed), "delivered": delivered,
                                    "received": received, "lost": delivered - received, **percentiles(latencies),
                                    "load1": load, **cpu})
        finally:
            if receivers:
                receivers.stop()
            server.stop()


def fanout(args, workdir):
    """One user push a second to alice, whose sessions are spread over three nodes."""
    for store in ("memory", "shared"):
        server = ClusterDemo(args, workdir, 3, store)
        receivers = None
        try:
            receivers = bench.open_sessions(server, args.subscribers, args, workdir)
            spread = {k: v["sessions"] for k, v in server.node_sessions().items()}
            receivers.command("reset")
            before = receivers.total("received")
            load = os.getloadavg()[0]
            delivered, statuses, per_round = 0, {}, []
            for r in range(args.rounds):
                body = {"user": "alice", "service": "bench", "data": {"t": time.monotonic(), "r": r, "p": bench.PAD}}
                status, reply = bench.http_json(server.port, "POST", "/connector/in/v1/events", body,
                                                {"Authorization": f"Bearer {server.key}"})
                statuses[status] = statuses.get(status, 0) + 1
                if status == 202:
                    delivered += json.loads(reply)["delivered"]
                    per_round.append(json.loads(reply)["delivered"])
                time.sleep(1)
            deadline = time.monotonic() + 10
            while receivers.total("received") - before < delivered and time.monotonic() < deadline:
                time.sleep(0.1)
            received = receivers.total("received") - before
            latencies, _ = receivers.samples(os.path.join(workdir, "lat"))
            bench.record(args, {"scenario": "cluster-fanout", "nodes": 3, "store": store, "subscribers": args.subscribers,
                                "sessions_per_node": spread, "rounds": args.rounds, "statuses": statuses,
                                "delivered_per_push_min": min(per_round, default=0), "delivered": delivered,
                                "received": received, "lost": delivered - received, **percentiles(latencies), "load1": load})
        finally:
            if receivers:
                receivers.stop()
            server.stop()


class FailoverWorkers:
    """failover-worker processes (this file), with their latest status lines."""

    def __init__(self, server, total, processes):
        self.workers = []
        for w in range(processes):
            count = total // processes + (1 if w < total % processes else 0)
            cmd = [sys.executable, os.path.abspath(__file__), "failover-worker", "--port", str(server.port), "--count", str(count)]
            cmd += sum((["--source-ip", f"127.0.0.{70 + 4 * w + k}"] for k in range(4)), [])
            cmd += sum((["--token", f"{u}={t}"] for u, t in server.tokens.items()), [])
            process = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, preexec_fn=bench.raise_nofile)
            worker = {"process": process, "status": {}, "replies": []}
            threading.Thread(target=self.read, args=(worker,), daemon=True).start()
            self.workers.append(worker)

    @staticmethod
    def read(worker):
        for line in worker["process"].stdout:
            message = json.loads(line)
            (worker["replies"].append(message) if "done" in message else worker.__setitem__("status", message))

    def total(self, field):
        return sum(w["status"].get(field, 0) for w in self.workers)

    def reset(self):
        """Forgets drops and resumes so far (those of the ramp), so that only the kill's are counted."""
        for w in self.workers:
            w["replies"].clear()
            w["process"].stdin.write("reset\n")
            w["process"].stdin.flush()
        while any(not w["replies"] for w in self.workers):
            time.sleep(0.05)
        time.sleep(0.6)  # a status line after the reset

    def dump(self, path):
        for w in self.workers:
            w["replies"].clear()
        for i, w in enumerate(self.workers):
            w["process"].stdin.write(f"dump {path}.{i}\n")
            w["process"].stdin.flush()
        while any(not w["replies"] for w in self.workers):
            time.sleep(0.05)
        resumed = array.array("d")
        for i in range(len(self.workers)):
            with open(f"{path}.{i}", "rb") as f:
                resumed.frombytes(f.read())
        return resumed

    def pids(self):
        return [w["process"].pid for w in self.workers]

    def stop(self):
        for w in self.workers:
            w["process"].terminate()
        for w in self.workers:
            w["process"].wait(timeout=30)


def nginx_pids(demo_pid):
    """The demo's nginx processes (master and workers): its descendants named nginx."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
                name = open(f"/proc/{entry}/comm").read().strip()
            except OSError:
                continue
            parents[int(entry)] = (int(fields[1]), name)

    def descends(pid):
        while pid in parents and pid > 1:
            pid = parents[pid][0]
            if pid == demo_pid:
                return True
        return False

    return [pid for pid, (_, name) in parents.items() if name == "nginx" and descends(pid)]


def open_logged_in(server, args):
    """`--sessions` logged-in sessions through nginx from `--workers` client processes; each node's RSS before and
    after, and its session count from `GET /admin/v1/nodes`. Returns the workers, sessions ready, ramp seconds, the
    node list and the memory figures."""
    time.sleep(2)  # the nodes settle after the bench service's registration
    rss_before = {nid: rss_kib(pid) for nid, _, pid in server.nodes}
    nginx_before = sum(rss_kib(pid) for pid in nginx_pids(server.process.pid))
    started = time.monotonic()
    workers = FailoverWorkers(server, args.sessions, args.workers)
    while workers.total("ready") < args.sessions and time.monotonic() - started < args.open_timeout:
        time.sleep(1)
    ready, ramp = workers.total("ready"), round(time.monotonic() - started, 1)
    time.sleep(3)  # heartbeats carry the session counts
    spread = server.node_sessions()
    rss_after = {nid: rss_kib(pid) for nid, _, pid in server.nodes}
    nginx_pid_list = nginx_pids(server.process.pid)
    nginx_after = sum(rss_kib(pid) for pid in nginx_pid_list)
    memory = {nid: {"sessions": spread.get(nid, {}).get("sessions"), "rss_mib_before": round(rss_before[nid] / 1024, 1),
                    "rss_mib_after": round(rss_after[nid] / 1024, 1),
                    "kib_per_session": round((rss_after[nid] - rss_before[nid]) / max(1, spread.get(nid, {}).get("sessions") or 1), 1)}
              for nid in rss_before}
    memory["nginx"] = {"processes": len(nginx_pid_list), "rss_mib_before": round(nginx_before / 1024, 1),
                       "rss_mib_after": round(nginx_after / 1024, 1), "kib_per_session": round((nginx_after - nginx_before) / max(1, ready), 1)}
    print(f"  {ready} of {args.sessions} sessions ready in {ramp} s; {json.dumps(memory)}", flush=True)
    return workers, ready, ramp, spread, memory


def sessions(args, workdir):
    """Logged-in sessions on one box: `--sessions` over three nodes through nginx; RSS per node, memory per session."""
    server = ClusterDemo(args, workdir, 3, args.store)
    workers = None
    try:
        workers, ready, ramp, spread, memory = open_logged_in(server, args)
        time.sleep(args.hold)
        bench.record(args, {
            "scenario": "cluster-sessions", "nodes": 3, "store": args.store, "sessions": args.sessions, "sessions_ready": ready,
            "ramp_s": ramp, "client_processes": args.workers, "sessions_per_node": {nid: n.get("sessions") for nid, n in spread.items()},
            "dropped": workers.total("dropped"),
            "failed_connects": workers.total("failed"), "errors": workers.total("errors"),
            "nodes_kib_per_session": round(sum((memory[nid]["rss_mib_after"] - memory[nid]["rss_mib_before"]) * 1024 for nid, _, _ in server.nodes)
                                           / max(1, sum(memory[nid]["sessions"] or 0 for nid, _, _ in server.nodes)), 1),
            "memory": memory, "load1": os.getloadavg()[0]})
    finally:
        if workers:
            workers.stop()
        server.stop()


def failover(args, workdir):
    """Sessions over three nodes, user pushes all along, `kill -9` of one node; resume times and losses."""
    server = ClusterDemo(args, workdir, 3, "shared")
    workers = None
    try:
        workers, ready, ramp, spread, memory = open_logged_in(server, args)

        tally = {"pushes": 0, "delivered": 0, "statuses": {}}
        stop = threading.Event()

        def push():
            n = 0
            while not stop.is_set():
                status, body = bench.http_json(server.port, "POST", "/connector/in/v1/events",
                                               {"user": USERS[n % 3], "service": "bench", "data": {"n": n}},
                                               {"Authorization": f"Bearer {server.key}"})
                tally["pushes"] += 1
                tally["statuses"][status] = tally["statuses"].get(status, 0) + 1
                if status == 202:
                    tally["delivered"] += json.loads(body)["delivered"]
                n += 1
                stop.wait(args.push_interval)

        pusher = threading.Thread(target=push, daemon=True)
        pusher.start()
        time.sleep(5)
        victim_id, _, victim_pid = server.nodes[-1]
        victim_sessions = spread.get(victim_id, {}).get("sessions")
        load = os.getloadavg()[0]
        ramp_drops = workers.total("dropped")
        workers.reset()
        killed_at = time.monotonic()
        os.kill(victim_pid, signal.SIGKILL)
        print(f"  kill -9 {victim_pid} ({victim_id}, {victim_sessions} sessions)", flush=True)
        deadline = killed_at + args.resume_timeout
        while time.monotonic() < deadline:
            if victim_sessions and workers.total("resumed") + workers.total("fresh") >= victim_sessions:
                break
            time.sleep(0.5)
        time.sleep(5)  # pushes after every resume
        stop.set()
        pusher.join()
        time.sleep(5)  # the last events arrive
        resumed = workers.dump(os.path.join(workdir, "resumed"))
        waits = [t - killed_at for t in resumed]
        bench.record(args, {
            "scenario": "cluster-failover", "nodes": 3, "store": "shared", "sessions": args.sessions, "sessions_ready": ready,
            "ramp_s": ramp, "dropped_before_kill": ramp_drops, "killed": victim_id, "killed_sessions": victim_sessions, "dropped": workers.total("dropped"),
            "resumed": workers.total("resumed"), "fresh_instead_of_resumed": workers.total("fresh"),
            "resume_min_ms": bench.ms(min(waits) if waits else None),
            "resume_p10_ms": bench.ms(bench.percentile(sorted(waits), 0.1)),
            "resume_" + "p50_ms": bench.ms(bench.percentile(sorted(waits), 0.5)),
            "resume_p99_ms": bench.ms(bench.percentile(sorted(waits), 0.99)),
            "resume_max_ms": bench.ms(max(waits) if waits else None),
            "pushes": tally["pushes"], "push_statuses": tally["statuses"], "delivered": tally["delivered"],
            "received": workers.total("events"), "lost": tally["delivered"] - workers.total("events"),
            "seq_gaps": workers.total("gaps"), "duplicates": workers.total("duplicates"), "errors": workers.total("errors"),
            # Take-overs that waited for a letGo answer from the dead node until the bus deadline (the nodes' log warnings).
            "letgo_timeouts": server.log_lines("did not let it go in time"),
            "takeover_failures": server.log_lines("cannot take a session over"),
            "node_log_errors": server.log_lines("error"),
            "memory": memory, "load1_at_kill": load})
    finally:
        if workers:
            workers.stop()
        server.stop()


def failover_worker():
    """One client process of `failover`: COUNT sessions over the tokens' users; checks every event's seq
    (a gap counts as lost, a repeat as duplicate), acks every 32; a connection the server side drops is
    resumed at once (`hello` + `resume`), again every 0.1 s until `welcome{resumed}`, whose time it keeps.
    stdin: `dump PATH` writes the resume times (time.monotonic(), native doubles)."""
    from wsclient import Stats, WSClientProtocol, run

    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--source-ip", action="append", required=True)
    p.add_argument("--token", action="append", required=True)
    p.add_argument("--batch", type=int, default=100)
    args = p.parse_args(sys.argv[2:])

    class Session:
        def __init__(self, user):
            self.user, self.id, self.last_seq, self.acked, self.protocol, self.resuming = user, None, 0, 0, None, False

    class Protocol(WSClientProtocol):
        def connection_lost(self, exc):
            super().connection_lost(exc)
            session = self.session
            if session.protocol is self and not stop.is_set() and session.id is not None:
                if not session.resuming:
                    tally["dropped"] += 1
                    session.resuming = True
                loop.call_later(0 if self.upgraded else 0.1, lambda: asyncio.ensure_future(connect(session)))

    async def main():
        nonlocal loop
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        tokens = dict(t.split("=", 1) for t in args.token)
        users = sorted(tokens)
        sessions = [Session(users[i % len(users)]) for i in range(args.count)]
        for i, s in enumerate(sessions):
            s.ip = args.source_ip[i % len(args.source_ip)]

        def on_message(protocol, payload, received):
            session = protocol.session
            message = json.loads(payload)
            kind = message.get("type")
            if kind == "event":
                seq = message["seq"]
                if seq <= session.last_seq:
                    tally["duplicates"] += 1
                    return
                tally["gaps"] += seq - session.last_seq - 1
                tally["events"] += 1
                session.last_seq = seq
                if seq - session.acked >= 32:
                    protocol.send_text(json.dumps({"type": "ack", "seq": seq}))
                    session.acked = seq
            elif kind == "welcome":
                if session.resuming:
                    session.resuming = False
                    if message.get("resumed"):
                        tally["resumed"] += 1
                        resumed_at.append(received)
                    else:
                        tally["fresh"] += 1
                session.id = message["session"]
            elif kind == "error":
                tally["errors"] += 1

        async def connect_one(session):
            hello = {"type": "hello", "token": tokens[session.user]}
            if session.id is not None:
                hello["resume"] = {"session": session.id, "lastSeq": session.last_seq}

            def make():
                protocol = Protocol(f"{args.host}:{args.port}", "/wse", stats, hello, None, on_message)
                protocol.session = session
                session.protocol = protocol
                return protocol

            try:
                await loop.create_connection(make, args.host, args.port, local_addr=(session.ip, 0))
            except OSError:
                stats.failed += 1
                if session.id is not None and not stop.is_set():
                    loop.call_later(0.1, lambda: asyncio.ensure_future(connect_one(session)))

        nonlocal connect
        connect = connect_one
        for start in range(0, args.count, args.batch):
            await asyncio.gather(*(connect_one(s) for s in sessions[start:start + args.batch]))

        def command():
            line = sys.stdin.readline()
            if not line:
                stop.set()
                return
            verb, _, arg = line.strip().partition(" ")
            if verb == "reset":
                del resumed_at[:]
                for key in ("dropped", "resumed", "fresh"):
                    tally[key] = 0
            elif verb == "dump":
                with open(arg, "wb") as f:
                    resumed_at.tofile(f)
            print(json.dumps({"done": verb}), flush=True)

        loop.add_reader(sys.stdin.fileno(), command)
        while not stop.is_set():
            print(json.dumps({"ready": sum(1 for s in sessions if s.id is not None), "failed": stats.failed, **tally}), flush=True)
            try:
                await asyncio.wait_for(stop.wait(), 0.5)
            except asyncio.TimeoutError:
                pass

    loop, connect = None, None
    stats = Stats()
    stop = asyncio.Event()
    tally = {"events": 0, "gaps": 0, "duplicates": 0, "dropped": 0, "resumed": 0, "fresh": 0, "errors": 0}
    resumed_at = array.array("d")
    run(main)


def main():
    if sys.argv[1:2] == ["failover-worker"]:
        return failover_worker()
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--wse-binary", default=os.path.join(HERE, "..", "..", ".build", "release", "wse"))
    p.add_argument("--port", type=int, default=18670, help="nginx (the demo's port)")
    p.add_argument("--connector-port", type=int, default=18671)
    p.add_argument("--workers", type=int, default=4, help="client processes")
    p.add_argument("--open-timeout", type=float, default=300)
    p.add_argument("--results", default=os.path.join(HERE, "results.jsonl"))
    sub = p.add_subparsers(dest="scenario", required=True)
    s = sub.add_parser("pushes")
    s.add_argument("--sessions", type=int, default=1000)
    s.add_argument("--rates", default="2000,4000", help="target pushes/s, comma-separated")
    s.add_argument("--seconds", type=float, default=10)
    s.add_argument("--publishers", type=int, default=2)
    s.add_argument("--connections", type=int, default=8, help="keep-alive connections per publisher")
    s.add_argument("--unhinted", action="store_true", help="also 3 nodes with pushes to the plain connector IN URL")
    s = sub.add_parser("fanout")
    s.add_argument("--subscribers", type=int, default=3000)
    s.add_argument("--rounds", type=int, default=20)
    s = sub.add_parser("failover")
    s.add_argument("--sessions", type=int, default=10000)
    s.add_argument("--push-interval", type=float, default=0.5, help="seconds between user pushes (alice, bob, carol in turn)")
    s.add_argument("--resume-timeout", type=float, default=120)
    s = sub.add_parser("sessions")
    s.add_argument("--sessions", type=int, default=57000)
    s.add_argument("--store", default="shared", choices=["memory", "shared"])
    s.add_argument("--hold", type=float, default=10, help="seconds the sessions stay open after the count, before the drop count")
    args = p.parse_args()
    args.wse_binary = os.path.abspath(args.wse_binary)
    with tempfile.TemporaryDirectory(prefix="wse-cluster-bench-") as workdir:
        print(f"{args.scenario}: {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, load {os.getloadavg()}", flush=True)
        {"pushes": pushes, "fanout": fanout, "failover": failover, "sessions": sessions}[args.scenario](args, workdir)


if __name__ == "__main__":
    main()
