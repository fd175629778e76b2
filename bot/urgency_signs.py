"""Urgency without an urgent word: outages, money at risk, deadlines within hours, break-ins, and 'this can't wait'."""

from __future__ import annotations

import re

from bot.textclean import any_word as _any
from bot.textclean import rx as _rx

# The things whose failure stops a business now; a personal device ("crashing on my laptop") is not one of them.
_SYSTEM = _any(
    "site website web_site shop store checkout server servers email emails inbox system database portal payments "
    "payment payment_page booking_system booking_form booking_page login card_reader till pos livestream stream "
    "donate_button landing_page stripe_account paypal_account domain ssl_certificate certificate backup backups "
    "wifi internet network app phones phone_lines phone_system"
)
_FAILED = _any(
    "down offline broken crashed crashing not_working failing erroring dead gone blank frozen hacked suspended locked "
    "not_loading wiped deleted corrupted expired bouncing throwing_errors"
)
_BE = r"(?:is|are|'s|has\s+been|have\s+been|keeps?|went|just\s+went|has\s+gone|got|is\s+still|are\s+still|seems?\s+to\s+be)"
_MONEY = r"(?:\$|£|€|\d)"

SIGNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "outage",
        _rx(
            rf"\b{_SYSTEM}\b(?:\s+[\w'-]+){{0,3}}?(?:'s|\s+{_BE})\s+(?:(?:completely|totally|still|now|all|fully|both)\s+)*{_FAILED}\b",
            r"(?!\s+on\s+(?:me\b|my\s+(?:laptop|phone|computer|ipad|mac|pc|tablet)))",
            rf"|\b{_SYSTEM}\b(?:\s+[\w'-]+){{0,2}}?\s+(?:crashed|went\s+down|stopped\s+working|is\s+returning|has\s+been\s+returning",
            r"|keeps?\s+returning|is\s+sending\s+(?:people|customers)\s+to\s+a\s+404|is\s+showing\s+an?\s+error)\b",
            r"|\b(?:nobody|no\s+one|customers|people|clients|users|patients|guests|staff|we)\s+(?:on\s+the\s+team\s+|here\s+)?(?:can\s+not|cannot",
            r"|are\s+unable\s+to|is\s+able\s+to|are\s+not\s+able\s+to)\s+(?:log\s*in|login|pay|check\s*out|access|get\s+in|get\s+through",
            r"|order|book|connect|buy|sign\s+up)\b",
            r"|\b(?:nobody|no\s+one|no\s+(?:customers?|clients?|users?|patients?|guests?))\s+(?:on\s+the\s+team\s+|here\s+)?can\s+",
            r"(?:log\s*in|login|pay|check\s*out|access|get\s+in|get\s+through|buy|order|book)\b",
            r"|\bnothing\s+(?:loads|is\s+loading|will\s+load|opens|works|is\s+working)\b(?=\s*(?:[.!,;]|$|\s+(?:any\s*more|at\s+all|since)\b))",
            rf"|\b{_FAILED}\s+for\s+(?:every|all|each)\s+(?:one|body|users?|customers?|clients?|visitors?)\b",
            r"|\b\d{3}\s+errors\b|\bthrowing\s+(?:\d{3}s|errors)\b|\beverything(?:'s|\s+is)\s+(?:broken|down)\b",
            r"|\b(?:will\s+not|does\s+not|can\s+not)\s+(?:load|open|work)\s+for\s+(?:any|all|our)\s+(?:customers?|users?|clients?)\b",
            r"|\blocked\s+(?:myself\s+|ourselves\s+|us\s+)?out\b",
            r"|\b(?:stuck|stranded)\s+(?:at|in)\s+(?:the\s+)?(?:airport|station|border|customs|hotel)\b",
        ),
    ),
    (
        "money",
        _rx(
            rf"\blosing\s+(?:(?:about|over|around)\s+)?(?:orders|sales|money|customers|bookings|signups|{_MONEY})",
            r"|\b(?:charged|billed|debited)\s+(?:us\s+|me\s+|them\s+)?(?:twice|two\s+times|three\s+times|double)\b|\bdouble[\s-]?charg",
            r"|\bcharging\s+(?:every\s+customer|people|customers)\s+(?:twice|double)|\bpayroll\s+(?:did\s+not|failed|bounced|got\s+rejected",
            r"|was\s+rejected|is\s+not\s+going|has\s+not\s+gone)|\bwages\b|\b(?:card|payment|transfer|deposit)\s+(?:got\s+|was\s+|has\s+been\s+)?",
            r"(?:declined|bounced|rejected)\b|\b(?:account|card)\s+(?:got\s+|has\s+been\s+|was\s+|is\s+)?(?:frozen|suspended|blocked)\b",
            r"|\b(?:froze|frozen|freezing|withheld|withholding)\s+(?:our|my|the|all)\s+(?:account|payouts?|funds|payments|money)\b|\b(?:spending|burning)\s+(?:about\s+)?[$£€]",
            r"|\bno\s+payments\s+(?:are\s+)?coming\s+in\b|\bcan\s+not\s+(?:take|accept)\s+payments\b",
        ),
    ),
    (
        "legal",
        _rx(
            r"\bthreaten\w*\s+(?:to|legal|us|with)\b|\bfinal\s+notice\b|\bpenalty\s+kicks\s+in\b|\bbailiffs?\b",
            r"|\bdebt\s+collectors?\b|\blegal\s+action\b|\bcease\s+and\s+desist\b|\blawsuit\b|\b(?:sue|suing)\s+(?:us|me)\b",
            r"|\b(?:letter|notice)\s+from\s+(?:a|an|their|the|his|her)\s+(?:lawyers?|solicitors?|attorneys?)\b",
        ),
    ),
    (
        "security",
        _rx(
            r"\b(?:been|got|was|were|is|are)\s+hacked\b|\bhackers?\b|\bhacked\s+(?:our|my|the)\b|\bcompromised\b|\bransomware\b",
            r"|\bsomeone\s+(?:got|is|has\s+got|has\s+been)\s+into\b|\blogins?\s+from\b|\b(?:suspicious|unauthori[sz]ed|fraudulent)",
            r"\s+(?:transfer|payment|login|activity|charges?|transaction)|\bfraudulently\b|\bdid\s+not\s+authori[sz]e\b",
            r"|\baccount\s+i\s+(?:do\s+not|don't)\s+recogni[sz]e\b|\bphishing\s+to\b|\bfraud\s+(?:alert|warning|on\s+(?:the|our|my))\b",
            r"|\b(?:charges?|payments?|transactions?|transfers?|logins?)\s+(?:i|we)\s+(?:do\s+not|don't|can\s+not)\s+recogni[sz]e\b",
            r"|\bclicked\s+(?:on\s+)?(?:a|an|the)\s+(?:phishing|dodgy|suspicious|scam|fake)\b|\bimpersonat(?:ing|es)\s+(?:me|us)\b",
            r"|\b(?:been|got|was|were)\s+scammed\b",
            r"|\b(?:payment|transfer|charge|transaction|purchase)s?\b(?:\s+\S+){0,4}?\s+(?:i|we)\s+did\s+not\s+(?:make|authori[sz]e|recogni[sz]e)\b",
            r"|\bdata\s+breach|\b(?:data|details|ssns?|passwords?|records|card\s+numbers)\s+(?:may\s+(?:have\s+been|be)\s+|were\s+|was\s+",
            r"|have\s+been\s+|has\s+been\s+)(?:exposed|leaked|stolen)\b|\bphishing\s+(?:emails?\s+)?(?:from|sent\s+from)\s+(?:our|my)\b",
        ),
    ),
    (
        "deadline",
        _rx(
            r"\b(?:starts?|starting|closes?|closing|leaves?|leaving|arrive|arrives?|arriving|due|goes\s+out|go\s+out|sends?",
            r"|expires?|kicks\s+in|begins?|live|launch(?:es)?|deadline|needs?|needed|signed|filed|submitted|boards?|lands?)\b",
            r"(?:\s+[\w'-]+){0,4}?\s+(?:in|within)\s+(?:the\s+next\s+)?(?:\d+|an|one|two|three|a\s+few|few|half\s+an)\s+",
            r"(?:hours?|hrs?|minutes?|mins?)\b|\bwithin\s+the\s+hour\b|\b(?:in|within)\s+the\s+next\s+(?:hour|half\s+hour)\b",
            r"|\b(?:or|otherwise|else)\s+(?:we|i|they)\s+(?:lose|miss|will\s+lose|will\s+miss)\b|\bfalls?\s+through\b",
            r"|\babout\s+to\s+(?:miss|lose|bounce)\b|\b(?:release|give)\s+(?:the|our)\s+date\b|\bgive\s+our\s+date\s+away\b",
            r"|\bmiss\s+the\s+(?:print\s+run|deadline|filing|flight|slot)\b|\bwe\s+lose\s+the\b",
        ),
    ),
    # these start with a word, not \b, so the regex engine scans for them quickly
    (
        "deadline",
        _rx(
            r"(?:deadline|cut-?off)(?:\s+is|'s)\s+(?:tonight|today|this\s+(?:morning|afternoon|evening)|(?:at\s+)?(?:midnight|noon))\b",
            r"|due\s+(?:(?:at|by)\s+\d{1,2}(?::\d\d)?\s*(?:am|pm)?\s+)?(?:tonight|today|this\s+(?:morning|afternoon|evening)",
            r"|by\s+(?:tonight|midnight|noon))\b",
        ),
    ),
    # "the client will cancel the contract unless we deliver by tomorrow"
    (
        "ultimatum",
        _rx(
            r"(?:will|going\s+to|threaten\w*\s+to|about\s+to)\s+(?:cancel|terminate|pull|walk\s+away|drop\s+us|withdraw|sue)\b",
            r"(?:\s+[\w$£€'-]+){0,6}?\s+unless\b",
            r"|if\s+(?:[\w'-]+\s+){0,6}?(?:is|are|was|has\s+been|have\s+been)\s+not\s+(?:paid|done|signed|sent|fixed|submitted|filed|received",
            r"|delivered|back|in|there|live|ready|sorted)\b(?:\s+[\w'-]+){0,5}?\s+(?:today|tonight",
            r"|by\s+(?:tonight|midnight|noon|\d{1,2}(?::\d\d)?\s*(?:am|pm))|in\s+the\s+next\s+(?:hour|\d+)|within\s+the\s+hour)\b",
            r"|(?:or|otherwise)\s+(?:it|the\s+[\w'-]+)\s+(?:will\s+)?(?:doubles?|triples?|goes\s+up|go\s+up|expires?|lapses?)\b",
        ),
    ),
    (
        "cannot-wait",
        _rx(
            r"\bcan\s*not\s+wait\b(?!\s+to\b)|\bcan't\s+wait\b(?!\s+to\b)|\b(?:needs?|need)\s+(?:sorting|fixing|doing|an\s+answer",
            r"|this|it|the\s+[\w'-]+)\s+(?:today|now|tonight|fast|quickly)\b|\b(?:need\s+(?:an\s+)?answer|answer\s+needed)\s+",
            r"(?:fast|quickly|now)\b|(?:^|[.!?]\s*)(?:quick|hurry)\s*!|\b(?:client|clients|customer|customers|guests|everyone",
            r"|the\s+courier|the\s+driver|the\s+supplier|\d+\s+people)\s+(?:is\s+|are\s+)?(?:still\s+)?waiting\b",
            r"|\bwaiting\s+(?:outside|at\s+the\s+door)\b|\bother\s+line\s+waiting\b",
            r"|\bneeds?\s+(?:this|it|that|the\s+[\w'-]+)\s+(?:sorted|fixed|done|finished|signed|sent|back)\s+(?:today|now|tonight",
            r"|asap|within\s+the\s+hour|in\s+the\s+next\s+(?:hour|\d+\s+\w+)|in\s+(?:an|\d+)\s+(?:hours?|minutes?|mins?))\b",
            r"|(?:^|[.!?,]\s*)(?:please\s+)?help\s*!|\bplease\s+help\s*(?:[,.!]|$)|\b(?:stop|pause|cancel|pull|halt)\s+(?:it|this|that",
            r"|the\s+[\w'-]+(?:\s+[\w'-]+)?)\s*(?:now\b|immediately\b|asap\b|!|before\s+it\b)",
            r"|(?:^|[.!?]\s*)(?:very\s+|really\s+|super\s+)?important\s*[.!]|\bit\s+is\s+(?:very\s+|really\s+)?important\s*!",
            r"|(?:^|[.!?]\s*)now\s*[.!]|\bdrop\s+everything\b|\b(?:call|phone|ring|text|answer|reply|respond|get\s+back\s+to)\s+(?:me|us)\s+now\b",
            r"|\b(?:went\s+out|went|sent|emailed|posted|published|shipped|delivered)\b(?:\s+[\w'-]+){0,3}?\s+(?:to|with)\s+the\s+wrong\s+",
            r"(?:list|client|clients|people|customers|prices?|recipients?|bank\s+details|discount|codes?|coupon|amounts?|address",
            r"|addresses)\b",
        ),
    ),
    # somebody else inside an account, moving its money, or posing as the business; things stolen
    (
        "intrusion",
        _rx(
            r"(?:someone|somebody|a\s+stranger|hackers?)\s+(?:has\s+|have\s+)?(?:just\s+)?(?:logged|logging|signed|broke",
            r"|broken|got|gotten|getting)\s+(?:in|into)\b|(?:someone|somebody)\s+(?:has\s+)?(?:just\s+)?(?:changed?|reset)\s+",
            r"(?:the|my|our)\s+(?:[\w'-]+\s+)?password|password\s+(?:was|got|has\s+been|had\s+been)\s+(?:changed|reset)\b",
            r"(?!\s+by\s+(?:me|us)\b)|(?:pretending|posing|claiming)\s+(?:to\s+be|as)\s+(?:us|me|our|my)\b",
            r"|(?:fake|cloned|copycat)\s+(?:version\s+of\s+(?:our|my)\s+)?(?:store|shop|site|website|account|page|profile|invoices?)",
            r"\b(?:\s+[\w'-]+){0,4}?\s+(?:with|using|copying|under)\s+(?:our|my)\b",
            r"|stolen\s+(?:credit\s+)?(?:cards?|card\s+details|identity|credentials|passwords?)\b",
            r"|(?:laptop|phone|computer|card|cards|wallet|identity|credentials|passwords?|data)\s+(?:got|was|were|has\s+been",
            r"|have\s+been)\s+stolen\b|(?:someone|somebody)\s+(?:has\s+)?(?:just\s+)?(?:wired|transferred|withdrew|drained)\b",
        ),
    ),
    (
        "lawyers",
        _rx(
            r"(?:being|been|get|getting|got)\s+sued\b|sued\s+(?:us|me)\b|court\s+(?:papers|summons|order|claim)s?\b",
            r"|summons\b|(?:lawyer|solicitor|attorney)s?\b(?:\s+[\w'-]+){0,3}?\s+(?:sent|sends|is\s+sending|has\s+sent|wrote)\s+",
            r"(?:us\s+|me\s+)?(?:a|an)\s+(?:[\w'-]+\s+)?(?:letter|notice|demand|warning|claim)\b",
            r"|(?:trademark|copyright)\s+(?:infringement|claim|strike|complaint|opposition|dispute)\b",
            r"|trademark\s+(?:[\w'-]+\s+){0,3}?(?:opposed|challenged)\b|dmca\b|takedown\s+notice\b",
        ),
    ),
    # "we have until 5pm to respond"
    (
        "until",
        _rx(
            r"(?:have|has|got|gives?\s+(?:us|me))\s+(?:only\s+|just\s+)?until\s+(?:\d{1,2}(?::\d\d)?\s*(?:am|pm)?|noon|midnight",
            r"|tonight|end\s+of\s+(?:today|the\s+day))\b",
        ),
    ),
    (
        "code-abuse",
        _rx(
            r"(?:code|coupon|voucher|discount)s?\b(?:\s+[\w%'-]+){0,5}?\s+(?:got\s+|was\s+|has\s+been\s+|is\s+being\s+)?",
            r"(?:leaked|abused|exploited)\b|(?:someone|somebody|people|they|customers|users)(?:'s|\s+is|\s+are)?\s+exploiting\b|(?:cleaning|wiping)\s+us\s+out\b",
        ),
    ),
    (
        "data-gone",
        _rx(
            r"(?:lost|deleted|wiped|erased)\s+(?:all|every|the\s+(?:whole|entire))\b(?:\s+[\w'-]+){0,3}?\s+(?:files|data|emails",
            r"|orders|records|bookings|contacts|customers?|clients?|list|database|backups?|photos|images|products|listings|posts",
            r"|content|invoices)\b|(?:files|data|emails|orders|records|bookings|contacts|photos|images|products|listings|posts",
            r"|content|everything)\s+(?:have\s+|has\s+|all\s+|just\s+)*(?:disappeared|vanished|gone\s+missing)\b",
        ),
    ),
    # danger at the premises: gas, smoke, burst pipes, water where it should not be, the police or an alarm going off
    ("hazard", _rx(r"(?:gas|burning|smoke|electrical)\s+smell|smell(?:s|ing)?\s+(?:of\s+|like\s+)?(?:gas|burning)|smell\s+of\s+smoke",
                   r"|smoke\s+(?:is\s+)?(?:coming|pouring|rising)|sparks?\s+(?:are\s+)?(?:coming|flying)|caught\s+fire\b",
                   r"|(?:pipe|pipes|main|tank|hose|radiator)\s+(?:has\s+|have\s+|just\s+)?burst\b|burst\s+(?:pipe|main|water)",
                   r"|water\s+(?:is\s+)?(?:everywhere|pouring|gushing|coming\s+(?:in|through|down)|got\s+into|getting\s+into",
                   r"|leaking\s+into|in\s+the\s+(?:electrical|fuse|breaker))|(?:backing|backed)\s+up\s+into",
                   r"|(?:ceiling|roof|floor|wall)\s+(?:is\s+)?(?:sagging|caving|collapsing|giving\s+way)|(?:do\s+not|don't)\s+feel\s+safe",
                   r"|(?:floor|carpet|ceiling|basement|room|kitchen)\b(?:\s+[\w'-]+){0,4}?\s+(?:is\s+|are\s+)?(?:soaked|flooded|under\s+water)",
                   r"|flood(?:ed|ing)\s+(?:the|our|my|in)\b|police\s+(?:are|is|came|just|want|showed)\b",
                   r"|(?:fire|burglar|security|shop|store|office|fridge|freezer|smoke|gas|intruder|building|house)\s+alarm\s+(?:keeps\s+going",
                   r"|is\s+going|went|has\s+gone|has\s+been\s+going)\s+off|alarm\s+at\s+the\s+\w+\s+(?:keeps\s+going|is\s+going|went)\s+off")),
    # a platform shutting the business out: "Amazon suspended the listing", "a hold on all our payouts"
    ("account-action", _rx(r"(?:suspended|deactivated|banned|disabled|shut\s+down|frozen|flagged|delisted)\s+(?:all\s+)?(?:our|my|the)\s+",
                           r"(?:[\w'-]+\s+){0,2}?(?:account|listings?|shop|store|page|payouts?|ads?|campaigns?)\b",
                           r"|(?:account|listings?|shop|store|page|payouts?|campaigns?)\s+(?:got|was|were|has\s+been|have\s+been|are|is|will\s+be)\s+",
                           r"(?:all\s+)?(?:suspended|deactivated|banned|disabled|shut\s+down|frozen|flagged|delisted|on\s+hold)\b",
                           r"|account\s+will\s+be\s+closed\b|(?:hold|freeze)\s+on\s+(?:all\s+)?(?:our|my|the)\s+(?:payouts|funds",
                           r"|account|payments)\b")),
    ("right-away", _rx(r"(?:second|minute|moment)\s+you\s+(?:see|get|read)\s+this|worse\s+by\s+the\s+(?:minute|hour|second)")),
    ("outage-terse", _rx(r"(?:^|[.!?\n,]\s*)(?:(?:the|our|my|wtf|omg|help|urgent)\s+)?(?:site|website|shop|store|checkout|server|app|email",
                         r"|portal|payments?|system)\s+(?:down|offline)\s*(?:!|$|,|\.)",
                         r"|every\s+(?:page|link|product|order|url)(?:\s+[\w'-]+){0,4}?\s+(?:is\s+|are\s+)?(?:404s?|broken|down|erroring",
                         r"|failing|showing\s+(?:as\s+)?(?:out\s+of\s+stock|sold\s+out|an?\s+error|blank))\b",
                         # defaced: "the homepage is showing a casino"; a server room overheating
                         r"|(?:site|homepage|home\s+page|website|store|shop)\s+(?:is\s+)?(?:now\s+)?(?:redirecting|redirects|showing|shows)\s+",
                         r"(?:people\s+|visitors\s+|customers\s+)?(?:to\s+)?(?:a|an|some)\s+(?:[\w'-]+\s+)?(?:casino|gambling|porn|scam|spam",
                         r"|phishing|crypto)\b|(?:server|servers|server\s+room|server\s+closet|freezer|fridge)\b(?:\s+[\w'-]+){0,4}?\s+",
                         r"(?:is\s+|are\s+)?(?:overheating|\d{2,3}\s+degrees)")),
    # data lost all at once
    (
        "data-loss",
        _rx(
            r"\b(?:lost|deleted|wiped|erased)\s+(?:all|every|the\s+(?:whole|entire))(?:\s+(?:of\s+)?(?:the|our))?\s+",
            r"(?:files|data|emails|orders|records|bookings|contacts|customers?|clients?|database|backups?|drive|folders?",
            r"|site|website|photos|invoices|accounts?)\b",
        ),
    ),
]
# Words every alternative of a sign contains (checked in tests/test_urgency_gates.py): a message with none of them
# skips that sign's long alternation, which the regex engine would otherwise try at every position.
_NEEDS = {
    "cannot-wait": re.compile("wait|need|quick|hurry|help|stop|pause|cancel|pull|halt|important|now|drop|wrong"),
    "hazard": re.compile(
        "smell|smoke|spark|fire|burst|water|backing|backed|sagging|caving|collapsing|giving|safe|soaked|flood|under|police|alarm"
    ),
    "account-action": re.compile("suspended|deactivated|banned|disabled|shut|frozen|flagged|delisted|hold|freeze|closed"),
    "right-away": re.compile("second|minute|moment|worse"),
    "outage-terse": re.compile("down|offline|every|casino|gambling|porn|scam|spam|phishing|crypto|overheating|degrees"),
    "intrusion": re.compile(
        "someone|somebody|stranger|hacker|password|pretending|posing|claiming|fake|cloned|copycat|stolen"
    ),
    "lawyers": re.compile("sued|court|summons|lawyer|solicitor|attorney|trademark|copyright|dmca|takedown"),
    "until": re.compile("until"),
    "code-abuse": re.compile("leaked|abused|exploit|cleaning|wiping"),
    "data-gone": re.compile("lost|deleted|wiped|erased|disappeared|vanished|missing"),
}
# An imminent event and something gone wrong with it: "the caterer pulled out and the event is tonight"
_IMMINENT = _rx(
    r"\b(?:tonight|today|this\s+(?:afternoon|evening|morning)|tomorrow(?:\s+morning)?|right\s+now",
    r"|in\s+(?:an?|\d+|two|three|a\s+few)\s+(?:hours?|minutes?|mins?)|in\s+\d+\s*h|(?:at|by)\s+\d{1,2}(?::\d\d)?\s*(?:am|pm)?|at\s+noon",
    r"|at\s+midnight)\b",
)
_WRONG = _rx(
    r"\b(?:cancell?ed|pulled\s+out|missing|(?:is|are)\s+holding|stuck|did\s+not\s+(?:show|arrive|turn\s+up)",
    r"|(?:have|has)\s+not\s+arrived|double-?booked|not\s+working|(?:does|do)\s+not\s+work|broken|no\s+reservation|old\s+version|wrong",
    r"|(?:is|are)\s+not\s+(?:submitted|signed|filed|ready)|something(?:'s|\s+is)\s+(?:off|wrong)|(?:fell|fallen)\s+(?:over|apart|through|off|down)|failed|no\s+booking",
    r"|(?:says|shows|showing)\s+(?:as\s+)?(?:sold\s+out|out\s+of\s+stock|closed|unavailable|fully\s+booked)|blew\s+off|blown\s+off",
    r"|collapsed|caved\s+in",
    r"|by\s+mistake|(?:has|have)\s+not\s+(?:shown|turned)\s+up|still\s+(?:has|have)\s+not)\b",
)
# Something happens at an imminent time unless it is prevented: "they ship at 5 today unless we stop them"
_UNLESS = _rx(r"\bunless\s+(?:(?:we|someone|somebody|they|i)\s+(?:[\w'-]+\s+)?(?:stop|pay|fix|confirm|upload|send|submit|sign|cancel|respond",
              r"|reply|act|move|clear|remove|update|provide|verify)\w*|(?:the|our|my)\s+(?:[\w'-]+\s+){0,3}?(?:is|are|gets?)\s+",
              r"(?:paid|fixed|cleared|accessible|removed|signed|submitted|received|sorted|moved|updated))\b")
