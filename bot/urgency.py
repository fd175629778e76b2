"""Urgency in a client message: urgent words, 911/SOS, "pick up!", and shouting that is not a pleasantry."""

from __future__ import annotations

import re

from bot import intent_languages
from bot.textclean import any_word as _any
from bot.textclean import rx as _rx
from bot.urgency_signs import situation_evidence

_URGENT_TERMS = (
    r"urgent\w*|emergenc\w*|critical|asap|a\.s\.a\.p|immediately|(?<!calling\syou\s)(?<!ringing\syou\s)(?<!look\s)(?<!looks\s)(?<!feel\s)(?<!feels\s)(?<!seems\s)right\s+now|right\s+away"
    r"|time[- ]sensitive|urgency"
    r"|high\s+priority|top\s+priority|highest\s+priority|as\s+soon\s+as\s+possible"
)
_NEGATED_URGENCY = re.compile(
    rf"\b(?:not|no|nothing|non|never|hardly|without|none)\b[\s-]*(?:[\w']+\s+){{0,3}}?(?:{_URGENT_TERMS})"
    rf"|\b(?:if|in\s+case|unless|only\s+if|when|counts\s+as|definition\s+of|(?:process|policy|procedure|protocol|plan|rules?|form"
    rf"|template)\s+for)\s+(?:[\w']+\s+){{0,3}}?(?:urgent\w*|emergenc\w*|critical)|\bfor\s+emergencies\b"
    rf"|\b(?:thanks|thank\s+you)\s+for\b(?:\s+[\w'-]+){{0,5}}?\s+(?:{_URGENT_TERMS})"
    rf"|\b(?:the|that)\s+(?:urgent|emergency|critical)\b(?:\s+[\w'-]+){{0,4}}?\s+(?:is|was|has\s+been)\s+(?:resolved|fixed|sorted|over)"
    rf"|\b(?:which|what)\s+(?:[\w']+\s+){{0,3}}?(?:is|are)\s+(?:the\s+)?(?:most|more|less|least)\s+urgent\b|\bhow\s+urgent\b"
)
_OTHER_SENSE = re.compile(
    r"\burgent\s+care\b|\bemergency\s+(?:contact|room|fund|exit|services|number|kit|plan|brake|dentist|vet)s?\b"
    r"|\bcritical(?:ly)?[\s-]+(?:path|thinking|feedback|review|acclaim|acclaimed|mass|section|css)\b|\bmission[- ]critical\b"
    r"|\bemergency\s+(?:preparedness|procedures?|plans?|policy|process|protocol|drill|lighting|supplies|call-?outs?|lines?)\b"
    r"|\burgent\s+(?:requests|matters|cases)\b"
    # a status, not an alarm: "I'm on the phone with the bank right now", "are you on a call right now?"
    r"|(?:'s|\bis)\s+(?:on\s+(?:the|a)\s+(?:phone|call)|in\s+a\s+(?:meeting|call))(?:\s+[\w'-]+){0,6}?\s+right\s+now\b"
    r"|\b(?:i\s+am|are\s+you|you\s+are|we\s+are)\s+(?:on\s+(?:the|a)\s+(?:phone|call)|in\s+a\s+(?:meeting|call)|driving|busy)\b"
    r"(?:\s+[\w'-]+){0,6}?\s+right\s+now\b"
)
_URGENT = re.compile(
    rf"\b(?P<term>{_URGENT_TERMS})\b|(?<![\d-])(?P<n911>911)(?![\d-])|\b(?P<sos>sos)\b"
    r"|(?P<emoji>[\U0001F6A8\U0001F198\u203C])"
    r"|(?<!\bwe\s)(?<!\bjust\s)(?<!\bwill\s)\b(?P<pickup>pick\s+up\s*(?:(?:please|pls|now)\s*)?(?:!|$|,|\.)|pick\s+up\s+(?:the|your)\s+phone\b|answer\s+(?:the|your)\s+phone\b)(?!\s*i\s+am\s+(?:calling|ringing)\b)"
    r"|(?<!calling\syou\s)(?<!ringing\syou\s)(?<!texting\syou\s)(?P<now>\bnow\s*!)"
)
_BANG = re.compile(r"!{3,}")
_SENTENCE = re.compile(r"[.?\n]")
_PLEASANTRY = _rx(
    r"\b",
    _any(
        "thank thanks thank_you thx happy congrats congratulations great awesome love amazing yay woohoo nice "
        "perfect wow cheers welcome excited well won success proud fantastic brilliant lovely beautiful "
        "fun lol haha finally thrilled delighted"
    ),
    r"\b",
)
_CALM = _rx(
    r"\b",
    _any(
        "no_rush no_hurry no_pressure take_your_time whenever at_your_leisure low_priority "
        "when_you_get_a_chance next_week_is_fine"
    ),
    r"\b",
)
_CAPS_WORD = re.compile(
    r"\b(?:URGENT(?:LY)?|ASAP|NOW(?!\s+(?:ON|OPEN|LIVE|AVAILABLE|SHOWING|PLAYING)\b)|HELP|SOS|EMERGENCY|IMMEDIATELY"
    r"|CRITICAL|ANSWER)\b"
)
_CAPS_RUN = re.compile(r"\b[A-Z]{2,}(?:\W+[A-Z]{2,}\b){2,}")
# Capitals that are the subject or the copy ("use CAPS for the headline: SUMMER SALE NOW ON") are not shouting
_ABOUT_CAPS = _rx(
    r"\b(?:caps|capitals|capital\s+letters|upper\s*case|all[\s-]caps)\b",
    r"|\b(?:headline|heading|title|subject(?:\s+line)?|banner|tagline|slogan|caption|poster)\s*(?:text\s*)?:",
)
# Quick scans that let a message skip the rules above: every match of _NEGATED_URGENCY and _OTHER_SENSE contains
# one of _TERM_WORDS, every match of _URGENT one of _URGENT_WORDS, and every shouted word two capitals in a row.
_TERM_WORDS = r"urgen|emergenc|critical|asap|a\.s\.a\.p|immediately|right|sensitive|priority|possible"
_TERM_WORD = re.compile(_TERM_WORDS)
_URGENT_WORD = re.compile(_TERM_WORDS + "|911|sos|pick|answer|now|\U0001f6a8|\U0001f198|\u203c")
_TWO_CAPITALS = re.compile("[A-Z][A-Z]")


