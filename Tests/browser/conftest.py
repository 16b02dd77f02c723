"""Fixtures of the headless-Chromium tests of wse.js.

The node under test is the `wse_node` fixture, and every test that uses it runs against the scripted
node of scripted_node.py (which knows every event it generated) and against a real WSE node, `wse demo`,
started once per test run (live_node.py; the binary is `$WSE_BINARY`, else
`<repo>/.build/debug/wse`: run `swift build` first). `--wse-node http://127.0.0.1:8080` (or
`WSE_NODE_URL=...`) replaces both by a node already running elsewhere, which must admit the page
server's origin: give the page server a fixed port for that, e.g.
    wse demo --port 18080 --allow-origin http://127.0.0.1:18081 &
    python3 -m pytest Tests/browser --wse-node http://127.0.0.1:18080 --page-port 18081
Against a real node the page logs in as alice/demo through the node's /idp/auth.js.
Either way the browser reaches the node through a CuttableProxy, so the test can drop the connection.
Tests that take `live_target` instead run against the real node only (the bad-input cases, node's live
suite). The main scenario also takes `wse_js_from`: against a real node it runs once more with the
node's own /js/wse.js. A failed test against `wse demo` shows the demo's output in its report.
The live SIP and EAB tests take `sip_demo` instead: a `wse demo` for each SIP core, `embedded` (the
session's `demo_node`, with its own presence server) and `kamailio` (a real Kamailio started for the
test module, and a `wse demo --sip-server` of its own; kamailio_core.py), so the same assertions run
against both cores.
"""

import functools
import http.server
import os
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cuttable_proxy import CuttableProxy
from eab_scripted_node import RetailerSiteServer
from kamailio_core import KamailioCore
from live_node import DemoNode, wse_binary
from scripted_node import ScriptedNode
from wse_page import call

REPO = Path(__file__).resolve().parents[2]
WSE_JS = REPO / "Public" / "js" / "wse.js"
PAGE_DIR = Path(__file__).resolve().parent / "page"
MODULES_DIR = REPO / "Tests" / "js" / "fixtures" / "modules"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def pytest_addoption(parser):
    parser.addoption("--wse-node", default=os.environ.get("WSE_NODE_URL", ""),
                     help="base URL of a running WSE node (e.g. http://127.0.0.1:8080) to test instead of the "
                          "scripted node and the `wse demo` the tests start")
    parser.addoption("--page-port", type=int, default=int(os.environ.get("WSE_PAGE_PORT", "0")),
                     help="port of the test page server (default: any free one); a node given with --wse-node "
                          "must admit its origin, e.g. `wse demo --allow-origin http://127.0.0.1:<port>`")


