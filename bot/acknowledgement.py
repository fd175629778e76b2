"""Messages that only close a conversation ("thanks!", "ok 👍", "Happy holidays!! 🎄"), which need no automatic reply."""

from __future__ import annotations

import re

# Words that, alone or together, only acknowledge, thank or wish well, in the languages bot/language.py detects.
_WORDS = frozenset(
    """
thanks thank you thx ty tysm tks thankyou much so very many a lot lots again ok okay k kk okie oki alright all right
cool great perfect awesome nice lovely brilliant fab fantastic excellent wonderful amazing super sweet got it noted
understood will do sounds good cheers np no problem worries sure yes yep yeah yup fine thats that's appreciated
appreciate it have good great nice day weekend evening night morning bye see ya later talk soon take care
happy merry christmas xmas holidays holiday new year easter birthday best wishes regards to too and the for
gracias muchas mil vale perfecto genial bueno buenas felices fiestas feliz navidad año nuevo buen fin de semana
saludos igualmente entendido claro listo
merci beaucoup d'accord daccord parfait génial bonnes bonne fêtes joyeux noël année bon week-end compris entendu
danke schön schon vielen dank alles klar perfekt frohe weihnachten schöne feiertage gutes neues jahr gut verstanden
obrigado obrigada muito valeu beleza perfeito ótimo otimo boas festas natal ano novo bom entendi combinado
""".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_MOST = 120  # characters: anything longer says more than thanks


def is_acknowledgement(text: str) -> bool:
    """True when the message holds only acknowledging words, emoji and punctuation (and at least one of them)."""
    stripped = text.strip()
    if not stripped or len(stripped) > _MOST or "?" in stripped or "http" in stripped.lower():
        return False
    words = [w.replace("’", "'") for w in _WORD.findall(stripped.lower())]
    leftover = _WORD.sub("", stripped)
    if any(ch.isdigit() for ch in leftover):
        return False
    return all(word in _WORDS for word in words)
