"""Rule-based, explainable detection of call requests, text requests and urgency in a client message."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from bot import intent_languages, intent_model, language, textclean
from bot.intent_cues import (
    BARE_COURTESY,
    CUE_RULES,
    EITHER_MEDIUM,
    STANDING_AFTER,
    STATUS,
    TEXTING_VERB,
    THANKED,
    WILL_PICK_UP,
)
from bot.intent_more import MORE_RULES, more_hits
from bot.intent_rules import _BLOCKED as BLOCKED
from bot.intent_rules import _THIRD_PARTY as THIRD_PARTY
from bot.intent_rules import (
    BARE_QUESTION,
    IDIOM_AFTER,
    NUMBER_ASK,
    NUMBER_FOR,
    NUMBER_SHARED,
    OTHER_PARTY_AFTER,
    PHONE_NUMBER,
    QUESTION_WORD,
    RULES,
    Redirect,
    channel_is_ours,
)
from bot.urgency import urgency_evidence

if TYPE_CHECKING:
    from bot.detection_policy import Detection


@dataclass(frozen=True)
class Intent:
    """What a message asks for: a call or a text with the owner (or neither), whether it is urgent, the rules (or the
    model) that said so, and the message's language when it is clear."""

    redirect: Redirect | None
    urgent: bool
    evidence: tuple[str, ...] = ()
    lang: str | None = None

    def as_json(self) -> dict[str, str | bool | None]:
        return {"redirect": self.redirect, "urgent": self.urgent}


_CLAUSE_SPLIT = re.compile(
    r"[.!?;\n]+|,|:(?!\d)|\s[-\u2013\u2014]+\s|[\u2013\u2014(){}\[\]]"
    r"|\b(?:but|then|because|cause|cuz|otherwise|although|though|plus)\b|\bso\b(?!\s+(?:much|many|far|easy|easily|quick|quickly|good"
    r"|glad|sorry|busy|long|late|slow|fast|nice|kind|lovely|great|grateful|happy|bad|hard|hectic))|(?<!\bme\s)(?<!\bus\s)\band\b(?!\s+(?:i|me|us|you)\b)"
)
_TEXT_WORD = re.compile(r"(?:text|txt|sms|whatsapp|imessage|signal|telegram|viber|wechat|messenger|insta)")
_ANY_TEXT_WORD = re.compile(r"\b(?:text|texts|texted|texting|txt|sms|whatsapp|imessage|signal|telegram|viber|wechat)\b")
_RULES = RULES + CUE_RULES + MORE_RULES
# Every pattern above needs one of these words: a message with none asks for no call or text, and skips the rules.
# Words start at a word boundary ("invoice" is no voice, "during" no ring), except "phon" (smartphone, telephone);
# extend this with any rule's new word (tests/test_intents_prefilters.py checks no answer changes).
_ANY_MEDIUM = re.compile(
    r"phon|\b(?:call|ring|buzz|dial|facetim|skyp|zoom|text|sms|whatsapp|imessage|huddl|meet|hangout|teams|signal"
    r"|telegram|viber|wechat|number|cell|mobile|landline|line|bell|tinkle|video|digits|reach|live|camera|face|real"
    r"|voice|conference\s+(?:chat|session)|audio\s+(?:chat|session)|horn|loud|verbal|vc|messeng|instagram|insta\b|dm\b"
    r"|webex|whereby|discord|message|talk|speak|pick\s+up|screen|hop\s+on\s*\?)"
)


# Who is asked is read from at most this many characters before a phrase, so each match costs a bounded amount
# of work and a long clause stays linear; every prefix test above needs far fewer.
LOOK_BACK = 120


def _prefix(clause: str, start: int) -> str:
    """The clause before a match, cut to LOOK_BACK characters at a word boundary."""
    if start <= LOOK_BACK:
        return clause[:start].strip()
    window = clause[start - LOOK_BACK : start]
    return window[window.find(" ") + 1 :].strip() if " " in window else ""


# "speak on the phone yesterday": a time in the past after the phrase, within a few words
PAST_AFTER = re.compile(
    r"(?:\s+[\w'-]+){0,6}?\s+(?:yesterday|ago|last\s+(?:week|night|time|month|year|monday|tuesday|wednesday"
    r"|thursday|friday|saturday|sunday)|earlier|the\s+other\s+day)\b"
)


_POLICY_PHRASES: tuple[tuple[Redirect, str], ...] = (("call", "call_phrases"), ("text", "text_phrases"))


def _medium(word: str) -> Redirect:
    return "text" if _TEXT_WORD.match(word) and "call" not in word else "call"


