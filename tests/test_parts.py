"""Logs in parts on several processes (`--jobs`, parts.py): the output does not depend on
the number of workers, no value survives because of a cut, and a part still sees the
header and the lines above it."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import logscrub
from logscrub import parts
from logscrub.errors import InputError
from logscrub.policy import Policy

from .conftest import KEY

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
# Real logs of the samples directory: SIP traces, logcat, iOS console, provisioning.
REAL = [
    SAMPLES / "linphone-sip-trace.log",
    SAMPLES / "pjsip-sip-trace.log",
    SAMPLES / "android-logcat-linphone.log",
    SAMPLES / "provisioning.log",
]


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts of a few kilobytes, so a test log of a hundred kilobytes has many."""
    monkeypatch.setattr(parts, "SPLIT_FROM", 16 << 10)
    monkeypatch.setattr(parts, "PART_BYTES", 8 << 10)
    monkeypatch.setattr(parts, "WARM_HEAD", 2 << 10)
    monkeypatch.setattr(parts, "WARM_BEFORE", 2 << 10)


def _scrub(sources: list[Path], out_dir: Path, jobs: int, policy: Policy | None = None) -> list[bytes]:
    out_dir.mkdir()
    pairs = [(src, out_dir / src.name) for src in sources]
    logscrub.Scrubber(policy, key=KEY).scrub_files(pairs, jobs=jobs)
    return [dst.read_bytes() for _, dst in pairs]


def _real_log(tmp_path: Path, name: str = "real.log") -> Path:
    path = tmp_path / name
    path.write_bytes(b"".join(p.read_bytes() for p in REAL))
    return path


def test_a_plan_cuts_at_line_starts_and_covers_the_file(tmp_path: Path, small_parts: None) -> None:
    log = _real_log(tmp_path)
    data = log.read_bytes()
    plan = parts.plan(0, log, "real.log")
    assert len(plan) >= 4 and len(plan) % parts.PARTS_MULTIPLE == 0
    assert plan[0].start == 0 and plan[-1].end == len(data)
    for before, after in itertools.pairwise(plan):
        assert before.end == after.start and data[after.start - 1 : after.start] == b"\n"


def test_what_is_not_split(tmp_path: Path, small_parts: None) -> None:
    small = tmp_path / "small.log"
    small.write_text("one line\n" * 100)
    wide = tmp_path / "wide.log"
    wide.write_bytes(("x=1\n" * 20_000).encode("utf-16"))  # UTF-16: not cut at byte offsets
    long_line = tmp_path / "long.log"
    long_line.write_text("a" * 100_000 + "\n")
    assert [len(parts.plan(0, p, p.name)) for p in (small, wide, long_line)] == [1, 1, 1]


def test_the_output_does_not_depend_on_the_number_of_workers(tmp_path: Path, small_parts: None) -> None:
    sources = [_real_log(tmp_path, "a.log"), *(SAMPLES / "other-apps").glob("*.log")][:6]
    one = _scrub(sources, tmp_path / "one", jobs=1)
    two = _scrub(sources, tmp_path / "two", jobs=2)
    three = _scrub(sources, tmp_path / "three", jobs=3)
    assert one == two == three
    assert all(
        len(o.splitlines()) == len(s.read_bytes().splitlines()) for o, s in zip(one, sources, strict=True)
    )


FILLER = "2026-12-01 10:00:{:02d}.{:03d} app: heartbeat ok seq={}\n"


def _filler(count: int, offset: int = 0) -> str:
    return "".join(FILLER.format(i % 60, i % 1000, offset + i) for i in range(count))


