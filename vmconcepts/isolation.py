"""Isolation kinds: what stands between a workload and its neighbours, and what they still share.

Five ways to run a Linux workload beside others on one server, from the thinnest wall to
the thickest:

- a *runc container*, Docker's default, runs on the host's own kernel, fenced in by
  namespaces, cgroups, a reduced set of capabilities, a seccomp filter and, where the host
  has one, an LSM such as AppArmor or SELinux (Docker Docs, "Docker security");
- *gVisor* serves the container's system calls from its Sentry, an application kernel in
  user space, which itself uses only a small set of the host's system calls (gVisor README;
  gvisor.dev, "Security Model");
- *Kata Containers* runs each container or pod in a lightweight VM with a Linux guest kernel
  of its own, on a hypervisor such as QEMU or Cloud Hypervisor (katacontainers.io; Kata
  Containers docs, "Guest assets", "Hypervisors" and "Limitations");
- a *Firecracker microVM* runs a Linux guest kernel of its own on KVM, with a handful of
  virtual devices (Firecracker README, docs/design.md, docs/kernel-policy.md);
- a *full VM* runs any guest OS built for the processor, on a hypervisor that can offer a
  whole machine's worth of virtual devices.

`place` puts a `Workload` into one of them and answers what it shares with the host and
with its neighbours. It refuses assumptions that do not hold, such as a kernel version of
its own in a runc container, with the library's errors and a message that says what would
work. Whatever the kind, neighbours on one server share its processor, memory and
bandwidth. Software can ration them (cgroups, rate limits, vCPUs pinned to cores, SMT off)
but not end the sharing: with strangers kept off a core, the processor's last-level cache
and memory bandwidth are still common, and only hardware kept for one customer ends it
(L1TF, CVE-2018-3646, leaked data across VM walls through the L1 cache), and
`Placement.require_private` says so.

Where the model simplifies: one Linux host and five kinds, each with its usual set-up.
Real deployments add layers (a runc container inside a cloud VM; Firecracker's jailer,
which puts the VMM in namespaces, cgroups and a chroot) and change defaults, as other
engines do: the runc walls listed are Docker Engine's defaults. Costs come
only from cited figures in `vmconcepts.comparison`; where there is none, the model says
"no cited figure" rather than guess one. Refusing untrusted code in a runc container is the
model's policy, taken from the gVisor README's warning, not a rule any runtime enforces.
A workload here chooses its own guest kernel version; in Kata Containers the node's runtime
configuration chooses it (by default one based on the latest Linux LTS release, Kata docs,
"Guest assets"), and Firecracker validates only some guest kernels (5.10, 6.1 and 6.18 in
its docs/kernel-policy.md; others "might work").

Examples:
    >>> runc = IsolationKind.named("runc")
    >>> runc
    IsolationKind('runc container')
    >>> runc.runs_on
    "the host's kernel"
    >>> place(Workload("api"), runc).shares(Shared.HOST_KERNEL)
    True
    >>> place(Workload("api"), IsolationKind.named("Kata")).shares(Shared.HOST_KERNEL)
    False
"""

from __future__ import annotations

import dataclasses
import enum
import textwrap
from dataclasses import dataclass, field

from vmconcepts.comparison import (
    DOCKER_START_SSD,
    FIRECRACKER_BOOT,
    FIRECRACKER_MEMORY_OVERHEAD,
    NAMESPACE_SETUP,
    Measurement,
)
from vmconcepts.diagram import Layer, LayerKind, Stack
from vmconcepts.errors import (
    IncompatibleKernelError,
    InvalidValueError,
    IsolationError,
    UnknownProductError,
)
from vmconcepts.operating_system import Kernel

__all__ = [
    "DEFAULT_HOST_KERNEL",
    "ESCAPES",
    "Escape",
    "IsolationKind",
    "Placement",
    "Power",
    "Shared",
    "Workload",
    "fitting",
    "place",
]

#: The kernel the model's host runs, unless `place` is given another.
DEFAULT_HOST_KERNEL = Kernel("linux", "6.8")

# The width descriptions are wrapped to, as the exercises' text is.
_WIDTH = 88

#: What a workload needs by default: Linux, of whatever version the host runs.
_ANY_LINUX = Kernel("linux")

_NO_FIGURE = "no cited figure"


