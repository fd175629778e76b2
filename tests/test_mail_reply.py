"""An owner's plain-text email reply is cut to the new text: Gmail, Outlook and Apple Mail shapes in five languages."""

from __future__ import annotations

import pytest

from bot.mail_reply import CUT_NOTE, MAX_CHARS, reply_text

QUOTE = "> Sam wrote in #acme (Slack) at 9:12 PM:\n>\n> Can you call me this afternoon?\n>\n> Reply to this email to answer.\n"

GMAIL = {
    "en": "On Fri, Dec 4, 2026 at 9:12 PM boundary-bot <bot@example.com> wrote:",
    "es": "El vie, 4 dic 2026 a las 21:12, boundary-bot (<bot@example.com>) escribió:",
    "fr": "Le ven. 4 déc. 2026 à 21:12, boundary-bot <bot@example.com> a écrit :",
    "de": "Am Fr., 4. Dez. 2026 um 21:12 Uhr schrieb boundary-bot <bot@example.com>:",
    "pt": "Em sex., 4 de dez. de 2026 às 21:12, boundary-bot <bot@example.com> escreveu:",
}
APPLE = {
    "en": "> On Dec 4, 2026, at 21:12, boundary-bot <bot@example.com> wrote:",
    "es": "> El 4 dic 2026, a las 21:12, boundary-bot <bot@example.com> escribió:",
    "fr": "> Le 4 déc. 2026 à 21:12, boundary-bot <bot@example.com> a écrit :",
    "de": "> Am 04.12.2026 um 21:12 schrieb boundary-bot <bot@example.com>:",
    "pt": "> Em 4 de dez. de 2026, à(s) 21:12, boundary-bot <bot@example.com> escreveu:",
}
SENT_FROM_PHONE = {
    "en": "Sent from my iPhone",
    "es": "Enviado desde mi iPhone",
    "fr": "Envoyé de mon iPhone",
    "de": "Von meinem iPhone gesendet",
    "pt": "Enviado do meu iPhone",
}
OUTLOOK = {
    "en": ("From", "Sent", "To", "Subject", "Friday, December 4, 2026 9:12 PM"),
    "es": ("De", "Enviado", "Para", "Asunto", "viernes, 4 de diciembre de 2026 21:12"),
    "fr": ("De", "Envoyé", "À", "Objet", "vendredi 4 décembre 2026 21:12"),
    "de": ("Von", "Gesendet", "An", "Betreff", "Freitag, 4. Dezember 2026 21:12"),
    "pt": ("De", "Enviado", "Para", "Assunto", "sexta-feira, 4 de dezembro de 2026 21:12"),
}
SIGN_OFF = {
    "en": "Best regards,",
    "es": "Saludos,",
    "fr": "Cordialement,",
    "de": "Viele Grüße",
    "pt": "Atenciosamente,",
}
ANSWER = {
    "en": "Yes, 3pm works. I'll call you then.",
    "es": "Sí, a las tres te llamo.",
    "fr": "Oui, je vous appelle à 15 h.",
    "de": "Ja, ich rufe Sie um 15 Uhr an.",
    "pt": "Sim, ligo para você às 15h.",
}
LANGUAGES = sorted(ANSWER)


