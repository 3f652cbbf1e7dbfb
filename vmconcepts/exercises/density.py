"""Exercise ``density``: how many copies of an app fit on a host as VMs and as containers?

The counts come from the library's `compare`, with Firecracker's sourced VMM overhead and,
when the problem says so, an assumed memory for each microVM's guest kernel and OS. Every
figure the question uses is printed with its source or marked as an assumption.

Examples:
    >>> problem = DensityExercise(seed=4)
    >>> problem.check((3, 4, 5))
    Traceback (most recent call last):
    ...
    vmconcepts.errors.InvalidValueError: the answer should be a pair of whole numbers (microVMs, containers), such as (20, 25); got (3, 4, 5)
"""

from __future__ import annotations

import random
from dataclasses import replace

from vmconcepts.comparison import (
    DOCKER_CONTAINER,
    FIRECRACKER_MEMORY_OVERHEAD,
    FIRECRACKER_MICROVM,
    Comparison,
    InstanceProfile,
    Measurement,
    compare,
    instances_per_host,
)
from vmconcepts.exercises.problem import Exercise, Solution, read_collection, shape_error, wrap
from vmconcepts.resources import Resources

__all__ = ["DensityExercise"]

Counts = tuple[int, int]

_HOST_VCPUS = (8, 16, 32, 64)
_HOST_MEMORY = ("2 GiB", "4 GiB", "8 GiB", "16 GiB")
_APP_VCPUS = (1, 1, 2)
_APP_MEMORY = ("64 MiB", "128 MiB", "256 MiB", "512 MiB")
_GUEST_MIB = (0, 32, 64, 128)


def _limits(host: Resources, each: Resources) -> str:
    """How many fit by vCPUs and by memory alone, in words."""
    by_cpu = instances_per_host(Resources(host.vcpus, "0 B"), Resources(each.vcpus, "0 B"))
    by_memory = instances_per_host(Resources(0, host.memory), Resources(0, each.memory))
    return (
        f"vCPUs allow {host.vcpus} // {each.vcpus} = {by_cpu}, memory allows"
        f" {host.memory} // {each.memory} = {by_memory}"
    )