class Shared(enum.Enum):
    """Something a workload may share with its neighbours on one server.

    The first two are software layers: which one a kind shares is the heart of its
    isolation. ``HOST_KERNEL`` means the workload's system calls reach the host's kernel;
    ``HYPERVISOR`` means they stop at a guest kernel, and a hypervisor (for KVM, a part of
    the host's kernel) stands between the guests. The other three are hardware, which every
    kind shares: software can ration them, but only a server kept for one customer ends the
    sharing.

    Examples:
        >>> Shared.PROCESSOR
        Shared.PROCESSOR
        >>> print(Shared.PROCESSOR)
        the processor and its caches
        >>> [kind.name for kind in Shared if kind.hardware]
        ['PROCESSOR', 'MEMORY', 'BANDWIDTH']
    """

    HOST_KERNEL = "the host kernel"
    HYPERVISOR = "the hypervisor"
    PROCESSOR = "the processor and its caches"
    MEMORY = "physical memory"
    BANDWIDTH = "disk and network bandwidth"

    def __repr__(self) -> str:
        """Show the member as it is written in code."""
        return f"{type(self).__name__}.{self.name}"

    def __str__(self) -> str:
        """The thing in words."""
        return self.value

    @property
    def hardware(self) -> bool:
        """True for the server's hardware, False for a software layer.

        Examples:
            >>> Shared.HOST_KERNEL.hardware, Shared.MEMORY.hardware
            (False, True)
        """
        return self in {Shared.PROCESSOR, Shared.MEMORY, Shared.BANDWIDTH}


_HARDWARE = (Shared.PROCESSOR, Shared.MEMORY, Shared.BANDWIDTH)


@dataclass(frozen=True, repr=False)
class Power:
    """Whether an isolation kind offers a power, such as live migration; how; and the source.

    Args:
        available: True when the kind's own documentation offers it.
        how: What it offers, or why not, in a few words.
        source: Where that is said.

    Examples:
        >>> migration = IsolationKind.named("full VM").live_migration
        >>> migration
        Power(available=True)
        >>> print(IsolationKind.named("runc").snapshots)
        experimental: Docker's checkpoint command freezes a container to files with CRIU (Docker Docs, "docker checkpoint")
    """

    available: bool
    how: str
    source: str

    def __repr__(self) -> str:
        """Say only whether it is available; print it for the rest."""
        return f"Power(available={self.available})"

    def __str__(self) -> str:
        """How, then the source in brackets."""
        return f"{self.how} ({self.source})"


@dataclass(frozen=True)
class Escape:
    """A published break through an isolation wall, an escape or a leak, and what it teaches.

    Args:
        cve: The CVE number.
        name: The name it is known by.
        date: When it was published.
        outcome: What it let one side do to the other, in a few words.
        how: What the flaw was and how it worked, in a sentence.
        lesson: What it teaches about attack surface.
        source: Where it is described.

    Examples:
        >>> print(ESCAPES[0])
        CVE-2019-5736 (runc, February 2019): a container could take over its host, as root
    """

    cve: str
    name: str
    date: str
    outcome: str
    how: str
    lesson: str
    source: str

    def __str__(self) -> str:
        """Number, name, date and what it let an attacker do, on one line."""
        return f"{self.cve} ({self.name}, {self.date}): {self.outcome}"


#: Walls broken on both sides: a container escape, a hypervisor's device flaw, a processor leak.
ESCAPES: tuple[Escape, ...] = (
    Escape(
        "CVE-2019-5736",
        "runc",
        "February 2019",
        "a container could take over its host, as root",
        "a process running as root inside a container could overwrite the host's runc"
        " binary, the program that starts containers, and so run code as root on the host",
        "the program that builds the wall is part of the attack surface, not only the kernel;"
        " and the attack needed root inside the container, so an app that runs as an"
        " ordinary user there narrows the door",
        "NVD, CVE-2019-5736",
    ),
    Escape(
        "CVE-2015-3456",
        "VENOM",
        "May 2015",
        "a guest could crash, and possibly take over, the hypervisor's process",
        "a flaw in QEMU's emulated floppy-disk controller let a guest crash the QEMU process"
        " that runs it, and possibly run its own code there",
        "every emulated device is code a guest can reach, even one turned off: on Xen and"
        " QEMU the flawed controller stayed reachable when the virtual floppy drive was"
        " disabled; a VMM with fewer devices, as Firecracker is designed to be, gives an"
        " attacker less to aim at",
        "NVD, CVE-2015-3456; CrowdStrike, VENOM advisory",
    ),
    Escape(
        "CVE-2018-3646",
        "L1TF",
        "August 2018",
        "a guest could read other VMs' and the host's data, through the processor",
        "on affected Intel processors, a guest could read data that the host or another"
        " guest had left in the core's L1 data cache, through a side channel rather than"
        " any interface",
        "the wall runs through hardware that neighbours share: the fixes flush the cache"
        " when the processor enters a guest and keep strangers off a core's sibling"
        " hyperthreads",
        "NVD, CVE-2018-3646; Intel INTEL-SA-00161; Linux kernel docs, hw-vuln/l1tf.rst",
    ),
)


