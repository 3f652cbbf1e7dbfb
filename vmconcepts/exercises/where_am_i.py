"""Exercise ``whereami``: what does systemd-detect-virt report for these files?

The machine is a handful of small files, as on the "Where am I running?" page; the
answer is what the library's `detect` reports for them, read from a temporary directory
(an in-memory one in the browser). The hints quote `detect`'s evidence for the layer
that was got wrong.

Examples:
    >>> problem = WhereAmIExercise(seed=5)
    >>> problem.check(("kvmm", None))
    Traceback (most recent call last):
    ...
    vmconcepts.errors.InvalidValueError: 'kvmm' is not one of systemd's VM identifiers; known: kvm, amazon, qemu, bochs, xen, uml, vmware, oracle, microsoft, zvm, parallels, bhyve, qnx, acrn, powervm, apple, sre, google, vm-other
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from vmconcepts.detect import CONTAINER_NAMES, VM_NAMES, Environment, detect
from vmconcepts.errors import InvalidValueError
from vmconcepts.exercises.problem import Exercise, Solution, read_collection, shape_error, wrap

__all__ = ["WhereAmIExercise"]

Layers = tuple[str | None, str | None]
Files = tuple[tuple[str, str], ...]

_DMI = "sys/class/dmi/id/"
_NOTHING = "none of the files it checks is there."
_CLOCKS = "sys/devices/system/clocksource/clocksource0/available_clocksource"

# What the firmware, the kernel and the clocks show on real machines of each kind.
_VM_CLUES: tuple[Files, ...] = (
    ((_DMI + "sys_vendor", "LENOVO"), (_DMI + "product_name", "20XW0055GE")),
    ((_DMI + "sys_vendor", "Microsoft Corporation"), (_DMI + "product_name", "Surface Laptop 4")),
    (
        (_DMI + "sys_vendor", "Microsoft Corporation"),
        (_DMI + "product_name", "Virtual Machine"),
        (_DMI + "product_version", "Hyper-V UEFI Release v4.1"),
    ),
    ((_DMI + "sys_vendor", "QEMU"), (_CLOCKS, "kvm-clock tsc")),
    ((_DMI + "sys_vendor", "QEMU"),),
    ((_DMI + "sys_vendor", "innotek GmbH"), (_DMI + "product_name", "VirtualBox")),
    ((_DMI + "sys_vendor", "VMware, Inc."), (_DMI + "product_name", "VMware20,1")),
    ((_DMI + "sys_vendor", "Amazon EC2"), (_DMI + "product_name", "m5.large")),
    ((_DMI + "sys_vendor", "Amazon EC2"), (_DMI + "product_name", "c7i.metal-24xl")),
    ((_DMI + "sys_vendor", "Xen"), (_CLOCKS, "xen tsc")),
)
_WSL: Files = (("proc/sys/kernel/osrelease", "5.15.153.1-microsoft-standard-WSL2"),)
# WSL 2 always runs in a Hyper-V VM, whose kernel sees Hyper-V's clock and never the
# laptop's own firmware: its kernel comes with these files, whatever VM clue was drawn.
_WSL_VM: Files = ((_CLOCKS, "hyperv_clocksource_tsc_page tsc"),)
_CONTAINER_CLUES: tuple[Files, ...] = (
    (),
    ((".dockerenv", ""),),
    (("run/.containerenv", ""),),
    (("run/.containerenv", ""), (".dockerenv", "")),
    (("proc/1/environ", "container=lxc\0"),),
    (("run/systemd/container", "systemd-nspawn"),),
    _WSL,
)


def _detect(files: Files) -> Environment:
    """What `detect` reports for a machine made of ``files``."""
    with tempfile.TemporaryDirectory() as root:
        for name, text in files:
            path = Path(root, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text + ("" if text.endswith("\0") or not text else "\n"))
        return detect(root)


def _read_layer(value: object, known: dict[str, str], what: str, shape: str) -> str | None:
    """Read one identifier: a known name, or None ("none", "") for nothing found."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise shape_error(value, shape)
    text = value.strip().lower()
    if text in ("", "none"):
        return None
    if text not in known:
        msg = f"{value!r} is not one of systemd's {what} identifiers; known: {', '.join(known)}"
        raise InvalidValueError(msg)
    return text


