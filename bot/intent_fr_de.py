"""French and German rules: asking for a call or a text, what blocks it, and urgent words."""
from __future__ import annotations

import re

from bot.language_rules import LanguageRules


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("".join(parts))


_FR_APP = r"(?:whatsapp|sms|texto|signal|telegram)"
_TEL = r"t[ée]l[ée]phon"
_FR_APP_VERB = r"(?:text|whatsapp|sms)(?:e|es|ez|er|erai|erais|era|erons)"
FRENCH = LanguageRules(
    code="fr",
    words=_rx(r"appel|rappel|t[ée]l[ée]phon|portable|num[ée]ro|coup\s+de\s+fil|visio|zoom|meet|teams|facetime|call|sms|texto|whatsapp",
              r"|signal|telegram|vocal|[ée]cri|urgen|plus\s+vite|possible|tout\s+de\s+suite|imm[ée]diat|aide|panne|pirat|joindre",
              r"|vive\s+voix|texte|press[ée]|inond|d[ée]bit|apel|perd|hors\s+ligne|limite|[ée]ch[ée]ance|se\s+parler|fraud|demeure"),
    split=_rx(r"[.!?;\n]+|,|:(?!\d)|\s[-\u2013\u2014]+\s|\b(?:mais|parce\s+que|car|donc|puis)\b"),
    block=_rx(r"\b(?:pas|jamais|ne|n['’]|aucun|hier|merci\s+pour|derni[eè]re|api|webhook|endpoint|bouton|hebdo\w*|rappels)\b",
              r"|\b(?:m['’]|t['’]|l['’])a\s+(?:appel|t[ée]l[ée]phon|[ée]crit)|\bai\s+eu\b|\bavons\s+eu\b",
              r"|\b(?:appel|call|visio|zoom|r[ée]union|parl\w*|t[ée]l[ée]phon\w*)\s+(?:\w+\s+){0,3}?avec\s+(?!moi\b|toi\b|nous\b|vous\b)\w+",
              r"|\b(?:dis|dites|demande|demandez)\s+[àa]\b|\bje\s+suis\s+en\s+(?:appel|r[ée]union|call)\b",
              r"|\bnotre\s+(?:appel|call|r[ée]union)\b|\b(?:mon|ma|le|la|notre|son|sa|leur)\s+\w+\s+(?:va|vont|doit|devrait|peut|pourra)\s+",
              r"(?:t['’]|vous\s+|te\s+)?(?:appeler|rappeler|[ée]crire|envoyer)|\b(?:[çc]a|cela)\s+me\s+rappelle",
              r"|\b(?:dit|parl[ée]|discut[ée]|convenu|vu|d[ée]cid[ée]|r[ée]gl[ée])\s+(?:\w+\s+){0,2}?(?:au|par)\s+t[ée]l[ée]phone\b",
              r"|\brappel(?:le|lez)[\s-]+moi\s+(?:de\b|d['’])|\bpar\s+(?:ton|son|votre|mon)\s+(?:pr[ée]nom|nom)\b|\bzoome"),
    unblock=_rx(r"\bn['’]\s*h[ée]sit(?:e|ez)\s+pas\b"),
    rules=(
        ("verb-person", "call", _rx(r"\b(?:r?appel(?:le|lez|les|ez))[\s-]+(?:moi|nous)\b|\bapp?ell?e?[\s-]+moi\b",
                                    r"|\b(?:m|t|nous|vous|me|te)(?:['’]\s*|\s+)(?:r?appeler|r?appelle|r?appelles|r?appelez|r?appellerai",
                                    rf"|r?appellerais|r?appellera|{_TEL}er|{_TEL}e)\b|\bon\s+s['’]appelle\b",
                                    rf"|\bon\s+(?:peut\s+|pourrait\s+)?(?:s['’]\s*(?:appeler|{_TEL}er)|se\s+(?:call|{_TEL}er|{_TEL}e))\b",
                                    r"|\bon\s+(?:peut|pourrait)\s+se\s+parler\b")),
        ("by-phone", "call", _rx(rf"\bcoup\s+de\s+(?:fil|{_TEL}e)\b|\b(?:au|par)\s+{_TEL}e\b|\bde\s+vive\s+voix\b",
                                 rf"|\b\w+\s+{_TEL}ique\b|\bjoignable\b",
                                 r"|\b(?:parler|discuter|parle|discute|point|voir)\b(?:\s+[\w'’-]+){0,3}?\s+(?:sur|par|via|en)\s+",
                                 r"(?:zoom|teams|google\s+meet|meet|skype|facetime)\b")),
        ("call-noun", "call", _rx(r"\bun\s+(?:petit\s+|rapide\s+|court\s+)?(?:appel|call|zoom|visio|facetime|meet|teams|skype)\b",
                                  rf"|\bvisio(?:conf[ée]rence)?\b|\bappel\s+(?:rapide|vid[ée]o|{_TEL}ique)\b|\b(?:dispo|disponible)\s+pour\s+un\s+",
                                  r"(?:call|appel)\b|\bfais\s+un\s+facetime\b")),
        ("number-asked", "call", _rx(r"\b(?:ton|votre)\s+num[ée]ro\b(?!.{0,60}(?:whatsapp|sms|texto|[ée]cri))")),
        ("message-me", "text", _rx(rf"\b(?:envoie|envoyez|envoies|envoi|laisse|laissez)[\s-]+moi\b(?:\s+[\w'’-]+){{0,5}}?\s+(?:par|sur|via)\s+{_FR_APP}",
                                   r"|\b[ée]cri(?:s|vez)[\s-]+moi\s+l[àa]\b|\b(?:tu\s+es|vous\s+[êe]tes|t['’]es)\s+sur\s+(?:whatsapp|signal|telegram)\b",
                                   r"|\b(?:envoie|envoyez|envoies|envoi|laisse|laissez)[\s-]+moi\s+(?:un|une)\s+(?:petit\s+)?(?:sms|texto|whatsapp|vocal|message\s+vocal",
                                   r"|message\s+(?:whatsapp|signal|telegram)",
                                   r"|telegram|message\s+sur\s+(?:whatsapp|signal|telegram|mon\s+portable))\b",
                                   rf"|\b[ée]cri(?:s|vez)[\s-]+moi\s+(?:sur|par|via)\s+{_FR_APP}|\b(?:pr[ée]vien(?:s|ez)[\s-]+moi|fai(?:s|tes)[\s-]+moi\s+signe)\s+par",
                                   rf"\s+{_FR_APP}|\bm['’]\s*(?:envoyer|[ée]crire)\s+(?:un|une)\s+(?:petit\s+)?(?:sms|texto|whatsapp|vocal)\b",
                                   rf"|\b{_FR_APP_VERB}[\s-]+(?:moi|nous)\b|\b(?:m['’]\s*|me\s+|nous\s+){_FR_APP_VERB}\b",
                                   r"|\b[ée]cri(?:s|vez)[\s-]+moi\s+(?:un|une)\s+(?:petit\s+)?(?:sms|texto|whatsapp|message)\b",
                                   rf"|\b(?:r[ée]ponds|r[ée]pondez)[\s-]+moi\s+(?:sur|par)\s+{_FR_APP}|\bmessage\s+sur\s+(?:mon|ton)\s+portable\b",
                                   rf"|\bm['’]\s*(?:envoyer|envoi(?:es?|ez)|[ée]crire|[ée]cri(?:s|t|vez)|texter)\b(?:\s+[\w'’-]+){{0,5}}?\s+(?:par|sur|via)\s+{_FR_APP}")),
        ("i-message-you", "text", _rx(r"\bje\s+(?:t['’]\s*|vous\s+)(?:envoie|enverrai|[ée]cris|[ée]crirai)\b",
                                      rf"(?:\s+[\w'-]+){{0,4}}?\s+(?:par|sur|via|en)\s+{_FR_APP}",
                                      r"|\bje\s+(?:t['’]\s*|vous\s+)envoie\s+(?:un|une)\s+(?:sms|texto|whatsapp|vocal|message\s+vocal)\b",
                                      rf"|\bje\s+(?:te|t['’]\s*|vous)\s*{_FR_APP_VERB}\b",
                                      rf"|\bje\s+(?:peux|pourrais)\s+(?:t['’]\s*|vous\s+)(?:[ée]crire|envoyer)\b(?:\s+[\w'’-]+){{0,5}}?\s+(?:sur|par|via)\s+{_FR_APP}",
                                      rf"|\b(?:t['’]\s*|vous\s+)envoyer\b(?:\s+[\w'-]+){{0,4}}?\s+par\s+{_FR_APP}")),
        ("move-to-app", "text", _rx(rf"\b(?:on\s+continue|passons|on\s+passe|continuons)\s+(?:sur|par|à)\s+{_FR_APP}",
                                    r"|\b(?:tu\s+as|vous\s+avez|t['’]as)\s+(?:whatsapp|signal|telegram)\b|\b(?:ton|votre)\s+(?:whatsapp|signal|telegram)\b",
                                    r"|\bje\s+pr[ée]f[èe]re\s+(?:whatsapp|les\s+sms|le\s+sms|[ée]crire|texter)\b",
                                    r"|\b(?:on\s+cr[ée]e|cr[ée]ons|on\s+fait)\s+un\s+groupe\s+whatsapp\b",
                                    rf"|\bpr[ée]f[èe]re\b(?:\s+[\w'’-]+){{0,4}}?\s+(?:par|sur|via)\s+{_FR_APP}|\b(?:plut[ôo]t|mieux)\s+(?:par|sur|via)\s+{_FR_APP}")),
    ),
    urgent=_rx(r"\burgence\b|au\s+plus\s+vite|d[èe]s\s+que\s+possible|tout\s+de\s+suite|imm[ée]diatement|[àa]\s+l['’]aide",
               r"|en\s+panne|pirat[ée]|d[ée]bit[ée]s\s+deux\s+fois|sinon\s+on\s+perd|inond[ée]|frauduleu(?:x|se)|mise\s+en\s+demeure"),
    calm=_rx(r"\brien\s+d['’]urgent|pas\s+(?:d['’]urgence|urgent|press[ée])|en\s+cas\s+d['’]urgence|contact\s+d['’]urgence"),
    signs=_rx(r"hors\s+ligne|(?:on\s+perd|nous\s+perdons)\s+(?:des|nos|de\s+l['’]|du)\s*(?:ventes|clients|commandes|argent|r[ée]servations)",
              r"|(?:date\s+limite|[ée]ch[ée]ance)\s+(?:est|c['’]est)\s+(?:ce\s+soir|aujourd['’]hui|cet\s+apr[èe]s-midi|[àa]\s+minuit)"),
)

