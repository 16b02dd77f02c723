"""The browser over TLS, once: `wse demo --tls` serves the node (https, wss), the connectors and the retailer's
site with a certificate of the CA it made at start. A headless Chromium that trusts exactly that certificate
(`--ignore-certificate-errors-spki-list` with the pin of its key, which the test checks against the certificate
file with openssl; no blanket ignore) opens the Enhanced Address Book from the demo's https retailer site, signs
alice in through the node's https /idp/auth.js, and gets her cards over wss: contacts through the REST connector
over https, presence through the IMS connector over https, both called by the node trusting the demo's CA.
A Chromium without the pin gets the certificate error instead of the page.
Run: python3 -m pytest Tests/browser/test_tls.py"""

import base64
import hashlib
import subprocess
from pathlib import Path

import pytest

from eab_page import body_data, card, card_ids, log_in, start_chromium, wait_for
from live_node import DemoNode, wse_binary

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tls_demo(tmp_path_factory):
    demo = DemoNode(wse_binary(REPO), tmp_path_factory.mktemp("wse-demo-tls"), [], tls=True)
    try:
        demo.start()
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    yield demo
    demo.stop()


def key_pin_of(certificate_file):
    """base64(SHA-256(SubjectPublicKeyInfo)) of the first certificate of the file, computed by openssl."""
    public_key = subprocess.run(["openssl", "x509", "-in", certificate_file, "-noout", "-pubkey"],
                                check=True, capture_output=True).stdout
    spki = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=public_key,
                          check=True, capture_output=True).stdout
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


def test_a_browser_that_trusts_the_demo_certificate_uses_the_eab_over_https_and_wss(tls_demo):
    retailer_url = tls_demo.retailer_url
    assert tls_demo.url.startswith("https://") and retailer_url.startswith("https://")
    # The pin the demo printed is its server certificate's (server.pem, beside the CA file).
    assert tls_demo.server_key_pin == key_pin_of(str(Path(tls_demo.ca_file).with_name("server.pem")))

    browser = start_chromium(extra_arguments=[f"--ignore-certificate-errors-spki-list={tls_demo.server_key_pin}"])
    try:
        log_in(browser, retailer_url, "alice")
        wait_for(browser, lambda b: body_data(b, "view") == "book", "alice's address book", timeout=30)
        wait_for(browser, lambda b: len(card_ids(b)) == 2, "alice's two cards (contacts over the TLS REST connector)",
                 timeout=30)
        assert browser.execute_script("return location.protocol") == "https:"
        # An https page opens only wss:// sessions (a ws:// one would be blocked as mixed content).
        assert browser.execute_script("return window.EAB_CONFIG.nodeURL") == tls_demo.url
        # Presence comes through the IMS connector over https: each card leaves its initial state.
        wait_for(browser, lambda b: all(card(b, c)["presence"] in ("open", "closed") for c in card_ids(b)),
                 "the contacts' presence (the IMS connector over TLS)", timeout=30)
    finally:
        browser.quit()


def test_a_browser_without_the_pin_gets_the_certificate_error(tls_demo):
    browser = start_chromium()
    try:
        browser.get(tls_demo.retailer_url)
        wait_for(browser, lambda b: "Privacy error" in b.title, "Chromium's certificate error page")
        assert body_data(browser, "view") is None
    finally:
        browser.quit()