def test_values_cross_the_cuts_both_ways(tmp_path: Path, small_parts: None) -> None:
    # A user name is found with confidence only near the end (a key rule), an extension
    # only near the start; both occur bare in other parts.
    log = tmp_path / "cross.log"
    log.write_text(
        "2026-12-01 09:59:59.000 pbx: extension=10234 registered\n"
        + _filler(1500)
        + "2026-12-01 10:30:00.000 app: Auth info found for [walden.pike7] ext 10234\n"
        + _filler(1500, 2000)
        + "2026-12-01 11:00:00.000 app: config username=walden.pike7\n"
    )
    assert len(parts.plan(0, log, "cross.log")) > 4
    for jobs in (1, 2):
        (out,) = _scrub([log], tmp_path / f"j{jobs}", jobs)
        text = out.decode()
        assert "walden.pike7" not in text and "10234" not in text
        assert text.count("heartbeat ok") == 3000


def test_a_part_reads_the_header_of_its_table(tmp_path: Path, small_parts: None) -> None:
    # Only the header tells these columns hold accounts and passwords (without it, the
    # rows are left alone), and every row has its own, so none is found again elsewhere.
    rows = "".join(f"2026-03-04 09:00:{i % 60:02d},{i},kalo{i}mi,ren{i}sa,ANSWERED\n" for i in range(2000))
    log = tmp_path / "cdr.csv"
    log.write_text("start,duration,username,password,disposition\n" + rows)
    assert len(parts.plan(0, log, "cdr.csv")) > 4
    (out,) = _scrub([log], tmp_path / "out", jobs=2)
    text = out.decode()
    assert not re.search(r"kalo\d+mi|ren\d+sa", text) and text.count("ANSWERED") == 2000


def test_a_number_has_one_pseudonym_in_every_part(tmp_path: Path, small_parts: None) -> None:
    # Written nationally from the start; its international form (which tells its country)
    # only in the last part: every occurrence gets that form's pseudonym.
    national = "2026-12-01 10:00:00.000 app: sms to 0612345678 queued\n"
    log = tmp_path / "fr.log"
    log.write_text(
        national
        + _filler(1500)
        + national
        + _filler(1500, 2000)
        + national
        + "sip: From: <sip:+33612345678@sip.example.org>\n"
    )
    outputs = [_scrub([log], tmp_path / f"j{jobs}", jobs)[0].decode() for jobs in (1, 2)]
    assert outputs[0] == outputs[1]
    found = re.findall(r"sms to (\S+) queued", outputs[0])
    assert len(found) == 3 and len(set(found)) == 1 and "0612345678" not in found


def test_a_failing_part_fails_the_run_and_leaves_nothing(tmp_path: Path, small_parts: None) -> None:
    log = tmp_path / "nul.log"
    log.write_bytes((_filler(2000) + "binary \x00 here\n" + _filler(100)).encode())
    policy = Policy(binary="fail")
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        out.mkdir()
        with pytest.raises(InputError, match="binary input"):
            logscrub.Scrubber(policy, key=KEY).scrub_files([(log, out / "nul.log")], jobs=jobs)
        assert list(out.iterdir()) == []


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    part_kib=st.integers(min_value=1, max_value=24),
    jobs=st.integers(min_value=2, max_value=3),
    user=st.from_regex(r"[a-z]{4,8}\.[a-z]{3,6}[0-9]{1,3}", fullmatch=True),
)
def test_any_cut_any_workers_same_bytes_nothing_planted_survives(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    part_kib: int,
    jobs: int,
    user: str,
) -> None:
    monkeypatch.setattr(parts, "SPLIT_FROM", 4 << 10)
    monkeypatch.setattr(parts, "PART_BYTES", part_kib << 10)
    tmp = tmp_path_factory.mktemp("cut")
    log = tmp / "planted.log"
    log.write_text(
        f"2026-12-01 09:00:00.000 app: greeting {user}\n"
        + _filler(400)
        + f"2026-12-01 10:00:00.000 app: config username={user}\n"
        + _filler(400, 500)
        + f"2026-12-01 11:00:00.000 app: bye {user}\n"
    )
    one = _scrub([log], tmp / "one", 1)
    many = _scrub([log], tmp / "many", jobs)
    assert one == many
    assert user.encode() not in one[0]
    assert one[0].count(b"\n") == log.read_bytes().count(b"\n")


