"""Classes of miss found by samples/blind-35, each in the real excerpt's shape with invented
values (the mail and IRC logins are in test_mail_auth.py).

- Pidgin's privacy list (`<block>`, `<permit>` inside an `<account>`), 12 and 25;
- an address or a number run straight into Chinese text (`10.3.2.4话机提交账号`), 13;
- LinkedIn's Messages.csv, whose From and To columns hold names, 21;
- ZNC's configuration (`<User name>`, `AltNick`, the password block's hash and salt), 22;
- an Android app's device dump (`simId`, `serial`) and a ride-hailing captain's id, 32;
- systemd's catalog under `journalctl -x` (`-- Subject: Unit ...`), 35;
- a host named for its service (`smtp.local`), 02; a certificate authority's name, 11;
- Tigase's cluster commands (`<method-call name=...>`, `<par name="userId">`), 03;
- a login sent in base64 and echoed in the clear by the server, 02.
"""

from __future__ import annotations

import base64

from .conftest import scrub_keyed

scrub = scrub_keyed


def test_pidgin_privacy_list_entries() -> None:
    text = (
        "\t<privacy>\n"
        "\t\t<account proto='prpl-icq' name='611223344' mode='1'>\n"
        "\t\t\t<block>778812</block>\n"
        "\t\t\t<block>245566778</block>\n"
        "\t\t\t<permit>kim@jabber.example.org</permit>\n"
        "\t\t</account>\n"
        "\t</privacy>\n"
    )
    out = scrub(text)
    for value in ("611223344", "778812", "245566778", "kim@jabber.example.org"):
        assert value not in out
    assert "\t\t\t<block>" in out and "</block>\n" in out and "<account proto='prpl-icq' name='" in out


def test_pidgin_chat_components_stay() -> None:
    text = (
        "<chat proto='prpl-irc' account='jroe@irc.libera.chat'>\n"
        "<component name='channel'>#debian</component>\n"
    )
    out = scrub(text)
    assert "<component name='channel'>#debian</component>\n" in out and "jroe" not in out


def test_an_address_run_into_chinese_text() -> None:
    text = (
        "2019-01-05 16:38:31,411 - DEBUG - phone_register: 10.3.9.87话机提交账号信息失败，请手动检查\n"
        "2019-01-05 16:41:26,822 - DEBUG - phone_register: 203.0.113.77开始注册\n"
    )
    out = scrub(text)
    assert "10.3.9.87" not in out and "203.0.113.77" not in out
    assert "话机提交账号信息失败，请手动检查\n" in out and "开始注册\n" in out


def test_a_learned_address_run_into_chinese_text() -> None:
    text = "Starting new HTTP connection (1): 10.3.9.87:80\nphone_register: 10.3.9.87话机状态正确\n"
    assert "10.3.9.87" not in scrub(text)


def test_a_chinese_name_is_not_found_inside_a_longer_word() -> None:
    """A learned value in Chinese still needs its own edges: `王伟` learned does not reach
    into `王伟东`, another name."""
    text = '{"name": "王伟"}\n王伟东 called\n'
    out = scrub(text)
    assert "王伟东 called\n" in out and '"王伟"' not in out


def test_linkedin_messages_from_and_to() -> None:
    text = (
        "From,To,Date,Subject,Content,Direction,Folder\n"
        'Karim Haddad,Nora Lindqvist,"6/19/18, 5:54 AM",RE: roles,'
        '"As requested, send me a CV.",INCOMING,INBOX\n'
        'Nora Lindqvist,Tomas Berg,"8/18/18, 12:38 AM",,hi,OUTGOING,SENT\n'
    )
    out = scrub(text)
    for name in ("Karim Haddad", "Nora Lindqvist", "Tomas Berg"):
        assert name not in out
    assert '"6/19/18, 5:54 AM"' in out and ",INCOMING,INBOX\n" in out


def test_from_and_to_that_name_no_one_stay() -> None:
    text = (
        "state change from: RINGING to: IDLE\n"
        "<stream:stream to='gmail.com' version='1.0'>\n"
        "Failed c2s authentication for jroe@localhost from :ffff:203.0.113.7: Invalid username or password\n"
    )
    out = scrub(text)
    assert "from: RINGING to: IDLE\n" in out and "to='gmail.com'" in out
    assert ": Invalid username or password\n" in out


