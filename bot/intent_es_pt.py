"""Spanish and Portuguese rules: asking for a call or a text, what blocks it, and urgent words."""
from __future__ import annotations

import re

from bot.language_rules import LanguageRules


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("".join(parts))


_ES_APP = r"(?:whats\w*|wasap|guasap|wsp|sms|telegram|signal)"
_ES_PHONE = r"(?:m[oó]vil|celular|tel[eé]fono)"
SPANISH = LanguageRules(
    code="es",
    words=_rx(r"ll?[aá]m|y[aá]mame|tel[eé]f|m[oó]vil|celular|whats|wasap|guasap|wsp|sms|audio|zoom|meet|teams|facetime|videoll|call|skype",
              r"|n[uú]mero|toque|escr[ií]b|telegram|signal|urgen|emergenc|ayuda|socorro|ca[ií]d|hacke|antes|inmediat|prisa|\bya\b",
              r"|conversar|hablar|hablemos|hablamos|llamada|inund|cobrad|perdemos|perdiendo|mensaj|l[ií]mite|plazo|vence|m[aá]rca"),
    split=_rx(r"[.!?;\n¿¡]+|,|:(?!\d)|\s[-\u2013\u2014]+\s|\b(?:pero|porque|aunque|entonces|as[ií]\s+que)\b"),
    block=_rx(r"\b(?:no|nunca|jam[aá]s|tampoco|ayer|anoche|gracias\s+por|llamó|llamaron|llamaste|hablé|escribi[oó]|envió",
              r"|mandó|api|webhook|endpoint|bot[oó]n|semanal|dile|d[ií]gale|p[ií]dele|p[ií]dale|recordatorios|configura)\b",
              r"|\b(?:al|a\s+la|a\s+los|a\s+las|a\s+mi|a\s+tu|a\s+su)\s+",
              rf"(?!{_ES_PHONE}|n[uú]mero|fijo|\d)\w+|\bestoy\s+en\s+(?:una|un)\s+(?:llamada|videollamada|reuni[oó]n|zoom|call)",
              r"|\b(?:llamada|videollamada|zoom|reuni[oó]n|call|habl\w*|tel[eé]fono)\s+(?:\w+\s+){0,3}?con\s+(?:mi|el|la|los|las|tu|su",
              r"|nuestr[oa]s?)\s+\w+",
              r"|\b(?:mi|el|la|tu|su|nuestr[oa])\s+\w+\s+(?:te|le|me|nos)\s+(?:llamar[aá]|va\s+a\s+llamar|escribir[aá]|va\s+a\s+escribir)"),
    rules=(
        ("verb-person", "call", _rx(r"\b(?:ll[aá]m|m[aá]rc)(?:a|e|en|ad|ar)(?:me|nos)\b|\by[aá]mame\b|\bllamarte\b",
                                    r"|\b(?:me|nos)\s+(?:(?:puedes|puede|podr[ií]as|podr[ií]a|pod[eé]is|pueden|vas\s+a|va\s+a)\s+)?",
                                    r"(?:llamas|llama|llamar[aá]s?|llamar|llam[aá]is|llamen|devuelves\s+la\s+llamada)\b",
                                    r"|\b(?:te|le|os)\s+(?:(?:puedo|podr[ií]a|voy\s+a|vamos\s+a|quiero|quer[ií]a)\s+)?",
                                    r"(?:llamo|llame|llamar[eé]?|llamamos|llamaremos)\b|\bdev(?:u[eé]lve|olver)(?:me)?\s+la\s+llamada\b",
                                    r"|\bdame\s+(?:un\s+toque|una\s+llamada|un\s+telefonazo)\b")),
        ("by-phone", "call", _rx(r"\b(?:por|al)\s+tel[eé]fono\b|\ben\s+directo\b|\bde\s+viva\s+voz\b|\bpor\s+(?:videollamada|zoom|meet|teams)\b",
                                 r"|\b(?:podemos|podr[ií]amos)\s+hablar(?:\s+(?:contigo|un\s+(?:momento|minuto|rato)|hoy|ma[nñ]ana|ahora|luego))*\s*$")),
        ("call-noun", "call", _rx(r"\b(?:una|otra)\s+(?:(?:peque[nñ]a|breve|r[aá]pida)\s+)?(?:llamada|videollamada|video\s*llamada)\b",
                                  r"|\bun\s+(?:zoom|meet|facetime|skype|teams|call)\b|\bvideollamada\b|\bllamada\s+r[aá]pida\b")),
        ("number-asked", "call", _rx(rf"\b(?:tu|su)\s+(?:n[uú]mero|{_ES_PHONE})\b(?!.{{0,60}}(?:whats|wasap|sms|escrib))")),
        ("message-me", "text", _rx(r"\b(?:escr[ií]be(?:me|nos)|escr[ií]bame|m[aá]nda(?:me|nos)|env[ií]a(?:me|nos)|env[ií]eme|m[aá]ndeme",
                                   r"|av[ií]sa(?:me|nos)|av[ií]seme|cont[eé]sta(?:me)?|cont[eé]stame|resp[oó]nde(?:me)?|p[aá]sa(?:me|nos)|d[ií]me(?:lo)?)\b",
                                   rf"(?:\s+[\w'-]+){{0,5}}?\s+(?:por|al|en|a\s+mi)\s+(?:{_ES_APP}|{_ES_PHONE}|mensaje\s+de\s+texto)",
                                   r"|\b(?:m[aá]nda(?:me|nos)|env[ií]a(?:me|nos)|m[aá]ndeme|env[ií]eme|mandame|escr[ií]be(?:me|nos)|escr[ií]bame)\s+(?:un|una)\s+",
                                   r"(?:whats\w*|wasap|guasap|wsp|sms|audio|mensaje\s+de\s+texto|telegram)\b",
                                   r"|\b(?:me|nos)\s+(?:(?:puedes|puede|podr[ií]as|podr[ií]a)\s+)?(?:enviar|mandar|mandas|env[ií]as|escribir|escribes)",
                                   rf"(?:\s+(?:un|una|por|al|en))?\s+(?:{_ES_APP}|audio|mensaje\s+de\s+texto)\b")),
        # each of these starts with a word, not a test, so the regex engine scans for it: a long message stays cheap
        ("message-me", "text", _rx(r"^(?:m[aá]nda|env[ií]a|m[aá]nde|env[ií]e)\s+(?:un|una)\s+(?:whats\w*|wasap|wsp|sms|audio|mensaje\s+de\s+texto)\b")),
        ("message-me", "text", _rx(r"(?:whats?app|wasap|guasap)(?:[eé]a(?:me|nos)|eo)\b")),
        ("message-me", "text", _rx(r"(?:m[aá]nd|env[ií])(?:a(?:me|nos)|eme)\s+un\s+mensaje\s+(?:de|por)\s+(?:whats\w*|wasap|telegram)\b")),
        ("i-message-you", "text", _rx(r"\b(?:te|le)\s+(?:escribo|mando|env[ií]o|paso|escribir[eé]|mandar[eé]|pasar[eé]|voy\s+a\s+(?:escribir|mandar|enviar|pasar))\b",
                                      rf"(?:\s+[\w'-]+){{0,5}}?\s+(?:por|al|en)\s+(?:{_ES_APP}|{_ES_PHONE})",
                                      r"|\b(?:te|le)\s+(?:mando|env[ií]o)\s+(?:un|una)\s+(?:whats\w*|wasap|sms|audio|mensaje\s+de\s+texto|telegram)\b",
                                      rf"|\b(?:puedo|podemos)\s+(?:escribirte|escribirle|mandarte|enviarte)\b(?:\s+[\w'-]+){{0,4}}?\s+(?:por|en)\s+{_ES_APP}",
                                      rf"|\b(?:te|le)\s+(?:puedo|podemos)\s+(?:mandar|enviar|escribir)\b(?:\s+[\w'-]+){{0,4}}?\s+(?:por|en)\s+{_ES_APP}",
                                      r"|\b(?:te|le)\s+(?:puedo|podemos)\s+(?:mandar|enviar)\s+(?:un|una)\s+(?:audio|whats\w*|wasap|sms|mensaje\s+de\s+texto)\b")),
        ("move-to-app", "text", _rx(r"\b(?:seguimos|pasemos|pasamos|sigamos|continuamos|hablamos|seguir|pasar)\b",
                                    rf"(?:\s+[\w'-]+){{0,3}}?\s+(?:por|a|en)\s+{_ES_APP}",
                                    rf"|\b(?:tienes|tiene|usas|usa)\s+{_ES_APP}|\b(?:cu[aá]l\s+es\s+)?tu\s+{_ES_APP}",
                                    rf"|\bprefiero\s+(?:{_ES_APP}|mensajes|escribir\w*|que\s+me\s+escrib\w*)|\bmejor\s+(?:por\s+(?:{_ES_APP}|mensaje)|escr[ií]be(?:me|nos)|escr[ií]bame)",
                                    rf"|\bprefiero\b(?:\s+[\w'-]+){{0,5}}?\s+(?:por|en)\s+{_ES_APP}",
                                    rf"|\b(?:hacemos|creamos|montamos|hagamos)\s+un\s+(?:grupo|chat)\s+de\s+{_ES_APP}",
                                    rf"|^{_ES_APP}\s+(?:cuando|luego|ma[nñ]ana|por\s+favor|porfa|xfa)")),
    ),
    urgent=_rx(r"\burgen(?:te|cia)\b|\bemergencia\b|lo\s+antes\s+posible|cuanto\s+antes|inmediatamente|ahora\s+mismo|ya\s+mismo",
               r"|\bya\s*!|\bayuda\s*!|\bsocorro\b|est[aá]\s+ca[ií]da|se\s+ha\s+ca[ií]do|hackead|cobrado\s+dos\s+veces|o\s+perdemos",
               r"|inundad"),
    calm=_rx(r"\bno\s+es\s+urgente|sin\s+prisa|en\s+caso\s+de\s+emergencia|de\s+emergencia\b"),
    signs=_rx(r"(?:fecha\s+l[ií]mite|plazo)\s+(?:es|vence|termina|acaba)\s+(?:hoy|esta\s+(?:noche|tarde|ma[nñ]ana)|a\s+medianoche)",
              r"|(?:estamos|seguimos)\s+perdiendo\s+(?:ventas|dinero|clientes|pedidos|reservas)"),
)

