"""Tests for the command line: ``vmconcepts whereami`` and its siblings to come."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from vmconcepts.__main__ import main
from vmconcepts.exercises import EXERCISES, DensityExercise, VMFitExercise


def fake_machine(root: Path) -> Path:
    """A KVM guest running Docker, as a few files below ``root``."""
    files = {
        ".dockerenv": "",
        "sys/class/dmi/id/sys_vendor": "QEMU\n",
        "sys/devices/system/clocksource/clocksource0/available_clocksource": "kvm-clock tsc\n",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


class TestWhereami:
    """``vmconcepts whereami`` answers in one sentence, lists the evidence, and exits 0.

    A ``--root`` that is not a directory is a mistake, and exits 2 instead.
    """

    def test_prose(self, tmp_path, capsys):
        """The first line is the answer; the evidence follows as a list."""
        assert main(["whereami", "--root", str(fake_machine(tmp_path))]) == 0
        out = capsys.readouterr().out.splitlines()
        assert out[0] == "You are in a Docker container, inside a KVM virtual machine."
        assert out[1] == ""
        assert out[2] == "Evidence, in the order it was read:"
        assert "  - /.dockerenv: there, the file Docker puts in its containers: docker." in out

    def test_json(self, tmp_path, capsys):
        """--json prints one object with both layers, the summary and the evidence."""
        assert main(["whereami", "--json", "--root", str(fake_machine(tmp_path))]) == 0
        answer = json.loads(capsys.readouterr().out)
        assert answer["vm"] == "kvm"
        assert answer["container"] == "docker"
        assert answer["sandbox"] is None
        assert answer["platform"] is None
        assert answer["architecture"] is None
        assert answer["summary"].startswith("You are in a Docker container")
        assert isinstance(answer["evidence"], list)
        assert answer["evidence"]

    def test_bare_metal_exits_zero(self, tmp_path, capsys):
        """Finding nothing is an answer too, not a failure."""
        assert main(["whereami", "--root", str(tmp_path)]) == 0
        assert "bare metal" in capsys.readouterr().out

    def test_empty_root_is_bare_metal(self, tmp_path, capsys):
        """An empty directory that exists is a machine whose files say nothing: exit 0."""
        empty = tmp_path / "empty"
        empty.mkdir()
        assert main(["whereami", "--json", "--root", str(empty)]) == 0
        answer = json.loads(capsys.readouterr().out)
        assert (answer["vm"], answer["container"]) == (None, None)

    @pytest.mark.parametrize(
        ("is_file", "problem"), [(False, "does not exist"), (True, "is not a directory")]
    )
    def test_root_that_is_not_a_directory(self, tmp_path, capsys, is_file, problem):
        """A missing root, or a file as root, exits 2 with one line, not a bare-metal answer."""
        root = tmp_path / "machine"
        if is_file:
            root.write_text("not a machine\n")
        assert main(["whereami", "--root", str(root)]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        lines = captured.err.splitlines()
        assert len(lines) == 1, captured.err
        assert lines[0].startswith(f"vmconcepts: error: argument --root: {str(root)!r} {problem};")
        assert "leave --root out" in lines[0]
        assert "bare metal" not in captured.err

    def test_empty_root_argument(self, capsys):
        """An empty --root is refused, not read as the current directory."""
        assert main(["whereami", "--root", ""]) == 2
        assert "argument --root: '' does not exist" in capsys.readouterr().err

    def test_cpuid_option(self, tmp_path, capsys):
        """--cpuid passes a known signature on: TCG means QEMU without KVM."""
        (tmp_path / "sys/class/dmi/id").mkdir(parents=True)
        (tmp_path / "sys/class/dmi/id/sys_vendor").write_text("QEMU\n")
        assert main(["whereami", "--json", "--root", str(tmp_path), "--cpuid", "TCGTCGTCGTCG"]) == 0
        assert json.loads(capsys.readouterr().out)["vm"] == "qemu"

    def test_this_machine(self, capsys):
        """On the real machine it answers, whatever that machine is."""
        assert main(["whereami"]) == 0
        assert capsys.readouterr().out.startswith(("You are", "No virtual machine"))


class TestUsage:
    """Help and mistakes: help on request, one clear line on error, never a traceback."""

    def test_no_command_prints_help(self, capsys):
        """With no subcommand, the help lists the subcommands."""
        assert main([]) == 0
        out = capsys.readouterr().out
        assert out.startswith("usage: vmconcepts")
        assert "whereami" in out

    def test_help(self, capsys):
        """--help prints help and succeeds."""
        assert main(["whereami", "--help"]) == 0
        assert "--json" in capsys.readouterr().out

    @pytest.mark.parametrize(
        ("argv", "words"),
        [
            (["whereareyou"], "invalid choice: 'whereareyou'"),
            (["whereami", "--frobnicate"], "unrecognized arguments: --frobnicate"),
            (["whereami", "--root"], "expected one argument"),
        ],
    )
    def test_mistakes(self, capsys, argv, words):
        """A bad subcommand or option exits 2 with one line on stderr that names it."""
        assert main(argv) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        lines = captured.err.splitlines()
        assert len(lines) == 1, captured.err
        assert lines[0].startswith("vmconcepts: error: ")
        assert words in lines[0]
        assert "vmconcepts --help" in lines[0]


class TestEntryPoints:
    """``python -m vmconcepts`` and the ``vmconcepts`` script both run ``main``."""

    def test_python_m(self, tmp_path):
        """Running `python -m vmconcepts whereami --json` works from a fresh interpreter."""
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "vmconcepts",
                "whereami",
                "--json",
                "--root",
                str(fake_machine(tmp_path)),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["container"] == "docker"

    def test_python_m_missing_root(self, tmp_path):
        """`python -m vmconcepts whereami --root MISSING` exits 2 with one line, no traceback."""
        done = subprocess.run(
            [sys.executable, "-m", "vmconcepts", "whereami", "--root", str(tmp_path / "nowhere")],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert done.returncode == 2
        assert done.stdout == ""
        assert "Traceback" not in done.stderr
        assert len(done.stderr.splitlines()) == 1
        assert "does not exist" in done.stderr

    def test_python_m_bad_command(self):
        """A mistake exits non-zero with one line and no traceback."""
        done = subprocess.run(
            [sys.executable, "-m", "vmconcepts", "nonsense"],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert done.returncode == 2
        assert "Traceback" not in done.stderr
        assert len(done.stderr.splitlines()) == 1

    def test_console_script(self, tmp_path):
        """The installed ``vmconcepts`` script (pyproject's [project.scripts]) runs whereami."""
        script = shutil.which("vmconcepts", path=str(Path(sys.executable).parent))
        if script is None:
            pytest.skip("the vmconcepts script is not installed next to this Python")
        done = subprocess.run(
            [script, "whereami", "--root", str(fake_machine(tmp_path))],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(
            "You are in a Docker container, inside a KVM virtual machine."
        )


class TestExercise:
    """``vmconcepts exercise``: a problem from a seed, its answer with --solve, and --list."""

    def test_list(self, capsys):
        """--list names every exercise with the page it belongs to."""
        assert main(["exercise", "--list"]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) == len(EXERCISES)
        for line, kind in zip(lines, EXERCISES, strict=True):
            assert line.split()[:2] == [kind.name, kind.chapter]

    def test_problem(self, capsys):
        """NAME --seed N prints exactly the problem the library makes from that seed."""
        assert main(["exercise", "vm-fit", "--seed", "7"]) == 0
        assert capsys.readouterr().out == f"{VMFitExercise(seed=7)}\n"

    @pytest.mark.parametrize("flag", ["--solve", "-c"])
    def test_solve(self, capsys, flag):
        """--solve (or OSTEP's -c) adds the answer and its explanation after the problem."""
        assert main(["exercise", "density", "--seed", "3", flag]) == 0
        problem = DensityExercise(seed=3)
        assert capsys.readouterr().out == f"{problem}\n\n{problem.solve()}\n"

    def test_default_seed_is_zero(self, capsys):
        """With no --seed the seed is 0, and the problem says so."""
        assert main(["exercise", "isolation"]) == 0
        assert capsys.readouterr().out.startswith("Exercise 'isolation', seed 0: ")

    def test_help_lists_exercise(self, capsys):
        """The top-level help names the subcommand."""
        assert main([]) == 0
        assert "exercise" in capsys.readouterr().out

    @pytest.mark.parametrize(
        ("argv", "words"),
        [
            (["exercise", "vm-fits"], "no exercise named 'vm-fits'; did you mean 'vm-fit'?"),
            (["exercise", "vm-fit", "--seed", "-1"], "a seed is a whole number from 0 up"),
            (["exercise", "vm-fit", "--seed", "seven"], "not 'seven'"),
            (["exercise", "vm-fit", "--seed", "1.5"], "not '1.5'"),
            (["exercise", "vm-fit", "--seed"], "expected one argument"),
            (["exercise"], "name an exercise"),
            (["exercise", "--solve"], "name an exercise"),
        ],
    )
    def test_mistakes(self, capsys, argv, words):
        """A bad name or seed exits 2 with one line on stderr that says what to do."""
        assert main(argv) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        lines = captured.err.splitlines()
        assert len(lines) == 1, captured.err
        assert lines[0].startswith("vmconcepts: error: ")
        assert words in lines[0]

    def test_python_m(self):
        """`python -m vmconcepts exercise ... --solve` works from a fresh interpreter."""
        done = subprocess.run(
            [sys.executable, "-m", "vmconcepts", "exercise", "placement", "--seed", "7", "-c"],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("Exercise 'placement', seed 7: ")
        assert "\nAnswer: ({'i-0001': 'server-1'" in done.stdout

    def test_python_m_bad_seed(self):
        """A bad seed exits 2 with one line and no traceback."""
        done = subprocess.run(
            [sys.executable, "-m", "vmconcepts", "exercise", "density", "--seed", "-3"],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert done.returncode == 2
        assert "Traceback" not in done.stderr
        assert len(done.stderr.splitlines()) == 1
