/* The Enhanced Address Book page: log in with the node's auth.js, open a WSE session (wse.js),
 * register with the sip module, open the composed `eab` service and keep one card per contact up to
 * date from its events. Plain ES2020, no dependencies. Call flows: docs/EAB.md. */
(function () {
  'use strict';

  const config = window.EAB_CONFIG || {};
  const nodeURL = String(config.nodeURL || '').replace(/\/+$/, '');
  const USER_KEY = 'eab.user';
  const HIGHLIGHT_MS = 1600;
  const CLOCK_MS = 10000;

  const $ = (id) => document.getElementById(id);
  const cards = new Map(); // contact id -> {element, state}
  let client = null;
  let sip = null;

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
      await window.WSEAuth.login(username, password);
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
      const { pid } = await session.request('eab', 'open', {});
      if (client !== session) return;
      clearError();
      const book = session.process(pid);
      book.on('event', ({ data }) => applyChange(data));
      book.on('end', ({ reason }) => {
        if (client !== session || reason === 'closed' || reason === 'session_lost') return;
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
    updateCount();
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
    if (typeof change.name === 'string') card.state.name = change.name;
    if (change.presence && typeof change.presence === 'object') card.state.presence = change.presence;
    if (change.location && typeof change.location === 'object') card.state.location = change.location;
    card.state.version += 1;
    card.element.dataset.updatedAt = String(Date.now());
    renderCard(card);
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
    $('cards').appendChild(element); // in the order of the composition's first events: the contact list's
    return { element, state: { id, name: id, presence: null, location: null, version: 0 } };
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
    setInterval(refreshTimes, CLOCK_MS);
    boot();
  });
})();
