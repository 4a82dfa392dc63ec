"""The structures the blind round samples/blind-21 found leaks in, as classes: headerless
call-record tables (a PBX's call accounting, a dialler's campaign export) told by their
columns' values, contact exports' numbered headers (Google, Outlook), ejabberd's ACLs,
IMSIs written glued to `IMSI` and OpenBTS's subscriber registry, Bluetooth device names,
signal-cli's envelopes, WhatsApp's group events without a colon. Values are invented;
the shapes are the real excerpts'."""

from __future__ import annotations

import io

from logscrub import Scrubber

from .conftest import scrub_keyed

scrub = scrub_keyed

# Siemens HiPath call accounting: date|time|line|extension|ring|duration|dialled|...
SMDR = """\
22.12.06|16:11:20|2|1265||00:01:49|2583238||2||||5|
22.12.06|16:11:32|4|1917|00:19|00:02:22|80445374757||1|||||
22.12.06|16:12:06|7|1997|00:04|00:00:45|80444619957||1|||||
22.12.06|16:12:08|5|1217||00:02:57|5902394||2||||5|
22.12.06|16:12:54|6|1136||00:01:51|79094173355||2|||810|2|
22.12.06|16:12:57|2|1547|00:00|00:00:00|501||2||||5|
"""


def test_call_accounting_dialled_column_by_its_values() -> None:
    out = scrub(SMDR)
    for leaked in ("2583238", "5902394", "80445374757", "80444619957", "79094173355"):
        assert leaked not in out
    # What a call is followed by stays: date, time, line, extension, durations, codes.
    for kept in ("22.12.06|16:11:20|2|1265||00:01:49|", "|1917|00:19|00:02:22|", "|||810|2|"):
        assert kept in out
    assert len(out.splitlines()) == len(SMDR.splitlines())


# A dialler's campaign export: number, name, title, product, amount, due date, ..., answer.
CAMPAIGN = """\
379393547,Phạm Thành Nam,anh,Khoản vay tiền mặt,120000000,31/12/2019,,2019-07-22 16:44:37,ANSWERED,\
2019-07-22 16:44:44,2019-07-22 16:46:02,1 (xac_nhan_co)/1-2 (nhanh_2_2a)/,đúng rồi /ngày mai /
915808705,Trần Thế Trung,Anh,Khoản vay tiền mặt,50000000,12/31/2019,,2019-07-22 16:50:37,ANSWERED,\
2019-07-22 16:50:43,2019-07-22 16:51:51,1 (nhanh_co)/,anh đây /chưa có tiền /sẽ cố gắng /
941413690,Nguyễn Thị Kim Ngân,Chị,mua nhà,10000000,20/10/2019,,2019-07-22 17:00:25,ANSWERED,\
2019-07-22 17:00:34,2019-07-22 17:00:55,,
962541745,Nguyễn Văn Thịnh,Anh,mua nhà,10000000,6/12/2019,,2019-07-22 17:00:25,ANSWERED,\
2019-07-22 17:00:37,2019-07-22 17:00:58,Welcome ()/,không phải mình đây/
"""


def test_campaign_export_names_and_answers_by_their_columns() -> None:
    out = scrub(CAMPAIGN)
    for leaked in ("Phạm Thành Nam", "Trần Thế Trung", "Nguyễn Văn Thịnh", "chưa có tiền", "không phải mình"):
        assert leaked not in out
    # Columns of few values (a title, a product), amounts, states and times stay.
    for kept in (",Khoản vay tiền mặt,120000000,", ",mua nhà,10000000,", "1 (xac_nhan_co)/1-2 (nhanh_2_2a)/"):
        assert kept in out
    assert "2019-07-22 16:44:37,ANSWERED,2019-07-22 16:44:44" in out


def test_tables_of_counters_amounts_and_times_stay() -> None:
    # Sequence numbers, byte counts in thousands, Unix times: no column of parties.
    counters = "".join(
        f"{1000001 + i}|2026-03-04 10:0{i}:00|{1716632242 + 60 * i}|{(i + 1) * 250000}|OK|\n"
        for i in range(6)
    )
    assert scrub(counters) == counters


