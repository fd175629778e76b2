"""Broader English call and text rules: calls named by a noun, phone adverbials, messaging apps, offers and invitations."""
from __future__ import annotations

import re

from bot.intent_rules import (
    _BLOCKED,
    _THING_AFTER_CALL,
    _THIRD_PARTY,
    _client_offers,
    _either,
    _proposal,
    rule_of,
)
from bot.textclean import any_word as _any
from bot.textclean import rx as _rx

# These rules ask less of the words before a phrase than bot/intent_rules.py does: any clause that names a call or a
# text between the client and the owner counts, unless something before the phrase makes it negated, past, somebody
# else's, a status ("I'm on a call") or the losing side of a comparison ("rather write than talk on the phone").
_PAST = re.compile(r"\b(?:talked|spoke|spoken|called|phoned|rang|rung|chatted|discussed|met|got|went|missed|heard|ago)\b"
                   r"|\bsent\b(?!\s+you\b)")
_NOT_SUBJECT = r"(?!(?:best|easiest|quickest|simplest|fastest|only|other|next|one|way|thing)\b)"
_SOMEONE_ELSE = re.compile(
    rf"(?:^|\b(?:and|that|because|so|if|when)\s+)(?:the|my|our|his|her|their|a|an)\s+{_NOT_SUBJECT}[\w'-]+(?:\s+[\w'-]+)?\s+"
    r"(?:will|would|can|could|should|might|may|must|is|are|was|were|has|have|needs?|wants?|prefers?|keeps?|says?|to|going)\b"
    r"|\b(?:tell|ask|get|have|let|make\s+sure|remind|want|need)\s+(?!(?:me|us|you|to|it|a|an|some|time|in|on|back|going"
    r"|hold|through|together|started|ready|done)\b)[\w'-]+(?:\s+[\w'-]+){0,2}(?:\s+to)?\s*$"
)
# "give the caterer a call", "send the vendor a text": the call or text goes to somebody else
_GIVE_OTHER = re.compile(r"\b(?:give|send|drop|shoot|pop|bung|chuck|fire|flick)\s+(?!(?:me|us|you)\s*$)[\w'-]+(?:\s+[\w'-]+){0,2}\s*$")
# "Jack might call you": a name with a modal
_NAMED = re.compile(r"(?:^|\s)(?!(?:ok|okay|so|then|and|but|yes|yeah|sure|also|just|maybe|i|we|you|it|that|this|please|pls)\b)"
                    r"[a-z][\w'-]*\s+(?:will|would|might|may|can|could|should|is\s+going\s+to)\s*$")
# A third party right before the verb is its subject: "most of our customers text us", "the kids are calling me"
_SUBJECT_BEFORE = re.compile(rf"(?:^|\s)(?:the|our|his|her|their)\s+{_NOT_SUBJECT}[\w'-]+(?:\s+[\w'-]+){{0,2}}(?:\s+(?:are|is|keep|keeps))?\s*$")
STATUS = re.compile(
    r"\b(?:(?:i|we|you)\s+(?:am\s+|are\s+|will\s+be\s+|would\s+be\s+|have\s+been\s+)?(?:have|had|got|having|on|in|jumping\s+on"
    r"|hopping\s+on|stuck\s+on|take|taking|need\s+to\s+take|have\s+to\s+take|(?:am|are)\s+(?:just\s+)?(?:on|in))"
    r"|(?:am|are|is|be|been)\s+(?:still\s+|just\s+|already\s+)?(?:on|in)"
    r"|(?:go|going|head|heading|walk|walking|run|running|dash|dashing)\s+(?:in)?to|(?:jumped|jumping|got|getting|came|hopped|just)\s+off)\s*$"
    r"|^(?:still\s+|currently\s+)?(?:on|in)\s*$"
)
_BE_END = re.compile(r"\b(?:am|are|is|be|been|being)(?:\s+(?:still|just|already|currently|now))?\s*$")
# "see you on Zoom for our weekly catch-up", "I'll dial in to our weekly meeting": the standing meeting
STANDING_AFTER = re.compile(r"(?:\s+[\w'-]+){0,3}?\s+(?:for|at|in|to|into)\s+(?:our|the)\s+(?:[\w'-]+\s+){0,2}?(?:call|meeting"
                            r"|catch-?up|check-?in|session|sync|standup|stand-up)\b")
