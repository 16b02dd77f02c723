"""The page of the sip.js browser test, served the way a node serves its browser libraries:
`/js/wse.js` and `/js/modules/<name>.js` come from the worktree's Public/js, so the page
runs the real files. The page loads wse.js with a script tag; sip.js is loaded by
`client.loadModule('sip')`. `window.sipPage` holds one WSE client per user (alice, bob) and records
what each one sees, for the test to read back with `sipPage.snapshot()`.
"""

import http.server
import threading
from pathlib import Path

PUBLIC = Path(__file__).resolve().parents[2] / "Public" / "js"

PAGE_HTML = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>sip.js browser test</title>
  <script src="/js/wse.js"></script>
  <script src="/sip-page.js"></script>
</head>
<body><h1>sip.js browser test</h1><ol id="log"></ol></body>
</html>
"""

PAGE_SCRIPT = r"""
'use strict';
// Two users in one page, each with its own WSE client and its own sip.js instance.
window.sipPage = (() => {
  const users = {};

  function log(text) {
    const item = document.createElement('li');
    item.textContent = text;
    document.getElementById('log').appendChild(item);
  }

  function failure(error) {
    return { code: error.code || error.name, message: error.message, field: error.field || null };
  }

  async function open(name, config) {
    const client = new WSE.Client({ url: config.url, token: config.token, backoff: { initial: 20, max: 200, factor: 2, jitter: true } });
    const user = { client, sip: null, watches: {}, presence: {}, watchEnds: {}, messages: [], errors: [], resets: 0 };
    users[name] = user;
    client.on('reset', () => { user.resets += 1; log(`${name}: session reset`); });
    await client.connect();
    user.sip = await client.loadModule('sip');
    user.sip.onMessage((message) => { user.messages.push(message); log(`${name} got a message from ${message.from}: ${message.text}`); });
    user.sip.onError((error) => user.errors.push(failure(error)));
    return client.session;
  }

  function watch(name, uri) {
    const user = users[name];
    user.presence[uri] = [];
    const handle = user.sip.watchPresence(uri, (presence) => {
      user.presence[uri].push(presence);
      log(`${name} sees ${presence.entity} ${presence.basic} ${presence.note || ''}`);
    });
    user.watches[uri] = handle;
    handle.ended.then((outcome) => { user.watchEnds[uri] = outcome.reason; });
    return handle.ready;
  }

  // Runs `sip.<method>(...args)` for `name`; resolves with {value} or {error: {code, message, field}}.
  async function call(name, method, ...args) {
    try {
      return { value: await users[name].sip[method](...args) };
    } catch (error) {
      return { error: failure(error) };
    }
  }

  function stopWatch(name, uri) {
    return users[name].watches[uri].stop();
  }

  function snapshot() {
    const result = {};
    for (const [name, user] of Object.entries(users)) {
      result[name] = {
        state: user.client.state,
        session: user.client.session,
        registered: user.sip ? user.sip.registered : false,
        watched: user.sip ? user.sip.watched : [],
        presence: user.presence,
        watchEnds: user.watchEnds,
        messages: user.messages,
        errors: user.errors,
        resets: user.resets,
        moduleScripts: document.querySelectorAll('script[src*="/modules/"]').length,
      };
    }
    return result;
  }

  return { open, watch, call, stopWatch, snapshot };
})();
"""


class _SipPageHandler(http.server.BaseHTTPRequestHandler):
    hits = {}

    def do_GET(self):
        _SipPageHandler.hits[self.path] = _SipPageHandler.hits.get(self.path, 0) + 1
        if self.path == "/sip.html":
            return self._send(PAGE_HTML.encode(), "text/html; charset=utf-8")
        if self.path == "/sip-page.js":
            return self._send(PAGE_SCRIPT.encode(), "text/javascript")
        if self.path == "/js/wse.js":
            return self._send((PUBLIC / "wse.js").read_bytes(), "text/javascript")
        if self.path.startswith("/js/modules/"):
            module = PUBLIC / "modules" / Path(self.path).name
            if module.is_file():
                return self._send(module.read_bytes(), "text/javascript")
        self.send_error(404)

    def _send(self, body, content_type):
        self.send_response(200)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class SipPageServer:
    """`SipPageServer().start()`; `url` is the test page; `hits` counts requests per path."""

    def __init__(self):
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SipPageHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="sip-page", daemon=True)
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.url = f"{self.origin}/sip.html"
        self.hits = _SipPageHandler.hits

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
