"""A scripted stand-in for a WSE node: the WebSocket session of PROTOCOL.md on a real `websockets` server.

It plays just enough of the demo contract for the browser test (and for a quick manual check:
`python3 Tests/browser/scripted_node.py --port 18080` serves ws://127.0.0.1:18080/wse and /js/wse.js): `contacts.list`, `location.get`,
`location.subscribe` (one event per interval until `cancel`), per-session `seq`, a replay buffer
trimmed by `ack`, and resume. It runs its own asyncio loop in a thread; tests read its state and
wait on it with `wait_for(predicate, timeout)`.
"""

import argparse
import asyncio
import itertools
import json
import threading
import time
from http import HTTPStatus
from pathlib import Path

from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed


class Session:
    """One WSE session: survives its connections until the test ends."""

    def __init__(self, session_id):
        self.id = session_id
        self.seq = 0
        self.buffer = []  # events not yet acked, in seq order
        self.history = []  # every event, for the deliberate replay overlap of the test
        self.acked = 0
        self.outbox = None  # asyncio.Queue of the current connection's writer, None while disconnected
        self.processes = {}  # pid -> asyncio.Task producing events
        self.generated = {}  # pid -> list of event data produced (the truth the page is checked against)
        self.resumes = 0


class ScriptedNode:
    """Start with `ScriptedNode().start()`; `ws_url` is where browsers connect."""

    def __init__(self, replay_overlap=0, port=0, token=None, static_files=None):
        # replay_overlap > 0 replays that many already-seen events on resume, to exercise the
        # client's duplicate drop (a conforming node replays only what the client missed).
        self.replay_overlap = replay_overlap
        self.required_token = token  # None: any non-empty token is accepted
        self.static_files = static_files or {}  # URL path -> file served over plain HTTP
        self.requested_port = port
        self.sessions = {}
        self.tokens_seen = []
        self.connections = 0
        self._ids = itertools.count(1)
        self._changed = threading.Condition()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="scripted-wse-node", daemon=True)
        self._server = None
        self.port = None

    @property
    def ws_url(self):
        return f"ws://127.0.0.1:{self.port}/wse"

    def start(self):
        self._thread.start()
        async def listen():
            return await serve(self._handle, "127.0.0.1", self.requested_port, process_request=self._serve_file)
        self._server = asyncio.run_coroutine_threadsafe(listen(), self._loop).result(10)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stop(self):
        async def shutdown():
            for session in self.sessions.values():
                for task in session.processes.values():
                    task.cancel()
            self._server.close()
            await self._server.wait_closed()
        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def wait_for(self, predicate, timeout, what):
        """Blocks until `predicate()` holds (checked at every change of the node's state) or fails."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
                self._changed.wait(left)

    def _notify(self):
        with self._changed:
            self._changed.notify_all()

    def _serve_file(self, connection, request):
        path = self.static_files.get(request.path)
        if path is None:
            return None  # go on with the WebSocket handshake
        response = connection.respond(HTTPStatus.OK, Path(path).read_text())
        response.headers["Content-Type"] = "text/javascript"
        return response

    # --- the session protocol ---

    async def _handle(self, connection):
        self.connections += 1
        self._notify()
        try:
            hello = json.loads(await asyncio.wait_for(connection.recv(), 10))
        except (asyncio.TimeoutError, ValueError, ConnectionClosed):
            await connection.close(4408, "no hello in time")
            return
        if hello.get("type") != "hello" or not hello.get("token") or self.required_token not in (None, hello["token"]):
            await connection.close(4401, "missing or invalid token")
            return
        self.tokens_seen.append(hello["token"])
        session, replay = self._open_session(hello.get("resume"))
        if session is None:
            await connection.close(4400, "unknown session")
            return
        outbox = asyncio.Queue()
        outbox.put_nowait({"type": "welcome", "session": session.id, "resumed": replay is not None, "heartbeat": 30})
        for event in replay or []:
            outbox.put_nowait(event)
        session.outbox = outbox  # set in the same step as the replay: no event falls between them
        self._notify()
        writer = asyncio.create_task(self._write(connection, outbox))
        try:
            async for text in connection:
                await self._on_message(session, json.loads(text))
        except ConnectionClosed:
            pass
        finally:
            if session.outbox is outbox:
                session.outbox = None
            writer.cancel()
            self._notify()

    def _open_session(self, resume):
        if not resume:
            session = Session(f"scripted-{next(self._ids)}")
            self.sessions[session.id] = session
            return session, None
        session = self.sessions.get(resume.get("session"))
        if session is None:
            return None, None
        session.resumes += 1
        last_seq = resume["lastSeq"]
        overlap = [event for event in session.history if last_seq - self.replay_overlap < event["seq"] <= last_seq]
        return session, overlap + [event for event in session.buffer if event["seq"] > last_seq]

    async def _write(self, connection, outbox):
        try:
            while True:
                await connection.send(json.dumps(await outbox.get()))
        except ConnectionClosed:
            pass

    def _send(self, session, message):
        if message.get("type") == "event":
            session.seq += 1
            message["seq"] = session.seq
            session.buffer.append(message)
            session.history.append(message)
        if session.outbox is not None:
            session.outbox.put_nowait(message)
        self._notify()

    async def _on_message(self, session, message):
        kind = message.get("type")
        if kind == "ack":
            session.acked = max(session.acked, message["seq"])
            session.buffer = [event for event in session.buffer if event["seq"] > session.acked]
            self._notify()
        elif kind == "cancel":
            task = session.processes.pop(message["pid"], None)
            if task is None:
                self._send(session, {"type": "error", "code": "unknown_process", "message": f"no process {message['pid']}"})
            else:
                task.cancel()
                self._send(session, {"type": "end", "pid": message["pid"], "reason": "cancelled"})
        elif kind == "request":
            self._on_request(session, message)
        else:
            self._send(session, {"type": "error", "code": "bad_request", "message": f"unknown message type {kind!r}"})

    def _on_request(self, session, request):
        pid = f"p{next(self._ids)}"
        service, action, data = request.get("service"), request.get("action"), request.get("data") or {}
        if service == "contacts" and action == "list":
            contacts = [{"id": "1", "name": "Bob", "sip": "sip:bob@wse.test", "address": "tel:+15550101"}]
            self._send(session, {"type": "response", "id": request["id"], "pid": pid, "data": {"contacts": contacts}})
        elif service == "location" and action == "get":
            self._send(session, {"type": "response", "id": request["id"], "pid": pid, "data": _position(0)})
        elif service == "location" and action == "subscribe":
            session.generated[pid] = []
            self._send(session, {"type": "response", "id": request["id"], "pid": pid, "data": {}})
            session.processes[pid] = asyncio.create_task(self._notify_periodically(session, pid, float(data.get("interval", 1))))
        else:
            self._send(session, {"type": "error", "id": request["id"], "code": "unknown_service", "message": f"no service {service!r}"})

    async def _notify_periodically(self, session, pid, interval):
        for n in itertools.count(1):
            await asyncio.sleep(interval)  # the service's own period, not synchronization
            position = _position(n)
            session.generated[pid].append(position)
            self._send(session, {"type": "event", "service": "location", "pid": pid, "data": position})


def _position(n):
    return {"latitude": 48.85 + n / 10000, "longitude": 2.35, "accuracy": 10, "timestamp": f"n{n}"}


def main():
    parser = argparse.ArgumentParser(description="Run the scripted WSE node on its own.")
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument("--token", default=None, help="the only token accepted (default: any non-empty token)")
    arguments = parser.parse_args()
    wse_js = Path(__file__).resolve().parents[2] / "Public" / "js" / "wse.js"
    node = ScriptedNode(port=arguments.port, token=arguments.token, static_files={"/js/wse.js": wse_js}).start()
    print(f"scripted WSE node: {node.ws_url} (wse.js at http://127.0.0.1:{node.port}/js/wse.js)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        node.stop()


if __name__ == "__main__":
    main()
