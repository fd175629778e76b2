"""Cheap offline detection of a message's language (English, Spanish, French, German, Portuguese) from common words."""

from __future__ import annotations

import re

SUPPORTED = ("en", "es", "fr", "de", "pt")

# Short, frequent words that mostly belong to one language, and letters that do; words shared by two languages
# ("de", "que", "me") are left out, so a score is the count of words and letters only that language uses.
_WORDS = {
    "en": "the and you to is it this that of with i we my your me please thanks thank hi hey will be are what when can "
    "could would for just about if so not have need get let know at our us",
    "es": "el los y en del al una es lo se gracias hola cuando puedes puede qué cómo sí pero más muy con "
    "hablamos llámame llamame mándame mandame escríbeme ayer mañana tarde hoy esto eso tienes necesito quiero vale bueno "
    "porfa xfa estoy mi su nos mejor las escribo escribas casi luego cierra llamarte llamar llame llames llamo mensaje mensajes envío dame toque dile explicándolo factura sin devuélveme "
    "hace falta puedo tengo tiene hay ha he lunes martes miércoles jueves viernes usted ustedes ahora también teléfono telefono",
    "fr": "le les des et une est je vous nous pour pas qui sur avec merci bonjour ce ça moi mon ma peux plaît "
    "c'est j'ai n'est demain aujourd'hui appelle-moi rappelle-moi envoie-moi au aux très bien oui quand rien besoin "
    "suis sont faut qu'est-ce d'accord bon peut réunion lundi mardi mercredi jeudi vendredi samedi dimanche il elle "
    "notre votre leur dans été m'appeler t'appelle rappelez-moi appelez-moi s'il s'appelle rapide peux-tu pouvez-vous "
    "rappeler appeler s'appeler téléphoner coup",
    "de": "der die das und ist ich sie wir nicht mit auf für ein eine zu den dem bitte danke kannst können mich mir dich "
    "dir hallo wenn noch schon gerade morgen heute kurz mal ruf gibt habe hast bin sind wie was lass uns im einer "
    "einem kurzer steht unter büro montag dienstag mittwoch donnerstag freitag samstag sonntag sollen wollen",
    "pt": "o os da dos um você não é meu minha pra obrigado obrigada olá oi pode isso ele ela ao na no pelo pela "
    "liga ligar ligo ligação amanhã hoje tudo bom fica vou preciso quero agora com quando falar passa seu sua consegue "
    "manda mande bora beleza combinado pfv qnd tb lá tem tenho há foi vai estou tá segunda terça quarta quinta sexta "
    "também telemóvel celular telefone às conta disponível uma umas essa esse essas esses nós mim ótimo estiver "
    "fizer relatório noite vem sem pressa pergunta áudio vídeo fatura faz coisas dá depois ligada mensagem",
}
_LETTERS = {"es": "ñ¿¡", "fr": "èêëàùûœç", "de": "äöüß", "pt": "ãõç"}
_INDEX = {word: lang for lang, words in _WORDS.items() for word in words.split()}
_LETTER_LANGS = {  # a telling letter and the languages it tells of ("ç": French and Portuguese)
    letter: [lang for lang, letters in _LETTERS.items() if letter in letters] for letter in "".join(_LETTERS.values())
}
_LETTER = re.compile(f"[{''.join(_LETTER_LANGS)}]")
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_PT_ENDING = re.compile(r"(?:ção|ções|ões|ão)\b")
_ES_ENDING = re.compile(r"(?:ción|ciones)\b")
READ_CHARS = 1_000  # the start of a message says enough about its language


def detect(text: str) -> str | None:
    """The language of `text` among SUPPORTED, or None when nothing points to one."""
    head = (text or "")[:READ_CHARS].lower()
    scores: dict[str, int] = {}  # in half points: a word or an ending counts 2, a telling letter 1
    for token in _TOKEN.findall(head):
        if lang := _INDEX.get(token.replace("’", "'")):
            scores[lang] = scores.get(lang, 0) + 2
    for letter in _LETTER.findall(head):
        for lang in _LETTER_LANGS[letter]:
            scores[lang] = scores.get(lang, 0) + 1
    if pt := len(_PT_ENDING.findall(head)):
        scores["pt"] = scores.get("pt", 0) + 2 * pt
    if es := len(_ES_ENDING.findall(head)):
        scores["es"] = scores.get("es", 0) + 2 * es
    best, score, tied = None, 0, False
    for lang, points in scores.items():
        if points > score:
            best, score, tied = lang, points, False
        elif points == score:
            tied = True
    return best if score > 0 and not tied else None
