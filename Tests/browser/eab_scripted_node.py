"""A scripted WSE node for the Enhanced Address Book pages: everything the EAB page and the admin page use
of a node, on one port, as PROTOCOL.md describes it, without the Swift node.

It extends the sip relay of sip_scripted_node.py (presence published by one user reaches the others) with:
- the identity proxy's HTTP side: `GET /idp/auth.js` (the real script, read from
  Sources/IdentityProxy/AuthScript.swift) and `POST /idp/token` for alice, bob and carol with password
  `demo` (401 otherwise; CORS for the retailer's origin). The token is the user name: the sip relay takes
  the token as the user.
- `GET /js/wse.js`, `GET /js/modules/sip.js`: the worktree's libraries.
- the composed `eab` service: `open {}` answers with a pid, then sends one card per contact
  `{"id","name","sip","presence","location"}`, then a change `{"id","name","presence"}` whenever that contact
  publishes, and `{"id","name","location"}` when the test moves it (`move`), as the Orc composition does.
- `GET /admin/` (the worktree's Public/admin) and `GET /admin/v1/overview` (Bearer `admin_token`), computed
  from the node's real counters; the test may set a circuit state with `set_circuit`.

HTTP and WebSocket share one port, as on a real node: a small front router sends a connection whose
first line is `GET /wse` to the WebSocket server and every other connection to the HTTP server.
Run alone: `python3 Tests/browser/eab_scripted_node.py` (prints the node URL and a retailer page URL).
"""

import argparse
import asyncio
import datetime
import functools
import http.server
import json
import threading
import time
from pathlib import Path

from sip_scripted_node import SipScriptedNode, address_of

REPO = Path(__file__).resolve().parents[2]
PUBLIC = REPO / "Public" / "js"
ADMIN_PAGE = REPO / "Public" / "admin"
RETAILER_SITE = REPO / "Public" / "retailer"
AUTH_SCRIPT_SWIFT = REPO / "Sources" / "IdentityProxy" / "AuthScript.swift"

PASSWORD = "demo"
PEOPLE = {"alice": "Alice Archer", "bob": "Bob Baker", "carol": "Carol Clark"}
START_POSITIONS = {"alice": (48.8566, 2.3522), "bob": (48.8738, 2.2950), "carol": (48.8530, 2.3499)}
COMPOSED = {"eab"}
CAPACITY = {"sip": 500, "eab": 200}


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def auth_script():
    """The identity proxy's auth.js, exactly as the node serves it (the Swift raw string's content)."""
    source = AUTH_SCRIPT_SWIFT.read_text()
    start = source.index('#"""\n') + len('#"""\n')
    return source[start:source.index('\n"""#', start)] + "\n"


