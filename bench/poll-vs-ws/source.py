"""The update source of the poll-vs-ws benchmark: one contact's presence, its history, and the HTTP
servers the pages use.

`PresenceSource.change()` makes the next presence change: it stamps it with the source's clock
(`time.time()`), appends it to the history, wakes the long-polling requests, and pushes the same
change into WSE through connector IN (a user push to alice, one keep-alive connection bound to
127.0.0.2 so that the capture tells it apart from the browser's traffic).

`PageServer` is one ThreadingHTTPServer (HTTP/1.1, keep-alive): it serves the benchmark's pages and
`GET /presence?since=N[&wait=S]`, which answers `{"version":M,"changes":[...]}` with every change after
version N; with `wait` it holds the request until there is one (long-polling) or S seconds pass.
"""

import http.client
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

PAGES = Path(__file__).resolve().parent / "pages"
PUSH_SOURCE_IP = "127.0.0.2"
STATUSES = [("available", ""), ("away", "back in 10 minutes"), ("busy", "in a meeting"),
            ("busy", "on the phone"), ("away", "at lunch"), ("offline", "")]


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class PresenceSource:
    """Bob's presence as seen by alice: a numbered history of changes, pushed to WSE as they happen."""

    def __init__(self, node_port, connector_key, service, user="alice", contact="sip:bob@wse.demo"):
        self.node_port = node_port
        self.connector_key = connector_key
        self.service = service
        self.user = user
        self.contact = contact
        self.condition = threading.Condition()
        self.changes = []  # (version, change time in epoch seconds, the change as compact JSON)
        self.push_failures = []
        self.connection = None

    def change(self, rng):
        status, note = rng.choice(STATUSES)
        with self.condition:
            version = len(self.changes) + 1
            data = compact({"contact": self.contact, "status": status, "note": note, "v": version})
            self.changes.append((version, time.time(), data))
            self.condition.notify_all()
        self._push(version, data)
        return version

    def since(self, version, wait):
        """The version now and the changes after `version`; waits up to `wait` seconds for one if none."""
        with self.condition:
            if wait > 0:
                self.condition.wait_for(lambda: len(self.changes) > version, timeout=wait)
            return len(self.changes), [data for _, _, data in self.changes[version:]]

    def change_times(self):
        with self.condition:
            return {version: stamp for version, stamp, _ in self.changes}

    def data_bytes(self):
        with self.condition:
            return {version: len(data.encode()) for version, _, data in self.changes}

    def _push(self, version, data):
        body = '{"user":' + compact(self.user) + ',"service":' + compact(self.service) + ',"data":' + data + "}"
        for attempt in range(2):  # a keep-alive connection the node closed meanwhile is reopened once
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection("127.0.0.1", self.node_port, timeout=10,
                                                                 source_address=(PUSH_SOURCE_IP, 0))
                self.connection.request("POST", "/connector/in/v1/events", body=body.encode(),
                                        headers={"Content-Type": "application/json",
                                                 "Authorization": f"Bearer {self.connector_key}"})
                response = self.connection.getresponse()
                answer = response.read()
                if response.status != 202 or json.loads(answer).get("delivered") != 1:
                    self.push_failures.append((version, response.status, answer.decode(errors="replace")))
                return
            except (OSError, http.client.HTTPException) as error:
                self.connection.close()
                self.connection = None
                if attempt:
                    self.push_failures.append((version, 0, repr(error)))

    def close(self):
        if self.connection is not None:
            self.connection.close()


class PageServer:
    """One port of the benchmark's site: the pages (with their placeholders filled) and /presence."""

    def __init__(self, port, source, substitutions):
        pages = {f"/{path.name}": path.read_text() for path in PAGES.glob("*.html")}
        for name, text in pages.items():
            for key, value in substitutions.items():
                text = text.replace("{{" + key + "}}", str(value))
            pages[name] = text.encode()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_GET(self):
                url = urlsplit(self.path)
                if url.path == "/presence":
                    query = parse_qs(url.query)
                    version, changes = source.since(int(query.get("since", ["0"])[0]),
                                                    float(query.get("wait", ["0"])[0]))
                    body = ('{"version":' + str(version) + ',"changes":[' + ",".join(changes) + "]}").encode()
                    self._answer(body, "application/json", "no-store")
                elif url.path in pages:
                    self._answer(pages[url.path], "text/html; charset=utf-8", "no-store")
                else:
                    self.send_error(404)

            def _answer(self, body, content_type, cache):
                # Head and body in one write, as a production server sends a small answer: written
                # apart, Nagle's algorithm held the body for the browser's delayed ACK (~40 ms).
                head = (f"HTTP/1.1 200 OK\r\nServer: {self.version_string()}\r\nDate: {self.date_time_string()}\r\n"
                        f"Content-Type: {content_type}\r\nCache-Control: {cache}\r\n"
                        f"Content-Length: {len(body)}\r\n\r\n")
                self.wfile.write(head.encode("latin-1") + body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class IdleConnector:
    """The endpoint of the benchmark's service (connector OUT): the pages send it no request; it answers 202 {}."""

    def __init__(self, port):
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(202)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
