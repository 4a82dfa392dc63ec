"""The command line: typer options -> Policy -> the library API; errors -> exit codes.

Exit codes: 0 ok, 1 findings (check mode, later), 2 usage or input error, 3 unexpected,
130 interrupted. Every error is one line on stderr naming the file and the problem.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, BinaryIO, NoReturn

import typer
import typer.core

from . import __version__, checkformat, rulesdoc
from .allowlist import DEFAULT_PATH as DEFAULT_ALLOWLIST
from .allowlist import Allowlist, repository_salt
from .api import Scrubber
from .atomic import atomic_output
from .checking import ALLOW_MARKER, CheckFinding, digest
from .errors import InputError, LogscrubError, RuleTimeoutError
from .explain import render
from .inputs import STDIN, Filters, Input, expand
from .known import KnownValues, load_known
from .model import Entity, Finding, Operator, Stats
from .parts import default_jobs
from .policy import KEY_ENV, Policy, load_key, read_key_file
from .report import FileReport, Report
from .rulepack import describe, load_pack
from .run import kind_of
from .sniff import HEAD, TEXT, InputKind, sniff

# typer shows each parameter's Python type in help (`<list[str]>`, `<bool>`); the metavars
# (FILE, DIR, PATTERN) say what a value is, so the types are left out.
for _parameter in (typer.core.TyperArgument, typer.core.TyperOption):
    if hasattr(_parameter, "display_type"):
        _parameter.display_type = lambda self, ctx: ""  # type: ignore[method-assign]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNEXPECTED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
# Inputs from this size (about two seconds of work) get a progress bar on a terminal.
PROGRESS_FROM = 16 << 20

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,  # help as plain text: brackets in help are text, not markup
    no_args_is_help=True,
    help="Remove personal data and credentials from VoIP / UC debug logs.",
    context_settings={"help_option_names": ["-h", "--help"]},
)
rules_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="List and check rule packs.")
app.add_typer(rules_app, name="rules")
mapping_app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Read an encrypted pseudonym mapping (for the data owner).",
)
app.add_typer(mapping_app, name="mapping")


class UsageError(LogscrubError):
    """A bad combination of options (exit 2)."""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"logscrub {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """logscrub: scrub troubleshooting material before it reaches support engineers."""


RulesOpt = Annotated[
    list[Path] | None,
    typer.Option("--rules", "-r", metavar="FILE", help="Extra rule pack (YAML); repeatable."),
]
KnownOpt = Annotated[
    Path | None,
    typer.Option(
        "--known",
        metavar="FILE",
        help="YAML of values known to be personal (entity: [values]); removed in every spelling.",
    ),
]
RegionOpt = Annotated[
    str | None,
    typer.Option(
        "--region",
        metavar="CODE",
        help="Country of numbers written nationally (ISO code, e.g. US, GB); policy default_region.",
    ),
]


def _build_policy(
    policy_file: Path | None,
    key_file: Path | None,
    record_mapping: bool = False,
    keep_media: bool = False,
    region: str | None = None,
    salvage: bool = False,
) -> Policy:
    policy = Policy(record_mapping=record_mapping, keep_media=keep_media, salvage_captures=salvage)
    key = _explicit_key(key_file)
    if key is not None:
        policy = policy.with_key(key)
    if policy_file is not None:
        policy = Policy.from_file(policy_file, base=policy)
    if region is not None:
        policy = Policy.from_mapping({"default_region": region}, "--region", policy)
    return policy


def _plan_outputs(
    inputs: list[Input], output: Path | None, out_dir: Path | None, in_place: bool
) -> list[str]:
    """Where each input goes; '-' means stdout. Under --out-dir the structure of a
    directory input is mirrored (`logs/a/b.log` -> `DIR/logs/a/b.log`)."""
    if (output is not None) + (out_dir is not None) + in_place > 1:
        raise UsageError("choose only one of -o/--output, --out-dir and --in-place")
    paths = [i.path for i in inputs]
    if in_place:
        if STDIN in paths:
            raise UsageError("--in-place cannot be used with stdin ('-')")
        return paths
    if out_dir is not None:
        if out_dir.exists() and not out_dir.is_dir():
            raise InputError(f"{out_dir}: not a directory")
        if STDIN in paths:
            raise UsageError("stdin ('-') cannot be written to --out-dir; use -o")
        destinations = [str(out_dir / i.relative) for i in inputs]
        _refuse_clashes(destinations, "")
        return destinations
    if len(inputs) > 1 or any(i.from_directory for i in inputs):
        raise UsageError("several inputs (or a directory) need --out-dir or --in-place")
    return [str(output) if output is not None else STDIN]


def _refuse_clashes(destinations: list[str], hint: str) -> None:
    clashes = [d for d, count in Counter(destinations).items() if count > 1]
    if clashes:
        raise UsageError(f"two inputs would both be written to {clashes[0]}{hint}")


def _input_kind(path: str) -> InputKind:
    """What an input holds, from its first bytes (stdin is peeked, not consumed)."""
    if path == "-":
        stdin = sys.stdin.buffer
        peek = getattr(stdin, "peek", None)  # a BufferedReader's; a replaced stdin may lack it
        return sniff(peek(HEAD)[:HEAD]) if peek is not None else TEXT
    return kind_of(Path(path))


def _refuse_binary_on_terminal(path: str) -> None:
    """A capture or a bundle written to a terminal is noise at best and terminal escape
    sequences at worst."""
    kind = _input_kind(path)
    if not kind.is_text:
        raise UsageError(
            f"{path}: the scrubbed {kind.format} {kind.reader} is binary; not written to a terminal "
            "(use -o FILE or redirect the output)"
        )


def _known(path: Path | None) -> KnownValues | None:
    return load_known(path) if path is not None else None


def _scrubbed_names(scrubber: Scrubber, destinations: list[str], out_dir: Path) -> list[str]:
    """The --out-dir destinations with what their names hold replaced, directory names
    included (`jane.roe@example.com/call.log` is written as `user-....@.../call.log`)."""
    scrubbed = []
    for destination in destinations:
        below = Path(destination).relative_to(out_dir)
        scrubbed.append(str(out_dir.joinpath(*(scrubber.scrub_name(part) for part in below.parts))))
    _refuse_clashes(scrubbed, " (their scrubbed names); try --keep-names")
    return scrubbed


IncludeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--include",
        metavar="PATTERN",
        help="Only files matching this gitignore-style pattern (repeatable), named or found in a directory.",
    ),
]
ExcludeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude",
        metavar="PATTERN",
        help="Leave out files matching this gitignore-style pattern (repeatable).",
    ),
]


def _inputs(
    paths: list[str], include: list[str] | None, exclude: list[str] | None, skip: Path | None = None
) -> list[Input]:
    """The files `paths` name (directories walked, see inputs.py); none at all is an error."""
    found = expand(paths, Filters(include or (), exclude or ()), skip)
    if not found:
        raise UsageError(f"no input files in {' '.join(paths)} (after --include/--exclude and .gitignore)")
    if sum(i.path == STDIN for i in found) > 1:
        raise UsageError("stdin ('-') can be read only once")
    return found


def _scrub_run(scrubber: Scrubber, paths: list[str], destinations: list[str], jobs: int = 1) -> Report:
    """Scrub every input as one run (a value found in one is replaced in all); stdin is
    read once, as a stream."""
    if paths == ["-"]:
        started = time.monotonic()
        run = scrubber.report()
        if destinations == ["-"]:
            stats = scrubber.scrub_stream(sys.stdin.buffer, sys.stdout.buffer, "<stdin>")
        else:
            with atomic_output(Path(destinations[0])) as out:
                stats = scrubber.scrub_stream(sys.stdin.buffer, out, "<stdin>")
        run.files.append(FileReport("-", destinations[0], stats))
        run.duration_seconds = time.monotonic() - started
        return run
    pairs: list[tuple[str, str | BinaryIO]] = [
        (src, sys.stdout.buffer if dst == "-" else dst) for src, dst in zip(paths, destinations, strict=True)
    ]
    with _progress_bar(paths) as progress:
        return scrubber.scrub_files(pairs, progress=progress, jobs=jobs)


@contextlib.contextmanager
def _progress_bar(paths: list[str]) -> Iterator[Callable[[int], None] | None]:
    """A progress bar with throughput (rich's, which typer uses) on stderr when it is a
    terminal and the inputs are big enough to wait for; yields what to tell the bytes
    read, or None (no bar)."""
    size = sum(Path(p).stat().st_size for p in paths if p != STDIN)
    if not sys.stderr.isatty() or size < PROGRESS_FROM:
        yield None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn, TransferSpeedColumn

    columns = (BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn())
    with Progress("{task.description}", *columns, console=_stderr_console(), transient=True) as bar:
        name = Path(paths[0]).name if len(paths) == 1 else f"{len(paths)} files"
        task = bar.add_task(name, total=size)
        yield lambda count: bar.advance(task, count)


def _stderr_width() -> int:
    """The width of the terminal on stderr; else $COLUMNS; else 80."""
    if sys.stderr.isatty():
        with contextlib.suppress(OSError):
            return os.get_terminal_size(sys.stderr.fileno()).columns
    return shutil.get_terminal_size((80, 24)).columns if os.environ.get("COLUMNS") else 80


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def _summary(files: int, total: Stats, seconds: float) -> str:
    mb = total.bytes_in / 1e6
    parts = (
        ", ".join(f"{entity} {count}" for entity, count in sorted(total.by_entity.items())) or "nothing found"
    )
    packets = f", {total.packets} packets" if total.packets else ""
    line = f"logscrub: {files} file(s), {mb:.2f} MB{packets} in {seconds:.2f}s:"
    line += f" {total.replaced} replaced ({parts})"
    if total.warnings:
        line += "\nlogscrub: warning: " + "; ".join(total.warnings)
    return line


@app.command()
def scrub(
    paths: Annotated[
        list[str], typer.Argument(help="Files and directories; '-' reads stdin.", metavar="PATH")
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Output file ('-' for stdout).")
    ] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out-dir", metavar="DIR", help="Write each output into DIR.")
    ] = None,
    in_place: Annotated[
        bool, typer.Option("--in-place", help="Replace the inputs with their scrubbed form.")
    ] = False,
    rules: RulesOpt = None,
    policy_file: Annotated[
        Path | None, typer.Option("--policy", metavar="FILE", help="Policy file (YAML).")
    ] = None,
    region: RegionOpt = None,
    known_file: KnownOpt = None,
    key_file: Annotated[
        Path | None,
        typer.Option(
            "--key-file", metavar="FILE", help=f"Pseudonym key file (else ${KEY_ENV}, else random per run)."
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option("--report", metavar="FILE", help="Write a JSON report (counts, never values)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary on stderr.")] = False,
    mapping_file: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            metavar="FILE",
            help="Write the original -> pseudonym table, encrypted to --mapping-key.",
        ),
    ] = None,
    mapping_key: Annotated[
        Path | None,
        typer.Option(
            "--mapping-key",
            metavar="FILE",
            help="The data owner's public key (from `logscrub keygen --owner`).",
        ),
    ] = None,
    keep_media: Annotated[
        bool,
        typer.Option(
            "--keep-media", help="Captures: keep RTP payloads (voice, video, DTMF); blanked by default."
        ),
    ] = False,
    salvage: Annotated[
        bool,
        typer.Option(
            "--salvage",
            help="Captures cut short or corrupt: scrub the intact packets, drop the rest and warn "
            "(refused by default).",
        ),
    ] = False,
    keep_names: Annotated[
        bool,
        typer.Option(
            "--keep-names",
            help="Keep file names as they are under --out-dir and in the report (scrubbed by default).",
        ),
    ] = False,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            metavar="N",
            min=0,
            help="Worker processes for logs (0, the default: one per core). Logs of 16 MiB or more are cut"
            " into parts; the output is the same for any N.",
        ),
    ] = 0,
) -> None:
    """Scrub logs and captures (pcap, pcapng: told by content): replace phone numbers,
    emails, names, credentials, tokens, addresses..."""
    started = time.monotonic()
    inputs = _inputs(paths, include, exclude, skip=out_dir)
    destinations = _plan_outputs(inputs, output, out_dir, in_place)
    sources = [i.path for i in inputs]
    recipient = _mapping_recipient(mapping_file, mapping_key)
    policy = _build_policy(policy_file, key_file, recipient is not None, keep_media, region, salvage)
    scrubber = Scrubber(policy, rules=rules or [], known=_known(known_file))
    if out_dir is not None:
        if not keep_names:
            destinations = _scrubbed_names(scrubber, destinations, out_dir)
        _make_directories({Path(d).parent for d in destinations})
    if destinations == [STDIN] and sys.stdout.isatty():
        _refuse_binary_on_terminal(sources[0])
    run = _scrub_run(scrubber, sources, destinations, jobs or default_jobs())
    shows_names = report is not None or (not quiet and (len(run.files) > 1 or run.totals.members))
    if shows_names and not keep_names:
        # The report and the table on stderr name files as they were written.
        run.files = [
            dataclasses.replace(f, path=scrubber.scrub_name(f.path), output=scrubber.scrub_name(f.output))
            for f in run.files
        ]
    seconds = time.monotonic() - started
    run.duration_seconds = seconds
    total = run.totals
    if mapping_file is not None and recipient is not None:
        from . import mapping

        table = scrubber.mapping()
        with atomic_output(mapping_file, private=True) as out:
            out.write(mapping.encrypt(table.entries, recipient, table.complete))
        if not table.complete:
            total.warnings.append(f"mapping holds the first {len(table.entries)} values only")
    if report is not None:
        with atomic_output(report) as out:
            out.write(run.to_json().encode("utf-8"))
    if not quiet:
        typer.echo(_summary(len(sources), total, seconds), err=True)
        if len(run.files) > 1 or total.members:
            typer.echo(run.table(_stderr_width()), err=True, nl=False)


def _make_directories(directories: set[Path]) -> None:
    for directory in sorted(directories):
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(
                f"{directory}: cannot create the output directory: {exc.strerror or exc}"
            ) from None


@app.command()
def bulk(
    sources: Annotated[
        list[str],
        typer.Argument(help="Files, directories and glob patterns ('logs/**/*.log').", metavar="SOURCE"),
    ],
    dest: Annotated[
        str,
        typer.Option(
            "--dest",
            metavar="TEMPLATE",
            help="Where each output goes: {relpath}, {parent}, {name}, {stem}, {suffix} of the input "
            "(e.g. 'clean/{relpath}').",
        ),
    ],
    key_env: Annotated[
        str | None,
        typer.Option(
            "--key-env", metavar="NAME", help="The environment variable each worker reads the key from."
        ),
    ] = None,
    key_file: Annotated[
        Path | None, typer.Option("--key-file", metavar="FILE", help="The key file each worker reads.")
    ] = None,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            metavar="ENGINE",
            help="Where the work runs: local (processes here), dask (the extra logscrub[dask]) or spark"
            " (logscrub[spark]).",
        ),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDR",
            help="With --engine dask: a running scheduler (tcp://host:8786); with spark: the master"
            " (spark://host:7077, yarn); else a local cluster of --jobs workers.",
        ),
    ] = None,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", metavar="N", min=0, help="Local worker processes (0, the default: one per core)."
        ),
    ] = 0,
    rules: RulesOpt = None,
    policy_file: Annotated[
        Path | None, typer.Option("--policy", metavar="FILE", help="Policy file (YAML).")
    ] = None,
    report: Annotated[
        Path | None, typer.Option("--report", metavar="FILE", help="Write a JSON summary (counts, failures).")
    ] = None,
    results: Annotated[
        Path | None,
        typer.Option("--results", metavar="FILE", help="Write one JSON result row per file (JSON lines)."),
    ] = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
) -> None:
    """Scrub many files, each on its own, on worker processes that share only a key.

    Each worker reads the key itself (--key-env or --key-file: the key is never passed
    around) and every result row carries its key id; the job fails when a worker has no
    key or the workers disagree. Exit 0 when every file was scrubbed, 1 when some failed
    (listed), 2 on a usage or key error. Unlike `scrub FILE...`, a value found in one file
    is not carried to the others: each file is a run of its own, so the outputs do not
    depend on how files are spread over workers."""
    from . import bulk as bulking
    from . import bulkjob

    if engine not in bulkjob.ENGINES:
        raise UsageError(f"--engine {engine}: one of {', '.join(bulkjob.ENGINES)}")
    if (key_env is None) == (key_file is None):
        raise UsageError(
            "give the key as --key-env NAME or --key-file FILE (a random key would not correlate)"
        )
    key = bulking.KeyRef(env=key_env, file=str(key_file) if key_file is not None else None)
    client = None
    if engine == "dask" and scheduler is not None:
        try:
            from distributed import Client
        except ImportError:
            raise UsageError("--engine dask needs the extra: pip install 'logscrub[dask]'") from None
        client = Client(scheduler)  # type: ignore[no-untyped-call]
    try:
        done = bulkjob.run(
            sources,
            dest,
            key,
            engine,
            client=client,
            master=scheduler if engine == "spark" else None,
            jobs=jobs,
            policy_file=str(policy_file) if policy_file is not None else None,
            rules=tuple(str(r) for r in rules or ()),
            filters=Filters(include or (), exclude or ()),
        )
    except bulkjob.NoInputs as exc:
        raise UsageError(str(exc)) from None
    bad = done.failed
    if results is not None:
        with atomic_output(results) as out:
            out.write("".join(json.dumps(row.to_dict(), sort_keys=True) + "\n" for row in done.rows).encode())
    if report is not None:
        with atomic_output(report) as out:
            out.write((json.dumps(done.summary(), indent=2) + "\n").encode())
    for row in bad:
        typer.echo(f"logscrub: failed: {row.path}: {row.error}", err=True)
    replaced = sum(r.replaced for r in done.rows)
    typer.echo(
        f"logscrub: {len(done.rows) - len(bad)} of {len(done.rows)} file(s) scrubbed in"
        f" {done.duration_seconds:.2f}s ({replaced} replaced; key id {done.key_id})",
        err=True,
    )
    if bad:
        raise typer.Exit(EXIT_FINDINGS)


def _mapping_recipient(mapping_file: Path | None, mapping_key: Path | None) -> Any:
    if (mapping_file is None) != (mapping_key is None):
        raise UsageError("--mapping and --mapping-key go together")
    if mapping_key is None:
        return None
    from . import mapping  # imports `cryptography`: only for the runs that need it

    return mapping.load_public_key(_read(mapping_key), str(mapping_key))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


@app.command()
def keygen(
    path: Annotated[
        Path | None, typer.Argument(help="Where to write a new pseudonym key (hex, owner-only permissions).")
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            metavar="NAME",
            help="Instead, write a data owner's key pair NAME.key (private) and NAME.pub.",
        ),
    ] = None,
) -> None:
    """Make a pseudonym key file, or a data owner's key pair for encrypted mappings."""
    from . import mapping  # imports `cryptography`: only for the commands that need it

    if (path is None) == (owner is None):
        raise UsageError("give either a key file path or --owner NAME")
    if path is not None:
        mapping.write_private(path, os.urandom(32).hex().encode() + b"\n")
        typer.echo(f"wrote a new pseudonym key to {path} (keep it secret; use it with --key-file)", err=True)
        return
    private_pem, public_pem = mapping.generate_owner_keys()
    private_path, public_path = Path(f"{owner}.key"), Path(f"{owner}.pub")
    if public_path.exists():
        raise InputError(f"{public_path}: already exists; not overwritten")
    mapping.write_private(private_path, private_pem)
    public_path.write_bytes(public_pem)
    typer.echo(
        f"wrote {private_path} (private: only the data owner keeps it) and {public_path} "
        "(give it to whoever scrubs, for --mapping-key)",
        err=True,
    )


@mapping_app.command("show")
def mapping_show(
    path: Annotated[Path, typer.Argument(help="An encrypted mapping file (from scrub --mapping).")],
    owner_key: Annotated[Path, typer.Option("--owner-key", help="The data owner's private key (NAME.key).")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of tab-separated lines.")] = False,
) -> None:
    """Print entity, original and pseudonym per line (for the data owner's eyes only)."""
    from . import mapping  # imports `cryptography`: only for the commands that need it

    private = mapping.load_private_key(_read(owner_key), str(owner_key))
    table = mapping.decrypt(_read(path), private, str(path))
    if as_json:
        typer.echo(json.dumps({"complete": table.complete, "entries": table.entries}, ensure_ascii=False))
        return
    for entity, original, pseudonym in table.entries:
        typer.echo(f"{entity}\t{original}\t{pseudonym}")
    if not table.complete:
        typer.echo("logscrub: the mapping is incomplete (its run had more values than it holds)", err=True)


@app.command()
def explain(
    paths: Annotated[
        list[str], typer.Argument(help="Logs and directories; '-' reads stdin.", metavar="PATH")
    ],
    rules: RulesOpt = None,
    policy_file: Annotated[
        Path | None, typer.Option("--policy", metavar="FILE", help="Policy file (YAML).")
    ] = None,
    region: RegionOpt = None,
    known_file: KnownOpt = None,
    all_lines: Annotated[bool, typer.Option("--all", help="Also print lines with no finding.")] = False,
    show_values: Annotated[
        bool | None,
        typer.Option(
            "--show-values/--hide-values",
            help="Show the found values (default: only when writing to a terminal).",
        ),
    ] = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
) -> None:
    """Show every finding of a log, line by line: entity, rule id and what the policy does.

    Several logs are shown one after the other, each under a `==> PATH <==` line;
    captures and bundles found in a directory are skipped (`check` lists their findings)."""
    inputs = _inputs(paths, include, exclude)
    logs = []
    for item in inputs:
        kind = _input_kind(item.path)
        if kind.is_text:
            logs.append(item.path)
        elif not item.from_directory:
            raise UsageError(
                f"{item.path}: explain reads logs, this is a {kind.format} {kind.reader}; `logscrub check` "
                "lists its findings per packet or member"
            )
    scrubber = Scrubber(
        _build_policy(policy_file, None, region=region), rules=rules or [], known=_known(known_file)
    )
    terminal = sys.stdout.isatty()
    show = terminal if show_values is None else show_values
    color = terminal and not os.environ.get("NO_COLOR")
    lines = found = 0
    for path in logs:
        if len(inputs) > 1:
            typer.echo(f"==> {path} <==")
        source = sys.stdin.buffer if path == STDIN else open(path, "rb")  # noqa: SIM115 - closed below
        with source:
            for line in scrubber.explain(source):
                if line.findings or all_lines:
                    for row in render(line, show_values=show, color=color):
                        typer.echo(row)
                lines += bool(line.findings)
                found += len(line.findings)
    where = inputs[0].path if len(inputs) == 1 else f"{len(logs)} log(s)"
    skipped = len(inputs) - len(logs)
    also = f"; {skipped} capture(s) or bundle(s) skipped (see `logscrub check`)" if skipped else ""
    typer.echo(f"logscrub: {found} finding(s) on {lines} line(s) of {where}{also}", err=True)


@rules_app.command("list")
def rules_list(rules: RulesOpt = None) -> None:
    """List the rules in use (built-in packs plus --rules packs)."""
    scrubber = Scrubber(rules=rules or [])
    for row in describe(scrubber.rules):
        typer.echo(f"{row['id']:32s} {row['entity']:14s} {row['kind']:8s} {Path(row['source']).name}")


@rules_app.command("doc")
def rules_doc(rules: RulesOpt = None) -> None:
    """Print the rules reference (Markdown) for the rules in use; docs/RULES.md is this."""
    scrubber = Scrubber(rules=rules or [])
    typer.echo(rulesdoc.render(scrubber.packs, scrubber.policy), nl=False)


@rules_app.command("check")
def rules_check(files: Annotated[list[Path], typer.Argument(help="Rule packs to validate.")]) -> None:
    """Validate rule packs; exit 2 naming the file, rule and problem if one is bad."""
    for path in files:
        pack = load_pack(path)
        Scrubber(rules=[pack])  # also compiles it alongside the built-in packs (duplicate ids)
        typer.echo(f"{path}: ok ({len(pack.rules)} rules)")


def _explicit_key(key_file: Path | None) -> bytes | None:
    """The pseudonym key the user gave (key file, else LOGSCRUB_KEY), or None."""
    if key_file is not None:
        return read_key_file(key_file)
    if os.environ.get(KEY_ENV):
        return load_key(os.environ[KEY_ENV].encode(), KEY_ENV)
    return None


def _entities(names: str | None) -> frozenset[str] | None:
    if names is None:
        return None
    chosen = frozenset(n.strip().upper() for n in names.split(",") if n.strip())
    unknown = sorted(chosen - set(Entity.__members__))
    if unknown:
        raise UsageError(f"--fail-on: unknown entity {unknown[0]} (one of {', '.join(Entity.__members__)})")
    return chosen


AllowOpt = Annotated[
    Path,
    typer.Option(
        "--allowlist", metavar="FILE", help="Accepted findings (rule + keyed digest); used when it exists."
    ),
]
KeyOpt = Annotated[
    Path | None,
    typer.Option(
        "--key-file",
        metavar="FILE",
        help=f"Key for the digests (else ${KEY_ENV}, the allowlist's salt, or the git repository's).",
    ),
]


def _collect(scrubber: Scrubber, paths: list[str], key: bytes) -> Iterator[CheckFinding]:
    """The findings of `paths`; `-` is stdin, spooled to a private temporary file (a run
    reads each input twice: once to learn, once to check) and reported as `-`."""
    with _spooled_stdin(paths) as (files, spool), _progress_bar(files) as progress:
        for found in scrubber.iter_check(files, digest_key=key, progress=progress):
            yield dataclasses.replace(found, path=STDIN) if found.path == str(spool) else found


@contextlib.contextmanager
def _findings_output(output: Path | None) -> Iterator[BinaryIO]:
    """Where check writes its findings: a file written atomically, or stdout."""
    if output is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with atomic_output(output) as out:
        yield out


def _check_digest_key(key: bytes | None, accepted: Allowlist | None, allowlist: Path) -> bytes:
    """What check's digests (and SARIF fingerprints) are keyed with, stable where it can
    be: the allowlist's own key or salt, else the key given, else a salt of the git
    repository (see allowlist.repository_salt), else random for this run."""
    if accepted is not None:
        return accepted.digest_key(key, allowlist)
    return key or repository_salt(Path.cwd()) or os.urandom(32)


@app.command()
def check(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Logs, captures, bundles and directories to check; '-' reads stdin.", metavar="PATH"
        ),
    ],
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on", metavar="ENTITIES", help="Only these entities fail the check (comma-separated)."
        ),
    ] = None,
    min_count: Annotated[
        int, typer.Option("--min-count", metavar="N", min=1, help="Fail only from this many findings.")
    ] = 1,
    output_format: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help="text, json or sarif.")
    ] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write the findings here.")
    ] = None,
    allowlist: AllowOpt = DEFAULT_ALLOWLIST,
    key_file: KeyOpt = None,
    rules: RulesOpt = None,
    policy_file: Annotated[
        Path | None, typer.Option("--policy", metavar="FILE", help="Policy file (YAML).")
    ] = None,
    region: RegionOpt = None,
    known_file: KnownOpt = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="With --fail-on: print the other findings too.")
    ] = False,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
) -> None:
    """Report what scrubbing would replace, without writing; exit 1 when it fails the check.

    Each finding is one line `path:line:col ENTITY rule-id digest=...` (captures:
    `path#packet ...`); the digest is keyed, the value is never printed."""
    if output_format not in checkformat.FORMATS:
        raise UsageError(f"--format must be one of {', '.join(checkformat.FORMATS)}")
    failing_entities = _entities(fail_on)
    sources = [i.path for i in _inputs(paths, include, exclude)]
    key = _explicit_key(key_file)
    accepted = Allowlist.load(allowlist) if allowlist.exists() else None
    digest_key = _check_digest_key(key, accepted, allowlist)
    scrubber = Scrubber(
        _build_policy(policy_file, key_file, region=region), rules=rules or [], known=_known(known_file)
    )
    # Captures scrub wrote and nobody changed since pass (see capture/seal.py): told here,
    # counted, and not given to the run (which would verify their seals again).
    sealed = {source for source in sources if source != STDIN and scrubber.sealed(source)}
    counts: Counter[str] = Counter()
    allowed = 0

    def shown(findings: Iterator[CheckFinding]) -> Iterator[CheckFinding]:
        """The findings not in the allowlist, counted; printed are the failing ones
        (with --fail-on, the others too only with --verbose)."""
        nonlocal allowed
        for f in findings:
            if accepted is not None and accepted.allows(f):
                allowed += 1
                continue
            counts[f.entity] += 1
            if verbose or failing_entities is None or f.entity in failing_entities:
                yield f

    found = shown(_collect(scrubber, [s for s in sources if s not in sealed], digest_key))
    if output_format == "text":
        # Written as found: the findings of a big log are never all held at once.
        with _findings_output(output) as out:
            for f in found:
                out.write(checkformat.text([f]).encode("utf-8"))
    else:
        findings = list(found)  # JSON and SARIF documents are written whole
    failing = sum(n for entity, n in counts.items() if failing_entities is None or entity in failing_entities)
    failed = failing >= min_count
    if output_format != "text":
        if output_format == "json":
            document = checkformat.as_json(findings, failed)
        else:
            document = checkformat.sarif(findings, {r.id: r.description for r in scrubber.rules})
        with _findings_output(output) as out:
            out.write(document.encode("utf-8"))
    summary = ", ".join(f"{entity} {count}" for entity, count in sorted(counts.items())) or "nothing found"
    verdict = "fails" if failed else "passes"
    suppressed = f"; {allowed} allowed by {allowlist}" if allowed else ""
    suppressed += f"; {len(sealed)} capture(s) sealed by logscrub passed" if sealed else ""
    typer.echo(
        f"logscrub: {len(sources)} file(s): {sum(counts.values())} finding(s) ({summary}){suppressed};"
        f" the check {verdict}",
        err=True,
    )
    if failed:
        raise typer.Exit(EXIT_FINDINGS)


