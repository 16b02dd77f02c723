"""wse.js in a real browser: log in, connect, request, events, and a resume after the connection is cut,
with no event missing or duplicated; against the scripted node and a real WSE node (`wse demo`), plus
the real node's refusals as a page sees them. Run: python3 -m pytest Tests/browser (see conftest.py)."""

import time
from datetime import datetime

from conftest import wait_until
from wse_page import call, open_page, snapshot, wait_page


def library_url(page_server, wse_node, wse_js_from):
    """The wse.js the page runs: the worktree's (from the page server) or the node's own /js/wse.js."""
    return f"{wse_node.base_url}/js/wse.js" if wse_js_from == "node" else f"{page_server.origin}/js/wse.js"


def event_time(event):
    return datetime.fromisoformat(event["data"]["timestamp"].replace("Z", "+00:00")).timestamp()


def test_page_logs_in_receives_location_events_and_resumes_without_loss(browser, page_server, wse_node, wse_js_from, proxy):
    open_page(browser, page_server.page_url, library_url(page_server, wse_node, wse_js_from))
    if wse_js_from == "node":  # the node's own wse.js ran, and sends sessions to the node by default
        assert call(browser, "library")["defaultURL"] == wse_node.base_url.replace("http", "ws", 1) + "/wse"
    sign_in = wse_node.sign_in(browser)
    pid = call(browser, "start", {"url": proxy.ws_url, **sign_in, "address": wse_node.address, "interval": wse_node.interval})

    # Connected, answered, refused an unknown service, and events flow.
    page = wait_page(browser, lambda s: len(s["locationEvents"]) >= 3, "three location events")
    assert page["contacts"] and page["contacts"][0]["name"], page["contacts"]
    assert page["unknownServiceError"] == "unknown_service"
    session = page["session"]
    assert session and page["state"] == "open"

    # Cut the connection and keep it cut while the service goes on producing events.
    proxy.hold()
    assert proxy.cut() >= 1
    cut_at = time.time()
    page = wait_page(browser, lambda s: s["state"] in ("reconnecting", "connecting"), "the page to notice the cut")
    count_at_cut = len(page["locationEvents"])
    wse_node.let_events_pass(pid, 3)
    wait_until(lambda: proxy.refused >= 1, 10, "the page to try reconnecting while cut off")
    released_at = time.time()
    proxy.release()

    page = wait_page(browser, lambda s: len(s["resumedEvents"]) >= 1, "the resumed session")
    assert page["resumedEvents"][0]["session"] == session
    generated = wse_node.generated(pid)
    expected_count = len(generated) + 2 if generated is not None else count_at_cut + 5
    page = wait_page(browser, lambda s: len(s["locationEvents"]) >= expected_count, "the missed events and two more")
    assert call(browser, "cancel") == "cancelled"

    page = snapshot(browser)
    seqs = [event["seq"] for event in page["locationEvents"]]
    assert len(seqs) == len(set(seqs)), f"duplicate events delivered: {seqs}"
    assert page["allSeqs"] == list(range(page["allSeqs"][0], page["allSeqs"][0] + len(page["allSeqs"]))), \
        f"seq is not contiguous (missing events): {page['allSeqs']}"
    assert page["gaps"] == []
    assert page["session"] == session
    assert page["stats"]["resumes"] == 1
    assert "reconnecting" in page["states"] and "resumed" in page["states"]

    if generated is not None:  # the scripted node knows exactly what it sent
        delivered = [event["data"] for event in page["locationEvents"]]
        produced = wse_node.generated(pid)
        assert delivered == produced[:len(delivered)], "events missing, duplicated or out of order"
        assert page["stats"]["duplicates"] == 1, "the node replayed one seen event; the page must have dropped it"
        node_session = wse_node.node.sessions[session]
        assert node_session.resumes == 1
        wse_node.node.wait_for(lambda: node_session.acked >= seqs[0], 5, "the page's acks at the node")
        assert wse_node.node.tokens_seen == [wse_node.token] * wse_node.node.connections
    else:
        # No oracle of what the real node produced: the events' own timestamps tell. The service went on
        # while the page was cut off, so the events stamped in that window must have been replayed.
        stamps = [event_time(event) for event in page["locationEvents"]]
        assert stamps == sorted(stamps) and len(stamps) == len(set(stamps)), f"events repeated or out of order: {stamps}"
        while_cut = [stamp for stamp in stamps if cut_at <= stamp <= released_at]
        assert len(while_cut) >= 2, f"the events produced while cut off ({cut_at}..{released_at}) were not replayed: {stamps}"