@dataclass(frozen=True, repr=False)
class IsolationKind:
    """One way to run a workload beside others: its kernel, its walls, what it shares, its costs.

    Take one from the catalogue with `IsolationKind.named`; the fields hold what the
    kind's documentation says, with the source in `source`.

    Args:
        name: What it is called, e.g. ``"gVisor"``.
        runs_on: Whose kernel the workload runs on, in words.
        host_kernel: Whether the workload shares the host's kernel, in words.
        own_kernel: True when the workload gets a Linux kernel of its own, whose version
            may differ from the host's. The model lets the workload choose it; in Kata
            Containers the node's runtime configuration does.
        boots_guest_kernel: True when a guest kernel boots before the workload starts.
        calls_into: What the workload's system calls reach first.
        reaches_host: What that layer, in turn, uses of the host.
        walls: What stands between the workload and its neighbours, innermost first.
        shares: What it shares with its neighbours on the same server.
        start_up: Cited figures about its start, each with its own conditions.
        memory: Cited figures about its memory beyond the app's own.
        snapshots: Whether it can save a running workload to files and resume it.
        live_migration: Whether it can move a running workload to another server.
        source: Where the description comes from.
        aliases: Other names `named` accepts, in lower case.

    Examples:
        >>> gvisor = IsolationKind.named("gVisor")
        >>> gvisor.own_kernel, gvisor.boots_guest_kernel
        (False, False)
        >>> [kind.name for kind in IsolationKind.catalogue() if kind.own_kernel]
        ['Kata Containers', 'Firecracker microVM', 'full VM']
    """

    name: str
    runs_on: str
    host_kernel: str
    own_kernel: bool
    boots_guest_kernel: bool
    calls_into: str
    reaches_host: str
    walls: tuple[str, ...]
    shares: tuple[Shared, ...]
    start_up: tuple[Measurement, ...]
    memory: tuple[Measurement, ...]
    snapshots: Power
    live_migration: Power
    source: str
    aliases: tuple[str, ...] = field(default=(), repr=False)

    def __repr__(self) -> str:
        """Name the kind."""
        return f"IsolationKind({self.name!r})"

    def __str__(self) -> str:
        """The kind's name."""
        return self.name

    @classmethod
    def catalogue(cls) -> tuple[IsolationKind, ...]:
        """The five kinds the model knows, from the thinnest wall to the thickest.

        Examples:
            >>> [kind.name for kind in IsolationKind.catalogue()]
            ['runc container', 'gVisor', 'Kata Containers', 'Firecracker microVM', 'full VM']
        """
        return _CATALOGUE

    @classmethod
    def named(cls, name: str) -> IsolationKind:
        """Look a kind up by its name or a short alias, ignoring case.

        Raises:
            UnknownProductError: No kind has that name; the message suggests the closest.

        Examples:
            >>> IsolationKind.named("firecracker"), IsolationKind.named("VM")
            (IsolationKind('Firecracker microVM'), IsolationKind('full VM'))
            >>> IsolationKind.named("docker")
            IsolationKind('runc container')
            >>> IsolationKind.named("gvisr")
            Traceback (most recent call last):
            ...
            vmconcepts.errors.UnknownProductError: no isolation kind named 'gvisr'; did you mean 'gVisor'? Known: runc container, gVisor, Kata Containers, Firecracker microVM, full VM
        """
        wanted = name.strip().lower() if isinstance(name, str) else ""
        for kind in _CATALOGUE:
            if wanted == kind.name.lower() or wanted in kind.aliases:
                return kind
        what = "isolation kind"
        raise UnknownProductError(what, str(name), [kind.name for kind in _CATALOGUE])

    @property
    def noun_phrase(self) -> str:
        """The kind's name as a sentence uses it, with "a" where it takes one.

        Examples:
            >>> IsolationKind.named("runc").noun_phrase, IsolationKind.named("gVisor").noun_phrase
            ('a runc container', 'gVisor')
        """
        if self.name in {"gVisor", "Kata Containers"}:
            return self.name
        return f"a {self.name}"

    def start_up_cost(self) -> str:
        """The cited start-up figures in a few words, or "no cited figure".

        Examples:
            >>> IsolationKind.named("Firecracker").start_up_cost()
            'at most 125 ms (InstanceStart API call to guest /sbin/init)'
            >>> IsolationKind.named("Kata").start_up_cost()
            'no cited figure'
        """
        return _costs(self.start_up)

    def memory_cost(self) -> str:
        """The cited memory figures beyond the app's own in a few words, or "no cited figure".

        It says which part of the cost no figure covers: a guest kernel and OS, which no
        source sizes in general, or whatever a container needs beyond having no kernel.

        Examples:
            >>> print(IsolationKind.named("Firecracker").memory_cost())
            at most 5 MiB (memory the Firecracker VMM uses beyond the guest's own memory); no cited figure for the guest kernel and OS
            >>> print(IsolationKind.named("runc").memory_cost())
            0 MiB (memory of a guest kernel: there is none); no cited figure for the rest
            >>> IsolationKind.named("gVisor").memory_cost()
            'no cited figure'
        """
        text = _costs(self.memory)
        if not self.memory:
            return text
        if all(figure.bound == "exactly" for figure in self.memory):
            return f"{text}; {_NO_FIGURE} for the rest"
        if self.boots_guest_kernel:
            return f"{text}; {_NO_FIGURE} for the guest kernel and OS"
        return text

    def figures(self) -> tuple[Measurement, ...]:
        """Every cited figure about this kind, start-up first, to read with `cite()`.

        Examples:
            >>> for figure in IsolationKind.named("runc").figures():
            ...     print(figure)
            8-10 ms
            about 0.57 s
            0 MiB
        """
        return (*self.start_up, *self.memory)

    def describe(self) -> str:
        """Say in a few lines whose kernel the workload runs on, what it calls and what it shares.

        Examples:
            >>> print(IsolationKind.named("gVisor").describe())
            gVisor
              runs on: gVisor's Sentry, an application kernel in user space
              calls into: the Sentry, which implements Linux's system calls itself and passes none
                straight through to the host
              reaches the host through: a small, listed set of host system calls, made by the Sentry
              shares with its neighbours: the host kernel, the processor and its caches, physical
                memory, disk and network bandwidth
        """
        shared = ", ".join(str(thing) for thing in self.shares)
        return "\n".join(
            [
                self.name,
                _field("runs on", self.runs_on),
                _field("calls into", self.calls_into),
                _field("reaches the host through", self.reaches_host),
                _field("shares with its neighbours", shared),
            ]
        )

    def stack(self, *workloads: str) -> Stack:
        """Draw the kind from the server up, with workloads side by side as neighbours.

        Args:
            *workloads: The workloads' names; two neighbours, "A" and "B", by default.

        Raises:
            InvalidValueError: A workload name is empty.

        Examples:
            >>> print(IsolationKind.named("gVisor").stack().to_text())
            gVisor
            +--------+--------+
            |   A    |   B    |
            +--------+--------+
            | Sentry | Sentry |
            +--------+--------+
            |   Host kernel   |
            +-----------------+
            |      Server     |
            +-----------------+
        """
        names = workloads or ("A", "B")
        for name in names:
            if not isinstance(name, str) or not name.strip():
                msg = f"a workload in a drawing needs a name such as 'A', not {name!r}"
                raise InvalidValueError(msg)
        stack = Stack(self.name).with_row(Layer("Server", LayerKind.HARDWARE))
        for label, kind, each in _LAYERS[self.name]:
            if each:
                stack = stack.with_row(*(Layer(label, kind) for _ in names))
            else:
                stack = stack.with_row(Layer(label, kind))
        top = (
            LayerKind.APP
            if self.name in {"Firecracker microVM", "full VM"}
            else LayerKind.CONTAINER
        )
        return stack.with_row(*(Layer(name, top) for name in names))