class EabScriptedNode(SipScriptedNode):
    """`EabScriptedNode().start()`; `url` is the node's base URL (HTTP and WebSocket)."""

    def __init__(self, admin_token="scripted-admin-token", port=0, **options):
        super().__init__(**options)  # its WebSocket server listens on a port of its own; `port` is the router's
        self.public_port = port
        self.admin_token = admin_token
        self.started = time.time()
        self.since = {}  # address -> ISO time of the last presence change
        self.locations = {user: self._position(user, *START_POSITIONS[user]) for user in PEOPLE}
        self.books = {}  # eab pid -> (session, user)
        self.requests = {}  # service -> count
        self.pushes = {}  # service -> count
        self.errors = {}  # service -> {code: count}
        self.latencies = {}  # service -> [total seconds, count]
        self.circuits = {}  # service -> "closed" | "open" | "halfOpen" (the test's choice; default closed)
        self.eab_refusal = None  # an error code to answer `eab open` with (the test's choice), e.g. "forbidden"
        self.overview_requests = []  # the Authorization headers of /admin/v1/overview calls
        self._http = None
        self._router = None
        self.ws_port = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    # --- life cycle: WebSocket server, HTTP server, front router ---

    def start(self):
        super().start()  # the WebSocket server, on its own port (self.port until the router takes over)
        self.ws_port = self.port
        handler = type("EabNodeHandler", (_NodeHandler,), {"node": self})
        self._http = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self._http.serve_forever, name="eab-node-http", daemon=True).start()
        self._router = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._route, "127.0.0.1", self.public_port), self._loop).result(10)
        self.port = self._router.sockets[0].getsockname()[1]
        return self

    def stop(self):
        async def close_router():
            self._router.close()
        asyncio.run_coroutine_threadsafe(close_router(), self._loop).result(10)
        self._http.shutdown()
        self._http.server_close()
        super().stop()

    async def _route(self, reader, writer):
        try:
            first_line = await reader.readuntil(b"\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            writer.close()
            return
        port = self.ws_port if first_line.startswith(b"GET /wse") else self._http.server_address[1]
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            writer.transport.abort()
            return
        upstream_writer.write(first_line)
        await asyncio.gather(_pump(reader, upstream_writer), _pump(upstream_reader, writer))

    # --- what the test drives ---

    def move(self, user, latitude, longitude, accuracy=12):
        """The location service reports `user` at a new place: every book with that contact gets the change."""
        def apply():
            self.locations[user] = self._position(user, latitude, longitude, accuracy)
            self._send_to_books(user, {"id": user, "name": PEOPLE[user], "location": self.locations[user]})
        self._loop.call_soon_threadsafe(apply)

    def set_circuit(self, service, state):
        self.circuits[service] = state

    def books_of(self, user):
        return [pid for pid, (_, owner) in list(self.books.items()) if owner == user]

    def overview(self):
        """The body of GET /admin/v1/overview, computed on the node's loop from its counters."""
        async def compute():
            return self._overview()
        return asyncio.run_coroutine_threadsafe(compute(), self._loop).result(10)

    # --- requests ---

    def _on_request(self, session, request):
        service = request.get("service")
        self.requests[service] = self.requests.get(service, 0) + 1
        started = time.perf_counter()
        if service == "eab":
            self._eab(session, request)
        else:
            super()._on_request(session, request)
        total = self.latencies.setdefault(service, [0.0, 0])
        total[0] += time.perf_counter() - started
        total[1] += 1

    def _send(self, session, message):
        service = message.get("service")
        if message.get("type") == "event" and service:
            self.pushes[service] = self.pushes.get(service, 0) + 1
        super()._send(session, message)

    def _refuse(self, session, request, code, message):
        codes = self.errors.setdefault(request.get("service"), {})
        codes[code] = codes.get(code, 0) + 1
        super()._refuse(session, request, code, message)

    def _eab(self, session, request):
        if request.get("action") != "open":
            return self._refuse(session, request, "bad_request", f"eab has no action {request.get('action')!r}")
        if self.eab_refusal:
            return self._refuse(session, request, self.eab_refusal, f"eab refused by the test: {self.eab_refusal}")
        user = self.users[session.id]
        pid = self._answer(session, request, {})
        self.books[pid] = (session, user)
        session.processes[pid] = asyncio.create_task(self._book_until_cancelled(pid))
        for contact in self._contacts(user):
            self._send(session, {"type": "event", "service": "eab", "pid": pid, "data": {
                "id": contact, "name": PEOPLE[contact], "sip": address_of(contact), "presence": self._presence(contact),
                "location": self.locations[contact]}})

    def _sip_publish(self, session, request, user, data):
        before = self.presence.get(address_of(user))
        super()._sip_publish(session, request, user, data)
        after = self.presence.get(address_of(user))
        if after is not None and after != before:
            self.since[address_of(user)] = now_iso()
            self._send_to_books(user, {"id": user, "name": PEOPLE[user], "presence": self._presence(user)})

    async def _book_until_cancelled(self, pid):
        try:
            await asyncio.Event().wait()  # a composition lives until cancel (the base class cancels this task)
        finally:
            self.books.pop(pid, None)
            self._notify()

    # --- helpers ---

    @staticmethod
    def _contacts(user):
        return [person for person in PEOPLE if person != user]

    def _presence(self, user):
        state = self.presence.get(address_of(user), {"basic": "closed", "note": None})
        since = self.since.get(address_of(user)) or datetime.datetime.fromtimestamp(
            self.started, datetime.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
        return {"basic": state["basic"], "note": state.get("note"), "since": since}

    @staticmethod
    def _position(user, latitude, longitude, accuracy=15):
        return {"latitude": latitude, "longitude": longitude, "accuracy": accuracy, "timestamp": now_iso()}

    def _send_to_books(self, contact, change):
        for pid, (session, owner) in list(self.books.items()):
            if contact in self._contacts(owner):
                self._send(session, {"type": "event", "service": "eab", "pid": pid, "data": change})

    def _overview(self):
        live = {"eab": len(self.books), "sip": len(self.watches)}
        basic = sum(count for service, count in self.requests.items() if service not in COMPOSED)
        composed = sum(count for service, count in self.requests.items() if service in COMPOSED)
        services = []
        for service in sorted(set(self.requests) | set(self.pushes) | {"contacts", "location", "sip", "eab"}):
            entry = {"id": service, "kind": "composed" if service in COMPOSED else "basic",
                     "inFlight": live.get(service, 0), "circuit": self.circuits.get(service, "closed"),
                     "consecutiveFailures": 5 if self.circuits.get(service) == "open" else 0,
                     "requests": self.requests.get(service, 0), "pushes": self.pushes.get(service, 0),
                     "errors": dict(self.errors.get(service, {}))}
            if service in CAPACITY:
                entry["capacity"] = CAPACITY[service]
            total, count = self.latencies.get(service, (0.0, 0))
            if count:
                entry["meanLatencyMilliseconds"] = round(total / count * 1000, 3)
            services.append(entry)
        return {
            "node": {"startedAt": datetime.datetime.fromtimestamp(self.started, datetime.timezone.utc).isoformat(),
                     "uptimeSeconds": round(time.time() - self.started)},
            "sessions": {"open": len(self.sessions),
                         "connections": sum(1 for session in self.sessions.values() if session.outbox is not None)},
            "traffic": {"basicRequests": basic, "composedRequests": composed,
                        "pushes": sum(self.pushes.values()),
                        "composedShare": composed / (basic + composed) if basic + composed else 0},
            "compositions": {"running": len(self.books)},
            "services": services,
        }


async def _pump(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        writer.transport.abort()  # a reset on one side resets the other (CuttableProxy in front relies on it)
        return
    writer.close()


class _NodeHandler(http.server.BaseHTTPRequestHandler):
    """The node's HTTP side (see the module docstring); `node` is set per server."""

    node = None
    protocol_version = "HTTP/1.1"

    def do_OPTIONS(self):  # the CORS preflight of auth.js's JSON POST from the retailer's origin
        self._reply(204, b"", "text/plain")

    def do_POST(self):
        if self.path != "/idp/token":
            return self._error(404, "not_found", f"no endpoint {self.path}")
        length = int(self.headers.get("content-length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"null")
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("username"), str):
            return self._error(400, "bad_request", "expected {\"username\",\"password\"}")
        if body["username"] not in PEOPLE or body.get("password") != PASSWORD:
            return self._error(401, "invalid_credentials", "wrong user name or password")
        self._json(200, {"access_token": body["username"], "token_type": "Bearer", "expires_in": 3600})

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/idp/auth.js":
            return self._reply(200, auth_script().encode(), "text/javascript")
        if path == "/js/wse.js":
            return self._file(PUBLIC / "wse.js")
        if path.startswith("/js/modules/"):
            return self._file(PUBLIC / "modules" / Path(path).name)
        if path == "/admin/v1/overview":
            self.node.overview_requests.append(self.headers.get("authorization"))
            if self.headers.get("authorization") != f"Bearer {self.node.admin_token}":
                return self._error(401, "unauthorized", "a valid admin token is required")
            return self._json(200, self.node.overview())
        if path == "/admin":
            return self._redirect("/admin/")
        if path.startswith("/admin/"):
            name = path[len("/admin/"):] or "index.html"
            if "/" in name or name.startswith("."):
                return self._error(404, "not_found", f"no resource {path}")
            return self._file(ADMIN_PAGE / name)
        self._error(404, "not_found", f"no resource {path}")

    def _file(self, path):
        if not path.is_file():
            return self._error(404, "not_found", f"no file {path.name}")
        kinds = {".js": "text/javascript", ".css": "text/css", ".html": "text/html; charset=utf-8"}
        self._reply(200, path.read_bytes(), kinds.get(path.suffix, "application/octet-stream"))

    def _json(self, status, body):
        self._reply(status, json.dumps(body).encode(), "application/json")

    def _error(self, status, code, message):
        self._json(status, {"error": {"code": code, "message": message}})

    def _redirect(self, location):
        self.send_response(308)
        self.send_header("location", location)
        self.send_header("content-length", "0")
        self.end_headers()

    def _reply(self, status, body, content_type):
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(body)))
        self.send_header("cache-control", "no-store")
        self.send_header("access-control-allow-origin", "*")
        self.send_header("access-control-allow-headers", "content-type, authorization")
        self.send_header("access-control-allow-methods", "GET, POST, OPTIONS")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class RetailerSiteServer:
    """Serves Public/retailer plus a generated config.js pointing at `node_url`, as the
    retailer server of `wse demo` does. `url` is the page's address; `node_url` may be changed later
    (config.js is made at each request), so the site's origin can be known before the node starts."""

    def __init__(self, node_url, port=0):
        self.node_url = node_url
        site = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self):
                if self.path.split("?", 1)[0] == "/config.js":
                    config = f"window.EAB_CONFIG = {json.dumps({'nodeURL': site.node_url})};\n".encode()
                    self.send_response(200)
                    self.send_header("content-type", "text/javascript")
                    self.send_header("content-length", str(len(config)))
                    self.end_headers()
                    self.wfile.write(config)
                    return
                super().do_GET()

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", port), functools.partial(Handler, directory=str(RETAILER_SITE)))
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.url = f"{self.origin}/"

    def start(self):
        threading.Thread(target=self._server.serve_forever, name="retailer-site", daemon=True).start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()


def main():
    parser = argparse.ArgumentParser(description="Run the scripted EAB node and a retailer page on their own.")
    parser.add_argument("--port", type=int, default=18480, help="the node's port")
    parser.add_argument("--site-port", type=int, default=18481, help="the retailer page's port")
    arguments = parser.parse_args()
    node = EabScriptedNode(port=arguments.port).start()
    site = RetailerSiteServer(node.url, arguments.site_port).start()
    print(f"scripted EAB node: {node.url} (admin page {node.url}/admin/, admin token {node.admin_token})", flush=True)
    print(f"retailer page: {site.url} (alice, bob or carol, password {PASSWORD})", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        site.stop()
        node.stop()


if __name__ == "__main__":
    main()
