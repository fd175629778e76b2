"""The client guide as a web page `serve` publishes for the owner to share, with the closures to come."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime

from aiohttp import web

from bot.calendar_links import GUIDE_PREFIX, token_matches
from bot.commands.show import describe_closure
from bot.guide import client_guide
from bot.policy import Policy
from bot.store import Store


def guide_html(policy: Policy, closures: list[str]) -> str:
    """The plain-text guide as an HTML page: every line escaped, headings as headings, the closures as a list."""
    title = html.escape(f"{policy.business_name}: how we work together")
    body = []
    lines = client_guide(policy, markdown=False).splitlines()
    for line, underline in zip(lines, [*lines[1:], ""], strict=True):
        if underline and set(underline) == {"-"}:
            body.append(f"<h2>{html.escape(line)}</h2>")
        elif line and set(line) != {"-"}:
            body.append(f"<p>{html.escape(line)}</p>")
    body.append("<h2>Closures to come</h2>")
    items = "".join(f"<li>{html.escape(text)}</li>" for text in closures)
    body.append(f"<ul>{items}</ul>" if closures else "<p>None planned.</p>")
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">'
        f"</head><body><h1>{title}</h1>{''.join(body)}</body></html>"
    )


def add_guide_route(
    web_app: web.Application, store: Store, policy: Policy, key: str, clock: Callable[[], datetime]
) -> None:
    """GET /guide/TOKEN: the page; any other token is a 404."""

    async def guide(request: web.Request) -> web.StreamResponse:
        if not token_matches(key, None, request.match_info["token"]):
            raise web.HTTPNotFound()
        now = clock()
        closures = [describe_closure(c, policy, now) for c in await store.list_closures(ending_after=now)]
        return web.Response(
            text=guide_html(policy, closures),
            content_type="text/html",
            headers={"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"},
        )

    web_app.add_routes([web.get(GUIDE_PREFIX + "/{token}", guide)])
