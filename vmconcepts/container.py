"""Containers: isolated processes that share the kernel of the OS they run on.

A container engine (such as Docker Engine) is installed on an operating system. Every
container it runs uses that OS's kernel: there is no guest kernel, which is why a
container starts without booting one. The kernel keeps containers apart with two
mechanisms: *namespaces* give each container its own view of the system (its own
process IDs, network, mounts, hostname, ...), and a *cgroup* limits what it may use
(CPU time, memory, number of processes).

This is the container that runc, Docker's default runtime, makes. Two kinds of runtime
put a kernel of their own between the container and the host's, and the model leaves
them out: gVisor serves the container's system calls from a kernel that runs in user
space, its Sentry (gvisor.dev), and Kata Containers runs each pod in a lightweight VM
with its own guest kernel (katacontainers.io).

Sharing the kernel has a consequence: a Linux image needs a Linux kernel. On macOS or
Windows, a Linux container therefore needs a Linux VM underneath, which is what Docker
Desktop sets up; `ContainerEngine.run` refuses and says so, and `linux_vm_engine` builds
that VM.

A container shares the CPU too, so an image is built for one architecture. An image for
another one runs only under emulation, which is slower: the Linux kernel's binfmt_misc
hands each foreign program to a registered emulator, usually QEMU in user mode, and
Docker Desktop can use Apple's Rosetta instead (Docker Docs, "Multi-platform builds";
Docker Desktop settings). An engine emulates only if such an emulator is registered:
Docker Desktop registers QEMU by default (BuildKit docs, "Multi-platform"), a plain
Docker Engine on Linux only if someone registered it. ``emulation=True`` says so.

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

from vmconcepts._text import counted
from vmconcepts.architecture import Architecture, check_architecture
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
        >>> Image("nginx", architecture="amd64")
        Traceback (most recent call last):
        ...
        vmconcepts.errors.InvalidValueError: unknown architecture 'amd64' for image 'nginx' (for amd64 write 'x86_64': names here are EC2's); known: x86_64, arm64
    """

    name: str
    kernel: str = "linux"
    architecture: Architecture = "x86_64"

    def __post_init__(self) -> None:
        """Check the name, kernel family and architecture."""
        _check_name("an image", self.name)
        Kernel(self.kernel)  # refuses an unknown family with the library's message
        check_architecture(self.architecture, f"image {self.name!r}")


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

    Containers are made by `ContainerEngine.run`, not directly. ``emulated`` is True
    when the image was built for another CPU architecture than the engine's, so an
    emulator translates its programs; the repr shows it only then.

    Examples:
        >>> from vmconcepts.infrastructure import Machine
        >>> from vmconcepts.resources import Resources
        >>> host = Machine("pc", "desktop", Resources(8, "16 GiB"), os="Fedora")
        >>> engine = ContainerEngine(host, emulation=True)
        >>> web = engine.run(Image("nginx"), "web")
        >>> web
        Container('web', image='nginx', kernel=Kernel('linux'))
        >>> web.kernel is host.os.kernel, web.emulated
        (True, False)
        >>> engine.run(Image("arm-tool", architecture="arm64"), "tool")
        Container('tool', image='arm-tool', kernel=Kernel('linux'), emulated=True)
    """

    def __init__(
        self,
        name: str,
        image: Image,
        engine: ContainerEngine,
        limits: CgroupLimits,
        *,
        emulated: bool = False,
    ) -> None:
        """Store the container's parts; use `ContainerEngine.run` to make one."""
        self.name = name
        self.image = image
        self.engine = engine
        self.limits = limits
        self.emulated = emulated
        self.namespaces = tuple(Namespace(kind, name) for kind in NAMESPACE_KINDS)

    def __repr__(self) -> str:
        """Name the container, its image and the kernel it shares, and say if it is emulated."""
        emulated = ", emulated=True" if self.emulated else ""
        return (
            f"Container({self.name!r}, image={self.image.name!r}, kernel={self.kernel!r}{emulated})"
        )

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

    The engine's CPU architecture is its host's: the machine's, or for a VM the guest's.

    Args:
        host: Where the engine is installed: a machine with an OS, or a VM, whose guest
            OS then provides the kernel (see `linux_vm_engine`).
        name: The engine's name, "Docker Engine" by default.
        emulation: Whether an emulator for other architectures is registered with the
            kernel's binfmt_misc, as QEMU is in Docker Desktop's VM. False by default: on
            a plain Linux host someone must register it first, e.g. with the
            ``tonistiigi/binfmt`` image that Docker's documentation uses (Docker Docs,
            "Multi-platform builds").

    Raises:
        IncompatibleKernelError: If the machine is bare metal (an engine needs an OS
            kernel), or emulation is asked of a kernel that is not Linux (binfmt_misc is
            a Linux feature).
        InvalidValueError: If `host` is neither a `Machine` nor a `VirtualMachine`, or
            `emulation` is not True or False.

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
        *,
        emulation: bool = False,
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
        if not isinstance(emulation, bool):
            msg = f"emulation is True or False (is an emulator registered?), not {emulation!r}"
            raise InvalidValueError(msg)
        if os is None:
            msg = (
                f"{name} runs on an operating system's kernel, but {host} has none; "
                "install a host OS first, e.g. machine.with_os('Ubuntu 24.04')"
            )
            raise IncompatibleKernelError(msg)
        if emulation and os.family != "linux":
            msg = (
                f"emulation here means an emulator registered with binfmt_misc, a Linux kernel"
                f" feature, but {self.where} has a {os.family} kernel; run the engine in a Linux"
                " VM (linux_vm_engine) or use images built for this CPU"
            )
            raise IncompatibleKernelError(msg)
        self.host = host
        self.os: OperatingSystem = os
        self.name = name
        self.architecture: Architecture = host.architecture
        self.emulation = emulation
        self._containers: dict[str, Container] = {}

    def __repr__(self) -> str:
        """Name the engine, its host and how many containers it runs."""
        count = counted(len(self._containers), "container")
        return f"ContainerEngine({self.name!r} on {self.where}, {count})"

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

        An image built for another CPU architecture than the engine's runs emulated,
        and slower, if the engine has an emulator registered (``emulation=True``).

        Raises:
            IncompatibleKernelError: If the image needs another kernel than the host's, such
                as a Linux image on macOS; the message says to use a Linux VM.
            IncompatibleArchitectureError: If the image is built for another CPU and the
                engine has no emulator registered; the message says what works.
            InvalidValueError: If the name is taken or an argument has the wrong type.

        Examples:
            >>> from vmconcepts.infrastructure import Machine
            >>> from vmconcepts.resources import Resources
            >>> mac = Machine("mac", "laptop", Resources(8, "16 GiB"), os="macOS", architecture="arm64")
            >>> ContainerEngine(mac).run(Image("nginx"), "web")
            Traceback (most recent call last):
            ...
            vmconcepts.errors.IncompatibleKernelError: image 'nginx' needs a linux kernel, but laptop 'mac' running macOS has a darwin kernel, and a container shares its host's kernel. Run a Linux VM on this machine and the engine inside it, as Docker Desktop does: linux_vm_engine(machine).
            >>> server = Machine("rack-1", "server", Resources(16, "64 GiB"), os="Debian 12")
            >>> ContainerEngine(server).run(Image("tool", architecture="arm64"), "tool")
            Traceback (most recent call last):
            ...
            vmconcepts.errors.IncompatibleArchitectureError: image 'tool' is built for arm64, but server 'rack-1' running Debian 12 has an x86_64 CPU, and Docker Engine there has no emulator registered. Use an image built for x86_64, or a multi-platform image that includes x86_64; or register QEMU with the kernel's binfmt_misc, so that arm64 programs run emulated, more slowly: ContainerEngine(host, emulation=True).
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
        emulated = image.architecture != self.architecture
        if emulated and not self.emulation:
            msg = (
                f"image {image.name!r} is built for {image.architecture}, but {self.where} has"
                f" an {self.architecture} CPU, and {self.name} there has no emulator registered."
                f" Use an image built for {self.architecture}, or a multi-platform image that"
                f" includes {self.architecture}; or register QEMU with the kernel's binfmt_misc,"
                f" so that {image.architecture} programs run emulated, more slowly:"
                " ContainerEngine(host, emulation=True)."
            )
            raise IncompatibleArchitectureError(msg)
        if name in self._containers:
            msg = f"a container named {name!r} already runs on {self.name}; choose another name"
            raise InvalidValueError(msg)
        container = Container(name, image, self, limits, emulated=emulated)
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
        the column stays readable. An emulated container is labelled with its image's
        architecture, e.g. "old (x86_64, emulated)".

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
            title = f"Containers in {vm} on {machine.kind_and_name}"
            stack = Stack(title, below).with_row(
                Layer(f"{vm.name} ({vm.guest_os})", LayerKind.GUEST_OS)
            )
        else:
            stack = (
                Stack(f"Containers on {self.host.kind_and_name}")
                .with_row(Layer(self.host.label, LayerKind.HARDWARE))
                .with_row(Layer(self.os.name, LayerKind.HOST_OS))
            )
        stack = stack.with_row(Layer(self.name, LayerKind.CONTAINER_ENGINE))
        if self._containers:
            stack = stack.with_row(
                *(Layer(_label(box), LayerKind.CONTAINER) for box in self._containers.values())
            )
        return stack


