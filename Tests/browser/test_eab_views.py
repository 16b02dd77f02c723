"""The fuller Enhanced Address Book (issue 11, item 6) against the scripted node (eab_fixtures.py): "since" as
the node sent it, messages between alice's and bob's pages (sip.js `message`, incoming messages live), and the
map view following the contacts. The same features against the real `wse demo` are in test_eab_live.py.
Run: python3 -m pytest Tests/browser/test_eab_views.py"""

import datetime

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from eab_fixtures import alice_browser, bob_browser, eab_node, retailer_site  # noqa: F401 (fixtures)
from eab_page import (body_data, card, card_ids, conversation, log_in, map_points, open_conversation, publish,
                      send_message, unread, wait_for)
from sip_scripted_node import address_of


def signed_in(browser, url, user):
    log_in(browser, url, user)
    wait_for(browser, lambda b: body_data(b, "view") == "book", f"{user}'s address book")
    wait_for(browser, lambda b: len(card_ids(b)) == 2, f"{user}'s two contact cards")


def instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_since_is_the_time_the_node_sent_not_the_time_the_page_saw_it(alice_browser, bob_browser, eab_node, retailer_site):
    signed_in(bob_browser, retailer_site.url, "bob")
    publish(bob_browser, "open", "In the garden")
    wait_for(bob_browser, lambda b: b.find_element(By.ID, "presence-status").get_attribute("data-state") == "done",
             "bob's publication")
    changed = eab_node.since[address_of("bob")]

    signed_in(alice_browser, retailer_site.url, "alice")

    bob = card(alice_browser, "bob")
    assert bob["note"] == "In the garden"
    assert instant(bob["since"]) == instant(changed)
    assert bob["updatedAt"] > instant(changed).timestamp() * 1000  # the page saw it later than it changed
    since = alice_browser.find_element(By.CSS_SELECTOR, '#cards [data-contact-id="bob"] [data-field="presence-since"]')
    assert since.text in ("just now", "now") or "second" in since.text
    assert since.get_attribute("title")  # the exact time, as a tooltip


def test_alice_and_bob_message_each_other_from_the_cards(alice_browser, bob_browser, eab_node, retailer_site):
    signed_in(alice_browser, retailer_site.url, "alice")
    signed_in(bob_browser, retailer_site.url, "bob")

    open_conversation(alice_browser, "bob")
    assert alice_browser.find_element(By.ID, "conversation-title").text == "Messages with Bob Baker"
    assert alice_browser.switch_to.active_element.get_attribute("id") == "message-text"
    send_message(alice_browser, "Lunch at noon?")

    wait_for(alice_browser, lambda b: [m["state"] for m in conversation(b)] == ["sent"], "alice's message to be sent")
    assert ("alice", "message", {"to": address_of("bob"), "text": "Lunch at noon?"}) in eab_node.sip_requests
    wait_for(bob_browser, lambda b: unread(b, "alice") == 1, "the unread badge on bob's card of alice")
    assert bob_browser.find_element(
        By.CSS_SELECTOR, '#cards [data-contact-id="alice"] [data-field="unread"]').text == "1"
    open_conversation(bob_browser, "alice")
    assert [(m["direction"], m["text"]) for m in conversation(bob_browser)] == [("in", "Lunch at noon?")]
    assert unread(bob_browser, "alice") == 0  # opening the conversation reads it

    send_message(bob_browser, "Yes, see you there")

    # alice's conversation is open: bob's answer shows in it live, without a badge
    wait_for(alice_browser, lambda b: len(conversation(b)) == 2, "bob's answer in alice's open conversation")
    assert [(m["direction"], m["text"]) for m in conversation(alice_browser)] == [
        ("out", "Lunch at noon?"), ("in", "Yes, see you there")]
    assert unread(alice_browser, "bob") == 0
    wait_for(alice_browser, lambda b: "New message from Bob Baker: Yes, see you there"
             in b.find_element(By.ID, "announcer").text, "the announcement for screen readers")


