"""An HTML-only reply is read as text and cut like a plain one: Gmail, Outlook and Apple Mail markup, broken markup."""

from __future__ import annotations

from bot.mail_html import OUTLOOK_RULE, html_to_text
from bot.mail_reply import reply_text

GMAIL = """<div dir="ltr">Yes, 3pm works.&nbsp;I&#39;ll call you then.<div><br></div><div>Two options:</div>
<ul><li>Tuesday</li><li>Wednesday &amp; Thursday</li></ul><div><br clear="all"><div><br></div>-- <br>
<div dir="ltr" class="gmail_signature" data-smartmail="gmail_signature"><div>Jane Doe</div><div>Doe Consulting</div>
</div></div></div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Fri, Dec 4, 2026 at 9:12 PM
boundary-bot &lt;<a href="mailto:bot@example.com">bot@example.com</a>&gt; wrote:<br></div>
<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204)">Sam wrote
in #acme (Slack):<br><br>Can you call me this afternoon?<br></blockquote></div>"""

OUTLOOK = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style></head>
<body dir="ltr"><div class="elementToProof" style="font-family: Aptos, sans-serif; font-size: 12pt;">
Sí, mañana a las diez.</div><div id="Signature"><p>Juana Pérez<br>Pérez Consultoría</p></div>
<div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1">
<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000">
<b>De:</b> boundary-bot &lt;bot@example.com&gt;<br><b>Enviado:</b> viernes, 4 de diciembre de 2026 21:12<br>
<b>Para:</b> Juana Pérez &lt;juana@example.com&gt;<br><b>Asunto:</b> [boundary-bot] Sam: ¿Me llamas?</font>
<div>&nbsp;</div></div><div><div>Sam escribió en #acme (Slack):<br>¿Me llamas esta tarde?</div></div></body></html>"""

APPLE = """<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head>
<body dir="auto"><div dir="ltr">D’accord, je vous appelle à 15 h.</div><div dir="ltr"><br></div>
<div dir="ltr" id="AppleMailSignature">Envoyé de mon iPhone</div><div dir="ltr"><br>
<blockquote type="cite">Le 4 déc. 2026 à 21:12, boundary-bot &lt;bot@example.com&gt; a écrit&nbsp;:<br><br></blockquote>
</div><blockquote type="cite"><div dir="ltr">Sam a écrit dans #acme (Slack) :<br>Pouvez-vous m’appeler ?
</div></blockquote></body></html>"""


def test_gmail_html_keeps_the_answer_and_its_list_and_drops_the_signature_and_the_quote():
    reply = reply_text(None, GMAIL)
    assert reply.from_html
    assert reply.text == "Yes, 3pm works. I'll call you then.\n\nTwo options:\n- Tuesday\n- Wednesday & Thursday"


def test_outlook_html_drops_the_style_the_signature_block_and_everything_below_the_rule():
    assert reply_text("", OUTLOOK).text == "Sí, mañana a las diez."


def test_apple_mail_html_drops_the_signature_and_the_cited_block():
    assert reply_text("  \n", APPLE).text == "D’accord, je vous appelle à 15 h."


def test_the_plain_body_is_preferred_when_both_are_sent():
    reply = reply_text("Plain answer.\n\nOn Fri, Dec 4, 2026 at 9:12 PM bot <bot@example.com> wrote:\n> q", GMAIL)
    assert reply.text == "Plain answer." and not reply.from_html


def test_blockquotes_become_quoted_lines_and_an_hr_the_outlook_rule():
    text = html_to_text("<p>Answer</p><hr><blockquote><p>one</p><blockquote>two<br>three</blockquote></blockquote>")
    assert text.split("\n") == ["Answer", "", OUTLOOK_RULE, "> one", "> > two", "> > three"]


def test_pre_keeps_its_lines_and_comments_and_scripts_are_not_text():
    text = html_to_text("<pre>a  b\n  c</pre><p>x<!-- hidden -->y</p><script>alert(1)</script><p>z</p>")
    assert text.split("\n") == ["a  b", "  c", "xy", "z"]


def test_broken_markup_is_read_without_an_error():
    assert html_to_text("") == ""
    assert html_to_text("<!--") == ""
    assert html_to_text("<p>unclosed <b>bold <div>and <blockquote>quote") == "unclosed bold\nand\n> quote"
    assert html_to_text("<a href='x>text") == ""
    assert reply_text(None, "</div></blockquote></pre>Still here</p>").text == "Still here"


def test_deeply_nested_markup_is_no_recursion_error():
    assert reply_text(None, "<blockquote>" * 5_000 + "deep").text == ""
    assert "deep" in html_to_text("<div>" * 200 + "deep")
