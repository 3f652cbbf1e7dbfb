"""Exercise ``vm-fit``: which VMs does a host start, and which does it refuse first?

The host is a `Host` from the library, the VMs are created and started on it in order,
and the answer is whatever the host did: a start it refuses raises the library's
`NotEnoughResourcesError`, whose message the solution quotes.

Examples:
    >>> problem = VMFitExercise(seed=1)
    >>> problem.check({"nope"})
    Traceback (most recent call last):
    ...
    vmconcepts.errors.InvalidValueError: 'nope' is not a VM in this exercise; the VMs are: ...
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cached_property

from vmconcepts._text import counted
from vmconcepts.errors import InvalidValueError, NotEnoughResourcesError
from vmconcepts.exercises.problem import Exercise, Solution, read_choice, read_collection, wrap
from vmconcepts.host import Host
from vmconcepts.hypervisor import Hypervisor
from vmconcepts.infrastructure import Machine
from vmconcepts.overcommit import Overcommit
from vmconcepts.resources import Resources

__all__ = ["VMFitExercise"]


@dataclass(frozen=True)
class _Setup:
    """A machine, the hypervisors that suit it, and the VM sizes that make a fair problem."""

    machine: Machine
    hypervisors: tuple[str, ...]
    vcpus: tuple[int, ...]
    memory_gib: tuple[int, ...]


_SETUPS = (
    _Setup(
        Machine("rack-1", "server", Resources(16, "64 GiB", "4 TiB")),
        ("VMware ESXi", "Xen"),
        (2, 4, 8),
        (8, 16, 24, 32),
    ),
    _Setup(
        Machine(
            "macbook", "laptop", Resources(8, "16 GiB", "1 TiB"), os="macOS", architecture="arm64"
        ),
        ("Parallels Desktop for Mac", "VMware Fusion", "Oracle VirtualBox"),
        (1, 2, 4),
        (2, 4, 6, 8),
    ),
    _Setup(
        Machine("pc", "desktop", Resources(12, "32 GiB", "2 TiB"), os="Windows 11"),
        ("VMware Workstation", "Oracle VirtualBox", "Microsoft Hyper-V"),
        (2, 4, 6),
        (4, 8, 12, 16),
    ),
)
_NAMES = ("web", "db", "mail", "build", "cache", "test", "ci", "vpn")
_GUESTS = ("Ubuntu 24.04", "Debian 12", "Fedora", "Windows 11", "FreeBSD", "Alpine Linux")
_VMS = 5
_TRIES = 50


@dataclass(frozen=True)
class _VM:
    name: str
    guest: str
    resources: Resources


@dataclass(frozen=True)
class _Run:
    """What the host did: the VMs it started, and each step in words."""

    running: tuple[str, ...]
    refused: tuple[tuple[str, str], ...]
    steps: tuple[str, ...]
    free_before: dict[str, Resources]
    host: Host


class VMFitExercise(Exercise[tuple[str, ...]]):
    """Which VMs are running after each is started in turn, on a host with a cautious policy?

    The host promises no more memory than it has, and at most 1 or 2 vCPUs per hardware
    thread: a cautious operator's `Overcommit` policy, not what KVM or ESXi do as shipped.

    The answer is the names of the running VMs (a set, list or tuple of names; the
    solution gives them in start order). The solution also names the first VM the host
    refuses and quotes the host's reason.

    Args:
        seed: A whole number from 0 up; the same seed always gives the same problem.

    Examples:
        >>> problem = VMFitExercise(seed=7)
        >>> problem
        VMFitExercise(seed=7)
        >>> problem.solve()
        Solution(answer=('web', 'vpn', 'ci'))
        >>> print(problem.check({"web", "vpn", "ci", "cache"}))
        Not yet: 'cache' does not start: VM 'cache' needs 8 GiB of memory but the host has 4 GiB free of 16 GiB under its policy (up to 2 vCPUs per hardware thread; no more memory than the host has); stop a VM, give it less memory, or install with a looser Overcommit policy.
        >>> print(problem.check(["web", "vpn"]))
        Not yet: a refusal does not end the list: the host leaves the refused VM off and tries the next one with what is still free.
    """

    name = "vm-fit"
    chapter = "why-vms.md"
    title = "which VMs fit on this host, and which is refused first?"
    shape = "a set of VM names, such as {'web', 'db'}"

    def _build(self, rng: random.Random) -> None:
        setup = _SETUPS[rng.randrange(len(_SETUPS))]
        self.machine = setup.machine
        self.hypervisor = rng.choice(setup.hypervisors)
        self.vcpu_ratio = rng.choice((1, 2))
        for _ in range(_TRIES):
            names = rng.sample(_NAMES, _VMS)
            self.vms = tuple(
                _VM(
                    name,
                    rng.choice(_GUESTS),
                    Resources(
                        rng.choice(setup.vcpus),
                        f"{rng.choice(setup.memory_gib)} GiB",
                        f"{rng.choice((32, 64, 128))} GiB",
                    ),
                )
                for name in names
            )
            run = self._run()
            # A fair problem refuses some VM and still starts one after the first refusal.
            first = [vm.name for vm in self.vms].index(run.refused[0][0]) if run.refused else _VMS
            if run.refused and any(vm.name in run.running for vm in self.vms[first + 1 :]):
                break

    def _run(
        self, vcpu_ratio: int | None = None, *, stop_at_refusal: bool = False, explain: bool = False
    ) -> _Run:
        """Start the VMs in order on a fresh host, as the library's `Host` does it.

        With ``explain``, also note each step in words and what was free before it.
        """
        ratio = self.vcpu_ratio if vcpu_ratio is None else vcpu_ratio
        policy = Overcommit(vcpu_ratio=ratio, memory_ratio=1)
        host = Hypervisor.named(self.hypervisor).install_on(self.machine, overcommit=policy)
        running: list[str] = []
        refused: list[tuple[str, str]] = []
        steps: list[str] = []
        free_before: dict[str, Resources] = {}
        for number, vm in enumerate(self.vms, start=1):
            if explain:
                free_before[vm.name] = _free(host)
            try:
                host.create_vm(vm.name, vm.guest, vm.resources).start()
            except NotEnoughResourcesError as error:
                refused.append((vm.name, str(error)))
                steps.append(wrap(f"{number}. {vm.name}: refused: {error}", "  ", "     "))
                if stop_at_refusal:
                    break
            else:
                running.append(vm.name)
                if not explain:
                    continue
                free = _free(host)
                left = f"{_vcpus(free.vcpus)} and {free.memory} of memory are left"
                steps.append(wrap(f"{number}. {vm.name}: started; {left}.", "  ", "     "))
        return _Run(tuple(running), tuple(refused), tuple(steps), free_before, host)

    def _question(self) -> str:
        hardware = self.machine.resources
        where = "" if self.machine.os is None else f"runs {self.machine.os} and "
        intro = (
            f"A {self.machine.kind_and_name} has {hardware.vcpus} hardware"
            f" threads, {hardware.memory} of memory and {hardware.disk} of disk. It {where}has"
            f" {self.hypervisor} installed with the policy Overcommit(vcpu_ratio="
            f"{self.vcpu_ratio}, memory_ratio=1): it hands out up to"
            f" {self.vcpu_ratio * hardware.vcpus} vCPUs to running VMs and promises no more"
            " memory than it has. (That is a cautious operator's choice: KVM and ESXi, as"
            " shipped, promise more.)"
        )
        order = (
            "These VMs are created and started one after another. When the host refuses to"
            " start one, that VM stays off and the next one is tried."
        )
        width = max(len(vm.name) for vm in self.vms)
        rows = [
            f"  {number}. {vm.name:<{width}}  {vm.guest:<12}  {_vcpus(vm.resources.vcpus):<7}"
            f"  {vm.resources.memory!s:>6} memory  {vm.resources.disk!s:>7} disk"
            for number, vm in enumerate(self.vms, start=1)
        ]
        ask = "Which VMs are running at the end? (The solution also names the first refused.)"
        return "\n\n".join([wrap(intro), wrap(order), "\n".join(rows), wrap(ask)])

    def _solve(self) -> Solution[tuple[str, ...]]:
        """Start the VMs on the library's host and report what it did.

        Examples:
            >>> print(VMFitExercise(seed=7).solve())
            Answer: {'web', 'vpn', 'ci'}
            <BLANKLINE>
            What Parallels Desktop for Mac did, in order:
              1. web: started; 15 vCPUs and 12 GiB of memory are left.
              2. vpn: started; 13 vCPUs and 4 GiB of memory are left.
              3. cache: refused: VM 'cache' needs 8 GiB of memory but the host has 4 GiB free of
                 16 GiB under its policy (up to 2 vCPUs per hardware thread; no more memory than the
                 host has); stop a VM, give it less memory, or install with a looser Overcommit
                 policy.
              4. ci: started; 12 vCPUs and 0 B of memory are left.
              5. mail: refused: VM 'mail' needs 2 GiB of memory but the host has 0 B free of 16 GiB
                 under its policy (up to 2 vCPUs per hardware thread; no more memory than the host
                 has); stop a VM, give it less memory, or install with a looser Overcommit policy.
            <BLANKLINE>
            The first VM refused is 'cache'. A refused VM stays off, and the next one is still tried
            with what is free.
            <BLANKLINE>
            What the host holds at the end:
                    promised    in use  hardware
            vCPUs          4         4         8
            memory    16 GiB    16 GiB    16 GiB
            disk     352 GiB       0 B     1 TiB
        """
        run = self._result
        shown = "{" + ", ".join(repr(name) for name in run.running) + "}"
        lines = [f"What {self.hypervisor} did, in order:", *run.steps]
        if run.refused:
            lines += [
                "",
                wrap(
                    f"The first VM refused is {run.refused[0][0]!r}. A refused VM stays off,"
                    " and the next one is still tried with what is free."
                ),
            ]
        lines += ["", "What the host holds at the end:", str(run.host.usage())]
        return Solution(run.running, shown, "\n".join(lines))

    def _read(self, answer: object) -> tuple[str, ...]:
        names = [vm.name for vm in self.vms]
        given = {read_choice(item, names, "VM") for item in read_collection(answer, self.shape)}
        return tuple(name for name in names if name in given)

    @cached_property
    def _result(self) -> _Run:
        """What the host does with the problem's own settings, step by step."""
        return self._run(explain=True)

    def _mistake(self, given: tuple[str, ...]) -> str:
        run = self._result
        if given == run.running:
            return ""
        threads = self.machine.resources.vcpus
        if self.vcpu_ratio != 1 and given == self._run(vcpu_ratio=1).running:
            return (
                f"you handed out one vCPU per hardware thread, but the policy allows"
                f" vcpu_ratio={self.vcpu_ratio}: it hands out up to"
                f" {threads * self.vcpu_ratio} vCPUs in all, not {threads}."
            )
        if given == self._run(stop_at_refusal=True).running:
            return (
                "a refusal does not end the list: the host leaves the refused VM off and"
                " tries the next one with what is still free."
            )
        refused = dict(run.refused)
        for name in given:
            if name in refused:
                return f"{name!r} does not start: {refused[name]}"
        missing = next(name for name in run.running if name not in given)
        need = next(vm.resources for vm in self.vms if vm.name == missing)
        free = run.free_before[missing]
        return (
            f"{missing!r} does start: when its turn comes, {_vcpus(free.vcpus)} and"
            f" {free.memory} of memory are free, and it needs {_vcpus(need.vcpus)} and"
            f" {need.memory}."
        )


def _vcpus(count: int) -> str:
    return counted(count, "vCPU")


def _free(host: Host) -> Resources:
    """What the host's policy still lets it promise (its policy always has both limits here)."""
    vcpus, memory = host.overcommit.limit(host.machine.resources)
    promised = host.usage().promised
    if vcpus is None or memory is None:  # pragma: no cover - _run always sets both
        msg = f"the exercise's host has no limit to count down from: {host.overcommit!r}"
        raise InvalidValueError(msg)
    return Resources(vcpus - promised.vcpus, memory - promised.memory)
