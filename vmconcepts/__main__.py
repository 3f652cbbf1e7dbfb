"""The ``vmconcepts`` command: ``vmconcepts whereami`` tells where this program runs.

Run it as ``vmconcepts whereami`` or ``python -m vmconcepts whereami``. Each job is a
subcommand: ``vmconcepts exercise`` prints practice problems (see `vmconcepts.exercises`).

Examples:
    An empty directory stands for a machine whose files say nothing:

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as empty:
    ...     main(["whereami", "--root", empty, "--json"])
    {
      "vm": null,
      "container": null,
      "sandbox": null,
      "platform": null,
      "architecture": null,
      "summary": "No virtual machine or container found: as far as these files tell, this is bare metal.",
      "evidence": [
    ...
    0
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from vmconcepts.detect import detect
from vmconcepts.errors import VMConceptsError
from vmconcepts.exercises import EXERCISES, exercise

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]

PROGRAM = "vmconcepts"


class _UsageError(Exception):
    """A bad subcommand or option; `main` prints it as one line."""


class _Stop(Exception):  # noqa: N818 (it is not an error: --help asked to stop)
    """``--help`` was printed; `main` returns this status."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _Parser(argparse.ArgumentParser):
    """An argument parser that reports instead of exiting, so `main` can return a status."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            sys.stderr.write(message)
        raise _Stop(status)


def _whereami(args: argparse.Namespace) -> int:
    """Print where this program runs: one sentence and the evidence, or JSON."""
    env = detect(args.root, cpuid_signature=args.cpuid)
    if args.json:
        fields = {
            "vm": env.vm,
            "container": env.container,
            "sandbox": env.sandbox,
            "platform": env.platform,
            "architecture": env.architecture,
            "summary": env.summary,
            "evidence": list(env.evidence),
        }
        sys.stdout.write(json.dumps(fields, indent=2) + "\n")
        return 0
    lines = [env.summary, "", "Evidence, in the order it was read:"]
    lines += [f"  - {line}" for line in env.evidence]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _seed(text: str) -> int:
    """Read ``--seed``: a whole number from 0 up."""
    try:
        seed = int(text)
    except ValueError:
        seed = -1
    if seed < 0:
        msg = f"a seed is a whole number from 0 up, such as 7, not {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return seed


def _root(text: str) -> str:
    """Read ``--root``: a directory that exists, since a missing one would look like bare metal."""
    try:
        # Path("") means the current directory: an empty argument is a slip, not a choice.
        is_dir = bool(text) and Path(text).is_dir()
        exists = is_dir or (bool(text) and Path(text).exists())
    except (OSError, ValueError):
        is_dir = exists = False
    if not is_dir:
        problem = "is not a directory" if exists else "does not exist"
        msg = (
            f"{text!r} {problem}; give a directory that stands for /, such as a fake"
            " machine's, or leave --root out to read this machine's own files"
        )
        raise argparse.ArgumentTypeError(msg)
    return text


def _exercise(args: argparse.Namespace) -> int:
    """Print the list of exercises, or one problem from its seed, with its answer if asked."""
    if args.list:
        width = max(len(kind.chapter) for kind in EXERCISES) + 2
        for kind in EXERCISES:
            sys.stdout.write(f"{kind.name:<18}{kind.chapter:<{width}}{kind.title}\n")
        return 0
    if args.name is None:
        sys.stderr.write(
            f"{PROGRAM}: error: name an exercise, e.g. '{PROGRAM} exercise vm-fit --seed 7'"
            f" (see '{PROGRAM} exercise --list')\n"
        )
        return 2
    try:
        problem = exercise(args.name, args.seed)
    except VMConceptsError as error:
        sys.stderr.write(f"{PROGRAM}: error: {error} (see '{PROGRAM} exercise --list')\n")
        return 2
    text = str(problem)
    if args.solve:
        text += f"\n\n{problem.solve()}"
    sys.stdout.write(text + "\n")
    return 0


def _parser() -> _Parser:
    parser = _Parser(
        prog=PROGRAM,
        description="Small tools from the vmconcepts site about virtual machines and containers.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    whereami = commands.add_parser(
        "whereami",
        help="tell which virtual machine and container this program runs in",
        description=(
            "Tell which virtual machine and which container this program runs in, following"
            " systemd-detect-virt's rules, and show the evidence. Exits with status 0 whatever"
            " it finds, bare metal included, and with status 2 when --root is not a directory."
        ),
    )
    whereami.add_argument(
        "--json", action="store_true", help="print a JSON object instead of prose"
    )
    whereami.add_argument(
        "--root",
        type=_root,
        default="/",
        metavar="DIR",
        help="read the machine's files below DIR, an existing directory, instead of / (default: /)",
    )
    whereami.add_argument(
        "--cpuid",
        metavar="SIGNATURE",
        default=None,
        help=(
            "the CPUID leaf 0x40000000 signature if you know it, e.g. KVMKVMKVM"
            " (default: unknown; the kernel's clock sources stand in for it)"
        ),
    )
    whereami.set_defaults(run=_whereami)
    practice = commands.add_parser(
        "exercise",
        help="print a practice problem from a seed, and its answer with --solve",
        description=(
            "Print a practice problem made from a seed: the same seed gives the same problem"
            " on every machine, so try another seed for another problem. --solve adds the"
            " answer, worked out by the library's own model."
        ),
    )
    practice.add_argument(
        "name", nargs="?", metavar="NAME", help="the exercise, e.g. vm-fit (see --list)"
    )
    practice.add_argument(
        "--seed",
        type=_seed,
        default=0,
        metavar="N",
        help="the seed, a whole number from 0 up (default: 0)",
    )
    practice.add_argument(
        "-c", "--solve", action="store_true", help="print the answer and why, after the problem"
    )
    practice.add_argument(
        "--list", action="store_true", help="list the exercises and the page each belongs to"
    )
    practice.set_defaults(run=_exercise)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``vmconcepts`` command line and return its exit status.

    Args:
        argv: The arguments after the program's name; None means ``sys.argv[1:]``.

    Returns:
        0 when the command ran (and for ``--help``, or no command, which prints the help);
        2 for a bad subcommand or option, such as a ``--root`` that is not a directory,
        reported as one line on standard error.

    Examples:
        A root that does not exist is a mistake, not an empty machine (stderr is shown here):

        >>> import contextlib
        >>> import sys
        >>> with contextlib.redirect_stderr(sys.stdout):
        ...     main(["whereami", "--root", "/nowhere/at/all"])
        vmconcepts: error: argument --root: '/nowhere/at/all' does not exist; give a directory that stands for /, such as a fake machine's, or leave --root out to read this machine's own files (see 'vmconcepts --help')
        2
        >>> main(["whereareyou"])
        2
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as error:
        sys.stderr.write(f"{PROGRAM}: error: {error} (see '{PROGRAM} --help')\n")
        return 2
    except _Stop as stop:
        return stop.status
    if args.command is None:
        parser.print_help()
        return 0
    status: int = args.run(args)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
