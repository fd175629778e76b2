"""An aiohttp application served on a loopback port for as long as a test needs it, and the platform fakes' server."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from aiohttp import web


@contextlib.asynccontextmanager
async def served(app: web.Application) -> AsyncIterator[str]:
    """`app` on 127.0.0.1 at a free port: its base URL, http://127.0.0.1:PORT; stopped when the block ends."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    finally:
        await runner.cleanup()


class LoopbackFake:
    """A platform fake's server on 127.0.0.1; shutting it down fails the test if the real platform would have
    refused any payload it got."""

    refusals: list[str]
    expect_refusals: bool
    _socket: web.WebSocketResponse | None
    _runner: web.AppRunner | None

    async def _listen(self, app: web.Application) -> int:
        """`app` served at a free port: the port."""
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        return site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def _shut_down(self, platform: str) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()
        if self.refusals and not self.expect_refusals:
            raise AssertionError(f"real {platform} would have refused: " + "; ".join(self.refusals))