@app.command()
def allow(
    paths: Annotated[
        list[str],
        typer.Argument(help="Logs, captures and directories whose findings to accept.", metavar="PATH"),
    ],
    allowlist: AllowOpt = DEFAULT_ALLOWLIST,
    key_file: KeyOpt = None,
    rules: RulesOpt = None,
    policy_file: Annotated[
        Path | None, typer.Option("--policy", metavar="FILE", help="Policy file (YAML).")
    ] = None,
    region: RegionOpt = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
) -> None:
    """Accept the current findings of PATH...: write or update the allowlist (rule ids and
    keyed digests only; `check` then ignores them)."""
    key = _explicit_key(key_file)
    accepted = Allowlist.load(allowlist) if allowlist.exists() else Allowlist.new(key)
    digest_key = accepted.digest_key(key, allowlist)
    scrubber = Scrubber(_build_policy(policy_file, key_file, region=region), rules=rules or [])
    sources = [i.path for i in _inputs(paths, include, exclude)]
    added = accepted.add(_collect(scrubber, sources, digest_key))
    accepted.save(allowlist)
    typer.echo(f"logscrub: {allowlist}: {added} new, {len(accepted.entries)} accepted in all", err=True)


@app.command()
def fix(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files and directories to scrub in place; '-' reads stdin and writes stdout.",
            metavar="PATH",
        ),
    ],
    rules: RulesOpt = None,
    policy_file: Annotated[
        Path | None, typer.Option("--policy", metavar="FILE", help="Policy file (YAML).")
    ] = None,
    region: RegionOpt = None,
    known_file: KnownOpt = None,
    key_file: Annotated[
        Path | None, typer.Option("--key-file", metavar="FILE", help="Pseudonym key file.")
    ] = None,
    allowlist: AllowOpt = DEFAULT_ALLOWLIST,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
) -> None:
    """Scrub files in place and exit 1 when something changed (a pre-commit fixer).

    Without a policy every entity gets its label (`<PHONE_NUMBER>`): labels are
    recognised as scrubbed, so a second run changes nothing and `check` passes."""
    sources = [i.path for i in _inputs(paths, include, exclude)]
    policy = _build_policy(policy_file, key_file, region=region)
    if policy_file is None:
        policy = policy.with_operators({entity: Operator.LABEL for entity in Entity})
    scrubber = Scrubber(policy, rules=rules or [], known=_known(known_file))
    scrubber.engine.accepted = _accepted_by(allowlist, key_file)
    with _spooled_stdin(sources) as (files, spool):
        replaced = _fix_to_fixed_point(scrubber, files)
        if spool is not None:
            with spool.open("rb") as fixed:
                shutil.copyfileobj(fixed, sys.stdout.buffer, 1 << 16)
            sys.stdout.buffer.flush()
    changed = [
        f"{source} ({replaced[file]} replaced)"
        for source, file in zip(sources, files, strict=True)
        if replaced[file]
    ]
    for line in changed:
        typer.echo(f"logscrub: scrubbed {line}", err=True)
    if changed:
        raise typer.Exit(EXIT_FINDINGS)