_PT_APP = r"(?:whats\w*|zap|sms|torpedo|telegram|signal)"
_PT_PHONE = r"(?:celular|telem[oó]vel|telefone)"
PORTUGUESE = LanguageRules(
    code="pt",
    words=_rx(r"\blig|\bmi\s+liga|chamada|telefon|telem[oó]vel|celular|n[uú]mero|zoom|meet|teams|facetime|call|sms|whats|zap|mensag",
              r"|msg|[aá]udio|signal|telegram|escrev|urgen|urg[eê]ncia|emerg[eê]ncia|socorro|caiu|hacke|r[aá]pido|imediat|pressa|poss[íi]vel",
              r"|inund|cobrad|perdemos|perdendo|torpedo|prazo|fora\s+do\s+ar|v[ií]deo"),
    split=_rx(r"[.!?;\n]+|,|:(?!\d)|\s[-\u2013\u2014]+\s|\b(?:mas|porque|pois|ent[ãa]o)\b"),
    block=_rx(r"\b(?:n[ãa]o|nunca|jamais|nem|ontem|ligou|liguei|falei|obrigad[oa]|semana\s+passada|api|webhook|endpoint|bot[ãa]o",
              r"|semanal|lembrete|lembretes|configura)\b",
              r"|\b(?:liga|ligar|ligue|manda|mande|envia|envie|escreve|fala|diz|pede)\s+(?:\w+\s+){0,3}?(?:para\s+(?:o|a|os|as)|pro|pra|ao",
              rf"|aos)\s+(?!(?:meu|minha)\s+(?:{_PT_PHONE}|n[uú]mero|whats)|mim\b|gente\b)\w+",
              r"|\b(?:liga[çc][ãa]o|chamada|videochamada|call|reuni[ãa]o|falar|falei)\s+(?:\w+\s+){0,3}?com\s+(?:o|a|os|as|meu|minha|nosso|nossa)\s+\w+",
              r"|\bestou\s+(?:numa|em\s+uma)\s+(?:liga[çc][ãa]o|chamada|videochamada|reuni[ãa]o|call)",
              r"|\b(?:meu|minha|o|a|nosso|nossa)\s+\w+\s+(?:vai\s+te\s+ligar|te\s+liga|vai\s+ligar)|\bd[áa]\s+um\s+zoom\b"),
    rules=(
        ("verb-person", "call", _rx(r"\b(?:me|nos|mi)\s+(?:(?:pode|podes|poderia|consegue|vai)\s+)?(?:liga|ligue|ligar|ligas|retorna|retornar)\b",
                                    r"|\blig(?:a|ue)[\s-]+me\b|\b(?:te|lhe)\s+(?:(?:posso|vou|vamos|queria|quero)\s+)?(?:ligo|ligar|ligarei)\b",
                                    r"|\bligar[\s-]+(?:lhe|te)\b|\bretornar\s+a\s+liga[çc][ãa]o\b",
                                    rf"|\bliga\s+(?:para\s+o|pro|pra|no)\s+meu\s+(?:{_PT_PHONE}|n[uú]mero)\b|\blig(?:a|ue)\s+(?:pra|para)\s+mim\b")),
        ("by-phone", "call", _rx(r"\b(?:por|pelo|no|ao)\s+telefone\b|\bchamada\s+de\s+v[ií]deo\b|\bvideochamada\b",
                                 r"|\b(?:falar|conversar|falamos|conversamos)\b(?:\s+[\w'-]+){0,3}?\s+(?:por|pelo|via|no)\s+",
                                 r"(?:v[ií]deo|zoom|meet|teams|facetime|skype)\b")),
        ("call-noun", "call", _rx(r"\b(?:uma|outra)\s+(?:(?:r[aá]pida|breve|curta)\s+)?(?:liga[çc][ãa]o|ligada|ligadinha|chamada|videochamada|call)\b",
                                  r"|\bum\s+(?:zoom|meet|facetime|teams|skype)\b|\b(?:numa|em\s+uma)\s+(?:call|liga[çc][ãa]o|chamada)\b")),
        ("number-asked", "call", _rx(rf"\b(?:seu|teu)\s+(?:n[uú]mero|{_PT_PHONE})\b(?!.{{0,60}}(?:whats|zap|sms|mensag))")),
        ("message-me", "text", _rx(r"\b(?:me|nos)\s+(?:manda|mande|mandar|envia|envie|enviar|chama|escreve|escreva|escrever|avisa",
                                   r"|responde)\b",
                                   rf"(?:\s+[\w'-]+){{0,5}}?\s+(?:no|pelo|por|na|via)\s+(?:{_PT_APP}|{_PT_PHONE}|mensagem(?:\s+de\s+texto)?\b)",
                                   r"|\b(?:me|nos)\s+(?:manda|mande|envia|envie)\s+(?:um|uma)\s+(?:zap|whats\w*|sms|torpedo|[aá]udio|mensagem\s+de\s+texto",
                                   r"|msg\s+no|mensagem\s+no|mensagem\s+pelo|telegram)\b",
                                   r"|\bmanda[\s-]+me\s+(?:um|uma)\s+(?:sms|whats\w*|[aá]udio|mensagem\s+(?:para\s+o|no|pro)\s+",
                                   rf"(?:{_PT_PHONE}))\b|\b(?:me|nos)\s+(?:(?:pode|podes|poderia|consegue)\s+)?(?:mandar|enviar)\s+(?:um|uma)\s+",
                                   r"(?:zap|whats\w*|sms|[aá]udio|mensagem\s+de\s+texto)\b",
                                   rf"|\bescreve[\s-]+me\s+(?:no|pelo|por)\s+{_PT_APP}|\bme\s+escreve\s+l[áa]\b|\bmanda\s+msg\s+no\s+{_PT_APP}")),
        ("message-me", "text", _rx(r"^(?:manda|mande|envia|envie)\s+(?:um|uma)\s+(?:zap|whats\w*|sms|torpedo|[aá]udio|mensagem\s+de\s+texto)\b")),
        ("i-message-you", "text", _rx(r"\b(?:te|lhe)\s+(?:mando|envio|mandar|enviar|escrevo)\b",
                                      rf"(?:\s+[\w'-]+){{0,5}}?\s+(?:no|pelo|por|via)\s+{_PT_APP}",
                                      r"|\b(?:te|lhe)\s+(?:mandar|enviar|mando|envio)\s+(?:um|uma)\s+(?:mensagem\s+de\s+texto|sms|[aá]udio|zap)\b",
                                      r"|\bposso\s+te\s+(?:mandar|enviar)\s+mensagem\s+no\s+whats\w*")),
        ("move-to-app", "text", _rx(rf"\b(?:voc[eê]\s+tem|tens|tem)\s+{_PT_APP}|\b(?:qual\s+[ée]\s+o\s+)?(?:seu|teu)\s+whats\w*",
                                    rf"|\b(?:continuar|passar(?:\s+isso)?)\s+(?:pelo|pro|para\s+o|no)\s+{_PT_APP}",
                                    rf"|\bprefiro\s+(?:{_PT_APP}|mensagem)|\bgrupo\s+no\s+{_PT_APP}",
                                    rf"|\bprefiro\b(?:\s+[\w'-]+){{0,5}}?\s+(?:por|pelo|no|via)\s+(?:{_PT_APP}|mensagem)|\bmelhor\s+(?:por|pelo|no|via)\s+{_PT_APP}")),
    ),
    urgent=_rx(r"\burgente\b|\burg[êe]ncia\b|\bemerg[êe]ncia\b|o\s+mais\s+r[áa]pido\s+poss[íi]vel|assim\s+que\s+poss[íi]vel|imediatamente|agora\s+mesmo|socorro",
               r"|\bcaiu\b|hackear|hackead|cobrad[oa]s\s+duas\s+vezes|ou\s+perdemos|inundou"),
    calm=_rx(r"\bn[ãa]o\s+[ée]\s+urgente|sem\s+pressa|em\s+caso\s+de\s+emerg[êe]ncia|de\s+emerg[êe]ncia\b"),
    signs=_rx(r"fora\s+do\s+ar|prazo\s+(?:[ée]|vence|termina|acaba)\s+(?:hoje|esta\s+noite|[àa]\s+meia-noite)",
              r"|(?:estamos|seguimos)\s+perdendo\s+(?:vendas|dinheiro|clientes|pedidos|reservas)"),
)
