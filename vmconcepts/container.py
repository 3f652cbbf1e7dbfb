"""Containers: isolated processes that share the kernel of the OS they run on.

A container engine (such as Docker Engine) is installed on an operating system. Every
container it runs uses that OS's kernel: there is no guest kernel, which is why a
container starts without booting one. The kernel keeps containers apart with two
mechanisms: *namespaces* give each container its own view of the system (its own
process IDs, network, mounts, hostname, ...), and a *cgroup* limits what it may use
(CPU time, memory, number of processes).

Sharing the kernel has a consequence: a Linux image needs a Linux kernel. On macOS or
Windows, a Linux container therefore needs a Linux VM underneath, which is what Docker
Desktop sets up; `ContainerEngine.run` refuses and says so, and `linux_vm_engine` builds
that VM.

Namespace and cgroup names follow the Linux manual pages namespaces(7) and cgroups(7)
and the kernel's cgroup v2 documentation (Documentation/admin-guide/cgroup-v2.rst).

Examples:
    >>> from vmconcepts.infrastructure import Machine
    >>> from vmconcepts.resources import Resources
    >>> host = Machine("rack-1", "server", Resources(16, "64 GiB"), os="Ubuntu 24.04")
    >>> engine = ContainerEngine(host)
    >>> web = engine.run(Image("nginx"), "web")
    >>> db = engine.run(Image("postgres"), "db")
    >>> web.kernel is host.os.kernel is db.kernel
    True
    >>> print(engine.stack().to_text())
    Containers on server 'rack-1'
    +--------+--------+
    |  web   |   db   |
    +--------+--------+
    |  Docker Engine  |
    +-----------------+
    |   Ubuntu 24.04  |
    +-----------------+
    | rack-1 (server) |
    +-----------------+
"""

from __future__ import annotations

from dataclasses import dataclass

from vmconcepts.architecture import ARCHITECTURES
from vmconcepts.diagram import Layer, LayerKind, Stack
from vmconcepts.errors import (
    IncompatibleArchitectureError,
    IncompatibleKernelError,
    InvalidStateError,
    InvalidValueError,
    UnknownProductError,
)
from vmconcepts.hypervisor import Hypervisor
from vmconcepts.infrastructure import Machine
from vmconcepts.operating_system import Kernel, OperatingSystem
from vmconcepts.resources import Resources, Size, as_size
from vmconcepts.virtual_machine import VirtualMachine

__all__ = [
    "NAMESPACE_KINDS",
    "CgroupLimits",
    "Container",
    "ContainerEngine",
    "Image",
    "Namespace",
    "linux_vm_engine",
]

#: The kinds of Linux namespace and what each gives a container its own copy of (namespaces(7)).
NAMESPACE_KINDS: dict[str, str] = {
    "cgroup": "view of the cgroup tree",
    "ipc": "System V IPC objects and POSIX message queues",
    "mnt": "mount points, so its own root filesystem",
    "net": "network devices, IP addresses, ports and routing tables",
    "pid": "process IDs, so its first process is PID 1",
    "time": "boot and monotonic clocks",
    "user": "user and group IDs, so root inside can be unprivileged outside",
    "uts": "hostname and NIS domain name",
}

_CPU_PERIOD_US = 100_000  # cgroup v2's default cpu.max period, in microseconds


