"""Fixtures of the Enhanced Address Book browser tests (test_eab_page.py, test_admin_page.py).

The node is one fixture, `eab_node`: today the scripted node of eab_scripted_node.py. The pages speak
only PROTOCOL.md and use the demo users alice/bob/carol with password `demo`, so a variant against the
real `wse demo` needs a target object with the members the tests read (the node must also admit the
retailer site's origin, for `/idp/token` (CORS) and for the WebSocket):

| member | used by | on `wse demo` |
| --- | --- | --- |
| `url`, `port` | every test (pages, proxy) | the demo's base URL and port |
| `admin_token`, `overview()` | test_admin_page | printed at start; `GET /admin/v1/overview` |
| `move(user, lat, lon, accuracy)` | location, resume, admin | `PUT /location/v1/simulation/{tel}` on the demo services |
| `locations[user]` | contacts | `GET /location/v1/queries/location` |
| `registered`, `users`, `sessions`, `tokens_seen`, `eab_refusal`, `set_circuit`, `overview_requests` | scripted only: the node's inside view (replace by waits on the page) | — |
"""

import pytest

from cuttable_proxy import CuttableProxy
from eab_page import start_chromium
from eab_scripted_node import EabScriptedNode, RetailerSiteServer


@pytest.fixture
def eab_node():
    node = EabScriptedNode().start()
    yield node
    node.stop()


@pytest.fixture
def retailer_site(eab_node):
    """The EAB page, configured with the node's URL."""
    site = RetailerSiteServer(eab_node.url).start()
    yield site
    site.stop()


@pytest.fixture
def node_proxy(eab_node):
    """A CuttableProxy in front of the node, and a retailer site whose page reaches the node through it."""
    proxy = CuttableProxy("127.0.0.1", eab_node.port).start()
    proxy.site = RetailerSiteServer(f"http://127.0.0.1:{proxy.port}").start()
    yield proxy
    proxy.site.stop()
    proxy.stop()


@pytest.fixture(scope="module")
def alice_browser():
    browser = start_chromium()
    browser.set_script_timeout(15)
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def bob_browser():
    browser = start_chromium()
    browser.set_script_timeout(15)
    yield browser
    browser.quit()
