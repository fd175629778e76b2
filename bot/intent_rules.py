"""The call and text rules: the phrases clients use, and who-is-asked tests on the clause before each."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal, NamedTuple

from bot.textclean import any_word as _any
from bot.textclean import rx as _rx

Redirect = Literal["call", "text"]

# How the decision works
# ----------------------
# The text is cleaned (code, quotes, links and mentions removed; contractions and chat slang
# expanded), split into clauses, and each rule below looks for a phrase *and* checks who is
# asked: the words before the phrase in its clause (the "prefix") must make it a request to the
# owner (imperative, "can you ...", "I need you to ...") or an offer from the client ("I'll call
# you", "can I text you"), and must not negate it or report a past event.  A call arranged with
# somebody else ("a call with my accountant") is a task, never a request.
#
# Each hit has a strength: 3 = a direct request with an explicit person ("call me", "text you",
# "send me a text"), 2 = a proposal, preference or bare verb ("hop on a call", "I'd rather text",
# "quick zoom?", "text when ready"), 1 = only a phone number asked for or shared (a call unless a
# text is asked for).  The strongest hit wins; "call" wins ties.

# "call" as part of a compound noun is a thing, not a conversation: "call forwarding", "call centre", "call-out"
_THING_AFTER_CALL = (r"(?!-|\s+(?:forwarding|centre|center|logs?|list|sheet|script|recordings?|notes|flow|button|widget|quality|answering"
                     r"|volume|stack|options?|routing|tree|queue|transcripts?|summary|line|bridge|tracking)\b)")
_CALL_NOUN = (
    r"(?:(?:phone|video|voice|zoom|teams|skype|facetime|conference|audio|google\s+meet)"
    rf"\s+(?:call|chat|meeting|session|consult(?:ation)?)|whatsapp\s+(?:call|video)|call{_THING_AFTER_CALL}|zoom(?!\s+(?:in|out)\b)|huddle|facetime"
    r"|skype|gmeet|webex|whereby|(?:google\s+)?meet|hangout)"
)
# Words between "a" and "call" that make it a call about something else, or the standing meeting ("our weekly call")
_NOT_BETWEEN = (r"(?!(?:to|with|for|and|or|from|of|weekly|monthly|quarterly|annual|yearly|regular|usual|recurring|review"
                r"|standing|check-in|team|sales|board|discovery|investor|client|customer|support|cold|follow-up)\b)")
_NP = (
    rf"(?:(?:a|an|the|my|your|this|that|one|another|some)\s+(?:{_NOT_BETWEEN}[\w'-]+\s+){{0,2}}?"
    rf"|(?:(?:quick|short|brief|live|\d+\s*-?\s*min(?:ute)?s?)\s+)*){_CALL_NOUN}(?![-\w])"
    r"(?!\s+(?:me|us|you|him|her|them|back|webinars?|account|subscription|licen[cs]e|recording)\b)"
)
_NP_A = (  # a call not yet arranged: "free for a call", never "a room for my 3pm call"
    rf"(?:(?:a|an|one|another|some)\s+(?:{_NOT_BETWEEN}[\w'-]+\s+){{0,2}}?"
    rf"|(?:(?:quick|short|brief|live|\d+\s*-?\s*min(?:ute)?s?)\s+)*){_CALL_NOUN}(?![-\w])"
)
_JOIN_NP = rf"(?:{_NP}|(?:the\s+)?phone\b|teams\b(?!\s+(?:channel|chat|message))|the\s+line\b)"
_CALL_VERB = r"(?:call|phone|ring|buzz|dial|facetime|skype|zoom)"
_TEXT_VERB = r"(?:text|sms|whatsapp|imessage)"
_VERB = rf"(?:{_CALL_VERB}|{_TEXT_VERB})"
_TEXT_CHANNEL = r"(?:whatsapp|signal|telegram|imessage|sms|text|texts|viber|wechat|instagram|insta|messenger)"
_PHONE_OBJ = (r"my\s+(?:(?:direct|work|office|home|personal|private|other|new|usual|mobile|cell)\s+)?"
              + _any("cell phone mobile number landline line"))
_ADV = _any("please kindly just quickly possibly maybe perhaps also then now still definitely actually ever first asap urgently "
            "go_ahead_and be_able_to try_to")
_FILLER = (
    r"(?:please|kindly|just|ok|okay|hey|hi|hello|hiya|yo|oh|ah|um|uh|yes|yeah|yep|sure|right|so|also|now"
    r"|asap|urgent|urgently|quick|quickly|again|sorry|listen|look|then|and|or|btw|mate|dude|buddy|boss|code)"
)
_TIME = (
    r"(?:back|when|once|if|whenever|later|asap|instead|anytime|any\s+time|now|soon|tonight|today|tomorrow|about|around\s+\d"
    r"|shortly|this\s+\w+|next\s+\w+|in\s+(?!the\b)\w+|at\s+\w+|for\s+(?:a\s+)?(?:\d+|a|one|two|five|ten|few)\s*(?:min|minute|sec|bit)"
    r"|on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sunday|the\s+way)|before|after|first|please|urgently|again|the\s+(?:second|minute|moment)\s+you)"
)

# --- who is asked: tests on the clause text before the phrase ------------------------------
_IMPERATIVE = re.compile(rf"^(?:{_FILLER}\b\W*)*$")
_YOU_REQUEST = re.compile(
    rf"(?:\b(?:can|could|would|will|please)\s+(?:you|ya|y'all)|\b(?:you|ya)\s+(?:can|could|should|must|might|may|will)"
    rf"|\byou\s+to|\bif\s+you(?:\s+(?:can|could|would|(?:want|need|prefer|would\s+like)\s+to))?|\b(?:free|hesitate|forget|remember|sure|try|welcome"
    rf"|possible|able|time|chance|minutes?|moment|seconds?|secs?|mins?|best|better|easier|easiest)\s+to)(?:\s+{_ADV})*\s*$"
)
_SUBORDINATE = re.compile(
    r"^(?:when|once|if|after|as\s+soon\s+as|whenever|before)\s+(?:you|i|we)\b(?!.*\b(?:they|he|she|them|him|her)\b)"
)
_FIRST_PERSON = re.compile(
    r"(?:^(?:going\s+to|about\s+to)?|(?<![-\w])(?:i|we|me|us)(?:\s+(?:will|would|can|could|may|might|shall|should|must|am|are|going|to|want|like"
    r"|love|need|have|try|trying|just|quickly|also|then|now|probably|maybe|definitely|about|planning|plan|hoping"
    r"|hope|be|able|rather|prefer|instead|first|later|soon|give|gonna|ok|okay|mind))*)\s*$"
)
_WHICH_WAY = _rx(r"\b", _any("better best easier quicker ok okay alright fine good good_time possible"), r"\s+(?:for\s+(?:me|us)\s+)?to\s*$")
_PROPOSAL = re.compile(
    rf"\b(?:let\s+us|(?:can|could|shall|should|may)\s+(?:we|i)|we\s+(?:should|could|can|need\s+to|must|have\s+to|might)"
    rf"|i\s+would\s+(?:like|love|prefer)(?:\s+to)?|i\s+(?:want|need|hope|like)(?:\s+to)?|(?:want|like|love|keen|happy"
    rf"|down|free|able|time|minutes?|mins?|chance|possible|fancy|up\s+for)(?:\s+to)?|are\s+you\s+(?:free|available|around|up\s+for|ok|okay)"
    rf"|how\s+about(?:\s+we)?|maybe\s+we)(?:\s+{_ADV})*\s*$"
)
_BLOCKED = re.compile(
    r"\b(?:not|never|no|stop|nobody|nothing|did|had|was|were|said|says|told|asked|mentioned|wrote|yesterday"
    r"|earlier|already|tried|used|last)\b"
)
_THIRD_PARTY = re.compile(
    r"\b(?:he|she|they|him|her|them|his|their|someone|somebody)\b"
    r"|\b(?:customers|clients|people|users|guests|patients|visitors|staff|others)\s+(?:can|could|will|would|should|may|might|to)\b"
    r"|\b(?:everyone|everybody|people|anyone|those|who|whom)\s+(?:we|i)\s+(?:need|have|want|should|must|ought)\b"
)
OTHER_PARTY_AFTER = re.compile(r"(?:\s+[\w'-]+){0,3}?\s+(?:with|between)\s+(?!(?:me|us|you|both\s+of\s+us|our\s+team|my\s+team)\b)\w"
                               r"|(?:\s+[\w'-]+){0,2}?\s+from\s+(?!(?:me|us|now|then|here|today|tomorrow|home)\b)\w"
                               r"|\s+between\s+(?:me|us)\s+and\s+(?!you\b)\w"
                               r"|(?:\s+[\w'-]+){0,2}?\s+for\s+(?:the|all|our|my|every|each)\s+(?:[\w'-]+\s+){0,2}?(?:board|team|staff|owners"
                               r"|clients|customers|investors|managers|partners|committee|members|tenants|volunteers|students|parents"
                               r"|attendees|speakers|guests|employees)\b"
                               r"|\s+for\s+(?:me|us)\s+and\s+(?!you\b)\w")
QUESTION_WORD = re.compile(r"^(?:who|whom|which|what)\b")


def _owner_is_asked(prefix: str) -> bool:
    """An imperative or a 'you' request aimed at the owner ("please", "can you", "I need you to")."""
    if _BLOCKED.search(prefix):
        return False
    return bool(_IMPERATIVE.match(prefix) or _YOU_REQUEST.search(prefix) or _SUBORDINATE.match(prefix))


def _client_offers(prefix: str) -> bool:
    """The client proposes to reach the owner ("I'll", "can I", "mind if I", "do you want me to", "better to")."""
    return not _BLOCKED.search(prefix) and bool(_FIRST_PERSON.search(prefix) or _WHICH_WAY.search(prefix))


def _proposal(prefix: str) -> bool:
    """A joint proposal ("let's", "can we", "I'd love to") or a request to the owner."""
    return _owner_is_asked(prefix) or (not _BLOCKED.search(prefix) and bool(_PROPOSAL.search(prefix)))


_OTHER_SUBJECT = re.compile(r"^(?:the|our|his|her|their)\s+(?!(?:best|easiest|quickest|only|next)\b)[\w'-]+(?:\s+[\w'-]+)?\s*$")


def _not_reported(prefix: str) -> bool:
    """Nothing before the phrase negates it, reports it as past, or makes it somebody else's ("the client prefers")."""
    return not _BLOCKED.search(prefix) and not _THIRD_PARTY.search(prefix) and not _OTHER_SUBJECT.match(prefix)


