"""The paper's §4.1 on the wire: HTTP polling against WSE's WebSocket, in headless Chromium.

    python3 bench/poll-vs-ws/run.py            # the full sweep, ~8 minutes; writes docs/poll-vs-ws.png
    python3 bench/poll-vs-ws/run.py --quick    # a short sweep, ~2 minutes, for development

Starts a release `wse demo` (by PID), registers the benchmark's service through the admin API, starts
the update source (source.py) and dumpcap on the benchmark's ports, opens four pages in one headless
Chromium (polling every 1 s, every 5 s, long-polling, and wse.js), then changes bob's presence at
random times at each rate of the sweep. Afterwards it reads the pages' receipt
times with Selenium, labels every captured byte (wire.py), and writes the results as JSON, the tables
as Markdown and the plot (report.py). See README.md.
"""

import argparse
import http.client
import json
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

import report  # noqa: E402
import wire  # noqa: E402
from source import IdleConnector, PageServer, PresenceSource  # noqa: E402

SERVICE = "pbench"
FULL_PHASES = [(0.1, 150), (0.3, 90), (1, 90), (3, 60), (10, 60)]  # (changes per second, seconds)
QUICK_PHASES = [(0.2, 30), (1, 20), (10, 12)]
DRAIN_SECONDS = 6  # between phases, not counted: lets the 5 s poller see the last changes of a phase
LONG_POLL_WAIT = 25
START_TIMEOUT = 120


def default_binary():
    for candidate in (REPO / ".build-release" / "release" / "wse", REPO / ".build" / "release" / "wse"):
        if candidate.exists():
            return candidate
    return REPO / ".build" / "release" / "wse"


def http_json(port, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=json.dumps(body) if body is not None else None,
                       headers={"Content-Type": "application/json", **(headers or {})})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


class DemoNode:
    """`wse demo` on `port`, admitting the site's origin; stopped by PID (SIGTERM, then SIGKILL)."""

    def __init__(self, binary, port, origin, workdir):
        self.port = port
        self.output_path = workdir / "wse-demo.log"
        command = [str(binary), "demo", "--port", str(port), "--allow-origin", origin,
                   "--database", str(workdir / "wse-demo.sqlite"), "--log-level", "notice"]
        with open(self.output_path, "wb") as output:
            self.process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, cwd=workdir, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT
        while "Press Ctrl-C to stop." not in self.output():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                sys.exit(f"wse demo did not get ready; its output ({self.output_path}):\n{self.output()}")
            time.sleep(0.1)
        self.admin_token = next(line.split()[2] for line in self.output().splitlines() if "admin token" in line)

    def output(self):
        return self.output_path.read_text(errors="replace") if self.output_path.exists() else ""

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(30)


class Browser:
    """One headless Chromium (Selenium), one window per page, none of them throttled."""

    def __init__(self):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=800,600", "--no-first-run", "--disable-background-networking",
                     "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                     "--disable-backgrounding-occluded-windows"):
            options.add_argument(flag)
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.version = self.driver.capabilities.get("browserVersion", "?")
        self.windows = {}

    def open(self, name, url):
        if self.windows:
            self.driver.switch_to.new_window("window")
        self.driver.get(url)
        self.windows[name] = self.driver.current_window_handle

    def state(self, name):
        self.driver.switch_to.window(self.windows[name])
        return self.driver.execute_script(
            "return Object.assign({}, window.bench || {}, "
            "{clockSkewMs: Date.now() - (performance.timeOrigin + performance.now())})")

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        for name in self.windows:
            while not self.state(name).get("ready"):
                if time.monotonic() > deadline:
                    sys.exit(f"the page {name!r} did not get ready in {timeout} s: {self.state(name)}")
                time.sleep(0.2)

    def quit(self):
        self.driver.quit()


def run_phases(source, phases, seed):
    """Changes bob's presence at random times at each rate; returns each phase's window and versions.

    A phase of R changes/s for S seconds makes round(R x S) changes, each at a uniformly random time
    of the window: a Poisson process given its count, so that a slow phase is not left with a handful."""
    rng = random.Random(seed)
    done = []
    for rate, seconds in phases:
        start = time.time()
        end = start + seconds
        first = len(source.changes) + 1
        load_before = os.getloadavg()[0]
        for due in sorted(start + rng.uniform(0, seconds) for _ in range(max(1, round(rate * seconds)))):
            time.sleep(max(0.0, due - time.time()))
            source.change(rng)
        time.sleep(max(0.0, end - time.time()))
        done.append({"rate": rate, "seconds": seconds, "start": start, "end": end, "first": first,
                     "last": len(source.changes), "load": [load_before, os.getloadavg()[0]]})
        print(f"  {rate:g}/s for {seconds} s: {len(source.changes) - first + 1} changes "
              f"(load {load_before:.1f} -> {os.getloadavg()[0]:.1f})", flush=True)
        time.sleep(DRAIN_SECONDS)
    return done


