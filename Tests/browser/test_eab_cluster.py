"""The Enhanced Address Book through nginx in front of `wse demo --cluster 3` (issue 8's test list): alice's
page, in headless Chromium, is served by one of three node processes; that node is killed (SIGKILL), and her
cards keep updating without a page reload: wse.js reconnects through nginx and resumes on another node, and
the page reopens its `eab` composition, which ran on the dead node (`node_lost`).
Needs PostgreSQL and nginx from Debian's packages (`wse demo --cluster` says which are missing) and the built
`.build/debug/wse`. Run: python3 -m pytest Tests/browser/test_eab_cluster.py"""

import json
import os
import re
import signal
import subprocess
import urllib.request
from pathlib import Path

import pytest

from eab_fixtures import alice_browser  # noqa: F401 (fixture)
from eab_page import body_data, card, wait_for
import live_node
from live_node import DemoNode, free_loopback_port, wse_binary
from test_eab_live import LOCATION_WAIT, Pins, a_place, at, signed_in

REPO = Path(__file__).resolve().parents[2]
ADMIN_TOKEN_LINE = re.compile(r"^\s+admin token\s+(\S+)", re.MULTILINE)


class ClusterDemo(DemoNode):
    """`wse demo --cluster 3 --port N`: PostgreSQL, nginx on N, three `wse serve` node processes."""

    def start(self):
        # initdb and three node starts on a loaded 2-core machine take longer than one demo (read by _wait_ready).
        live_node.START_TIMEOUT = max(live_node.START_TIMEOUT, 240)
        self.port = free_loopback_port()
        command = [str(self.binary), "demo", "--cluster", "3", "--port", str(self.port), "--log-level", "notice"]
        with open(self.output_path, "wb") as output:
            self.process = subprocess.Popen(
                command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                cwd=self.workdir, start_new_session=True)
        self._wait_ready()
        found = ADMIN_TOKEN_LINE.search(self.output())
        assert found, f"the cluster demo printed no admin token:\n{self.output()}"
        self.admin_token = found.group(1)
        return self

    def nodes(self):
        request = urllib.request.Request(f"{self.url}/admin/v1/nodes",
                                         headers={"authorization": f"Bearer {self.admin_token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)["nodes"]


@pytest.fixture(scope="module")
def cluster_demo(tmp_path_factory):
    demo = ClusterDemo(wse_binary(REPO), tmp_path_factory.mktemp("wse-cluster-demo"), allowed_origins=[]).start()
    yield demo
    demo.stop()


def test_alices_cards_keep_updating_after_the_node_serving_her_is_killed(alice_browser, cluster_demo):
    demo = cluster_demo
    pins = Pins(demo.services_url)
    try:
        signed_in(alice_browser, demo.retailer_url, "alice")
        wait_for(alice_browser, lambda b: body_data(b, "connection-state") == "connected", "alice connected")
        latitude, longitude = a_place()
        pins.pin("carol", latitude, longitude)
        wait_for(alice_browser, lambda b: at(b, "carol", latitude, longitude), "carol's position before the kill",
                 timeout=LOCATION_WAIT)

        # The node whose session count is 1 holds alice's session (no other session is open).
        holder = {}
        wait_for(alice_browser, lambda _: holder.update(
            node=next((n for n in demo.nodes() if n["sessions"] == 1), None)) or holder["node"],
            "a node reporting alice's session", timeout=10)
        alice_browser.execute_script("window.__notReloaded = true")
        os.kill(holder["node"]["pid"], signal.SIGKILL)

        # A new position for carol after the kill reaches alice's card, on the same page.
        latitude, longitude = a_place()
        pins.pin("carol", latitude, longitude, accuracy=9)
        wait_for(alice_browser, lambda b: at(b, "carol", latitude, longitude), "carol's position after the kill",
                 timeout=LOCATION_WAIT)
        assert card(alice_browser, "carol")["accuracy"] == "± 9 m"
        assert alice_browser.execute_script("return window.__notReloaded === true"), "the page was reloaded"
        # The same session, resumed on another node (a fresh one would say "connected" and refill the book).
        assert body_data(alice_browser, "connection-state") == "resumed"
    finally:
        pins.unpin_all()
