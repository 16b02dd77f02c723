"""sip.js against the real `wse demo` (issue 4, "two WSE users in two browser sessions"): alice and bob, each
in a headless Chromium of their own, load wse.js and sip.js from the node, log in through the node's
/idp/auth.js, register with the demo's SIP core, watch each other's presence and exchange messages.
The node is the `sip_demo` fixture (conftest.py, live_node.py): once with the embedded presence server,
once with a real Kamailio as the SIP core; the page is the page server's test page (an origin the demo
admits), to which the test adds the small `sipLive` driver below.
Run: python3 -m pytest Tests/browser/test_sip_live.py"""

import itertools
import time

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from eab_page import start_chromium
from wse_page import call, open_page

ONE_SECOND_MS = 1000
_notes = itertools.count(1)

# One user per page: a WSE client on the node auth.js logged in to, its sip module, and what it saw,
# each presence and message stamped with the page's clock (Date.now(), the machine's clock in both pages).
DRIVER = r"""
window.sipLive = (() => {
  const record = { presence: {}, messages: [], errors: [] };
  let client = null;
  let sip = null;

  async function open() {
    client = new WSE.Client({ url: WSEAuth.webSocketURL, token: () => WSEAuth.token() });
    await client.connect();
    sip = await client.loadModule('sip');
    sip.onMessage((message) => record.messages.push({ ...message, receivedAt: Date.now() }));
    sip.onError((error) => record.errors.push(`${error.code}: ${error.message}`));
    return client.session;
  }

  function watch(uri) {
    record.presence[uri] = [];
    const handle = sip.watchPresence(uri, (presence) => record.presence[uri].push({ ...presence, receivedAt: Date.now() }));
    return handle.ready.then(() => null);
  }

  // sip.<method>(...args); resolves with its value and the page's clock when it resolved.
  async function call(method, ...args) {
    const value = await sip[method](...args);
    return { value: value === undefined ? null : value, resolvedAt: Date.now() };
  }

  function snapshot() {
    return {
      state: client ? client.state : 'none', registered: sip ? sip.registered : false, ...record,
      fetched: performance.getEntriesByType('resource').map((entry) => entry.name),
    };
  }

  return { open, watch, call, snapshot };
})();
"""


def snapshot(browser):
    return browser.execute_script("return window.sipLive.snapshot()")


def live(browser, function, *args):
    """Awaits `sipLive.<function>(...args)` in the page; a rejection fails the test with the page's state."""
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"Promise.resolve().then(() => window.sipLive.{function}(...Array.from(arguments).slice(0, -1)))"
        ".then((value) => done({ value: value === undefined ? null : value }),"
        " (error) => done({ error: `${error.code}: ${error.message}` }));",
        *args)
    assert "error" not in result, f"{function}{args} failed in the page: {result['error']}\n{snapshot(browser)}"
    return result["value"]


def wait_page(browser, predicate, what, timeout=10):
    """Polls the page's record until `predicate` holds (bounded); fails with the record and the console."""
    last = {}

    def check(_):
        last["snapshot"] = snapshot(browser)
        return predicate(last["snapshot"])

    try:
        WebDriverWait(browser, timeout, poll_frequency=0.02).until(check)
    except Exception as error:
        raise AssertionError(f"timed out after {timeout} s waiting for {what}\npage: {last.get('snapshot')}\n"
                             f"console: {browser.get_log('browser')}") from error
    return last["snapshot"]


@pytest.fixture(scope="module")
def bob_browser():
    """bob's own Chromium (its own profile and sessionStorage, as a second user has)."""
    browser = start_chromium()
    yield browser
    browser.quit()


def sign_in(browser, demo, page_url, user):
    """Loads the test page with the node's wse.js, logs in through the node's auth.js, opens a session
    and loads the node's sip.js; returns the session id."""
    open_page(browser, page_url, f"{demo.url}/js/wse.js")
    login = call(browser, "login", demo.url, user, "demo")
    assert login["ok"], f"{user} could not log in at {demo.url}: {login}"
    browser.execute_script(DRIVER)
    return live(browser, "open")


def presence_with_note(page, uri, note):
    return next((presence for presence in page["presence"].get(uri, []) if presence.get("note") == note), None)


def test_two_users_see_each_others_presence_and_exchange_messages(browser, bob_browser, sip_demo, page_server):
    alice_uri, bob_uri = (f"sip:{user}@{sip_demo.sip_domain}" for user in ("alice", "bob"))
    alice_session = sign_in(browser, sip_demo, page_server.page_url, "alice")
    bob_session = sign_in(bob_browser, sip_demo, page_server.page_url, "bob")
    assert alice_session and bob_session and alice_session != bob_session
    for page in (snapshot(browser), snapshot(bob_browser)):
        assert f"{sip_demo.url}/js/wse.js" in page["fetched"]
        assert f"{sip_demo.url}/js/modules/sip.js" in page["fetched"]  # loadModule took it from the node

    assert live(browser, "call", "register")["value"]["registered"] is True
    assert live(bob_browser, "call", "register")["value"]["registered"] is True
    live(browser, "watch", bob_uri)
    live(bob_browser, "watch", alice_uri)

    # bob publishes; alice's callback sees it within one second of bob's publish resolving.
    run = next(_notes)
    note = f"On the train, back at 5 (run {run}, {time.time_ns()})"
    published = live(bob_browser, "call", "publishPresence", {"basic": "open", "note": note})
    alice = wait_page(browser, lambda page: presence_with_note(page, bob_uri, note), "bob's note in alice's watch", timeout=5)
    seen = presence_with_note(alice, bob_uri, note)
    assert (seen["entity"], seen["basic"]) == (bob_uri, "open")
    latency = seen["receivedAt"] - published["resolvedAt"]
    assert latency < ONE_SECOND_MS, f"alice saw bob's presence {latency} ms after his publish resolved"

    # and back: alice goes away, bob sees it.
    away = f"In a meeting (run {run}, {time.time_ns()})"
    published = live(browser, "call", "publishPresence", {"basic": "closed", "note": away})
    bob = wait_page(bob_browser, lambda page: presence_with_note(page, alice_uri, away), "alice's note in bob's watch", timeout=5)
    seen = presence_with_note(bob, alice_uri, away)
    assert (seen["entity"], seen["basic"]) == (alice_uri, "closed")
    assert seen["receivedAt"] - published["resolvedAt"] < ONE_SECOND_MS

    # Messages both ways, each with its sender.
    to_bob = f"Lunch at noon? ({away})"
    live(browser, "call", "sendMessage", bob_uri, to_bob)
    bob = wait_page(bob_browser, lambda page: any(m["text"] == to_bob for m in page["messages"]), "alice's message at bob's")
    assert [m["from"] for m in bob["messages"] if m["text"] == to_bob] == [alice_uri]
    to_alice = f"Yes, see you there ({away})"
    live(bob_browser, "call", "sendMessage", alice_uri, to_alice)
    alice = wait_page(browser, lambda page: any(m["text"] == to_alice for m in page["messages"]), "bob's message at alice's")
    assert [m["from"] for m in alice["messages"] if m["text"] == to_alice] == [bob_uri]

    assert snapshot(browser)["errors"] == [] and snapshot(bob_browser)["errors"] == []
    assert (snapshot(browser)["state"], snapshot(bob_browser)["state"]) == ("open", "open")