def percentile(sorted_values, q):
    if not sorted_values:
        return None
    rank = max(0, min(len(sorted_values) - 1, int(-(-q * len(sorted_values) // 1)) - 1))  # nearest rank
    return sorted_values[rank]


def analyse(phases, modes, streams, change_times, states, node_port):
    """Per phase and mode: bytes and segments per change in the phase's window, and the delays."""
    results = []
    for phase in phases:
        versions = range(phase["first"], phase["last"] + 1)
        changes = len(versions)
        row = {key: phase[key] for key in ("rate", "seconds", "start", "end", "load")}
        row["changes"] = changes
        row["modes"] = {}
        for mode in modes:
            first_receipt = {}
            for version, stamp in states[mode["name"]]["receipts"]:
                first_receipt.setdefault(version, stamp)
            delays = sorted(first_receipt[v] - change_times[v] * 1000 for v in versions if v in first_receipt)
            on_wire = wire.first_on_wire(streams, mode["kind"], mode["port"], to_server=False)
            to_wire = sorted((on_wire[v] - change_times[v]) * 1000 for v in versions if v in on_wire)
            in_browser = sorted(first_receipt[v] - on_wire[v] * 1000 for v in versions
                                if v in on_wire and v in first_receipt)
            totals = wire.window_totals(streams, {mode["kind"]}, mode["port"], phase["start"], phase["end"])
            row["modes"][mode["name"]] = {
                "totals": totals,
                "seen": len(delays),
                "delay_ms": {"p50": percentile(delays, 0.5), "p99": percentile(delays, 0.99),
                             "max": delays[-1] if delays else None, "min": delays[0] if delays else None},
                # the delay in two parts: change -> the answer or frame carrying it on the wire -> the page's JS
                "to_wire_ms": {"p50": percentile(to_wire, 0.5), "p99": percentile(to_wire, 0.99)},
                "in_browser_ms": {"p50": percentile(in_browser, 0.5), "p99": percentile(in_browser, 0.99)},
            }
        pushed = wire.first_on_wire(streams, "push", node_port, to_server=True)
        push_delays = sorted((pushed[v] - change_times[v]) * 1000 for v in versions if v in pushed)
        row["push"] = wire.window_totals(streams, {"push"}, node_port, phase["start"], phase["end"])
        row["push_on_wire_ms"] = {"p50": percentile(push_delays, 0.5), "p99": percentile(push_delays, 0.99)}
        results.append(row)
    return results


def session_setup(streams, node_port, before):
    """The bytes of the browser's WebSocket session before the first phase: upgrade, hello, welcome."""
    return wire.window_totals(streams, {"ws"}, node_port, 0, before)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a short sweep (~2 minutes) for development")
    parser.add_argument("--phases", help="RATE:SECONDS,... instead of the built-in sweep, e.g. 0.5:30,5:20")
    parser.add_argument("--wse-binary", type=Path, default=default_binary(), help="a release build of wse")
    parser.add_argument("--port-base", type=int, default=18760,
                        help="node = BASE, pollers BASE+1..3, the WebSocket page's site BASE+4, connector BASE+5")
    parser.add_argument("--seed", type=int, default=41)
    parser.add_argument("--results", type=Path,
                        help="the JSON written (default: bench/poll-vs-ws/results/DATE.json; --quick, --phases: the work folder)")
    parser.add_argument("--plot", type=Path,
                        help="the PNG written (default: docs/poll-vs-ws.png; --quick, --phases: the work folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (capture, logs)")
    args = parser.parse_args()

    if args.phases:
        phases = [(float(rate), float(seconds)) for rate, seconds in
                  (item.split(":") for item in args.phases.split(","))]
    else:
        phases = QUICK_PHASES if args.quick else FULL_PHASES
    for tool in ("dumpcap", "tshark"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: apt-get install tshark")
    if not args.wse_binary.exists():
        sys.exit(f"{args.wse_binary} is missing: swift build -c release --product wse")

    stamp = datetime.now(timezone.utc)
    workdir = Path(tempfile.mkdtemp(prefix="poll-vs-ws-"))
    base = args.port_base
    node_port, site_port, connector_port = base, base + 4, base + 5
    modes = [
        {"name": "poll 1 s", "kind": "poll", "port": base + 1, "path": "/poll.html?every=1000"},
        {"name": "poll 5 s", "kind": "poll", "port": base + 2, "path": "/poll.html?every=5000"},
        {"name": "long-poll", "kind": "poll", "port": base + 3, "path": f"/poll.html?wait={LONG_POLL_WAIT}"},
        {"name": "WebSocket (WSE)", "kind": "ws", "port": node_port, "path": "/ws.html"},
    ]
    print(f"poll-vs-ws: {args.wse_binary}, work folder {workdir}", flush=True)
    started = []  # what to stop, last started first
    try:
        node = DemoNode(args.wse_binary, node_port, f"http://127.0.0.1:{site_port}", workdir)
        started.append(node.stop)
        status, body = http_json(node_port, "POST", "/idp/token", {"username": "alice", "password": "demo"})
        if status != 200:
            sys.exit(f"login failed: {status} {body!r}")
        token = json.loads(body)["access_token"]
        connector = IdleConnector(connector_port)
        started.append(connector.stop)
        key = "ck_pbench_" + os.urandom(16).hex()
        status, body = http_json(node_port, "PUT", f"/admin/v1/services/{SERVICE}",
                                 {"id": SERVICE, "kind": "basic", "endpoint": f"http://127.0.0.1:{connector_port}",
                                  "connectorKey": key, "timeout": 5},
                                 {"Authorization": f"Bearer {node.admin_token}"})
        if status not in (200, 201, 204):
            sys.exit(f"registering the service {SERVICE} failed: {status} {body!r}")
        source = PresenceSource(node_port, key, SERVICE)
        started.append(source.close)
        for port in [mode["port"] for mode in modes if mode["kind"] == "poll"] + [site_port]:
            server = PageServer(port, source, {"NODE_PORT": node_port, "SERVICE": SERVICE})
            started.append(server.stop)
        capture = wire.Capture(workdir / "capture.pcapng", [node_port] + [m["port"] for m in modes if m["kind"] == "poll"],
                               workdir / "dumpcap.log")
        started.append(capture.stop)
        browser = Browser()
        started.append(browser.quit)
        for mode in modes:
            if mode["kind"] == "ws":
                browser.open(mode["name"], f"http://127.0.0.1:{site_port}{mode['path']}#token={token}")
            else:
                browser.open(mode["name"], f"http://127.0.0.1:{mode['port']}{mode['path']}")
        browser.wait_ready(60)
        time.sleep(2)  # let the page loads settle before the first window
        print(f"  Chromium {browser.version}: 4 pages ready", flush=True)
        done = run_phases(source, phases, args.seed)
        states = {mode["name"]: browser.state(mode["name"]) for mode in modes}
        while started:
            started.pop()()
    finally:
        for stop in reversed(started):
            try:
                stop()
            except Exception as error:  # keep stopping the rest
                print(f"  while stopping: {error!r}", flush=True)

    if source.push_failures:
        print(f"  {len(source.push_failures)} pushes failed, e.g. {source.push_failures[:3]}", flush=True)
    streams = wire.read_segments(workdir / "capture.pcapng", {node_port} | {m["port"] for m in modes})
    wire.label_streams(streams, node_port, SERVICE)
    results = {
        "date": stamp.isoformat(timespec="seconds"),
        "command": "python3 bench/poll-vs-ws/run.py" + (" --quick" if args.quick else "")
                   + (f" --phases {args.phases}" if args.phases else ""),
        "machine": {"kernel": platform.release(), "cpus": os.cpu_count(), "python": platform.python_version(),
                    "chromium": browser.version,
                    "tshark": subprocess.run(["tshark", "--version"], capture_output=True, text=True)
                    .stdout.splitlines()[0],
                    "wse": subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                                          capture_output=True, text=True).stdout.strip()},
        "long_poll_wait_s": LONG_POLL_WAIT,
        "data_bytes_mean": sum(source.data_bytes().values()) / max(1, len(source.changes)),
        "push_failures": len(source.push_failures),
        "page_errors": {name: state.get("errors", 0) for name, state in states.items()},
        "clock_skew_ms": {name: state.get("clockSkewMs") for name, state in states.items()},
        "ws_setup": session_setup(streams, node_port, done[0]["start"]),
        "phases": analyse(done, modes, streams, source.change_times(), states, node_port),
    }
    trial = args.quick or args.phases  # a trial's results and plot stay in the work folder
    results_path = args.results or (workdir / "results.json" if trial else
                                    HERE / "results" / (stamp.strftime("%Y-%m-%dT%H%M") + ".json"))
    results_path.parent.mkdir(parents=True, exist_ok=True)
    results_path.write_text(json.dumps(results, indent=1) + "\n")
    plot_path = args.plot or (workdir / "poll-vs-ws.png" if trial else REPO / "docs" / "poll-vs-ws.png")
    report.plot(results, plot_path)
    print(report.markdown(results))
    print(f"results: {results_path}\nplot: {plot_path}")
    if args.keep or trial:
        print(f"capture and logs kept in {workdir}")
    else:
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