@pytest.mark.parametrize("language", LANGUAGES)
def test_gmail_keeps_the_answer_and_drops_the_sign_off_and_the_quote(language):
    mail = f"{ANSWER[language]}\r\n\r\n{SIGN_OFF[language]}\r\nJane\r\n\r\n{GMAIL[language]}\r\n\r\n{QUOTE}"
    assert reply_text(mail).text == ANSWER[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_gmail_without_a_sign_off_is_cut_at_its_wrote_line(language):
    assert reply_text(f"{ANSWER[language]}\n\n{GMAIL[language]}\n\n{QUOTE}").text == ANSWER[language]


def test_gmail_s_wrote_line_wrapped_over_two_lines_is_still_found():
    mail = f"{ANSWER['en']}\n\nOn Fri, Dec 4, 2026 at 9:12 PM Sam Client via boundary-bot <\nbot@example.com> wrote:\n\n{QUOTE}"
    assert reply_text(mail).text == ANSWER["en"]
    mail = (
        f"{ANSWER['pt']}\n\nEm sex., 4 de dez. de 2026 às 21:12, boundary-bot <bot@example.com>\nescreveu:\n\n{QUOTE}"
    )
    assert reply_text(mail).text == ANSWER["pt"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_apple_mail_drops_the_sent_from_my_iphone_line_and_the_quote(language):
    mail = f"{ANSWER[language]}\n\n{SENT_FROM_PHONE[language]}\n\n{APPLE[language]}\n>\n{QUOTE}"
    assert reply_text(mail).text == ANSWER[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_outlook_is_cut_at_its_rule_and_header_block(language):
    sender, sent, to, subject, date = OUTLOOK[language]
    separator = " :" if language == "fr" else ":"
    header = "\n".join(
        f"{name}{separator} {value}"
        for name, value in (
            (sender, "boundary-bot <bot@example.com>"),
            (sent, date),
            (to, "Jane Doe <jane@example.com>"),
            (subject, "[boundary-bot] Sam: Can you call me this afternoon?"),
        )
    )
    mail = f"{ANSWER[language]}\n\n{'_' * 32}\n{header}\n\nSam wrote in #acme (Slack):\nCan you call me?\n"
    assert reply_text(mail).text == ANSWER[language]


def test_the_portuguese_of_portugal_wrote_line_is_found():
    mail = f"{ANSWER['pt']}\n\nboundary-bot <bot@example.com> escreveu no dia sexta, 4/12/2026 à(s) 21:12:\n\n{QUOTE}"
    assert reply_text(mail).text == ANSWER["pt"]


def test_a_dash_dash_signature_and_a_trailing_quote_without_a_header_are_dropped():
    assert reply_text("Done, see you then.\n\n-- \nJane Doe\n+1 555 0100\n").text == "Done, see you then."
    assert reply_text("ok then\n\n> Can you call me?\n> please\n").text == "ok then"


def test_a_hyphen_list_in_the_answer_is_kept_whole():
    mail = f"Two options:\n- Tuesday 10am\n- Wednesday 3pm\n\n{GMAIL['en']}\n{QUOTE}"
    assert reply_text(mail).text == "Two options:\n- Tuesday 10am\n- Wednesday 3pm"


def test_an_answer_written_between_the_quoted_lines_keeps_the_quotes_it_answers():
    mail = "> Can you call me?\nYes, at 3.\n> And send the invoice?\nSent this morning.\n"
    assert reply_text(mail).text == "> Can you call me?\nYes, at 3.\n> And send the invoice?\nSent this morning."


def test_a_reply_with_nothing_new_is_empty():
    assert reply_text(f"\n\n{GMAIL['en']}\n{QUOTE}").text == ""
    assert reply_text("").text == ""
    assert reply_text(None).text == ""


def test_blank_runs_and_trailing_spaces_are_tidied():
    assert reply_text("First line.   \r\n\r\n\r\n\r\n\r\nSecond line.\t\n").text == "First line.\n\nSecond line."


def test_a_very_long_answer_is_cut_at_a_word_with_a_note():
    words = " ".join(f"word{i}" for i in range(3_000))
    reply = reply_text(f"{words}\n\n{GMAIL['en']}\n{QUOTE}")
    assert reply.cut
    assert len(reply.text) <= MAX_CHARS and reply.text.endswith("\n\n" + CUT_NOTE)
    kept = reply.text.removesuffix("\n\n" + CUT_NOTE)
    assert words.startswith(kept + " ") and "wrote:" not in reply.text


def test_a_long_line_is_kept_whole_and_never_read_as_a_header():
    line = "On the question of the venue " + "we can look at more options next week " * 10 + "wrote: fine."
    assert len(line) > 240
    assert reply_text(f"{line}\n\n{GMAIL['en']}\n{QUOTE}").text == line


def test_the_limit_is_the_callers():
    reply = reply_text("A " * 2_000, limit=200)
    assert reply.cut and len(reply.text) <= 200 and reply.text.startswith("A A ")
