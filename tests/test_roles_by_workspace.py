"""An owner configured for one workspace is a client in another: replies, commands and forwards ask where."""

from __future__ import annotations

from factories import make_policy, message, ny
from memory_store import MemoryStore

from bot.commands import CommandResult, Invocation, run_command
from bot.commands.run import REFUSAL
from bot.commands.types import Context
from bot.responder import Situation, decide
from bot.roles import Roles

ROLES = Roles.configured({"slack": ["T1:U_OWNER"]}, {"slack": ["T1:U_TEAM"]})
NIGHT = ny(2026, 11, 23, 21, 0)


def test_the_same_member_id_in_another_workspace_is_answered_like_a_client() -> None:
    situation = Situation(policy=make_policy(), roles=ROLES)
    at_home = decide(message("hello?", NIGHT, author_id="U_OWNER", workspace_id="T1"), situation, NIGHT)
    elsewhere = decide(message("hello?", NIGHT, author_id="U_OWNER", workspace_id="T2"), situation, NIGHT)
    assert at_home.ignored == "owner or team" and at_home.reply is None
    assert elsewhere.ignored is None and elsewhere.reply is not None
    assert decide(message("hi", NIGHT, author_id="U_TEAM", workspace_id="T2"), situation, NIGHT).reply is not None


async def test_owner_commands_work_only_in_the_owners_workspace() -> None:
    policy, store = make_policy(), MemoryStore()

    async def closure_added_in(workspace_id: str) -> CommandResult:
        invocation = Invocation("slack", workspace_id, "C1", "U_OWNER")
        return await run_command(
            "closure add Dec 24", Context(invocation, store=store, policy=policy, roles=ROLES, now=NIGHT)
        )

    elsewhere = await closure_added_in("T2")
    assert elsewhere.text == REFUSAL and await store.list_closures(ending_after=NIGHT) == []
    at_home = await closure_added_in("T1")
    assert at_home.ok