def _fix_to_fixed_point(scrubber: Scrubber, files: list[str]) -> Counter[str]:
    """Scrub `files` in place as one run (values count anywhere), again and again: a
    replacement can change what its neighbours look like (a version after
    `<PERSON_NAME>-` reads as an address), so the files a pass changed are scrubbed again
    until a pass changes nothing; then a second `fix` changes nothing either. How many
    values each file had replaced."""
    replaced: Counter[str] = Counter()
    pending = [path for path in files if not _passes_as_it_is(scrubber, path)]
    for _ in range(_FIX_PASSES):
        with _progress_bar(pending) as progress:
            run = scrubber.scrub_files([(path, path) for path in pending], progress=progress)
        pending = [f.path for f in run.files if f.stats.replaced and not _passes_as_it_is(scrubber, f.path)]
        replaced.update({f.path: f.stats.replaced for f in run.files if f.stats.replaced})
        if not pending:
            break
    return replaced


def _passes_as_it_is(scrubber: Scrubber, path: str) -> bool:
    """What fix leaves alone because check passes it: a capture scrub wrote (sealed,
    unchanged since), and a bundle with nothing to replace (rewriting one would still
    change its bytes: its manifest, its compression). A log is scrubbed (unchanged when
    there is nothing to replace)."""
    kind = kind_of(Path(path))
    if kind.reader == "capture":
        return scrubber.sealed(path)
    if kind.reader == "archive":
        return not scrubber.check(path)
    return False


