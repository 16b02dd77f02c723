"""A real Kamailio as the demo's SIP/IMS core, for the live browser tests: started with
scripts/infra/kamailio/kamailio.sh on free loopback ports, with alice, bob and carol provisioned
(domain 127.0.0.1, digest auth) under freshly generated passwords, which reach kamailio.sh and
`wse demo --sip-users` through a file only readable by its owner (a command line shows in `ps`).
`stop()` ends it by the PID kamailio.sh recorded. Kamailio must be installed (scripts/install-test-deps.sh):
`start()` raises, and the test fails, when it is not.
"""

import os
import re
import secrets
import shutil
import socket
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "infra" / "kamailio" / "kamailio.sh"
USERS = ("alice", "bob", "carol")
DOMAIN = "127.0.0.1"  # what kamailio.sh provisions the users in
PORTS = range(21000, 29000, 2)  # unusual, below the ephemeral range; SIP on an even port, WebSocket on the next
START_TIMEOUT = 30


def _free(port, kind):
    with socket.socket(socket.AF_INET, kind) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port_pair():
    """A port free for SIP over UDP and TCP whose successor is free for TCP (the WebSocket listener).
    Checked then released: kamailio binds them a moment later (a race lost here makes the start fail
    loudly, it cannot make a test pass)."""
    for port in secrets.SystemRandom().sample(PORTS, 40):
        if _free(port, socket.SOCK_DGRAM) and _free(port, socket.SOCK_STREAM) and _free(port + 1, socket.SOCK_STREAM):
            return port, port + 1
    raise RuntimeError("no free loopback port pair for kamailio in 21000-28999")


class KamailioCore:
    """`KamailioCore(workdir).start()`; then `server` (`udp:127.0.0.1:PORT`), `domain`, `users_file`."""

    domain = DOMAIN

    def __init__(self, workdir):
        self.workdir = Path(workdir)
        self.directory = self.workdir / "kamailio"
        self.users_file = self.workdir / "sip-users"
        self.sip_port = None
        self.pid = None

    @property
    def server(self):
        return f"udp:127.0.0.1:{self.sip_port}"

    @property
    def log_path(self):
        return self.directory / "kamailio.log"

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else "(no kamailio log)"

    def start(self):
        if not shutil.which("kamailio") and not os.access("/usr/sbin/kamailio", os.X_OK):
            raise RuntimeError("kamailio is not installed, and the live browser tests run against it too: "
                               "run scripts/install-test-deps.sh (apt-get install -y kamailio kamailio-presence-modules "
                               "kamailio-websocket-modules kamailio-sqlite-modules sqlite3)")
        passwords = {user: secrets.token_urlsafe(18) for user in USERS}
        descriptor = os.open(self.users_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as users:
            users.writelines(f"{user}:{password}\n" for user, password in passwords.items())
        self.sip_port, ws_port = free_port_pair()
        result = subprocess.run(
            ["bash", str(SCRIPT), "start", str(self.directory), str(self.sip_port), str(ws_port), f"@{self.users_file}"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=START_TIMEOUT)
        ready = re.search(r"^ready pid=(\d+)", result.stdout, re.MULTILINE)
        if result.returncode != 0 or not ready:
            raise RuntimeError(f"kamailio did not start (kamailio.sh exited {result.returncode}):\n{result.stdout}\n"
                               f"log:\n{self.log()[-5000:]}")
        self.pid = int(ready.group(1))
        return self

    def stop(self):
        """Stops kamailio by its PID (kamailio.sh stop: SIGTERM, SIGKILL after 5 s)."""
        if self.pid is None:
            return
        subprocess.run(["bash", str(SCRIPT), "stop", str(self.directory)], stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=20, check=True)
        self.pid = None
