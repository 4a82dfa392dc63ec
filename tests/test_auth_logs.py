"""Who logged in, in the system logs a PBX's or a gateway's bundle carries: OpenSSH's auth
log (the shapes of github.com/Yaser-Amiri/netdata-ssh-module/issues/8, an Ubuntu bastion's
`Invalid user ... from` and `Connection closed by invalid user ...`, and github.com/Ysurac/
openmptcprouter/issues/868, OpenWrt's `Failed password for ... from` and `Disconnected from
authenticating user`), and a log sentence's `for user X`. Values are invented; generic
accounts (`root`) and Android's numbered users stay."""

from __future__ import annotations

from .conftest import scrub_keyed

scrub = scrub_keyed


def test_openssh_auth_log() -> None:
    bastion = "Mar  8 02:44:59 Bastion sshd"
    router = "Mar  2 17:26:41 mantis auth.info sshd"
    text = (
        f'{bastion}[258838]: Connection from 198.51.100.7 port 17337 on 10.0.0.4 port 22 rdomain ""\n'
        f"{bastion}[258838]: Invalid user qbertson from 198.51.100.7 port 17337\n"
        f"{bastion}[258833]: Connection closed by invalid user qbertson 198.51.100.7 port 17336 [preauth]\n"
        f"{router}[5147]: Failed password for root from 192.168.16.1 port 30853 ssh2\n"
        f"{router}[5147]: Disconnected from authenticating user root 192.168.16.1 port 30853 [preauth]\n"
        f"{router}[5200]: Accepted password for lwexler from 192.168.16.1 port 30900 ssh2\n"
    )
    out = scrub(text)
    for leaked in ("qbertson", "lwexler", "198.51.100.7", "192.168.16.1"):
        assert leaked not in out, leaked
    assert "Failed password for root from " in out and "Disconnected from authenticating user root " in out
    assert out.count("\n") == text.count("\n")


def test_for_user_in_a_log_sentence() -> None:
    out = scrub("2024-01-01 12:00:00 INFO new session for user dvance opened\n")
    assert "dvance" not in out and "new session for user " in out
    for kept in (
        "06-21 19:34:45.302  1604  1698 I MissedCallNotifier: no missed calls for user 0\n",
        "2024-01-01 12:00:00 INFO waiting for user input\n",
    ):
        assert scrub(kept) == kept


def test_a_machine_named_after_its_user() -> None:
    """Ubuntu's installer names a machine `<user>-<product>` (samples/blind-23 01, a
    FreeSWITCH CDR's `switchname="ashish-desktop"`): the login goes, the product stays, and
    a machine named for its role stays whole."""
    out = scrub(
        '<cdr core-uuid="8e67d722-fa25-11e4-a404-cb18ef41548e" switchname="kavya-desktop">\n'
        "Dec  7 10:00:01 tomasz-ThinkPad-T480 kernel: [0.000000] Linux version\n"
        "Dec  7 10:00:02 server-pc sshd[1]: Server listening on 0.0.0.0 port 22.\n"
    )
    assert "kavya" not in out and "tomasz" not in out
    assert '-desktop">' in out and "-ThinkPad-T480 kernel" in out and " server-pc sshd[1]" in out