def _label(container: Container) -> str:
    """A container's name, with its image's architecture when it runs emulated."""
    if container.emulated:
        return f"{container.name} ({container.image.architecture}, emulated)"
    return container.name


# What `linux_vm_engine` runs its VM with by default, by host kernel family: the
# virtualization that comes with the OS. On macOS that is Apple's Virtualization.framework,
# a user-space API to the hypervisor support in macOS's kernel (XNU; the family is called
# "darwin" here, as in Python's sys.platform). Real products make their own choice.
_BUILT_IN_HYPERVISOR = {
    "darwin": "Apple Virtualization.framework",
    "windows": "Microsoft Hyper-V",
    "linux": "KVM",
    "freebsd": "bhyve",
}

# Docker Desktop's Linux VM is built with LinuxKit (linuxkit/linuxkit ADOPTERS.md); it is
# not a distribution with a name of its own, so the model calls it what it is.
_LINUXKIT = OperatingSystem("LinuxKit Linux", Kernel("linux"))


def linux_vm_engine(
    machine: Machine,
    *,
    hypervisor: Hypervisor | str | None = None,
    guest_os: OperatingSystem | str | None = None,
    resources: Resources | None = None,
    emulation: bool = True,
) -> ContainerEngine:
    """Set up what Docker Desktop sets up: a Linux VM on `machine`, with the engine inside.

    Linux containers need a Linux kernel. On macOS or Windows there is none, so a
    hypervisor runs a small Linux VM and the container engine runs in that VM's guest
    OS; the containers share the VM's kernel, not the machine's. The VM has the
    machine's CPU architecture, and so does the engine: give an Apple silicon Mac
    ``architecture="arm64"``.

    Args:
        machine: The machine, e.g. a Mac.
        hypervisor: Which hypervisor to run the VM with; by default the one that comes
            with the host OS: Apple's Virtualization.framework on macOS (a user-space API
            to the hypervisor support in macOS's kernel, XNU), Hyper-V on Windows, KVM on
            Linux, bhyve on FreeBSD.
        guest_os: A Linux OS for the VM. By default a Linux built with LinuxKit, as
            Docker Desktop's VM is (linuxkit/linuxkit ADOPTERS.md); any Linux from the
            catalogue works too.
        resources: What the VM gets; 2 vCPUs, 2 GiB memory and 32 GiB disk by default,
            an example size rather than any product's setting.
        emulation: Whether the VM's kernel has an emulator registered for images built
            for another CPU. True by default: Docker Desktop registers QEMU with
            binfmt_misc (BuildKit docs, "Multi-platform"), and on Apple silicon it can
            use Rosetta instead (Docker Desktop settings).

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
        >>> mac = Machine("mac", "laptop", Resources(8, "16 GiB", "512 GiB"), os="macOS", architecture="arm64")
        >>> engine = linux_vm_engine(mac)
        >>> web = engine.run(Image("nginx", architecture="arm64"), "web")
        >>> web.kernel is mac.os.kernel, web.kernel.family, engine.architecture
        (False, 'linux', 'arm64')
        >>> engine.run(Image("old-app", architecture="x86_64"), "old")
        Container('old', image='old-app', kernel=Kernel('linux'), emulated=True)
        >>> print(engine.stack().to_text())
        Containers in VM 'linux-vm' on laptop 'mac'
        +------------------------+------------------------+
        |          web           | old (x86_64, emulated) |
        +------------------------+------------------------+
        |                  Docker Engine                  |
        +-------------------------------------------------+
        |            linux-vm (LinuxKit Linux)            |
        +-------------------------------------------------+
        |          Apple Virtualization.framework         |
        +-------------------------------------------------+
        |                      macOS                      |
        +-------------------------------------------------+
        |                   mac (laptop)                  |
        +-------------------------------------------------+
    """
    if not isinstance(machine, Machine):
        msg = f"linux_vm_engine() needs a Machine, not {machine!r}"
        raise InvalidValueError(msg)
    if guest_os is None:
        guest_os = _LINUXKIT
    elif isinstance(guest_os, str):
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
    return ContainerEngine(vm, emulation=emulation)