def test_a_table_split_across_blocks_keeps_its_columns() -> None:
    # Read in small pieces, with far more than a block's worth of lines before it, the
    # table is judged as a whole (the open table's kinds carry into the next block).
    filler = "".join(f"2026-03-04 10:00:{i % 60:02d} worker {i} idle\n" for i in range(6000))
    text = filler + SMDR * 40
    whole = scrub(text)
    scrubber = Scrubber(key=bytes(range(32)))
    out = io.BytesIO()

    class Trickle(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data, self.pos = data, 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
            chunk = self.data[self.pos : self.pos + min(len(buffer), 4093)]
            buffer[: len(chunk)] = chunk
            self.pos += len(chunk)
            return len(chunk)

    scrubber.scrub_stream(io.BufferedReader(Trickle(text.encode())), out)
    trickled = out.getvalue().decode()
    assert "2583238" not in trickled and "5902394" not in trickled
    assert trickled.count("|1265||00:01:49|") == whole.count("|1265||00:01:49|") == 40


GOOGLE_CONTACTS = (
    "Name,Given Name,Family Name,Group Membership,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,"
    "Phone 1 - Value,Phone 2 - Type,Phone 2 - Value,Address 1 - Type,Address 1 - City,Organization 1 - Name\n"
    "Asha Menon,Asha,Menon,* myContacts,* INTERNET,asha.menon@example.com,Mobile,82 81 864907,Work,"
    "+91 70 34 438685,Home,Tirur,Nirma Traders\n"
)


def test_contact_export_numbered_headers() -> None:
    out = scrub(GOOGLE_CONTACTS)
    for leaked in ("Asha", "Menon", "asha.menon", "82 81 864907", "+91 70 34 438685", "Tirur"):
        assert leaked not in out
    # The kinds of values and the company stay.
    assert ",* myContacts,* INTERNET," in out and ",Mobile," in out and ",Work," in out
    assert out.rstrip("\n").endswith(",Nirma Traders")


OUTLOOK_CONTACTS = (
    "First Name,Last Name,E-mail Address,E-mail 2 Address,Mobile Phone,Business Phone,Company\n"
    "Lena,Fischer,lena.fischer@example.org,lf@example.net,+49 151 23456789,+49 30 1234567,Acme GmbH\n"
)


def test_outlook_two_word_headers() -> None:
    out = scrub(OUTLOOK_CONTACTS)
    for leaked in ("Lena", "Fischer", "lena.fischer", "lf@example.net", "151 23456789", "30 1234567"):
        assert leaked not in out
    assert out.rstrip("\n").endswith(",Acme GmbH")


def test_ejabberd_acl_users() -> None:
    yaml_acl = 'acl:\n  admin:\n    user:\n      - "jkowalski": "jabber.example.at"\n  local:\n'
    out = scrub(yaml_acl + '    server:\n      - "jabber.example.at"\n      - "level": "info"\n')
    assert "jkowalski" not in out
    assert '"jabber.example.at"' in out and '- "level": "info"' in out
    assert "ekaterina" not in scrub('{acl, admin, {user, "ekaterina", "localhost"}}.\n')
    assert '"admin": "localhost"' in scrub('      - "admin": "localhost"\n')  # a generic account


def test_imsi_glued_and_subscriber_registry() -> None:
    line = 'nmcli.py sipauthserve subscribers create "nokia" IMSI001019876543210 6136061 ' + "A1" * 16 + "\n"
    out = scrub(line)
    assert "001019876543210" not in out and " 6136061 " not in out and "A1" * 16 not in out
    assert "subscribers create" in out and "IMSI" in out


def test_bluetooth_device_names() -> None:
    out = scrub(
        "[3]: F8:E5:CE:19:75:D3, RSSI -69 Chang\n"
        "[NEW] Device 30:BB:7D:8F:43:34 AlisaS Phone\n"
        "\t00:1A:7D:DA:71:13\tMarta's Headset\n"
        "[CHG] Device 30:BB:7D:8F:43:34 RSSI: -60\n"
        "[CHG] Device 30:BB:7D:8F:43:34 Connected: yes\n"
    )
    for leaked in ("Chang", "AlisaS", "Marta"):
        assert leaked not in out
    assert "RSSI: -60" in out and "Connected: yes" in out and "RSSI -69 " in out


def test_signal_cli_envelopes() -> None:
    out = scrub(
        "Envelope from: “Neuma” 88daf2ce-afe9-6342-c32d-6b3f6d389913 (device: 1) to +13130806347\n"
        "Mentions:\n- “Eddie” +13135550147: 0 (length: 1)\n"
        "Envelope from: “.” +353800679079 (device: 1) to +13130806347\n"
    )
    for leaked in ("Neuma", "88daf2ce-afe9-6342-c32d-6b3f6d389913", "Eddie", "3135550147", "353800679079"):
        assert leaked not in out
    assert "Envelope from: “.” +" in out and "(device: 1) to +" in out


def test_whatsapp_group_events_without_a_colon() -> None:
    out = scrub(
        '31/07/2020, 21:01 - Joy Wanjiru created group "Wasanii"\n'
        "31/07/2020, 21:01 - You were added\n"
        "31/07/2020, 21:02 - You added Ann Wambui\n"
        "06/10/2020, 17:00 - Lillian Ayoo: <Media omitted>\n"
    )
    for leaked in ("Joy Wanjiru", "Ann Wambui", "Lillian Ayoo"):
        assert leaked not in out
    assert 'created group "Wasanii"' in out and "You were added" in out and "- You added " in out
