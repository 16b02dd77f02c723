"""The node's CPU per delivered fan-out event and per connector IN push, on a fixed sequential workload.

    python3 bench/cost/driver.py [--wse-binary PATH] [--sessions 500] [--fanouts 40] [--pushes 4000] [--batch 50] [--repeat 5]

Starts `wse demo` (release build), opens --sessions sessions of alice (bench/node/worker.py), each with one
running process of the bench service, then measures the CPU time the node's threads spent (the sum of
/proc/PID/task/*/schedstat, in ns, not the 10 ms ticks of /proc/PID/stat) over three phases, --repeat times:

- fanout: --fanouts user pushes `{"user":"alice","service":"bench","data":{…}}`, each delivered to every session;
  reported per delivered event;
- pushes: --pushes per-pid pushes `{"pid","data":{…},"final":false}`, one POST each, round robin over the pids;
  reported per push;
- batch: the same per-pid pushes, --batch of them per POST (the batch form); per push (skipped by a node
  without the batch form).

The POSTs go one at a time over one keep-alive connection and each phase ends when the receivers have every
event, so the figure is the whole path (HTTP, JSON, the mediator, the sessions, the frames, metrics) and
little else: the load generator's own CPU is not counted, and nothing else runs in the node. The minimum
over the repeats is the figure to compare (it is the least disturbed by other processes on the machine);
the median is printed too. Prints one JSON line and appends it to --results.

Why not instruction counts: valgrind 3.19 (Debian 12's) dies with an internal SIGSEGV while starting the
Swift 6 binary (`valgrind --tool=none wse --help` already; a small Swift program runs), and this VM exposes
no hardware performance counters to `perf`. CPU time per unit of work on a sequential workload is the
steadiest figure left; compare binaries in one invocation, alternating (see run.sh).
"""
import argparse
import glob
import http.client
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "node"))
import bench  # noqa: E402  (WSENode, Receivers, PAD)


def cpu_ns(pid):
    """CPU time of every thread of `pid` so far, in ns (the first field of each thread's schedstat)."""
    total = 0
    for path in glob.glob(f"/proc/{pid}/task/*/schedstat"):
        try:
            total += int(open(path).read().split()[0])
        except (OSError, IndexError, ValueError):
            pass  # a thread that ended meanwhile
    return total


def post(conn, key, body, refused_ok=False):
    conn.request("POST", "/connector/in/v1/events", body=body,
                 headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"})
    response = conn.getresponse()
    data = response.read()
    if response.status == 400 and refused_ok:
        return None
    if response.status not in (200, 202):
        sys.exit(f"push refused: {response.status} {data!r}")
    return data


def wait_received(receivers, target, what):
    deadline = time.monotonic() + 300
    while receivers.total("received") < target:
        if time.monotonic() > deadline:
            sys.exit(f"{what}: only {receivers.total('received')} of {target} events arrived")
        time.sleep(0.05)


class Phases:
    """The three workloads, each measured in the node's CPU ns."""

    def __init__(self, args, node, receivers, pids):
        self.args, self.node, self.receivers, self.pids = args, node, receivers, pids
        self.conn = http.client.HTTPConnection("127.0.0.1", node.port, timeout=300)
        self.expected = receivers.total("received")

    def measure(self, what, send):
        """Runs `send` (which returns the events it caused), waits for them; returns the node's CPU ns, or None."""
        before = cpu_ns(self.node.process.pid)
        events = send()
        if events is None:
            return None
        self.expected += events
        wait_received(self.receivers, self.expected, what)
        return cpu_ns(self.node.process.pid) - before

    def fanout(self):
        template = '{"user":"alice","service":"bench","data":{"t":%r,"r":%d,"p":"' + bench.PAD + '"}}'

        def send():
            for r in range(self.args.fanouts):
                post(self.conn, self.node.key, template % (time.monotonic(), r))
            return self.args.fanouts * self.args.sessions
        return self.measure("fanout", send)

    BODY = '{"pid":"%s","data":{"t":%r,"r":-1},"final":false}'

    def pushes(self):
        def send():
            for i in range(self.args.pushes):
                post(self.conn, self.node.key, self.BODY % (self.pids[i % len(self.pids)], time.monotonic()))
            return self.args.pushes
        return self.measure("pushes", send)

    def batch(self):
        def send():
            sent = 0
            while sent < self.args.pushes:
                n = min(self.args.batch, self.args.pushes - sent)
                items = ",".join(self.BODY % (self.pids[(sent + k) % len(self.pids)], time.monotonic()) for k in range(n))
                if post(self.conn, self.node.key, "[" + items + "]", refused_ok=True) is None:
                    return None  # a node without the batch form
                sent += n
            return sent
        return self.measure("batch", send)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--wse-binary", default=os.path.join(HERE, "..", "..", ".build", "release", "wse"))
    p.add_argument("--sessions", type=int, default=500)
    p.add_argument("--fanouts", type=int, default=40)
    p.add_argument("--pushes", type=int, default=4000)
    p.add_argument("--batch", type=int, default=50, help="pushes per POST in the batch phase; 0 skips it")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--wse-port", type=int, default=18660)
    p.add_argument("--connector-port", type=int, default=18661)
    p.add_argument("--open-timeout", type=float, default=240)
    p.add_argument("--label", default="", help="a name for this binary in the results")
    p.add_argument("--results", default=os.path.join(HERE, "results.jsonl"))
    args = p.parse_args()
    args.wse_binary = os.path.abspath(args.wse_binary)
    workdir = tempfile.mkdtemp(prefix="wse-cost-")
    node = bench.WSENode(args, workdir)
    receivers = None
    try:
        receivers = bench.Receivers(node, args.sessions, args.workers, workdir, request=True)
        receivers.wait("ready", args.sessions, args.open_timeout, "sessions ready")
        receivers.wait("pids", args.sessions, args.open_timeout, "bench processes started")
        pids = []
        for stem in receivers.command("pids", os.path.join(workdir, "pids-part")):
            pids += open(stem).read().split()
        phases = Phases(args, node, receivers, pids)
        load = os.getloadavg()[0]
        samples = {"fanout_us_per_delivery": [], "push_us": [], "batch_push_us": []}
        for _ in range(args.repeat):
            samples["fanout_us_per_delivery"].append(phases.fanout() / 1000 / (args.fanouts * args.sessions))
            samples["push_us"].append(phases.pushes() / 1000 / args.pushes)
            if args.batch:
                ns = phases.batch()
                if ns is not None:
                    samples["batch_push_us"].append(ns / 1000 / args.pushes)
        result = {"scenario": "cost", "label": args.label, "binary": args.wse_binary, "sessions": args.sessions,
                  "fanouts": args.fanouts, "pushes": args.pushes, "batch": args.batch, "repeat": args.repeat,
                  "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                  "load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2)}
        for name, values in samples.items():
            if values:
                result[name] = round(min(values), 2)
                result[name + "_median"] = round(statistics.median(values), 2)
        with open(args.results, "a") as f:
            f.write(json.dumps(result) + "\n")
        print(json.dumps(result), flush=True)
    finally:
        if receivers:
            receivers.stop()
        node.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