def _shown(text: str) -> str:
    """A file's contents as the question shows them: a NUL byte as backslash-zero."""
    return text.replace("\0", "\\0") or "(empty)"


def _found(evidence: tuple[str, ...]) -> str:
    """The evidence lines that found something (files that are not there are left out)."""
    return " ".join(line for line in evidence if "not there" not in line)


class WhereAmIExercise(Exercise[Layers]):
    """Which VM and which container do systemd-detect-virt's rules find in these files?

    The answer is a pair (vm, container) of systemd's identifiers (see
    `vmconcepts.detect.VM_NAMES` and `vmconcepts.detect.CONTAINER_NAMES`), with None for
    a layer where nothing is found.

    Args:
        seed: A whole number from 0 up; the same seed always gives the same problem.

    Examples:
        >>> problem = WhereAmIExercise(seed=7)
        >>> problem.check(problem.solve())
        Verdict(right=True, hint='')
    """

    name = "whereami"
    chapter = "where-am-i.md"
    title = "what do systemd-detect-virt's rules find in these files?"
    shape = "a pair (vm, container) of systemd's identifiers, None where nothing is found, such as ('kvm', None)"

    def _build(self, rng: random.Random) -> None:
        self.vm_files = rng.choice(_VM_CLUES)
        self.container_files = rng.choice(_CONTAINER_CLUES)
        if self.container_files == _WSL:
            self.vm_files = _WSL_VM
        self.files = self.container_files + self.vm_files

    def _question(self) -> str:
        width = max(len(name) for name, _ in self.files) + 1
        rows = "\n".join(f"  /{name:<{width}} {_shown(text)}" for name, text in self.files)
        intro = (
            "A Linux program reads the files systemd-detect-virt reads. Only these exist"
            " (no CPUID signature is known, and every other file is missing):"
        )
        ask = (
            "Following systemd-detect-virt's rules, what does it report for the virtual"
            " machine layer, and what for the container layer?"
        )
        return f"{wrap(intro)}\n\n{rows}\n\n{wrap(ask)}"

    def _solve(self) -> Solution[Layers]:
        """Write the files to a temporary directory and run the library's `detect` on it.

        Examples:
            >>> print(WhereAmIExercise(seed=7).solve())
            Answer: (...)
            <BLANKLINE>
            ...
        """
        env = _detect(self.files)
        answer = (env.vm, env.container)
        lines = [wrap(env.summary), "", "The evidence that found something, in reading order:"]
        lines += [wrap(line, "  - ", "    ") for line in env.evidence if "not there" not in line]
        return Solution(answer, repr(answer), "\n".join(lines))

    def _read(self, answer: object) -> Layers:
        pair = read_collection(answer, self.shape)
        if len(pair) != 2:  # noqa: PLR2004 - a pair
            raise shape_error(answer, self.shape)
        first = pair[0].strip().lower() if isinstance(pair[0], str) else None
        if first in CONTAINER_NAMES and first not in VM_NAMES:
            msg = f"{pair[0]!r} is a container identifier; the pair is (vm, container)"
            raise InvalidValueError(msg)
        vm = _read_layer(pair[0], VM_NAMES, "VM", self.shape)
        return vm, _read_layer(pair[1], CONTAINER_NAMES, "container", self.shape)

    def _mistake(self, given: Layers) -> str:
        vm, container = self.solve().answer
        if given[0] != vm:
            found = _found(_detect(self.vm_files).evidence) or _NOTHING
            return f"the VM layer is not {given[0]}. What its files show: {found}"
        if given[1] != container:
            found = _found(_detect(self.container_files).evidence) or _NOTHING
            return f"the container layer is not {given[1]}. What its files show: {found}"
        return ""