def _thanks_or_blocked(prefix: str) -> bool:
    return bool(THANKED.search(prefix) or BLOCKED.search(prefix) or THIRD_PARTY.search(prefix))


def _is_status(prefix: str) -> bool:
    return bool(STATUS.search(prefix))


def _judged(verdicts: dict[tuple[int, str, bool], bool], key: tuple[int, str, bool], judge: Callable[[], bool]) -> bool:
    if key not in verdicts:
        verdicts[key] = judge()
    return verdicts[key]


def _redirect_hits(low: str) -> tuple[list[tuple[Redirect, int, str]], int]:
    """The rules that fire, and how many phrases a rule matched but then set aside (negated, past, somebody else's)."""
    hits: list[tuple[Redirect, int, str]] = []
    set_aside = 0
    if not _ANY_MEDIUM.search(low):
        return hits, set_aside
    found_before: set[tuple[Redirect, int, str]] = set()
    verdicts: dict[
        tuple[int, str, bool], bool
    ] = {}  # (rule, prefix, set aside on purpose): a repeated phrase is judged once
    for clause in _CLAUSE_SPLIT.split(low):
        clause = (clause or "").strip()
        if not clause:
            continue
        for number, rule in enumerate(_RULES):
            for m in rule.pattern.finditer(clause):
                groups = m.groupdict()
                found = []
                for key, word in [
                    (key, w) for key, w in groups.items() if w and key in ("v", "v2", "ch", "ch2", "ch3")
                ] or [("", "call")]:
                    # "ping me on my cell" is a text, "try my cell" a call: the verb names the medium of a phone
                    texting = key == "ch2" and TEXTING_VERB.match(m.group(0))
                    medium = rule.medium or ("text" if texting else _medium(word))
                    found.append((medium, rule.strength, f"{medium}:{rule.name}"))
                if found_before.issuperset(found):
                    continue  # this rule already said so: another match can add nothing (and costs as much)
                prefix = _prefix(clause, m.start())
                # set aside on purpose: an idiom, a past or standing call, somebody else's, negated or thanked for
                on_purpose = (
                    (groups.get("v") in IDIOM_AFTER and IDIOM_AFTER[groups["v"]].match(clause, m.end()))
                    or PAST_AFTER.match(clause, m.end())
                    or STANDING_AFTER.match(clause, m.end())
                    or (rule.only_us and OTHER_PARTY_AFTER.match(clause, m.end()))
                    or _judged(
                        verdicts,
                        (number, prefix, True),
                        partial(_thanks_or_blocked, prefix),
                    )
                )
                if on_purpose:
                    set_aside += 1
                    continue
                asked = _judged(verdicts, (number, prefix, False), partial(rule.asked, prefix))
                # a call turned down as somebody's status ("do you have a call at 3") is set aside on purpose too
                if not asked and rule.only_us and _judged(verdicts, (-1, prefix, True), partial(_is_status, prefix)):
                    set_aside += 1
                    continue
                if (
                    not asked
                    or (rule.name == "bare-verb" and QUESTION_WORD.match(prefix))
                    or (rule.name == "channel" and not channel_is_ours(m.group(0), prefix))
                ):
                    continue
                hits.extend(found)
                found_before.update(found)
    for m in BARE_QUESTION.finditer(low):
        medium = _medium(m.group("v"))
        hits.append((medium, 2, f"{medium}:bare-question"))
    for m in NUMBER_FOR.finditer(low):
        medium = "call" if m.group("call") else "text"
        hits.append((medium, 2, f"{medium}:number-to-use"))
    for m in EITHER_MEDIUM.finditer(low):
        medium = _medium(m.group("v"))
        hits.append((medium, 2, f"{medium}:either-medium"))
    hits.extend(more_hits(low))
    if hits and WILL_PICK_UP.search(low):
        hits.append(("call", 2, "call:will-pick-up"))
    if BARE_COURTESY.search(low):
        hits.append(("call", 2, "call:bare-courtesy"))
    if NUMBER_ASK.search(low):
        medium = "text" if _ANY_TEXT_WORD.search(low) else "call"
        hits.append((medium, 1, f"{medium}:number-asked"))
    if NUMBER_SHARED.search(low) and PHONE_NUMBER.search(low):
        hits.append(("call", 1, "contact:number-shared"))
    return hits, set_aside


# A request sits at the start or the end of a long message (a pasted document rarely asks for a call in its
# middle); classifying only these parts bounds the work on a message of any length.
HEAD_CHARS, TAIL_CHARS = 4_000, 1_000


