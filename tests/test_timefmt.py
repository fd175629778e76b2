"""Times as clients and the owner read them: the year is named only when it is not the current one."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from factories import make_policy, ny

from bot.announcements import closure_cancelled
from bot.models import Closure
from bot.reply_language import format_instant as format_in
from bot.timefmt import format_absolute, format_instant, format_span

NY = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


def test_a_date_in_the_current_year_has_no_year() -> None:
    now = ny(2026, 12, 4, 10)
    assert format_instant(ny(2026, 12, 24, 9), now, NY, client_zone_known=True) == (
        "Thursday, Dec 24 at 9:00 AM EST (your time)"
    )
    assert format_absolute(ny(2026, 12, 24, 9), NY, now) == "Thursday, Dec 24 at 9:00 AM EST"


def test_a_date_in_another_year_names_it() -> None:
    now = ny(2026, 12, 28, 10)
    assert format_instant(ny(2027, 1, 4, 9), now, NY, client_zone_known=True) == (
        "Monday, Jan 4, 2027 at 9:00 AM EST (your time)"
    )
    assert format_instant(ny(2027, 1, 4, 9), ny(2027, 1, 3, 9), NY, client_zone_known=True) == (
        "tomorrow (Monday, Jan 4) at 9:00 AM EST (your time)"
    )
    assert format_span(ny(2026, 12, 24), ny(2027, 1, 3), NY, now) == "Thursday, Dec 24 through Saturday, Jan 2, 2027"
    assert format_span(ny(2027, 12, 24), ny(2027, 12, 25), NY, now) == "all day Friday, Dec 24, 2027"


def test_the_year_is_the_one_where_the_reader_is() -> None:
    # 10 PM on Dec 31 in New York is already Jan 1 in Tokyo: for a Tokyo client, Jan 2 is this year
    now = ny(2026, 12, 31, 22)
    assert format_instant(ny(2027, 1, 1, 20), now, TOKYO, client_zone_known=True) == (
        "tomorrow (Saturday, Jan 2) at 10:00 AM JST (your time)"
    )
    assert format_instant(ny(2027, 1, 1, 20), now, NY, client_zone_known=True) == (
        "tomorrow (Friday, Jan 1, 2027) at 8:00 PM EST (your time)"
    )


def test_replies_in_other_languages_name_the_year_too() -> None:
    at, now = ny(2027, 1, 4, 9), ny(2026, 12, 28, 10)
    assert format_in("es", at, now, NY, client_zone_known=True) == "lunes, 4 ene. de 2027 a las 9:00 EST (tu hora)"
    assert format_in("de", at, now, NY, client_zone_known=True) == "Montag, 4. Jan. 2027 um 9:00 EST (Ihre Zeit)"


def test_a_cancellation_reads_right_for_a_timed_closure() -> None:
    closure = Closure(start=ny(2026, 12, 11, 13), end=ny(2026, 12, 11, 17), reason="an appointment")
    text = closure_cancelled(make_policy(), closure, ny(2026, 12, 5, 9))
    assert text.startswith(
        "Update: the closure we announced (from Friday, Dec 11 at 1:00 PM EST until Friday, Dec 11 at 5:00 PM EST) "
        "is cancelled."
    )
