"""sip.js in headless Chromium: two users (alice and bob) in one page, each with a WSE client and the
sip module loaded from /js/modules/sip.js, against a scripted node that relays presence and messages
between them (sip_scripted_node.py). Run: python3 -m pytest Tests/browser/test_sip_module.py"""

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from conftest import wait_until
from cuttable_proxy import CuttableProxy
from sip_page import SipPageServer
from sip_scripted_node import SipScriptedNode

ALICE, BOB = "sip:alice@wse.test", "sip:bob@wse.test"


@pytest.fixture
def sip_node():
    node = SipScriptedNode().start()
    yield node
    node.stop()


@pytest.fixture(scope="module")
def sip_page():
    server = SipPageServer().start()
    yield server
    server.stop()


@pytest.fixture
def alice_proxy(sip_node):
    proxy = CuttableProxy("127.0.0.1", sip_node.port).start()
    yield proxy
    proxy.stop()


def snapshot(browser):
    return browser.execute_script("return window.sipPage.snapshot()")


def page(browser, function, *args):
    """Awaits `sipPage.<function>(...args)` in the page; a rejection fails the test with the page's state."""
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"Promise.resolve().then(() => window.sipPage.{function}(...Array.from(arguments).slice(0, -1)))"
        ".then((value) => done({ value: value === undefined ? null : value }),"
        " (error) => done({ error: `${error.code}: ${error.message}` }));",
        *args)
    assert "error" not in result, f"{function}{args} failed in the page: {result['error']}\n{snapshot(browser)}"
    return result["value"]


def sip_call(browser, user, method, *args):
    """`sip.<method>(...args)` of `user`: {'value': ...} or {'error': {'code', 'message', 'field'}}."""
    return page(browser, "call", user, method, *args)


def wait_page(browser, predicate, what, timeout=10):
    last = {}

    def check(_):
        last["snapshot"] = snapshot(browser)
        return predicate(last["snapshot"])

    try:
        WebDriverWait(browser, timeout, poll_frequency=0.05).until(check)
    except Exception as error:
        raise AssertionError(f"timed out waiting for {what}\npage: {last.get('snapshot')}\n"
                             f"console: {browser.get_log('browser')}") from error
    return last["snapshot"]


def notes(snapshot_of_user, uri):
    return [(presence["basic"], presence["note"]) for presence in snapshot_of_user["presence"].get(uri, [])]


def open_both(browser, sip_page, sip_node, alice_url=None):
    browser.set_script_timeout(15)
    browser.get(sip_page.url)
    page(browser, "open", "alice", {"url": alice_url or sip_node.ws_url, "token": "alice"})
    page(browser, "open", "bob", {"url": sip_node.ws_url, "token": "bob"})
    for user in ("alice", "bob"):
        assert sip_call(browser, user, "register") == {"value": {"registered": True, "expires": 3600}}
    assert sip_node.registered == {"alice", "bob"}


def test_two_users_see_each_others_presence_and_exchange_messages(browser, sip_page, sip_node):
    open_both(browser, sip_page, sip_node)
    assert sip_page.hits.get("/js/modules/sip.js") == 1, "the module script is fetched once for both clients"

    # Each watches the other; the first presence is the current one (nothing published yet: closed).
    page(browser, "watch", "alice", BOB)
    page(browser, "watch", "bob", ALICE)
    state = wait_page(browser, lambda s: notes(s["alice"], BOB) and notes(s["bob"], ALICE), "the first presence")
    assert notes(state["alice"], BOB) == [("closed", None)]
    assert notes(state["bob"], ALICE) == [("closed", None)]

    # bob publishes; alice's callback sees it (and the other way round).
    assert sip_call(browser, "bob", "publishPresence", {"basic": "open", "note": "at my desk"})["value"]["published"]
    state = wait_page(browser, lambda s: len(notes(s["alice"], BOB)) == 2, "alice to see bob's presence")
    assert notes(state["alice"], BOB)[-1] == ("open", "at my desk")
    assert state["alice"]["presence"][BOB][-1]["entity"] == BOB
    sip_call(browser, "alice", "publishPresence", {"basic": "open"})
    state = wait_page(browser, lambda s: len(notes(s["bob"], ALICE)) == 2, "bob to see alice's presence")
    assert notes(state["bob"], ALICE)[-1] == ("open", None)
    assert len(notes(state["alice"], BOB)) == 2, "alice's own publication is not bob's presence"

    # Messages both ways, as unsolicited pushes to the recipient's session.
    assert sip_call(browser, "alice", "sendMessage", BOB, "Hello Bob! ✓") == {"value": {"sent": True}}
    state = wait_page(browser, lambda s: s["bob"]["messages"], "bob to get alice's message")
    assert state["bob"]["messages"] == [{"from": ALICE, "text": "Hello Bob! ✓"}]
    assert sip_call(browser, "bob", "sendMessage", ALICE, "Hi Alice") == {"value": {"sent": True}}
    state = wait_page(browser, lambda s: s["alice"]["messages"], "alice to get bob's message")
    assert state["alice"]["messages"] == [{"from": BOB, "text": "Hi Alice"}]
    assert state["bob"]["messages"] == [{"from": ALICE, "text": "Hello Bob! ✓"}], "nothing echoed to the sender"

    # Stopping the watch cancels the subscription on the node; bob's next change no longer reaches alice.
    assert sip_node.watching("alice", BOB)
    page(browser, "stopWatch", "alice", BOB)
    sip_node.wait_for(lambda: not sip_node.watching("alice", BOB), 5, "alice's subscription to end on the node")
    assert snapshot(browser)["alice"]["watchEnds"] == {BOB: "stopped"}
    sip_call(browser, "bob", "publishPresence", {"basic": "closed", "note": "gone home"})
    state = wait_page(browser, lambda s: len(notes(s["bob"], ALICE)) == 2 and s["alice"]["watched"] == [], "the stop")
    assert len(notes(state["alice"], BOB)) == 2
    assert state["alice"]["errors"] == [] and state["bob"]["errors"] == []