def _check_name(what: str, name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        msg = f"{what} needs a name such as 'web', not {name!r}"
        raise InvalidValueError(msg)
    return name


@dataclass(frozen=True)
class Image:
    """A container image: the files an app needs, built for one kernel and one CPU.

    Args:
        name: The image's name, e.g. "nginx" or "postgres:16".
        kernel: The kernel family its programs need: "linux" (most images) or "windows".
        architecture: The CPU it was built for: "x86_64" or "arm64".

    Raises:
        InvalidValueError: If the name is empty, or the kernel or architecture is unknown.

    Examples:
        >>> Image("nginx")
        Image(name='nginx', kernel='linux', architecture='x86_64')
        >>> Image("iis", kernel="windows").kernel
        'windows'
    """

    name: str
    kernel: str = "linux"
    architecture: str = "x86_64"

    def __post_init__(self) -> None:
        """Check the name, kernel family and architecture."""
        _check_name("an image", self.name)
        Kernel(self.kernel)  # refuses an unknown family with the library's message
        if self.architecture not in ARCHITECTURES:
            msg = (
                f"unknown architecture {self.architecture!r} for image {self.name!r}; "
                f"known: {', '.join(ARCHITECTURES)}"
            )
            raise InvalidValueError(msg)


@dataclass(frozen=True)
class Namespace:
    """One of a container's namespaces: which kind, what it isolates, and whose it is.

    Examples:
        >>> Namespace("pid", "web")
        Namespace('pid', owner='web')
        >>> Namespace("pid", "web").isolates
        'process IDs, so its first process is PID 1'
    """

    kind: str
    owner: str

    def __post_init__(self) -> None:
        """Refuse a kind Linux does not have."""
        if self.kind not in NAMESPACE_KINDS:
            what = "namespace kind"
            raise UnknownProductError(what, self.kind, NAMESPACE_KINDS)

    def __repr__(self) -> str:
        """Show kind and owner."""
        return f"Namespace({self.kind!r}, owner={self.owner!r})"

    @property
    def isolates(self) -> str:
        """What a container gets its own copy of through this namespace.

        Examples:
            >>> Namespace("net", "web").isolates
            'network devices, IP addresses, ports and routing tables'
        """
        return NAMESPACE_KINDS[self.kind]


@dataclass(frozen=True, init=False)
class CgroupLimits:
    """The limits a cgroup puts on a container: CPU, memory and number of processes.

    Each limit is optional; None means "no limit" ("max" in cgroup v2's files).

    Args:
        cpus: How many CPUs' worth of time the container may use, e.g. 1.5.
        memory: The most memory it may use, e.g. "512 MiB".
        pids: The most processes it may have at once.

    Raises:
        InvalidValueError: If a limit is zero, negative or of the wrong type.

    Examples:
        >>> limits = CgroupLimits(cpus=1.5, memory="512 MiB", pids=100)
        >>> limits
        CgroupLimits(cpus=1.5, memory=Size('512 MiB'), pids=100)
        >>> limits.files()
        {'cpu.max': '150000 100000', 'memory.max': '536870912', 'pids.max': '100'}
        >>> CgroupLimits().files()
        {'cpu.max': 'max 100000', 'memory.max': 'max', 'pids.max': 'max'}
    """

    cpus: float | None
    memory: Size | None
    pids: int | None

    def __init__(
        self,
        cpus: float | None = None,
        memory: Size | str | None = None,
        pids: int | None = None,
    ) -> None:
        """Check and store the limits."""
        if cpus is not None and (
            isinstance(cpus, bool) or not isinstance(cpus, int | float) or cpus <= 0
        ):
            msg = f"a CPU limit is a positive number such as 1.5, not {cpus!r}"
            raise InvalidValueError(msg)
        size = None if memory is None else as_size(memory)
        if size is not None and not size:
            msg = "a memory limit of 0 B would stop the container at once; give e.g. '512 MiB'"
            raise InvalidValueError(msg)
        if pids is not None and (isinstance(pids, bool) or not isinstance(pids, int) or pids < 1):
            msg = f"a process limit is a whole number from 1 up, not {pids!r}"
            raise InvalidValueError(msg)
        object.__setattr__(self, "cpus", cpus)
        object.__setattr__(self, "memory", size)
        object.__setattr__(self, "pids", pids)

    def files(self) -> dict[str, str]:
        """The cgroup v2 interface files that hold these limits, with their contents.

        `cpu.max` holds a quota and a period in microseconds: "150000 100000" allows
        1.5 CPUs' worth of time in every 0.1 s.

        Examples:
            >>> CgroupLimits(cpus=0.5).files()["cpu.max"]
            '50000 100000'
        """
        quota = "max" if self.cpus is None else str(round(self.cpus * _CPU_PERIOD_US))
        return {
            "cpu.max": f"{quota} {_CPU_PERIOD_US}",
            "memory.max": "max" if self.memory is None else str(self.memory.bytes),
            "pids.max": "max" if self.pids is None else str(self.pids),
        }


class Container:
    """A running container: an app from an image, in its own namespaces and cgroup.

    Containers are made by `ContainerEngine.run`, not directly.

    Examples:
        >>> from vmconcepts.infrastructure import Machine
        >>> from vmconcepts.resources import Resources
        >>> host = Machine("pc", "desktop", Resources(8, "16 GiB"), os="Fedora")
        >>> web = ContainerEngine(host).run(Image("nginx"), "web")
        >>> web
        Container('web', image='nginx', kernel=Kernel('linux'))
        >>> web.kernel is host.os.kernel
        True
    """

    def __init__(
        self, name: str, image: Image, engine: ContainerEngine, limits: CgroupLimits
    ) -> None:
        """Store the container's parts; use `ContainerEngine.run` to make one."""
        self.name = name
        self.image = image
        self.engine = engine
        self.limits = limits
        self.namespaces = tuple(Namespace(kind, name) for kind in NAMESPACE_KINDS)

    def __repr__(self) -> str:
        """Name the container, its image and the kernel it shares."""
        return f"Container({self.name!r}, image={self.image.name!r}, kernel={self.kernel!r})"

    @property
    def kernel(self) -> Kernel:
        """The kernel the container runs on: its host's, the very same object.

        Examples:
            >>> from vmconcepts.infrastructure import Machine
            >>> from vmconcepts.resources import Resources
            >>> host = Machine("pc", "desktop", Resources(8, "16 GiB"), os="Debian 12")
            >>> engine = ContainerEngine(host)
            >>> a = engine.run(Image("a"), "a")
            >>> b = engine.run(Image("b"), "b")
            >>> a.kernel is b.kernel
            True
        """
        return self.engine.kernel

    def shares_namespace_with(self, other: Container, kind: str) -> bool:
        """Whether two containers share a namespace of `kind`; each has its own, so False.

        Raises:
            UnknownProductError: If `kind` is not a Linux namespace kind.

        Examples:
            >>> from vmconcepts.infrastructure import Machine
            >>> from vmconcepts.resources import Resources
            >>> host = Machine("pc", "desktop", Resources(8, "16 GiB"), os="Debian 12")
            >>> engine = ContainerEngine(host)
            >>> a, b = engine.run(Image("a"), "a"), engine.run(Image("b"), "b")
            >>> a.shares_namespace_with(b, "pid"), a.shares_namespace_with(a, "pid")
            (False, True)
            >>> a.shares_namespace_with(b, "pids")
            Traceback (most recent call last):
            ...
            vmconcepts.errors.UnknownProductError: no namespace kind named 'pids'; did you mean 'pid'? Known: cgroup, ipc, mnt, net, pid, time, user, uts
        """
        mine = Namespace(kind, self.name)
        theirs = Namespace(kind, other.name)
        return mine in self.namespaces and theirs in other.namespaces and mine == theirs


class ContainerEngine:
    """A container engine installed on an operating system, running containers on its kernel.

    Args:
        host: Where the engine is installed: a machine with an OS, or a VM, whose guest
            OS then provides the kernel (see `linux_vm_engine`).
        name: The engine's name, "Docker Engine" by default.
        architecture: The host's CPU: "x86_64" (default) or "arm64".

    Raises:
        IncompatibleKernelError: If the machine is bare metal: an engine needs an OS kernel.
        InvalidValueError: If the architecture is unknown or `host` is neither a `Machine`
            nor a `VirtualMachine`.

    Examples:
        >>> from vmconcepts.infrastructure import Machine
        >>> from vmconcepts.resources import Resources
        >>> ContainerEngine(Machine("pc", "desktop", Resources(8, "16 GiB"), os="Fedora"))
        ContainerEngine('Docker Engine' on desktop 'pc' running Fedora, 0 containers)
        >>> ContainerEngine(Machine("rack-1", "server", Resources(64, "256 GiB")))
        Traceback (most recent call last):
        ...
        vmconcepts.errors.IncompatibleKernelError: Docker Engine runs on an operating system's kernel, but server 'rack-1' with no OS (bare metal) has none; install a host OS first, e.g. machine.with_os('Ubuntu 24.04')
    """

    def __init__(
        self,
        host: Machine | VirtualMachine,
        name: str = "Docker Engine",
        architecture: str = "x86_64",
    ) -> None:
        """Install the engine on `host`'s operating system."""
        if isinstance(host, VirtualMachine):
            os: OperatingSystem | None = host.guest_os
            self.where = f"{host} running {host.guest_os}"
        elif isinstance(host, Machine):
            os = host.os
            self.where = str(host)
        else:
            msg = f"a container engine is installed on a Machine or a VirtualMachine, not {host!r}"
            raise InvalidValueError(msg)
        _check_name("a container engine", name)
        if architecture not in ARCHITECTURES:
            msg = f"unknown architecture {architecture!r}; known: {', '.join(ARCHITECTURES)}"
            raise InvalidValueError(msg)
        if os is None:
            msg = (
                f"{name} runs on an operating system's kernel, but {host} has none; "
                "install a host OS first, e.g. machine.with_os('Ubuntu 24.04')"
            )
            raise IncompatibleKernelError(msg)
        self.host = host
        self.os: OperatingSystem = os
        self.name = name
        self.architecture = architecture
        self._containers: dict[str, Container] = {}

    def __repr__(self) -> str:
        """Name the engine, its host and how many containers it runs."""
        count = len(self._containers)
        return (
            f"ContainerEngine({self.name!r} on {self.where}, "
            f"{count} container{'' if count == 1 else 's'})"
        )

    @property
    def kernel(self) -> Kernel:
        """The kernel every container of this engine shares: the host OS's kernel.

        Examples:
            >>> from vmconcepts.infrastructure import Machine
            >>> from vmconcepts.resources import Resources
            >>> host = Machine("pc", "desktop", Resources(8, "16 GiB"), os="Fedora")
            >>> ContainerEngine(host).kernel is host.os.kernel
            True
        """
        return self.os.kernel

    @property
    def containers(self) -> tuple[Container, ...]:
        """The running containers, in the order they were started.

        Examples:
            >>> from vmconcepts.infrastructure import Machine
            >>> from vmconcepts.resources import Resources
            >>> engine = ContainerEngine(Machine("pc", "desktop", Resources(8, "16 GiB"), os="Fedora"))
            >>> _ = engine.run(Image("nginx"), "web")
            >>> engine.containers
            (Container('web', image='nginx', kernel=Kernel('linux')),)
        """
        return tuple(self._containers.values())

    def run(self, image: Image, name: str, limits: CgroupLimits | None = None) -> Container:
        """Start a container from `image` on this engine's kernel.

        Args:
            image: The image to run.
            name: A name for the container, unique on this engine.
            limits: The cgroup limits; none by default.

        Returns:
            The running container.

        Raises:
            IncompatibleKernelError: If the image needs another kernel than the host's, such
                as a Linux image on macOS; the message says to use a Linux VM.
            IncompatibleArchitectureError: If the image is built for another CPU.
            InvalidValueError: If the name is taken or an argument has the wrong type.

        Examples:
            >>> from vmconcepts.infrastructure import Machine
            >>> from vmconcepts.resources import Resources
            >>> mac = Machine("mac", "laptop", Resources(8, "16 GiB"), os="macOS")
            >>> ContainerEngine(mac).run(Image("nginx"), "web")
            Traceback (most recent call last):
            ...
            vmconcepts.errors.IncompatibleKernelError: image 'nginx' needs a linux kernel, but laptop 'mac' running macOS has a darwin kernel, and a container shares its host's kernel. Run a Linux VM on this machine and the engine inside it, as Docker Desktop does: linux_vm_engine(machine).
        """
        if not isinstance(image, Image):
            msg = f"run() needs an Image such as Image('nginx'), not {image!r}"
            raise InvalidValueError(msg)
        _check_name("a container", name)
        if limits is None:
            limits = CgroupLimits()
        elif not isinstance(limits, CgroupLimits):
            msg = f"limits must be CgroupLimits, not {limits!r}"
            raise InvalidValueError(msg)
        if isinstance(self.host, VirtualMachine) and self.host.state != "running":
            vm = self.host
            raise InvalidStateError(str(vm), vm.state, "run containers in", vm.allowed_actions)
        if image.kernel != self.kernel.family:
            advice = (
                "Run a Linux VM on this machine and the engine inside it, as Docker Desktop"
                " does: linux_vm_engine(machine)."
                if image.kernel == "linux"
                else f"Run it on a host with a {image.kernel} kernel."
            )
            msg = (
                f"image {image.name!r} needs a {image.kernel} kernel, but {self.where} has a "
                f"{self.kernel.family} kernel, and a container shares its host's kernel. {advice}"
            )
            raise IncompatibleKernelError(msg)
        if image.architecture != self.architecture:
            msg = (
                f"image {image.name!r} is built for {image.architecture}, but {self.where} has "
                f"an {self.architecture} CPU; use an image built for {self.architecture}"
            )
            raise IncompatibleArchitectureError(msg)
        if name in self._containers:
            msg = f"a container named {name!r} already runs on {self.name}; choose another name"
            raise InvalidValueError(msg)
        container = Container(name, image, self, limits)
        self._containers[name] = container
        return container

    def remove(self, name: str) -> None:
        """Stop and remove the container called `name`.

        Raises:
            UnknownProductError: If no container has that name.

        Examples:
            >>> from vmconcepts.infrastructure import Machine
            >>> from vmconcepts.resources import Resources
            >>> engine = ContainerEngine(Machine("pc", "desktop", Resources(8, "16 GiB"), os="Fedora"))
            >>> _ = engine.run(Image("nginx"), "web")
            >>> engine.remove("web")
            >>> engine.containers
            ()
        """
        if name not in self._containers:
            what = "container"
            raise UnknownProductError(what, str(name), self._containers)
        del self._containers[name]

    def stack(self) -> Stack:
        """The layers from the hardware up to the containers, side by side on top.

        In a VM, the drawing shows the host's layers up to the hypervisor, then this VM
        only: other VMs (and, under Hyper-V, the Windows root partition) are left out so
        the column stays readable.

        Examples:
            >>> from vmconcepts.infrastructure import Machine
            >>> from vmconcepts.resources import Resources
            >>> engine = ContainerEngine(Machine("pc", "desktop", Resources(8, "16 GiB"), os="Fedora"))
            >>> engine.stack().layers[-1]
            Layer('Docker Engine', LayerKind.CONTAINER_ENGINE)
        """
        if isinstance(self.host, VirtualMachine):
            vm = self.host
            machine = vm.host.machine
            below = vm.host.stack().rows[:-1]  # the hardware up to the hypervisor
            title = f"Containers in {vm} on {machine.kind} {machine.name!r}"
            stack = Stack(title, below).with_row(
                Layer(f"{vm.name} ({vm.guest_os})", LayerKind.GUEST_OS)
            )
        else:
            stack = (
                Stack(f"Containers on {self.host.kind} {self.host.name!r}")
                .with_row(Layer(self.host.label, LayerKind.HARDWARE))
                .with_row(Layer(self.os.name, LayerKind.HOST_OS))
            )
        stack = stack.with_row(Layer(self.name, LayerKind.CONTAINER_ENGINE))
        if self._containers:
            stack = stack.with_row(*(Layer(name, LayerKind.CONTAINER) for name in self._containers))
        return stack


# The hypervisor `linux_vm_engine` uses by default, by host kernel family: the one that
# comes with the OS. Real products (Docker Desktop and others) make their own choice.
_BUILT_IN_HYPERVISOR = {
    "darwin": "Apple Virtualization.framework",
    "windows": "Microsoft Hyper-V",
    "linux": "KVM",
    "freebsd": "bhyve",
}


def linux_vm_engine(
    machine: Machine,
    *,
    hypervisor: Hypervisor | str | None = None,
    guest_os: OperatingSystem | str = "Alpine Linux",
    resources: Resources | None = None,
    architecture: str = "x86_64",
) -> ContainerEngine:
    """Set up what Docker Desktop sets up: a Linux VM on `machine`, with the engine inside.

    Linux containers need a Linux kernel. On macOS or Windows there is none, so a
    hypervisor runs a small Linux VM and the container engine runs in that VM's guest
    OS; the containers share the VM's kernel, not the machine's.

    Args:
        machine: The machine, e.g. a Mac.
        hypervisor: Which hypervisor to run the VM with; by default the one built into
            the host OS (Apple Virtualization.framework on macOS, Hyper-V on Windows,
            KVM on Linux, bhyve on FreeBSD).
        guest_os: A Linux OS for the VM; any Linux from the catalogue works.
        resources: What the VM gets; 2 vCPUs, 2 GiB memory and 32 GiB disk by default,
            an example size rather than any product's setting.
        architecture: The CPU of the machine, and so of the VM: "x86_64" or "arm64".

    Returns:
        A container engine installed in the running Linux VM, which is named "linux-vm".

    Raises:
        IncompatibleKernelError: If `guest_os` is not a Linux, or the hypervisor does not
            suit the machine.
        WrongLayerError: If the hypervisor is installed on the wrong layer, e.g. a type 1
            one on a machine that already has an OS.
        NotEnoughResourcesError: If the machine cannot run a VM of that size.

    Examples:
        >>> from vmconcepts.infrastructure import Machine
        >>> from vmconcepts.resources import Resources
        >>> mac = Machine("mac", "laptop", Resources(8, "16 GiB", "512 GiB"), os="macOS")
        >>> engine = linux_vm_engine(mac, architecture="arm64")
        >>> web = engine.run(Image("nginx", architecture="arm64"), "web")
        >>> web.kernel is mac.os.kernel, web.kernel.family
        (False, 'linux')
        >>> print(engine.stack().to_text())
        Containers in VM 'linux-vm' on laptop 'mac'
        +---------------------------------------------------------+
        |                           web                           |
        +---------------------------------------------------------+
        |                      Docker Engine                      |
        +---------------------------------------------------------+
        |                 linux-vm (Alpine Linux)                 |
        +---------------------------------------------------------+
        | macOS with Apple Virtualization.framework in its kernel |
        +---------------------------------------------------------+
        |                       mac (laptop)                      |
        +---------------------------------------------------------+
    """
    if not isinstance(machine, Machine):
        msg = f"linux_vm_engine() needs a Machine, not {machine!r}"
        raise InvalidValueError(msg)
    if isinstance(guest_os, str):
        guest_os = OperatingSystem.named(guest_os)
    if not isinstance(guest_os, OperatingSystem) or guest_os.family != "linux":
        msg = (
            f"the VM is there to provide a Linux kernel, but {guest_os} is not a Linux; "
            "choose e.g. guest_os='Alpine Linux'"
        )
        raise IncompatibleKernelError(msg)
    if hypervisor is None:
        family = machine.os.family if machine.os is not None else None
        hypervisor = _BUILT_IN_HYPERVISOR.get(family or "", "Xen")
    if isinstance(hypervisor, str):
        hypervisor = Hypervisor.named(hypervisor)
    if not isinstance(hypervisor, Hypervisor):
        msg = f"hypervisor must be a Hypervisor or its name, not {hypervisor!r}"
        raise InvalidValueError(msg)
    if resources is None:
        resources = Resources(2, "2 GiB", "32 GiB")
    host = hypervisor.install_on(machine)
    vm = host.create_vm("linux-vm", guest_os, resources)
    vm.start()
    return ContainerEngine(vm, architecture=architecture)
