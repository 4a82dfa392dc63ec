"""Classes of miss found by samples/blind-37, each in the real excerpt's shape with invented
values.

- Meshtastic, the LoRa mesh messenger: a node's id (`!43b6e668`, `num=0x4358751c`), its
  number (`myNodeNum`), its owner's long name, a position in 1e-7 degrees (`latitudeI`),
  01 and 03;
- QuickBlox's session request: `auth_key` and the HMAC `signature`, 02;
- Home Assistant's `.storage` files: `webhook_id`, a refresh token's `jwt_key`, and the
  group `Administrators` kept, 12 and 13.
"""

from __future__ import annotations

from .conftest import scrub_keyed

scrub = scrub_keyed


def test_meshtastic_cli_info() -> None:
    text = (
        'My info: { "myNodeNum": 1122334455, "rebootCount": 114, "minAppVersion": 30200 }\n'
        '  "!42e6b1a7": {\n'
        '    "num": 1122334455,\n'
        '    "user": {\n'
        '      "id": "!42e6b1a7",\n'
        '      "longName": "M0XYZ",\n'
        '      "shortName": "b1a7",\n'
        '      "hwModel": "HELTEC_V3",\n'
        "    },\n"
        '    "position": {\n'
        '      "latitudeI": 512345678,\n'
        '      "longitudeI": -1234567,\n'
        '      "altitude": 142,\n'
    )
    out = scrub(text)
    for value in ("1122334455", "42e6b1a7", "M0XYZ", "512345678", "-1234567"):
        assert value not in out, value
    assert '"rebootCount": 114' in out and '"hwModel": "HELTEC_V3"' in out and '"altitude": 142' in out


def test_meshtastic_firmware_nodeinfo() -> None:
    text = (
        "INFO | ??:??:?? 33 nodeinfo: num=0x4a5b6c7d, lastseen=0, id=!4a5b6c7d, name=Kim.B7\n"
        "INFO | ??:??:?? 33 nodeinfo: num=0x4a5b9f9f, lastseen=0, id=!4a5b9f9f, name=Meshtastic 9f9f\n"
    )
    out = scrub(text)
    assert "4a5b6c7d" not in out and "Kim.B7" not in out and "4a5b9f9f" not in out
    assert "INFO | ??:??:?? 33 nodeinfo: num=0x" in out and ", lastseen=0, id=!" in out
    assert ", name=Meshtastic 9f9f\n" in out


def test_a_bang_before_other_words_is_no_node() -> None:
    text = "color: red !important; echo !0123456789ab\n"
    assert scrub(text) == text


def test_quickblox_session_request() -> None:
    text = (
        "    application_id=26190\n"
        "    auth_key=Zq8mWc2vLpT4xNa\n"
        "    nonce=917186932\n"
        "    signature=0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c\n"
    )
    out = scrub(text)
    assert "Zq8mWc2vLpT4xNa" not in out and "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c" not in out
    assert "application_id=26190\n" in out and "nonce=917186932\n" in out


def test_home_assistant_storage() -> None:
    text = (
        '            "webhook_id": "9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9"\n'
        '                "jwt_key": "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",\n'
        '                "name": "Administrators"\n'
    )
    out = scrub(text)
    assert "9a8b7c6d5e4f3021" not in out and "00112233445566778899" not in out
    assert '"name": "Administrators"\n' in out
