/*! wse.js: the browser library of WSE, the WebSocket Enabler (PROTOCOL.md, version 1).
 * Plain ES2020, no dependencies. In a page it defines `window.WSE`; in node, `module.exports`.
 * Reference and examples: docs/WSE-JS.md.
 */
(function (root, factory) {
  'use strict';
  const WSE = factory(root);
  if (typeof module === 'object' && module.exports) module.exports = WSE;
  else root.WSE = WSE;
})(typeof globalThis !== 'undefined' ? globalThis : this, function (root) {
  'use strict';

  const VERSION = '1.0.0';

  /** Close codes of PROTOCOL.md and the node's documented extensions. */
  const CloseCode = Object.freeze({
    NORMAL: 1000,
    GOING_AWAY: 1001,
    ABNORMAL: 1006,
    MESSAGE_TOO_BIG: 1009,
    PROTOCOL_VIOLATION: 4400,
    UNAUTHORIZED: 4401,
    ORIGIN_NOT_ALLOWED: 4403,
    TIMED_OUT: 4408,
    SLOW_CONSUMER: 4429,
  });

  const DEFAULTS = Object.freeze({
    backoff: Object.freeze({ initial: 500, max: 30000, factor: 2, jitter: true }),
    requestTimeout: 30000,
    welcomeTimeout: 15000,
    ackEvery: 32,
    ackDelay: 5000,
    maxAttempts: Infinity,
  });

  // Events of processes nobody has claimed yet (see Client#process); bounded so a page that never
  // claims them does not grow without limit.
  const UNCLAIMED_LIMIT = 256;
  const MODULE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

  // The URL this script was loaded from: the default base of the session URL and of modules.
  const scriptURL = (typeof document !== 'undefined' && document.currentScript && document.currentScript.src) || null;

  /** An error of WSE or of this library; `code` is one of the codes listed in docs/WSE-JS.md. */
  class WSEError extends Error {
    constructor(code, message, details) {
      super(message);
      this.name = 'WSEError';
      this.code = code;
      if (details) Object.assign(this, details);
    }
  }

  // A listener that throws must not break the library or the other listeners: report and go on.
  function reportListenerError(error) {
    if (typeof root.reportError === 'function') root.reportError(error);
    else setTimeout(() => { throw error; }, 0);
  }

  /** A minimal event emitter: `on` returns a function that removes the listener. */
  class Emitter {
    constructor() { this._listeners = new Map(); }

    on(name, listener) {
      if (typeof listener !== 'function') throw new TypeError(`on(${JSON.stringify(name)}): the listener must be a function`);
      let list = this._listeners.get(name);
      if (!list) this._listeners.set(name, (list = []));
      list.push(listener);
      return () => this.off(name, listener);
    }

    once(name, listener) {
      const off = this.on(name, (value) => { off(); listener(value); });
      return off;
    }

    off(name, listener) {
      const list = this._listeners.get(name);
      if (!list) return;
      const index = list.indexOf(listener);
      if (index >= 0) list.splice(index, 1);
      if (list.length === 0) this._listeners.delete(name);
    }

    listenerCount(name) {
      const list = this._listeners.get(name);
      return list ? list.length : 0;
    }

    _emit(name, value) {
      const list = this._listeners.get(name);
      if (!list) return;
      for (const listener of list.slice()) {
        try { listener(value); } catch (error) { reportListenerError(error); }
      }
    }
  }

  /**
   * One long-running process of the session (a subscription, a composition), by its pid.
   * Events: `event` ({seq, service, pid, data}) and `end` ({pid, reason}). Get one with `client.process(pid)`.
   */
  class Process extends Emitter {
    constructor(client, pid) {
      super();
      this.client = client;
      this.pid = pid;
      this.ended = false;
      this.reason = null;
      this._backlog = [];
      this._flushQueued = false;
      this._done = null;
    }

    /** Adds a listener; events that arrived before the first listener are delivered to it, in order. */
    on(name, listener) {
      const off = super.on(name, listener);
      if (this._backlog.length > 0) this._queueFlush();
      return off;
    }

    /** Ends the process; resolves with the `end` reason. Same as `client.cancel(pid, options)`. */
    cancel(options) { return this.client.cancel(this.pid, options); }

    /** A Promise that resolves with the reason (`done`, `cancelled`, `error`, ...) when the process ends. */
    get done() {
      if (!this._done) {
        this._done = this.ended ? Promise.resolve(this.reason) : new Promise((resolve) => this.once('end', (end) => resolve(end.reason)));
      }
      return this._done;
    }

    _deliver(kind, value) {
      if (kind === 'end') { this.ended = true; this.reason = value.reason; }
      if (this._backlog.length === 0 && this.listenerCount(kind) > 0) this._emit(kind, value);
      else if (this._backlog.length < UNCLAIMED_LIMIT) { this._backlog.push([kind, value]); if (this.listenerCount(kind) > 0) this._queueFlush(); }
    }

    _queueFlush() {
      if (this._flushQueued) return;
      this._flushQueued = true;
      queueMicrotask(() => {
        this._flushQueued = false;
        const backlog = this._backlog;
        this._backlog = [];
        for (const [kind, value] of backlog) this._emit(kind, value);
      });
    }
  }

  // --- module registry (shared by every client of the page) ---

  const moduleFactories = new Map();
  const moduleLoads = new Map();

  /**
   * Called by a module script (`/js/modules/<name>.js`) to make itself known.
   * `factory(client, WSE)` returns the module's API; it runs once per client that loads the module.
   */
  function registerModule(name, factory) {
    if (typeof name !== 'string' || !MODULE_NAME.test(name)) throw new TypeError(`registerModule: bad module name ${JSON.stringify(name)}`);
    if (typeof factory !== 'function') throw new TypeError(`registerModule(${JSON.stringify(name)}): the factory must be a function`);
    moduleFactories.set(name, factory);
  }

  function loadModuleFactory(name, url) {
    if (moduleFactories.has(name)) return Promise.resolve(moduleFactories.get(name));
    let load = moduleLoads.get(name);
    if (!load) {
      const fetched = typeof document !== 'undefined' ? loadWithScriptTag(url) : loadWithFetch(url);
      load = fetched.then(() => {
        const factory = moduleFactories.get(name);
        if (!factory) throw new WSEError('module_not_registered', `${url} loaded but did not call WSE.registerModule(${JSON.stringify(name)}, factory)`);
        return factory;
      });
      moduleLoads.set(name, load);
      // A failed load may be retried later (the network may come back).
      load.catch(() => moduleLoads.delete(name));
    }
    return load;
  }

  function loadWithScriptTag(url) {
    return new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = url;
      script.async = true;
      script.onload = () => { script.remove(); resolve(); };
      script.onerror = () => { script.remove(); reject(new WSEError('module_load_failed', `could not load ${url}`)); };
      document.head.appendChild(script);
    });
  }

  // Outside a page (node), a module is fetched and run with `WSE` in scope, as a script tag would.
  async function loadWithFetch(url) {
    if (typeof fetch !== 'function') throw new WSEError('module_load_failed', 'loading a module needs a page or fetch()');
    let text;
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      text = await response.text();
    } catch (error) {
      throw new WSEError('module_load_failed', `could not load ${url}: ${error.message}`);
    }
    try {
      new Function('WSE', `${text}\n//# sourceURL=${url}`)(WSE);
    } catch (error) {
      throw new WSEError('module_load_failed', `${url} failed to run: ${error.message}`);
    }
  }

  // --- helpers ---

  function defaultSessionURL() {
    if (!scriptURL) return null;
    const url = new URL('../wse', scriptURL);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.href;
  }

  function defaultModulesBase(sessionURL) {
    if (scriptURL) return new URL('modules/', scriptURL).href;
    const url = new URL('/js/modules/', sessionURL);
    url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
    return url.href;
  }

  function disconnected() {
    return new WSEError('disconnected', 'the connection dropped before the answer came; the request may or may not have run');
  }

  function checkPositive(value, what) {
    if (typeof value !== 'number' || !(value >= 0)) throw new TypeError(`WSE.Client: ${what} must be a non-negative number`);
    return value;
  }

  /**
   * A WSE session over one WebSocket that reconnects and resumes by itself.
   * See docs/WSE-JS.md for options, events and error codes.
   */
  class Client extends Emitter {
    constructor(options = {}) {
      super();
      this.url = options.url || defaultSessionURL();
      if (!this.url) throw new TypeError('WSE.Client: `url` is required (the node\'s ws(s)://host/wse) when wse.js is not loaded from the node');
      let parsed = null;
      try { parsed = new URL(this.url); } catch (_) { /* reported below */ }
      if (!parsed || (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:')) throw new TypeError(`WSE.Client: \`url\` must be a ws: or wss: URL, not ${JSON.stringify(String(this.url))}`);
      if (options.token === undefined || options.token === null) throw new TypeError('WSE.Client: `token` (a string or a function returning one or a Promise of one) is required');
      this._token = options.token;
      this._WebSocket = options.WebSocket || root.WebSocket;
      if (typeof this._WebSocket !== 'function') throw new TypeError('WSE.Client: no WebSocket implementation; pass one as `WebSocket`');
      const backoff = Object.assign({}, DEFAULTS.backoff, options.backoff);
      for (const key of ['initial', 'max', 'factor']) checkPositive(backoff[key], `backoff.${key}`);
      this.backoff = backoff;
      this.requestTimeout = checkPositive(options.requestTimeout ?? DEFAULTS.requestTimeout, 'requestTimeout');
      this.welcomeTimeout = checkPositive(options.welcomeTimeout ?? DEFAULTS.welcomeTimeout, 'welcomeTimeout');
      this.ackEvery = Math.max(1, checkPositive(options.ackEvery ?? DEFAULTS.ackEvery, 'ackEvery'));
      this.ackDelay = checkPositive(options.ackDelay ?? DEFAULTS.ackDelay, 'ackDelay');
      this.maxAttempts = checkPositive(options.maxAttempts ?? DEFAULTS.maxAttempts, 'maxAttempts');
      this.modulesBase = options.modulesBase || defaultModulesBase(this.url);
      this._random = options.random || Math.random;

      /** `idle`, `connecting`, `open`, `reconnecting` or `closed`. */
      this.state = 'idle';
      /** The session id from the last `welcome`, kept across reconnects for resume. */
      this.session = null;
      /** The highest event `seq` processed in this session. */
      this.lastSeq = 0;
      /** The server's heartbeat interval in seconds, from `welcome`. */
      this.heartbeat = null;
      /** Counters, for pages and tests that want to show what happened. */
      this.stats = { connects: 0, resumes: 0, duplicates: 0, gaps: 0, acksSent: 0 };

      this._ws = null;
      this._generation = 0;
      this._attempt = 0;
      this._reconnectTimer = null;
      this._welcomeTimer = null;
      this._ackTimer = null;
      this._acked = 0;
      this._resumeSent = null;
      this._authRetried = false;
      this._resumeRefused = false;
      this._nextRequest = 1;
      this._requests = new Map();
      this._outbox = [];
      this._processes = new Map();
      this._unclaimed = new Map();
      this._unclaimedCount = 0;
      this._connectWaiters = [];
      this._modules = new Map();
      this._onOnline = () => { if (this.state === 'reconnecting') this._retryNow(); };
    }

    /** Replaces the token source (a string, or a function returning a string or a Promise of one). */
    setToken(token) { this._token = token; }

    /**
     * Opens the session (or, while waiting to reconnect, tries at once). Resolves with
     * `{session, resumed, heartbeat}` at the next `welcome`; rejects with a
     * WSEError when the client gives up (4401 twice, 4403, maxAttempts reached, or `close()`).
     */
    connect() {
      if (this.state === 'open') return Promise.resolve({ session: this.session, resumed: false, heartbeat: this.heartbeat });
      const waiting = new Promise((resolve, reject) => this._connectWaiters.push({ resolve, reject }));
      if (this.state === 'reconnecting') this._retryNow(); // the page asks now: skip the rest of the backoff
      if (this.state === 'idle' || this.state === 'closed') {
        this._attempt = 0;
        this._authRetried = false;
        this._resumeRefused = false;
        if (typeof root.addEventListener === 'function') root.addEventListener('online', this._onOnline);
        this._open();
      }
      return waiting;
    }

    /**
     * Calls `action` of `service`. Resolves with `{data, pid}` from the `response`; rejects with a WSEError
     * whose `code` is the node's error code, or `disconnected`, `closed`, `client_timeout`.
     * Called while (re)connecting, the request waits for the session and is sent once; it is never resent.
     */
    request(service, action, data = {}, options = {}) {
      if (typeof service !== 'string' || service === '') return Promise.reject(new TypeError('request: `service` must be a non-empty string'));
      if (typeof action !== 'string' || action === '') return Promise.reject(new TypeError('request: `action` must be a non-empty string'));
      if (this.state === 'idle' || this.state === 'closed') return Promise.reject(new WSEError('closed', `request ${service}.${action}: the client is ${this.state}; call connect() first`));
      const id = `r${this._nextRequest++}`;
      const timeout = options.timeout ?? this.requestTimeout;
      return new Promise((resolve, reject) => {
        const entry = { id, resolve, reject, sent: false, timer: null };
        if (timeout > 0) {
          entry.timer = setTimeout(() => {
            this._requests.delete(id);
            reject(new WSEError('client_timeout', `request ${service}.${action} got no answer within ${timeout} ms`, { id }));
          }, timeout);
        }
        this._requests.set(id, entry);
        this._send({ type: 'request', id, service, action, data }, entry);
      });
    }

    /** The handle of process `pid` (created on first use); see Process. */
    process(pid) {
      let handle = this._processes.get(pid);
      if (!handle) {
        handle = new Process(this, pid);
        this._processes.set(pid, handle);
        const early = this._unclaimed.get(pid);
        if (early) {
          this._unclaimed.delete(pid);
          this._unclaimedCount -= early.length;
          for (const [kind, value] of early) handle._deliver(kind, value);
          if (handle.ended) this._processes.delete(pid); // its end came before anyone asked
        }
      }
      return handle;
    }

    /**
     * Asks the node to end process `pid`. Resolves with the reason of its `end` message
     * (normally `cancelled`); rejects with `client_timeout` if none arrives in time.
     */
    cancel(pid, options = {}) {
      if (typeof pid !== 'string' || pid === '') return Promise.reject(new TypeError('cancel: `pid` must be a non-empty string'));
      if (this.state === 'idle' || this.state === 'closed') return Promise.reject(new WSEError('closed', `cancel ${pid}: the client is ${this.state}`));
      const handle = this.process(pid);
      const timeout = options.timeout ?? this.requestTimeout;
      this._send({ type: 'cancel', pid }, null);
      if (timeout <= 0) return handle.done;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new WSEError('client_timeout', `cancel ${pid}: no end within ${timeout} ms`, { pid })), timeout);
        handle.done.then((reason) => { clearTimeout(timer); resolve(reason); });
      });
    }

    /**
     * Loads module `name` from `<modulesBase><name>.js` (default: the `modules/` folder next to wse.js,
     * i.e. `/js/modules/`) and resolves with what its factory returns for this client.
     */
    loadModule(name) {
      if (typeof name !== 'string' || !MODULE_NAME.test(name)) return Promise.reject(new WSEError('bad_module_name', `bad module name ${JSON.stringify(name)}: letters, digits, _ and - only`));
      let loaded = this._modules.get(name);
      if (!loaded) {
        const url = new URL(`${name}.js`, this.modulesBase).href;
        loaded = loadModuleFactory(name, url).then((factory) => factory(this, WSE));
        this._modules.set(name, loaded);
        loaded.catch(() => this._modules.delete(name));
      }
      return loaded;
    }

    /** Ends the session for good: no reconnect; pending requests reject with `closed`. */
    close(code = CloseCode.NORMAL, reason = 'client closed') {
      if (this.state === 'closed' || this.state === 'idle') return;
      const ws = this._ws;
      this._generation += 1;
      this._detach(new WSEError('closed', 'the client was closed'));
      if (ws) { try { ws.close(code, reason); } catch (_) { ws.close(); } }
      this.session = null;
      this.lastSeq = 0;
      this._acked = 0;
      for (const handle of this._processes.values()) handle._deliver('end', { pid: handle.pid, reason: 'closed' });
      this._processes.clear();
      this._unclaimed.clear();
      this._unclaimedCount = 0;
      this._finish(new WSEError('closed', 'the client was closed'), { code, reason });
    }

    // --- connection life cycle ---

    async _open() {
      const generation = ++this._generation;
      this.state = 'connecting';
      this._emit('connecting', { attempt: this._attempt, url: this.url });
      let token;
      try {
        token = typeof this._token === 'function' ? await this._token() : this._token;
        if (typeof token !== 'string' || token === '') throw new Error('the token function gave no token');
      } catch (error) {
        if (generation !== this._generation) return; // closed or restarted meanwhile
        this._emit('error', new WSEError('token_failed', `could not get a token: ${error.message}`));
        this._lost(0, 'no token');
        return;
      }
      if (generation !== this._generation) return;
      let ws;
      try {
        ws = new this._WebSocket(this.url);
      } catch (error) {
        this._fail(new WSEError('bad_url', `cannot open ${this.url}: ${error.message}`), { code: 0, reason: error.message });
        return;
      }
      this._ws = ws;
      this.stats.connects += 1;
      ws.onopen = () => {
        if (ws !== this._ws) return;
        this._resumeSent = this.session ? { session: this.session, lastSeq: this.lastSeq } : null;
        const hello = { type: 'hello', token };
        if (this._resumeSent) hello.resume = this._resumeSent;
        ws.send(JSON.stringify(hello));
        if (this.welcomeTimeout > 0) {
          this._welcomeTimer = setTimeout(() => {
            this._welcomeTimer = null;
            if (ws !== this._ws) return;
            this._detach(disconnected());
            try { ws.close(4000, 'no welcome'); } catch (_) { ws.close(); }
            this._lost(CloseCode.TIMED_OUT, `no welcome within ${this.welcomeTimeout} ms`);
          }, this.welcomeTimeout);
        }
      };
      ws.onmessage = (event) => { if (ws === this._ws) this._onFrame(event.data); };
      ws.onclose = (event) => {
        if (ws !== this._ws) return;
        this._detach(disconnected());
        this._lost(event.code, event.reason || '');
      };
      // After `open`, an error is followed by a close event that carries the code. A handshake that
      // fails may get no close event at all in some clients (node 20's), so that error ends the attempt.
      ws.onerror = () => {
        if (ws !== this._ws || ws.readyState !== 0) return;
        this._detach(disconnected());
        try { ws.close(); } catch (_) { /* already failed */ }
        this._lost(CloseCode.ABNORMAL, 'could not connect');
      };
    }

    // Forgets the current socket: later frames and its close event are ignored. Requests already on
    // the wire may or may not have run: they reject with `error`; the caller decides, we never resend.
    _detach(error) {
      this._ws = null;
      clearTimeout(this._welcomeTimer);
      clearTimeout(this._ackTimer);
      clearTimeout(this._reconnectTimer);
      this._welcomeTimer = this._ackTimer = this._reconnectTimer = null;
      for (const entry of this._requests.values()) {
        if (!entry.sent) continue;
        this._requests.delete(entry.id);
        clearTimeout(entry.timer);
        entry.reject(new WSEError(error.code, error.message, { id: entry.id }));
      }
    }

    // The socket is gone (or never came): decide between reconnecting and giving up, by close code.
    _lost(code, reason) {
      const info = { code, reason };
      const closed = { closeCode: code, closeReason: reason };
      const wasResuming = this._resumeSent !== null;
      this._resumeSent = null;
      if (code === CloseCode.NORMAL) return this._finish(new WSEError('closed', `the node ended the session: ${reason || 'normal close'}`), info);
      if (code === CloseCode.UNAUTHORIZED) {
        if (typeof this._token === 'function' && !this._authRetried) {
          this._authRetried = true;
          return this._scheduleReconnect(info, 0);
        }
        const error = new WSEError('unauthorized', 'the node refused the token (4401): get a new token, then call connect()', closed);
        return this._fail(error, info);
      }
      if (code === CloseCode.ORIGIN_NOT_ALLOWED) return this._fail(new WSEError('origin_not_allowed', 'the node does not accept this page\'s Origin (4403)', closed), info);
      if (code === CloseCode.PROTOCOL_VIOLATION) {
        if (wasResuming && !this._resumeRefused) {
          this._resumeRefused = true;
          this._resetSession(this.session);
          return this._scheduleReconnect(info, 0);
        }
        return this._fail(new WSEError('protocol_violation', `the node refused the session (4400): ${reason}`, closed), info);
      }
      this._scheduleReconnect(info, null);
    }

    _scheduleReconnect(info, fixedDelay) {
      if (this._attempt >= this.maxAttempts) {
        const closed = { closeCode: info.code, closeReason: info.reason };
        return this._fail(new WSEError('reconnect_failed', `gave up after ${this._attempt} attempts`, closed), info);
      }
      const { initial, max, factor, jitter } = this.backoff;
      const ceiling = Math.min(max, initial * Math.pow(factor, this._attempt));
      const delay = fixedDelay ?? (jitter ? this._random() * ceiling : ceiling);
      this._attempt += 1;
      this.state = 'reconnecting';
      this._emit('reconnecting', { attempt: this._attempt, delay, code: info.code, reason: info.reason });
      this._reconnectTimer = setTimeout(() => { this._reconnectTimer = null; this._open(); }, delay);
    }

    _retryNow() {
      clearTimeout(this._reconnectTimer);
      this._reconnectTimer = null;
      this._open();
    }

    // Gives up with an error the page should see (and may fix, e.g. with a new token and connect()).
    _fail(error, info) {
      this._emit('error', error);
      this._finish(error, info);
    }

    _finish(error, info) {
      clearTimeout(this._reconnectTimer);
      this._reconnectTimer = null;
      this.state = 'closed';
      if (typeof root.removeEventListener === 'function') root.removeEventListener('online', this._onOnline);
      for (const entry of this._requests.values()) { clearTimeout(entry.timer); entry.reject(new WSEError(error.code, error.message, { id: entry.id })); }
      this._requests.clear();
      this._outbox = [];
      const waiters = this._connectWaiters;
      this._connectWaiters = [];
      for (const waiter of waiters) waiter.reject(error);
      this._emit('closed', info);
    }

    _emit(name, value) {
      // An error nobody listens to still deserves a trace in the console.
      if (name === 'error' && this.listenerCount('error') === 0 && typeof console !== 'undefined') console.warn(`WSE: ${value.code}: ${value.message}`);
      super._emit(name, value);
    }

    // --- frames ---

    _send(message, entry) {
      if (this.state === 'open' && this._ws) {
        this._ws.send(JSON.stringify(message));
        if (entry) entry.sent = true;
      } else {
        this._outbox.push({ message, entry });
      }
    }

    _flushOutbox() {
      const outbox = this._outbox;
      this._outbox = [];
      for (const { message, entry } of outbox) {
        if (entry && !this._requests.has(entry.id)) continue; // timed out while waiting
        this._send(message, entry);
      }
    }

    _onFrame(text) {
      if (typeof text !== 'string') return this._emit('error', new WSEError('bad_message', 'the node sent a binary frame'));
      let message;
      try { message = JSON.parse(text); } catch (_) { message = null; }
      if (!message || typeof message !== 'object' || typeof message.type !== 'string') {
        return this._emit('error', new WSEError('bad_message', `the node sent a frame that is not a WSE message: ${text.slice(0, 120)}`));
      }
      this._emit('message', message);
      switch (message.type) {
        case 'welcome': return this._onWelcome(message);
        case 'response': return this._onResponse(message);
        case 'event': return this._onEvent(message);
        case 'end': return this._onEnd(message);
        case 'error': return this._onError(message);
        default: return undefined; // newer message types are ignored (PROTOCOL.md: extensions)
      }
    }

    _onWelcome(message) {
      clearTimeout(this._welcomeTimer);
      this._welcomeTimer = null;
      const asked = this._resumeSent;
      this._resumeSent = null;
      const resumed = Boolean(message.resumed && asked && asked.session === message.session);
      if (asked && !resumed) this._resetSession(asked.session);
      this.session = message.session;
      this.heartbeat = message.heartbeat ?? null;
      this._attempt = 0;
      this._authRetried = false;
      this._resumeRefused = false;
      if (resumed) { this._acked = this.lastSeq; this.stats.resumes += 1; }
      this.state = 'open';
      const info = { session: this.session, resumed, heartbeat: this.heartbeat };
      this._emit('open', info);
      if (resumed) this._emit('resumed', { session: this.session, lastSeq: this.lastSeq });
      const waiters = this._connectWaiters;
      this._connectWaiters = [];
      for (const waiter of waiters) waiter.resolve(info);
      this._flushOutbox();
    }

    // The node could not resume `previous`: its processes are gone and events may be missing.
    _resetSession(previous) {
      const lastSeq = this.lastSeq;
      this.session = null;
      this.lastSeq = 0;
      this._acked = 0;
      for (const handle of this._processes.values()) handle._deliver('end', { pid: handle.pid, reason: 'session_lost' });
      this._processes.clear();
      this._unclaimed.clear();
      this._unclaimedCount = 0;
      this._emit('reset', { previousSession: previous, lastSeq });
    }

    _onResponse(message) {
      const entry = this._requests.get(message.id);
      if (!entry) return; // timed out already
      this._requests.delete(message.id);
      clearTimeout(entry.timer);
      entry.resolve({ data: message.data, pid: message.pid });
    }

    _onError(message) {
      const error = new WSEError(message.code || 'error', message.message || message.code || 'error', message.id !== undefined ? { id: message.id } : undefined);
      const entry = message.id !== undefined ? this._requests.get(message.id) : undefined;
      if (!entry) return this._emit('error', error);
      this._requests.delete(message.id);
      clearTimeout(entry.timer);
      entry.reject(error);
    }

    _onEvent(message) {
      const seq = message.seq;
      if (Number.isInteger(seq)) {
        if (seq <= this.lastSeq) { this.stats.duplicates += 1; return; }
        if (seq > this.lastSeq + 1) {
          this.stats.gaps += 1;
          this._emit('gap', { from: this.lastSeq + 1, to: seq - 1 });
        }
        this.lastSeq = seq;
      }
      const event = { seq, service: message.service, pid: message.pid, data: message.data };
      if (event.pid !== undefined) this._toProcess(event.pid, 'event', event);
      if (event.service !== undefined) this._emit(`event:${event.service}`, event);
      this._emit('event', event);
      if (Number.isInteger(seq)) this._noteEvent();
    }

    _onEnd(message) {
      const end = { pid: message.pid, reason: message.reason };
      this._toProcess(end.pid, 'end', end);
      this._processes.delete(end.pid);
      this._emit('end', end);
    }

    _toProcess(pid, kind, value) {
      const handle = this._processes.get(pid);
      if (handle) return handle._deliver(kind, value);
      let early = this._unclaimed.get(pid);
      if (!early) this._unclaimed.set(pid, (early = []));
      early.push([kind, value]);
      this._unclaimedCount += 1;
      while (this._unclaimedCount > UNCLAIMED_LIMIT) {
        const [oldestPid, oldest] = this._unclaimed.entries().next().value;
        this._unclaimed.delete(oldestPid);
        this._unclaimedCount -= oldest.length;
      }
    }

    // --- acks: let the node trim its replay buffer ---

    _noteEvent() {
      if (this.lastSeq - this._acked >= this.ackEvery) return this._sendAck();
      if (this._ackTimer === null && this.ackDelay > 0) {
        this._ackTimer = setTimeout(() => { this._ackTimer = null; this._sendAck(); }, this.ackDelay);
      }
    }

    _sendAck() {
      clearTimeout(this._ackTimer);
      this._ackTimer = null;
      if (this.state !== 'open' || !this._ws || this.lastSeq <= this._acked) return;
      this._ws.send(JSON.stringify({ type: 'ack', seq: this.lastSeq }));
      this._acked = this.lastSeq;
      this.stats.acksSent += 1;
    }
  }

  const WSE = { version: VERSION, Client, Process, WSEError, CloseCode, registerModule };
  return WSE;
});