_OURS = re.compile(r"\b(?:me|us|you|this|it|things|conversation|chat|thread)\b")
_WE = re.compile(r"\b(?:let\s+us|(?:can|could|shall|should)\s+we|we\s+(?:can|could|should))\s*$")
_TO_SOMEONE_ELSE = re.compile(r"\b(?:to|with|for)\s+(?!(?:me|us|you)\b)(?:the|my|our|a|an|his|her|their|them|him)\b")


def channel_is_ours(span: str, prefix: str) -> bool:
    """A channel mention is a request only between client and owner ("reach me on WhatsApp", "let's move to Signal")."""
    return bool(_OURS.search(span) or _WE.search(prefix)) and not _TO_SOMEONE_ELSE.search(span)


def _either(prefix: str) -> bool:
    """Either the owner is asked or the client offers ("call back asap", "can I call?")."""
    return _owner_is_asked(prefix) or _client_offers(prefix)


# --- the rules -------------------------------------------------------------------------------
class Rule(NamedTuple):
    name: str  # shown in Intent.evidence as "<medium>:<name>"
    pattern: re.Pattern[str]
    asked: Callable[[str], bool]  # test on the clause prefix: is this really a request between client and owner?
    medium: Redirect | None  # None: read it from the matched verb or channel
    strength: int
    only_us: bool = False  # a call "with <somebody else>" after the phrase is a task, not a request


