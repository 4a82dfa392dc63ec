"""Classes of miss found by samples/blind-40, in the real excerpt's shape with invented
values: a Windows account's security identifier in a remote-desktop client's trace (01);
well-known identifiers and built-in accounts stay."""

from __future__ import annotations

from .conftest import scrub_keyed

scrub = scrub_keyed


def test_windows_account_sid() -> None:
    sid = "S-1-5-21-1234567890-2345678901-3456789012-1001"
    text = (
        "  error 2022-06-29 04:18:35.582      front   9248   8472   os_win.fs_sentinel - "
        f"Failed to monitor 'C:\\Users\\Public\\AccountPictures\\{sid}' (2).\n"
        f"HKEY_USERS\\{sid}\\Software\n"
    )
    out = scrub(text)
    assert sid not in out and "1234567890-2345678901-3456789012" not in out
    assert "C:\\Users\\Public\\AccountPictures\\" in out and out.endswith("\\Software\n")


def test_well_known_sids_stay() -> None:
    text = "HKEY_USERS\\S-1-5-18 S-1-5-32-544 S-1-5-21-1234567890-2345678901-3456789012-500\n"
    assert scrub(text) == text