def window(text: str, head: int = HEAD_CHARS, tail: int = TAIL_CHARS) -> str:
    """The head and tail of a long text, cut at whitespace and joined by a line break; short texts as they are."""
    if len(text) <= head + tail:
        return text
    start, end = text[:head], text[-tail:]
    cut = max(start.rfind(" "), start.rfind("\n"))
    if cut > head // 2:
        start = start[:cut]
    cut = min((i for i in (end.find(" "), end.find("\n")) if i >= 0), default=-1)
    if 0 <= cut < tail // 2:
        end = end[cut + 1 :]
    return f"{start}\n{end}"


def _strongest(hits: list[tuple[Redirect, int, str]]) -> Redirect | None:
    if not hits:
        return None
    best = max(strength for _, strength, _ in hits)
    return "call" if "call" in {medium for medium, strength, _ in hits if strength == best} else "text"


_NAMES_A_MEDIUM = re.compile(_ANY_MEDIUM.pattern)  # the model adds a request only to a message that names a medium
# a voice note, memo or message is sent and listened to later, like a text
_VOICE_NOTE = re.compile(r"\bvoice[\s-]?(?:notes?|memos?|msgs?|messages?)\b")
_CALL_WORD = re.compile(r"\b(?:call|calls|ring|phone|zoom|teams|facetime|talk|speak|huddle|video|voice|meet)\b")


def _model_says(low: str, redirect: Redirect | None, set_aside: int) -> tuple[Redirect | None, list[str]]:
    """The model's word on an English message the rules found no request in: a request it finds very likely (one that
    names some medium, and that no rule set aside as negated, past or somebody else's), with the evidence."""
    if redirect is not None:
        return redirect, []
    chance, top = intent_model.probability(low)
    if not set_aside and chance >= intent_model.RESCUE and _NAMES_A_MEDIUM.search(low):
        texting = _VOICE_NOTE.search(low) or (_ANY_TEXT_WORD.search(low) and not _CALL_WORD.search(low))
        found: Redirect = "text" if texting else "call"
        return found, [f"{found}:model({chance:.2f}: {', '.join(top)})"]
    return redirect, []


def classify(text: str, *, limit: bool = True, detection: Detection | None = None) -> Intent:
    """Classify one message: does it ask the owner for a call or a text, and is it urgent? With `limit`, only the
    head and tail of a very long message are read (see `window`); `detection` adds the owner's own phrases."""
    text = text or ""
    clean = textclean.clean(window(text) if limit else text)
    low = normalised = textclean.normalise(clean)  # `low` loses the owner's never-phrases; urgency reads it all
    plain = clean.lower()
    notes: list[str] = []
    owner: list[tuple[Redirect, int, str]] = []
    if detection is not None and detection.active:
        low, never = detection.remove_never(low)
        plain, _ = detection.remove_never(plain)
        notes += [f"never:policy({phrase!r})" for phrase in never]
        owner = [
            (medium, 3, f"{medium}:policy({phrase!r})")
            for medium, name in _POLICY_PHRASES
            for phrase in detection.found(name, low)
        ]
    english, set_aside = _redirect_hits(low)
    lang = language.detect(text)
    # the other languages' rules read a message unless it is plainly English
    hits = english + (intent_languages.redirect_hits(plain) if lang != "en" else []) + owner
    redirect = _strongest(hits)
    # the model knows English only: it judges the English rules' hits, never another language's
    if not owner and lang in ("en", None) and (english or not hits):
        redirect, said = _model_says(low, redirect, set_aside)
        notes += said
    urgent = urgency_evidence(clean, normalised, english=lang == "en")
    if detection is not None and detection.active:
        urgent += [f"urgent:policy({word!r})" for word in detection.found("urgent_words", normalised)]
    evidence = tuple(dict.fromkeys([name for _, _, name in hits] + notes + urgent))
    return Intent(redirect=redirect, urgent=bool(urgent), evidence=evidence, lang=lang)


def with_policy(intent: Intent, text: str, detection: Detection) -> Intent:
    """An intent classified without the owner's phrases (by the reader, off the event loop), with them: the message is
    classified again only when one of the owner's phrases occurs in it."""
    if not detection.active:
        return intent
    low = textclean.normalise(textclean.clean(window(text or "")))
    names = ("call_phrases", "text_phrases", "urgent_words")
    if detection.remove_never(low)[1] or any(detection.found(name, low) for name in names):
        return classify(text, detection=detection)
    return intent


def classify_lines(lines: Iterable[str]) -> Iterator[str]:
    """One compact JSON object per input line, for `boundary-bot classify`."""
    for line in lines:
        yield json.dumps(classify(line.rstrip("\r\n")).as_json())