def _field(label: str, text: str) -> str:
    """One labelled line of a description, wrapped to `_WIDTH` with a hanging indent."""
    return "\n".join(
        textwrap.wrap(
            f"{label}: {text}",
            _WIDTH,
            initial_indent="  ",
            subsequent_indent="    ",
            break_long_words=False,
            break_on_hyphens=False,
        )
    )


def _costs(figures: tuple[Measurement, ...]) -> str:
    if not figures:
        return _NO_FIGURE
    return "; ".join(f"{figure} ({figure.what})" for figure in figures)


# What each kind puts between the server and its workloads: label, kind, and whether each
# workload has one of its own (True) or all share one (False).
_LAYERS: dict[str, tuple[tuple[str, LayerKind, bool], ...]] = {
    "runc container": (("Host kernel", LayerKind.HOST_OS, False),),
    "gVisor": (
        ("Host kernel", LayerKind.HOST_OS, False),
        ("Sentry", LayerKind.GUEST_OS, True),
    ),
    "Kata Containers": (
        ("Host kernel with KVM", LayerKind.HOST_OS, False),
        ("VMM", LayerKind.HYPERVISOR, True),
        ("Guest kernel", LayerKind.GUEST_OS, True),
    ),
    "Firecracker microVM": (
        ("Host kernel with KVM", LayerKind.HOST_OS, False),
        ("Firecracker", LayerKind.HYPERVISOR, True),
        ("Guest kernel", LayerKind.GUEST_OS, True),
    ),
    "full VM": (
        ("Hypervisor", LayerKind.HYPERVISOR, False),
        ("Guest kernel", LayerKind.GUEST_OS, True),
    ),
}

_DOCKER_SECURITY = 'Docker Docs, "Docker security" and "Seccomp security profiles for Docker"'
_NOT_DOCUMENTED = "not described in the documentation cited here"

#: Memory of a guest kernel in a runc container: none, by construction.
_NO_GUEST_KERNEL = Measurement(
    0,
    "MiB",
    "memory of a guest kernel: there is none",
    "by construction: runc runs the container on the host's kernel",
    "a container started by runc",
    bound="exactly",
)

