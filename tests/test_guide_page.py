"""The client guide as a page `serve` publishes at the business feed's secret token, escaped, with the closures."""

from __future__ import annotations

from datetime import UTC

from factories import make_policy, ny
from test_calendar_serve import KEY, fetch

from adapters.guide_page import guide_html
from bot.calendar_links import feed_path, guide_link
from bot.models import Closure


async def test_the_guide_page_is_served_at_its_secret_address_only(fake, database) -> None:
    start, end = ny(2026, 12, 24, 0, 0).astimezone(UTC), ny(2027, 1, 2, 0, 0).astimezone(UTC)
    await database.store().add_closure(Closure(start=start, end=end, reason="the holidays"))
    path = guide_link(feed_path(KEY))
    assert path.startswith("/guide/") and not path.endswith(".ics")
    (page, wrong, bare) = await fetch(fake, database, KEY, [path, path[:-1] + "0", "/guide/"])
    status, kind, body = page
    assert status == 200 and kind.startswith("text/html")
    text = body.decode()
    assert "<h1>Acme Admin: how we work together</h1>" in text and "hello@acme.example" in text
    assert "<h2>Closures to come</h2><ul><li>" in text and "the holidays" in text
    assert wrong[0] == 404 and bare[0] == 404
    (off,) = await fetch(fake, database, None, [path])  # no CALENDAR_KEY: no page
    assert off[0] == 404


def test_everything_the_owner_wrote_is_escaped() -> None:
    policy = make_policy(business_name="<script>alert(1)</script> & Co")
    page = guide_html(policy, ['closed for "<b>reasons</b>"'])
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
    assert "&lt;b&gt;reasons&lt;/b&gt;" in page and page.startswith("<!doctype html>")


async def test_boundaries_calendar_gives_the_guide_page_s_address_too() -> None:
    from memory_store import MemoryStore

    from bot.commands import Invocation, run_command
    from bot.commands.types import Context
    from bot.roles import Roles
    from bot.settings import Settings

    links = Settings(calendar_key=KEY, public_url="https://bot.example.com", _env_file=None).feed_links()
    roles = Roles(owners={"slack": frozenset({"U_OWNER"})})
    answer = await run_command(
        "boundaries calendar",
        Context(
            Invocation("slack", "T1", "C1", "U_OWNER"),
            store=MemoryStore(),
            policy=make_policy(),
            roles=roles,
            now=ny(2026, 12, 1, 9, 0),
            feed_links=links,
        ),
    )
    assert (
        f"Your client guide as a web page, with the closures to come: https://bot.example.com{guide_link(feed_path(KEY))}\n"
        in answer.text
    )