def test_a_message_to_a_contact_who_is_not_signed_in_says_so(alice_browser, eab_node, retailer_site):
    signed_in(alice_browser, retailer_site.url, "alice")
    open_conversation(alice_browser, "carol")

    send_message(alice_browser, "Are you there?")

    wait_for(alice_browser, lambda b: [m["state"] for m in conversation(b)] == ["failed"], "the refusal")
    expected = "Carol Clark cannot be reached right now (not signed in)."
    assert expected in conversation(alice_browser)[0]["meta"]
    assert alice_browser.find_element(By.ID, "message-status").text == expected
    alice_browser.find_element(By.ID, "conversation-close").click()
    assert not alice_browser.find_element(By.ID, "conversation").is_displayed()


def test_the_map_draws_the_contacts_and_follows_them(alice_browser, eab_node, retailer_site):
    signed_in(alice_browser, retailer_site.url, "alice")
    alice_browser.find_element(By.ID, "show-map").click()
    assert alice_browser.find_element(By.ID, "map").is_displayed()
    assert not alice_browser.find_element(By.ID, "cards").is_displayed()
    assert alice_browser.find_element(By.ID, "show-map").get_attribute("aria-pressed") == "true"

    points = map_points(alice_browser)
    assert set(points) == {"bob", "carol"}
    for contact in ("bob", "carol"):
        expected = eab_node.locations[contact]
        assert (points[contact]["latitude"], points[contact]["longitude"]) == (expected["latitude"], expected["longitude"])
    assert points["bob"]["x"] < points["carol"]["x"]  # bob starts at the Trocadéro, west of carol
    assert points["bob"]["y"] < points["carol"]["y"]  # and north of her
    assert points["bob"]["name"] == "Bob Baker · away"
    legend = alice_browser.find_element(By.ID, "map-legend").text
    assert "Bob Baker: 48.8738° N, 2.2950° E, away" in legend
    version = int(alice_browser.find_element(By.ID, "map").get_attribute("data-version"))

    eab_node.move("carol", 48.8800, 2.2800)  # north-west of bob now

    wait_for(alice_browser, lambda b: map_points(b)["carol"]["latitude"] == 48.88, "carol's new place on the map")
    moved = map_points(alice_browser)
    assert moved["carol"]["x"] < moved["bob"]["x"] and moved["carol"]["y"] < moved["bob"]["y"]
    assert int(alice_browser.find_element(By.ID, "map").get_attribute("data-version")) > version

    alice_browser.find_element(By.ID, "show-cards").click()
    assert alice_browser.find_element(By.ID, "cards").is_displayed()
    assert card(alice_browser, "carol")["latitude"] == 48.88


def test_a_conversation_works_from_the_keyboard(alice_browser, bob_browser, eab_node, retailer_site):
    signed_in(bob_browser, retailer_site.url, "bob")
    signed_in(alice_browser, retailer_site.url, "alice")
    button = alice_browser.find_element(By.CSS_SELECTOR, '#cards [data-contact-id="bob"] [data-action="message"]')
    assert button.get_attribute("aria-label") == "Message Bob Baker"
    button.send_keys(Keys.ENTER)  # a button: Enter presses it

    wait_for(alice_browser, lambda b: b.switch_to.active_element.get_attribute("id") == "message-text",
             "the focus in the message field")
    alice_browser.switch_to.active_element.send_keys("From the keyboard", Keys.ENTER)
    wait_for(alice_browser, lambda b: [m["state"] for m in conversation(b)] == ["sent"], "the message sent with Enter")
    wait_for(bob_browser, lambda b: unread(b, "alice") == 1, "bob's unread badge")
    assert bob_browser.find_element(By.CSS_SELECTOR, '#cards [data-contact-id="alice"] [data-action="message"]') \
        .get_attribute("aria-label") == "Message Alice Archer, 1 unread message"

    alice_browser.switch_to.active_element.send_keys(Keys.ESCAPE)

    assert not alice_browser.find_element(By.ID, "conversation").is_displayed()
    assert alice_browser.switch_to.active_element == button  # the focus goes back to the card's button