_CATALOGUE = (
    IsolationKind(
        name="runc container",
        runs_on="the host's kernel",
        host_kernel="yes: it is the host's kernel",
        own_kernel=False,
        boots_guest_kernel=False,
        calls_into=(
            "the host kernel's system calls, through Docker's default seccomp filter, which"
            " blocks about 44 of more than 300"
        ),
        reaches_host="the host kernel itself: its system calls are the host's",
        walls=(
            "namespaces: its own view of processes, network, mounts and hostname",
            "cgroups: limits on its CPU time, memory and number of processes",
            "capabilities: root inside it gets only part of root's powers",
            (
                "seccomp: Docker Engine's default profile blocks about 44 of more than 300"
                " system calls (Kubernetes applies none unless a pod, or the kubelet's default, asks"
                " for RuntimeDefault)"
            ),
            "an LSM, AppArmor or SELinux, where the host has one",
            (
                "user-namespace remapping: off by default in rootful Docker, so root inside"
                " has UID 0 on the host, held back only by the other walls (capabilities,"
                " seccomp, an LSM); rootless Docker and rootless Podman map it to an ordinary user"
            ),
        ),
        shares=(Shared.HOST_KERNEL, *_HARDWARE),
        start_up=(NAMESPACE_SETUP, DOCKER_START_SSD),
        memory=(_NO_GUEST_KERNEL,),
        snapshots=Power(
            available=False,
            how="experimental: Docker's checkpoint command freezes a container to files with CRIU",
            source='Docker Docs, "docker checkpoint"',
        ),
        live_migration=Power(
            available=False,
            how=(
                "not built in: Docker's checkpoint feature is aimed at one host, and moving a"
                " container between machines with CRIU is not its priority"
            ),
            source='Docker Docs, "docker checkpoint"',
        ),
        source=_DOCKER_SECURITY,
        aliases=("runc", "container", "docker", "runc container"),
    ),
    IsolationKind(
        name="gVisor",
        runs_on="gVisor's Sentry, an application kernel in user space",
        host_kernel="yes, but reached only through the Sentry's small set of host calls",
        own_kernel=False,
        boots_guest_kernel=False,
        calls_into=(
            "the Sentry, which implements Linux's system calls itself and passes none straight"
            " through to the host"
        ),
        reaches_host="a small, listed set of host system calls, made by the Sentry",
        walls=(
            "the Sentry: an application kernel in user space that serves every system call",
            "a minimal, listed set of host system calls for the Sentry itself",
            "the host's cgroups, for limits on what it uses",
        ),
        shares=(Shared.HOST_KERNEL, *_HARDWARE),
        start_up=(),
        memory=(),
        snapshots=Power(
            available=True,
            how=(
                "runsc checkpoint saves a container's state to a file, and runsc restore resumes it"
            ),
            source='gVisor docs, "Checkpoint/Restore"',
        ),
        live_migration=Power(available=False, how=_NOT_DOCUMENTED, source="gvisor.dev"),
        source='google/gvisor README; gvisor.dev, "Security Model"',
        aliases=("gvisor", "runsc"),
    ),
    IsolationKind(
        name="Kata Containers",
        runs_on="a Linux guest kernel of its own, in a lightweight VM",
        host_kernel="not for its system calls; KVM, in the host kernel, is its hypervisor",
        own_kernel=True,
        boots_guest_kernel=True,
        calls_into="its own guest kernel",
        reaches_host=(
            "KVM in the host kernel, through the virtual devices of its VMM (such as QEMU or"
            " Cloud Hypervisor), a process on the host"
        ),
        walls=(
            "its own guest kernel",
            "hardware virtualization: a VM per container or pod, a second layer of defence",
        ),
        shares=(Shared.HYPERVISOR, *_HARDWARE),
        start_up=(),
        memory=(),
        snapshots=Power(
            available=False,
            how="its runtime offers no checkpoint and restore commands",
            source='Kata Containers docs, "Limitations"',
        ),
        live_migration=Power(
            available=False, how=_NOT_DOCUMENTED, source='Kata Containers docs, "Limitations"'
        ),
        source='katacontainers.io; Kata Containers docs, "Guest assets", "Hypervisors" and "Limitations"',
        aliases=("kata", "kata containers"),
    ),
    IsolationKind(
        name="Firecracker microVM",
        runs_on="a Linux guest kernel of its own, in a microVM on KVM",
        host_kernel="not for its system calls; KVM, in the host kernel, is its hypervisor",
        own_kernel=True,
        boots_guest_kernel=True,
        calls_into="its own guest kernel",
        reaches_host=(
            "KVM in the host kernel, through Firecracker's few devices (virtio network, block"
            " and vsock, a serial console and a few more); Firecracker is a process on the host"
        ),
        walls=(
            "its own guest kernel",
            "hardware virtualization through KVM, with few emulated devices",
            (
                "the jailer: namespaces, cgroups and a chroot around the Firecracker process,"
                " with its privileges dropped; Firecracker adds its own seccomp filters"
            ),
        ),
        shares=(Shared.HYPERVISOR, *_HARDWARE),
        start_up=(FIRECRACKER_BOOT,),
        memory=(FIRECRACKER_MEMORY_OVERHEAD,),
        snapshots=Power(
            available=True,
            how="a running microVM can be saved to a snapshot and later resumed from it",
            source="Firecracker docs/snapshotting/snapshot-support.md",
        ),
        live_migration=Power(available=False, how=_NOT_DOCUMENTED, source="Firecracker docs"),
        source="Firecracker README, docs/design.md, docs/kernel-policy.md, docs/prod-host-setup.md",
        aliases=("firecracker", "microvm", "firecracker microvm"),
    ),
    IsolationKind(
        name="full VM",
        runs_on="a guest kernel of its own, on a hypervisor",
        host_kernel=(
            "not for its system calls; its hypervisor may be part of a host kernel, as KVM is"
        ),
        own_kernel=True,
        boots_guest_kernel=True,
        calls_into="its own guest kernel",
        reaches_host=(
            "the hypervisor, through its virtual hardware, which a full machine emulator such as"
            " QEMU can make a whole PC's worth of devices"
        ),
        walls=(
            "its own guest kernel",
            "hardware virtualization: the hypervisor's interface is virtual hardware",
        ),
        shares=(Shared.HYPERVISOR, *_HARDWARE),
        start_up=(),
        memory=(),
        snapshots=Power(
            available=True,
            how=(
                "a snapshot captures a VM's state, a running VM's memory and devices included,"
                " to go back to later"
            ),
            source='Oracle VM VirtualBox manual, "VBoxManage snapshot"',
        ),
        live_migration=Power(
            available=True,
            how=(
                "pre-copy migration copies memory while the VM runs, then pauses it briefly to"
                " send the rest"
            ),
            source=(
                'Clark et al., "Live Migration of Virtual Machines", NSDI 2005;'
                ' QEMU docs, "Migration"'
            ),
        ),
        source="QEMU documentation; Clark et al., NSDI 2005",
        aliases=("vm", "full vm", "virtual machine"),
    ),
)


