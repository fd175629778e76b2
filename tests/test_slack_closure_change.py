"""Changing a closure from App Home: the Change button opens the form filled in, its submission changes the closure."""

from __future__ import annotations

import copy
import json

from factories import ny
from slack_fakes import OWNER
from slack_harness import MONDAY_9PM, command_fields
from slack_payloads import fixture

from bot.models import Closure


def change_press(closure_id: int, user: str = OWNER) -> dict:
    press = copy.deepcopy(fixture("block_actions"))
    press["user"]["id"] = user
    press["actions"][0].update(
        action_id="change_closure", value=str(closure_id), text={"type": "plain_text", "text": "Change"}
    )
    return press


def submitted(view: dict, **picked: str) -> dict:
    """The view_submission of `view` (the form as opened) with the fields picked as given, the rest as shown."""
    payload = copy.deepcopy(fixture("view_submission"))
    values = {}
    for block in view["blocks"]:
        element = block["element"]
        if element["type"] == "datepicker":
            values[block["block_id"]] = {
                "value": {
                    "type": "datepicker",
                    "selected_date": picked.get(block["block_id"], element.get("initial_date")),
                }
            }
        elif element["type"] == "plain_text_input":
            values[block["block_id"]] = {
                "value": {
                    "type": "plain_text_input",
                    "value": picked.get(block["block_id"], element.get("initial_value")),
                }
            }
        else:
            values[block["block_id"]] = {
                "value": {"type": element["type"], "selected_options": element.get("initial_options", [])}
            }
    payload["view"].update(
        state={"values": values}, private_metadata=view["private_metadata"], callback_id=view["callback_id"]
    )
    return payload


async def test_the_change_button_opens_the_form_filled_in_and_its_submission_changes_the_closure(http) -> None:
    store = http.service.store
    timed = await store.add_closure(
        Closure(
            start=ny(2026, 12, 24, 13),
            end=ny(2027, 1, 2, 17),
            reason="the holidays",
            backup="Jordan",
            created_at=MONDAY_9PM,
        )
    )
    await http.event(fixture("app_home_opened"))
    (publish,) = await http.fake.wait_for("views.publish")
    assert any(
        e.get("action_id") == "change_closure" for b in publish.args["view"]["blocks"] for e in b.get("elements", [])
    )

    assert await http.interactive(change_press(timed.id)) == (200, "")
    (opened,) = await http.fake.wait_for("views.open")
    await http.settle()
    view = opened.args["view"]
    assert view["title"]["text"] == f"Change closure #{timed.id}" and view["submit"]["text"] == "Save changes"
    fields = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert fields["start"]["initial_date"] == "2026-12-24" and fields["end"]["initial_date"] == "2027-01-02"
    assert fields["reason"]["initial_value"] == "the holidays" and fields["backup"]["initial_value"] == "Jordan"

    status, body = await http.interactive(submitted(view, end="2027-01-05", backup=""))
    answer = json.loads(body)
    assert status == 200 and answer["view"]["title"]["text"] == "Closure changed"
    assert answer["view"]["blocks"][0]["text"]["text"].startswith(f"Changed closure #{timed.id}, now #{timed.id + 1}")
    [changed] = await store.list_closures(ending_after=MONDAY_9PM)
    assert changed.replaces == timed.id and changed.start == ny(2026, 12, 24, 13)  # the day kept its time of day
    assert changed.end == ny(2027, 1, 6) and changed.reason == "the holidays" and not changed.backup


async def test_a_change_press_for_a_closure_gone_meanwhile_says_so(http) -> None:
    assert await http.command(command_fields("/closure", "add Dec 24 to Jan 2", fake=http.fake)) == (200, "")
    await http.settle()
    await http.service.store.cancel_closure(1, MONDAY_9PM)
    assert await http.interactive(change_press(1)) == (200, "")
    (publish,) = await http.fake.wait_for("views.publish")
    await http.settle()
    assert http.fake.calls_to("views.open") == []
    assert "Closure #1 was changed or cancelled meanwhile" in json.dumps(publish.args["view"])