def test_threads_sharing_a_scrubber_get_what_one_run_alone_gets(tmp_path: Path, small_parts: None) -> None:
    from concurrent.futures import ThreadPoolExecutor

    logs = []
    for i in range(4):
        log = tmp_path / f"t{i}.log"
        log.write_text(
            f"2026-12-01 10:00:00.000 app: sms to 06{i}2345678 queued\n"
            + _filler(1500, i * 5000)
            + f"sip: From: <sip:+336{i}2345678@sip.example.org>\n"
        )
        logs.append(log)
    alone = []
    for log in logs:
        out = tmp_path / f"alone-{log.name}"
        logscrub.Scrubber(key=KEY).scrub_file(log, out)
        alone.append(out.read_bytes())
    shared = logscrub.Scrubber(key=KEY)

    def run(log: Path) -> bytes:
        out = tmp_path / f"shared-{log.name}"
        shared.scrub_file(log, out)
        return out.read_bytes()

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(run, logs)) == alone


def test_the_mapping_does_not_depend_on_the_number_of_workers(tmp_path: Path, small_parts: None) -> None:
    log = _real_log(tmp_path)
    tables = []
    for jobs in (1, 2):
        scrubber = logscrub.Scrubber(Policy(record_mapping=True), key=KEY)
        out = tmp_path / f"m{jobs}"
        out.mkdir()
        scrubber.scrub_files([(log, out / "real.log")], jobs=jobs)
        tables.append(sorted(scrubber.mapping().entries))
    assert tables[0] == tables[1] and len(tables[0]) > 20
    # Numbers written internationally and nationally both: every pseudonym written is there.
    phones = [original for entity, original, _ in tables[0] if entity == "PHONE_NUMBER"]
    assert any(p.startswith("+") for p in phones) and any(not p.startswith("+") for p in phones)


def test_a_bundles_text_members_are_learned_from_on_workers(tmp_path: Path, small_parts: None) -> None:
    import zipfile

    bundle = tmp_path / "send-logs.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        # The user name is found with confidence only in the last member; the first holds it bare.
        archive.writestr("app/a.log", "2026-12-01 10:30:00.000 app: Auth info found for [walden.pike7]\n")
        archive.writestr("app/big.log", _real_log(tmp_path).read_text(encoding="utf-8", errors="replace"))
        archive.writestr("app/z.log", "2026-12-01 11:00:00.000 app: config username=walden.pike7\n")
    outputs = []
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}.zip"
        logscrub.Scrubber(key=KEY).scrub_files([(bundle, out)], jobs=jobs)
        outputs.append(out.read_bytes())
        with zipfile.ZipFile(out) as archive:
            texts = {name: archive.read(name) for name in archive.namelist()}
        assert not any(b"walden.pike7" in data for data in texts.values())
    assert outputs[0] == outputs[1]


def test_a_bundles_text_members_are_read_by_the_rules_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Members are scrubbed while the bundle is learned from and then only copied into the
    output bundle, as logs are: the rules read each member's text once, not twice."""
    import zipfile

    from logscrub.engine import Engine

    log = _real_log(tmp_path).read_bytes()
    bundle = tmp_path / "send-logs.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("app/one.log", log)
        archive.writestr("app/two.log", log)
    scanned = [0]
    findings = Engine.findings

    def counting(self: Engine, text: str, *args: object, **kwargs: object) -> object:
        scanned[0] += len(text)
        return findings(self, text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Engine, "findings", counting)
    out = tmp_path / "out.zip"
    logscrub.Scrubber(key=KEY).scrub_files([(bundle, out)], jobs=1)
    members = 2 * len(log.decode("utf-8", "replace"))
    assert members <= scanned[0] < 1.05 * members  # (member names are read too)
    with zipfile.ZipFile(out) as archive:
        assert archive.read("app/one.log") == archive.read("app/two.log") != log