@dataclass(frozen=True)
class Workload:
    """Something to run, with what it needs: a kernel, and whether its code can be trusted.

    Args:
        name: A short name, e.g. ``"api"``.
        kernel: The kernel it needs: a family, and a version if it needs one. Linux, of
            whatever version the host runs, by default.
        untrusted: True when it runs code from strangers, such as uploaded functions.

    Raises:
        InvalidValueError: The name is empty, the kernel is not a `Kernel`, or untrusted is
            not True or False.

    Examples:
        >>> Workload("legacy", Kernel("linux", "5.15"))
        Workload(name='legacy', kernel=Kernel('linux', '5.15'), untrusted=False)
        >>> Workload("", untrusted=True)
        Traceback (most recent call last):
        ...
        vmconcepts.errors.InvalidValueError: a workload needs a name such as 'api', not ''
    """

    name: str
    kernel: Kernel = _ANY_LINUX
    untrusted: bool = False

    def __post_init__(self) -> None:
        """Check the name, the kernel and the flag."""
        if not isinstance(self.name, str) or not self.name.strip():
            msg = f"a workload needs a name such as 'api', not {self.name!r}"
            raise InvalidValueError(msg)
        if not isinstance(self.kernel, Kernel):
            msg = (
                "a workload's kernel is a Kernel such as Kernel('linux', '6.8'),"
                f" not {self.kernel!r}"
            )
            raise InvalidValueError(msg)
        if not isinstance(self.untrusted, bool):
            msg = (
                f"untrusted is True or False (does it run strangers' code?), not {self.untrusted!r}"
            )
            raise InvalidValueError(msg)


def _version(kernel: Kernel) -> str:
    return kernel.family if kernel.version is None else f"{kernel.family} {kernel.version}"


_OWN_KERNEL_KINDS = "Kata Containers, a Firecracker microVM or a full VM"


