"""`goals`: the same words as `/goals` in Slack, answered in the terminal.

Frames go to stdout; every error goes to stderr with a non-zero exit and one plain
message, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from bot.canon.loader import CanonError, load_canon
from bot.canon.repository import CanonRepository
from bot.canon.spreadsheet import CsvImportError, export_csv, import_csv
from bot.cli.remind import remind_command
from bot.cli.reviews import reviews_command
from bot.cli.store import store_command
from bot.frames.build import build_frame
from bot.frames.comparison import comparison_of
from bot.frames.frameworks import ALL_FRAMEWORKS
from bot.frames.text import render_comparison, render_document
from bot.grammar.parse import parse
from bot.grammar.requests import (
    CompareRequest,
    DraftRequest,
    DraftsRequest,
    FrameRequest,
    GrammarError,
    HelpRequest,
    ListRequest,
    ReviewsRequest,
)
from bot.grammar.usage import error_text, help_text, list_text
from bot.settings import canon_dir, version

PROG = "goals"
EXIT_OK, EXIT_CANON, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    _utf8(sys.stdout)
    _utf8(sys.stderr)
    try:
        return run(args, sys.stdout, sys.stderr)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `goals ... | head` closed the pipe: not an error of ours, and nothing to say.
        sys.stderr.close()
        return EXIT_OK
    except Exception as error:
        print(f"{PROG}: internal error ({type(error).__name__}); please report it with "
              "the command you ran.", file=sys.stderr)
        return EXIT_INTERNAL


def run(args: list[str], out: TextIO, err: TextIO) -> int:
    if args == ["--version"]:  # before the grammar, which would look for a family called that
        print(f"{PROG} {version()}", file=out)
        return EXIT_OK
    if args and args[0].lower() == "canon":
        return _canon_command(args[1:], out, err)
    if args and args[0].lower() == "store":
        return store_command(args[1:], out, err)
    if args and args[0].lower() == "remind":
        return remind_command(args[1:], out, err)
    if args and args[0].lower() == "reviews" and args[1:]:  # `reviews` alone is Slack's: said below
        return reviews_command(args[1:], out, err)
    try:
        repository = CanonRepository.open(canon_dir())
    except CanonError as error:
        print(f"{PROG}: {error}", file=err)
        return EXIT_CANON
    vocabulary = repository.vocabulary()
    request = parse(args, vocabulary)
    if isinstance(request, GrammarError):
        print(f"{PROG}: {error_text(request, PROG)}", file=err)
        return EXIT_USAGE
    if isinstance(request, DraftRequest | DraftsRequest | ReviewsRequest):
        # Drafts belong to a person in a workspace; the terminal has neither.
        print(f"{PROG}: drafts are kept in Slack, per person: type /goals draft LEVEL FAMILY "
              "FRAMEWORK there, or /goals drafts to see yours (/goals reviews: those sent to you). "
              f"On the host, {PROG} reviews export --reviewer U… writes a reviewer's as CSV.", file=err)
        return EXIT_USAGE
    if isinstance(request, HelpRequest):
        print(help_text(vocabulary, PROG, terminal=True), file=out)
    elif isinstance(request, ListRequest):
        print(list_text(vocabulary), file=out)
    elif isinstance(request, CompareRequest):
        comparison = comparison_of(request.lower, request.higher, request.framework, repository)
        assert comparison is not None, "the grammar only accepts levels each family has"
        print(render_comparison(comparison), file=out)
    else:
        print(_frames_text(repository, request), file=out)
    return EXIT_OK


def _frames_text(repository: CanonRepository, request: FrameRequest) -> str:
    found = repository.family_level(request.family, request.level)
    assert found is not None, "the grammar only accepts levels the family has"
    family, level, _ = found
    return render_document([build_frame(fw, family, level) for fw in request.frameworks])


CANON_USAGE = (f"canon takes: {PROG} canon check [DIR] | {PROG} canon import FILE.csv --out DIR | "
               f"{PROG} canon export [DIR] [--out FILE.csv]")


def _canon_command(args: list[str], out: TextIO, err: TextIO) -> int:
    action = args[0].lower() if args else ""
    if action == "import":
        return _canon_import(args[1:], out, err)
    if action == "export":
        return _canon_export(args[1:], out, err)
    if action != "check" or len(args) > 2:
        print(f"{PROG}: {CANON_USAGE}", file=err)
        return EXIT_USAGE
    directory = Path(args[1]) if len(args) == 2 else canon_dir()
    try:
        repository = CanonRepository.open(directory)
    except CanonError as error:
        print(f"{PROG}: {error}", file=err)
        return EXIT_CANON
    print(check_report(repository, directory), file=out)
    return EXIT_OK


def _option(args: list[str], name: str) -> tuple[list[str], str | None] | None:
    """`args` without `name VALUE`, and VALUE; None if the option is given without a value."""
    if name not in args:
        return args, None
    at = args.index(name)
    if at + 1 >= len(args):
        return None
    return args[:at] + args[at + 2:], args[at + 1]


def _canon_import(args: list[str], out: TextIO, err: TextIO) -> int:
    parsed = _option(args, "--out")
    if parsed is None or parsed[1] is None or len(parsed[0]) != 1:
        print(f"{PROG}: canon import takes: {PROG} canon import FILE.csv --out DIR", file=err)
        return EXIT_USAGE
    (source,), target = parsed[0], Path(parsed[1])
    try:
        canon = import_csv(Path(source), target)
    except CsvImportError as error:
        print(f"{PROG}: {error}", file=err)
        return EXIT_CANON
    levels, families = len(canon.levels), len(canon.families)
    print(f"imported {source} into {target}: {levels} level{'s' * (levels != 1)}, {families} "
          f"famil{'ies' if families != 1 else 'y'}. Check it with: {PROG} canon check {target}", file=out)
    return EXIT_OK


def _canon_export(args: list[str], out: TextIO, err: TextIO) -> int:
    parsed = _option(args, "--out")
    if parsed is None or len(parsed[0]) > 1:
        print(f"{PROG}: canon export takes: {PROG} canon export [DIR] [--out FILE.csv]", file=err)
        return EXIT_USAGE
    rest, target = parsed
    directory = Path(rest[0]) if rest else canon_dir()
    try:
        canon = load_canon(directory)
    except CanonError as error:
        print(f"{PROG}: {error}", file=err)
        return EXIT_CANON
    text = export_csv(canon)
    if target is None:
        out.write(text)
        return EXIT_OK
    try:
        # With a BOM, so Excel opens the file as UTF-8.
        Path(target).write_text(text, encoding="utf-8-sig", newline="")
    except OSError as error:
        print(f"{PROG}: cannot write {target} ({error.strerror})", file=err)
        return EXIT_CANON
    print(f"exported {directory} to {target}", file=out)
    return EXIT_OK


def check_report(repository: CanonRepository, directory: Path) -> str:
    """What a valid canon holds, and which rows its frames will leave out and why."""
    vocabulary = repository.vocabulary()
    families = repository.families()
    pairs = [(f, code) for f in families for code in f.levels]
    responsibilities = sum(len(f.levels[code].responsibilities) for f, code in pairs)
    lines = [
        f"canon at {directory} is valid: {len(vocabulary.levels)} levels, "
        f"{len(families)} families, {len(pairs)} family levels, "
        f"{responsibilities} responsibilities.",
    ]
    for family in families:
        aliases = f" ({', '.join(family.aliases)})" if family.aliases else ""
        lines.append(f"  {family.slug}{aliases}: {', '.join(family.levels) or 'no levels'}")
    notes = []
    for family, code in pairs:
        level = repository.level(code)
        assert level is not None
        for framework_frame in (build_frame(fw, family, level) for fw in ALL_FRAMEWORKS):
            notes += [f"  {family.slug} {code} {framework_frame.framework}: {note}"
                      for note in framework_frame.notes]
    if notes:
        lines += ["Rows the frames will leave out:", *notes]
    return "\n".join(lines)


def _utf8(stream: TextIO) -> None:
    # Frames hold ⟨⟩, — and canon Unicode; a legacy terminal encoding must not crash us.
    # `errors` must be given: reconfigure() would otherwise reset it to strict, and an
    # undecodable argument (a lone surrogate) quoted in an error would then crash stderr.
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
        reconfigure(encoding="utf-8", errors="backslashreplace")


if __name__ == "__main__":
    raise SystemExit(main())
