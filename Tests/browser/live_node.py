"""A real WSE node for the browser tests: `wse demo` as a child process, on a free loopback port.

The binary is `$WSE_BINARY`, else `<repo>/.build/debug/wse` (the test command builds it first). Its
output goes to a file (`output_path`), which the tests show when something fails; `stop()` ends it
by PID (SIGTERM, then SIGKILL after a bounded wait). Once ready, `banner` maps the labels of the
demo's banner to their URLs; `retailer_url` (the EAB page) and `services_url` (the demo Web services'
base, for `/location/v1/simulation/...`) are read from it. Given a `sip_core` (kamailio_core.py), the demo
uses it instead of its embedded presence server (`wse demo --sip-server ... --sip-users FILE`), and
`sip_domain` is the core's (else the embedded server's, `wse.demo`). With `tls=True` it runs `wse demo --tls`:
`url` is https, and `ca_file` and `server_key_pin` are read from the banner.
"""

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

READY_LINE = "WSE demo is ready."
BANNER_END = "Press Ctrl-C to stop."
# A banner line: two spaces, a label, two or more spaces, then the first URL of the line.
BANNER_LINE = re.compile(r"^  (\S.*?)\s{2,}(https?://\S+)", re.MULTILINE)
# `wse demo --tls`: the CA file and the pin of the server certificate's key.
CA_LINE = re.compile(r"^  CA certificate\s{2,}(\S+)", re.MULTILINE)
PIN_LINE = re.compile(r"^  server key pin\s{2,}(\S+)", re.MULTILINE)
START_TIMEOUT = 120  # seconds: a first start on a loaded 2-core machine seeds three slow password hashes
STOP_TIMEOUT = 15


def wse_binary(repo):
    return Path(os.environ.get("WSE_BINARY") or repo / ".build" / "debug" / "wse")


def free_loopback_port():
    # The OS picks a free port; `wse demo --port` then binds it (nothing else on loopback races for it here).
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


EMBEDDED_SIP_DOMAIN = "wse.demo"  # the domain of the embedded presence server's users


class DemoNode:
    """`DemoNode(binary, workdir, allowed_origins[, sip_core]).start()`; `url` is its base URL once ready."""

    def __init__(self, binary, workdir, allowed_origins, sip_core=None, tls=False):
        self.tls = tls
        self.ca_file = None
        self.server_key_pin = None
        self.binary = Path(binary)
        self.workdir = Path(workdir)
        self.allowed_origins = list(allowed_origins)
        self.sip_core = sip_core
        self.sip_domain = sip_core.domain if sip_core else EMBEDDED_SIP_DOMAIN
        self.output_path = self.workdir / "wse-demo.log"
        self.port = None
        self.process = None
        self.banner = {}

    @property
    def url(self):
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def retailer_url(self):
        """The EAB page of the demo's retailer site (`Enhanced Address Book` in the banner)."""
        return self._banner_url("Enhanced Address Book")

    @property
    def services_url(self):
        """The base URL of the demo Web services (`demo Web services http://127.0.0.1:<port>/contacts/v1 ...`)."""
        url = self._banner_url("demo Web services")
        return url.split("/contacts/", 1)[0]

    def _banner_url(self, label):
        if label not in self.banner:
            raise RuntimeError(f"the banner of wse demo has no {label!r} line; it has {sorted(self.banner)}")
        return self.banner[label]

    def output(self):
        return self.output_path.read_text(errors="replace") if self.output_path.exists() else "(no output file)"

    def start(self):
        if not (self.binary.is_file() and os.access(self.binary, os.X_OK)):
            raise RuntimeError(f"the wse binary {self.binary} is missing: run `swift build` at the repository root "
                               "(or set WSE_BINARY to a built wse)")
        self.port = free_loopback_port()
        command = [str(self.binary), "demo", "--port", str(self.port), "--log-level", "notice",
                   "--database", str(self.workdir / "wse-demo.sqlite")]
        for origin in self.allowed_origins:
            command += ["--allow-origin", origin]
        if self.sip_core:
            command += ["--sip-server", self.sip_core.server, "--sip-domain", self.sip_core.domain,
                        "--sip-users", str(self.sip_core.users_file)]
        if self.tls:
            command.append("--tls")
        with open(self.output_path, "wb") as output:
            self.process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            cwd=self.workdir, start_new_session=True)
        self._wait_ready()
        return self

    def _wait_ready(self):
        deadline = time.monotonic() + START_TIMEOUT
        while BANNER_END not in self.output().partition(READY_LINE)[2]:
            if self.process.poll() is not None:
                raise RuntimeError(f"wse demo exited with status {self.process.returncode} before it was ready; "
                                   f"its output ({self.output_path}):\n{self.output()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"wse demo did not print {READY_LINE!r} and its banner within {START_TIMEOUT} s; "
                                   f"its output ({self.output_path}):\n{self.output()}")
            time.sleep(0.1)  # polling the output file for the ready line, bounded by the deadline above
        banner = self.output().partition(READY_LINE)[2].partition(BANNER_END)[0]
        self.banner = {label.strip(): url for label, url in BANNER_LINE.findall(banner)}
        if self.tls:
            self.ca_file = CA_LINE.search(banner).group(1)
            self.server_key_pin = PIN_LINE.search(banner).group(1)

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(STOP_TIMEOUT)