def test_znc_configuration() -> None:
    text = (
        "<User kim_libera>\n"
        "\tAdmin = true\n"
        "\tAltNick = kimberg_\n"
        "\tNick = kimberg\n"
        "\t<Pass password>\n"
        "\t\tHash = 9f2b5c1e0d7a4b3c8e6f1a2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3\n"
        "\t\tMethod = sha256\n"
        "\t\tSalt = q;W8-z)Lp2/xR7+tN0!e\n"
        "\t</Pass>\n"
        "</User>\n"
    )
    out = scrub(text)
    for value in ("kim_libera", "kimberg_", "9f2b5c1e0d7a4b3c", "q;W8-z)Lp2/xR7+tN0!e"):
        assert value not in out
    assert "\t\tMethod = sha256\n" in out and "\tAdmin = true\n" in out and "<User " in out


def test_an_apps_device_dump() -> None:
    text = (
        "LoginModel{, admaVersionNumber=8100, simId='310260000112233', networkOperatorName='Lebara', "
        "model='LG-K430', serial='LGK430X7QZ2MN8', buildRelease='6.0', captainId=556677}\n"
        '{"captainId":"556677","captainLanguage":"ar"}\n'
    )
    out = scrub(text)
    for value in ("310260000112233", "LGK430X7QZ2MN8", "556677"):
        assert value not in out
    assert "model='LG-K430'" in out and "buildRelease='6.0'" in out


def test_a_request_serial_and_a_sim_slot_stay() -> None:
    text = 'D/RILJ    (  945): Serial: 1001283995\n{"sim_id": "1", "body": "x"}\nserial=3\n'
    out = scrub(text)
    assert "Serial: 1001283995\n" in out and '"sim_id": "1"' in out and "serial=3\n" in out


def test_systemd_catalog_subject_stays() -> None:
    text = (
        "1月 17 16:01:01 host systemd[1]: Started Session 32 of user root.\n"
        "-- Subject: Unit session-32.scope has finished start-up\n"
        "-- Defined-By: systemd\n"
        "-- Unit session-32.scope has finished starting up.\n"
    )
    assert scrub(text) == text


def test_a_host_named_for_its_service_stays() -> None:
    text = (
        "['client', 'EHLO smtp.local\\r\\n'], ['server', '250-NUMAIL Hello smtp.local\\r\\n']\n"
        "Host: Janes-ThinkPad.local\n"
    )
    out = scrub(text)
    assert out.count("smtp.local") == 2 and "Janes-ThinkPad" not in out


def test_a_certificate_authority_is_no_person() -> None:
    text = (
        "-- subject `CN=*.irc.example.com,O=Tiny Speck,C=US', "
        "issuer `CN=GeoTrust SSL CA - G3,O=GeoTrust Inc.,C=US'\n"
        "-- subject `CN=GeoTrust SSL CA - G3,O=GeoTrust Inc.,C=US', "
        "issuer `CN=GeoTrust Global CA,O=GeoTrust Inc.,C=US'\n"
    )
    out = scrub(text)
    assert out.count("CN=GeoTrust SSL CA - G3") == 2 and "CN=GeoTrust Global CA" in out


def test_tigase_cluster_command_names_stay() -> None:
    text = (
        '<cluster type="set" to="sess-man@node1"><control><method-call name="user-disconnected-sm-cmd">'
        '<par name="userId">kim77@example.org</par><par name="resource">Smack</par>'
        "</method-call></control></cluster>\n"
    )
    out = scrub(text)
    assert '<method-call name="user-disconnected-sm-cmd">' in out and '<par name="userId">' in out
    assert "kim77" not in out


def test_a_base64_login_echoed_in_the_clear() -> None:
    user, password = base64.b64encode(b"kimberg").decode(), base64.b64encode(b"Plum-4711").decode()
    text = (
        f"['server', '334 VXNlcm5hbWU6\\r\\n'], ['client', '{user}\\r\\n'], "
        f"['server', '334 UGFzc3dvcmQ6\\r\\n'], ['client', '{password}\\r\\n'], "
        "['server', '235 2.7.0 Authentication successful (kimberg : Plum-4711)\\r\\n']\n"
    )
    out = scrub(text)
    for value in (user, password, "kimberg", "Plum-4711"):
        assert value not in out
    assert "235 2.7.0 Authentication successful (" in out


def test_the_prompt_sent_back_is_no_login() -> None:
    text = (
        "['server', '334 VXNlcm5hbWU6\\r\\n'], ['client', 'VXNlcm5hbWU6\\r\\n'], "
        "['server', '334 UGFzc3dvcmQ6\\r\\n']\n"
    )
    assert scrub(text) == text


def test_a_base64_login_of_common_words_is_not_learned_in_the_clear() -> None:
    """`admin:password` decoded: learning `password` and `admin` would mask those words
    wherever the log says them."""
    token = base64.b64encode(b"admin:password").decode()
    text = f"Authorization: Basic {token}\nInvalid password for admin\n"
    out = scrub(text)
    assert token not in out and out.endswith("\nInvalid password for admin\n")