@dataclass(frozen=True)
class Placement:
    """A workload in an isolation kind on a host: what it runs on and what it shares.

    Made by `place`, which refuses a placement that cannot work.

    Args:
        workload: What runs.
        kind: How it is isolated.
        host: The host's kernel.
        kernel: The Linux kernel the workload runs on. In a runc container it is the
            host's, the very same object; in the other kinds each placement has one of its
            own, an equal but separate object, as each VM boots its own kernel (in gVisor,
            the Sentry's implementation of Linux, with no version to choose).

    Examples:
        >>> p = place(Workload("api"), IsolationKind.named("Firecracker"))
        >>> p
        Placement('api' in a Firecracker microVM)
        >>> p.kernel
        Kernel('linux')
        >>> p.shares(Shared.HYPERVISOR), p.shares(Shared.HOST_KERNEL)
        (True, False)
        >>> host = Kernel("linux", "6.8")
        >>> runc, vm = IsolationKind.named("runc"), IsolationKind.named("VM")
        >>> place(Workload("a"), runc, host).kernel is place(Workload("b"), runc, host).kernel is host
        True
        >>> place(Workload("a"), vm, host).kernel is place(Workload("b"), vm, host).kernel
        False
    """

    workload: Workload
    kind: IsolationKind
    host: Kernel
    kernel: Kernel

    def __repr__(self) -> str:
        """Name the workload and the kind."""
        return f"Placement({self.workload.name!r} in {self.kind.noun_phrase})"

    def __str__(self) -> str:
        """What the workload runs on, what it calls, how that reaches the host, what it shares."""
        neighbours = ", ".join(str(thing) for thing in self.shared_with_neighbours)
        return "\n".join(
            [
                f"{self.workload.name!r} in {self.kind.noun_phrase} on a {_version(self.host)} host",
                _field("runs on", self._runs_on()),
                _field("calls into", self.kind.calls_into),
                _field("reaches the host through", self.kind.reaches_host),
                _field("shares with its neighbours", neighbours),
            ]
        )

    def _runs_on(self) -> str:
        if self.kind.own_kernel and self.kernel.version is not None:
            return f"{self.kind.runs_on} ({_version(self.kernel)})"
        if self.kind.name == "runc container":
            return f"{self.kind.runs_on} ({_version(self.host)})"
        return self.kind.runs_on

    @property
    def shared_with_neighbours(self) -> tuple[Shared, ...]:
        """What the workload shares with the other workloads on the same server.

        Examples:
            >>> place(Workload("api"), IsolationKind.named("Kata")).shared_with_neighbours
            (Shared.HYPERVISOR, Shared.PROCESSOR, Shared.MEMORY, Shared.BANDWIDTH)
        """
        return self.kind.shares

    def shares(self, thing: Shared) -> bool:
        """Whether the workload shares ``thing`` with its neighbours.

        Raises:
            InvalidValueError: ``thing`` is not a `Shared`.

        Examples:
            >>> place(Workload("api"), IsolationKind.named("full VM")).shares(Shared.PROCESSOR)
            True
        """
        if not isinstance(thing, Shared):
            msg = f"ask about a Shared such as Shared.PROCESSOR, not {thing!r}"
            raise InvalidValueError(msg)
        return thing in self.kind.shares

    def require_private(self, thing: Shared) -> None:
        """Check the assumption that the workload shares ``thing`` with no neighbour.

        Raises:
            IsolationError: It does share it; the message says what would keep it private,
                if anything in the model does.
            InvalidValueError: ``thing`` is not a `Shared`.

        Examples:
            >>> vm = place(Workload("ledger"), IsolationKind.named("full VM"))
            >>> vm.require_private(Shared.HOST_KERNEL)
            >>> vm.require_private(Shared.PROCESSOR)
            Traceback (most recent call last):
            ...
            vmconcepts.errors.IsolationError: 'ledger' in a full VM still shares the processor and its caches with its neighbours: walls in software can ration the hardware (cgroups, rate limits, vCPUs pinned to cores, SMT off) but do not end the sharing: with strangers kept off a core, the last-level cache and memory bandwidth are still common, and L1TF (CVE-2018-3646) leaked data across VM walls through the L1 cache of a shared core. No isolation kind here keeps it private. Hardware kept for one customer does, such as an EC2 Dedicated Instance or Dedicated Host.
        """
        if not self.shares(thing):
            return
        where = (
            f"{self.workload.name!r} in {self.kind.noun_phrase} still shares {thing}"
            " with its neighbours"
        )
        if thing.hardware:
            msg = (
                f"{where}: walls in software can ration the hardware (cgroups, rate limits,"
                " vCPUs pinned to cores, SMT off) but do not end the sharing: with strangers"
                " kept off a core, the last-level cache and memory bandwidth are still common,"
                " and L1TF (CVE-2018-3646) leaked data across VM walls through the L1 cache of"
                " a shared core. No isolation kind here keeps it private."
            )
            if thing is Shared.BANDWIDTH:
                msg += (
                    " Nor does hardware kept for one customer: an EC2 Dedicated Instance's"
                    " server is its own, but its EBS volumes do not run on single-tenant"
                    ' hardware (EC2 User Guide, "Dedicated Instances").'
                )
            else:
                msg += (
                    " Hardware kept for one customer does, such as an EC2 Dedicated Instance"
                    " or Dedicated Host."
                )
        elif thing is Shared.HOST_KERNEL:
            msg = (
                f"{where}, and one kernel bug can be enough to cross that wall. A kernel of its"
                f" own comes with {_OWN_KERNEL_KINDS}."
            )
        else:
            msg = (
                f"{where}: every VM on a server runs on the same hypervisor, whose interface is"
                " smaller than a kernel's system calls but, as VENOM (CVE-2015-3456) showed, not"
                " unbreakable. No isolation kind avoids it; a server kept for one customer"
                " keeps strangers off it."
            )
        raise IsolationError(msg)