# A problem already solved, or told about afterwards, is not urgent now.
_SETTLED = _rx(
    r"\b(?:(?:is|are|been|all)\s+(?:resolved|fixed|sorted)|fine\s+now|back\s+up|working\s+again|back\s+to\s+normal",
    r"|no\s+action\s+needed|all\s+good\s+now|report\s+is\s+attached|for\s+your\s+records|almost|nearly)\b",
)


# An errand for the owner to ask about something ("phone the bank and ask why the transfer bounced") reports no emergency
_ENQUIRY = _rx(
    r"(?:ask|asking|find\s+out|check|look\s+into|figure\s+out)\s+(?:them\s+|him\s+|her\s+)?(?:why|whether|how\s+come)\b",
    r"[^.!?\n]*",
)


# A broken channel given as the reason to switch channel ("can I text you instead? the app keeps crashing") is no emergency
_CHANNEL_DOWN = _rx(r"\b(?:email|emails|inbox|app)\s+(?:is\s+|keeps\s+)?(?:down|crashing|not\s+working)\b")
_SWITCHING = _rx(r"\binstead\b|\breach\s+me\s+(?:on|at)\s+my\s+(?:cell|mobile|phone)\b")


def situation_evidence(low: str) -> list[str]:
    """The signs of an urgent situation in a normalised message, by name ("urgent:outage"); empty when none or settled."""
    if _SETTLED.search(low):
        return []
    low = _ENQUIRY.sub(" ", low)
    found = [
        f"urgent:{name}"
        for name, pattern in SIGNS
        if (name not in _NEEDS or _NEEDS[name].search(low)) and pattern.search(low)
    ]
    if found == ["urgent:outage"] and _CHANNEL_DOWN.search(low) and _SWITCHING.search(low):
        return []
    if not found and _IMMINENT.search(low) and _WRONG.search(low):
        found.append("urgent:imminent")
    elif not found and "unless" in low and _UNLESS.search(low) and _IMMINENT.search(low):
        found.append("urgent:ultimatum")
    return found
