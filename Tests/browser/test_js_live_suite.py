"""node's live suite of wse.js (Tests/js/live/against-live-node.js) against the same real node as the
browser tests (the `wse demo` they start, or --wse-node), so that the real node is tested from node as well on every run. Not a browser test: it is
here because this is where a real node is started (conftest.py, live_node.py)."""

import os
import shutil
import subprocess

from conftest import REPO

LIVE_SUITE = REPO / "Tests" / "js" / "live" / "against-live-node.js"


def test_the_node_live_suite_passes_against_the_real_node(live_target):
    node = shutil.which("node")
    assert node, "node is missing: apt-get install -y nodejs (node 20 or later)"
    environment = dict(os.environ, WSE_NODE_URL=live_target.base_url)
    environment.pop("WSE_TOKEN", None)  # log in through the identity proxy, as the suite does by default
    run = subprocess.run([node, "--experimental-websocket", "--test", str(LIVE_SUITE)], cwd=REPO, env=environment,
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, f"the live suite failed (exit {run.returncode}):\n{run.stdout[-20000:]}\n{run.stderr[-5000:]}"
    assert "# fail 0" in run.stdout and "# pass 0" not in run.stdout, run.stdout[-5000:]
