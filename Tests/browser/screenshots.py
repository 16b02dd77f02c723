"""Takes the PNG screenshots of the Enhanced Address Book page and of the operator console for the README
(docs/screenshots/). Headless Chromium, as in the browser tests.

    python3 Tests/browser/screenshots.py                      # against the scripted node (eab_scripted_node.py)
    python3 Tests/browser/screenshots.py --node http://127.0.0.1:8080 --site http://127.0.0.1:8081/ \
        --admin-token adm_...                                 # against `wse demo` and its retailer site

The scene: bob and carol sign in and set their presence, then alice signs in and sees their cards; alice and
bob exchange messages (eab-conversation.png) and alice looks at the map (eab-map.png); against the scripted
node, bob also moves so the map and the console show some change.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from selenium.webdriver.common.by import By  # noqa: E402

from eab_page import (body_data, card, card_ids, conversation, log_in, map_points, open_conversation,  # noqa: E402
                      publish, send_message, start_chromium, wait_for)
from eab_scripted_node import EabScriptedNode, RetailerSiteServer  # noqa: E402

OUTPUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def signed_in(browser, site, user):
    log_in(browser, site, user)
    wait_for(browser, lambda b: len(card_ids(b)) == 2, f"{user}'s cards", timeout=20)


def settled(browser):
    """No card is flashing any more (the highlight lasts 1.6 s)."""
    wait_for(browser, lambda b: b.execute_script("return document.querySelectorAll('.card.updated').length") == 0,
             "the highlights to fade", timeout=5)


def take(site, node_url, admin_token, move=None):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    others = start_chromium(1280, 900)
    alice = start_chromium(1280, 820)
    mobile = start_chromium(420, 900)
    admin = start_chromium(1280, 760)
    try:
        for user, basic, note in (("carol", "closed", "On the train, back at 4"), ("bob", "open", "At the shop until 6")):
            signed_in(others, site, user)
            publish(others, basic, note)
            wait_for(others, lambda b: b.find_element(By.ID, "presence-status").get_attribute("data-state") == "done",
                     f"{user}'s presence to be published")
        signed_in(alice, site, "alice")
        alice.find_element(By.ID, "presence-note").send_keys("Working from home")
        alice.find_element(By.ID, "presence-submit").click()
        wait_for(alice, lambda b: card(b, "bob")["presence"] == "open", "bob available on alice's card")
        if move:
            move("bob", 48.8742, 2.2961)
            wait_for(alice, lambda b: card(b, "bob")["latitude"] == 48.8742, "bob's move")
        settled(alice)
        alice.save_screenshot(str(OUTPUT / "eab-page.png"))

        # others is bob's page now (the last to sign in above): a few messages with alice.
        open_conversation(alice, "bob")
        send_message(alice, "Lunch at noon?")
        wait_for(others, lambda b: b.execute_script(
            "return document.querySelector('#cards [data-contact-id=\"alice\"]').dataset.unread") == "1", "bob's unread badge")
        open_conversation(others, "alice")
        send_message(others, "Yes, at the shop. I'm on my way")
        wait_for(alice, lambda b: len(conversation(b)) == 2, "bob's answer on alice's page")
        send_message(alice, "Great, see you there")
        wait_for(alice, lambda b: [m["state"] for m in conversation(b)][-1:] == ["sent"], "alice's second message")
        settled(alice)
        alice.save_screenshot(str(OUTPUT / "eab-conversation.png"))

        alice.find_element(By.ID, "conversation-close").click()
        alice.find_element(By.ID, "show-map").click()
        wait_for(alice, lambda b: len(map_points(b)) == 2, "both contacts on the map")
        if move:
            move("bob", 48.8610, 2.3120)
            wait_for(alice, lambda b: map_points(b)["bob"]["latitude"] == 48.8610, "bob's move on the map")
        alice.execute_script("document.getElementById('contacts-title').scrollIntoView()")
        alice.save_screenshot(str(OUTPUT / "eab-map.png"))

        signed_in(mobile, site, "alice")
        settled(mobile)
        mobile.save_screenshot(str(OUTPUT / "eab-page-mobile.png"))

        admin.get(f"{node_url}/admin/")
        wait_for(admin, lambda b: body_data(b, "view") == "token", "the console's token form")
        admin.find_element(By.ID, "admin-token").send_keys(admin_token)
        admin.find_element(By.ID, "token-submit").click()
        wait_for(admin, lambda b: body_data(b, "poll-state") == "ok", "the first overview")
        if move:
            for step in range(4):
                move("bob", 48.8742 + step / 2000, 2.2961)
        wait_for(admin, lambda b: b.find_element(By.CSS_SELECTOR, '[data-metric="pushRate"]').get_attribute("data-value") not in ("", None),
                 "a second overview (the rates)", timeout=6)
        admin.save_screenshot(str(OUTPUT / "admin-page.png"))
    finally:
        for browser in (others, alice, mobile, admin):
            browser.quit()
    print(f"screenshots written to {OUTPUT}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--node", help="base URL of a running WSE node (default: start the scripted node)")
    parser.add_argument("--site", help="URL of the EAB page for that node (default: serve RetailerSite here)")
    parser.add_argument("--admin-token", help="the node's admin token (printed by `wse demo`)")
    arguments = parser.parse_args()
    if arguments.node:
        if not arguments.admin_token:
            parser.error("--admin-token is required with --node")
        site = None if arguments.site else RetailerSiteServer(arguments.node.rstrip("/")).start()
        try:
            take(arguments.site or site.url, arguments.node.rstrip("/"), arguments.admin_token)
        finally:
            if site:
                site.stop()
        return
    node = EabScriptedNode().start()
    site = RetailerSiteServer(node.url).start()
    try:
        take(site.url, node.url, node.admin_token, move=node.move)
    finally:
        site.stop()
        node.stop()


if __name__ == "__main__":
    main()
