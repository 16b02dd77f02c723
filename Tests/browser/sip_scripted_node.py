"""The scripted WSE node of scripted_node.py plus the `sip` service of the demo contract (PROTOCOL.md),
relaying presence and messages between the node's own users: enough for two pages (alice and bob) to
see each other's presence and talk, without a SIP server. The token names the user (token "alice" is
alice, whose address is sip:alice@wse.test).

- `register`/`unregister` {} answer {"registered": bool, "expires"}; `message` to a user who is not
  registered is refused with `not_found`, as the IMS connector does for a SIP 404.
- `publish` {"basic","note"?} stores the user's presence and sends it to every subscribe process
  watching that user's address, in every session.
- `subscribe` {"entity"} answers at once, then sends the entity's current presence (closed until it
  publishes), like the first NOTIFY of a SIP subscription; `cancel` ends it. (sip.js never sends
  `unsubscribe`, so this node does not implement it.)
- `message` {"to","text"} pushes {"kind":"message","from","text"} without pid to every session of the
  recipient.

Every sip request is recorded in `sip_requests` as (user, action, data), for the test to check what
reached the node.
"""

import asyncio
import re

from scripted_node import ScriptedNode

DOMAIN = "wse.test"
SIP_ADDRESS = re.compile(r"^sips?:([^@;?]+)@" + re.escape(DOMAIN) + r"$", re.IGNORECASE)


def address_of(user):
    return f"sip:{user}@{DOMAIN}"


class SipScriptedNode(ScriptedNode):
    def __init__(self, **options):
        super().__init__(**options)
        self.users = {}  # session id -> user
        self.registered = set()
        self.presence = {}  # address -> {"basic", "note"}
        self.watches = {}  # pid -> (session, entity address)
        self.sip_requests = []

    def forget_session(self, session_id):
        """Drops a session as a node does when its resume window has passed: a resume is then refused."""
        async def forget():
            session = self.sessions.pop(session_id)
            for task in session.processes.values():
                task.cancel()
        asyncio.run_coroutine_threadsafe(forget(), self._loop).result(10)

    def watching(self, user, entity):
        """The pids of `user`'s live subscribe processes for `entity`."""
        return [pid for pid, (session, watched) in list(self.watches.items())
                if watched == entity and self.users.get(session.id) == user]

    # --- ScriptedNode hooks ---

    def _open_session(self, resume):
        session, replay = super()._open_session(resume)
        # _handle appends the hello's token to tokens_seen just before this call, in the same step.
        if session is not None and resume is None:
            self.users[session.id] = self.tokens_seen[-1]
        return session, replay

    def _on_request(self, session, request):
        if request.get("service") != "sip":
            return super()._on_request(session, request)
        user = self.users[session.id]
        action, data = request.get("action"), request.get("data") or {}
        self.sip_requests.append((user, action, data))
        handler = getattr(self, f"_sip_{action}", None)
        if handler is None:
            return self._refuse(session, request, "bad_request", f"the sip service has no action {action!r}")
        handler(session, request, user, data)
        self._notify()

    # --- the sip service ---

    def _sip_register(self, session, request, user, data):
        self.registered.add(user)
        self._answer(session, request, {"registered": True, "expires": 3600})

    def _sip_unregister(self, session, request, user, data):
        self.registered.discard(user)
        self._answer(session, request, {"registered": False})

    def _sip_publish(self, session, request, user, data):
        if data.get("basic") not in ("open", "closed"):
            return self._refuse(session, request, "bad_request", 'publish: "basic" must be "open" or "closed"')
        address = address_of(user)
        self.presence[address] = {"basic": data["basic"], "note": data.get("note")}
        self._answer(session, request, {"published": True, "basic": data["basic"]})
        for pid, (watcher, entity) in list(self.watches.items()):
            if entity == address:
                self._send_presence(watcher, pid, entity)

    def _sip_subscribe(self, session, request, user, data):
        entity = data.get("entity", "")
        if not SIP_ADDRESS.match(entity):
            return self._refuse(session, request, "not_found", f"subscribe for {user}: SIP 404 Not Found ({entity})")
        pid = self._answer(session, request, {})
        self.watches[pid] = (session, entity.lower())
        session.processes[pid] = asyncio.create_task(self._watch_until_cancelled(pid))
        self._send_presence(session, pid, entity.lower())

    def _sip_message(self, session, request, user, data):
        match = SIP_ADDRESS.match(data.get("to", ""))
        recipient = match.group(1) if match else None
        if recipient not in self.registered:
            return self._refuse(session, request, "not_found", f"message for {user}: SIP 404 Not Found ({data.get('to')})")
        self._answer(session, request, {"sent": True})
        for target in list(self.sessions.values()):
            if self.users.get(target.id) == recipient:
                self._send(target, {"type": "event", "service": "sip",
                                    "data": {"kind": "message", "from": address_of(user), "text": data.get("text")}})

    # --- helpers ---

    def _answer(self, session, request, data):
        pid = f"p{next(self._ids)}"
        self._send(session, {"type": "response", "id": request["id"], "pid": pid, "data": data})
        return pid

    def _refuse(self, session, request, code, message):
        self._send(session, {"type": "error", "id": request["id"], "code": code, "message": message})

    def _send_presence(self, session, pid, entity):
        state = self.presence.get(entity, {"basic": "closed", "note": None})
        self._send(session, {"type": "event", "service": "sip", "pid": pid,
                             "data": {"kind": "presence", "entity": entity, "basic": state["basic"], "note": state["note"]}})

    async def _watch_until_cancelled(self, pid):
        try:
            await asyncio.Event().wait()  # a subscription lives until cancel (the base class cancels this task)
        finally:
            self.watches.pop(pid, None)
            self._notify()