def pytest_generate_tests(metafunc):
    external = bool(metafunc.config.getoption("--wse-node"))
    kinds = ["external"] if external else ["scripted", "live"]
    if "wse_js_from" in metafunc.fixturenames:
        # The page runs the worktree's wse.js from the page server; against a real node, also the
        # node's own /js/wse.js, as a retailer page loads it.
        cases = [(kind, "page") for kind in kinds] + [(kind, "node") for kind in kinds if kind != "scripted"]
        metafunc.parametrize(("wse_node", "wse_js_from"), cases, indirect=["wse_node"],
                             ids=[f"{kind}-wse.js-from-{source}" for kind, source in cases])
    elif "wse_node" in metafunc.fixturenames:
        metafunc.parametrize("wse_node", kinds, indirect=True)
    if "live_target" in metafunc.fixturenames:
        metafunc.parametrize("live_target", ["external" if external else "live"], indirect=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item):
    """Adds the output of `wse demo` to the report of a failed test that ran against it."""
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    funcargs = getattr(item, "funcargs", {})
    demo = funcargs.get("sip_demo")
    for name in ("wse_node", "live_target"):
        demo = demo or getattr(funcargs.get(name), "demo", None)
    if demo is not None:
        report.sections.append((f"wse demo output ({demo.output_path})", demo.output()[-30000:]))
        if demo.sip_core is not None:
            report.sections.append((f"kamailio log ({demo.sip_core.log_path})", demo.sip_core.log()[-20000:]))


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
    address = "tel:+15550100"
    demo = None

    def __init__(self):
        self.node = ScriptedNode(replay_overlap=1).start()
        self.upstream = ("127.0.0.1", self.node.port)
        self.ws_path = "/wse"
        self.token = "scripted-token"

    def sign_in(self, browser):
        """The page's token options: the scripted node takes any non-empty token."""
        return {"token": self.token}

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
    """A real WSE node under the demo contract of PROTOCOL.md: alice/demo, `contacts`, `location`.
    `demo` is the DemoNode the tests started, or None for a node given with --wse-node."""

    kind = "live"
    interval = 1  # seconds: the demo location service counts in whole seconds
    address = "tel:+15550100001"  # alice's number, known to the demo location service

    def __init__(self, base_url, demo=None):
        self.base_url = base_url.rstrip("/")
        parts = urlsplit(self.base_url)
        self.upstream = (parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
        self.ws_path = "/wse"
        self.demo = demo

    def sign_in(self, browser, username="alice", password="demo"):
        """Logs in from the page through the node's /idp/auth.js; the page's token function then
        hands wse.js what auth.js stored (`WSEAuth.token()`)."""
        login = call(browser, "login", self.base_url, username, password)
        assert login["ok"], f"the page could not log in as {username} at {self.base_url}: {login}"
        return {}

    def generated(self, pid):
        return None  # a real node does not tell: the page is checked for contiguous seq instead

    def let_events_pass(self, pid, count):
        # The real node gives the test no count of the events it produced, and its location service runs
        # on its own clock, so this waits for time: `count` periods while the page is cut off. (Events
        # piling up while cut off is the scenario being tested, not a race being papered over.)
        time.sleep(count * self.interval + self.interval / 2)

    def stop(self):
        pass


class _PageHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the test page, and, laid out as a node does, /js/wse.js (the worktree's library) and
    /js/modules/<name>.js (the test fixtures); counts the requests per path in `hits`."""

    hits = None  # a dict per server: see start_page_server

    def do_GET(self):
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
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


def start_page_server(port=0):
    hits = {}
    handler = type("PageHandler", (_PageHandler,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(PAGE_DIR)))
    threading.Thread(target=server.serve_forever, name="page-server", daemon=True).start()
    server.origin = f"http://127.0.0.1:{server.server_address[1]}"
    server.page_url = f"{server.origin}/index.html"
    server.hits = hits
    return server


@pytest.fixture(scope="session")
def page_server(request):
    server = start_page_server(request.config.getoption("--page-port"))
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def foreign_page_server():
    """A second page server, on an origin the node is not told to admit."""
    server = start_page_server()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def page_url(page_server):
    return page_server.page_url


@pytest.fixture(scope="session")
def proxied_retailer_site():
    """The EAB page served by the test (the real Public/retailer files), for a page that must
    reach `wse demo` through a CuttableProxy: the test points its `node_url` at the proxy. It starts
    before the demo, which admits its origin."""
    site = RetailerSiteServer("http://127.0.0.1:1").start()  # no node until a test sets node_url
    yield site
    site.stop()


@pytest.fixture(scope="session")
def demo_node(page_server, proxied_retailer_site, tmp_path_factory):
    """`wse demo`, started once for the whole run, admitting the page server's and the proxied retailer
    site's origins (the demo's own retailer site is admitted by the demo itself)."""
    node = DemoNode(wse_binary(REPO), tmp_path_factory.mktemp("wse-demo"),
                    [page_server.origin, proxied_retailer_site.origin])
    _fail_to_start(node.start)
    yield node
    node.stop()


def _fail_to_start(start):
    """Runs `start()`; a RuntimeError fails the test with its message alone (not a chain of tracebacks)."""
    try:
        start()
        return
    except RuntimeError as error:
        failure = str(error)
    pytest.fail(failure, pytrace=False)


@pytest.fixture(scope="module", params=["embedded", "kamailio"])
def sip_demo(request, page_server, proxied_retailer_site, tmp_path_factory):
    """`wse demo` on one SIP core: `embedded` is the session's `demo_node`; `kamailio` starts a Kamailio and
    a `wse demo --sip-server` on it for the module, and stops both (by PID) after it. Either way the
    demo's `sip_domain` is the domain of the users' SIP addresses."""
    if request.param == "embedded":
        yield request.getfixturevalue("demo_node")
        return
    workdir = tmp_path_factory.mktemp("wse-demo-kamailio")
    core = KamailioCore(workdir)
    node = DemoNode(wse_binary(REPO), workdir, [page_server.origin, proxied_retailer_site.origin], sip_core=core)
    try:
        _fail_to_start(core.start)
        _fail_to_start(node.start)
        yield node
    finally:
        node.stop()
        core.stop()


def _target(request, kind):
    if kind == "scripted":
        return ScriptedTarget()
    if kind == "external":
        return LiveTarget(request.config.getoption("--wse-node"))
    demo = request.getfixturevalue("demo_node")
    return LiveTarget(demo.url, demo)


@pytest.fixture
def wse_node(request):
    target = _target(request, request.param)
    yield target
    target.stop()


@pytest.fixture
def live_target(request):
    target = _target(request, request.param)
    yield target
    target.stop()


@pytest.fixture
def proxy(request):
    """A CuttableProxy in front of the test's node (`wse_node` or `live_target`); it also counts connections."""
    target = request.getfixturevalue("wse_node" if "wse_node" in request.fixturenames else "live_target")
    proxy = CuttableProxy(*target.upstream).start()
    proxy.ws_url = f"ws://127.0.0.1:{proxy.port}{target.ws_path}"
    yield proxy
    proxy.stop()


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
