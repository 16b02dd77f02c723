/// The script served at `GET /idp/auth.js`, which a retailer page includes to log a subscriber in:
///
/// ```html
/// <script src="https://wse.operator.example/idp/auth.js" data-client-id="rc_…"></script>
/// <script>
///   WSEAuth.login("alice", "demo").then(token => …)   // POST /idp/token on the node that served the script
///   WSEAuth.token()    // the stored token, or null when none or expired
///   WSEAuth.logout()   // forgets it
/// </script>
/// ```
///
/// A retailer's page names its client id (`data-client-id`, or `login`'s third argument `{clientId}`):
/// the token then carries it as `azp`, which binds the session to that retailer.
/// The token is kept in `sessionStorage` (one tab, gone when the tab closes). The node's URL is
/// taken from the script's own `src`, so the same file works behind any host name or path prefix.
/// Plain ES2017, no dependencies; documented in docs/IDENTITY.md.
enum AuthScript {
    static let source = #"""
/* WSEAuth: log a subscriber in to a WSE node. Served by the node at /idp/auth.js. */
(function (global) {
  "use strict";
  var STORAGE_KEY = "wse.auth";
  var script = global.document && global.document.currentScript;
  var scriptURL = new URL(script && script.src ? script.src : "/idp/auth.js", global.location ? global.location.href : undefined);
  var nodeURL = scriptURL.href.replace(/\/idp\/auth\.js(\?.*)?$/, "");
  var clientId = (script && script.getAttribute && script.getAttribute("data-client-id")) || null;

  function storage() {
    try { return global.sessionStorage || null; } catch (e) { return null; }
  }

  function remember(token, expiresIn) {
    var s = storage();
    if (s) s.setItem(STORAGE_KEY, JSON.stringify({ token: token, expiresAt: Date.now() + expiresIn * 1000 }));
  }

  function token() {
    var s = storage();
    var saved = null;
    try { saved = s ? JSON.parse(s.getItem(STORAGE_KEY)) : null; } catch (e) { saved = null; }
    if (!saved || typeof saved.token !== "string") return null;
    if (typeof saved.expiresAt !== "number" || saved.expiresAt <= Date.now()) { logout(); return null; }
    return saved.token;
  }

  function logout() {
    var s = storage();
    if (s) s.removeItem(STORAGE_KEY);
  }

  function failure(status, body) {
    var detail = body && body.error ? body.error : {};
    var error = new Error(detail.message || "login failed with HTTP status " + status);
    error.status = status;
    error.code = detail.code || "http_" + status;
    return error;
  }

  function login(username, password, options) {
    var client = (options && options.clientId) || clientId;
    var credentials = { username: username, password: password };
    if (client) credentials.client_id = client;
    return global.fetch(nodeURL + "/idp/token", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(credentials)
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        if (!response.ok || !body || typeof body.access_token !== "string") throw failure(response.status, body);
        remember(body.access_token, body.expires_in);
        return body.access_token;
      });
    });
  }

  global.WSEAuth = {
    /** The node's base URL, e.g. "https://wse.example" (from this script's src). */
    nodeURL: nodeURL,
    /** The node's WebSocket URL for wse.js. */
    webSocketURL: nodeURL.replace(/^http/, "ws") + "/wse",
    /** The retailer's client id sent with each login (from data-client-id), or null. */
    clientId: clientId,
    login: login,
    token: token,
    logout: logout
  };
})(typeof window !== "undefined" ? window : globalThis);
"""#
}
