"""The owner's own detection phrases ([detection]), replies in the client's language ([templates.es] ...), the
language detector, and evidence that explains every answer, the model's included."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from factories import BASE_POLICY, make_policy, message, ny
from memory_store import MemoryStore

from bot.commands import Invocation, run_command
from bot.commands.types import Context
from bot.detection_policy import Detection
from bot.intents import Intent, classify, with_policy
from bot.language import detect
from bot.policy_loader import PolicyError, load_policy, parse_policy
from bot.responder import Situation, decide
from bot.roles import Roles

ROOT = Path(__file__).resolve().parents[1]
OWN = Detection(
    call_phrases=["hop on a sync", "ring-a-ding"],
    text_phrases=["ping my cell"],
    never_phrases=["quick call"],
    urgent_words=["showstopper", "on fire"],
)
MONDAY_NOON, MONDAY_NIGHT = ny(2026, 11, 23, 10, 30), ny(2026, 11, 23, 21, 0)
SPANISH = {
    "es": {
        "after_hours": "Hola {client}, volvemos {next_open}.",
        "redirect_call": "Las llamadas son en {meeting} o {appointment}; escribe a {email}.",
    }
}


def problems(**detection) -> list[str]:
    with pytest.raises(PolicyError) as error:
        parse_policy({**BASE_POLICY, "detection": detection})
    return error.value.problems


def test_phrases_are_checked_at_load_with_the_key_and_the_fix_named():
    assert problems(call_phrases=["x"]) == [
        'detection.call_phrases[0]: "x" is too short; write a word or a phrase of at least 2 characters'
    ]
    assert "has no letters, digits or emoji" in problems(urgent_words=["!!"])[0]
    assert "keep a phrase under 80" in problems(text_phrases=["word " * 20])[0]
    assert problems(call_phrases=["Call Sheet"], never_phrases=["call sheet"]) == [
        'detection: "call sheet" is in both call_phrases and never_phrases; keep it in one list'
    ]
    assert "at most 100" in problems(never_phrases=[f"phrase {i}" for i in range(101)])[0]
    assert "unknown key" in problems(call_words=["hop on"])[0]
    assert not make_policy().detection.active


@pytest.mark.parametrize(
    ("text", "redirect", "evidence"),
    [
        ("Can we hop on a sync at 3?", "call", "call:policy('hop on a sync')"),
        ("HOP ON  A SYNC pls", "call", "call:policy('hop on a sync')"),
        ("just ping my cell when it's done", "text", "text:policy('ping my cell')"),
        ("Quick call?", None, "never:policy('quick call')"),
        ("No need to hop on a sync, email is fine", None, None),
        ('He said "hop on a sync" and laughed', None, None),
    ],
)
def test_the_owners_phrases_count_and_their_never_phrases_do_not(text, redirect, evidence):
    intent = classify(text, detection=OWN)
    assert intent.redirect == redirect, intent.evidence
    if evidence:
        assert evidence in intent.evidence
    assert classify("Quick call?").redirect == "call"  # built in, without the owner's never-phrase


def test_the_owners_urgent_words_unless_negated():
    assert classify("The printer is on fire", detection=OWN).evidence == ("urgent:policy('on fire')",)
    assert classify("This bug is a showstopper!", detection=OWN).urgent
    assert not classify("Not a showstopper, whenever you can", detection=OWN).urgent
    assert not classify("The printer is on fire").urgent


def test_the_readers_intent_is_kept_unless_an_owners_phrase_occurs():
    read = classify("hop on a sync?")
    assert read.redirect is None and with_policy(read, "hop on a sync?", Detection()) is read
    assert with_policy(read, "hop on a sync?", OWN).redirect == "call"
    plain = classify("Can you call me?")
    assert with_policy(plain, "Can you call me?", OWN) is plain


def test_decisions_and_the_preview_use_the_owners_phrases():
    policy = make_policy(detection={"call_phrases": ["hop on a sync"]})
    decision = decide(message("hop on a sync?", MONDAY_NOON), Situation(policy=policy), MONDAY_NOON)
    assert decision.reasons == ("redirect_call",) and "call:policy('hop on a sync')" in decision.intent.evidence
    reader = Intent(redirect=None, urgent=False)  # what the reader made of it, without the policy
    assert decide(message("hop on a sync?", MONDAY_NOON), Situation(policy=policy), MONDAY_NOON, reader).reasons == (
        "redirect_call",
    )


async def test_boundaries_preview_shows_what_was_detected():
    policy = make_policy(detection={"call_phrases": ["hop on a sync"]})
    owner = Invocation("slack", "T1", "C1", "U_OWNER")
    roles = Roles(owners={"slack": frozenset({"U_OWNER"})})
    result = await run_command(
        "boundaries preview at monday 10:30 | hop on a sync?",
        Context(owner, store=MemoryStore(), policy=policy, roles=roles, now=ny(2026, 11, 22, 10)),
    )
    assert "the bot would reply (redirect_call)" in result.text
    assert result.text.endswith("(detected: call:policy('hop on a sync'); written in en)")
    result = await run_command(
        "boundaries preview at monday 10:30 | here is the file",
        Context(owner, store=MemoryStore(), policy=policy, roles=roles, now=ny(2026, 11, 22, 10)),
    )
    assert result.text.endswith("(detected: no call, text or urgency)")


def test_a_client_writing_spanish_gets_the_spanish_templates_when_the_policy_has_them():
    policy = make_policy(templates=SPANISH)
    decision = decide(message("¿Me llamas mañana, por favor?", MONDAY_NOON), Situation(policy=policy), MONDAY_NOON)
    assert decision.language == "es" and decision.reply.text.startswith("Las llamadas son en")
    assert decision.intent.lang == "es" and decision.intent.redirect == "call"
    night = decide(message("¿Me llamas mañana, por favor?", MONDAY_NIGHT), Situation(policy=policy), MONDAY_NIGHT)
    assert night.language == "es" and night.reply.text.startswith("Hola Sam, volvemos mañana")


def test_without_every_template_the_reply_needs_it_is_all_in_the_default_language():
    policy = make_policy(templates={"es": {"redirect_call": SPANISH["es"]["redirect_call"]}})
    night = decide(message("¿Me llamas mañana?", MONDAY_NIGHT), Situation(policy=policy), MONDAY_NIGHT)
    assert (
        night.language == "en"
        and "outside business hours" in night.reply.text
        and "Las llamadas" not in night.reply.text
    )
    french = decide(message("Tu peux m'appeler ?", MONDAY_NOON), Situation(policy=policy), MONDAY_NOON)
    assert french.language == "en" and french.reasons == ("redirect_call",)


def test_a_default_language_other_than_english():
    policy = make_policy(
        templates={
            "language": "es",
            "redirect_call": "Llamadas en {meeting}.",
            "en": {"redirect_call": "Calls at {meeting}."},
        }
    )
    assert decide(message("Can you call me?", MONDAY_NOON), Situation(policy=policy), MONDAY_NOON).reply.text == (
        "Calls at our weekly meeting."
    )
    assert decide(message("Llámame", MONDAY_NOON), Situation(policy=policy), MONDAY_NOON).reply.text == (
        "Llamadas en our weekly meeting."
    )


def test_language_tables_are_checked_like_the_default_templates():
    for templates, expected in [
        ({"language": "it"}, "is not a language the bot detects"),
        ({"en": {"closed": "Closed."}}, "[templates.en] repeats the default language"),
        ({"es": {"closed": "{nope}"}}, "templates.es.closed: unknown placeholder {nope}"),
        ({"fr": {"closed": "x" * 1001}}, "keep a template under 1,000"),
    ]:
        with pytest.raises(PolicyError) as error:
            parse_policy({**BASE_POLICY, "templates": templates})
        assert expected in str(error.value)


def test_the_example_policys_commented_spanish_table_and_phrases_load(tmp_path):
    example = (ROOT / "bot" / "policy.example.toml").read_text(encoding="utf-8")
    lines = example.splitlines()
    start = lines.index("# [templates.es]")
    for i in range(start, start + 4):
        lines[i] = lines[i].removeprefix("# ")
    opened = (
        "\n".join(lines).replace("# call_phrases = ", "call_phrases = ").replace("# urgent_words = ", "urgent_words = ")
    )
    (tmp_path / "policy.toml").write_text(opened, encoding="utf-8")
    policy = load_policy(tmp_path / "policy.toml")
    assert policy.templates.es.redirect_call and policy.detection.call_phrases == [
        "hop on a sync",
        "jump on a quick bridge",
    ]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("¿podemos hablar por teléfono mañana? 📞", "es"),
        ("📞 Gracias!", "es"),
        ("Tu peux m'appeler demain ?", "fr"),
        ("Kannst du mich morgen anrufen?", "de"),
        ("Me liga amanhã, por favor", "pt"),
        ("Can you call me tomorrow?", "en"),
        ("📞", None),
        ("", None),
        ("ok", None),
    ],
)
def test_the_language_is_detected_offline_from_common_words(text, lang):
    assert detect(text) == lang


def test_the_issues_examples():
    assert classify("¿podemos hablar por teléfono mañana? 📞").redirect == "call"
    assert classify("📞 Gracias!").redirect == "call"
    assert (
        classify("Hope you're well! Let's plan a quarterly review call sometime next month, no rush.").redirect is None
    )


def test_every_answer_is_explained_including_the_models():
    rescued = classify("Any chance we could find 10 min to walk through it on zoom tmrw?")
    for intent in (rescued, classify("Can you call me?"), classify("Kannst du mich anrufen?"), classify("ASAP pls")):
        assert intent.evidence and all(isinstance(e, str) and ":" in e for e in intent.evidence)
    model = [e for e in classify("hop on a quick call w me later?").evidence if "model" in e]
    assert all(e.startswith(("call:model(", "text:model(", "model:not-a-request(")) for e in model)
    assert classify("Happy Friday!").evidence == ()


def test_the_command_line_explains_with_the_policys_phrases(tmp_path):
    policy = tmp_path / "policy.toml"
    text = (ROOT / "bot" / "policy.example.toml").read_text(encoding="utf-8")
    policy.write_text(text.replace("# call_phrases = ", "call_phrases = "), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "classify", "--policy", str(policy), "--explain"],
        input="hop on a sync?\nllámame\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first == {
        "redirect": "call",
        "urgent": False,
        "evidence": ["call:policy('hop on a sync')"],
        "language": None,
    }
    assert second["redirect"] == "call" and second["language"] == "es"
