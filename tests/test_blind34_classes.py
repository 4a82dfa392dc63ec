"""The structures the two-file blind round samples/blind-34 found leaks in, as classes: a
Matrix message's HTML `formatted_body` beside its `body`, and markup around a text (a value
in angle brackets is a placeholder only as one pair: `<hidden>`, not `<p>text</p>`). The
shapes are the real excerpt's (github.com/Stvad/matrix-rx, a matrix.org `/messages`
fixture); the values are invented."""

from __future__ import annotations

from .conftest import scrub_keyed

scrub = scrub_keyed


def test_a_matrix_messages_html_twin() -> None:
    text = (
        '{\n  "content": {\n    "body": "*but* only on tuesdays ",\n    "format": "org.matrix.custom.html",\n'
        '    "formatted_body": "<p dir=\\"ltr\\"><em>but</em><span> only on tuesdays </span></p>",\n'
        '    "msgtype": "m.text"\n  },\n  "event_id": "$x5W3gQmJ3Hq9Tg0b:matrix.org"\n}\n'
    )
    out = scrub(text)
    assert "tuesdays" not in out
    assert '"format": "org.matrix.custom.html"' in out and '"msgtype": "m.text"' in out


def test_markup_is_a_value_and_one_pair_of_angles_a_placeholder() -> None:
    assert "see you at noon" not in scrub('{"body": "<p>see you at noon</p>"}\n')
    for kept in ('{"password": "<hidden>"}\n', '{"body": "<your message here>"}\n'):
        assert scrub(kept) == kept
