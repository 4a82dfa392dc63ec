"""SMTP AUTH LOGIN answered on the line after its prompt (RFC 4954; the LOGIN mechanism).

A user who reports a mail-sending problem from a softphone, a PBX's voicemail-to-mail or
an app pastes the SMTP session: a test tool's (swaks), a library's debug output (Python's
smtplib, PHPMailer's `SMTPDebug`), a server's protocol log. The server asks for the user
and the password with base64 prompts, and the client's next line answers, in base64 too:

    S: 334 VXNlcm5hbWU6
    C: am9obi5yb2U=
    S: 334 UGFzc3dvcmQ6
    C: aHVudGVyMg==

(`VXNlcm5hbWU6` is "Username:", `UGFzc3dvcmQ6` "Password:"; some servers write them in
lower case.) Decoded, the answers are the account and its password in the clear. The
prompt is the evidence: the answer is the one token of the line that follows it, behind
the trace's own marks (`C: `, `send: '...\\r\\n'`, ` ~> `). smtplib writes the prompt a
second time on a line of its own (`reply: retcode (334); Msg: b'UGFzc3dvcmQ6'`): that line
is passed over. A server's reply on the next line (`535 5.7.8 ...`) means no answer came.
A session dumped on one line (`['server', '334 VXNlcm5hbWU6\\r\\n'], ['client', '...']`)
is the rule pack's (rules/mail.yaml).
"""

from __future__ import annotations

import regex

from .linetracker import LineTracker
from .model import Entity, Finding

RULE_ID = "mail.auth_login_answer"
PRIORITY = 86

# "Username:" and "Password:" in base64; some servers write them in lower case.
_USER_PROMPTS = ("VXNlcm5hbWU6", "dXNlcm5hbWU6")
_PROMPTS = frozenset({*_USER_PROMPTS, "UGFzc3dvcmQ6", "cGFzc3dvcmQ6"})
_HINT = regex.compile("334[ ](?:" + "|".join(sorted(_PROMPTS)) + ")")
# The prompt at the end of its line (behind an escaped line end, a closing quote).
_PROMPT = regex.compile(
    "334[ ](?P<prompt>" + "|".join(sorted(_PROMPTS)) + r")(?:\\r|\\n)*['\")\]]?[ \t]*\r?$"
)
# The answer line: up to four tokens of a trace's own (a time stamp, `C:`, `send:`, ` ~>`),
# then one token (quoted as a bytes or str literal, with an escaped line end), then nothing.
_ANSWER = regex.compile(
    r"[ \t]*(?P<marks>(?:[^\s]{1,40}[ \t]+){0,4}?)b?['\"]?"
    r"(?P<value>[^\s'\"\\]{1,128})(?:\\r|\\n)*['\"]?[ \t]*\r?$"
)
# A server's reply code among the marks, or as the token: no answer came (`S: 535 ...`).
_REPLY = regex.compile(r"(?:^|\s)[2-5][0-9]{2}(?:[ -]|$)")


class SmtpAuthAnswers(LineTracker):
    """Per-stream tracker; feed it each block of whole lines, in order."""

    def __init__(self) -> None:
        super().__init__()
        self._entity = Entity.CREDENTIAL
        self._prompt = ""  # the prompt's text, which smtplib repeats on a line of its own
        self._skipped = False  # the line repeating the prompt was passed over

    def _next_start(self, text: str, pos: int) -> int:
        hint = _HINT.search(text, pos)
        return -1 if hint is None else text.rfind("\n", 0, hint.start()) + 1

    def _line(self, text: str, start: int, end: int, found: list[Finding]) -> None:
        prompt = _PROMPT.search(text, start, end)
        if prompt is not None:
            self._inside, self._skipped = True, False
            self._prompt = prompt.group("prompt")
            self._entity = Entity.USERNAME if self._prompt in _USER_PROMPTS else Entity.CREDENTIAL
            return
        if not self._inside:
            return
        if not self._skipped and self._prompt in text[start:end]:
            self._skipped = True  # smtplib's `reply: retcode (334); Msg: b'UGFzc3dvcmQ6'`
            return
        self._inside = False
        answer = _ANSWER.fullmatch(text, start, end)
        if answer is None:
            return
        value_start, value_end = answer.span("value")
        value = answer.group("value")
        if _REPLY.search(answer.group("marks")) or _REPLY.fullmatch(value) or value in _PROMPTS:
            return  # a server's reply, or the prompt itself sent back (a client's mistake)
        found.append(Finding(value_start, value_end, self._entity, RULE_ID, PRIORITY))
