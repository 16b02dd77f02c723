"""wse.js in a real browser: connect, request, events, and a resume after the connection is cut,
with no event missing or duplicated. Run: python3 -m pytest Tests/browser (see conftest.py)."""

from selenium.webdriver.support.ui import WebDriverWait

from conftest import wait_until


def snapshot(browser):
    return browser.execute_script("return window.wseTest.snapshot()")


def call(browser, function, *args):
    """Awaits a page function returning a Promise; a rejection becomes a test failure."""
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"window.wseTest.{function}(...Array.from(arguments).slice(0, -1))"
        ".then((value) => done({ value }), (error) => done({ error: `${error.code}: ${error.message}` }));",
        *args)
    assert "error" not in result, f"{function} failed in the page: {result['error']}\n{snapshot(browser)}"
    return result["value"]


def wait_page(browser, predicate, what, timeout=15):
    last = {}

    def check(_):
        last["snapshot"] = snapshot(browser)
        return predicate(last["snapshot"])

    try:
        WebDriverWait(browser, timeout, poll_frequency=0.05).until(check)
    except Exception as error:
        logs = browser.get_log("browser")
        raise AssertionError(f"timed out waiting for {what}\npage: {last.get('snapshot')}\nconsole: {logs}") from error
    return last["snapshot"]


def test_page_connects_requests_receives_events_and_resumes_without_loss(browser, page_url, wse_node, proxy):
    browser.set_script_timeout(20)
    browser.get(page_url)
    pid = call(browser, "start", {"url": proxy.ws_url, "token": wse_node.token,
                                  "address": "tel:+15550100", "interval": wse_node.interval})

    # Connected, answered, refused an unknown service, and events flow.
    page = wait_page(browser, lambda s: len(s["locationEvents"]) >= 3, "three location events")
    assert page["contacts"] and page["contacts"][0]["name"], page["contacts"]
    assert page["unknownServiceError"] == "unknown_service"
    session = page["session"]
    assert session and page["state"] == "open"

    # Cut the connection and keep it cut while the service goes on producing events.
    proxy.hold()
    assert proxy.cut() >= 1
    wait_page(browser, lambda s: s["state"] in ("reconnecting", "connecting"), "the page to notice the cut")
    wse_node.let_events_pass(pid, 3)
    wait_until(lambda: proxy.refused >= 1, 10, "the page to try reconnecting while cut off")
    proxy.release()

    page = wait_page(browser, lambda s: len(s["resumedEvents"]) >= 1, "the resumed session")
    assert page["resumedEvents"][0]["session"] == session
    generated = wse_node.generated(pid)
    expected_count = len(generated) + 2 if generated is not None else len(page["locationEvents"]) + 5
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
        stamps = [event["data"].get("timestamp") for event in page["locationEvents"]]
        assert len(stamps) == len(set(stamps)), f"the same location delivered twice: {stamps}"


def test_defaults_and_module_loading_with_script_tags(browser, page_server, page_url):
    browser.get(page_url)
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


def test_the_browser_coming_back_online_cuts_the_backoff_short(browser, page_url, wse_node, proxy):
    browser.set_script_timeout(20)
    browser.get(page_url)
    ten_minutes = 600000
    call(browser, "start", {"url": proxy.ws_url, "token": wse_node.token, "address": "tel:+15550100",
                            "interval": wse_node.interval, "backoff": {"initial": ten_minutes, "max": ten_minutes, "jitter": False}})
    assert proxy.cut() >= 1
    page = wait_page(browser, lambda s: len(s["reconnects"]) >= 1, "the page to notice the cut")
    assert page["reconnects"][0]["delay"] == ten_minutes
    browser.execute_script("window.wseTest.goOnline()")
    page = wait_page(browser, lambda s: len(s["resumedEvents"]) >= 1, "the resume right after 'online'")
    assert page["state"] == "open"
    assert len(page["reconnects"]) == 1
