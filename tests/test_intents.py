"""The rule-based intent classifier: the shared labelled examples, our own paraphrases and look-alikes, and the CLI helper."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.intents import Intent, classify, classify_lines

SHARED_EXAMPLES = Path(__file__).resolve().parent / "data" / "intent_examples.jsonl"  # a copy of shared/data's
MISSING = f"shared intent examples not found at {SHARED_EXAMPLES}"


def _load_shared() -> list[dict] | None:
    if not SHARED_EXAMPLES.exists():
        return None
    lines = SHARED_EXAMPLES.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _id(text: str) -> str:
    return re.sub(r"[^\w?!'-]+", "_", text.encode("ascii", "replace").decode())[:60]


SHARED = _load_shared()


@pytest.mark.parametrize(
    "example",
    [pytest.param(e, id=_id(e["text"])) for e in SHARED] if SHARED else [pytest.param(None, id="shared-file-missing")],
)
def test_shared_example(example):
    if example is None:
        pytest.skip(MISSING)
    intent = classify(example["text"])
    assert (intent.redirect, intent.urgent) == (example["redirect"], example["urgent"]), intent.evidence


def _precision_recall(examples: list[dict], label: str) -> tuple[float, float]:
    predicted = [classify(e["text"]).redirect == label for e in examples]
    actual = [e["redirect"] == label for e in examples]
    true_pos = sum(p and a for p, a in zip(predicted, actual))
    precision = true_pos / sum(predicted) if any(predicted) else 1.0
    recall = true_pos / sum(actual) if any(actual) else 1.0
    return precision, recall


def test_precision_and_recall_on_the_shared_file():
    if SHARED is None:
        pytest.skip(MISSING)
    scores = {label: _precision_recall(SHARED, label) for label in ("call", "text")}
    urgent_ok = sum(classify(e["text"]).urgent == e["urgent"] for e in SHARED)
    for label, (precision, recall) in scores.items():
        print(f"\n{label}: precision {precision:.3f} recall {recall:.3f}", end="")
    print(f"\nurgent: {urgent_ok}/{len(SHARED)} correct")
    assert scores == {"call": (1.0, 1.0), "text": (1.0, 1.0)}


# --- our own cases: paraphrases, not copies of the shared file -----------------------------
CALL, TEXT = "call", "text"

CALL_REQUESTS = [
    "hey, could u ring me when you're free?",
    "Would you mind calling me after lunch?",
    "I need you to call me before the board meeting",
    "I\u2019ll call you in five",
    "Is it ok if I FaceTime you tonight?",
    "Can we set up a call for Thursday?",
    "Could we schedule a 15 minute call this week?",
    "Are you free for a call tomorrow morning?",
    "Let's get on the phone and hash this out",
    "Can you jump on Zoom real quick?",
    "Join me on Google Meet at 3",
    "Phone call later today?",
    "Send me a Zoom link for 2pm",
    "Can I give you a call about the invoice?",
    "What's the best number to reach you?",
    "Can we discuss this over Zoom?",
    "I'd rather talk on the phone about this",
    "Do you want me to call you?",
    "Feel free to call me anytime",
    "Don't hesitate to ring me",
    "Why don't we hop on a quick call",
    "huddle?",
    "When you get a sec, give me a buzz",
    "Any chance you could phone me this evening?",
    "I was wondering if you could call me tomorrow",
    "Can we do a quick video call to review the mockups?",
    "Up for a quick call?",
    "Got 5 mins for a call?",
    "I'd like to book a call with you",
    "You can call me on my cell",
    "Is there a number I can call?",
    "Ok if I ring you around 4?",
    "Let me call you after my meeting",
    "I'm calling now",
    "jump on the huddle pls",
    "Can you hop on Teams?",
    "Let\u2019s FaceTime later",
    "Ring my mobile, it's faster",
    "Hey <@U02ABC>, whats ur number?",
    "Easier to just call, honestly",
    "I\u2019d love to catch up over Zoom next week",
    "Let's huddle",
    "Can I call you or is email better?",
    "When's good for a call?",
    "How about a call on Friday?",
    "Do you want to grab a call later?",
    "I want to talk live, typing is slow",
    "Get on the line with me",
    "Is now a good time to call?",
    "yo can u give me a shout on the phone later",
    "Best to call me after 5",
    "Do you have 10 minutes to jump on a call?",
    "Whenever you're free, let's zoom",
    "pls call my office line",
    "need to talk, can you call?",
]

TEXT_REQUESTS = [
    "Text me when you land",
    "Can you WhatsApp me the address?",
    "I'll text you the details tonight",
    "Hit me up on Signal",
    "Let's move this to WhatsApp",
    "Ping me on Telegram when it's done",
    "Drop me a text once the payment clears",
    "My WhatsApp is +44 7700 900123",
    "Send the boarding passes to my phone",
    "I'd prefer texting if that's ok",
    "Could you iMessage me the photos?",
    "Texting you the code now",
    "What number can I text you on?",
    "Can you SMS me when the package ships?",
    "I\u2019ll WhatsApp you the photos",
    "Shoot me an SMS with the code",
    "Text back when you can",
    "Could you send me the link by text?",
    "Prefer WhatsApp if that works",
    "Reach me on Signal, I'm travelling",
    "Can we continue this on WhatsApp?",
    "I'm on Telegram if that's easier",
    "Message me on WhatsApp",
    "Text my number 415 555 0199 when you're outside",
    "Should I text you or email?",
    "I'll send you a text later",
    "Let me know by text when it ships",
    "you can text me at 917-555-0110",
    "Mind texting me the figures?",
    "i'll shoot you a text",
    "Could you whatsapp the photos to me?",
]

LOOK_ALIKES = [
    # a call or text with somebody else is a task for the owner, not a request
    "Can you schedule a call with my accountant?",
    "Set up a call with the vendor for Monday",
    "Please schedule calls with all three candidates",
    "Arrange a Zoom between the designer and the developer",
    "Book a call with the printer about the proofs",
    "Please set up a Teams call with our IT guy",
    "Can you jump on a call with the vendor?",
    "I need to set up a call with my lawyer",
    "Please call the venue to confirm the booking",
    "Can you call the restaurant and move our booking?",
    "Can you text the team the new address?",
    "Can you call or text the courier?",
    "Could you reach out to the client by phone?",
    "Can you chat with the vendor on WhatsApp?",
    "Ask the printer to text me when it's ready",
    "tell them to call me",
    "Can you ask the bank to call me?",
    "Who should I call about the leak?",
    "I'll call the printer tomorrow",
    "Please prepare notes for tomorrow's call with the investors",
    "Can you move the call with Acme to Tuesday?",
    "Reply to the customer by SMS",
    "Could you text the link to the client?",
    # "call" and "text" as nouns in other senses
    "the API call fails with a 500",
    "that function call returns null",
    "the recursive call overflows the stack",
    "Callbacks fire twice in the SDK",
    "The calling convention differs on ARM",
    "Update the text on the page",
    "The text field doesn't validate emails",
    "The text of the contract needs a second look",
    "Could you update the texts in the FAQ?",
    "This text reads awkwardly",
    "Is there a text version of the report?",
    "Can you text-wrap the header?",
    "Please log the calls in the CRM",
    "The phone line on the website is wrong",
    "Can you add the phone number 212-555-0147 to the footer?",
    "Send SMS confirmations to attendees",
    "Put the WhatsApp group link in the newsletter",
    "Zoom in on the logo please",
    "Please book the conference room",
    "Can you call the meeting to order?",
    "Where's the text file?",
    "We need a better call flow in the app",
    # past events, reports and other people
    "I got a call from the bank",
    "She called yesterday about the lease",
    "We had a great call last week",
    "The call went well!",
    "Thanks for the call today!",
    "Did you call me earlier?",
    "I tried to call you yesterday",
    "Who texted you about the invoice?",
    "They keep calling me about the warranty",
    "The courier will call you when he arrives",
    "My accountant will text you the figures",
    "The contractor will ring me tomorrow",
    "Did they text you back?",
    "I'm texting my wife, one sec",
    "I spoke to my boss on the phone",
    "We talked on the phone yesterday",
    # the client's own status, refusals and idioms
    "I have a call at 3 so I'll be slow to reply",
    "I'm on a call, will reply soon",
    "Do you have a call at 3?",
    "Don't call me, I'm in meetings all day",
    "Please don\u2019t text me after 9pm",
    "No need to call me, email is fine",
    "Call me crazy, but I like the blue version",
    "Call me old-fashioned but I like PDFs",
    "Buzz me in when I get to the door",
    "Let's talk about the proposal tomorrow",
    "Let me know when you've sent it",
    "Quick question about the invoice?",
    # quoted speech, quotes and code never count
    'He said "call me" but I ignored it',
    "He said \u201ctext me\u201d and hung up",
    "> call me asap\nthat's what the client wrote last week",
    "&gt; call me asap\nsorry, that was for my assistant",
    ">>> call me\ntext me",
    "Run `callMe()` then `text me` in the console",
    "```\ncall me maybe\ntext me\n```",
    "Can you `call me` later",
    "Here's the doc <https://docs.google.com/call-me|spec>",
    "see https://example.com/text-me for details",
]

URGENCY = [
    ("urgent: the invoice bounced", True),
    ("Need this IMMEDIATELY", True),
    ("Critical bug in checkout", True),
    ("911 the server is on fire", True),
    ("\U0001F6A8 site down \U0001F6A8", True),
    ("Time-sensitive: contract expires today", True),
    ("Can you reply asap?", True),
    ("we need this right now", True),
    ("The site is DOWN AND NOBODY CAN LOG IN", True),
    ("Fix this now!", True),
    ("Please get back to me as soon as possible", True),
    ("Not urgent, whenever you get a chance", False),
    ("This is not an emergency", False),
    ("Not super urgent, but can you check the DNS?", False),
    ("Not urgent!!!", False),
    ("No rush!!! whenever", False),
    ("My sister works at urgent care", False),
    ("Do you know a good urgent care nearby?", False),
    ("Add an emergency contact field to the form", False),
    ("Emergency room visit receipts attached", False),
    ("If it's urgent I'll call the office", False),
    ("Is this on the critical-path?", False),
    ("Thanks so much!!!", False),
    ("my PDF and CSV exports", False),
    ("The API returns CALL_FAILED", False),
]

MIXED = [
    # (text, redirect, urgent): several signals at once, formatting and shouting
    ("CALL ME NOW", CALL, True),
    ("call me!!!", CALL, True),
    ("Please answer your phone!!", CALL, True),
    ("Pick up the phone, it's an emergency", CALL, True),
    ("pls txt me asap!!!", TEXT, True),
    ("CAN YOU CALL ME", CALL, True),
    ("<https://zoom.us/j/123|join my zoom>", CALL, False),
    ("Hi!\n\nCan you call me?\nThanks", CALL, False),
    ("<@U1> <@U2> text me when done", TEXT, False),
    ("<@123456789> can you call me", CALL, False),
    ("**call me** pls", CALL, False),
    ("*Call me* when you get this", CALL, False),
    ("_text me_ the address", TEXT, False),
    ("Hey, ~text~ call me", CALL, False),
    ("Call me \U0001F64F", CALL, False),
    ("\U0001F4DE me when you can", CALL, False),
    ("can you call me?? \U0001F605", CALL, False),
    # both asked: the more direct one wins, "call" on a tie
    ("call or text me, whichever", CALL, False),
    ("Text or call my cell, either works", CALL, False),
    ("Is it better to call or text you?", CALL, False),
    ("Text me, or call if that's easier", TEXT, False),
]

OWN_CASES = (
    [pytest.param(t, CALL, None, id=_id(t)) for t in CALL_REQUESTS]
    + [pytest.param(t, TEXT, None, id=_id(t)) for t in TEXT_REQUESTS]
    + [pytest.param(t, None, False, id=_id(t)) for t in LOOK_ALIKES]
    + [pytest.param(t, None, u, id=_id(t)) for t, u in URGENCY]
    + [pytest.param(t, r, u, id=_id(t)) for t, r, u in MIXED]
)


@pytest.mark.parametrize(("text", "redirect", "urgent"), OWN_CASES)
def test_own_case(text, redirect, urgent):
    intent = classify(text)
    assert intent.redirect == redirect, intent.evidence
    if urgent is not None:
        assert intent.urgent is urgent, intent.evidence


def test_own_cases_do_not_repeat_the_shared_file():
    shared = {e["text"].lower() for e in SHARED or []}
    own = [p.values[0] for p in OWN_CASES]
    assert len(own) >= 60
    assert not [t for t in own if t.lower() in shared]
    assert len(set(own)) == len(own)


def test_requests_are_not_urgent_by_themselves():
    assert not classify("Can you call me this week?").urgent
    assert not classify("Text me when you're free").urgent


def test_evidence_names_the_rules_that_fired():
    intent = classify("URGENT call me now")
    assert intent.evidence and all(isinstance(e, str) for e in intent.evidence)
    assert any(e.startswith("call:") for e in intent.evidence)
    assert any(e.startswith("urgent:") for e in intent.evidence)
    assert classify("Happy Friday").evidence == ()


def test_as_json_is_the_public_shape():
    assert classify("text me").as_json() == {"redirect": "text", "urgent": False}
    assert Intent(redirect=None, urgent=True).as_json() == {"redirect": None, "urgent": True}
    assert json.dumps(Intent("call", False, ("call:direct",)).as_json()) == '{"redirect": "call", "urgent": false}'


def test_intent_is_immutable():
    with pytest.raises(AttributeError):
        classify("call me").redirect = None  # type: ignore[misc]


def test_classify_lines_yields_one_json_line_per_input_line():
    out = list(classify_lines(["call me asap\n", "\n", "", "Whatsapp me\r\n", "the API call fails"]))
    assert out == [
        '{"redirect": "call", "urgent": true}',
        '{"redirect": null, "urgent": false}',
        '{"redirect": null, "urgent": false}',
        '{"redirect": "text", "urgent": false}',
        '{"redirect": null, "urgent": false}',
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "\U0001F44D", "```", "<@U123>", "?!?!"])
def test_degenerate_input(text):
    assert classify(text).as_json() == {"redirect": None, "urgent": False}


def test_long_or_hostile_input_is_read():
    # how the time grows with the length is tests/test_intents_linear.py's business; no test here reads the clock
    hostile = ["a " * 5000, "call " * 3000, "can you " * 2000 + "call me", "talk about " + "x " * 5000 + "live", "<" * 3000, '"' * 3000]
    results = [classify(t) for t in hostile]
    assert results[2].redirect == "call"
    assert classify("Can you schedule a call with my accountant? It's urgent!!!").as_json() == {"redirect": None, "urgent": True}
