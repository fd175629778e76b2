"""Stand-ins for discord.py interactions: just what the slash-command callbacks touch."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from platform_limits import discord_message_problems


class FakeResponse:
    """interaction.response: records every send_message with whether it was ephemeral."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.deferred: dict[str, bool] | None = None
        self.modal: Any = None  # a form shown instead of an answer

    async def send_message(self, content: str, *, ephemeral: bool = False, **options: Any) -> None:
        if self.is_done():
            raise RuntimeError("an interaction can be answered once")
        assert not (problems := discord_message_problems({"content": content})), problems
        self.sent.append({"content": content, "ephemeral": ephemeral, **options})

    async def send_modal(self, modal: Any) -> None:
        if self.is_done():
            raise RuntimeError("an interaction can be answered once")
        self.modal = modal

    async def defer(self, *, ephemeral: bool = False, thinking: bool = False) -> None:
        if self.is_done():
            raise RuntimeError("an interaction can be answered once")
        self.deferred = {"ephemeral": ephemeral, "thinking": thinking}

    def is_done(self) -> bool:
        return bool(self.sent) or self.deferred is not None or self.modal is not None


@dataclass
class FakeInteraction:
    """A slash-command invocation by a user in a channel of a guild (guild_id None for a DM)."""

    user_id: int
    guild_id: int | None = 111
    channel_id: int = 222
    response: FakeResponse = field(default_factory=FakeResponse)
    followups: list[str] = field(default_factory=list)
    public: list[str] = field(default_factory=list)
    command: object = None

    @property
    def user(self) -> SimpleNamespace:
        return SimpleNamespace(id=self.user_id, name=f"user{self.user_id}")

    @property
    def channel(self) -> SimpleNamespace:
        async def send(content: str, **options: Any) -> None:  # a message for everyone in the channel
            assert not (problems := discord_message_problems({"content": content})), problems
            self.public.append(content)

        return SimpleNamespace(id=self.channel_id, send=send)

    @property
    def followup(self) -> SimpleNamespace:
        async def send(content: str, *, ephemeral: bool = False, **options: Any) -> None:
            assert ephemeral, "follow-ups to a private answer must be ephemeral too"
            assert not (problems := discord_message_problems({"content": content})), problems
            self.followups.append(content)

        return SimpleNamespace(send=send)

    @property
    def answer(self) -> str:
        """The one (ephemeral) answer; fails the test when it was public or missing."""
        assert len(self.response.sent) == 1, self.response.sent
        sent = self.response.sent[0]
        assert sent["ephemeral"] is True, sent
        return sent["content"]


def find_command(commands, path: str):
    """The app command at "closure add" (or "hours") among build_commands()."""
    head, _, sub = path.partition(" ")
    command = next(cmd for cmd in commands if cmd.name == head)
    return command.get_command(sub) if sub else command