THANKED = re.compile(r"\b(?:thanks|thank\s+you|cheers)\s+(?:so\s+much\s+|a\s+lot\s+)?for\b")
_THAN_OR_CANCELLED = re.compile(r"\b(?:than|cancel|scratch|forget|ignore|withdraw|never\s+mind|unreachable|unavailable)\b|\b(?:great|lovely|nice|good|fun"
                                r"|pleasure|thanks\s+for|thank\s+you\s+for)\s+(?:to\s+)?(?:finally\s+)?(?:talking|speaking|chatting|speak|talk"
                                r"|chat|hear|meet|catching\s+up)\b")


def _free(prefix: str) -> bool:
    """Nothing before the phrase negates it, puts it in the past, gives it to somebody else or compares it away."""
    return not (_BLOCKED.search(prefix) or _THIRD_PARTY.search(prefix) or _SOMEONE_ELSE.search(prefix)
                or _PAST.search(prefix) or _THAN_OR_CANCELLED.search(prefix))


# "that discovery call you set up": after a determiner the word is a noun, not a verb
_NOUN_BEFORE = re.compile(r"\b(?:the|a|an|that|this|our|my|your|his|her|their)(?:\s+[\w'-]+)?\s*$")


def _free_subject(prefix: str) -> bool:
    """As `_free`, nobody else is the subject of the verb that follows, and it is a verb, not a noun."""
    return (_free(prefix) and not _SUBJECT_BEFORE.search(prefix) and not _NAMED.search(prefix)
            and not _NOUN_BEFORE.search(prefix))


_WITH_OTHER = re.compile(r"\b(?:with|to|between)\s+(?!(?:me|us|you|both|each)\b)(?:the|my|our|a|an|his|her|their|all|every)\s+[\w'-]+")


def _free_of_others(prefix: str) -> bool:
    """As `_free`, and no other person is talked to in the clause before the phrase ("follow up with the client by phone")."""
    return _free(prefix) and not _WITH_OTHER.search(prefix)


def _free_not_status(prefix: str) -> bool:
    """As `_free`, and the clause is not the writer's status ("I have a call at 2", "I'm on the phone")."""
    return _free_of_others(prefix) and not STATUS.search(prefix)


# An adverbial ("on Teams", "on the phone") needs a verb or a request before it: "call quality on Teams" is a report
_SOME_VERB = _rx(r"\b", _any("talk speak chat discuss explain go walk sync catch connect ask sort hash review show touch reach get do "
                             "take switch move continue hop jump meet holler pop come join hear have be can could "
                             "would will shall should let us how what prefer rather easier faster quicker better simpler best "
                             "minute minutes possible free available around time want like love need please kindly happy mind ok okay "
                             "grab book steal borrow set schedule arrange plan find quick cover clarify update updates check-ins sec "
                             "moment try chat catch-up go_through speaking talking"), r"\b")


def _adverbial(prefix: str) -> bool:
    return _free_not_status(prefix) and not _BE_END.search(prefix) and bool(_SOME_VERB.search(prefix))


_DETERMINED = re.compile(r"\b(?:the|a|an|my|our|your|his|her|their|office|this|that)\s*$")


def _verb_free(prefix: str) -> bool:
    """As `_free`, and the word that follows is a verb, not a noun ("forward the office phone to my mobile")."""
    return _free(prefix) and not _DETERMINED.search(prefix)


_WE = re.compile(r"\b(?:let\s+us|(?:can|could|shall|should|may)\s+(?:we|i)|if\s+we|we\s+(?:can|could|should|might|will)|how\s+about"
                 r"|why\s+not|can\s+you|could\s+you|mind\s+if\s+(?:we|i)|(?:would|is|will)\s+it\s+(?:be\s+)?(?:ok|okay|alright"
                 r"|possible|fine|easier|better)\s+(?:to|if\s+(?:we|i)))\b(?:\s+[\w'-]+){0,3}?\s*$")


