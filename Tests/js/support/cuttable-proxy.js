'use strict';
// A TCP proxy on loopback that the test can cut: `cut()` resets every connection through it (the
// client sees 1006, the node sees the connection end and keeps the session for resume); while
// `hold()` is in force new connections are reset at once; `release()` lets them through again.

const net = require('node:net');

class CuttableProxy {
  static async start(upstreamHost, upstreamPort) {
    const proxy = new CuttableProxy(upstreamHost, upstreamPort);
    await new Promise((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.port = proxy.server.address().port;
    return proxy;
  }

  constructor(upstreamHost, upstreamPort) {
    this.holding = false;
    this.accepted = 0;
    this.refused = 0;
    this.pairs = new Set();
    this.server = net.createServer((client) => {
      if (this.holding) {
        this.refused += 1;
        client.resetAndDestroy();
        return;
      }
      this.accepted += 1;
      const upstream = net.connect(upstreamPort, upstreamHost);
      const pair = [client, upstream];
      this.pairs.add(pair);
      client.pipe(upstream);
      upstream.pipe(client);
      const end = () => { this.pairs.delete(pair); client.destroy(); upstream.destroy(); };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
  }

  /** Resets every open connection; returns how many there were. */
  cut() {
    const count = this.pairs.size;
    for (const pair of this.pairs) for (const socket of pair) socket.resetAndDestroy();
    this.pairs.clear();
    return count;
  }

  hold() { this.holding = true; }

  release() { this.holding = false; }

  async stop() {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

module.exports = { CuttableProxy };