def rule_of(*fields: Any) -> Rule:
    """A rule from a row of the tables below (a row may leave out the fields that have defaults)."""
    return Rule(*fields)


# "call me crazy", "buzz me in": the verb-me phrase with another meaning
IDIOM_AFTER = {
    "call": _rx(r"\s+", _any("crazy old-fashioned old_fashioned paranoid picky pedantic sceptical skeptical cynical naive lazy silly biased a an"), r"\b"),
    "buzz": _rx(r"\s+", _any("in up through"), r"\b"),
}
_ME = rf"(?:me|us|{_PHONE_OBJ})"
_OUR_DESK = r"(?:my|our)\s+(?:office|desk|reception|front\s+desk)|my\s+assistant's\s+(?:phone|line|number)"  # the client's, reached by a call
_ARTICLE_END = re.compile(r"\b(?:a|an)(?:\s+(?:quick|short))?\s*$")
_LINK = r"(?:a|an|the)?\s*(?:zoom|teams|google\s+meet|meet|facetime|skype|webex|whereby|call|video\s+call|huddle)\s+(?:link|invite|invitation)\b"
RULES = [rule_of(*rule) for rule in [
    # "call me", "text me the code", "call or text my cell", "huddle with me", "pick up the phone"
    ("direct", _rx(rf"\b(?P<v>{_VERB})(?:\s*(?:or|/|and|&)\s*(?P<v2>{_VERB}))?\s+(?:{_ME}|{_OUR_DESK})\b"), _owner_is_asked, None, 3),
    ("direct", _rx(r"\b(?P<v>huddle|zoom|facetime)\s+with\s+(?:me|us)\b"), _owner_is_asked, "call", 3),
    ("direct", _rx(rf"\b(?P<v>{_TEXT_VERB})\s+(?:[\w'-]+\s+){{1,4}}?to\s+(?:me|us)\b"), _owner_is_asked, "text", 3),
    ("direct", _rx(rf"\b(?:message|ping|send\s+(?:[\w'-]+\s+){{0,4}}?to)\s+{_PHONE_OBJ}\b"), _owner_is_asked, "text", 3),
    ("direct", _rx(r"\b(?:pick\s+up|answer)\s+(?:the|your)\s+(?:phone|cell|mobile)\b"), _owner_is_asked, "call", 3),
    # "would you mind calling me", "how about texting me"
    ("direct", _rx(r"\b", _any("mind try consider about recommend suggest"), r"\s+(?:just\s+)?",
                   "(?P<v>", _any("calling phoning ringing buzzing facetiming texting whatsapping"), rf")\s+{_ME}\b"), _not_reported, None, 3),
    # "give me a ring", "send me a text", "send me a zoom link"
    ("direct", _rx(r"\bgive\s+(?:me|us)\s+(?:a\s+)?(?:quick\s+|short\s+)?(?P<v>call|ring|buzz|bell|tinkle|text)\b"), _owner_is_asked, None, 3),
    ("direct", _rx(r"\b", _any("send shoot drop fire flick ping hit"), r"\s+(?:me|us)\s+(?:an?\s+)?(?:quick\s+|short\s+)?",
                   rf"(?:(?P<v>text|sms|whatsapp|imessage)\b|message\s+on\s+{_TEXT_CHANNEL}\b)"), _owner_is_asked, "text", 3),
    ("direct", _rx(r"\b", _any("send share drop shoot ping"), rf"\s+(?:me|us)\s+{_LINK}"), _owner_is_asked, "call", 3),
    # the client offers: "I'll call you", "can I text you", "calling you in 10", "mind if I give you a ring"
    ("from-client", _rx(rf"\b(?P<v>{_VERB})(?:\s*(?:or|/)\s*(?P<v2>{_VERB}))?\s+you\b"), _client_offers, None, 3),
    ("from-client", _rx(r"\b(?P<v>", _any("calling phoning ringing buzzing dialing dialling facetiming texting whatsapping"), r")\s+you\b"),
     _client_offers, None, 3),
    ("from-client", _rx(r"\b(?:give|send|shoot|drop)\s+you\s+(?:a\s+)?(?:quick\s+|short\s+)?(?P<v>call|ring|buzz|bell|tinkle|text)\b"),
     _client_offers, None, 3),
    ("from-client", _rx(rf"\b(?:send|share|drop|shoot)\s+you\s+{_LINK}"), _client_offers, "call", 3),
    # a bare verb: "text when ready", "call back asap", "can I call?", "I'm calling now"
    ("bare-verb", _rx(r"\b(?P<v>(?:call|ring|phon|buzz|text|facetim|huddl|skyp)(?:e|ing)?|sms|whatsapp|zoom(?!\s+(?:in|out)\b))", rf"(?:\s+{_TIME}\b|\s*$)"),
     _either, None, 2),
    # joint proposals: "let's hop on a call", "can you jump on zoom", "start a huddle with me", "can we book a call?"
    ("proposal", _rx(r"\b(?:", _any("hop jump get be go come"), r"\s+(?:on(?:to)?|in(?:to)?)|",
                     _any("join start open launch spin_up kick_off dial_in dial_into"),
                     r"|(?:join|meet)\s+(?:me|us)\s+(?:on|in|via|over|for)|meet\s+(?:on|via|over|in)",
                     r"|", _any("talk chat speak connect catch_up"), r"\s+(?:on|over|via))",
                     rf"\s+{_JOIN_NP}"), _proposal, "call", 2, True),
    ("proposal", _rx(r"\b", _any("have do grab get squeeze_in fit_in hold find_time_for make_time_for schedule set_up setup book "
                                 "arrange organise organize plan line_up pencil_in lock_in"), rf"\s+{_NP}"), _proposal, "call", 2, True),
    ("proposal", _rx(r"\b", _any("how_about what_about up_for fancy open_to keen_on down_for suggest propose"), rf"\s+{_NP}"),
     _not_reported, "call", 2, True),
    # "free for a call?", "any time for a quick phone chat?", "when's good for a call?"
    ("availability", _rx(r"\b(?:\d+|", _any("good work works best convenient free available around time minute minutes min mins sec secs "
                                            "second moment chance slot window gap room up open ready"),
                         rf")(?:\s+(?:today|tomorrow|tonight|later|now|this\s+\w+))?\s+for\s+{_NP_A}"),
     _not_reported, "call", 2, True),
    # "leave me a voicemail", "a quick text when it's booked would be great" (the article is read in the prefix; a pattern
    # that starts with a word, not \b, is scanned for quickly)
    ("voicemail", _rx(r"leave\s+(?:me|us)\s+(?:a\s+)?voice\s*mail\b"), _owner_is_asked, "call", 2),
    ("welcome", _rx(r"(?:text|txt|sms|whatsapp|imessage)\b(?:\s+[\w'-]+){0,6}?\s+would\s+be\s+",
                    _any("great good nice ideal appreciated helpful perfect best lovely fine enough"), r"\b"),
     lambda p: _not_reported(p) and bool(_ARTICLE_END.search(p)), "text", 2),
    # "please text rather than call", "phone over email": the medium named first
    ("rather-than", _rx(r"\b(?P<v>text|texting|txt|sms|whatsapp|call|calling|phone|phoning|ring)\s*(?:\s(?:rather\s+than|instead\s+of|over|(?:do\s+)?not)|,\s*(?:do\s+)?not|>)\s*",
                        r"(?:a\s+|an\s+)?(?:call(?:ing|s)?|phon(?:e|ing)|ring(?:ing)?|text(?:ing|s)?|e-?mail(?:ing|s)?|writing|slack|whatsapp)\b"),
     _not_reported, None, 2),
    # "talk live", "talk on the phone", "discuss this over zoom"
    ("live-talk", _rx(r"\b(?:", _any("talk speak chat catch_up connect sync"),
                      r"|(?:discuss|go\s+over|walk\s+(?:me|us)\s+through)\s+(?:this|it|that|things))",
                      r"(?:\s+(?:to|with)\s+(?:me|us|you))?(?:\s+(?:about|re|regarding)(?:\s+[\w'-]+){1,4}?)?",
                      r"(?:\s+(?:real\s+quick|quickly|briefly|properly))?\s+(?:",
                      _any("live by_phone on_the_phone over_the_phone via_phone by_video over_video on_video on_camera "
                           "face_to_face face-to-face in_real_time voice_to_voice"),
                      r"|(?:on|over|via)\s+", _any("zoom teams facetime skype google_meet meet a_call the_call a_video_call a_whatsapp_call"),
                      r")\b"), _not_reported, "call", 2),
    # "hit me up on WhatsApp", "move this to signal", "let me know by text", "reach me by phone"
    ("channel", _rx(r"\b", _any("reach contact message ping hit_me_up hit_us_up give_me_a_shout give_us_a_shout talk chat continue move switch take send add find "
                                "get_in_touch follow_up reply respond answer let_me_know let_us_know update keep_me_posted "
                                "keep_me_updated tell write"),
                    rf"\b(?:\s+[\w'-]+){{0,5}}?\s+(?:(?:on|via|over|through|by|to|in)\s+(?:a\s+|my\s+)?(?P<ch>{_TEXT_CHANNEL})",
                    r"|(?:on|via|over|by)\s+(?:my\s+|the\s+)?(?P<ch2>phone|cell|mobile|zoom|video|facetime)",
                    r"|to\s+(?:a\s+)?(?P<ch3>call|zoom|phone\s+call|video\s+call))\b",
                    r"(?!\s+", _any("reminder reminders campaign export group template field box number"), r"\b)"), _not_reported, None, 2),
    ("handle", _rx(r"\b(?:my\s+(?P<ch>whatsapp|signal|telegram|imessage)\s+(?:number|handle|is(?=\s*:?\s*[+\d@]))",
                   r"|(?:i|we)\s+(?:am|are)\s+(?:also\s+)?on\s+(?P<ch2>whatsapp|signal|telegram|imessage))\b"), _not_reported, "text", 2),
    # "I'd rather text", "I prefer calls", "easier to just call"
    ("preference", _rx(r"\b", _any("rather prefer prefers preferably easier quicker simpler faster"),
                       r"\s+(?:to\s+|if\s+(?:we|you|i)\s+|by\s+|via\s+|on\s+|a\s+|with\s+a\s+)?(?:just\s+)?(?P<v>",
                       _any("call calls calling phone phoning ring talk_live talk_on_the_phone hop_on_a_call jump_on_a_call zoom video "
                            "text texts texting sms whatsapp imessage signal telegram"),
                       r")\b(?!\s+(?:the|my|a|an|your|our|their|his|her|them|him|it)\b)"), _not_reported, None, 2),
]]