def _we_propose(prefix: str) -> bool:
    return _free(prefix) and bool(_WE.search(prefix))


# Things one sends or shares; after a verb, anything else ("message the vendor") is a person other than the owner.
_CONTENT = ("details photos photo pics pictures pic address code codes files file link links figures documents document docs doc "
            "receipts receipt invoice invoices menu plan plans dates date info information update updates numbers list "
            "screenshots results quote contract form location times time password check-ins check-in conversation chat rest "
            "planning questions answer answers total tasks changes notes brief samples proofs number")
_OTHER_OBJECT = _rx(r"\b(?:the|a|an|our|his|her|their)\s+(?:[\w'-]+\s+)?(?!", _any(_CONTENT), r"\b)[\w'-]+\s*$")
_SAY = _rx(r"\b", _any("do communicate continue chat talk discuss share send reply respond answer keep update check_in check-ins "
                       "updates let_me_know let_us_know reach contact get_in_touch write message dm ping follow_up touch_base "
                       "coordinate go stay carry_on keep_going work drop put pop stick"), r"\b")


def _said_to_us(prefix: str) -> bool:
    """A way of talking ("continue this", "share the details") whose object, if any, is not another person."""
    return _free_of_others(prefix) and bool(_SAY.search(prefix)) and not _OTHER_OBJECT.search(prefix)


_OFFER_START = re.compile(r"^(?:(?:ok|okay|so|hey|hi|just|yes|yeah|right)\s+)*(?:(?:i|we)(?:\s+(?:have|am|are|will|just|also))*)?\s*$")


def _host_offers(prefix: str) -> bool:
    """The writer has opened a room and invites the owner in ("I just started a huddle", "starting a Zoom now")."""
    return bool(_OFFER_START.match(prefix))


_QUALIFIED = r"(?:phone|video|voice|zoom|teams|skype|facetime|conference|audio|telephone|google\s+meet)"
_SIZE = r"(?:(?:quick|quickie|short|brief|little|small|proper|real|live|daily|fast|first|\d+\s*-?\s*(?:min(?:ute)?s?|sec(?:ond)?s?))\s+)*"
_TEXT_APP = r"(?:whatsapp|signal|telegram|imessage|viber|wechat|messenger|instagram|insta|sms)"
_TEXTING = rf"(?:{_TEXT_APP}|text|texts|texting|txt)"
_VOICE_ROOM = (r"(?:voice(?:\s+(?:chat|channel|call))?|vc|discord(?:\s+voice)?|video(?:\s+(?:call|chat))?|call|huddle|zoom|teams"
               r"|google\s+meet|meet|facetime|skype|phone|line|horn)")
_SEND = re.compile(r"^(?:(?:please|pls|just|can\s+you|could\s+you|and)\s+)*(?:send|drop|shoot|pop|fire)\s*$")
_PERSON_OR_APP = re.compile(rf"\b(?:me|us|you|your)\b|{_TEXT_APP}|^(?:i|we)\s+(?:will|am|are|would|can|could|shall)\b")
_DEST = r"(?:cell|mobile|phone|line|landline|office\s+line|number|digits|whatsapp|signal|telegram)"
_ASK_NUMBER = re.compile(r"\b(?:what|which|send|share|give|drop|need|have|get|is\s+there|can\s+i|could\s+i|may\s+i|pass|find|post"
                         r"|leave|tell|know)\b")

TEXTING_VERB = re.compile(r"(?:message|ping|send|text|dm|write|msg|whatsapp|shoot|drop)\b")


def _number_asked(prefix: str) -> bool:
    return _free(prefix) and bool(_ASK_NUMBER.search(prefix))