@contextlib.contextmanager
def _spooled_stdin(sources: list[str]) -> Iterator[tuple[list[str], Path | None]]:
    """`sources` as files: stdin ('-') copied to a private temporary file, which is
    yielded too (None without stdin) and removed afterwards."""
    if STDIN not in sources:
        yield sources, None
        return
    with tempfile.TemporaryDirectory(prefix="logscrub-") as spool_dir:
        spool = Path(spool_dir) / "stdin"
        with spool.open("wb") as copy:
            shutil.copyfileobj(sys.stdin.buffer, copy, 1 << 16)
        yield [str(spool) if s == STDIN else s for s in sources], spool


_FIX_PASSES = 4


def _accepted_by(allowlist: Path, key_file: Path | None) -> Callable[[str, Finding], bool]:
    """What `fix` leaves alone, exactly as `check` does not report it: a finding on a line
    with the inline marker (`logscrub: allow`), and a finding the allowlist accepts."""
    accepted = Allowlist.load(allowlist) if allowlist.exists() else None
    key = accepted.digest_key(_explicit_key(key_file), allowlist) if accepted is not None else None

    def decide(text: str, finding: Finding) -> bool:
        line_start = text.rfind("\n", 0, finding.start) + 1
        line_end = text.find("\n", finding.end)
        if ALLOW_MARKER.search(text, line_start, line_end if line_end >= 0 else len(text)):
            return True
        if accepted is None or key is None:
            return False
        entity = finding.entity.value
        value = digest(key, entity, text[finding.start : finding.end])
        return accepted.allows(CheckFinding("", entity, finding.rule_id, value))

    return decide


