"""Slack Web API clients: base URL from SLACK_API_URL, slack_sdk's retry handlers, secrets unwrapped only here."""
from __future__ import annotations

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


def retry_handlers() -> list[AsyncRetryHandler]:
    """Retries for connection errors, 429 (sleeping Retry-After) and 500/503, twice each."""
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
        AsyncRateLimitErrorRetryHandler(max_retry_count=2),
        AsyncServerErrorRetryHandler(max_retry_count=2),
    ]


def web_client(settings: Settings, token: str | None = None, *, retries: bool = True) -> AsyncWebClient:
    """A Web API client; `retries=False` leaves retrying to the caller (the delivery sender does its own)."""
    return AsyncWebClient(token=token, base_url=api_url(settings), timeout=30,
                          retry_handlers=retry_handlers() if retries else [])


def reveal(secret: SecretStr | None) -> str | None:
    """The secret's value, for handing to a library that needs it; never log what this returns."""
    return secret.get_secret_value() if secret is not None else None
