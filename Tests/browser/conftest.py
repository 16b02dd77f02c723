"""Fixtures of the headless-Chromium test of wse.js.

The node under test is one fixture, `wse_node_url`: empty (the default) starts the scripted node of
scripted_node.py; `--wse-node http://127.0.0.1:8080` or `WSE_NODE_URL=...` points the same test at a
live WSE node (`wse demo`), logging in as alice/demo through its identity proxy. Either way the browser
reaches the node through a CuttableProxy, so the test can drop the connection.
"""

import functools
import http.server
import json
import os
import shutil
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cuttable_proxy import CuttableProxy
from scripted_node import ScriptedNode

REPO = Path(__file__).resolve().parents[2]
WSE_JS = REPO / "Sources" / "WSEApp" / "Public" / "wse.js"
PAGE_DIR = Path(__file__).resolve().parent / "page"
MODULES_DIR = REPO / "Tests" / "js" / "fixtures" / "modules"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def pytest_addoption(parser):
    parser.addoption("--wse-node", default=os.environ.get("WSE_NODE_URL", ""),
                     help="base URL of a live WSE node (e.g. http://127.0.0.1:8080); empty: the scripted node")


def wait_until(predicate, timeout, what, poll=0.02):
    """Waits for a condition outside the page (polled, bounded, fails loudly)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(poll)


class ScriptedTarget:
    """The scripted node: it knows every event it generated, so the page is checked against the truth."""

    kind = "scripted"
    interval = 0.2  # seconds between location events; the scripted service accepts fractions

    def __init__(self):
        self.node = ScriptedNode(replay_overlap=1).start()
        self.upstream = ("127.0.0.1", self.node.port)
        self.ws_path = "/wse"
        self.token = "scripted-token"

    def generated(self, pid):
        session = next((s for s in self.node.sessions.values() if pid in s.generated), None)
        return list(session.generated[pid]) if session else []

    def let_events_pass(self, pid, count):
        """Returns once the node has produced `count` more events for `pid` (while the page is cut off)."""
        start = len(self.generated(pid))
        self.node.wait_for(lambda: len(self.generated(pid)) >= start + count,
                           timeout=10 * count * self.interval + 5, what=f"{count} more events of {pid}")

    def stop(self):
        self.node.stop()


class LiveTarget:
    """A running WSE node (demo contract of PROTOCOL.md): alice/demo, the `location` service."""

    kind = "live"
    interval = 1

    def __init__(self, base_url):
        parts = urlsplit(base_url)
        self.upstream = (parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
        self.ws_path = "/wse"
        request = urllib.request.Request(f"{base_url.rstrip('/')}/idp/token", method="POST",
                                         data=json.dumps({"username": "alice", "password": "demo"}).encode(),
                                         headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:  # fails loudly if the node is not there
            self.token = json.load(response)["access_token"]

    def generated(self, pid):
        return None  # a remote node does not tell: the page is checked for contiguous seq instead

    def let_events_pass(self, pid, count):
        # The remote service runs on its own clock: waiting is the scenario (events pile up while cut off).
        time.sleep(count * self.interval + self.interval / 2)

    def stop(self):
        pass


@pytest.fixture
def wse_node_url(request):
    return request.config.getoption("--wse-node")


@pytest.fixture
def wse_node(wse_node_url):
    target = LiveTarget(wse_node_url) if wse_node_url else ScriptedTarget()
    yield target
    target.stop()


@pytest.fixture
def proxy(wse_node):
    proxy = CuttableProxy(*wse_node.upstream).start()
    proxy.ws_url = f"ws://127.0.0.1:{proxy.port}{wse_node.ws_path}"
    yield proxy
    proxy.stop()


class _PageHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the test page, and, laid out as a node does, /js/wse.js (the worktree's library) and
    /js/modules/<name>.js (the test fixtures); counts the requests per path."""

    hits = {}

    def do_GET(self):
        _PageHandler.hits[self.path] = _PageHandler.hits.get(self.path, 0) + 1
        if self.path == "/js/wse.js":
            return self._send_script(WSE_JS)
        if self.path.startswith("/js/modules/"):
            module = MODULES_DIR / Path(self.path).name
            if module.is_file():
                return self._send_script(module)
            return self.send_error(404)
        return super().do_GET()

    def _send_script(self, path):
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("content-type", "text/javascript")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def page_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_PageHandler, directory=str(PAGE_DIR)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.origin = f"http://127.0.0.1:{server.server_address[1]}"
    server.hits = _PageHandler.hits
    yield server
    server.shutdown()


@pytest.fixture
def page_url(page_server):
    return f"{page_server.origin}/index.html"


@pytest.fixture(scope="session")
def browser():
    for path in (CHROMIUM, CHROMEDRIVER):
        if not shutil.which(path):
            pytest.fail(f"{path} is missing: apt-get install -y chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1024,768"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)  # explicit paths: no download
    yield driver
    driver.quit()
