"""The reminder's Done button: Slack's marks the promise done and says so in the reminder; Discord's survives a
restart as a dynamic item; the console names the command instead."""

from __future__ import annotations

import copy
from datetime import timedelta

import discord
from discord_harness import make_service
from discord_interactions import FakeInteraction, find_command
from factories import message, ny
from memory_store import MemoryStore
from slack_fakes import CLIENT, OWNER
from slack_harness import message_event
from slack_payloads import fixture

from adapters.discord.buttons import CommandPress, DoneButton, command_view
from adapters.discord.commands import build_commands
from bot.outbound import CommandButton
from bot.roles import Roles
from bot.scheduling import Scheduling
from bot.sender import Sender

COMMAND = "boundaries_command:0"


def press(channel: str, ts: str, promise_id: int, text: str, user: str = OWNER, legacy: bool = False) -> dict:
    """A press on the reminder's Done button; `legacy`: one on a reminder posted before command buttons."""
    body = copy.deepcopy(fixture("block_actions"))
    body["user"]["id"] = user
    body["container"] = {"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": False}
    body["channel"] = {"id": channel, "name": "directmessage"}
    body["message"] = {"type": "message", "ts": ts, "text": text}
    action, value = ("promise_done", str(promise_id)) if legacy else (COMMAND, f"boundaries promises done {promise_id}")
    body["actions"][0].update(action_id=action, value=value, text={"type": "plain_text", "text": "Done"})
    return body


async def test_slack_the_reminder_carries_a_done_button_that_marks_the_promise_done(http, database) -> None:
    assert await http.event(message_event("Could you look at the invoice?")) == (200, "")
    await http.settle()
    [promise] = await http.service.store.list_promises()
    roles = Roles(owners={"slack": frozenset({OWNER})})
    queue = database.deliveries()
    sender = Sender(queue, {"slack": http.bot.poster}, http.clock, pacing={})
    scheduling = Scheduling(http.service.store, queue, http.service.policy, sender, http.clock, roles)
    http.clock.set(promise.due_at - timedelta(hours=2))
    await scheduling.tick()
    [reminder] = [c for c in http.fake.calls_to("chat.postMessage") if "Reminder:" in c.args["text"]]
    [button] = reminder.args["blocks"][-1]["elements"]
    assert (button["action_id"], button["value"]) == (COMMAND, f"boundaries promises done {promise.id}")
    assert (button["text"]["text"], button["style"]) == ("Done", "primary")

    channel = reminder.args["channel"]
    stranger = press(channel, "1795489000.000100", promise.id, reminder.args["text"], user=CLIENT)
    assert await http.interactive(stranger) == (200, "")
    await http.settle()
    assert len(await http.service.store.list_promises()) == 1
    assert await http.interactive(press(channel, "1795489000.000100", promise.id, reminder.args["text"])) == (200, "")
    await http.settle()
    assert await http.service.store.list_promises() == []
    updated = http.fake.calls_to("chat.update")[-1].args
    assert updated["ts"] == "1795489000.000100" and "actions" not in [b["type"] for b in updated["blocks"]]


async def test_slack_a_done_button_posted_before_command_buttons_still_works(http) -> None:
    await http.event(message_event("Could you look at the invoice?"))
    await http.settle()
    [promise] = await http.service.store.list_promises()
    legacy = press("DU_OWNER", "1795489000.000200", promise.id, "Reminder", legacy=True)
    assert await http.interactive(legacy) == (200, "")
    await http.settle()
    assert await http.service.store.list_promises() == []
    updated = http.fake.calls_to("chat.update")[-1].args
    assert updated["ts"] == "1795489000.000200" and "actions" not in [b["type"] for b in updated["blocks"]]
    assert f"Marked promise #{promise.id} (Sam) done: kept." in updated["blocks"][-1]["elements"][0]["text"]


class FakeResponse:
    def __init__(self) -> None:
        self.sent: list[str] = []
        self.views: list[object] = []
        self.done = False

    def is_done(self) -> bool:
        return self.done

    async def send_message(self, text: str, **options: object) -> None:
        self.sent.append(text)
        self.views.append(options.get("view"))
        self.done = True


async def test_discord_the_done_button_survives_a_restart_and_marks_the_promise_done() -> None:
    service = make_service(MemoryStore(), ny(2026, 11, 23, 21), owners=[1])
    await service.handle_message(
        message("Invoice?", ny(2026, 11, 23, 21), platform="discord", workspace_id="111", channel_id="222")
    )
    [promise] = await service.store.list_promises()
    [item] = command_view((CommandButton("Done", f"boundaries promises done {promise.id}", primary=True),)).children
    assert item.custom_id == f"bb:0:0:boundaries promises done {promise.id}"
    match = CommandPress.__discord_ui_compiled_template__.fullmatch(item.custom_id)
    restored = await CommandPress.from_custom_id(None, item, match)  # what discord.py does after a restart
    assert DoneButton.__discord_ui_compiled_template__.fullmatch(DoneButton(7).item.custom_id)  # earlier ones too
    owner = discord.Object(1)
    interaction = type(
        "Interaction",
        (),
        {
            "client": type("Bot", (), {"service": service})(),
            "user": owner,
            "guild_id": None,
            "channel_id": 555,
            "channel": None,
            "response": FakeResponse(),
        },
    )()
    await restored.callback(interaction)
    assert await service.store.list_promises() == []
    assert interaction.response.sent == [f"Marked promise #{promise.id} (Sam) done: kept."]


async def test_discord_boundaries_promises_lists_and_marks_done() -> None:
    service = make_service(MemoryStore(), ny(2026, 11, 23, 21), owners=[1])
    await service.handle_message(
        message("Invoice?", ny(2026, 11, 23, 21), platform="discord", workspace_id="111", channel_id="222")
    )
    [promise] = await service.store.list_promises()
    command = find_command(build_commands(service), "boundaries promises")
    listing = FakeInteraction(user_id=1)
    await command.callback(listing)
    assert listing.answer.startswith("1 promise(s) waiting for an answer:") and f"#{promise.id} Sam" in listing.answer
    stranger = FakeInteraction(user_id=2)
    await command.callback(stranger, done=promise.id)
    assert "Only the business owner" in stranger.answer
    done = FakeInteraction(user_id=1)
    await command.callback(done, done=promise.id)
    assert (
        done.answer == f"Marked promise #{promise.id} (Sam) done: kept." and await service.store.list_promises() == []
    )