def test_defaults_and_module_loading_with_script_tags(browser, page_server):
    open_page(browser, page_server.page_url, f"{page_server.origin}/js/wse.js")
    result = call(browser, "defaultsAndModules")
    origin = page_server.origin
    assert result["url"] == origin.replace("http:", "ws:") + "/wse", "the session URL defaults to /wse on the script's host"
    assert result["modulesBase"] == f"{origin}/js/modules/"
    assert result["sameInstance"] and result["boundToClient"] and result["greetType"] == "function"
    assert result["failures"] == {"absent": "module_load_failed", "quiet": "module_not_registered", "../wse": "bad_module_name"}
    assert result["quietRan"], "the quiet module's script did run"
    assert result["leftoverScriptTags"] == 0, "module script tags are removed once loaded"
    assert page_server.hits.get("/js/modules/greeter.js") == 1, "loaded once"
    assert "/js/modules/../wse.js" not in page_server.hits and "/js/wse.js" in page_server.hits


def test_the_browser_coming_back_online_cuts_the_backoff_short(browser, page_server, wse_node, proxy):
    open_page(browser, page_server.page_url, f"{page_server.origin}/js/wse.js")
    ten_minutes = 600000
    sign_in = wse_node.sign_in(browser)
    call(browser, "start", {"url": proxy.ws_url, **sign_in, "address": wse_node.address, "interval": wse_node.interval,
                            "backoff": {"initial": ten_minutes, "max": ten_minutes, "jitter": False}})
    assert proxy.cut() >= 1
    page = wait_page(browser, lambda s: len(s["reconnects"]) >= 1, "the page to notice the cut")
    assert page["reconnects"][0]["delay"] == ten_minutes
    browser.execute_script("window.wseTest.goOnline()")
    page = wait_page(browser, lambda s: len(s["resumedEvents"]) >= 1, "the resume right after 'online'")
    assert page["state"] == "open"
    assert len(page["reconnects"]) == 1


# --- bad input through the real node, as the page sees it ---

def test_a_wrong_password_gets_401_through_auth_js_and_the_page_shows_it(browser, page_server, live_target):
    open_page(browser, page_server.page_url, f"{page_server.origin}/js/wse.js")
    login = call(browser, "login", live_target.base_url, "alice", "not-the-password")
    assert (login["ok"], login["status"], login["code"]) == (False, 401, "invalid_credentials"), login
    assert browser.find_element("id", "login").text == "login failed: 401 invalid_credentials"
    assert browser.execute_script("return WSEAuth.token()") is None, "a refused login leaves no token"


def test_a_garbage_token_is_closed_with_4401_and_the_page_stops_without_a_reconnect_loop(browser, page_server, live_target, proxy):
    open_page(browser, page_server.page_url, f"{page_server.origin}/js/wse.js")
    outcome = call(browser, "open", {"url": proxy.ws_url, "token": "garbage.not.a-jwt"})
    assert (outcome.get("error"), outcome.get("closeCode")) == ("unauthorized", 4401), outcome
    page = snapshot(browser)
    # A token function gets one immediate retry (it may hand out a fresh token), then the client stops.
    assert page["state"] == "closed" and page["closes"][-1]["code"] == 4401, page
    assert page["errors"] == ["unauthorized"]
    assert len(page["reconnects"]) == 1 and page["stats"]["connects"] == 2, page
    assert proxy.accepted == 2, "the node saw exactly two connections: no reconnect loop"

    # The node is unharmed: the same page logs in properly and opens a session.
    live_target.sign_in(browser)
    outcome = call(browser, "open", {"url": proxy.ws_url})
    assert outcome.get("session"), outcome


def test_a_page_on_an_origin_the_node_does_not_admit_is_refused_with_4403(browser, foreign_page_server, live_target, proxy):
    open_page(browser, foreign_page_server.page_url, f"{foreign_page_server.origin}/js/wse.js")
    live_target.sign_in(browser)  # the identity proxy answers any origin (CORS *); the session is what is refused
    outcome = call(browser, "open", {"url": proxy.ws_url})
    assert (outcome.get("error"), outcome.get("closeCode")) == ("origin_not_allowed", 4403), outcome
    page = snapshot(browser)
    assert page["state"] == "closed" and page["closes"][-1]["code"] == 4403, page
    assert page["reconnects"] == [] and page["stats"]["connects"] == 1, page
    assert proxy.accepted == 1, "one refused connection, no retry"
