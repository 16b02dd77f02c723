"""Driving the Enhanced Address Book page and the admin page from Selenium, through the ids and data
attributes the pages promise (docs/EAB.md, "What a test can rely on"):
body `data-view` (loading | login | book) and `data-connection-state` (idle | connecting | connected |
reconnecting | resumed | error); one `li[data-contact-id]` per card with `data-presence`
(open | closed | unknown), `data-updated-at` (ms since the epoch of its last change) and
`[data-field=...]` children; the admin page's `[data-metric=...]` and `tr[data-service-id]`."""

import shutil

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def start_chromium(width=1280, height=900, extra_arguments=()):
    """A headless Chromium of its own (a separate profile: its own sessionStorage, as a second user has);
    `extra_arguments` go on its command line."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not shutil.which(path):
            pytest.fail(f"{path} is missing: apt-get install -y chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={width},{height}", *extra_arguments):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def wait_for(browser, condition, what, timeout=10):
    """Waits (bounded) for `condition(browser)` to be truthy; fails with the page's text and console."""
    try:
        return WebDriverWait(browser, timeout, poll_frequency=0.02).until(lambda _: condition(browser))
    except Exception as error:
        text = browser.find_element(By.TAG_NAME, "body").text
        raise AssertionError(f"timed out after {timeout} s waiting for {what}\npage text:\n{text}\n"
                             f"console: {browser.get_log('browser')}") from error


def body_data(browser, name):
    return browser.find_element(By.TAG_NAME, "body").get_attribute(f"data-{name}")


def log_in(browser, url, username, password="demo"):
    """Opens the EAB page at `url` and signs in through its form."""
    browser.get(url)
    browser.execute_script("sessionStorage.clear()")  # no token left by an earlier test on this origin
    browser.refresh()
    wait_for(browser, lambda b: body_data(b, "view") == "login", "the login form")
    browser.find_element(By.ID, "login-username").send_keys(username)
    browser.find_element(By.ID, "login-password").send_keys(password)
    browser.find_element(By.ID, "login-submit").click()


def card(browser, contact_id):
    """The card of `contact_id` as a dict of its data attributes and fields, or None."""
    return browser.execute_script("""
        const card = document.querySelector(`#cards [data-contact-id="${arguments[0]}"]`);
        if (!card) return null;
        const text = (name) => card.querySelector(`[data-field="${name}"]`).textContent.trim();
        const coordinates = card.querySelector('[data-field="location-coordinates"]');
        return {
          presence: card.dataset.presence, updatedAt: Number(card.dataset.updatedAt), version: Number(card.dataset.version),
          name: text('name'), basicText: text('presence-basic'), note: text('presence-note'),
          since: card.querySelector('[data-field="presence-since"]').getAttribute('datetime'),
          latitude: coordinates.dataset.latitude ? Number(coordinates.dataset.latitude) : null,
          longitude: coordinates.dataset.longitude ? Number(coordinates.dataset.longitude) : null,
          coordinates: text('location-coordinates'), accuracy: text('location-accuracy'),
          locationUpdated: card.querySelector('[data-field="location-updated"]').getAttribute('datetime'),
          locatedAt: card.dataset.locatedAt ? Number(card.dataset.locatedAt) : null,
        };""", contact_id)


def open_conversation(browser, contact_id):
    """Clicks the card's Message button; the conversation panel opens for that contact."""
    browser.find_element(By.CSS_SELECTOR, f'#cards [data-contact-id="{contact_id}"] [data-action="message"]').click()
    wait_for(browser, lambda b: b.find_element(By.ID, "conversation").get_attribute("data-contact-id") == contact_id,
             f"the conversation with {contact_id}")


def send_message(browser, text):
    """Types `text` in the open conversation and sends it; returns the browser's clock (ms) at the click."""
    field = browser.find_element(By.ID, "message-text")
    field.clear()
    field.send_keys(text)
    sent_at = browser.execute_script("return Date.now()")
    browser.find_element(By.ID, "message-send").click()
    return sent_at


def conversation(browser):
    """The open conversation's messages: [{direction, state, text, meta}], oldest first."""
    return browser.execute_script("""
        return Array.from(document.querySelectorAll('#conversation-messages .message'), (item) => ({
          direction: item.dataset.direction, state: item.dataset.state,
          text: item.querySelector('.message-text').textContent, meta: item.querySelector('.message-meta').textContent,
        }));""")


def unread(browser, contact_id):
    """The unread count on the card's Message button (0 when none)."""
    return browser.execute_script(
        "const c = document.querySelector(`#cards [data-contact-id=\"${arguments[0]}\"]`); return c ? Number(c.dataset.unread || 0) : null;",
        contact_id)


def map_points(browser):
    """The map's points by contact id: {latitude, longitude, x, y, presence, name}; the map's `version` under None."""
    return browser.execute_script("""
        const points = {};
        for (const point of document.querySelectorAll('#map .map-point')) {
          points[point.dataset.contactId] = {
            latitude: Number(point.dataset.latitude), longitude: Number(point.dataset.longitude),
            x: Number(point.dataset.x), y: Number(point.dataset.y), presence: point.dataset.presence,
            name: point.querySelector('.map-name').textContent,
          };
        }
        return points;""")


def card_ids(browser):
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('#cards [data-contact-id]'), (c) => c.dataset.contactId)")


def publish(browser, basic, note):
    """Sets the user's own presence from the page's form and returns the browser's clock (ms) at the click."""
    browser.find_element(By.ID, f"presence-{basic}").find_element(By.XPATH, "following-sibling::label[1]").click()
    field = browser.find_element(By.ID, "presence-note")
    field.clear()
    field.send_keys(note)
    clicked_at = browser.execute_script("return Date.now()")
    browser.find_element(By.ID, "presence-submit").click()
    return clicked_at