_DE_APP = r"(?:sms|whatsapp|signal|telegram|imessage)"
_DE_FILL = r"(?:mal|bitte|einfach|doch|kurz|schnell|gleich|morgen|heute|sp[äa]ter|jetzt|sofort|dringend|zur[üu]ck)"
GERMAN = LanguageRules(
    code="de",
    words=_rx(r"ruf|anruf|telefon|handy|nummer|call|zoom|teams|meet|facetime|video|sms|whatsapp|signal|telegram|sprachnachricht",
              r"|schreib|sims|klingel|mailbox|dringend|notfall|sofort|hilfe|schnell|bald|gehackt|down|eile|belastet|wasser|verlieren",
              r"|offline|frist|deadline|abgabe|ausgefallen|skypen|sprechen|reden|r[üu]ckruf|erreich|betr[üu]g|abmahnung|k[öo]nnen\s+nicht"),
    split=_rx(r"[.!?;\n]+|,|:(?!\d)|\s[-\u2013\u2014]+\s|\b(?:aber|weil|denn|dann|also)\b"),
    block=_rx(r"\b(?:nicht|nie|niemals|kein|keine|keinen|gestern|angerufen|telefoniert|vorhin|api|api-aufruf|webhook|endpoint",
              r"|erinnert|rufnummer|besprochen|er|w[öo]chentlich\w*|montagsmeeting|erinnerungen|sms-erinnerungen|richte)\b|\bdanke\s+f[üu]r\b",
              r"|\bletzte\s+woche\b|-button\b|\b(?:call|telefonat|anruf|videokonferenz|videocall|meeting|zoom|telefonier\w*|sprechen",
              r"|besprechen)\s+(?:\w+\s+){0,3}?mit\s+(?:meinem|meiner|dem|der|den|einem|einer|unserem|unserer)\s+\w+",
              r"|\b(?:schick|schreib|sag)\w*\s+(?:dem|der|den)\s+\w+|\bruf\w*\s+(?:bitte\s+)?(?:im|in\s+der|beim|bei\s+der|die|den|das)\s+\w+",
              r"|\b(?:bin|sind)\s+(?:gerade\s+)?(?:in\s+einem|im)\s+(?:call|meeting|telefonat|gespr[äa]ch)\b|\bunser\w*\s+(?:call|meeting|termin)\b",
              r"|\b(?:mein|meine|unser|unsere|der|die|das)\s+\w+\s+(?:ruft|schreibt|wird\s+dich|wird\s+sie)\b|\bzoom\s+mal\b"),
    rules=(
        ("verb-person", "call", _rx(r"\b(?:ruf|rufe|rufen|rufst)\s+(?:sie\s+|du\s+|ihr\s+)?(?:mich|uns|dich|euch|sie)\b(?:\s+[\w'-]+){0,5}?\s+",
                                    r"(?:an|zur[üu]ck)\b|\b(?:mich|uns|dich|sie|euch)\s+(?:[\w'-]+\s+){0,6}?(?:anrufen|zur[üu]ckrufen|anrufn)\b",
                                    rf"|\bruf\s+(?:{_DE_FILL}\s+)*(?:an|zur[üu]ck)\b|\br[üu]ckruf\b|\bbitte\s+(?:dringend\s+)?zur[üu]ckrufen\b|\bklingel\w*\s+(?:mal\s+)?durch\b",
                                    r"|\bdurchklingeln\b")),
        ("by-phone", "call", _rx(r"\b(?:wir|uns|ich)\s+(?:[\w'-]+\s+){0,5}?(?:telefonieren|zoomen|facetimen|skypen)\b|\btelefonisch\b|\bam\s+telefon\b",
                                 r"|\bauf\s+(?:teams|zoom)\b|\b(?:per|über|via)\s+(?:telefon|zoom|teams|videocall|video|facetime|skype)(?![-\w])",
                                 rf"|\b(?:können|könnten|sollen|sollten|wollen|lass)\s+(?:wir|uns)\s+(?:{_DE_FILL}\s+)*(?:sprechen|reden)\b",
                                 r"|\berreich\w*\s+(?:du\s+|sie\s+)?(?:mich|uns)\s+(?:auf|am|unter)\s+(?:dem\s+|meinem\s+)?(?:handy|telefon|festnetz)\b")),
        ("call-noun", "call", _rx(r"\b(?:ein|einen)\s+(?:kurz(?:e|en|es|er)?\s+|schnell(?:e|en|es|er)?\s+)?(?:telefonat|telefongespr[äa]ch|anruf|call|videocall|zoom|video-?call",
                                  r"|teams-?call|facetime)\b|\bkurzer\s+(?:call|anruf)\b|\bkurzes\s+telefonat\b|\bvideo(?:call|konferenz|anruf)\b",
                                  r"|\bmach\w*\s+(?:schnell\s+)?facetime\b")),
        ("number-asked", "call", _rx(r"\b(?:deine|ihre|eure)\s+(?:handy)?nummer\b(?!.{0,60}(?:whatsapp|sms|schreib))|\bhandynummer\b")),
        ("message-me", "text", _rx(rf"\b(?:mir|uns|dir|ihnen)\b(?:\s+[\w'-]+){{0,6}}?\s+(?:per|über|via|auf|bei|in)\s+{_DE_APP}\b",
                                   r"|\b(?:mir|uns|dir|ihnen)\s+(?:[\w'-]+\s+){0,3}?(?:eine?|'?ne)\s+(?:(?:kurze|schnelle|kleine)\s+)?(?:sms|whatsapp|sprachnachricht|signal-nachricht",
                                   r"|telegram|nachricht\s+(?:aufs|auf\s+das|per)\s+handy)\b|\bwhatsapp\s+mir\b|\bsimst\s+du\b|\bsimsen\b|\bsimse?\s+(?:mir|uns)\b",
                                   r"|\b(?:mir|uns)\s+(?:[\w'-]+\s+){0,3}?(?:aufs|auf\s+(?:das|mein)|ans)\s+handy\s+(?:schreiben|schreibst|schicken|simsen)\b",
                                   r"|\bschreib\w*\s+(?:mir|uns)\s+(?:[\w'-]+\s+){0,3}?(?:aufs|auf\s+(?:das|mein)|ans)\s+handy\b",
                                   rf"|\b(?:wir|ich)\s+(?:schreiben|schreibe|schicke|schicken)\b(?:\s+[\w'-]+){{0,4}}?\s+(?:per|über|via|auf)\s+{_DE_APP}",
                                   rf"|\b(?:lieber|besser)\s+(?:per|über|via|auf)\s+{_DE_APP}")),
        ("move-to-app", "text", _rx(r"\b(?:hast\s+du|haben\s+sie|habt\s+ihr)\s+(?:auch\s+)?(?:whatsapp|signal|telegram)\b",
                                    r"|\b(?:deine|ihre)\s+whatsapp(?:-nummer)?\b|\bwhatsapp-nummer\b",
                                    r"|\b(?:auf|zu)\s+(?:whatsapp|signal|telegram)\s+(?:weitermachen|wechseln|weiter\w*|umsteigen)\b",
                                    r"|\b(?:bevorzuge|lieber)\s+(?:whatsapp|sms|signal)\b|\b(?:machen\s+wir|lass\s+uns)\s+(?:eine\s+)?whatsapp-gruppe\b",
                                    r"|\bbist\s+du\s+(?:auf|bei)\s+(?:telegram|whatsapp|signal)\b")),
    ),
    urgent=_rx(r"\bdringend\b|\bnotfall\b|\bsofort\b|so\s+(?:schnell|bald)\s+wie\s+m[öo]glich|\bhilfe\b|\bist\s+down\b|gehackt",
               r"|doppelt\s+belastet|sonst\s+verlieren|unter\s+wasser|\beilt\b|betr[üu]gerisch|\babmahnung\b"),
    calm=_rx(r"\bnicht\s+dringend|keine\s+eile|im\s+notfall|notfallkontakt"),
    signs=_rx(r"ist\s+(?:offline|ausgefallen)\b|verlieren\s+(?:gerade\s+)?(?:umsatz|geld|kunden|bestellungen|auftr[äa]ge|buchungen)",
              r"|(?:frist|deadline|abgabe)\s+ist\s+heute\b|\b(?:website|seite|shop|server|app|system|kasse)\b(?:\s+\w+){0,5}?\s+nicht\s+(?:mehr\s+)?erreichbar\b",
              r"|\bkunden\s+k[öo]nnen\s+nicht\s+(?:mehr\s+)?(?:buchen|bestellen|bezahlen|zahlen|einloggen|kaufen)\b"),
)
