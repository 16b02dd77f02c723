"""A real WSE node for the browser tests: `wse demo` as a child process, on a free loopback port.

The binary is `$WSE_BINARY`, else `<repo>/.build/debug/wse` (the test command builds it first). Its
output goes to a file (`output_path`), which the tests show when something fails; `stop()` ends it
by PID (SIGTERM, then SIGKILL after a bounded wait).
"""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

READY_LINE = "WSE demo is ready."
START_TIMEOUT = 120  # seconds: a first start on a loaded 2-core machine seeds three slow password hashes
STOP_TIMEOUT = 15


def wse_binary(repo):
    return Path(os.environ.get("WSE_BINARY") or repo / ".build" / "debug" / "wse")


def free_loopback_port():
    # The OS picks a free port; `wse demo --port` then binds it (nothing else on loopback races for it here).
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class DemoNode:
    """`DemoNode(binary, workdir, allowed_origins).start()`; `url` is its base URL once ready."""

    def __init__(self, binary, workdir, allowed_origins):
        self.binary = Path(binary)
        self.workdir = Path(workdir)
        self.allowed_origins = list(allowed_origins)
        self.output_path = self.workdir / "wse-demo.log"
        self.port = None
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

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
        with open(self.output_path, "wb") as output:
            self.process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            cwd=self.workdir, start_new_session=True)
        self._wait_ready()
        return self

    def _wait_ready(self):
        deadline = time.monotonic() + START_TIMEOUT
        while READY_LINE not in self.output():
            if self.process.poll() is not None:
                raise RuntimeError(f"wse demo exited with status {self.process.returncode} before it was ready; "
                                   f"its output ({self.output_path}):\n{self.output()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"wse demo did not print {READY_LINE!r} within {START_TIMEOUT} s; "
                                   f"its output ({self.output_path}):\n{self.output()}")
            time.sleep(0.1)  # polling the output file for the ready line, bounded by the deadline above

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(STOP_TIMEOUT)