class DensityExercise(Exercise[Counts]):
    """How many copies of one app fit on a host as Firecracker microVMs and as containers?

    The answer is a pair of whole numbers, (microVMs, containers); a dict with the keys
    ``"vms"`` and ``"containers"`` is read too.

    Args:
        seed: A whole number from 0 up; the same seed always gives the same problem.

    Examples:
        >>> problem = DensityExercise(seed=7)
        >>> problem.solve()
        Solution(answer=(...))
        >>> problem.check(problem.solve())
        Verdict(right=True, hint='')
    """

    name = "density"
    chapter = "containers.md"
    title = "how many copies of this app fit as VMs and as containers?"
    shape = "a pair of whole numbers (microVMs, containers), such as (20, 25)"

    def _build(self, rng: random.Random) -> None:
        self.host = Resources(rng.choice(_HOST_VCPUS), rng.choice(_HOST_MEMORY))
        self.app = Resources(rng.choice(_APP_VCPUS), rng.choice(_APP_MEMORY))
        self.guest_mib = rng.choice(_GUEST_MIB)

    @property
    def vm(self) -> InstanceProfile:
        """The microVM as this problem sees it: Firecracker's, with the assumed guest memory."""
        if not self.guest_mib:
            return FIRECRACKER_MICROVM
        guest = Measurement(
            self.guest_mib,
            "MiB",
            "memory of the guest kernel and OS",
            None,
            "assumed for this exercise",
            bound="assumed",
        )
        return replace(FIRECRACKER_MICROVM, guest_os_memory=guest)

    def _compare(self, vm: InstanceProfile | None = None) -> Comparison:
        return compare(self.app, self.host, vm=vm or self.vm, container=DOCKER_CONTAINER)

    def _question(self) -> str:
        overhead = FIRECRACKER_MEMORY_OVERHEAD
        guest = (
            f" plus an assumed {self.guest_mib} MiB for its guest kernel and OS (no sourced"
            " figure: an assumption for this exercise)"
            if self.guest_mib
            else " and, in this exercise, nothing for its guest kernel and OS"
        )
        paragraphs = [
            (
                f"A host has {self.host.vcpus} vCPUs and {self.host.memory} of memory free for"
                f" instances. One copy of an app needs {self.app.vcpus} vCPU"
                f"{'' if self.app.vcpus == 1 else 's'} and {self.app.memory} of memory."
            ),
            (
                "As a Firecracker microVM, each copy takes what the app needs, plus the VMM's"
                f" own memory, {overhead} ({overhead.source}; measured on"
                f" {overhead.conditions}; the library uses it for every size){guest}."
            ),
            (
                "As a Docker container, each copy takes what the app needs and nothing more: a"
                " container started by runc, Docker's default runtime, has no kernel of its own,"
                " and its other overhead is assumed to be 0."
            ),
            (
                "Nothing is overcommitted. How many copies fit on the host as microVMs, and how"
                " many as containers?"
            ),
        ]
        return "\n\n".join(wrap(paragraph) for paragraph in paragraphs)

    def _solve(self) -> Solution[Counts]:
        """Count with the library's `compare`, and show which resource runs out first.

        Examples:
            >>> print(DensityExercise(seed=7).solve())
            Answer: (...)
            <BLANKLINE>
            Each microVM takes ...
        """
        result = self._compare()
        vm_each = self.vm.per_instance(self.app)
        box_each = DOCKER_CONTAINER.per_instance(self.app)
        lines = [
            wrap(f"Each microVM takes {vm_each}: {_limits(self.host, vm_each)}."),
            wrap(f"Each container takes {box_each}: {_limits(self.host, box_each)}."),
            wrap(
                "The scarcer resource decides: "
                f"{result.vm_count} microVMs and {result.container_count} containers."
            ),
        ]
        if result.vm_count == result.container_count:
            lines.append(
                wrap(
                    "Both counts are the same: the extra memory each microVM takes does not"
                    " change the count here."
                )
            )
        answer = (result.vm_count, result.container_count)
        return Solution(answer, repr(answer), "\n".join(lines))

    def _read(self, answer: object) -> Counts:
        if isinstance(answer, dict) and set(answer) == {"vms", "containers"}:
            answer = (answer["vms"], answer["containers"])
        pair = read_collection(answer, self.shape)
        if len(pair) != 2 or not all(  # noqa: PLR2004 - a pair
            isinstance(count, int) and not isinstance(count, bool) and count >= 0 for count in pair
        ):
            raise shape_error(answer, self.shape)
        vms, boxes = pair
        assert isinstance(vms, int)  # noqa: S101 - checked just above; narrows the type
        assert isinstance(boxes, int)  # noqa: S101
        return vms, boxes

    def _mistake(self, given: Counts) -> str:
        vms, boxes = self.solve().answer
        if given == (vms, boxes):
            return ""
        if given == (boxes, vms):
            return "the pair is (microVMs, containers): you gave them the other way round."
        if given[1] != boxes:
            each = DOCKER_CONTAINER.per_instance(self.app)
            return (
                f"a container takes just what the app needs, {each}; on this host that is"
                f" limited by the scarcer resource: {_limits(self.host, each)}."
            )
        return self._vm_mistake(given[0])

    def _vm_mistake(self, given: int) -> str:
        """A hint for a wrong microVM count, when the container count is right."""
        if given == self.solve().answer[1]:
            guest = f", plus {self.guest_mib} MiB assumed for its guest" if self.guest_mib else ""
            return (
                "a microVM takes more memory than a container: the app's, plus the Firecracker"
                f" VMM's own ({FIRECRACKER_MEMORY_OVERHEAD}){guest}."
            )
        no_vmm = replace(
            FIRECRACKER_MICROVM,
            memory_overhead=DOCKER_CONTAINER.memory_overhead,
            guest_os_memory=self.vm.guest_os_memory,
        )
        if given == self._compare(no_vmm).vm_count:
            return (
                f"each microVM also holds the Firecracker VMM's own memory,"
                f" {FIRECRACKER_MEMORY_OVERHEAD}, beside the app's."
            )
        if self.guest_mib and given == self._compare(FIRECRACKER_MICROVM).vm_count:
            return (
                f"each microVM also holds its guest kernel and OS: the {self.guest_mib} MiB"
                " the question assumes."
            )
        each = self.vm.per_instance(self.app)
        return (
            f"one microVM takes {each}; divide what the host has by that, amount by amount,"
            f" and take the smaller: {_limits(self.host, each)}."
        )
