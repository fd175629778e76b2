"""The client guide rendered from the example policy, on the command line and as /boundaries guide."""

from __future__ import annotations

from pathlib import Path

from cli_process import run_cli
from factories import make_policy, ny
from memory_store import MemoryStore

from bot.commands import CommandResult, Invocation, run_command
from bot.commands.types import Context
from bot.guide import client_guide
from bot.policy_loader import EXAMPLE_POLICY, load_policy
from bot.roles import Roles

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = load_policy(EXAMPLE_POLICY)


def test_markdown_guide_from_the_example_policy():
    guide = client_guide(EXAMPLE)
    assert guide.startswith("# Working with Acme Admin Co.\n")
    for line in [
        "- Email is our hub: send every request to hello@acme-admin.example, one email per topic,",
        "- Calls happen at our weekly meeting or by appointment (https://cal.example/acme/30min).",
        "## Hours (America/New_York)",
        "- Monday–Thursday: 9:00 AM–12:00 PM, 1:00 PM–5:00 PM",
        "- Friday: 9:00 AM–12:00 PM, 1:00 PM–3:00 PM",
        "- Saturday–Sunday: closed",
        "- We are closed on public holidays (US-NY) and on Christmas Eve (Dec 24) and New Year's Eve (Dec 31).",
        "- We answer requests within 1 business day, counted over opening hours only.",
        "announced in your channel 14 days and 1 day ahead",
        "- In an emergency while we're closed or after hours, contact Jordan Lee (jordan@acme-admin.example, +1 555 0100).",
    ]:
        assert line in guide, line


def test_plain_text_guide_and_a_policy_without_backup():
    policy = make_policy(emergency={"definition": "a site outage"}, business_name="We")
    guide = client_guide(policy, markdown=False)
    assert guide.startswith("Working with us\n===============\n")
    assert "How to reach us\n---------------" in guide and "##" not in guide
    assert "  * In an emergency, email hello@acme.example with URGENT in the subject line." in guide
    assert "  * Monday–Friday: 9:00 AM–12:00 PM, 1:00 PM–5:00 PM" in guide


def test_guide_command_line():
    result = run_cli("guide", "--format", "text", "--policy", str(EXAMPLE_POLICY), cwd=ROOT)
    assert result.returncode == 0 and result.stdout == client_guide(EXAMPLE, markdown=False)


async def test_boundaries_guide_posts_for_everyone_on_the_owners_command_only():
    roles = Roles(owners={"slack": frozenset({"U_OWNER"})})
    store = MemoryStore()

    async def guide_asked_by(user_id: str) -> CommandResult:
        invocation = Invocation("slack", "T1", "C1", user_id)
        return await run_command(
            "boundaries guide", Context(invocation, store=store, policy=EXAMPLE, roles=roles, now=ny(2026, 11, 23, 10))
        )

    owner = await guide_asked_by("U_OWNER")
    assert owner.ok and owner.public == client_guide(EXAMPLE, markdown=False)  # plain text reads well everywhere
    client = await guide_asked_by("U_CLIENT")
    assert not client.ok and client.public is None
