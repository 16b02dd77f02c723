"""The Enhanced Address Book page (Public/retailer) in headless Chromium: alice and bob in two
browsers, each logging in through the node's auth.js, opening a WSE session with wse.js, registering
with sip.js and opening the composed `eab` service. The node is the `eab_node` fixture (eab_fixtures.py).
Run: python3 -m pytest Tests/browser/test_eab_page.py"""

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import wait_until
from eab_fixtures import alice_browser, bob_browser, eab_node, node_proxy, retailer_site  # noqa: F401 (fixtures)
from eab_page import body_data, card, card_ids, log_in, publish, wait_for


def signed_in(browser, url, user):
    log_in(browser, url, user)
    wait_for(browser, lambda b: body_data(b, "view") == "book", f"{user}'s address book")
    wait_for(browser, lambda b: len(card_ids(b)) == 2, f"{user}'s two contact cards")


def test_alice_sees_her_contacts(alice_browser, eab_node, retailer_site):
    signed_in(alice_browser, retailer_site.url, "alice")

    assert card_ids(alice_browser) == ["bob", "carol"]
    assert body_data(alice_browser, "connection-state") == "connected"
    bob = card(alice_browser, "bob")
    assert bob["name"] == "Bob Baker"
    assert (bob["presence"], bob["basicText"]) == ("closed", "Away")  # bob has published nothing yet
    assert bob["since"] is not None
    expected = eab_node.locations["bob"]
    assert (bob["latitude"], bob["longitude"]) == (expected["latitude"], expected["longitude"])
    assert bob["accuracy"] == f"± {expected['accuracy']} m"
    assert bob["locationUpdated"] is not None
    assert "alice" in alice_browser.find_element(By.ID, "signed-in-as").text
    assert eab_node.registered == {"alice"}  # the page registered with the sip module


def test_wrong_password_is_refused_clearly(alice_browser, eab_node, retailer_site):
    log_in(alice_browser, retailer_site.url, "alice", "not-the-password")

    error = wait_for(alice_browser, lambda b: b.find_element(By.ID, "login-error").text, "the login error")
    assert error == "Wrong user name or password."
    assert body_data(alice_browser, "view") == "login"
    assert eab_node.sessions == {}


def test_bobs_presence_reaches_alices_card_within_one_second(alice_browser, bob_browser, eab_node, retailer_site):
    signed_in(alice_browser, retailer_site.url, "alice")
    signed_in(bob_browser, retailer_site.url, "bob")

    clicked_at = publish(bob_browser, "open", "At the shop until 6")
    wait_for(alice_browser, lambda b: card(b, "bob")["note"] == "At the shop until 6", "bob's note on alice's card")
    bob = card(alice_browser, "bob")
    assert (bob["presence"], bob["basicText"]) == ("open", "Available")
    assert bob["updatedAt"] - clicked_at < 1000, f"the card changed {bob['updatedAt'] - clicked_at} ms after bob's click"
    wait_for(bob_browser, lambda b: "available" in b.find_element(By.ID, "presence-status").text, "bob's confirmation")

    clicked_at = publish(bob_browser, "closed", "Gone home")
    wait_for(alice_browser, lambda b: card(b, "bob")["presence"] == "closed", "bob away on alice's card")
    bob = card(alice_browser, "bob")
    assert (bob["note"], bob["basicText"]) == ("Gone home", "Away")
    assert bob["updatedAt"] - clicked_at < 1000
    assert card(alice_browser, "carol")["presence"] == "closed"  # the other card is untouched


def test_a_location_change_shows_on_the_card(alice_browser, eab_node, retailer_site):
    signed_in(alice_browser, retailer_site.url, "alice")
    before = card(alice_browser, "carol")

    eab_node.move("carol", 48.8606, 2.3376, accuracy=8)

    wait_for(alice_browser, lambda b: card(b, "carol")["latitude"] == 48.8606, "carol's new position")
    carol = card(alice_browser, "carol")
    assert carol["longitude"] == 2.3376
    assert carol["coordinates"] == "48.8606° N, 2.3376° E"
    assert carol["accuracy"] == "± 8 m"
    assert carol["locationUpdated"] >= before["locationUpdated"]
    assert (carol["presence"], carol["name"]) == (before["presence"], before["name"])  # merged, not replaced


def test_a_cut_connection_resumes_and_shows_what_was_missed(alice_browser, bob_browser, eab_node, retailer_site, node_proxy):
    signed_in(alice_browser, node_proxy.site.url, "alice")
    signed_in(bob_browser, retailer_site.url, "bob")
    session = next(session for session, user in eab_node.users.items() if user == "alice")

    node_proxy.hold()
    assert node_proxy.cut() >= 1
    wait_for(alice_browser, lambda b: body_data(b, "connection-state") == "reconnecting", "the page to show reconnecting")
    publish(bob_browser, "open", "Back in 5")
    eab_node.move("carol", 48.8584, 2.2945)
    wait_until(lambda: eab_node.sessions[session].outbox is None and eab_node.sessions[session].seq >= 4, 5,
               "bob's and carol's changes to be queued for the cut-off alice")
    assert card(alice_browser, "bob")["presence"] == "closed"  # nothing can reach the page while cut

    node_proxy.release()

    wait_for(alice_browser, lambda b: body_data(b, "connection-state") == "resumed", "the page to show resumed")
    wait_for(alice_browser, lambda b: card(b, "bob")["note"] == "Back in 5", "bob's missed presence change")
    wait_for(alice_browser, lambda b: card(b, "carol")["latitude"] == 48.8584, "carol's missed move")
    assert card(alice_browser, "bob")["presence"] == "open"
    assert eab_node.sessions[session].resumes == 1
    assert "resumed" in alice_browser.find_element(By.ID, "connection-text").text