def test_bad_input_never_reaches_the_node_and_node_errors_reach_the_page(browser, sip_page, sip_node):
    open_both(browser, sip_page, sip_node)
    sent_before = len(sip_node.sip_requests)
    refused = {
        "to": sip_call(browser, "alice", "sendMessage", "bob", "hi"),
        "text": sip_call(browser, "alice", "sendMessage", BOB, ""),
        "basic": sip_call(browser, "alice", "publishPresence", {"basic": "away"}),
        "tel": sip_call(browser, "alice", "sendMessage", "tel:5550100", "hi"),
    }
    for field, result in refused.items():
        assert result["error"]["code"] == "invalid_argument", result
    assert refused["to"]["error"]["field"] == "to"
    assert 'not "bob"' in refused["to"]["error"]["message"]
    assert refused["text"]["error"]["field"] == "text"
    assert refused["basic"]["error"]["message"] == 'sip.publishPresence: `basic` must be "open" or "closed", not "away"'
    assert "phone-context" in refused["tel"]["error"]["message"]

    # The next request the node sees is the one after them: nothing invalid was sent.
    result = sip_call(browser, "alice", "sendMessage", "sip:nobody@wse.test", "anyone?")
    assert result["error"]["code"] == "not_found", result
    assert "SIP 404" in result["error"]["message"]
    assert sip_node.sip_requests[sent_before:] == [("alice", "message", {"to": "sip:nobody@wse.test", "text": "anyone?"})]


def test_after_a_reset_the_page_is_registered_again_and_its_watch_goes_on(browser, sip_page, sip_node, alice_proxy):
    open_both(browser, sip_page, sip_node, alice_url=f"ws://127.0.0.1:{alice_proxy.port}/wse")
    page(browser, "watch", "alice", BOB)
    wait_page(browser, lambda s: notes(s["alice"], BOB), "alice's first presence of bob")
    old_session = snapshot(browser)["alice"]["session"]

    # The connection drops and the node forgets the session (its resume window passed).
    alice_proxy.hold()
    assert alice_proxy.cut() >= 1
    wait_page(browser, lambda s: s["alice"]["state"] != "open", "alice to notice the cut")
    sip_node.registered.discard("alice")
    sip_node.forget_session(old_session)
    wait_until(lambda: not sip_node.watching("alice", BOB), 5, "the old subscription to end with the session")
    alice_proxy.release()

    state = wait_page(browser, lambda s: s["alice"]["resets"] == 1 and s["alice"]["state"] == "open", "alice's new session")
    assert state["alice"]["session"] != old_session
    sip_node.wait_for(lambda: "alice" in sip_node.registered and sip_node.watching("alice", BOB), 5,
                      "alice registered and subscribed again by sip.js")
    sip_call(browser, "bob", "publishPresence", {"basic": "open", "note": "after the reset"})
    state = wait_page(browser, lambda s: notes(s["alice"], BOB)[-1:] == [("open", "after the reset")], "bob's presence on the same watch")
    assert state["alice"]["watchEnds"] == {}, "the watch never ended"
    assert state["alice"]["errors"] == []
    assert sip_call(browser, "bob", "sendMessage", ALICE, "still there?") == {"value": {"sent": True}}
    wait_page(browser, lambda s: s["alice"]["messages"] == [{"from": BOB, "text": "still there?"}], "the message in the new session")
