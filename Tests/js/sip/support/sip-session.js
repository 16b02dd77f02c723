'use strict';
// sip.js against the scripted node: a connected client with the module loaded over HTTP from
// /js/modules/sip.js, and `ServiceScript`, the node's side of the `sip` service in one session.

const assert = require('node:assert/strict');
const { startSession } = require('../../support/harness');
const { within } = require('../../support/waiting');

/** The node's side of one session: it reads what sip.js sends and answers as the test decides. */
class ServiceScript {
  constructor(connection, { seq = 0 } = {}) {
    this.connection = connection;
    this.seq = seq;
  }

  /** The next message must be a `sip` request for `action` (with exactly `data`, when given). */
  async expectRequest(action, data) {
    const request = await this.connection.expect('request');
    assert.equal(request.service, 'sip', `a request of the sip service: ${JSON.stringify(request)}`);
    assert.equal(request.action, action, `the action of ${JSON.stringify(request)}`);
    if (data !== undefined) assert.deepEqual(request.data, data, `the data of ${action}`);
    return request;
  }

  /** The next message must be a cancel of `pid`. */
  async expectCancel(pid) {
    const cancel = await this.connection.expect('cancel');
    assert.equal(cancel.pid, pid);
    return cancel;
  }

  respond(request, data = {}, pid = `p-${request.id}`) {
    this.connection.send({ type: 'response', id: request.id, pid, data });
    return pid;
  }

  refuse(request, code, message) {
    this.connection.send({ type: 'error', id: request.id, code, message });
  }

  /** An event of process `pid`, or an unsolicited push when `pid` is undefined. */
  push(data, pid) {
    this.seq += 1;
    const event = { type: 'event', seq: this.seq, service: 'sip', data };
    if (pid !== undefined) event.pid = pid;
    this.connection.send(event);
  }

  presence(pid, entity, basic, note = null) {
    this.push({ kind: 'presence', entity, basic, note }, pid);
  }

  end(pid, reason) {
    this.connection.send({ type: 'end', pid, reason });
  }

  /** Answers a subscribe request for `entity`; returns the process id. */
  async acceptSubscribe(entity) {
    return this.respond(await this.expectRequest('subscribe', { entity }), {});
  }
}

/** A connected client (session `session-1`) with sip.js loaded, and the script of its session. */
async function startSIP(t, options = {}) {
  const pair = await startSession(t, options);
  const sip = await within(pair.client.loadModule('sip'), undefined, "loadModule('sip')");
  return { ...pair, sip, script: new ServiceScript(pair.connection) };
}

/**
 * Proves that sip.js sent nothing since the last expected message: sends a message through sip.js
 * and requires it to be the very next one on the wire (no sleep: order on one socket is the proof).
 */
async function expectNothingSentBefore(sip, script) {
  const sent = sip.sendMessage('sip:probe@wse.test', 'probe');
  const request = await script.expectRequest('message', { to: 'sip:probe@wse.test', text: 'probe' });
  script.respond(request, { sent: true });
  await within(sent);
}

/** A listener that records its calls, and lets a test wait (bounded) for the n-th one. */
function recorder() {
  const calls = [];
  const waiters = [];
  const listener = (...args) => {
    calls.push(args);
    for (const waiter of waiters.filter((w) => calls.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(calls.slice());
    }
  };
  listener.calls = calls;
  listener.values = () => calls.map((args) => args[0]);
  listener.waitFor = (count, what = `${count} calls`) => {
    if (calls.length >= count) return Promise.resolve(calls.slice());
    return within(new Promise((resolve) => waiters.push({ count, resolve })), undefined, what);
  };
  return listener;
}

module.exports = { ServiceScript, startSIP, expectNothingSentBefore, recorder };