CUE_RULES = [rule_of(*rule) for rule in [
    # "gonna call you in a bit", "will WhatsApp you", "ok calling u", "teams me", "Viber me": any unblocked verb-person phrase
    ("verb-person", _rx(r"\b(?P<v>whatsapp\s+call|video\s+call(?:ing)?|voice\s+call|", _any(
        "call calling ring ringing phone phoning buzz buzzing facetime facetiming skype skyping zoom teams video text texting sms "
        "whatsapp whatsapping imessage viber wechat"), r")(?:\s*(?:or|/|and|&)\s*(?P<v2>call|ring|phone|text|whatsapp|sms))?",
        r"\s+(?:me|us|you|your\s+(?:mobile|cell|phone|number|landline|office\s+line|direct\s+line))\b"), _free_subject, None, 2),
    # "would a call work?", "any chance of a 5-minute call", "I'd appreciate a call back", "a quick FaceTime so you can see"
    ("call-noun", _rx(rf"\b(?:a|an|one|another)\s+{_SIZE}(?:{_QUALIFIED}\s+(?:call|chat|conversation|appointment|session|catch[\s-]?up",
                      r"|meeting)|whatsapp\s+(?:video\s+)?call|screen[\s-]?share(?:\s+session)?|(?:call(?:\s+back)?|ring|buzz|tinkle|zoom",
                      rf"|facetime|skype|huddle|webex|google\s+meet){_THING_AFTER_CALL})(?![-\w])(?!\s+from\s+(?!me|us)\w)",
                      r"(?!\s+(?:webinar|account|subscription|room|background|recording|link\s+for\s+(?!me|us|you)",
                      r"|links?\s+(?:added|to\s+(?:the|all|every|each)|in\s+the|on\s+(?:the|all|every))))"),
     lambda p: _free_not_status(p) and not _GIVE_OTHER.search(p), "call", 2, True),
    # "pop me a text", "sending you a text", "I'll send a voice note on WhatsApp", "I'll shoot you a WhatsApp"
    ("text-noun", _rx(r"\b(?:a|an)\s+(?:quick\s+|short\s+|little\s+)?(?:text(?:\s+message)?|txt|sms|whatsapp|imessage|voice\s+(?:note|memo|message)",
                      r"|signal\s+message|telegram)\b(?!\s+(?:", _any("version file box field editor block document doc area input layer "
                                                                   "template blast campaign alert copy for group business account "
                                                                   "number link button widget export chat to_the to_our to_all to_send to_post chatbot bot"),
                      r")\b)(?!(?:\s+[\w'-]+){0,4}?\s+(?:on|by|via)\s+e-?mail)"), lambda p: _free(p) and not _GIVE_OTHER.search(p) and bool(_PERSON_OR_APP.search(p) or _SEND.match(p)),
     "text", 2),
    ("text-noun", _rx(r"\b(?:just\s+)?sent\s+you\s+(?:a\s+|an\s+)?(?:quick\s+)?(?:text|txt|sms|whatsapp|imessage|signal|telegram|voice\s+note)",
                      r"\b(?!\s+(?:[\w'-]+\s+){0,4}?(?:on|by|via)\s+e-?mail)"), lambda p: not _BLOCKED.search(p), "text", 2),
    ("text-noun", _rx(r"\bsend(?:ing)?\s+(?:you|me)\s+(?:some\s+)?voice\s+(?:notes|memos|messages)\b"), _free, "text", 2),
    # "this would take two minutes on the phone", "can we get on the horn", "let's touch base by phone", "talk it through live"
    ("on-the-phone", _rx(r"\b(?:on|over|through)\s+the\s+(?:phone|telephone|horn|line)\b(?!\s*(?:number|bill|system|line|screen|case",
                         r"|charger|book|list|with\s+(?!me|us|you)))"), _adverbial, "call", 2, True),
    ("by-phone", _rx(r"\b(?:by|via)\s+(?:the\s+)?(?:phone|telephone)\b(?!\s*(?:number|bill|system|line))|\bover\s+the\s+phone\b"),
     _free_of_others, "call", 2, True),
    ("on-a-call", _rx(r"(?<![-\w])(?:on|over|via|in)\s+(?:a\s+)?(?:(?:quick|short|video|voice|phone|zoom|teams|whatsapp)\s+)?",
                      r"(?:call|zoom|teams|google\s+meet|facetime|skype|video(?:\s+chat)?|voice(?:\s+chat|\s+channel)?|vc|webex",
                      r"|discord\s+voice)\b(?!\s+(?:channel|chat\s+(?:history|export)|recording|account|app|link))(?![-\w])"),
     _adverbial, "call", 2, True),
    ("live", _rx(r"\b", _any("talk speak chat discuss explain go_over go_through sync catch_up connect ask sort hash review show"),
                 r"\b(?:\s+[\w'-]+){0,5}?\s+", _any("live out_loud verbally in_real_time face_to_face face-to-face voice_to_voice"), r"\b"),
     _free, "call", 2),
    # "hop in vc?", "jump on voice", "pop on a call with me", "stop by on Google Meet", "would it be crazy to just get on a call"
    ("hop-on", _rx(r"\b(?:hop|jump|get|pop|come|(?:stop|drop|swing|pop|come)\s+by)\s+(?:on(?:to)?|in(?:to)?)\s+(?:a\s+|the\s+)?(?:quick\s+|short\s+)?",
                   rf"{_VOICE_ROOM}\b(?![-\w])"), _free_not_status, "call", 2, True),
    ("join-room", _rx(r"\b(?:join|hop\s+in(?:to)?|jump\s+in(?:to)?|come\s+(?:in|into|to)|pop\s+in(?:to)?)\s+(?:the\s+|my\s+|our\s+)?",
                      r"(?:voice\s+channel|vc|huddle|voice\s+chat|bridge|dial[\s-]?in)\b"), _free, "call", 2),
    ("room-opened", _rx(r"\b(?:started|opened|starting|opening|set\s+up|created|launched|spun\s+up)\s+(?:a\s+|the\s+|my\s+|our\s+)?",
                        rf"(?:quick\s+)?(?:huddle|zoom|call{_THING_AFTER_CALL}|google\s+meet|video\s+call|voice\s+channel|bridge\s+line",
                        r"|teams\s+call|conference\s+line)\b(?!\s+(?:webinar|account|subscription|with\s+(?!me|us|you)))"),
     _host_offers, "call", 2, True),
    ("invite", _rx(r"\b(?:sent|send|sending|booked|book|added|put|dropped|shared)\s+(?:you\s+|me\s+)?(?:a\s+|an\s+)?(?:calendar\s+)?",
                   r"(?:call|zoom|teams|google\s+meet|meet|facetime|skype|webex|whereby|video\s+call|phone\s+call|huddle)\s+(?:invite|invitation|link)\b"),
     _free, "call", 2),
    ("dial-in", _rx(r"\bdial[\s-]?in(?:to)?\b(?!\s+(?:the|on|number|details|for|link|info)\b)"), _either, "call", 2),
    ("dial-in", _rx(r"\b(?:my|our)\s+(?:personal\s+|private\s+)?(?:dial[\s-]?in|bridge(?:\s+line)?)\b"), _free, "call", 2),
    ("voice-chat", _rx(r"\b(?:voice|video)[\s-]?(?:chat|call)(?:ing)?\b"), lambda p: _proposal(p) or _either(p), "call", 2, True),
    ("call-back", _rx(r"\breturn\s+(?:my|the)\s+call\b|\btry\s+(?:me|us)\s+(?:again|later|back|on|at|tomorrow|tonight|in)\b",
                      r"|\brevert\s+(?:back\s+)?(?:on|by|over|via)\s+(?:a\s+)?(?:call|phone)\b"), _free, "call", 2),
    ("call-the-office", _rx(r"\b(?:call|ring|phone)\s+(?:the|your)\s+office\b"), lambda p: "if" not in p.split() and _client_offers(p),
     "call", 2),
    # "give me a hoy on the phone", "chuck me a call", "bung me a text"
    ("slang", _rx(r"\b(?:give|drop|shoot|pop|bung|chuck|fire|flick|send|hit)\s+(?:me|us|you|(?:my|our)\s+office)\s+(?:a\s+|an\s+)?(?:quick\s+|short\s+)?",
                  r"(?P<v>call|ring|buzz|bell|tinkle|text|txt|sms|whatsapp)\b"), _free, None, 2),
    ("slang", _rx(r"\b(?:give|drop|shoot|send|hit|holler\s+at)\s+(?:me|us)\s+(?:(?:a|an)\s+)?(?:hoy|holler|shout|line|dm|note)?",
                  r"(?:\s+[\w'-]+){0,2}?\s+(?:on|over|via)\s+(?:the\s+|my\s+)?(?P<ch>phone|cell|mobile|", _TEXT_APP, r")\b"),
     _free, None, 2),
    ("slang", _rx(r"\b(?:send|drop|shoot|fire|ping)\s+(?:me|us)\s+(?:a\s+|an\s+)?(?:quick\s+|short\s+)?message",
                  r"(?:\s+[\w'-]+){0,2}?\s+(?:on|to|via)\s+(?:the\s+|my\s+)?(?:phone|cell|mobile)\b"), _free, "text", 2),
    # "can you join our standup call?", "could you come on our Monday team call?"
    ("our-call", _rx(r"\b(?:join|come\s+(?:on|to|into)|dial\s+into|be\s+on|hop\s+on|jump\s+on)\s+(?:our|my)\s+(?:[\w'-]+\s+){0,2}?",
                     r"(?:call|zoom|huddle|standup|stand-up)\b"), lambda p: _free(p) and bool(re.search(r"\b(?:can|could|would|will)\s+you", p)),
     "call", 2),
    # "try my mobile first", "hit my line", "send the pics to your phone", "ping me on my cell" (a text: the verb says so)
    ("phone-destination", _rx(r"\b(?P<verb>try|hit|ring|call|reach|phone|message|ping|send|text|dm|write|msg|whatsapp)\b", _THING_AFTER_CALL,
                              r"(?:\s+[\w'-]+){0,5}?\s+(?:on|at|to|through)\s+(?:my|your)\s+(?:(?:own|personal|private|work|usual)\s+)?",
                              rf"(?P<ch2>{_DEST})\b"), _verb_free, None, 2),
    ("phone-destination", _rx(rf"\b(?:try|hit)\s+(?:me\s+(?:on|at)\s+)?my\s+(?P<ch2>{_DEST})\b"), _free, None, 2),
    # "are you on WhatsApp?", "do you have Signal or WhatsApp?", "do you do calls?", "do you text?", "what's your WhatsApp?"
    ("app-asked", _rx(rf"\b(?:are|r)\s+you\s+(?:also\s+)?on\s+(?P<ch>{_TEXT_APP}|skype|facetime)\b"), _free, None, 2),
    ("app-asked", _rx(r"\b(?:do\s+you\s+(?:ever\s+)?(?:have|use|do|take|accept)|have\s+you\s+got|you\s+got|are\s+you\s+using)\s+(?:(?:phone|video)\s+)?",
                      rf"(?P<ch>{_TEXT_APP}|skype|facetime|calls|texts)\b"), _free, None, 2),
    ("app-asked", _rx(r"\bdo\s+you\s+(?:ever\s+)?(?P<ch>text|whatsapp)\b(?!\s+(?:the|my|a|an|your|people|clients)\b)"), _free, None, 2),
    ("app-asked", _rx(rf"\byour\s+(?:(?:personal|direct|private|work|own)\s+)?(?P<ch>{_TEXT_APP})\b"), _number_asked, None, 2),
    ("app-asked", _rx(rf"\b(?P<ch>{_TEXT_APP})\s+(?:number|handle)\s+(?:for|of)\s+you\b"), _free, None, 2),
    # "WhatsApp is the best way to reach me", "texting is easier for me", "phone's easier", "my cell is best"
    ("works-best", _rx(rf"(?<!the\s)(?<!this\s)(?<!that\s)(?<!new\s)\b(?P<ch>{_TEXTING}|calls|calling|phone|a\s+call|video|zoom|facetime",
                       r"|my\s+(?:cell|mobile|phone|number))(?:\s+(?:is|are|works?|would\s+be|seems?)|'s)\s+(?:(?:much|way|really|just|probably|also",
                       r"|so|definitely|honestly|always|a\s+lot)\s+){0,2}(?:best|easier|easiest|better|quicker|faster|simpler|handier|preferable",
                       r"|ideal|more\s+convenient|the\s+(?:best|easiest|quickest)(?:\s+way)?)\b"), _free, None, 2),
    ("works-best", _rx(r"\b(?:best|easiest|quickest|fastest)\s+(?:way\s+)?to\s+(?:reach|contact|get\s+hold\s+of|get)\s+me\b",
                       rf"(?:\s+[\w'-]+){{0,3}}?\s+is\s+(?:by\s+|via\s+|on\s+|over\s+)?(?:my\s+)?(?P<ch>{_TEXTING}|phone|cell|mobile|calling|a\s+call)\b"),
     _free, None, 2),
    ("works-best", _rx(r"\b(?:open|ok|okay|fine|happy|used)\s+(?:to|with)\s+(?P<ch>texting|calling|phoning|whatsapping|calls|texts|phone\s+calls|video\s+calls)\b"),
     _free, None, 2),
    # "let's keep it to WhatsApp", "if we do WhatsApp for this project", "can we do this over text?", "share the details on WhatsApp"
    ("move-to-app", _rx(r"\b(?:do|use|try|keep\s+(?:it|this|things)\s+(?:to|on)|stick\s+(?:to|with)|switch\s+to|move\s+to|go\s+with)\s+",
                        rf"(?P<ch>{_TEXT_APP}|texts|texting)\b(?!\s+(?:business|account|template|api|integration))"), _we_propose, None, 2),
    ("over-app", _rx(rf"\b(?:over|by|via|through|on|in)\s+(?:(?:a|my|your)\s+)?(?P<ch>text|texts|{_TEXT_APP})\b(?!\s+(?:",
                     _any("business group template account integration api campaign marketing blast widget button link export chat_widget "
                          "reminder reminders notification notifications confirmation confirmations"), r")\b)"), _said_to_us, None, 2),
    ("app-group", _rx(r"\b(?:make|create|set\s+up|setup|start|open)\s+(?:a\s+|an\s+)?(?:(?:new|quick|private|small)\s+)?",
                      rf"(?P<ch>{_TEXT_APP})(?:\s+(?:group|chat|thread|convo|conversation))?\b(?!\s+(?:business|account|template|api))"),
     _we_propose, None, 2),
    ("app-group", _rx(r"\b(?:make|create|set\s+up|setup|start|open)\s+(?:a\s+|an\s+)?(?:(?:new|quick|private|small)\s+)?",
                      rf"(?P<ch>{_TEXT_APP})(?:\s+(?:group|chat|thread|convo|conversation))?(?:\s+[\w'-]+){{0,3}}?\s+(?:for|with)\s+",
                      r"(?:me|us|you|the\s+(?:two|three)\s+of\s+us)\b"), _free, None, 2),
    ("app-group", _rx(rf"\badd\s+me\s+to\s+(?:a|the|your)\s+(?P<ch>{_TEXT_APP})\s+(?:group|chat)\b"), _free, None, 2),
    ("reply-there", _rx(rf"\b(?:reply|respond|answer)\s+(?:to\s+)?my\s+(?P<ch>text|texts|{_TEXT_APP})\b"), _free, None, 2),
    ("reply-there", _rx(r"\b(?:just|have|i)\s+(?:just\s+)?(?P<v>texted|whatsapped|smsed)\s+you\b"), _free, "text", 2),
    ("reply-there", _rx(rf"\bcheck\s+your\s+(?P<ch>phone|{_TEXT_APP}|texts|messages)\b"), _free, "text", 1),
    # "is texting ok?", "are you taking calls today?", "mind if I phoned you", "call incoming", "could we just pick up the phone?"
    ("works-best", _rx(r"\b(?:is|are)\s+(?P<ch>texting|text|texts|whatsapp|calling|calls|phone\s+calls|a\s+call|a\s+phone\s+call",
                       r"|a\s+video\s+call)\s+(?:ok|okay|alright|fine|possible|an\s+option|ever\s+an\s+option)\b"), _free, None, 2),
    ("expect-call", _rx(r"\b(?:expect|await)\s+(?:a|my|our)\s+(?:quick\s+)?(?P<v>call|ring|text|whatsapp)\b(?!\s+from\s+(?!me|us)\w)"),
     _free, None, 2),
    ("app-asked", _rx(r"\b(?:are\s+you|you)\s+(?:still\s+)?(?:taking|accepting|doing)\s+(?:(?:any|phone|video)\s+)?(?P<ch>calls|texts)\b"),
     _free, None, 2),
    ("verb-person", _rx(r"\bif\s+(?:i|we)\s+(?:just\s+)?(?P<v>phoned|called|rang|texted|whatsapped|facetimed|video\s+called)\s+you\b"),
     lambda p: not _BLOCKED.search(p), None, 2),
    ("call-noun", _rx(r"\b(?:call|ring)\s+incoming\b|\bpick\s+up\s+the\s+phone\b|^pick\s+up(?=\s*(?:please|pls|now|asap)?\s*[!.]*\s*$)"),
     _free, "call", 2),
    ("works-best", _rx(r"\b(?:would|will|is|could)\s+(?P<ch>texting|calling|a\s+call|a\s+phone\s+call|whatsapp|text|phone)\s+(?:be\s+)?",
                       r"(?:easier|better|quicker|faster|simpler|ok|okay|possible|best)\b"), _free, None, 2),
    ("room-opened", _rx(r"\b(?:i\s+am|we\s+are)\s+(?:in|on)\s+(?:the|a|my|our)\s+(?:huddle|zoom|call|google\s+meet|teams\s+call|voice\s+channel)",
                        r"\b(?:\s+[\w'-]+){0,6}?\s+(?:pop|jump|hop|come)\s+in\b"), lambda p: not _BLOCKED.search(p), "call", 2),
    # "can we talk?", "mind if we just speak?", "we need to talk", "got time to talk tonight?": talking, with nothing to say where
    ("talk-question", _rx(r"\b(?:(?:can|could|shall|may|should)\s+(?:we|i)|mind\s+if\s+(?:we|i)|(?:we|i)\s+need\s+to|time\s+to",
                          r"|(?:free|available|around|able)\s+to",
                          r"|(?:a\s+)?(?:minute|sec|second|moment|chance)\s+to)\s+(?:just\s+|quickly\s+|briefly\s+)?(?:talk|speak)",
                          r"(?:\s+(?:to|with)\s+you)?(?:\s+(?:briefly|quickly|today|now|later|tomorrow|tonight|sometime|soon|instead",
                          r"|directly|properly|this\s+\w+",
                          r"|at\s+\d\w*|for\s+a\s+(?:bit|minute|sec|moment)))*\s*$"), _free, "call", 2),
    ("rather-talk", _rx(r"\b(?:rather|prefer\s+to|prefer)\s+(?:just\s+)?(?:talk|speak)(?:\s+(?:it|this|things))?\s+(?:over|through|than)\b"),
     _free, "call", 2),
]]

# "give me a shout on Signal, I'll pick up": whatever medium was named, the writer expects a call
WILL_PICK_UP = _rx(r"\b(?:i|we)\s+will\s+(?:always\s+|definitely\s+)?pick\s+up\s*(?:[.!,;]|$)")
_MEDIA = r"(?:text|texts|whatsapp|sms|signal|telegram|call|phone|zoom|teams|facetime)"
# "Text or WhatsApp, whatever's easier", "Zoom or phone, whichever suits", "📞 thanks!"
EITHER_MEDIUM = _rx(rf"(?:^|[.!?\n]\s*)(?:(?:just|either)\s+)?(?P<v>{_MEDIA})\s+or\s+{_MEDIA}\s*,?\s+(?:whatever|whichever|either)\b")
BARE_COURTESY = _rx(r"(?:^\s*|[.!?\n]\s*)(?P<v>call|phone)\s+(?:(?:", _any("gracias thanks thank_you thx ty merci danke obrigado obrigada "
                                                                        "please pls por_favor bitte svp stp asap"),
                    r")\s*[!.]*\s*)+$")