def _fail(message: str, code: int) -> NoReturn:
    sys.stderr.write(f"logscrub: error: {message}\n")
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code (tests call it directly)."""
    try:
        # Without standalone mode click returns the code of a typer.Exit instead of raising.
        code = app(args=argv, prog_name="logscrub", standalone_mode=False)
        if isinstance(code, int):
            return code
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("logscrub: interrupted\n")
        return EXIT_INTERRUPTED
    except RuleTimeoutError as exc:
        # An input (or a user rule) that takes a rule past its limit: an input problem.
        sys.stderr.write(f"logscrub: error: {exc}; nothing was written for that input\n")
        return EXIT_USAGE
    except LogscrubError as exc:
        sys.stderr.write(f"logscrub: error: {exc}\n")
        return EXIT_USAGE
    except Exception as exc:
        # Usage errors arrive here in non-standalone mode, as click's exceptions or as the
        # copies that newer typer versions vendor (typer._click): match them by shape.
        kind = type(exc).__name__
        if kind == "Exit":
            return int(getattr(exc, "exit_code", 0))
        if kind == "Abort":
            return EXIT_INTERRUPTED
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            return EXIT_USAGE
        sys.stderr.write(f"logscrub: unexpected error: {type(exc).__name__}: {exc}\n")
        if os.environ.get("LOGSCRUB_DEBUG"):
            traceback.print_exc()
        else:
            sys.stderr.write(
                "logscrub: this is a bug; rerun with LOGSCRUB_DEBUG=1 for a traceback and report it\n"
            )
        return EXIT_UNEXPECTED
    return EXIT_OK
