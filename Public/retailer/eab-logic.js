/* The Enhanced Address Book's pure logic, without the DOM: which location report wins, how SIP
 * addresses are compared, the per-contact conversations, and how the map places the contacts.
 * Plain ES2020, no dependencies. In the page it is `window.EABLogic`; in node, `require()` it
 * (Tests/js/eab/). */
(function (root, factory) {
  const logic = factory();
  if (typeof module === 'object' && module.exports) module.exports = logic;
  else root.EABLogic = logic;
})(typeof self !== 'undefined' ? self : this, () => {
  'use strict';

  // --- locations ---

  function isPosition(location) {
    return Boolean(location) && Number.isFinite(location.latitude) && Number.isFinite(location.longitude);
  }

  /**
   * Whether `incoming` should replace the card's `current` location. The composition asks once at open
   * and then follows the periodic reports, so an answer may arrive after a newer report: the older fix
   * (by its `timestamp`) is kept. A fix without a readable timestamp is taken as it comes.
   */
  function isNewerLocation(current, incoming) {
    if (!isPosition(incoming)) return false;
    if (!isPosition(current)) return true;
    const was = Date.parse(current.timestamp);
    const is = Date.parse(incoming.timestamp);
    return !(Number.isFinite(was) && Number.isFinite(is) && is < was);
  }

  // --- SIP addresses ---

  /**
   * The comparable form of a SIP address, as RFC 3261 §19.1.4 compares addresses of record: the scheme
   * and host ignore case, the user part does not; a display name, `<>`, port-less parameters and headers
   * are left out. `"Bob" <sip:bob@WSE.demo;transport=udp>` is `sip:bob@wse.demo`. Not a SIP URI: null.
   */
  function sipKey(address) {
    if (typeof address !== 'string') return null;
    let text = address.trim();
    const bracket = text.match(/<([^>]*)>/);
    if (bracket) text = bracket[1].trim();
    const match = text.match(/^(sips?):([^@;?\s]+)@([^;?\s>]+)/i);
    if (!match) return null;
    return `${match[1].toLowerCase()}:${match[2]}@${match[3].toLowerCase()}`;
  }

  // --- conversations ---

  const MESSAGE_LIMIT = 200; // per contact: the oldest go first

  /**
   * Each contact's messages, in order, keyed by the contact's SIP key. A message is
   * `{id, direction: 'in'|'out', text, at (ms), state: 'sending'|'sent'|'failed'|'received', error?}`.
   * `unread` counts incoming messages of a conversation that is not the open one.
   */
  class Conversations {
    constructor({ limit = MESSAGE_LIMIT } = {}) {
      this.limit = limit;
      this.threads = new Map(); // key -> {messages, unread}
      this.open = null;
      this.nextId = 1;
    }

    thread(key) {
      let thread = this.threads.get(key);
      if (!thread) {
        thread = { messages: [], unread: 0 };
        this.threads.set(key, thread);
      }
      return thread;
    }

    messages(key) { return this.threads.has(key) ? this.threads.get(key).messages.slice() : []; }

    unread(key) { return this.threads.has(key) ? this.threads.get(key).unread : 0; }

    /** Makes `key` the open conversation (null: none) and clears its unread count. */
    setOpen(key) {
      this.open = key;
      if (key !== null) this.thread(key).unread = 0;
    }

    /** A message being sent: returns it (its `state` is 'sending' until `settle`). */
    outgoing(key, text, at) {
      return this.push(key, { direction: 'out', text, at, state: 'sending' });
    }

    /** An incoming message: returns it; counts as unread unless its conversation is open. */
    incoming(key, text, at) {
      const message = this.push(key, { direction: 'in', text, at, state: 'received' });
      if (this.open !== key) this.thread(key).unread += 1;
      return message;
    }

    /** The outcome of sending message `id`: 'sent', or 'failed' with the error's sentence. */
    settle(key, id, state, error) {
      const message = this.threads.has(key) && this.threads.get(key).messages.find((entry) => entry.id === id);
      if (!message) return null;
      message.state = state;
      if (error) message.error = error;
      return message;
    }

    clear() {
      this.threads.clear();
      this.open = null;
    }

    push(key, fields) {
      const thread = this.thread(key);
      const message = { id: this.nextId++, ...fields };
      thread.messages.push(message);
      if (thread.messages.length > this.limit) thread.messages.splice(0, thread.messages.length - this.limit);
      return message;
    }
  }

  // --- the map ---

  const EARTH_RADIUS = 6371008.8; // metres (mean radius)
  const RADIANS = Math.PI / 180;

  /**
   * Places located contacts on a `width` × `height` drawing: an equirectangular projection around the
   * contacts' mean latitude (exact enough across a city), north up, fitted with `padding` pixels and at
   * least `minSpan` metres across, so that one contact alone sits in the middle of a sensible area.
   * `points` are `{id, latitude, longitude, accuracy?}`; returns `{points: [{id, x, y, radius}],
   * metresPerPixel, scale: {metres, pixels, label}}` where `radius` is the accuracy in pixels and `scale`
   * a round length for a scale bar of at most a fifth of the width. No points: null.
   */
  function layoutMap(points, { width, height, padding = 32, minSpan = 600 } = {}) {
    const located = points.filter(isPosition);
    if (!located.length || !(width > 2 * padding) || !(height > 2 * padding)) return null;
    const meanLatitude = located.reduce((sum, point) => sum + point.latitude, 0) / located.length;
    const xScale = EARTH_RADIUS * RADIANS * Math.cos(meanLatitude * RADIANS);
    const yScale = EARTH_RADIUS * RADIANS;
    const metres = located.map((point) => ({ point, x: point.longitude * xScale, y: point.latitude * yScale }));
    const xs = metres.map((entry) => entry.x);
    const ys = metres.map((entry) => entry.y);
    const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const innerWidth = width - 2 * padding;
    const innerHeight = height - 2 * padding;
    const spanX = Math.max(maxX - minX, minSpan * (innerWidth / Math.min(innerWidth, innerHeight)));
    const spanY = Math.max(maxY - minY, minSpan * (innerHeight / Math.min(innerWidth, innerHeight)));
    const metresPerPixel = Math.max(spanX / innerWidth, spanY / innerHeight);
    const centreX = (minX + maxX) / 2;
    const centreY = (minY + maxY) / 2;
    const placed = metres.map(({ point, x, y }) => ({
      id: point.id,
      x: width / 2 + (x - centreX) / metresPerPixel,
      y: height / 2 - (y - centreY) / metresPerPixel, // north up: larger latitudes higher on the drawing
      radius: Number.isFinite(point.accuracy) && point.accuracy > 0 ? point.accuracy / metresPerPixel : 0,
    }));
    return { points: placed, metresPerPixel, scale: scaleBar(metresPerPixel, width / 5) };
  }

  /** The longest round length (1, 2 or 5 × 10ⁿ metres) that fits in `maxPixels`, with its label. */
  function scaleBar(metresPerPixel, maxPixels) {
    const most = metresPerPixel * maxPixels;
    let step = 10 ** Math.floor(Math.log10(most));
    for (const factor of [5, 2, 1]) {
      if (factor * step <= most) {
        step *= factor;
        break;
      }
    }
    return { metres: step, pixels: step / metresPerPixel, label: step >= 1000 ? `${step / 1000} km` : `${step} m` };
  }

  return { isNewerLocation, sipKey, Conversations, layoutMap, scaleBar };
});
