"""Export: every table's personal fields come back from the JSON, whole or for one client, and the command line."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from cli_process import cli_env, run_cli, sqlite_url
from factories import message

from bot.forwarding import ForwardRequest, forward_data, forward_key
from bot.messages import ChannelRef
from bot.models import ChannelMode, Closure, MeetingSlot, SentReply
from bot.queue import PlannedDelivery
from bot.retention import ClientRef
from storage.export import export

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


async def seed(database) -> None:
    store, queue = database.store(), database.deliveries()
    await store.add_closure(
        Closure(start=NOW, end=NOW + timedelta(days=3), reason="surgery", backup="Jordan Lee", created_at=NOW)
    )
    await store.set_channel_mode(ChannelRef("slack", "T1", "C1"), ChannelMode.CLIENT, "acme-alex")
    await store.set_meeting_slot(MeetingSlot(ChannelRef("slack", "T1", "C1"), 1, time(10), 45))
    await store.set_meeting_slot(MeetingSlot(ChannelRef("slack", "T1", "C9"), 2, time(11), 30))
    await store.set_client_timezone("slack", "T1", "U_A", "Europe/London")
    await store.set_client_timezone("slack", "T1", "U_B", "Asia/Tokyo")
    for author, name, channel in (("U_A", "Alex Doe", "C1"), ("U_B", "Blair Roe", "C9")):
        sent = message(
            f"call me about the {name} invoice",
            NOW,
            author_id=author,
            author_name=name,
            channel_id=channel,
            permalink=f"https://acme.slack.com/archives/{channel}/p1",
        )
        await store.record_replies(sent, [SentReply("redirect", "", NOW)])
        request = ForwardRequest(
            "slack", "T1", channel, f"m-{author}", author, f"the {name} invoice body", NOW, author_name=name
        )
        await queue.enqueue(
            [
                PlannedDelivery(
                    forward_key(request),
                    NOW,
                    NOW + timedelta(days=3),
                    f"email about {name}",
                    data=forward_data(request, author),
                )
            ],
            NOW,
        )


async def test_the_whole_export_round_trips_every_personal_field(database_factory):
    database = await database_factory.migrated()
    await seed(database)
    data = json.loads(json.dumps(await export(database.engine)))
    [closure] = data["closures"]
    assert (closure["reason"], closure["backup"]) == ("surgery", "Jordan Lee")
    assert data["channels"][0]["name"] == "acme-alex"
    assert [(s["channel_id"], s["local_time"], s["duration_minutes"]) for s in data["meeting_slots"]] == [
        ("C1", "10:00:00", 45),
        ("C9", "11:00:00", 30),
    ]
    assert {(z["user_id"], z["zone"]) for z in data["client_timezones"]} == {
        ("U_A", "Europe/London"),
        ("U_B", "Asia/Tokyo"),
    }
    alex = data["replies"][0]
    assert (alex["client_id"], alex["client_name"], alex["text_excerpt"], alex["permalink"]) == (
        "U_A",
        "Alex Doe",
        "call me about the Alex Doe invoice",
        "https://acme.slack.com/archives/C1/p1",
    )
    assert datetime.fromisoformat(alex["sent_at"]) == NOW
    forwards = {d["data"]["author_id"]: d for d in data["deliveries"]}
    assert forwards["U_A"]["text"] == "email about Alex Doe" and forwards["U_A"]["data"]["author"] == "Alex Doe"
    assert forwards["U_A"]["state"] == "pending" and not forwards["U_A"]["payload_cut"]


async def test_a_clients_export_holds_only_what_is_about_them(database_factory):
    database = await database_factory.migrated()
    await seed(database)
    data = json.loads(json.dumps(await export(database.engine, ClientRef("U_A", "slack", "T1"))))
    assert "Blair" not in json.dumps(data) and "closures" not in data
    assert [r["client_name"] for r in data["replies"]] == ["Alex Doe"]
    assert [z["zone"] for z in data["client_timezones"]] == ["Europe/London"]
    assert [d["data"]["excerpt"] for d in data["deliveries"]] == ["the Alex Doe invoice body"]
    assert [s["channel_id"] for s in data["meeting_slots"]] == ["C1"]


def cli(*args: str, folder: Path) -> subprocess.CompletedProcess:
    """`boundary-bot ARGS` on the database in `folder`."""
    return run_cli(*args, cwd=ROOT, env=cli_env(folder, policy=None))


async def test_the_command_line_exports_and_forgets_after_a_confirmation(tmp_path):
    from storage.database import Database

    async with Database(sqlite_url(tmp_path)) as database:
        await database.migrate()
        await seed(database)
    exported = cli("export", "--client", "U_A", "--json", folder=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert [r["client_name"] for r in json.loads(exported.stdout)["replies"]] == ["Alex Doe"]
    asked = cli("forget", "U_A", folder=tmp_path)
    assert asked.returncode == 0 and "Run again with --yes" in asked.stdout and "1 logged reply(ies)" in asked.stdout
    done = cli("forget", "U_A", "--yes", folder=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("Erased what was stored about U_A: 1 logged reply(ies)")
    after = json.loads(
        cli("export", "--output", str(tmp_path / "out.json"), folder=tmp_path).stdout or "null"
    ) or json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert "Alex" not in json.dumps([after["replies"], after["client_timezones"], after["deliveries"]])
    assert "Blair Roe" in json.dumps(after["replies"]) and (tmp_path / "out.json").stat().st_mode & 0o077 == 0
    assert cli("forget", "slack:U_A", folder=tmp_path).returncode == 2
