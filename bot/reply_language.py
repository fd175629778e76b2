"""The words the core puts into a reply besides the owner's templates (times, "by appointment"), in each template language."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bot.timefmt import format_instant as format_english
from bot.timefmt import year_note


class Words(NamedTuple):
    today: str
    tomorrow: str
    at: str  # before the clock: "a las", "à"
    your_time: str
    zone_time: str  # with {zone}
    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    date: str  # with {weekday}, {day}, {month}
    appointment: str
    next_meeting: str  # "next", before the next meeting slot
    reopening: str  # when no opening is known
    planned: str  # a closure's default reason
    unexpected: str
    there: str  # the client, when the platform gives no name
    units: tuple[str, str, str, str]  # business hour, hours, day, days
    year: str = " {year}"  # after the date, for a date in another year
    lately: str = "lately about {hours} opening hours"  # after the turnaround, when the policy quotes it


WORDS = {
    "es": Words(
        "hoy",
        "mañana",
        "a las",
        "tu hora",
        "hora de {zone}",
        ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
        ("ene.", "feb.", "mar.", "abr.", "may.", "jun.", "jul.", "ago.", "sept.", "oct.", "nov.", "dic."),
        "{weekday}, {day} {month}",
        "con cita previa",
        "próxima",
        "en cuanto volvamos",
        "un descanso previsto",
        "una ausencia imprevista",
        "",
        ("hora hábil", "horas hábiles", "día hábil", "días hábiles"),
        " de {year}",
        "últimamente, unas {hours} horas hábiles",
    ),
    "fr": Words(
        "aujourd'hui",
        "demain",
        "à",
        "votre heure",
        "heure de {zone}",
        ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
        ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
        "{weekday} {day} {month}",
        "sur rendez-vous",
        "prochain",
        "dès notre retour",
        "une pause prévue",
        "une absence imprévue",
        "",
        ("heure ouvrée", "heures ouvrées", "jour ouvré", "jours ouvrés"),
        " {year}",
        "ces derniers temps, environ {hours} heures ouvrées",
    ),
    "de": Words(
        "heute",
        "morgen",
        "um",
        "Ihre Zeit",
        "Zeit {zone}",
        ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
        ("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."),
        "{weekday}, {day}. {month}",
        "nach Vereinbarung",
        "nächster",
        "sobald wir zurück sind",
        "eine geplante Pause",
        "eine unvorhergesehene Abwesenheit",
        "",
        ("Arbeitsstunde", "Arbeitsstunden", "Werktag", "Werktage"),
        " {year}",
        "zuletzt etwa {hours} Arbeitsstunden",
    ),
    "pt": Words(
        "hoje",
        "amanhã",
        "às",
        "seu horário",
        "horário de {zone}",
        ("segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado", "domingo"),
        ("jan.", "fev.", "mar.", "abr.", "mai.", "jun.", "jul.", "ago.", "set.", "out.", "nov.", "dez."),
        "{weekday}, {day} de {month}",
        "com hora marcada",
        "próxima",
        "assim que voltarmos",
        "uma pausa planejada",
        "uma ausência imprevista",
        "",
        ("hora útil", "horas úteis", "dia útil", "dias úteis"),
        " de {year}",
        "ultimamente, cerca de {hours} horas úteis",
    ),
}
ENGLISH = Words(
    "today",
    "tomorrow",
    "at",
    "your time",
    "{zone} time",
    (),
    (),
    "",
    "by appointment",
    "next",
    "as soon as we reopen",
    "a planned break",
    "an unexpected absence",
    "there",
    ("business hour", "business hours", "business day", "business days"),
)


def words(lang: str) -> Words:
    return WORDS.get(lang, ENGLISH)


def format_instant(lang: str, at: datetime, now: datetime, zone: ZoneInfo, *, client_zone_known: bool) -> str:
    """Like bot.timefmt.format_instant, in `lang`: "mañana (martes, 24 nov.) a las 9:00 EST (hora de America/New_York)"."""
    if lang not in WORDS:
        return format_english(at, now, zone, client_zone_known=client_zone_known)
    w = WORDS[lang]
    local = at.astimezone(zone)
    date = w.date.format(weekday=w.weekdays[local.weekday()], day=local.day, month=w.months[local.month - 1])
    if year_note(local, now):
        date += w.year.format(year=local.year)
    days_ahead = (local.date() - now.astimezone(zone).date()).days
    day = w.today if days_ahead == 0 else f"{w.tomorrow} ({date})" if days_ahead == 1 else date
    abbreviation = local.tzname() or ""
    abbreviation = f"UTC{abbreviation}" if abbreviation[:1] in "+-" else abbreviation
    clock = f"{local.hour}:{local.minute:02d} {abbreviation}".rstrip()
    whose = w.your_time if client_zone_known else w.zone_time.format(zone=zone.key)
    return f"{day} {w.at} {clock} ({whose})"


def zone_note(lang: str, zone: ZoneInfo, *, client_zone_known: bool) -> str:
    """What format_instant adds after each time to name its zone: " (your time)", " (America/New_York time)"."""
    w = words(lang)
    return f" ({w.your_time if client_zone_known else w.zone_time.format(zone=zone.key)})"


def name_zone_once(text: str, note: str) -> str:
    """`text` with the zone note kept after its first time only."""
    first = text.find(note)
    if first < 0:
        return text
    cut = first + len(note)
    return text[:cut] + text[cut:].replace(note, "")


def turnaround(lang: str, amount: int, unit: str) -> str:
    """ "1 business day" in `lang`: "1 día hábil", "2 jours ouvrés"."""
    index = (0 if unit == "hours" else 2) + (amount != 1)
    return f"{amount} {words(lang).units[index]}"
