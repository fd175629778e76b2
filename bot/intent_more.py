"""More English call and text rules: messaging apps and voice notes used as verbs, and invitations into a room."""

from __future__ import annotations

import re

from bot.intent_cues import _free, _free_subject
from bot.intent_rules import Redirect, _client_offers, _owner_is_asked, _proposal, rule_of
from bot.textclean import rx as _rx

# Each pattern starts with a word, not \b, so the regex engine skips quickly to where one could start; a match inside
# a longer word leaves a prefix ending in part of a word, which none of the tests on the prefix accepts.
_ROOM = (
    r"(?:google\s+meet|meet|teams(?:\s+call)?|webex|whereby|bridge|video\s+call|facetime|skype|voice\s+channel|vc|zoom|call"
    r"|huddle|dial[\s-]?in)"
)
# The standing meeting is not a new call: "join our weekly call"
_NOT_STANDING = r"(?!(?:weekly|monthly|quarterly|regular|usual|standing|recurring|daily|team|board|all-hands)\b)"
_SWITCHED = re.compile(r"\b(?:switch|move|change|make|turn|do|have|convert)\b(?:\s+[\w'-]+){0,3}?\s*$")


def _switched(prefix: str) -> bool:
    """'switch Thursday's', 'can we do the': the session that follows is being moved to another medium."""
    return _free(prefix) and bool(_SWITCHED.search(prefix))


MORE_RULES = [
    rule_of(*rule)
    for rule in [
        # "Telegram me", "I'll Signal you the code", "Messenger me", "voice note me back"
        (
            "app-verb",
            _rx(
                r"(?P<v>telegram|messenger|signal|viber|wechat|voice[\s-]?(?:note|memo|message)|voicenote)\s+(?:me|us|you)\b",
                r"(?!\s+(?:know|that|if|whether)\b)",
            ),
            _free_subject,
            "text",
            2,
        ),
        # "can you join our Google Meet at 2?", "hop on my Whereby": the client's own room, not the standing meeting
        (
            "our-room",
            _rx(
                r"(?:join|come\s+(?:on|to|into)|dial\s+into|hop\s+on(?:to)?|jump\s+on(?:to)?|hop\s+in(?:to)?|jump\s+in(?:to)?)",
                rf"\s+(?:our|my)\s+(?:{_NOT_STANDING}[\w'-]+\s+)?{_ROOM}\b",
            ),
            lambda p: _free(p) and (_owner_is_asked(p) or _proposal(p)),
            "call",
            2,
            True,
        ),
        # "switch Thursday's session to video", "can we make the appointment a phone call?"
        (
            "session-by",
            _rx(
                r"(?:session|appointment|consult\w*|meeting|check-?in|visit)\s+(?:to|into|onto|as|over)\s+(?:a\s+)?",
                r"(?:video|phone|zoom|facetime|teams|telehealth|virtual|online|call)\b",
            ),
            _switched,
            "call",
            2,
        ),
        # "can I WhatsApp them to you?", "I'll text the photos to you"
        (
            "to-you",
            _rx(r"(?P<v>text|whatsapp|sms|imessage|telegram|signal|viber)\s+(?:[\w'-]+\s+){1,4}?to\s+you\b"),
            _client_offers,
            "text",
            2,
        ),
        # "call the landline": the client's other phone
        (
            "their-line",
            _rx(r"(?P<v>call|ring|phone|text)\s+(?:the|our)\s+(?:landline|house\s+phone|home\s+phone|home\s+number)\b"),
            _owner_is_asked,
            None,
            3,
        ),
    ]
]

# Message-wide: "I'm in the huddle, come join", "Meet link: join when you're ready" (the link itself is removed in cleaning)
_INVITE_WORDS = re.compile(r"(?:come|jump|hop|pop)\s+(?:join|in|on)\b|join\s+(?:us\s+|me\s+)?(?:when|whenever|once)\b")
_INVITE = re.compile(
    rf"\b(?:in|on)\s+(?:the|a|my|our)\s+{_ROOM}\b(?:\s+[\w'-]+){{0,6}}?[\s,.!;:-]+(?:come|jump|hop|pop)\s+(?:join|in|on)\b"
    rf"|\b{_ROOM}\s+link\b[^.?!\n]{{0,40}}?\bjoin\s+(?:us\s+|me\s+)?(?:when|whenever|once)\s+(?:you|ready)"
)
_REFUSED = re.compile(r"\b(?:not|no|never|do\s+not|did|was|were|yesterday)\b")


def more_hits(low: str) -> list[tuple[Redirect, int, str]]:
    """Requests only the whole message shows, with their evidence."""
    m = _INVITE.search(low) if _INVITE_WORDS.search(low) else None
    if m and not _REFUSED.search(low, max(0, m.start() - 40), m.end()):
        return [("call", 2, "call:invite-in")]
    return []