# "Quick zoom?", "Call?", "Phone call later today?", "WhatsApp?" as a whole clause
BARE_QUESTION = _rx(
    rf"(?:^|[.!?;,\n]\s*)(?:{_FILLER}\s+)*(?:(?:a|an|quick|short|brief|fast|little|small|\d+\s*-?\s*min(?:ute)?s?)\s+)*",
    rf"(?P<v>{_CALL_NOUN}|phone|teams|whatsapp|sms|imessage|signal|telegram|viber|wechat|messenger|hop\s+on|jump\s+on)(?:\s+(?:",
    _any("now today tonight tomorrow later soon sometime again instead maybe perhaps then first please real_quick"),
    r"|(?:this|next|in|at|or|after|before|around|by|on)\s+\w+|\d{1,2}(?::\d\d)?\s*(?:am|pm)?))*\s*\?",
)
# "what's your number?", "what number can I reach you at?", "a number I can text you on?"
NUMBER_ASK = _rx(
    r"\b(?:what\s+is|send\s+me|give\s+me|(?:can|could|may)\s+i\s+(?:get|have)|need|share|drop|do\s+not\s+have|is)\s+your\s+",
    r"(?:(?:cell|mobile|phone|direct|personal|work|office)\s+)*(?:number|phone|cell|mobile|digits|line)\b",
    r"|\bwhat\s+(?:number|phone)\b.{0,120}?\b(?:reach|get|call|text)\s+you\b|\b(?:best|good|which|what)\s+number\s+(?:to|for|where|i\s+can)\b",
    r"|\bnumber\s+(?:to|where\s+i\s+can|i\s+can|we\s+can)\s+(?:reach|contact|get)\s+you\b",
)
NUMBER_FOR = _rx(r"\bnumber\s+(?:to|where\s+i\s+can|i\s+can|we\s+can|for)\s+",
                  r"(?:(?P<call>call|ring|phone)|(?P<text>text|sms|whatsapp))(?:ing)?\s+(?:you\b)?")
PHONE_NUMBER = _rx(r"(?<![\w/])\+?\d[\d\s().-]{6,}\d(?![\w/])")
NUMBER_SHARED = _rx(
    r"\b(?:(?:here\s+(?:is|are)|this\s+is)\s+my\s+(?:[\w'-]+\s+)?(?:number|cell|mobile|phone|digits)",
    r"|my\s+(?:[\w'-]+\s+)?(?:number|cell|mobile|phone)\s+(?:is|:)|reach\s+me\s+(?:at|on))\b",
)