def urgency_evidence(clean: str, low: str, english: bool = False) -> list[str]:
    """The urgency rules that fire, by name; empty when the message is not urgent. A message known to be `english`
    skips the other languages' urgent situations."""
    found = []
    if _URGENT_WORD.search(low):
        stripped = _OTHER_SENSE.sub(" ", _NEGATED_URGENCY.sub(" ", low)) if _TERM_WORD.search(low) else low
        for m in _URGENT.finditer(stripped):
            found.append(f"urgent:{m.group('term') if m.lastgroup == 'term' else m.lastgroup}")
    weak = []
    if "!!!" in clean:
        for sentence in _SENTENCE.split(clean.lower()):
            # "!!!" after a pleasantry in the same sentence is joy, not alarm
            joy = _PLEASANTRY.search(sentence)
            for m in _BANG.finditer(sentence):
                if joy is None or joy.start() > m.start():
                    weak.append("urgent:!!!")
    if _TWO_CAPITALS.search(clean) and not _ABOUT_CAPS.search(low):
        caps = _CAPS_WORD.findall(clean)
        if caps:
            weak.append(f"urgent:shouting({caps[0]})")
        elif any(len(re.sub(r"\W", "", run)) >= 10 for run in _CAPS_RUN.findall(clean)):
            weak.append("urgent:shouting")
    calm = _CALM.search(low) or _NEGATED_URGENCY.search(low)
    if weak and not calm:
        found.extend(weak)
    if not calm:
        found.extend(situation_evidence(low))
    elsewhere, calm_elsewhere = intent_languages.urgency(clean.lower(), situations=not english)
    return [] if calm_elsewhere else found + elsewhere
