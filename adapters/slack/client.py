"""Slack Web API clients: base URL from SLACK_API_URL, retry handlers, kept-alive connections, secrets unwrapped here."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from pydantic import SecretStr
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings

DEFAULT_API_URL = AsyncWebClient.BASE_URL


def api_url(settings: Settings) -> str:
    """The Web API base URL (SLACK_API_URL for GovSlack, proxies and tests), always ending in a slash."""
    url = settings.slack_api_url or DEFAULT_API_URL
    return url if url.endswith("/") else url + "/"


# A reset or a 5xx may come after Slack posted: these are never retried blindly (the callers look first).
POSTING_METHODS = frozenset({"chat.postMessage", "chat.postEphemeral", "chat.scheduleMessage", "chat.meMessage"})


class _UnlessPosting:
    """Mixin: no retry of a call that may have posted a message already."""

    async def _can_retry_async(self, *, state: Any, request: Any, response: Any = None, error: Any = None) -> bool:
        if str(request.url).rstrip("/").rsplit("/", 1)[-1] in POSTING_METHODS:
            return False
        return await super()._can_retry_async(  # type: ignore[misc]
            state=state, request=request, response=response, error=error
        )


class _ConnectionErrors(_UnlessPosting, AsyncConnectionErrorRetryHandler):
    pass


class _ServerErrors(_UnlessPosting, AsyncServerErrorRetryHandler):
    pass


def retry_handlers() -> list[AsyncRetryHandler]:
    """Retries for connection errors and 500/503 (except for posting methods), and 429 (sleeping Retry-After:
    the request was refused), twice each."""
    return [
        _ConnectionErrors(max_retry_count=2),
        AsyncRateLimitErrorRetryHandler(max_retry_count=2),
        _ServerErrors(max_retry_count=2),
    ]


class SlackConnections:
    """One aiohttp session shared by an app's Web API clients, so connections to Slack stay open between calls
    (without one, slack_sdk opens a session, a connection and a TLS handshake for every call). It opens on first
    use in the running event loop; close it at shutdown."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession | None:
        """The open session; None outside a running loop (the client then opens one for the call, as slack_sdk does)."""
        if self._session is None or self._session.closed:
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                return None
            self._session = aiohttp.ClientSession()
        return self._session

    async def close(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()


class _SharedSessionClient(AsyncWebClient):
    """An AsyncWebClient whose `session` is always its app's shared one (slack_sdk and Bolt read it on each call)."""

    def __init__(self, connections: SlackConnections, **kwargs: object) -> None:
        self._connections = connections
        super().__init__(**kwargs)  # type: ignore[arg-type]

    @property
    def session(self) -> aiohttp.ClientSession | None:
        return self._connections.session()

    @session.setter
    def session(self, value: aiohttp.ClientSession | None) -> None:
        if value is not None:
            raise ValueError("this client always uses its SlackConnections' session")


def web_client(
    settings: Settings, token: str | None = None, *, retries: bool = True, connections: SlackConnections | None = None
) -> AsyncWebClient:
    """A Web API client; `retries=False` leaves retrying to the caller (the delivery sender does its own);
    with `connections`, calls share its kept-alive session."""
    options = dict(
        token=token, base_url=api_url(settings), timeout=30, retry_handlers=retry_handlers() if retries else []
    )
    if connections is None:
        return AsyncWebClient(**options)  # type: ignore[arg-type]
    return _SharedSessionClient(connections, **options)


def reveal(secret: SecretStr | None) -> str | None:
    """The secret's value, for handing to a library that needs it; never log what this returns."""
    return secret.get_secret_value() if secret is not None else None