def test_what_a_later_input_teaches_reaches_into_a_bundles_members(tmp_path: Path) -> None:
    import zipfile

    bundle = tmp_path / "send-logs.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("app/a.log", "2026-12-01 10:30:00.000 app: Auth info found for [walden.pike7]\n")
    log = tmp_path / "server.log"
    log.write_text("2026-12-01 11:00:00.000 app: config username=walden.pike7\n", encoding="utf-8")
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        out.mkdir()
        logscrub.Scrubber(key=KEY).scrub_files(
            [(bundle, out / bundle.name), (log, out / log.name)], jobs=jobs
        )
        with zipfile.ZipFile(out / bundle.name) as archive:
            member = archive.read("app/a.log")
        assert b"walden.pike7" not in member and b"Auth info found for [" in member
        assert b"walden.pike7" not in (out / log.name).read_bytes()


def test_the_read_back_matcher_chosen_does_not_change_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from logscrub import learned

    log = tmp_path / "cross.log"
    log.write_text(
        "2026-12-01 09:59:59.000 app: Auth info found for [walden.pike7] from +14155550188\n"
        + _filler(3000)
        + "2026-12-01 11:00:00.000 app: config username=walden.pike7 phone=+14155550188\n"
        + _real_log(tmp_path, "real.log").read_text(encoding="utf-8", errors="replace")
    )
    outputs = []
    for scan_cost in (0.0, 1.0):  # the store's compiled matchers; an Aho-Corasick automaton
        monkeypatch.setattr(learned, "_AC_SCAN_COST", scan_cost)
        outputs.append(_scrub([log], tmp_path / f"o{scan_cost}", jobs=1)[0])
    assert outputs[0] == outputs[1] and b"walden.pike7" not in outputs[0]


def test_without_a_pool_the_parts_run_here_with_the_same_output(
    tmp_path: Path, small_parts: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing

    log = _real_log(tmp_path)
    expected = _scrub([log], tmp_path / "one", jobs=1)
    context = multiprocessing.get_context("fork")

    refused = []

    def no_pool(*args: object, **kwargs: object) -> None:
        refused.append(True)
        raise OSError(38, "Function not implemented")  # no /dev/shm for the pool's locks

    monkeypatch.setattr(type(context), "Pool", no_pool)
    assert _scrub([log], tmp_path / "two", jobs=2) == expected
    assert refused


def test_captures_are_read_on_workers_with_the_same_output(tmp_path: Path) -> None:
    """A run's captures learn and are written on the workers (capturejobs.py): every output,
    the logs' too, and the mapping are the same for any number of workers, and what one
    capture teaches is gone from the others and from the logs."""
    captures = sorted((SAMPLES / "captures").glob("*.pcap*"))
    assert len(captures) >= 8
    log = tmp_path / "client.log"
    # The caller's user name as the register-digest capture carries it, in a log line that
    # no rule reads: only what the captures taught can take it out.
    log.write_text(
        "2026-12-01 10:30:00.000 app: Auth info found for [jroe.mobile]\n"
        "2026-12-01 10:30:01.000 app: retrying in 5 s\n",
        encoding="utf-8",
    )
    sources = [*captures, log]
    outputs = []
    mappings = []
    for jobs in (1, 2, 3):
        out_dir = tmp_path / f"out{jobs}"
        out_dir.mkdir()
        scrubber = logscrub.Scrubber(Policy(record_mapping=True), key=KEY)
        scrubber.scrub_files([(src, out_dir / src.name) for src in sources], jobs=jobs)
        outputs.append([(out_dir / src.name).read_bytes() for src in sources])
        mappings.append(sorted(scrubber.mapping().entries))
    assert outputs[0] == outputs[1] == outputs[2]
    assert mappings[0] == mappings[1] == mappings[2]
    assert all(out != src.read_bytes() for out, src in zip(outputs[0], sources, strict=True))
    assert b"jroe.mobile" not in outputs[0][-1] and b"Auth info found for [" in outputs[0][-1]