def place(workload: Workload, kind: IsolationKind, host: Kernel = DEFAULT_HOST_KERNEL) -> Placement:
    """Put ``workload`` into ``kind`` on a Linux host, or refuse, saying why and what works.

    Args:
        workload: What to run.
        kind: How to isolate it, from `IsolationKind.catalogue`.
        host: The host's kernel; Linux 6.8 by default. Every kind here needs a Linux host.

    Returns:
        The `Placement`, which says what the workload runs on and shares.

    Raises:
        IncompatibleKernelError: The workload needs a kernel the kind cannot give it: another
            version than the host's in a runc container, any chosen version in gVisor, or
            another family than Linux anywhere but in a full VM.
        IsolationError: The workload runs code from strangers and the kind is a runc
            container, whose only wall is the kernel it shares (the model's policy, from
            the gVisor README).
        InvalidValueError: An argument has the wrong type, or the host is not Linux.

    Examples:
        >>> legacy = Workload("legacy", Kernel("linux", "5.15"))
        >>> place(legacy, IsolationKind.named("runc"), Kernel("linux", "6.8"))
        Traceback (most recent call last):
        ...
        vmconcepts.errors.IncompatibleKernelError: 'legacy' needs linux 5.15, but a runc container runs on the host's kernel, and this host runs linux 6.8. A kernel of its own comes with Kata Containers, a Firecracker microVM or a full VM.
        >>> place(legacy, IsolationKind.named("Kata"), Kernel("linux", "6.8")).kernel
        Kernel('linux', '5.15')
    """
    if not isinstance(workload, Workload):
        msg = f"place() needs a Workload such as Workload('api'), not {workload!r}"
        raise InvalidValueError(msg)
    if not isinstance(kind, IsolationKind):
        msg = f"place() needs an IsolationKind such as IsolationKind.named('gVisor'), not {kind!r}"
        raise InvalidValueError(msg)
    if not isinstance(host, Kernel) or host.family != "linux":
        msg = (
            "every isolation kind here runs on a Linux host; give the host's kernel as"
            f" Kernel('linux', '6.8'), not {host!r}"
        )
        raise InvalidValueError(msg)
    _check_kernel(workload, kind, host)
    if workload.untrusted and kind.name == "runc container":
        msg = (
            f"{workload.name!r} runs code from strangers, but a runc container's wall is the host"
            ' kernel it shares with every neighbour: "container escape is possible with a'
            ' single vulnerability" (gVisor README), and CVE-2019-5736 broke out through runc'
            " itself. Add a second wall: gVisor, Kata Containers, a Firecracker microVM or a"
            " full VM."
        )
        raise IsolationError(msg)
    if kind.name == "runc container":
        kernel = host  # the very same kernel: a container has none of its own
    elif kind.own_kernel:
        kernel = dataclasses.replace(workload.kernel)  # its own kernel boots
    else:
        kernel = Kernel("linux")  # the Sentry's Linux, one per sandbox
    return Placement(workload, kind, host, kernel)


def _check_kernel(workload: Workload, kind: IsolationKind, host: Kernel) -> None:
    """Refuse a kernel the kind cannot give the workload."""
    wanted = workload.kernel
    name = workload.name
    if wanted.family != "linux" and kind.name != "full VM":
        what = {
            "runc container": "a runc container runs on the host's Linux kernel",
            "gVisor": "gVisor's Sentry implements Linux's system calls, and no other kernel's",
        }.get(
            kind.name,
            f"{kind.noun_phrase} boots a Linux guest kernel (its documentation names no other)",
        )
        msg = (
            f"{name!r} needs a {wanted.family} kernel, but {what}."
            " A full VM can run any OS built for the processor."
        )
        raise IncompatibleKernelError(msg)
    if wanted.version is None or kind.own_kernel:
        return
    if kind.name == "gVisor":
        msg = (
            f"{name!r} needs {_version(wanted)}, but in gVisor it runs on the Sentry's own"
            " implementation of Linux, whose version it cannot choose. A kernel of its own"
            f" comes with {_OWN_KERNEL_KINDS}."
        )
        raise IncompatibleKernelError(msg)
    if wanted != host:
        msg = (
            f"{name!r} needs {_version(wanted)}, but a runc container runs on the host's kernel,"
            f" and this host runs {_version(host)}. A kernel of its own comes with"
            f" {_OWN_KERNEL_KINDS}."
        )
        raise IncompatibleKernelError(msg)


def fitting(workload: Workload, host: Kernel = DEFAULT_HOST_KERNEL) -> tuple[IsolationKind, ...]:
    """The kinds that `place` accepts ``workload`` into, from the thinnest wall to the thickest.

    Args:
        workload: What to run.
        host: The host's kernel; Linux 6.8 by default.

    Examples:
        >>> [kind.name for kind in fitting(Workload("plugins", untrusted=True))]
        ['gVisor', 'Kata Containers', 'Firecracker microVM', 'full VM']
        >>> [kind.name for kind in fitting(Workload("desktop", Kernel("windows")))]
        ['full VM']
    """
    kinds = []
    for kind in _CATALOGUE:
        try:
            place(workload, kind, host)
        except (IncompatibleKernelError, IsolationError):
            continue
        kinds.append(kind)
    return tuple(kinds)
