"""Fixtures of the Enhanced Address Book browser tests (test_eab_page.py, test_admin_page.py).

The node is one fixture, `eab_node`: today the scripted node of eab_scripted_node.py. A variant against
the real `wse demo` only needs a target with the same few members (`url`, `upstream`, `admin_token`,
`move`, `wait_for`, `eab_refusal`); the tests use nothing else of the node, and only PROTOCOL.md's
messages and the demo users alice/bob/carol with password `demo`.
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
