"""The operator console (Public/admin, served by the node at /admin/) in headless Chromium,
against the scripted node's GET /admin/v1/overview, whose numbers come from the node's own counters.
Run: python3 -m pytest Tests/browser/test_admin_page.py"""

import pytest
from selenium.webdriver.common.by import By

from eab_fixtures import alice_browser, eab_node, retailer_site  # noqa: F401 (fixtures)
from eab_page import body_data, card_ids, log_in, start_chromium, wait_for


@pytest.fixture(scope="module")
def admin_browser():
    browser = start_chromium(1280, 800)
    yield browser
    browser.quit()


def metric(browser, name):
    return browser.find_element(By.CSS_SELECTOR, f'[data-metric="{name}"]').get_attribute("data-value")


def service_row(browser, service):
    return browser.execute_script("""
        const row = document.querySelector(`#services tr[data-service-id="${arguments[0]}"]`);
        if (!row) return null;
        const text = (field) => row.querySelector(`[data-field="${field}"]`).textContent.trim();
        return {circuit: row.dataset.circuit, circuitText: text('circuit'), kind: text('kind'), load: text('load'),
                requests: text('requests'), pushes: text('pushes'), errors: text('errors'), latency: text('latency')};
        """, service)


def enter_token(browser, token):
    field = browser.find_element(By.ID, "admin-token")
    field.clear()
    field.send_keys(token)
    browser.find_element(By.ID, "token-submit").click()


def open_console(browser, node):
    browser.get(f"{node.url}/admin/")
    browser.execute_script("sessionStorage.clear()")
    browser.refresh()
    wait_for(browser, lambda b: body_data(b, "view") == "token", "the token form")


def test_the_console_shows_the_overview_of_the_node(admin_browser, alice_browser, eab_node, retailer_site):
    log_in(alice_browser, retailer_site.url, "alice")
    wait_for(alice_browser, lambda b: len(card_ids(b)) == 2, "alice's cards")
    open_console(admin_browser, eab_node)

    enter_token(admin_browser, "not-the-admin-token")
    error = wait_for(admin_browser, lambda b: b.find_element(By.ID, "token-error").text, "the refusal")
    assert error == "The admin token was refused. Enter it again."
    assert body_data(admin_browser, "view") == "token"

    enter_token(admin_browser, eab_node.admin_token)
    wait_for(admin_browser, lambda b: body_data(b, "poll-state") == "ok", "the first overview")
    truth = eab_node.overview()
    assert metric(admin_browser, "sessionsOpen") == str(truth["sessions"]["open"]) == "1"
    assert metric(admin_browser, "connections") == str(truth["sessions"]["connections"]) == "1"
    assert metric(admin_browser, "compositionsRunning") == str(truth["compositions"]["running"]) == "1"
    assert float(metric(admin_browser, "composedShare")) == truth["traffic"]["composedShare"] == 0.5  # eab open, sip register
    eab = service_row(admin_browser, "eab")
    assert (eab["kind"], eab["requests"], eab["load"]) == ("Composed", "1", "1 / 200")
    assert (eab["circuit"], eab["circuitText"]) == ("closed", "Closed")
    assert eab["pushes"] == "2"  # alice's two first cards
    assert eab["latency"].endswith(" ms")
    assert service_row(admin_browser, "sip")["kind"] == "Basic"

    eab_node.set_circuit("location", "open")
    wait_for(admin_browser, lambda b: service_row(b, "location")["circuit"] == "open", "the open circuit")
    location = service_row(admin_browser, "location")
    assert location["circuitText"] == "Open 5 failures in a row"

    # Pushes between two polls show as a rate.
    for step in range(6):
        eab_node.move("bob", 48.87 + step / 1000, 2.29)
    wait_for(admin_browser, lambda b: float(metric(b, "pushRate") or 0) > 0, "a push rate above zero", timeout=6)
    wait_for(admin_browser, lambda b: service_row(b, "eab")["pushes"] == "8", "the eab push count")


def test_a_refused_token_is_asked_for_again_and_kept_for_the_tab(admin_browser, eab_node):
    open_console(admin_browser, eab_node)
    enter_token(admin_browser, eab_node.admin_token)
    wait_for(admin_browser, lambda b: body_data(b, "poll-state") == "ok", "the first overview")
    admin_browser.refresh()
    wait_for(admin_browser, lambda b: body_data(b, "poll-state") == "ok", "the overview after a reload, without asking")

    eab_node.admin_token = "rotated-admin-token"
    wait_for(admin_browser, lambda b: body_data(b, "view") == "token", "the token form after a 401", timeout=6)
    assert admin_browser.find_element(By.ID, "token-error").text == "The admin token was refused. Enter it again."
    assert admin_browser.execute_script("return sessionStorage.getItem('wse.admin.token')") is None

    enter_token(admin_browser, "rotated-admin-token")
    wait_for(admin_browser, lambda b: body_data(b, "poll-state") == "ok", "the overview with the new token")
    assert eab_node.overview_requests[-1] == "Bearer rotated-admin-token"
