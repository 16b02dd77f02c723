"""A TCP proxy on loopback that the test can cut, to drop a browser's WebSocket the way a network does.

`cut()` resets every connection through it (the browser sees close code 1006; the node sees the
connection end and keeps the session for resume). While `hold()` is in force, new connections are
reset at once, so the client has to keep retrying; `release()` lets them through again. It works in
front of the scripted node and in front of a live WSE node alike.
"""

import asyncio
import threading


class CuttableProxy:
    def __init__(self, upstream_host, upstream_port):
        self.upstream = (upstream_host, upstream_port)
        self.holding = False
        self.accepted = 0
        self.refused = 0
        self._pairs = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="cuttable-proxy", daemon=True)
        self._server = None
        self.port = None

    def start(self):
        self._thread.start()
        self._server = self._call(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stop(self):
        self.cut()
        async def shutdown():
            self._server.close()
            await self._server.wait_closed()
        self._call(shutdown())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def cut(self):
        """Resets every open connection; returns how many there were."""
        async def reset_all():
            pairs = list(self._pairs)
            for pair in pairs:
                for writer in pair:
                    writer.transport.abort()
            return len(pairs)
        return self._call(reset_all())

    def hold(self):
        self.holding = True

    def release(self):
        self.holding = False

    def _call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(10)

    async def _handle(self, reader, writer):
        if self.holding:
            self.refused += 1
            writer.transport.abort()
            return
        self.accepted += 1
        upstream_reader, upstream_writer = await asyncio.open_connection(*self.upstream)
        pair = (writer, upstream_writer)
        self._pairs.add(pair)
        try:
            await asyncio.gather(self._pump(reader, upstream_writer), self._pump(upstream_reader, writer))
        finally:
            self._pairs.discard(pair)

    @staticmethod
    async def _pump(reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            writer.transport.abort()  # a reset on one side resets the other
            return
        writer.close()  # an orderly end on one side ends the other
