"""Cutting the owner's email answer to its new text (`python -m benchmarks mail`): an everyday Gmail reply, and the
worst of the adversarial shapes the linearity test knows, at 40,000 characters, plain and HTML."""

from __future__ import annotations

from benchmarks.report import figure, use_test_fakes

use_test_fakes()
from test_mail_reply_linear import HTML, LONG, PLAIN, repeated, seconds

from bot.mail_reply import reply_text

EVERYDAY = (
    "Sure, 10 AM works. I'll send the invite.\n\n--\nOlivia Chen\nAcme Admin Co.\n\n"
    "On Mon, Nov 23, 2026 at 9:00 PM boundary-bot <bot@acme.example> wrote:\n"
    + "\n".join(f"> line {n} of the forwarded message" for n in range(40))
)


def run() -> None:
    print("\n## Email answers cut to their new text")
    figure("everyday Gmail reply", f"{seconds(lambda: reply_text(EVERYDAY), 50) * 1e3:.2f} ms", "best of 50")
    plain = {unit: seconds(lambda unit=unit: reply_text(repeated(unit, LONG)), 3) for unit in PLAIN}
    worst = max(plain, key=plain.__getitem__)
    figure("worst plain shape at 40,000 chars", f"{plain[worst] * 1e3:.0f} ms ({worst[:12]!r}...)", "best of 3")
    html = {unit: seconds(lambda unit=unit: reply_text(None, repeated(unit, LONG)), 3) for unit in HTML}
    worst = max(html, key=html.__getitem__)
    figure("worst HTML shape at 40,000 chars", f"{html[worst] * 1e3:.0f} ms ({worst!r})", "best of 3")
