"""Own cases for the rules added after blind batch 2026-12c: urgency without urgent words, and look-alikes of requests."""

from __future__ import annotations

import pytest
from intent_corpus import load

from bot.intents import classify

CALL, TEXT = "call", "text"
CASES = [
    # (text, redirect, urgent): urgency named by the situation, and its look-alikes
    ("Fraud alert just came through on the business card", None, True),
    ("Stripe withheld our funds pending a review", None, True),
    ("Lawsuit incoming from the old landlord", None, True),
    ("The filing is due by 3pm today", None, True),
    ("Nothing works anymore on the site", None, True),
    ("Nothing works better than a short email", None, False),
    ("Someone is impersonating us and invoicing our clients", None, True),
    ("We lost all the customer records in the migration", None, True),
    ("Lost all my motivation this week lol", None, False),
    ("Are you on a call right now? I can wait", None, False),
    ("If the invoice is not paid today they stop the service", None, True),
    ("If it's not too much trouble, send it today", None, False),
    ("Pay the fine by Friday or it doubles", None, True),
    ("The app keeps crashing on me, can I text you instead?", TEXT, False),
    ("Nos llegó un burofax esta mañana", None, True),
    # requests the rules now read, and look-alikes they set aside
    ("Just shared a Webex invite with you", CALL, False),
    ("callme when free", CALL, False),
    ("WeChat?", TEXT, False),
    ("CALL ME NOW, the launch page is down", CALL, True),
    (
        "---------- Forwarded message ---------\nFrom: Ana\nCan you call me tomorrow?\n----------\nCould you handle this?",
        None,
        False,
    ),
    ("On a call till 4", None, False),
    ("Set up a Teams call between the designer and the printer", None, False),
    ("Can you organise a call for the whole team on Monday?", None, False),
    ("The sales call you booked for me went well", None, False),
    ("Please set up call forwarding to my cell", None, False),
    ("My WhatsApp is a mess, let's stay on Slack", None, False),
    ("Kannst du mir das aufs Handy schicken?", TEXT, False),
    ("Simse mir die Adresse", TEXT, False),
    ("Rappelle-moi d'envoyer la facture", None, False),
    ("Tu m'envoies l'adresse par SMS ?", TEXT, False),
    ("Lo hablamos por teléfono la semana pasada", None, False),
    ("manda sms quando puder", TEXT, False),
]


@pytest.mark.parametrize(("text", "redirect", "urgent"), CASES, ids=[text[:40] for text, _, _ in CASES])
def test_situation(text, redirect, urgent):
    intent = classify(text)
    assert (intent.redirect, intent.urgent) == (redirect, urgent), intent.evidence


def test_these_cases_are_not_copies_of_the_corpus():
    corpus = {example.text.lower() for example in load()}
    assert not [text for text, _, _ in CASES if text.lower() in corpus]


def test_the_model_never_drops_a_direct_request():
    for text in ("CALL ME NOW, the launch page is down", "pls ring me", "Text me!! The venue cancelled"):
        intent = classify(text)
        assert intent.redirect is not None
        assert not any(item.startswith("model:") for item in intent.evidence)
