"""A host: a machine with a hypervisor, sharing its CPUs, memory and disk among VMs.

The rules, in the order a VM meets them:

- creating a VM reserves its disk, and is refused if the VM could never fit;
- starting it takes its vCPUs and memory, and stopping it gives them back;
- memory is not overcommitted unless you install with ``memory_ratio`` above 1;
- vCPUs are handed out up to ``vcpu_ratio`` per hardware thread (1 by default).

Examples:
    >>> from vmconcepts import Hypervisor, Machine, Resources
    >>> mac = Machine("macbook", "laptop", Resources(8, "16 GiB", "512 GiB"), os="macOS")
    >>> host = Hypervisor.named("Parallels").install_on(mac)
    >>> linux = host.create_vm("linux", "Ubuntu 24.04", Resources(2, "10 GiB", "64 GiB"))
    >>> win10 = host.create_vm("win10", "Windows 10", Resources(2, "8 GiB", "64 GiB"))
    >>> linux.start()
    >>> win10.start()
    Traceback (most recent call last):
    ...
    vmconcepts.errors.NotEnoughResourcesError: VM 'win10' needs 8 GiB of memory but the host has 6 GiB free of 16 GiB; stop a VM or give it less memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from vmconcepts.diagram import Layer, LayerKind, Stack
from vmconcepts.errors import InvalidValueError, NotEnoughResourcesError, UnknownProductError
from vmconcepts.operating_system import OperatingSystem
from vmconcepts.resources import Resources, Size
from vmconcepts.virtual_machine import VirtualMachine

if TYPE_CHECKING:
    from vmconcepts.hypervisor import Hypervisor
    from vmconcepts.infrastructure import Machine

__all__ = ["Host", "Usage"]


def _ratio(name: str, value: object) -> Fraction:
    """Check an overcommit ratio: a finite number of at least 1."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        msg = f"{name} is a number such as 1 or 4, not {value!r}"
        raise InvalidValueError(msg)
    if value < 1:
        msg = f"{name} must be at least 1 (1 means no overcommit), not {value!r}"
        raise InvalidValueError(msg)
    return Fraction(value)


def _vcpus(count: int) -> str:
    """Count vCPUs in words: '1 vCPU', '2 vCPUs'."""
    return f"{count} vCPU" if count == 1 else f"{count} vCPUs"


@dataclass(frozen=True)
class Usage:
    """What a host's VMs use of its resources, and what is still free.

    Args:
        total: What the host can hand out (hardware times the overcommit ratios).
        used: What running and paused VMs hold (vCPUs, memory) and every VM's disk.

    Examples:
        >>> usage = Usage(Resources(8, "16 GiB", "512 GiB"), Resources(2, "4 GiB", "64 GiB"))
        >>> usage.free
        Resources(vcpus=6, memory='12 GiB', disk='448 GiB')
        >>> print(usage)
                    used      free     total
        vCPUs          2         6         8
        memory     4 GiB    12 GiB    16 GiB
        disk      64 GiB   448 GiB   512 GiB
    """

    total: Resources
    used: Resources

    @property
    def free(self) -> Resources:
        """What is left: total minus used."""
        return self.total - self.used

    def __str__(self) -> str:
        """A small table of used, free and total resources."""
        free = self.free
        rows = [
            ("", "used", "free", "total"),
            ("vCPUs", str(self.used.vcpus), str(free.vcpus), str(self.total.vcpus)),
            ("memory", str(self.used.memory), str(free.memory), str(self.total.memory)),
            ("disk", str(self.used.disk), str(free.disk), str(self.total.disk)),
        ]
        return "\n".join(
            f"{label:<6}" + "".join(f"{cell:>10}" for cell in cells) for label, *cells in rows
        )


