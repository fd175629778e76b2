"""More English call and text rules: messaging apps and voice notes used as verbs, and invitations into a room."""

from __future__ import annotations

import re

from bot.intent_cues import _free, _free_subject
from bot.intent_rules import Redirect, _client_offers, _owner_is_asked, _proposal, rule_of
from bot.textclean import rx as _rx

_ROOM = (
    r"(?:google\s+meet|meet|teams(?:\s+call)?|webex|whereby|bridge|video\s+call|facetime|skype|voice\s+channel|vc|zoom|call"
    r"|huddle|dial[\s-]?in)"
)
# The standing meeting is not a new call: "join our weekly call"
_NOT_STANDING = r"(?!(?:weekly|monthly|quarterly|regular|usual|standing|recurring|daily|team|board|all-hands)\b)"

MORE_RULES = [
    rule_of(*rule)
    for rule in [
        # "Telegram me", "I'll Signal you the code", "Messenger me", "voice note me back"
        (
            "app-verb",
            _rx(
                r"\b(?P<v>telegram|messenger|signal|viber|wechat|voice[\s-]?(?:note|memo|message)|voicenote)\s+(?:me|us|you)\b",
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
                r"\b(?:join|come\s+(?:on|to|into)|dial\s+into|be\s+on|hop\s+on(?:to)?|jump\s+on(?:to)?|hop\s+in(?:to)?|jump\s+in(?:to)?)",
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
                r"\b(?:switch|move|change|make|turn|do|have|convert)\s+(?:[\w'-]+\s+){0,3}?(?:session|appointment|consult\w*",
                r"|meeting|check-?in|visit)\s+(?:to|into|onto|as|over)\s+(?:a\s+)?(?:video|phone|zoom|facetime|teams|telehealth",
                r"|virtual|online|call)\b",
            ),
            _free,
            "call",
            2,
        ),
        # "can I WhatsApp them to you?", "I'll text the photos to you"
        (
            "to-you",
            _rx(r"\b(?P<v>text|whatsapp|sms|imessage|telegram|signal|viber)\s+(?:[\w'-]+\s+){1,4}?to\s+you\b"),
            _client_offers,
            "text",
            2,
        ),
        # "call the landline": the client's other phone
        (
            "their-line",
            _rx(
                r"\b(?P<v>call|ring|phone|text)\s+(?:the|our)\s+(?:landline|house\s+phone|home\s+phone|home\s+number)\b"
            ),
            _owner_is_asked,
            None,
            3,
        ),
    ]
]

# Message-wide: "I'm in the huddle, come join", "Meet link: join when you're ready" (the link itself is removed in cleaning)
_INVITE = re.compile(
    rf"\b(?:in|on)\s+(?:the|a|my|our)\s+{_ROOM}\b(?:\s+[\w'-]+){{0,6}}?[\s,.!;:-]+(?:come|jump|hop|pop)\s+(?:join|in|on)\b"
    rf"|\b{_ROOM}\s+link\b[^.?!\n]{{0,40}}?\bjoin\s+(?:us\s+|me\s+)?(?:when|whenever|once)\s+(?:you|ready)"
)
_REFUSED = re.compile(r"\b(?:not|no|never|do\s+not|did|was|were|yesterday)\b")


def more_hits(low: str) -> list[tuple[Redirect, int, str]]:
    """Requests only the whole message shows, with their evidence."""
    m = _INVITE.search(low)
    if m and not _REFUSED.search(low, max(0, m.start() - 40), m.end()):
        return [("call", 2, "call:invite-in")]
    return []
