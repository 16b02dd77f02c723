"""Driving the wse.js test page (page/index.html, page/page.js) from Selenium."""

from selenium.webdriver.support.ui import WebDriverWait


def snapshot(browser):
    return browser.execute_script("return window.wseTest.snapshot()")


def call(browser, function, *args):
    """Awaits a page function (its value, or the Promise it returns); a rejection becomes a test failure."""
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"Promise.resolve().then(() => window.wseTest.{function}(...Array.from(arguments).slice(0, -1)))"
        ".then((value) => done({ value }), (error) => done({ error: `${error.code}: ${error.message}` }));",
        *args)
    assert "error" not in result, f"{function} failed in the page: {result['error']}\n{snapshot(browser)}"
    return result["value"]


def wait_page(browser, predicate, what, timeout=15):
    """Polls the page's record until `predicate` holds; fails with the page's state and console."""
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


def open_page(browser, page_url, wse_js_url):
    """Loads the test page with the wse.js at `wse_js_url` (the page server's or the node's)."""
    browser.set_script_timeout(30)
    browser.get(page_url)
    browser.execute_script("sessionStorage.clear()")  # no login (auth.js token) left from an earlier test
    call(browser, "loadScript", wse_js_url)
