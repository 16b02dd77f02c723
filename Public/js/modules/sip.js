/*! sip.js: telecom services for WSE pages (registration, presence, instant messages).
 * A WSE module, served at /js/modules/sip.js: `const sip = await client.loadModule('sip')`.
 * It speaks the `sip` service of PROTOCOL.md through wse.js. Plain ES2020, no dependencies.
 * Reference and examples: docs/SIP-JS.md.
 */
(function () {
  'use strict';

  const SERVICE = 'sip';
  // The IMS connector refuses a MESSAGE body above 64 KiB; the same bound keeps a presence note sane.
  const MAX_TEXT_BYTES = 64 * 1024;
  const MAX_URI_LENGTH = 1024;
  const BASIC_VALUES = ['open', 'closed'];

  if (typeof WSE === 'undefined') throw new Error('sip.js needs wse.js: load /js/wse.js first, then client.loadModule(\'sip\')');
  const { WSEError } = WSE;

  // --- URI syntax: RFC 3261 §25.1 (sip:, sips:) and RFC 3966 (tel:), what an address of a person needs ---

  const ESCAPED = '%[0-9A-Fa-f]{2}';
  const USER = `(?:[A-Za-z0-9\\-_.!~*'()&=+$,;?/]|${ESCAPED})+`;
  const HOSTNAME = '(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\\.)*[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?\\.?';
  const IPV4 = '\\d{1,3}(?:\\.\\d{1,3}){3}';
  const IPV6_REFERENCE = '\\[[0-9A-Fa-f:.]+\\]';
  const PARAM_CHAR = `(?:[A-Za-z0-9\\-_.!~*'()\\[\\]/:&+$]|${ESCAPED})`;
  const PARAMS = `(?:;${PARAM_CHAR}+(?:=${PARAM_CHAR}+)?)*`;
  const SIP_URI = new RegExp(`^(sips?):(${USER})@(${HOSTNAME}|${IPV4}|${IPV6_REFERENCE})(?::(\\d{1,5}))?(${PARAMS})$`, 'i');
  // A number has at least one digit among its visual separators (the lookaheads keep matching linear).
  const TEL_URI = new RegExp(`^tel:(\\+(?=[0-9().-]*[0-9])[0-9().-]+|(?=[0-9A-Fa-f*#().-]*[0-9A-Fa-f*#])[0-9A-Fa-f*#().-]+)(${PARAMS})$`, 'i');

  function invalid(operation, field, message) {
    return new WSEError('invalid_argument', `sip.${operation}: ${message}`, { field });
  }

  /**
   * Checks `value` as a sip:, sips: or tel: URI; returns `{uri, key}` where `key` identifies the
   * address whatever the case of scheme and host or the visual separators of a number.
   */
  function parseAddress(value, operation, field) {
    const example = 'a SIP URI such as sip:bob@example.org or a tel: URI such as tel:+15550100';
    if (typeof value !== 'string') throw invalid(operation, field, `\`${field}\` must be ${example}, not ${describe(value)}`);
    if (value.length > MAX_URI_LENGTH) throw invalid(operation, field, `\`${field}\` is longer than ${MAX_URI_LENGTH} characters`);
    const sip = SIP_URI.exec(value);
    if (sip) {
      const [, scheme, user, host, port, params] = sip;
      if (host.includes('.') && /^[\d.]+$/.test(host) && host.split('.').some((byte) => Number(byte) > 255)) {
        throw invalid(operation, field, `\`${field}\` has an IPv4 address out of range: ${JSON.stringify(value)}`);
      }
      if (port !== undefined && Number(port) > 65535) throw invalid(operation, field, `\`${field}\` has a port above 65535: ${JSON.stringify(value)}`);
      return { uri: value, key: `${scheme.toLowerCase()}:${user}@${host.toLowerCase()}${port ? `:${port}` : ''}${params}` };
    }
    const tel = TEL_URI.exec(value);
    if (tel) {
      const [, number, params] = tel;
      if (!number.startsWith('+') && !/;phone-context=/i.test(params)) {
        throw invalid(operation, field, `\`${field}\`: a local tel: number needs a ;phone-context= parameter (RFC 3966), or use the global form tel:+<country code><number>`);
      }
      return { uri: value, key: `tel:${number.replace(/[().-]/g, '').toLowerCase()}${params.toLowerCase()}` };
    }
    throw invalid(operation, field, `\`${field}\` must be ${example}, not ${JSON.stringify(value)}`);
  }

  function checkText(value, operation, field, { optional }) {
    if (optional && (value === undefined || value === null)) return;
    if (typeof value !== 'string') throw invalid(operation, field, `\`${field}\` must be a string, not ${describe(value)}`);
    if (!optional && value === '') throw invalid(operation, field, `\`${field}\` must not be empty`);
    if (new TextEncoder().encode(value).length > MAX_TEXT_BYTES) throw invalid(operation, field, `\`${field}\` is longer than ${MAX_TEXT_BYTES} bytes (UTF-8)`);
  }

  function checkListener(value, operation) {
    if (typeof value !== 'function') throw invalid(operation, 'callback', `the callback must be a function, not ${describe(value)}`);
  }

  function describe(value) {
    if (value === null) return 'null';
    if (value === undefined) return 'undefined (missing)';
    if (Array.isArray(value)) return 'an array';
    return typeof value === 'string' ? JSON.stringify(value) : `a value of type ${typeof value}`;
  }

  // A listener that throws must not break sip.js or the other listeners (as in wse.js).
  function callSafely(listener, ...values) {
    try {
      listener(...values);
    } catch (error) {
      if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
      else setTimeout(() => { throw error; }, 0);
    }
  }

  function deferred() {
    const result = {};
    result.promise = new Promise((resolve, reject) => { result.resolve = resolve; result.reject = reject; });
    result.promise.catch(() => {}); // a page need not look at it: no unhandled rejection
    return result;
  }

  /**
   * One watcher of one entity's presence, returned by `sip.watchPresence(uri, callback)`.
   * `stop()` ends it; `ended` resolves with `{reason, error}` when it ends for any reason.
   */
  class PresenceWatch {
    constructor(subscription, callback) {
      this._subscription = subscription;
      this._callback = callback;
      this._lastDelivered = null;
      this._ending = deferred();
      /** False once the watch has ended (stopped, refused, ended by the node, client closed). */
      this.active = true;
      /** Resolves with `{reason, error}`: `stopped`, `failed` (error has `code`), `ended` (by the node), `closed`. */
      this.ended = this._ending.promise;
    }

    /** The watched URI, as given to watchPresence. */
    get uri() { return this._subscription.uri; }

    /** The last presence known for the entity, `{entity, basic, note}`, or null before the first. */
    get presence() { return this._subscription.presence; }

    /** Resolves once the node has accepted the subscription; rejects (with `code`) if it refused it. */
    get ready() { return this._subscription.ready.promise; }

    /**
     * Ends this watch. The last watch of an entity ends its subscription on the node (`cancel` of
     * the subscribe process); resolves when that is done.
     */
    stop() {
      if (!this.active) return Promise.resolve();
      this._finish({ reason: 'stopped', error: null });
      return this._subscription.removeWatch(this);
    }

    _deliver(presence) {
      if (!this.active || presence === this._lastDelivered) return;
      this._lastDelivered = presence;
      callSafely(this._callback, presence, this);
    }

    _finish(outcome) {
      if (!this.active) return;
      this.active = false;
      this._ending.resolve(outcome);
    }
  }

  /**
   * The `subscribe` process of one entity, shared by every watch of that entity. It survives a
   * resumed session (same pid) and is subscribed again after a reset (new pid).
   */
  class PresenceSubscription {
    constructor(sip, address) {
      this.sip = sip;
      this.uri = address.uri;
      this.key = address.key;
      this.pid = null;
      this.presence = null;
      this.requesting = false;
      this.ended = false;
      this.ready = deferred();
      this._readySettled = false;
      this._watches = new Set();
      this._detachProcess = null;
      this._stopping = null;
    }

    addWatch(callback) {
      const watch = new PresenceWatch(this, callback);
      this._watches.add(watch);
      // A late watcher learns the known state at once (after watchPresence has returned its handle).
      if (this.presence) queueMicrotask(() => watch._deliver(this.presence));
      return watch;
    }

    removeWatch(watch) {
      this._watches.delete(watch);
      if (this._watches.size > 0) return Promise.resolve();
      return this._stop();
    }

    subscribe() {
      if (this.ended || this.pid !== null || this.requesting) return;
      this.requesting = true;
      const client = this.sip.client;
      client.request(SERVICE, 'subscribe', { entity: this.uri }).then((answer) => {
        this.requesting = false;
        const pid = typeof answer.pid === 'string' && answer.pid !== '' ? answer.pid : null;
        if (this.ended) return this._settleStop(pid ? this._cancel(pid) : Promise.resolve());
        if (!pid) return this._fail(new WSEError('bad_response', `sip.watchPresence: the node accepted the subscription to ${this.uri} without a process id`, { action: 'subscribe' }));
        this._attach(pid);
        if (!this._readySettled) { this._readySettled = true; this.ready.resolve({ pid }); }
        return undefined;
      }, (error) => {
        this.requesting = false;
        if (this.ended) return this._settleStop(Promise.resolve());
        // Sent, then the connection dropped: subscribe again at the next `open` (sip.js's _sync).
        if (error.code === 'disconnected') return undefined;
        error.action = 'subscribe';
        return this._fail(error);
      });
    }

    // A refusal of the first subscribe rejects `ready`; a later one (after a reset) goes to onError.
    _fail(error) {
      if (this._readySettled) this.sip._reportError(error);
      this._end('failed', error);
    }

    /** The session was reset: the old process is gone; a new one is needed. */
    lose() {
      this._detach();
    }

    _attach(pid) {
      const process = this.sip.client.process(pid);
      this.pid = pid;
      const offEvent = process.on('event', (event) => this._onData(event.data));
      const offEnd = process.on('end', (end) => this._onEnd(end));
      this._detachProcess = () => { offEvent(); offEnd(); };
    }

    _detach() {
      if (this._detachProcess) this._detachProcess();
      this._detachProcess = null;
      this.pid = null;
    }

    _onData(data) {
      if (!data || typeof data !== 'object' || data.kind !== 'presence') return; // messages: see SIPModule
      if (data.state === 'terminated') return; // the end of the process follows
      const since = typeof data.since === 'string' ? { since: data.since } : {}; // when it changed, if the node says
      this.presence = Object.freeze({ entity: data.entity ?? this.uri, basic: data.basic, note: data.note ?? null, ...since });
      for (const watch of Array.from(this._watches)) watch._deliver(this.presence);
    }

    _onEnd(end) {
      this._detach();
      if (end.reason === 'session_lost') return; // 'reset' follows: subscribed again
      this._end(end.reason === 'closed' ? 'closed' : 'ended', null);
    }

    _end(reason, error) {
      if (this.ended) return;
      this.ended = true;
      this._detach();
      this.sip._forget(this);
      if (!this._readySettled) {
        this._readySettled = true;
        this.ready.reject(error || new WSEError('watch_ended', `sip.watchPresence: the watch of ${this.uri} ended (${reason}) before the node accepted it`));
      }
      for (const watch of Array.from(this._watches)) watch._finish({ reason, error });
      this._watches.clear();
    }

    _stop() {
      const pid = this.pid;
      this._end('stopped', null);
      if (pid !== null) return this._cancel(pid);
      if (!this.requesting) return Promise.resolve();
      this._stopping = deferred(); // the subscribe answer is still to come: cancel its process then
      return this._stopping.promise;
    }

    // stop() came while the subscribe request was on its way: its promise settles with `outcome`.
    _settleStop(outcome) {
      const stopping = this._stopping;
      this._stopping = null;
      if (stopping) outcome.then(stopping.resolve, stopping.reject);
      else outcome.catch(() => {});
    }

    _cancel(pid) {
      return this.sip.client.cancel(pid).then(() => undefined);
    }
  }

  /** What `client.loadModule('sip')` resolves with: the `sip` service for one WSE client. */
  class SIPModule {
    constructor(client) {
      /** The WSE.Client this module speaks through. */
      this.client = client;
      /** The service id used in requests and expected on pushes. */
      this.service = SERVICE;
      this._registered = false;
      this._registrationLost = false;
      this._reregistering = false;
      this._subscriptions = new Map();
      this._messageListeners = new Set();
      this._errorListeners = new Set();
      client.on(`event:${SERVICE}`, (event) => this._onServiceEvent(event));
      client.on('reset', () => this._onReset());
      client.on('open', () => this._sync());
      client.on('closed', () => { if (client.session === null) this._registered = this._registrationLost = false; }); // close(): a new session starts blank
    }

    /** True after `register()` succeeded, until `unregister()` succeeds (or `client.close()`). */
    get registered() { return this._registered; }

    /** The URIs with at least one active watch. */
    get watched() { return Array.from(this._subscriptions.values(), (subscription) => subscription.uri); }

    /** Registers the user's SIP identity (`register {}`); resolves with the node's answer. */
    async register() {
      const data = await this._call('register', {});
      this._registered = true;
      this._registrationLost = false;
      return data;
    }

    /** Removes the registration (`unregister {}`); resolves with the node's answer. */
    async unregister() {
      const data = await this._call('unregister', {});
      this._registered = false;
      this._registrationLost = false;
      return data;
    }

    /** Publishes the user's presence: `{basic: 'open'|'closed', note?: string}`. */
    async publishPresence(presence) {
      if (!presence || typeof presence !== 'object' || Array.isArray(presence)) {
        throw invalid('publishPresence', 'presence', `the argument must be an object {basic, note}, not ${describe(presence)}`);
      }
      const { basic, note } = presence;
      if (!BASIC_VALUES.includes(basic)) throw invalid('publishPresence', 'basic', `\`basic\` must be "open" or "closed", not ${describe(basic)}`);
      checkText(note, 'publishPresence', 'note', { optional: true });
      const data = { basic };
      if (note !== undefined && note !== null) data.note = note;
      return this._call('publish', data);
    }

    /**
     * Calls `callback(presence, watch)` with `{entity, basic, note}` at every presence change of `uri`.
     * Returns a PresenceWatch; throws an `invalid_argument` WSEError for a bad URI or callback.
     */
    watchPresence(uri, callback) {
      const address = parseAddress(uri, 'watchPresence', 'uri');
      checkListener(callback, 'watchPresence');
      let subscription = this._subscriptions.get(address.key);
      if (!subscription) {
        subscription = new PresenceSubscription(this, address);
        this._subscriptions.set(address.key, subscription);
        subscription.subscribe();
      }
      return subscription.addWatch(callback);
    }

    /** Sends an instant message (`message {to, text}`); resolves with the node's answer. */
    async sendMessage(to, text) {
      const address = parseAddress(to, 'sendMessage', 'to');
      checkText(text, 'sendMessage', 'text', { optional: false });
      return this._call('message', { to: address.uri, text });
    }

    /** Calls `callback({from, text}, event)` for every incoming message; returns a function that stops it. */
    onMessage(callback) {
      checkListener(callback, 'onMessage');
      return this._listen(this._messageListeners, callback);
    }

    /** Calls `callback(error)` when work sip.js does on its own (re-register, re-subscribe) fails. */
    onError(callback) {
      checkListener(callback, 'onError');
      return this._listen(this._errorListeners, callback);
    }

    // --- internals ---

    _listen(listeners, callback) {
      const entry = { callback }; // its own entry: the same function added twice is called twice
      listeners.add(entry);
      return () => { listeners.delete(entry); };
    }

    async _call(action, data) {
      try {
        return (await this.client.request(SERVICE, action, data)).data;
      } catch (error) {
        if (error && typeof error === 'object') error.action = action;
        throw error;
      }
    }

    _onServiceEvent(event) {
      const data = event.data;
      // Incoming messages come as unsolicited pushes, or on a subscribe process (PROTOCOL.md allows both).
      if (!data || typeof data !== 'object' || data.kind !== 'message') return;
      const message = Object.freeze({ from: data.from, text: data.text });
      for (const entry of Array.from(this._messageListeners)) callSafely(entry.callback, message, event);
    }

    // A new session (resume refused): its processes are gone. Subscribe again and re-register.
    _onReset() {
      for (const subscription of this._subscriptions.values()) subscription.lose();
      if (this._registered) this._registrationLost = true;
      this._sync();
    }

    // Brings the session in line with what the page asked for; idempotent (called on reset and open).
    _sync() {
      if (this._registered && this._registrationLost && !this._reregistering) this._reregister();
      for (const subscription of Array.from(this._subscriptions.values())) subscription.subscribe();
    }

    _reregister() {
      this._reregistering = true;
      this.client.request(SERVICE, 'register', {}).then(() => {
        this._reregistering = false;
        this._registrationLost = false;
      }, (error) => {
        this._reregistering = false;
        if (error.code === 'disconnected') return; // tried again at the next `open`
        this._registrationLost = false;
        this._registered = false;
        error.action = 'register';
        this._reportError(error);
      });
    }

    _forget(subscription) {
      if (this._subscriptions.get(subscription.key) === subscription) this._subscriptions.delete(subscription.key);
    }

    _reportError(error) {
      if (this._errorListeners.size === 0 && typeof console !== 'undefined') console.warn(`sip.js: ${error.action}: ${error.code}: ${error.message}`);
      for (const entry of Array.from(this._errorListeners)) callSafely(entry.callback, error);
    }
  }

  WSE.registerModule(SERVICE, (client) => new SIPModule(client));
})();
