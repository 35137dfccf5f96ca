"""The ``grantstats`` command: check, summary, template, report, diff and cache.

Exit codes: 0 done, 1 the workbook has problems (each printed as
``sheet!CELL: message — hint``), 2 the file cannot be used at all or the command was
called wrongly, 130 stopped by Ctrl-C (SIGINT) and 143 by SIGTERM, with one line that
names what was written before. A user's mistake never ends in a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import re
import signal
import string
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

from grantstats.errors import Problem, UnreadableWorkbook, WorkbookError
from grantstats.texts import LANGS, TEXTS, localized, render, text

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2
#: The exit status of a run stopped by a signal: 128 + its number, as a shell reports it.
EXIT_SIGNALLED = {signal.SIGINT: 130, signal.SIGTERM: 143}
#: Report errors about the files or folders themselves rather than the workbook's content.
UNUSABLE_CODES = frozenset({"cli.project_unknown", "cli.out_unusable", "cli.disk_full",
                            "cli.write_failed", "cli.no_embedded", "cli.since_none"})


class Interrupted(KeyboardInterrupt):
    """SIGINT (Ctrl-C) or SIGTERM asked grantstats to stop; ``signum`` says which."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signum)
        self.signum = signum


@contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`Interrupted` in this (the main) thread.

    The first one is enough: later ones are ignored, so that stopping (shutting kernels
    down, removing temporary files, killing the sandbox's children) is not cut short. A
    worker process forked meanwhile inherits the handler and leaves the decision to this
    process: it ignores SIGINT (a Ctrl-C reaches the terminal's whole process group) and
    dies of SIGTERM as it would have. The handlers are restored afterwards.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()

    def stop(signum: int, _frame: object) -> None:
        if os.getpid() != owner:  # a forked worker
            if signum == signal.SIGTERM:
                signal.signal(signum, signal.SIG_DFL)
                os.kill(os.getpid(), signum)
            return
        for sig in EXIT_SIGNALLED:
            signal.signal(sig, signal.SIG_IGN)
        raise Interrupted(signum)

    saved = {sig: signal.getsignal(sig) for sig in EXIT_SIGNALLED}
    for sig in saved:
        signal.signal(sig, stop)
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)

#: argparse's titles of the two groups every parser starts with (``optional arguments``
#: before Python 3.10), and their ids
_DEFAULT_GROUPS = {"positional arguments": "argparse.positionals",
                   "options": "argparse.options", "optional arguments": "argparse.options"}


class HelpFormatter(argparse.HelpFormatter):
    """argparse's layout, with the ``usage:`` prefix in the reader's language."""

    def __init__(self, prog: str, *, lang: str = "sv", **kwargs: Any) -> None:
        super().__init__(prog, **kwargs)
        self.lang = lang

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        if prefix is None:  # argparse's own usage line (a subcommand's prog passes "")
            prefix = text("argparse.usage", self.lang)
        super().add_usage(usage, actions, groups, prefix)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks ``lang``: its usage line, the titles of its groups
    and its error messages come from the catalogue, through argparse's public hooks only
    (the formatter, ``add_argument_group`` and ``error``); argparse itself is not changed.
    Subcommands made with ``add_parser(..., lang=lang)`` are Parsers too."""

    def __init__(self, *args: Any, lang: str = "sv", **kwargs: Any) -> None:
        self.lang = lang  # before argparse's __init__, which adds the default groups
        kwargs.setdefault("formatter_class", functools.partial(HelpFormatter, lang=lang))
        super().__init__(*args, **kwargs)

    def add_argument_group(self, *args: Any, **kwargs: Any) -> Any:
        """A group; argparse's two default groups get their titles in ``lang``."""
        title = kwargs.pop("title", args[0] if args else None)
        if title in _DEFAULT_GROUPS:
            title = text(_DEFAULT_GROUPS[title], self.lang)
        return super().add_argument_group(title, *args[1:], **kwargs)

    def error(self, message: str) -> NoReturn:
        """The usage line and ``prog: fel: message`` on stderr, exit status 2."""
        self.print_usage(sys.stderr)
        self.exit(2, text("argparse.error", self.lang, prog=self.prog,
                          message=usage_message(message, self.lang)) + "\n")


#: the usage errors, in catalogue order: ``usage.argument`` (which wraps another) first
_USAGE_ERRORS = tuple(msg_id for msg_id in TEXTS if msg_id.startswith("usage."))


@functools.cache
def _english_pattern(msg_id: str) -> re.Pattern[str]:
    """A regular expression matching the English text of ``msg_id``, a group per field."""
    parts = []
    for literal, field, _, _ in string.Formatter().parse(TEXTS[msg_id][1]):
        parts.append(re.escape(literal))
        if field:
            parts.append(f"(?P<{field}>.+?)")
    return re.compile("".join(parts), re.S)


def usage_message(message: str, lang: str) -> str:
    """argparse's English error ``message`` in ``lang``.

    argparse writes its messages in English (only a gettext catalogue installed for its
    domain, for the whole process, could change that); the English of each ``usage.*``
    text is argparse's wording, so a message is read back into its fields and written
    again in ``lang``. ``argument X: …`` wraps another
    message, which is translated in turn; a message not in the catalogue stays as it is
    (and in English every message comes out as it went in).
    """
    for msg_id in _USAGE_ERRORS:
        match = _english_pattern(msg_id).fullmatch(message)
        if match:
            fields = match.groupdict()
            if "message" in fields:
                fields["message"] = usage_message(fields["message"], lang)
            return text(msg_id, lang, **fields)
    return message


def _workbook_arg(value: str | None) -> Path:
    if value:
        return Path(value)
    from grantstats.resources import sample_workbook

    return sample_workbook()


def _parser(lang: str = "sv") -> Parser:
    def h(key: str) -> str:
        return text(f"help.{key}", lang)

    common = Parser(add_help=False, lang=lang)
    common.add_argument("-h", "--help", action="help", help=h("help"))
    # before or after the command; SUPPRESS keeps a subcommand's default from overriding
    # a --lang given before it
    common.add_argument("--lang", choices=["sv", "en"], default=argparse.SUPPRESS,
                        help=h("lang"))
    reading = Parser(add_help=False, lang=lang)
    reading.add_argument("--no-cache", action="store_true", help=h("no_cache"))
    parser = Parser(prog="grantstats", description=h("description"), epilog=h("epilog"),
                    add_help=False, lang=lang)
    from grantstats.version import __version__

    parser.add_argument("-h", "--help", action="help", help=h("help"))
    parser.add_argument("--version", action="version", version=f"grantstats {__version__}",
                        help=h("version"))
    parser.add_argument("--lang", choices=["sv", "en"], default="sv", help=h("lang"))
    sub = parser.add_subparsers(dest="command", required=True, title=h("commands"),
                                metavar=h("command"))

    jobs = Parser(add_help=False, lang=lang)
    jobs.add_argument("--jobs", type=positive_integer, default=None, metavar="N",
                      help=h("jobs"))

    p = sub.add_parser("check", parents=[common, jobs, reading], help=h("check"),
                       description=h("check"), add_help=False, lang=lang)
    p.add_argument("workbook", nargs="?", metavar=h("metavar_workbook"), help=h("workbook"))
    p.add_argument("--as-of", type=iso_date, metavar=h("metavar_date"), help=h("as_of"))

    p = sub.add_parser("summary", parents=[common, jobs, reading], help=h("summary"),
                       description=h("summary"), add_help=False, lang=lang)
    p.add_argument("workbook", nargs="?", metavar=h("metavar_workbook"), help=h("workbook"))
    p.add_argument("--format", choices=["table", "json"], default="table", help=h("format"))
    p.add_argument("--as-of", type=iso_date, metavar=h("metavar_date"), help=h("as_of"))

    p = sub.add_parser("template", parents=[common], help=h("template"),
                       description=h("template"), add_help=False, lang=lang)
    p.add_argument("out", metavar=h("metavar_file"), help=h("out_template"))
    p.add_argument("--no-examples", action="store_true", help=h("no_examples"))

    p = sub.add_parser("report", parents=[common, reading], help=h("report"),
                       description=h("report"), add_help=False, lang=lang)
    p.add_argument("workbook", nargs="*", metavar=h("metavar_workbook"), help=h("workbooks"))
    p.add_argument("--project", metavar=h("metavar_project"), help=h("project"))
    p.add_argument("--separate", action="store_true", help=h("separate"))
    p.add_argument("--out", default="reports", metavar=h("metavar_folder"), help=h("out"))
    hide = p.add_mutually_exclusive_group()
    hide.add_argument("--suppress-below", type=positive_integer, default=3, metavar="N",
                      help=h("suppress_below"))
    hide.add_argument("--no-suppress", action="store_true", help=h("no_suppress"))
    p.add_argument("--pdf", action="store_true", help=h("pdf"))
    p.add_argument("--as-of", type=iso_date, metavar=h("metavar_date"), help=h("as_of"))
    p.add_argument("--since", metavar=h("metavar_previous"), help=h("since"))

    p = sub.add_parser("statement", parents=[common, reading], help=h("statement"),
                       description=h("statement_description"), add_help=False, lang=lang)
    p.add_argument("workbook", nargs="?", metavar=h("metavar_workbook"), help=h("workbook"))
    p.add_argument("--project", metavar=h("metavar_project"), help=h("project"))
    p.add_argument("--kind", choices=["final", "application"], default="final",
                   help=h("kind"))
    p.add_argument("--template", metavar=h("metavar_file"), help=h("template_docx"))
    p.add_argument("--out", default="reports", metavar=h("metavar_folder"),
                   help=h("out_statement"))
    p.add_argument("--suppress-below", type=positive_integer, default=3, metavar="N",
                   help=h("suppress_below"))
    p.add_argument("--immediate", action="store_true", help=h("immediate"))
    p.add_argument("--as-of", type=iso_date, metavar=h("metavar_date"), help=h("as_of"))

    p = sub.add_parser("diff", parents=[common, reading], help=h("diff"),
                       description=h("diff_description"), add_help=False, lang=lang)
    p.add_argument("old", metavar=h("metavar_old"), help=h("diff_old"))
    p.add_argument("new", metavar=h("metavar_new"), help=h("diff_new"))
    p.add_argument("--format", choices=["text", "json"], default="text",
                   help=h("format_diff"))

    p = sub.add_parser("cache", parents=[common], help=h("cache"),
                       description=h("cache_description"), add_help=False, lang=lang)
    p.add_argument("--clear", action="store_true", help=h("clear"))
    return parser


def _help_language(argv: Sequence[str]) -> str:
    """The language --lang asks for (the last one given, as argparse takes it, also
    abbreviated), so that --help is in that language too."""
    lang = "sv"
    for i, arg in enumerate(argv):
        name, _, value = arg.partition("=")
        if len(name) >= 3 and "--lang".startswith(name):
            value = value or (argv[i + 1] if i + 1 < len(argv) else "")
            if value in LANGS:
                lang = value
    return lang


def iso_date(given: str) -> dt.date:
    """``--as-of``: a date written ``YYYY-MM-DD``."""
    try:
        return dt.date.fromisoformat(given.strip())
    except ValueError:
        # in English, as argparse's own messages: Parser.error puts it in the reader's language
        raise argparse.ArgumentTypeError(text("usage.date", "en")) from None


def positive_integer(given: str) -> int:
    """``--jobs`` and ``--suppress-below``: a whole number of 1 or more (``+3`` too)."""
    try:
        value = int(given.strip()) if given.strip().lstrip("+").isdecimal() else 0
    except ValueError:
        value = 0
    if value < 1:
        # in English, as argparse's own messages: Parser.error puts it in the reader's language
        raise argparse.ArgumentTypeError(text("usage.whole_number", "en"))
    return value


#: Commands whose sandbox children come from the fork server (a report's process starts
#: a kernel meanwhile; one workbook's check or summary forks its child directly, and a
#: folder's threads start the server when they need it).
_SERVER_COMMANDS = ("report",)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if any(command in argv for command in _SERVER_COMMANDS):
        from grantstats.commands.batch import CHILD_MODULES
        from grantstats.reading import sandbox

        sandbox.warm(*CHILD_MODULES)  # its imports overlap with parsing the arguments
    lang = _help_language(argv)
    written: list[Path] = []  # the files this run has finished, for an interrupted one
    with _stopped_by_signals():
        try:
            parser = _parser(lang)
            args, extra = parser.parse_known_args(argv)
            if extra and args.command == "report" and not any(
                    a.startswith("-") for a in extra):
                args.workbook += extra  # workbooks after an option: a.xlsx --lang en b.xlsx
            elif extra:
                parser.error(text("usage.unrecognized", lang, args=" ".join(extra)))
            lang = args.lang
            if getattr(args, "no_cache", False):
                with _environment(GRANTSTATS_CACHE="0"):  # also for the children and kernel
                    return _run(args, written)
            return _run(args, written)
        except KeyboardInterrupt as exc:
            print(_interrupted_line(written, lang), file=sys.stderr, flush=True)
            return EXIT_SIGNALLED.get(getattr(exc, "signum", signal.SIGINT), 130)


def _interrupted_line(written: list[Path], lang: str) -> str:
    if not written:
        return text("cli.interrupted", lang)
    return text("cli.interrupted_written", lang, files=", ".join(map(str, written)))


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _run(args: argparse.Namespace, written: list[Path]) -> int:
    lang = args.lang
    try:
        if args.command == "cache":
            return _cache(args.clear, lang)
        if args.command in ("check", "summary"):
            path = _workbook_arg(args.workbook)
            if path.is_dir():
                return _folder(path, args.command, args.format if args.command == "summary"
                               else "table", args.jobs, lang, args.as_of)
            if args.command == "check":
                return _check(path, lang, args.as_of)
            return _summary(path, args.format, lang, args.as_of)
        if args.command == "template":
            return _template(Path(args.out), lang, not args.no_examples, written)
        if args.command == "diff":
            return _diff(Path(args.old), Path(args.new), args.format, lang)
        if args.command == "statement":
            from grantstats.commands.statement import run as statement

            return statement(args, lang, written)
        return _report(args, [Path(w) for w in args.workbook] or [_workbook_arg(None)], lang,
                       written)
    except UnreadableWorkbook as exc:
        print(exc.format(lang), file=sys.stderr)
        return EXIT_UNUSABLE
    except WorkbookError as exc:
        print(exc.format(lang), file=sys.stderr if args.command != "check" else sys.stdout)
        return EXIT_PROBLEMS
    except BrokenPipeError:  # e.g. `grantstats summary | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep Python from failing at exit
        return EXIT_OK
    except OSError as exc:  # a folder that is a file, no permission, a full disk…
        print(text("cli.os_error", lang, path=exc.filename or "", error=exc.strerror or exc),
              file=sys.stderr)
        return EXIT_UNUSABLE


def _counts_text(counts: dict[str, int], lang: str) -> str:
    from grantstats.contract import SHEETS_BY_KEY

    return ", ".join(f"{localized(SHEETS_BY_KEY[k], lang)} {n}" for k, n in counts.items())


def _check(path: Path, lang: str, as_of: dt.date | None = None) -> int:
    from grantstats.commands.batch import outcome_of

    outcome = outcome_of(path, False, as_of, lang)  # the tables stay in the sandbox's child
    outcome.raise_problems()
    print(text("cli.check_ok", lang, name=path.name,
               counts=_counts_text(outcome.counts, lang)))
    for note in outcome.notes:
        print(f"  {note.format(lang)}")
    _print_warnings(outcome.warnings, lang)
    return EXIT_OK


def _print_warnings(warnings: tuple[Problem, ...], lang: str) -> None:
    """The rules' warnings of a usable workbook: printed, the exit status stays 0."""
    for warning in warnings:
        print(text("cli.warning", lang, project=warning.params.get("project", ""),
                   message=warning.format(lang)))


def _folder(folder: Path, command: str, form: str, jobs: int | None, lang: str,
            as_of: dt.date | None = None) -> int:
    """check or summary of every workbook in ``folder``, on all cores, with progress; as
    ``check`` of one workbook, the rules' warnings are printed and leave the exit status
    alone."""
    from grantstats.commands.batch import duplicates, folder_document, read_many, workbooks_in

    paths = workbooks_in(folder)
    if not paths:
        print(text("cli.folder_empty", lang, path=folder), file=sys.stderr)
        return EXIT_UNUSABLE
    show = sys.stderr.isatty()
    line_open = False

    def progress(n: int, total: int, path: Path) -> None:
        nonlocal line_open
        if show:
            line_open = n != total
            print(f"\r[{n}/{total}] {path.name[:60]:<60}", end="" if line_open else "\n",
                  file=sys.stderr, flush=True)

    try:
        outcomes = read_many(paths, jobs=jobs, with_summary=command == "summary",
                             progress=progress, as_of=as_of, lang=lang)
    except KeyboardInterrupt:
        if line_open:  # the line that says so starts on a line of its own
            print(file=sys.stderr, flush=True)
        raise
    failed = [o for o in outcomes if not o.ok]
    problem_out = sys.stdout if command == "check" else sys.stderr
    for o in outcomes:
        if o.ok and command == "check":
            print(text("cli.check_ok", lang, name=o.path.name,
                       counts=_counts_text(o.counts, lang)))
            _print_warnings(o.warnings, lang)
        for p in o.problems:
            named = p.params.get("path") == o.path.name  # the message names the file
            print(p.format(lang) if named else f"{o.path.name}: {p.format(lang)}",
                  file=problem_out)
    twice = duplicates(outcomes)  # a project in two workbooks: each message names both
    for p in twice:
        print(p.format(lang), file=problem_out)
    status = EXIT_PROBLEMS if failed or twice else EXIT_OK
    if command == "check":
        print(text("cli.folder_total", lang, ok=len(outcomes) - len(failed), n=len(outcomes)))
        return status
    from grantstats.rendering.summary import summary_text

    doc = folder_document(folder, outcomes, lang)
    docs, total = [o.summary for o in outcomes if o.summary is not None], doc["rollup"]
    if form == "json":
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        for d in docs:
            print(f"== {Path(d['workbook']['path']).name}")
            print(summary_text(d, lang) + "\n")
        rolled = {"projects": [{"project_id": "", "name": text(
            "cli.folder_rollup", lang, n=total["workbooks"], p=total["projects"]), **total}]}
        print(summary_text(rolled, lang))
    return status


def _summary(path: Path, form: str, lang: str, as_of: dt.date | None = None) -> int:
    from grantstats.commands.batch import outcome_of
    from grantstats.rendering.summary import summary_text

    outcome = outcome_of(path, True, as_of, lang)
    outcome.raise_problems()
    assert outcome.summary is not None
    doc = outcome.summary
    if form == "json":
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        print(summary_text(doc, lang))
    return EXIT_OK


def _report(args: argparse.Namespace, paths: list[Path], lang: str,
            written: list[Path]) -> int:
    from grantstats.commands.outputs import ReportError
    from grantstats.commands.report import make_reports

    def progress(step: str) -> None:
        # one write per line: two kernels' threads report at once
        sys.stderr.write(text("cli.progress", lang, step=step) + "\n")
        sys.stderr.flush()

    try:
        results = make_reports(
            paths, project_id=args.project, separate=args.separate, lang=lang,
            suppress_below=None if args.no_suppress else args.suppress_below,
            out_dir=args.out, pdf=args.pdf, progress=progress, on_written=written.append,
            as_of=args.as_of,
            since=args.since,
        )
    except ReportError as exc:
        for files in exc.written:  # what the run finished before it failed is kept
            for path in files.paths:
                print(path)
        message, hint = render(exc.code, lang, exc.params)
        print(f"{message} — {hint}" if hint else message, file=sys.stderr)
        unusable = exc.code in UNUSABLE_CODES or exc.code.startswith("file.")
        return EXIT_UNUSABLE if unusable else EXIT_PROBLEMS
    status = EXIT_OK
    for files in results:
        for path in files.paths:
            print(path)
        if files.pdf_error is not None:
            message, hint = render(files.pdf_error.code, lang, files.pdf_error.params)
            print(f"{message} — {hint}", file=sys.stderr)
            status = EXIT_PROBLEMS
    return status


def _diff(old: Path, new: Path, form: str, lang: str) -> int:
    """``grantstats diff``: exit 0 no differences, 1 differences, 2 trouble."""
    from grantstats.commands.diff import run

    return run(old, new, form, lang, out=sys.stdout, err=sys.stderr)


def _cache(clear: bool, lang: str) -> int:
    from grantstats.fmt import size
    from grantstats.reading import cache

    if clear:
        print(text("cli.cache_cleared", lang, n=cache.clear(), path=cache.directory()))
        return EXIT_OK
    use = cache.usage()
    print(text("cli.cache_usage", lang, path=use.directory, n=use.entries,
               size=size(use.size, lang)))
    if use.off:
        known = use.off in ("disabled", "unsafe", "not_folder")
        message, hint = render(f"cli.cache_{use.off}" if known else "cli.cache_unreadable",
                               lang, {"value": os.environ.get("GRANTSTATS_CACHE", ""),
                                      "path": use.directory, "error": use.off})
        print(f"{message} — {hint}" if hint else message)
    return EXIT_OK


def _template(out: Path, lang: str, examples: bool, written: list[Path]) -> int:
    from grantstats.commands.template import write_template
    from grantstats.files import full_disk

    if out.suffix.lower() != ".xlsx":
        print(text("cli.template_suffix", lang, path=out), file=sys.stderr)
        return EXIT_UNUSABLE
    if out.exists():
        print(text("cli.exists", lang, path=out), file=sys.stderr)
        return EXIT_UNUSABLE
    try:
        write_template(out, lang=lang, examples=examples)
    except FileExistsError:
        print(text("cli.exists", lang, path=out), file=sys.stderr)
        return EXIT_UNUSABLE
    except OSError as exc:
        if full_disk(exc):
            message, hint = render("cli.disk_full", lang, {"path": out})
        elif exc.filename is not None:  # the folder itself (a file, no permission…)
            raise
        else:
            message, hint = render("cli.write_failed", lang,
                                   {"path": out, "error": exc.strerror or type(exc).__name__})
        print(f"{message} — {hint}", file=sys.stderr)
        return EXIT_UNUSABLE
    written.append(out)
    print(out)
    return EXIT_OK
