/* The Enhanced Address Book page: log in with the node's auth.js, open a WSE session (wse.js),
 * register with the sip module, open the composed `eab` service and keep one card per contact up to
 * date from its events; message a contact (sip.js) and see the contacts on a map. The pure logic is in
 * eab-logic.js (window.EABLogic). Plain ES2020, no dependencies. Call flows: docs/EAB.md. */
(function () {
  'use strict';

  const config = window.EAB_CONFIG || {};
  const nodeURL = String(config.nodeURL || '').replace(/\/+$/, '');
  const USER_KEY = 'eab.user';
  const HIGHLIGHT_MS = 1600;
  const [MAP_WIDTH, MAP_HEIGHT, MAP_MIN_HEIGHT] = [900, 420, 300]; // the map's drawing, in CSS pixels
  const CLOCK_MS = 10000;

  const $ = (id) => document.getElementById(id);
  const Logic = window.EABLogic;
  const SVG = 'http://www.w3.org/2000/svg';
  const cards = new Map(); // contact id -> {element, state}
  const conversations = new Logic.Conversations(); // keyed by the contact's SIP key
  let mapVersion = 0;
  let client = null;
  let sip = null;
  // The node that ran the book is gone (a cluster node died): its `end` with reason error follows, and the book
  // is reopened on the node that now holds the session instead of asking the user (docs/CLUSTER.md, node_lost).
  let bookLostWithItsNode = false;

  // --- views, state and messages ---

  function showView(name) {
    document.body.dataset.view = name;
    for (const view of ['loading', 'login', 'book']) $(`${view}-view`).hidden = view !== name;
    const signedIn = name === 'book';
    $('logout').hidden = !signedIn;
    $('signed-in-as').hidden = !signedIn;
  }

  const CONNECTION_TEXT = {
    idle: 'Not connected',
    connecting: 'Connecting…',
    connected: 'Connected',
    reconnecting: 'Connection lost — reconnecting…',
    resumed: 'Connected (resumed)',
    error: 'Disconnected',
  };

  function setConnection(state, detail) {
    document.body.dataset.connectionState = state;
    $('connection-state').dataset.state = state;
    $('connection-text').textContent = detail ? `${CONNECTION_TEXT[state]} ${detail}` : CONNECTION_TEXT[state];
  }

  function showError(text, { retry = false } = {}) {
    $('page-error-text').textContent = text;
    $('retry').hidden = !retry;
    $('page-error').hidden = false;
  }

  function clearError() {
    $('page-error').hidden = true;
    $('page-error-text').textContent = '';
  }

  function notify(text) {
    $('notice').textContent = text;
    $('notice').hidden = !text;
  }

  function announce(text) {
    const line = document.createElement('p');
    line.textContent = text;
    $('announcer').appendChild(line);
    while ($('announcer').childElementCount > 5) $('announcer').firstElementChild.remove();
  }

  /** A sentence for an error of the node or of the libraries (codes: docs/WSE-JS.md, docs/SIP-JS.md). */
  function describeError(error, what) {
    switch (error && error.code) {
      case 'forbidden': return `You are not allowed to use ${what}.`;
      case 'unavailable': return `${capitalize(what)} is unavailable right now. Please try again in a moment.`;
      case 'unknown_service': return `${capitalize(what)} is not offered by this operator.`;
      case 'overloaded': case 'rate_limited': return `${capitalize(what)} is busy. Please try again in a moment.`;
      case 'timeout': case 'client_timeout': return `${capitalize(what)} did not answer in time.`;
      case 'disconnected': return `The connection dropped while reaching ${what}; please try again.`;
      case 'unauthorized': return 'Your sign-in has expired. Please sign in again.';
      case 'origin_not_allowed': return 'The operator does not accept this site (origin not allowed).';
      default: return `${capitalize(what)} failed${error && error.message ? `: ${error.message}` : '.'}`;
    }
  }

  function capitalize(text) { return text.charAt(0).toUpperCase() + text.slice(1); }

  // --- loading the node's scripts ---

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.appendChild(script);
    });
  }

  async function boot() {
    setConnection('idle');
    if (!nodeURL) {
      showError('This page is not configured: config.js must set EAB_CONFIG.nodeURL.');
      return;
    }
    try {
      await loadScript(`${nodeURL}/idp/auth.js`);
      await loadScript(`${nodeURL}/js/wse.js`);
    } catch (error) {
      setConnection('error');
      showError(`The operator's node at ${nodeURL} cannot be reached. Please try again later.`, { retry: true });
      $('retry').onclick = () => window.location.reload();
      return;
    }
    if (window.WSEAuth.token()) start();
    else showLogin();
  }

  // --- login and logout ---

  function showLogin(message) {
    showView('login');
    setConnection('idle');
    $('login-error').textContent = message || '';
    $('login-error').hidden = !message;
    $('login-username').focus();
  }

  async function onLogin(event) {
    event.preventDefault();
    const username = $('login-username').value.trim();
    const password = $('login-password').value;
    if (!username || !password) {
      showLoginError('Enter your user name and password.');
      return;
    }
    $('login-submit').disabled = true;
    $('login-submit').textContent = 'Signing in…';
    try {
      // On behalf of the retailer whose page this is: its client id becomes the token's `azp`.
      await window.WSEAuth.login(username, password, {clientId: config.clientId});
      sessionStorage.setItem(USER_KEY, username);
      $('login-password').value = '';
      $('login-error').hidden = true;
      start();
    } catch (error) {
      if (error.status === 401) showLoginError('Wrong user name or password.');
      else if (error.status === 429) showLoginError('Too many attempts. Please wait a minute and try again.');
      else if (error.status) showLoginError(`Sign-in failed: ${error.message}`);
      else showLoginError(`The operator's node cannot be reached (${error.message}).`);
    } finally {
      $('login-submit').disabled = false;
      $('login-submit').textContent = 'Sign in';
    }
  }

  function showLoginError(text) {
    $('login-error').textContent = text;
    $('login-error').hidden = false;
    $('login-password').focus();
  }

  async function logout() {
    const leaving = client;
    const leavingSip = sip;
    client = sip = null;
    if (leaving) {
      if (leavingSip && leavingSip.registered && leaving.state === 'open') {
        const timeout = new Promise((resolve) => setTimeout(resolve, 2000));
        await Promise.race([leavingSip.unregister().catch(() => {}), timeout]); // best effort: leaving anyway
      }
      leaving.close();
    }
    window.WSEAuth.logout();
    sessionStorage.removeItem(USER_KEY);
    clearCards();
    clearError();
    notify('');
    showLogin();
  }

  // --- the session ---

  function start() {
    clearError();
    showView('book');
    const user = sessionStorage.getItem(USER_KEY);
    $('signed-in-as').textContent = user ? `Signed in as ${user}` : 'Signed in';
    const session = new window.WSE.Client({
      url: window.WSEAuth.webSocketURL,
      token: () => {
        const token = window.WSEAuth.token();
        if (!token) {
          setTimeout(() => signInAgain(session)); // the stored token expired: a reconnect needs a new login
          throw Object.assign(new Error('the sign-in has expired'), { code: 'unauthorized' });
        }
        return token;
      },
      backoff: { initial: 250, max: 5000, factor: 2, jitter: true },
    });
    client = session;
    session.on('connecting', () => {
      if (document.body.dataset.connectionState !== 'reconnecting') setConnection('connecting');
    });
    session.on('open', ({ resumed }) => setConnection(resumed ? 'resumed' : 'connected'));
    session.on('reconnecting', ({ attempt }) => setConnection('reconnecting', attempt > 1 ? `(attempt ${attempt})` : ''));
    session.on('reset', () => {
      notify('The connection was restored with a new session: refreshing your contacts.');
      openBook(session);
    });
    session.on('closed', () => { if (client === session) setConnection('error'); });
    session.on('error', (error) => {
      if (client !== session) return;
      if (error.code === 'unauthorized') {
        signInAgain(session);
      } else if (error.code === 'node_lost') {
        bookLostWithItsNode = true;
      } else if (error.code === 'origin_not_allowed' || error.code === 'reconnect_failed' || error.code === 'protocol_violation') {
        showError(describeError(error, 'the connection'), { retry: true });
        $('retry').onclick = () => { session.connect().catch(() => {}); clearError(); };
      }
    });
    setConnection('connecting');
    session.connect()
      .then(() => session.loadModule('sip'))
      .then((module) => {
        sip = module;
        sip.onError((error) => notify(describeError(error, `presence (${error.action || 'sip'})`)));
        sip.onMessage(({ from, text }) => { if (client === session) receiveMessage(from, text); });
        return sip.register().catch((error) => {
          // The book still works without registration; say so and go on.
          notify(describeError(error, 'registration with the phone network'));
        });
      })
      .then(() => openBook(session))
      .catch((error) => {
        if (client === session && error.code !== 'unauthorized') showError(describeError(error, 'the connection'), { retry: true });
      });
  }

  function signInAgain(session) {
    if (client !== session) return;
    client = sip = null;
    session.close();
    window.WSEAuth.logout();
    clearCards();
    showLogin('Your sign-in has expired. Please sign in again.');
  }

  async function openBook(session) {
    if (client !== session) return;
    $('retry').onclick = () => { clearError(); openBook(session); };
    try {
      const openedAt = Date.now();
      const { pid } = await session.request('eab', 'open', {});
      if (client !== session) return;
      $('cards').dataset.openedAt = String(openedAt); // when the page asked: the cards' data-located-at follow it
      clearError();
      const book = session.process(pid);
      book.on('event', ({ data }) => applyChange(data));
      book.on('end', ({ reason }) => {
        if (client !== session || reason === 'closed' || reason === 'session_lost') return;
        if (reason === 'error' && bookLostWithItsNode) {
          bookLostWithItsNode = false;
          openBook(session);
          return;
        }
        showError(reason === 'error' ? 'The address book stopped because of an error on the operator side.'
          : 'The address book was closed by the operator.', { retry: true });
      });
    } catch (error) {
      if (client === session) showError(describeError(error, 'the address book'), { retry: true });
    }
  }

  // --- own presence ---

  async function onPublish(event) {
    event.preventDefault();
    const basic = new FormData($('presence-form')).get('basic');
    const note = $('presence-note').value.trim();
    const status = $('presence-status');
    if (!sip) {
      status.textContent = 'Not connected yet.';
      return;
    }
    $('presence-submit').disabled = true;
    status.dataset.state = 'pending';
    status.textContent = 'Updating…';
    try {
      await sip.publishPresence(note ? { basic, note } : { basic });
      status.dataset.state = 'done';
      status.textContent = `You appear ${basic === 'open' ? 'available' : 'away'}${note ? ` — “${note}”` : ''}.`;
    } catch (error) {
      status.dataset.state = 'failed';
      status.textContent = describeError(error, 'publishing your presence');
    } finally {
      $('presence-submit').disabled = false;
    }
  }

  // --- cards ---

  function clearCards() {
    cards.clear();
    $('cards').replaceChildren();
    conversations.clear();
    closeConversation();
    updateCount();
    renderMap();
  }

  function updateCount() {
    const count = cards.size;
    $('contacts-count').textContent = count ? `${count} contact${count === 1 ? '' : 's'}` : '';
    $('contacts-empty').hidden = count > 0;
  }

  /** Merges one card change `{id, name, presence?, location?}` into its card (created on first sight). */
  function applyChange(change) {
    if (!change || typeof change.id !== 'string') return;
    let card = cards.get(change.id);
    const isNew = !card;
    if (isNew) {
      card = createCard(change.id);
      cards.set(change.id, card);
      updateCount();
    }
    const previous = card.state.presence;
    const moved = Logic.isNewerLocation(card.state.location, change.location);
    const named = typeof change.name === 'string' && change.name !== card.state.name;
    if (!isNew && !moved && !change.presence && !named && typeof change.sip !== 'string') return; // an older fix only
    if (typeof change.name === 'string') card.state.name = change.name;
    if (typeof change.sip === 'string') card.state.sip = change.sip;
    if (change.presence && typeof change.presence === 'object') card.state.presence = change.presence;
    if (moved) {
      card.state.location = change.location;
      if (!card.element.dataset.locatedAt) card.element.dataset.locatedAt = String(Date.now());
    }
    card.state.version += 1;
    card.element.dataset.updatedAt = String(Date.now());
    renderCard(card);
    if (moved || change.presence || named) renderMap();
    if (conversations.open && conversations.open === Logic.sipKey(card.state.sip)) renderConversationTitle(card);
    if (!isNew) {
      highlight(card.element);
      if (change.presence && (!previous || previous.basic !== change.presence.basic || previous.note !== change.presence.note)) {
        announce(`${card.state.name} is now ${presenceWord(change.presence.basic)}${change.presence.note ? `: ${change.presence.note}` : ''}.`);
      }
    }
  }

  function createCard(id) {
    const element = $('card-template').content.firstElementChild.cloneNode(true);
    element.dataset.contactId = id;
    const nameId = `card-name-${cssSafe(id)}`;
    element.querySelector('[data-field="name"]').id = nameId;
    element.querySelector('article').setAttribute('aria-labelledby', nameId);
    element.addEventListener('animationend', () => element.classList.remove('updated'));
    element.querySelector('[data-action="message"]').addEventListener('click', () => openConversation(id));
    $('cards').appendChild(element); // in the order of the composition's first events: the contact list's
    return { element, state: { id, name: id, sip: null, presence: null, location: null, version: 0 } };
  }

  function cssSafe(text) { return text.replace(/[^A-Za-z0-9_-]/g, '_'); }

  function field(card, name) { return card.element.querySelector(`[data-field="${name}"]`); }

  function renderCard(card) {
    const { element, state } = card;
    element.dataset.version = String(state.version);
    field(card, 'name').textContent = state.name;
    element.querySelector('.avatar').textContent = initials(state.name);
    const presence = state.presence;
    const basic = presence && (presence.basic === 'open' || presence.basic === 'closed') ? presence.basic : 'unknown';
    element.dataset.presence = basic;
    field(card, 'presence-basic').textContent = capitalize(presenceWord(basic));
    element.querySelector('[data-action="message"]').disabled = !Logic.sipKey(state.sip);
    renderUnread(card);
    setText(field(card, 'presence-note'), presence && presence.note ? presence.note : null, '—');
    setTime(field(card, 'presence-since'), presence && presence.since);
    const location = state.location;
    if (location && Number.isFinite(location.latitude) && Number.isFinite(location.longitude)) {
      const coordinates = field(card, 'location-coordinates');
      const link = document.createElement('a');
      link.href = `https://www.openstreetmap.org/?mlat=${location.latitude}&mlon=${location.longitude}#map=16/${location.latitude}/${location.longitude}`;
      link.target = '_blank';
      link.rel = 'noopener';
      link.textContent = formatCoordinates(location.latitude, location.longitude);
      link.setAttribute('aria-label', `${formatCoordinates(location.latitude, location.longitude)} (open the map in a new tab)`);
      coordinates.replaceChildren(link);
      coordinates.dataset.latitude = String(location.latitude);
      coordinates.dataset.longitude = String(location.longitude);
      setText(field(card, 'location-accuracy'), Number.isFinite(location.accuracy) ? `± ${Math.round(location.accuracy)} m` : null, '—');
      setTime(field(card, 'location-updated'), location.timestamp);
    }
  }

  function presenceWord(basic) {
    return basic === 'open' ? 'available' : basic === 'closed' ? 'away' : 'unknown';
  }

  function initials(name) {
    return name.split(/\s+/).filter(Boolean).slice(0, 2).map((part) => part[0].toUpperCase()).join('');
  }

  function setText(element, text, placeholder) {
    if (text) {
      element.textContent = text;
    } else {
      const muted = document.createElement('span');
      muted.className = 'muted';
      muted.textContent = placeholder;
      element.replaceChildren(muted);
    }
  }

  function setTime(element, value) {
    const date = value ? new Date(value) : null;
    if (!date || Number.isNaN(date.getTime())) {
      element.removeAttribute('datetime');
      element.removeAttribute('title');
      setText(element, value ? String(value) : null, '—');
      return;
    }
    element.setAttribute('datetime', date.toISOString());
    element.title = date.toLocaleString();
    element.textContent = relativeTime(date);
  }

  const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

  function relativeTime(date) {
    const seconds = Math.round((date.getTime() - Date.now()) / 1000);
    if (Math.abs(seconds) < 10) return 'just now';
    const steps = [[60, 'second'], [60, 'minute'], [24, 'hour'], [7, 'day'], [4.35, 'week'], [12, 'month'], [Infinity, 'year']];
    let amount = seconds;
    for (const [size, unit] of steps) {
      if (Math.abs(amount) < size) return relativeFormat.format(Math.round(amount), unit);
      amount /= size;
    }
    return date.toLocaleString();
  }

  function formatCoordinates(latitude, longitude) {
    const lat = `${Math.abs(latitude).toFixed(4)}° ${latitude >= 0 ? 'N' : 'S'}`;
    const lon = `${Math.abs(longitude).toFixed(4)}° ${longitude >= 0 ? 'E' : 'W'}`;
    return `${lat}, ${lon}`;
  }

  function highlight(element) {
    element.classList.remove('updated');
    void element.offsetWidth; // restart the animation when two changes come close together
    element.classList.add('updated');
    setTimeout(() => element.classList.remove('updated'), HIGHLIGHT_MS); // also without animations (reduced motion)
  }

  // --- messages ---

  function cardOfKey(key) {
    if (!key) return null;
    for (const card of cards.values()) if (Logic.sipKey(card.state.sip) === key) return card;
    return null;
  }

  function receiveMessage(from, text) {
    const key = Logic.sipKey(from);
    if (!key || typeof text !== 'string') return;
    conversations.incoming(key, text, Date.now());
    const card = cardOfKey(key);
    const name = card ? card.state.name : from;
    if (card) renderUnread(card);
    else notify(`Message from ${from}: ${text}`); // not one of the contacts: no conversation to open
    if (conversations.open === key) renderMessages();
    announce(`New message from ${name}: ${text}`);
  }

  function renderUnread(card) {
    const badge = field(card, 'unread');
    const count = conversations.unread(Logic.sipKey(card.state.sip));
    badge.hidden = count === 0;
    badge.textContent = count ? String(count) : '';
    card.element.dataset.unread = String(count);
    const unread = count === 0 ? '' : `, ${count} unread message${count === 1 ? '' : 's'}`;
    card.element.querySelector('[data-action="message"]').setAttribute('aria-label', `Message ${card.state.name}${unread}`);
  }

  function openConversation(id) {
    const card = cards.get(id);
    const key = card && Logic.sipKey(card.state.sip);
    if (!key) return;
    conversations.setOpen(key);
    const panel = $('conversation');
    panel.dataset.contactId = id;
    panel.hidden = false;
    renderConversationTitle(card);
    renderUnread(card);
    renderMessages();
    $('message-status').textContent = '';
    $('message-text').focus();
  }

  function closeConversation() {
    conversations.setOpen(null);
    const panel = $('conversation');
    const id = panel.dataset.contactId;
    panel.hidden = true;
    delete panel.dataset.contactId;
    $('conversation-messages').replaceChildren();
    const card = id && cards.get(id);
    if (card && document.activeElement && panel.contains(document.activeElement)) {
      card.element.querySelector('[data-action="message"]').focus();
    }
  }

  function renderConversationTitle(card) {
    $('conversation-title').textContent = `Messages with ${card.state.name}`;
    $('message-label').textContent = `Message to ${card.state.name}`;
  }

  function renderMessages() {
    const list = $('conversation-messages');
    const messages = conversations.open ? conversations.messages(conversations.open) : [];
    list.replaceChildren(...messages.map(messageElement));
    $('conversation-empty').hidden = messages.length > 0;
    list.scrollTop = list.scrollHeight; // the newest in view, without scrolling the page
  }

  const MESSAGE_STATE = { sending: 'Sending…', sent: 'Sent', received: '' };

  function messageElement(message) {
    const item = document.createElement('li');
    item.className = 'message';
    item.dataset.direction = message.direction;
    item.dataset.state = message.state;
    const text = document.createElement('p');
    text.className = 'message-text';
    text.textContent = message.text;
    const meta = document.createElement('p');
    meta.className = 'message-meta';
    const time = document.createElement('time');
    const at = new Date(message.at);
    time.setAttribute('datetime', at.toISOString());
    time.textContent = at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
    const who = document.createElement('span');
    who.className = 'visually-hidden';
    who.textContent = message.direction === 'out' ? 'You, ' : 'Them, ';
    meta.append(who, time);
    const state = message.state === 'failed' ? `Not sent: ${message.error}` : MESSAGE_STATE[message.state];
    if (state) {
      const status = document.createElement('span');
      status.className = 'message-state';
      status.textContent = ` · ${state}`;
      meta.append(status);
    }
    item.append(text, meta);
    return item;
  }

  async function onSendMessage(event) {
    event.preventDefault();
    const card = cards.get($('conversation').dataset.contactId);
    const input = $('message-text');
    const text = input.value.trim();
    const key = card && Logic.sipKey(card.state.sip);
    if (!key || !text) return;
    if (!sip) {
      $('message-status').textContent = 'Not connected yet.';
      return;
    }
    const message = conversations.outgoing(key, text, Date.now());
    input.value = '';
    renderMessages();
    try {
      await sip.sendMessage(card.state.sip, text);
      conversations.settle(key, message.id, 'sent');
    } catch (error) {
      const reason = error && error.code === 'not_found'
        ? `${card.state.name} cannot be reached right now (not signed in).`
        : describeError(error, 'sending the message');
      conversations.settle(key, message.id, 'failed', reason);
      $('message-status').textContent = reason;
    }
    if (conversations.open === key) renderMessages();
  }

  // --- the map ---

  function showContactsView(view) {
    const section = document.querySelector('.contacts');
    section.dataset.contactsView = view;
    $('cards').hidden = view !== 'cards';
    $('map-view').hidden = view !== 'map';
    $('show-cards').setAttribute('aria-pressed', String(view === 'cards'));
    $('show-map').setAttribute('aria-pressed', String(view === 'map'));
    if (view === 'map') renderMap();
  }

  function svg(name, attributes, text) {
    const element = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
    if (text !== undefined) element.textContent = text;
    return element;
  }

  /** How far a name centred under a point at `x` moves so that it stays inside the drawing. */
  function labelShift(x, width) {
    const half = 95; // about half the width of "Carol Clark · available" at the map's font size
    return Math.min(Math.max(x, half), width - half) - x;
  }

  /** Draws every located contact on the SVG: accuracy circle, presence-coloured dot, initials, name. */
  function renderMap() {
    const drawing = $('map');
    // Drawn at the size it is shown (text stays legible on a phone); 900 × 420 while the map is hidden.
    const width = Math.round(drawing.getBoundingClientRect().width) || MAP_WIDTH;
    const height = Math.round(Math.min(MAP_HEIGHT, Math.max(MAP_MIN_HEIGHT, width * 0.75)));
    drawing.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const located = [...cards.values()].filter((card) => card.state.location)
      .map((card) => ({ id: card.state.id, ...card.state.location }));
    const layout = Logic.layoutMap(located, { width, height, padding: 64 });
    mapVersion += 1;
    drawing.dataset.version = String(mapVersion);
    const legend = [];
    const children = [svg('rect', { class: 'map-ground', x: 0, y: 0, width, height, rx: 12 })];
    if (layout) {
      const step = layout.scale.pixels;
      for (let x = width / 2 % step; x < width; x += step) children.push(svg('line', { class: 'map-grid', x1: x, y1: 0, x2: x, y2: height }));
      for (let y = height / 2 % step; y < height; y += step) children.push(svg('line', { class: 'map-grid', x1: 0, y1: y, x2: width, y2: y }));
      const scale = svg('g', { class: 'map-scale', transform: `translate(20 ${height - 20})` });
      scale.append(svg('path', { d: `M0 -6 V0 H${step} V-6` }), svg('text', { x: step + 8, y: 0 }, layout.scale.label));
      children.push(scale, svg('text', { class: 'map-north', x: width - 24, y: 30, 'text-anchor': 'middle' }, 'N ↑'));
      for (const point of layout.points) {
        const card = cards.get(point.id);
        const { state } = card;
        const basic = state.presence && (state.presence.basic === 'open' || state.presence.basic === 'closed') ? state.presence.basic : 'unknown';
        const group = svg('g', {
          class: 'map-point', 'data-contact-id': state.id, 'data-presence': basic,
          'data-latitude': state.location.latitude, 'data-longitude': state.location.longitude,
          'data-x': point.x.toFixed(1), 'data-y': point.y.toFixed(1), transform: `translate(${point.x.toFixed(1)} ${point.y.toFixed(1)})`,
        });
        if (point.radius >= 3) group.append(svg('circle', { class: 'map-accuracy', r: Math.min(point.radius, width).toFixed(1) }));
        group.append(svg('circle', { class: 'map-dot', r: 16 }),
          svg('text', { class: 'map-initials', 'text-anchor': 'middle', dy: '0.35em' }, initials(state.name)),
          svg('text', { class: 'map-name', 'text-anchor': 'middle', y: 36, x: labelShift(point.x, width).toFixed(1) },
            `${state.name} · ${presenceWord(basic)}`));
        children.push(group);
        legend.push(`${state.name}: ${formatCoordinates(state.location.latitude, state.location.longitude)}, ${presenceWord(basic)}`);
      }
    }
    drawing.replaceChildren(...children);
    $('map-summary').textContent = layout
      ? `${layout.points.length} of ${cards.size} contact${cards.size === 1 ? '' : 's'} located; the bar is ${layout.scale.label}.`
      : 'No contact has a location yet.';
    $('map-legend').replaceChildren(...legend.map((line) => {
      const item = document.createElement('li');
      item.textContent = line;
      return item;
    }));
  }

  function refreshTimes() {
    for (const element of document.querySelectorAll('#cards time[datetime]')) {
      element.textContent = relativeTime(new Date(element.getAttribute('datetime')));
    }
  }

  // --- start ---

  document.addEventListener('DOMContentLoaded', () => {
    $('login-form').addEventListener('submit', onLogin);
    $('presence-form').addEventListener('submit', onPublish);
    $('logout').addEventListener('click', logout);
    $('message-form').addEventListener('submit', onSendMessage);
    $('conversation-close').addEventListener('click', closeConversation);
    $('conversation').addEventListener('keydown', (event) => { if (event.key === 'Escape') closeConversation(); });
    $('show-cards').addEventListener('click', () => showContactsView('cards'));
    $('show-map').addEventListener('click', () => showContactsView('map'));
    setInterval(refreshTimes, CLOCK_MS);
    // Leaving the page ends its session (close 1000), so that its book does not run on for the node's
    // resume window: a browser closes with 1001, which keeps the session for a resume that never comes
    // (and a user reloading often would reach the node's limit of running compositions).
    let resizing = null;
    window.addEventListener('resize', () => { // redraw the map for its new width, once per frame
      if (resizing === null) resizing = requestAnimationFrame(() => { resizing = null; if (!$('map-view').hidden) renderMap(); });
    });
    window.addEventListener('pagehide', () => { if (client) client.close(1000, 'page closed'); });
    window.addEventListener('pageshow', (event) => { if (event.persisted) window.location.reload(); }); // back from bfcache: start afresh
    boot();
  });
})();
