"""The structures the blind round samples/blind-27 found leaks or losses in, as classes:
the text of a message record under a short or foreign key (an SMS corpus's `<cont>`),
HTTP Basic credentials as libsoup logs them (user shown, password masked), a calendar
shared by another account in a CalDAV path, a token given in a sentence, the names Apple
devices take after their owner, a telephony product's default caller name, and the
placeholders and bots of a chat export. Values are invented; the shapes are the real
excerpts'."""

from __future__ import annotations

from .conftest import scrub_keyed

scrub = scrub_keyed


def test_the_text_of_a_message_record_under_a_short_key() -> None:
    out = scrub(
        '<?xml version="1.0" encoding="UTF-8"?><corpus><sms id="1"><date>16 sept. 2011 07:28:55</date>'
        "<tel_id>512</tel_id><cont>coucou tu viens diner chez margaux ce soir ?</cont></sms>\n"
        '<sms id="2"><date>16 sept. 2011 08:02:08</date><tel_id>512</tel_id>'
        "<cont>g pas vu l'heure, on se voit demain a la fac</cont></sms>\n"
    )
    for leaked in ("margaux", "diner chez", "on se voit demain"):
        assert leaked not in out
    assert "<date>16 sept. 2011 07:28:55</date><tel_id>512</tel_id><cont>" in out
    # A `cont` outside a message record is a count or a flag, and stays.
    assert scrub("<config><cont>3</cont><cont>yes</cont></config>\n") == (
        "<config><cont>3</cont><cont>yes</cont></config>\n"
    )


def test_basic_credentials_shown_decoded_with_the_password_masked() -> None:
    out = scrub(
        "> PROPFIND /remote.php/caldav/calendars/tamsin.o/defaultcalendar_shared_by_quillane/ HTTP/1.1\n"
        "> Soup-Debug-Timestamp: 1438002301\n"
        "> User-Agent: Evolution/3.12.11\n"
        "> Authorization: Basic [tamsin.o:***********]\n"
    )
    for leaked in ("tamsin.o", "quillane"):
        assert leaked not in out
    assert "> Authorization: Basic [" in out and ":***********]" in out
    assert "_shared_by_" in out and "User-Agent: Evolution/3.12.11" in out


def test_a_token_given_in_a_sentence() -> None:
    line = (
        "2021-10-21 18:25:53.692492 [NOTICE] mod_signalwire.c:379 Go to https://signalwire.com to set up"
        " your Connector now! Enter connection token 5d1c9e07-2b4a-4f3e-8c61-07a9b2d4e6f8\n"
    )
    out = scrub(line)
    assert "5d1c9e07-2b4a-4f3e-8c61-07a9b2d4e6f8" not in out
    assert "mod_signalwire.c:379 Go to https://signalwire.com" in out
    calm = "refresh token expired, requesting a new token TOKEN_REFRESH_REQUESTED\n"
    assert scrub(calm) == calm


def test_apple_device_names_wherever_they_stand() -> None:
    out = scrub(
        "2018-12-20 19:46:49.923 [info] <0.538.0>@ejabberd_c2s:process_terminated:267 (tcp|<0.538.0>)"
        " Closing c2s session for rhodri4@localhost/Rhodris-MacBook-Pro: Stream reset by peer\n"
        "bonjour: registered Ysoldes-iPhone-2 on en0\n"
    )
    for leaked in ("Rhodris", "Ysoldes"):
        assert leaked not in out
    assert ": Stream reset by peer" in out
    assert scrub("Model: Apple-iPhone-13 iOS 17\n") == "Model: Apple-iPhone-13 iOS 17\n"


def test_a_products_default_caller_name_stays_in_a_cdr() -> None:
    out = scrub(
        '"FreeSWITCH User","1017","3500","default","2016-02-16 03:46:41","2016-02-16 03:46:41",'
        '"2016-02-16 03:48:58","137","137","RECOVERY_ON_TIMER_EXPIRE","4824c308-0099-971d-1890-157b0d8308f3",'
        '"","1017","opus","opus"\n'
        '"Ottoline Brack","1023","3500","default","2016-02-16 03:45:59","2016-02-16 03:45:59",'
        '"2016-02-16 03:49:03","184","184","RECOVERY_ON_TIMER_EXPIRE","de59f263-d679-67f2-e1e8-f49a70ef2509",'
        '"","1023","opus","opus"\n'
    )
    assert '"FreeSWITCH User"' in out and "Ottoline" not in out and "Brack" not in out


def test_a_chat_exports_placeholders_and_bots_stay() -> None:
    out = scrub(
        "September 21, 2022, 5:21 PM, 윤서하 : Emoticons\n"
        "September 21, 2022, 6:07 PM, 윤서하 : Photo\n"
        "September 21, 2022, 10:00 PM, 알림봇 : 오늘 일정은 없습니다\n"
        "September 22, 2022, 4:30 PM, 윤서하 : 내일 학원 끝나고 만나자\n"
        "September 22, 2022, 4:31 PM, Abbot Grey : see you at the gate\n"
    )
    for leaked in ("윤서하", "내일 학원", "Abbot Grey", "see you at the gate"):
        assert leaked not in out
    assert " : Emoticons\n" in out and " : Photo\n" in out
    assert ", 알림봇 : 오늘 일정은 없습니다\n" in out
