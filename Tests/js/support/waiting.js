'use strict';
// Waiting on things that happen, never on the clock: every wait has a bound and fails loudly.

const DEFAULT_TIMEOUT = 3000;

/** A queue of values that tests take in order with `next()`, waiting (bounded) when it is empty. */
class Waitable {
  constructor(what) {
    this.what = what;
    this.items = [];
    this.waiters = [];
    this.failure = null;
    this.ended = false;
  }

  push(item) {
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(item);
    else this.items.push(item);
  }

  fail(error) {
    this.failure = error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  /** No more items will come (for example, the socket closed). */
  end() {
    this.ended = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error(`no ${this.what}: the source ended`));
  }

  next(timeout = DEFAULT_TIMEOUT) {
    if (this.items.length > 0) return Promise.resolve(this.items.shift());
    if (this.failure) return Promise.reject(this.failure);
    if (this.ended) return Promise.reject(new Error(`no ${this.what}: the source ended`));
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (item) => { clearTimeout(timer); resolve(item); },
        reject: (error) => { clearTimeout(timer); reject(error); },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`timed out after ${timeout} ms waiting for a ${this.what}`));
      }, timeout);
      this.waiters.push(waiter);
    });
  }
}

/** Records every emission of `names` on a WSE emitter, to be awaited in order with `next(name)`. */
function record(emitter, names) {
  const queues = new Map();
  const log = [];
  for (const name of names) {
    const queue = new Waitable(`"${name}" event`);
    queues.set(name, queue);
    emitter.on(name, (value) => { log.push([name, value]); queue.push(value); });
  }
  return {
    log,
    next(name, timeout) { return queues.get(name).next(timeout); },
    count(name) { return log.filter(([n]) => n === name).length; },
  };
}

/** A promise that must settle within `timeout` ms. */
function within(promise, timeout = DEFAULT_TIMEOUT, what = 'promise') {
  let timer;
  const limit = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${timeout} ms waiting for ${what}`)), timeout); });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

module.exports = { Waitable, record, within, DEFAULT_TIMEOUT };