class Host:
    """A machine with a hypervisor installed: it creates VMs and shares its resources.

    Get one from `Hypervisor.install_on`, which checks that the hypervisor suits the machine.
    ``files`` stands for the host's own files (path to text), which guests cannot reach
    except through a shared folder.

    Args:
        machine: The physical machine.
        hypervisor: The hypervisor installed on it.
        vcpu_ratio: vCPUs the host may hand out per hardware thread (at least 1).
        memory_ratio: Memory it may promise per byte it has; 1, the default, overcommits none.

    Examples:
        >>> from vmconcepts import Hypervisor, Machine, Resources
        >>> server = Machine("rack-1", "server", Resources(8, "32 GiB", "1 TiB"))
        >>> host = Hypervisor.named("Xen").install_on(server, vcpu_ratio=2)
        >>> host.capacity
        Resources(vcpus=16, memory='32 GiB', disk='1 TiB')
    """

    def __init__(
        self,
        machine: Machine,
        hypervisor: Hypervisor,
        *,
        vcpu_ratio: float = 1,
        memory_ratio: float = 1,
    ) -> None:
        """Install ``hypervisor`` on ``machine``, refusing a layer or kernel that does not fit."""
        hypervisor.check_machine(machine)
        self.machine = machine
        self.hypervisor = hypervisor
        self.vcpu_ratio = _ratio("vcpu_ratio", vcpu_ratio)
        self.memory_ratio = _ratio("memory_ratio", memory_ratio)
        self.files: dict[str, str] = {}
        self._vms: dict[str, VirtualMachine] = {}

    def __repr__(self) -> str:
        """Name the machine, the hypervisor and the VMs."""
        return (
            f"Host(machine={self.machine.name!r}, hypervisor={self.hypervisor.name!r},"
            f" vms={list(self._vms)!r})"
        )

    @property
    def vms(self) -> tuple[VirtualMachine, ...]:
        """The VMs on this host that have not been deleted, oldest first."""
        return tuple(self._vms.values())

    def vm(self, name: str) -> VirtualMachine:
        """Find a VM by name.

        Raises:
            UnknownProductError: No VM has that name; the message suggests the closest.
        """
        if name not in self._vms:
            raise UnknownProductError(kind="VM", name=str(name), known=list(self._vms))
        return self._vms[name]

    @property
    def capacity(self) -> Resources:
        """What the host can hand out: its hardware, times the overcommit ratios."""
        hardware = self.machine.resources
        return Resources(
            math.floor(hardware.vcpus * self.vcpu_ratio),
            Size(math.floor(hardware.memory.bytes * self.memory_ratio)),
            hardware.disk,
        )

    @property
    def used(self) -> Resources:
        """What the VMs hold: vCPUs and memory while running or paused, disk until deleted."""
        total = Resources(0, "0 B")
        for vm in self._vms.values():
            holds_cpu = vm.state in ("running", "paused")
            total += Resources(
                vm.resources.vcpus if holds_cpu else 0,
                vm.resources.memory if holds_cpu else Size(0),
                vm.resources.disk,
            )
        return total

    def usage(self) -> Usage:
        """A report of what is used and free.

        Examples:
            >>> from vmconcepts import Hypervisor, Machine, Resources
            >>> server = Machine("rack-1", "server", Resources(8, "32 GiB", "1 TiB"))
            >>> host = Hypervisor.named("ESXi").install_on(server)
            >>> host.create_vm("db", "Debian 12", Resources(4, "16 GiB", "200 GiB")).start()
            >>> print(host.usage())
                        used      free     total
            vCPUs          4         4         8
            memory    16 GiB    16 GiB    32 GiB
            disk     200 GiB   824 GiB     1 TiB
        """
        return Usage(self.capacity, self.used)

    def create_vm(
        self, name: str, guest_os: OperatingSystem | str, resources: Resources
    ) -> VirtualMachine:
        """Create a VM, reserving its disk; it holds no CPU or memory until it starts.

        Args:
            name: A name not used by another VM on this host.
            guest_os: The guest OS, as an `OperatingSystem` or a catalogue name.
            resources: What the VM gets: at least 1 vCPU and some memory.

        Raises:
            InvalidValueError: The name is taken or empty, or the resources are not usable.
            NotEnoughResourcesError: The VM could never run here, or its disk does not fit.

        Examples:
            >>> from vmconcepts import Hypervisor, Machine, Resources
            >>> mac = Machine("macbook", "laptop", Resources(8, "16 GiB", "512 GiB"), os="macOS")
            >>> host = Hypervisor.named("Fusion").install_on(mac)
            >>> host.create_vm("huge", "Windows 11", Resources(4, "32 GiB", "64 GiB"))
            Traceback (most recent call last):
            ...
            vmconcepts.errors.NotEnoughResourcesError: VM 'huge' asks for 32 GiB of memory but the host has 16 GiB in all; give it at most 16 GiB.
        """
        if not isinstance(name, str) or not name.strip():
            msg = f"a VM needs a name such as 'win10', not {name!r}"
            raise InvalidValueError(msg)
        if name in self._vms:
            msg = f"this host already has a VM named {name!r}; choose another name"
            raise InvalidValueError(msg)
        if isinstance(guest_os, str):
            guest_os = OperatingSystem.named(guest_os)
        if not isinstance(guest_os, OperatingSystem):
            msg = f"the guest OS must be an OperatingSystem or its name, not {guest_os!r}"
            raise InvalidValueError(msg)
        if not isinstance(resources, Resources) or resources.vcpus < 1 or not resources.memory:
            msg = f"a VM needs Resources with at least 1 vCPU and some memory, not {resources!r}"
            raise InvalidValueError(msg)
        self._check_fits_at_all(name, resources)
        vm = VirtualMachine(name, guest_os, resources, self)
        self._vms[name] = vm
        return vm

    def _check_fits_at_all(self, name: str, need: Resources) -> None:
        total, free = self.capacity, self.capacity - self.used
        if need.vcpus > total.vcpus:
            msg = (
                f"VM {name!r} asks for {_vcpus(need.vcpus)} but the host can hand out"
                f" {total.vcpus} in all; give it at most {total.vcpus}."
            )
            raise NotEnoughResourcesError(msg)
        if need.memory > total.memory:
            msg = (
                f"VM {name!r} asks for {need.memory} of memory but the host has"
                f" {total.memory} in all; give it at most {total.memory}."
            )
            raise NotEnoughResourcesError(msg)
        if need.disk > free.disk:
            msg = (
                f"VM {name!r} needs {need.disk} of disk but the host has {free.disk} free"
                f" of {total.disk}; delete a VM or give it a smaller disk."
            )
            raise NotEnoughResourcesError(msg)

    def check_can_start(self, vm: VirtualMachine) -> None:
        """Refuse to start ``vm`` if the memory or vCPUs it needs are not free.

        `VirtualMachine.start` calls this; you need not.

        Raises:
            NotEnoughResourcesError: With the numbers, and what to do about it.
        """
        total, free = self.capacity, self.capacity - self.used
        need = vm.resources
        if need.memory > free.memory:
            msg = (
                f"{vm} needs {need.memory} of memory but the host has {free.memory} free of"
                f" {total.memory}; stop a VM or give it less memory."
            )
            raise NotEnoughResourcesError(msg)
        if need.vcpus > free.vcpus:
            threads = self.machine.resources.vcpus
            msg = (
                f"{vm} needs {_vcpus(need.vcpus)} but the host has {free.vcpus} free of"
                f" {total.vcpus} ({threads} hardware threads at a vcpu_ratio of"
                f" {float(self.vcpu_ratio):g}); stop a VM, give it fewer vCPUs, or install"
                " the hypervisor with a higher vcpu_ratio."
            )
            raise NotEnoughResourcesError(msg)

    def forget(self, vm: VirtualMachine) -> None:
        """Drop a deleted VM, giving its disk back; `VirtualMachine.delete` calls this."""
        if self._vms.get(vm.name) is vm:
            del self._vms[vm.name]

    def stack(self) -> Stack:
        """Draw what runs on what: hardware, host OS, hypervisor, then the VMs side by side.

        Examples:
            >>> from vmconcepts import Hypervisor, Machine, Resources
            >>> mac = Machine("macbook", "laptop", Resources(8, "16 GiB", "512 GiB"), os="macOS")
            >>> host = Hypervisor.named("VirtualBox").install_on(mac)
            >>> _ = host.create_vm("win10", "Windows 10", Resources(2, "4 GiB", "64 GiB"))
            >>> _ = host.create_vm("web", "Ubuntu 24.04", Resources(2, "4 GiB", "32 GiB"))
            >>> print(host.stack().to_text())
            Oracle VirtualBox on macbook
            +--------------------+--------------------+
            | win10 (Windows 10) | web (Ubuntu 24.04) |
            +--------------------+--------------------+
            |            Oracle VirtualBox            |
            +-----------------------------------------+
            |                  macOS                  |
            +-----------------------------------------+
            |             macbook (laptop)            |
            +-----------------------------------------+
        """
        stack = Stack(f"{self.hypervisor.name} on {self.machine.name}")
        stack = stack.with_row(Layer(self.machine.label, LayerKind.HARDWARE))
        host_os = self.machine.os
        guests = [Layer(f"{vm.name} ({vm.guest_os})", LayerKind.GUEST_OS) for vm in self.vms]
        hypervisor = Layer(self.hypervisor.name, LayerKind.HYPERVISOR)
        if host_os is None:
            stack = stack.with_row(hypervisor)
        elif self.hypervisor.installs == "under the host OS":
            stack = stack.with_row(hypervisor)
            guests.insert(0, Layer(f"{host_os} (root partition)", LayerKind.HOST_OS))
        elif self.hypervisor.installs == "in the host kernel":
            label = f"{host_os} with {self.hypervisor.name} in its kernel"
            stack = stack.with_row(Layer(label, LayerKind.HYPERVISOR))
        else:
            stack = stack.with_row(Layer(str(host_os), LayerKind.HOST_OS)).with_row(hypervisor)
        return stack.with_row(*guests) if guests else stack