def test_a_refused_address_book_is_explained(alice_browser, eab_node, retailer_site):
    for code, expected in (("forbidden", "You are not allowed to use the address book."),
                           ("unavailable", "The address book is unavailable right now. Please try again in a moment.")):
        eab_node.eab_refusal = code
        log_in(alice_browser, retailer_site.url, "alice")
        wait_for(alice_browser, lambda b: b.find_element(By.ID, "page-error-text").text == expected, f"the {code} message")
        assert alice_browser.find_element(By.ID, "retry").is_displayed()

    eab_node.eab_refusal = None
    alice_browser.find_element(By.ID, "retry").click()
    wait_for(alice_browser, lambda b: len(card_ids(b)) == 2, "the cards after a retry")
    assert not alice_browser.find_element(By.ID, "page-error").is_displayed()


def test_logout_ends_the_session_and_forgets_the_token(alice_browser, eab_node, retailer_site):
    signed_in(alice_browser, retailer_site.url, "alice")

    alice_browser.find_element(By.ID, "logout").click()

    wait_for(alice_browser, lambda b: body_data(b, "view") == "login", "the login form after logout")
    assert alice_browser.execute_script("return WSEAuth.token()") is None
    assert card_ids(alice_browser) == []
    wait_until(lambda: "alice" not in eab_node.registered, 5, "alice's unregister")
    alice_browser.refresh()  # a reload stays signed out
    wait_for(alice_browser, lambda b: body_data(b, "view") == "login", "the login form after a reload")


def test_an_expired_sign_in_leads_back_to_the_form_at_the_next_connection(alice_browser, eab_node, node_proxy):
    signed_in(alice_browser, node_proxy.site.url, "alice")
    alice_browser.execute_script(  # auth.js's stored token, now past its expiry
        "sessionStorage.setItem('wse.auth', JSON.stringify({token: 'alice', expiresAt: Date.now() - 1}))")

    assert node_proxy.cut() >= 1

    wait_for(alice_browser, lambda b: body_data(b, "view") == "login", "the login form after the token expired")
    assert alice_browser.find_element(By.ID, "login-error").text == "Your sign-in has expired. Please sign in again."
    assert card_ids(alice_browser) == []
    assert eab_node.tokens_seen.count("alice") == 1  # no connection was tried without a token


def test_the_page_works_from_the_keyboard(alice_browser, bob_browser, eab_node, retailer_site):
    signed_in(bob_browser, retailer_site.url, "bob")
    alice_browser.get(retailer_site.url)
    alice_browser.execute_script("sessionStorage.clear()")
    alice_browser.refresh()
    wait_for(alice_browser, lambda b: b.switch_to.active_element.get_attribute("id") == "login-username",
             "the focus in the user name field")
    alice_browser.switch_to.active_element.send_keys("alice", Keys.TAB, "demo", Keys.ENTER)
    wait_for(alice_browser, lambda b: len(card_ids(b)) == 2, "alice's cards")

    alice_browser.find_element(By.ID, "presence-open").send_keys(Keys.ARROW_RIGHT)  # radios: arrows move the choice
    assert alice_browser.find_element(By.ID, "presence-closed").is_selected()
    alice_browser.switch_to.active_element.send_keys(Keys.TAB, "Lunch", Keys.ENTER)

    wait_for(bob_browser, lambda b: card(b, "alice")["note"] == "Lunch", "alice's note on bob's card")
    assert card(bob_browser, "alice")["presence"] == "closed"
    assert alice_browser.find_element(By.ID, "presence-status").text == "You appear away — “Lunch”."


def test_a_session_the_node_forgot_is_replaced_and_the_book_reopened(alice_browser, bob_browser, eab_node, retailer_site, node_proxy):
    signed_in(alice_browser, node_proxy.site.url, "alice")
    signed_in(bob_browser, retailer_site.url, "bob")
    session = next(session for session, user in eab_node.users.items() if user == "alice")

    node_proxy.hold()
    assert node_proxy.cut() >= 1
    eab_node.forget_session(session)  # the resume window passed
    publish(bob_browser, "open", "Changed while alice's session was gone")
    wait_until(lambda: eab_node.presence.get("sip:bob@wse.test", {}).get("basic") == "open", 5, "bob's publish")
    node_proxy.release()

    wait_for(alice_browser, lambda b: card(b, "bob")["note"] == "Changed while alice's session was gone",
             "bob's current presence from the reopened book")
    assert body_data(alice_browser, "connection-state") == "connected"  # a new session, not a resumed one
    assert "new session" in alice_browser.find_element(By.ID, "notice").text
    assert card_ids(alice_browser) == ["bob", "carol"]  # the same cards, repainted, not doubled
    assert len(eab_node.books_of("alice")) == 1
