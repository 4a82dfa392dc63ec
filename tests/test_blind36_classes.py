"""Classes of miss found by samples/blind-36, each in the real excerpt's shape with invented
values.

- a DMR radio's contact list (`Radio ID,CallSign,Name,...`), 11;
- ModemManager's `mmcli` status (`equipment id:` is the IMEI), 04;
- a mail address after a numbered label (`E-Mail 2:jroe@example.org`), 12;
- a banner read as a key (`=== INCOMING SIP MESSAGE ===`), 01;
- syslog's program tag (`login[692]:`), PAM's module (`pam_unix(login:session)`), PAM's
  `LOGIN` pseudo-user, useradd's and groupadd's system accounts, a daemon's account under
  a user key (`change user 'redis' password`), 23;
- a MAC joined by dashes to a device's other ids (uiautomator2's `[serial-MAC-model]`), 25;
- Traccar's unknown device, the JVM's and the OS's names under `name:`, 26.
"""

from __future__ import annotations

from .conftest import scrub_keyed

scrub = scrub_keyed


def test_dmr_contact_list() -> None:
    text = (
        "Radio ID,CallSign,Name,NickName,City,State,Country\n"
        "7249901,PY9ZZA,Ernesto,Lima,Campinas,SP,BR\n"
        "7249902,PU9QQB,Marta,Souza,Santos,SP,BR\n"
    )
    out = scrub(text)
    for value in ("7249901", "PY9ZZA", "7249902", "PU9QQB", "Ernesto", "Marta"):
        assert value not in out
    assert out.startswith("Radio ID,CallSign,Name,NickName,City,State,Country\n") and ",SP,BR\n" in out


def test_a_call_sign_and_dmr_id_as_keys() -> None:
    out = scrub("2024-03-01 10:00:00 login callsign=PY9ZZA dmrid=7249901 slot=1\n")
    assert "PY9ZZA" not in out and "7249901" not in out and "slot=1\n" in out


def test_mmcli_equipment_id() -> None:
    text = (
        "  Hardware |         manufacturer: Quectel\n"
        "           |                model: EG916Q-GL\n"
        "           |         equipment id: 868531069876543\n"
        "  Status   |                state: connected\n"
    )
    out = scrub(text)
    assert "868531069876543" not in out and "model: EG916Q-GL\n" in out and "state: connected\n" in out


def test_a_mail_address_after_a_numbered_label() -> None:
    text = "First name:Eddie\nE-Mail 2:eddie1234@example.org\n"
    out = scrub(text)
    assert "eddie1234@example.org" not in out and "E-Mail 2:" in out


def test_a_banner_is_no_message() -> None:
    text = "=== INCOMING SIP MESSAGE ===\nINVITE sip:1000@10.0.0.1 SIP/2.0\n=== OUTGOING SIP MESSAGE ===\n"
    out = scrub(text)
    assert out.startswith("=== INCOMING SIP MESSAGE ===\n") and "=== OUTGOING SIP MESSAGE ===\n" in out


def test_syslog_tags_and_pam_stay() -> None:
    text = (
        "Feb  4 16:22:24 R34 login[692]: pam_unix(login:session): session opened for user root "
        "by LOGIN(uid=0)\n"
        "Feb  4 16:22:24 R-34 login[1198]: ROOT LOGIN  on '/dev/tty1'\n"
        "Feb 4 16:30:01 R34 sshd[1201]: pam_unix(sshd:session): session opened for user kimberg by (uid=0)\n"
    )
    out = scrub(text)
    assert "login[692]: pam_unix(login:session): session opened for user root by LOGIN(uid=0)\n" in out
    assert "ROOT LOGIN  on '/dev/tty1'\n" in out and "pam_unix(sshd:session)" in out and "kimberg" not in out


def test_system_accounts_stay_and_people_go() -> None:
    text = (
        "Mar  8 16:40:55 R-34 groupadd[24039]: group added to /etc/group: name=redis, GID=113\n"
        "Mar  8 16:40:55 R-34 useradd[24043]: new user: name=redis, UID=107, GID=113, home=/var/lib/redis\n"
        "Mar  8 16:40:55 R-34 usermod[24048]: change user 'redis' password\n"
        "Mar  8 16:41:02 R34 useradd[24050]: new user: name=kimberg, UID=1001, GID=1001, home=/home/kb\n"
    )
    out = scrub(text)
    assert "name=redis, GID=113\n" in out and "change user 'redis' password\n" in out
    assert "home=/var/lib/redis\n" in out and "kimberg" not in out


def test_a_mac_joined_by_dashes() -> None:
    text = "2023-06-14 11:08:30,772 - root - INFO - [9f3e2a10-64:a2:f9:11:22:33-ONEPLUS_A6010] 健康检查\n"
    out = scrub(text)
    assert "64:a2:f9:11:22:33" not in out and "-ONEPLUS_A6010] 健康检查\n" in out


def test_a_longer_colon_id_is_no_mac() -> None:
    text = "fingerprint 00:1a:2b:3c:4d:5e-6f:70:81:92:a3:b4 seen\n"
    assert scrub(text) == text


def test_traccar_unknown_device_and_runtime_names() -> None:
    text = (
        "2013-11-21 15:55:52  WARN: Unknown device - 222998877\n"
        "2013-11-21 15:58:44 INFO: Operating System name: Linux version: 3.8.0-31-generic arch: amd64\n"
        "2013-11-21 15:58:44  INFO: Java Runtime name: Java HotSpot(TM) 64-Bit Server VM vendor: Oracle\n"
    )
    out = scrub(text)
    assert "222998877" not in out
    assert "Operating System name: Linux version" in out and "Java Runtime name: Java HotSpot(TM)" in out
