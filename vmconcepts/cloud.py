"""A cloud: tenants rent VMs that the provider places on shared physical servers.

This models Amazon EC2 as the EC2 User Guide describes it. The provider owns a fleet of
physical servers. A tenant (an AWS account, such as "netflix" or "reddit") launches an
*instance* of a catalogued type; the provider picks a server with room and runs the
instance there as a VM under the AWS Nitro hypervisor. Many tenants share one server, each
in its own VM, and a tenant sees only its own instances. A `*.metal` type is the exception:
it gets a whole server and runs with no hypervisor at all.

Placement is deterministic: **first fit in server order**. The instance goes on the first
server (in the order the servers were added) that has the architecture, the free vCPUs
and memory, and the tenancy the launch asks for:

- ``"default"`` (shared tenancy): any server that is not reserved for one account;
- ``"dedicated"`` (a Dedicated Instance): a server that runs only this account's
  instances, taken empty and given back when its last instance ends;
- ``"host"`` (on a Dedicated Host): a whole server that the account allocated with
  `CloudProvider.allocate_host` and keeps until it releases it.

Server sizes are the caller's: the User Guide does not publish them.

Examples:
    >>> from vmconcepts.resources import Resources
    >>> cloud = CloudProvider()
    >>> cloud.add_servers(2, Resources(96, "384 GiB"))
    >>> a = cloud.launch("netflix", "m5.large")
    >>> b = cloud.launch("reddit", "c5.large")
    >>> a.server == b.server
    True
    >>> cloud.instances("reddit")
    (Instance('i-0002', 'c5.large', tenant='reddit', server='server-1'),)
    >>> cloud.instance("reddit", "i-0001")
    Traceback (most recent call last):
    ...
    vmconcepts.errors.IsolationError: tenant 'reddit' has no instance 'i-0001'; a tenant sees only its own instances: i-0002
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

from vmconcepts.architecture import ARCHITECTURES
from vmconcepts.diagram import Layer, LayerKind, Stack
from vmconcepts.errors import (
    InvalidStateError,
    InvalidValueError,
    IsolationError,
    NotEnoughResourcesError,
    UnknownProductError,
)
from vmconcepts.hypervisor import Hypervisor
from vmconcepts.infrastructure import Machine
from vmconcepts.operating_system import OperatingSystem
from vmconcepts.resources import Resources, Size

if TYPE_CHECKING:
    from collections.abc import Iterable

    from vmconcepts.host import Host
    from vmconcepts.virtual_machine import VirtualMachine

__all__ = [
    "INSTANCE_TYPES_SOURCE",
    "CloudProvider",
    "DedicatedHost",
    "Instance",
    "InstanceType",
    "Server",
    "Tenancy",
    "Utilisation",
]

#: Where the instance type figures come from.
INSTANCE_TYPES_SOURCE = (
    "EC2 DescribeInstanceTypes data, as generated into kubernetes/autoscaler "
    "cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go"
)

Tenancy = Literal["default", "dedicated", "host"]
_TENANCIES: tuple[Tenancy, ...] = ("default", "dedicated", "host")
_TENANCY_NAMES = {
    "default": "shared tenancy",
    "dedicated": "a Dedicated Instance",
    "host": "a Dedicated Host",
}


@dataclass(frozen=True)
class InstanceType:
    """An EC2 instance type: its vCPUs, memory and CPU architecture.

    Take one from the catalogue with `InstanceType.named`; the figures come from
    `INSTANCE_TYPES_SOURCE`. A vCPU is one hardware thread of a core, except on T2 and
    Graviton (arm64) types, where it is a whole core (EC2 User Guide, instance-optimize-cpu).

    Examples:
        >>> InstanceType.named("m5.large")
        InstanceType(name='m5.large', vcpus=2, memory_mib=8192, architecture='x86_64')
        >>> InstanceType.named("m5.large").resources
        Resources(vcpus=2, memory='8 GiB', disk='0 B')
        >>> InstanceType.named("c7i.metal-24xl").metal
        True
    """

    name: str
    vcpus: int
    memory_mib: int
    architecture: str

    @property
    def metal(self) -> bool:
        """Whether this is a bare-metal type, which runs with no hypervisor.

        Examples:
            >>> InstanceType.named("t3.micro").metal
            False
        """
        return ".metal" in self.name

    @property
    def resources(self) -> Resources:
        """The vCPUs and memory an instance of this type gets.

        Examples:
            >>> InstanceType.named("m7g.xlarge").resources
            Resources(vcpus=4, memory='16 GiB', disk='0 B')
        """
        return Resources(self.vcpus, f"{self.memory_mib} MiB")

    @classmethod
    def catalogue(cls) -> tuple[InstanceType, ...]:
        """Every instance type the library knows.

        Examples:
            >>> [t.name for t in InstanceType.catalogue()]
            ['t3.micro', 't3.large', 'm5.large', 'c5.large', 'm7g.xlarge', 'c7i.2xlarge', 'c7i.metal-24xl']
        """
        return _CATALOGUE

    @classmethod
    def named(cls, name: str) -> InstanceType:
        """Look an instance type up by its exact name, ignoring case.

        Raises:
            UnknownProductError: No type has that name; the message suggests the closest.

        Examples:
            >>> InstanceType.named("m5.larg")
            Traceback (most recent call last):
            ...
            vmconcepts.errors.UnknownProductError: no EC2 instance type named 'm5.larg'; did you mean 'm5.large'? Known: t3.micro, t3.large, m5.large, c5.large, m7g.xlarge, c7i.2xlarge, c7i.metal-24xl
        """
        wanted = name.strip().lower() if isinstance(name, str) else ""
        for entry in _CATALOGUE:
            if entry.name == wanted:
                return entry
        what = "EC2 instance type"
        raise UnknownProductError(what, str(name), [entry.name for entry in _CATALOGUE])


_CATALOGUE = (
    InstanceType("t3.micro", 2, 1024, "x86_64"),
    InstanceType("t3.large", 2, 8192, "x86_64"),
    InstanceType("m5.large", 2, 8192, "x86_64"),
    InstanceType("c5.large", 2, 4096, "x86_64"),
    InstanceType("m7g.xlarge", 4, 16384, "arm64"),
    InstanceType("c7i.2xlarge", 8, 16384, "x86_64"),
    InstanceType("c7i.metal-24xl", 96, 196608, "x86_64"),
)


@dataclass(frozen=True)
class DedicatedHost:
    """A whole physical server allocated to one account, with its hardware visible to it.

    Get one from `CloudProvider.allocate_host`.

    Examples:
        >>> from vmconcepts.resources import Resources
        >>> cloud = CloudProvider()
        >>> cloud.add_servers(1, Resources(96, "384 GiB"))
        >>> cloud.allocate_host("netflix")
        DedicatedHost(server='server-1', account='netflix', resources=Resources(vcpus=96, memory='384 GiB', disk='0 B'))
    """

    server: str
    account: str
    resources: Resources


@dataclass(frozen=True, repr=False, eq=False)
class Instance:
    """A tenant's instance: a VM of one type on one server, or a whole server for *.metal.

    Made by `CloudProvider.launch`.

    Examples:
        >>> from vmconcepts.resources import Resources
        >>> cloud = CloudProvider()
        >>> cloud.add_servers(1, Resources(96, "384 GiB"))
        >>> web = cloud.launch("netflix", "t3.micro")
        >>> web
        Instance('i-0001', 't3.micro', tenant='netflix', server='server-1')
        >>> web.vm
        <VirtualMachine 'i-0001': Amazon Linux 2023 on AWS Nitro Hypervisor, running>
    """

    id: str
    type: InstanceType
    tenant: str
    server: str
    tenancy: Tenancy
    vm: VirtualMachine | None

    def __repr__(self) -> str:
        """Name the instance, its type, its tenant and its server."""
        return (
            f"Instance({self.id!r}, {self.type.name!r}, tenant={self.tenant!r},"
            f" server={self.server!r})"
        )

    @property
    def hypervisor(self) -> str | None:
        """The hypervisor the instance runs on: Nitro, or None for a *.metal type.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(1, Resources(96, "384 GiB"))
            >>> cloud.launch("netflix", "c7i.metal-24xl").hypervisor is None
            True
        """
        return None if self.vm is None else self.vm.host.hypervisor.name


_Mode = Literal["free", "shared", "dedicated", "host", "metal"]


class Server:
    """One physical server in the fleet, with what runs on it and whom it is reserved for.

    Added with `CloudProvider.add_server`; the hypervisor is installed when the first
    virtualized instance lands on it and removed when the server is empty again.

    Examples:
        >>> from vmconcepts.resources import Resources
        >>> cloud = CloudProvider()
        >>> cloud.add_servers(1, Resources(96, "384 GiB"))
        >>> cloud.servers
        (Server('server-1', x86_64, free, 0 instances),)
    """

    def __init__(self, machine: Machine, architecture: str) -> None:
        """Store the machine; it starts free, with no hypervisor."""
        self.machine = machine
        self.architecture = architecture
        self.mode: _Mode = "free"
        self.account: str | None = None
        self.host: Host | None = None
        self.instances: list[Instance] = []

    def __repr__(self) -> str:
        """Name the server, its CPU, whom it serves and how many instances it runs."""
        mode = self.mode if self.account is None else f"{self.mode} for {self.account!r}"
        count = len(self.instances)
        return (
            f"Server({self.name!r}, {self.architecture}, {mode}, "
            f"{count} instance{'' if count == 1 else 's'})"
        )

    @property
    def name(self) -> str:
        """The server's name.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(1, Resources(96, "384 GiB"))
            >>> cloud.servers[0].name
            'server-1'
        """
        return self.machine.name

    @property
    def used(self) -> Resources:
        """The vCPUs and memory its instances hold.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(1, Resources(96, "384 GiB"))
            >>> _ = cloud.launch("netflix", "m5.large")
            >>> cloud.servers[0].used
            Resources(vcpus=2, memory='8 GiB', disk='0 B')
        """
        total = Resources(0, "0 B")
        for instance in self.instances:
            total += instance.type.resources
        return total

    @property
    def free(self) -> Resources:
        """The vCPUs and memory still free (nothing for a server running a *.metal type).

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(1, Resources(96, "384 GiB"))
            >>> _ = cloud.launch("netflix", "m5.large")
            >>> cloud.servers[0].free
            Resources(vcpus=94, memory='376 GiB', disk='0 B')
        """
        if any(instance.type.metal for instance in self.instances):
            return Resources(0, "0 B")
        hardware = self.machine.resources
        return Resources(hardware.vcpus, hardware.memory) - self.used

    def allows(self, tenant: str, tenancy: Tenancy) -> bool:
        """Whether the server's reservation lets `tenant` launch here with `tenancy`.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(1, Resources(96, "384 GiB"))
            >>> _ = cloud.launch("netflix", "t3.micro", tenancy="dedicated")
            >>> server = cloud.servers[0]
            >>> server.allows("netflix", "dedicated"), server.allows("reddit", "default")
            (True, False)
        """
        if tenancy == "default":
            return self.mode in ("free", "shared")
        if tenancy == "dedicated":
            return self.mode == "free" or (self.mode == "dedicated" and self.account == tenant)
        return self.mode == "host" and self.account == tenant

    def can_take(self, tenant: str, instance_type: InstanceType, tenancy: Tenancy) -> bool:
        """Whether this server may and can run the instance, by the rules in the module doc.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(1, Resources(4, "16 GiB"))
            >>> server = cloud.servers[0]
            >>> server.can_take("netflix", InstanceType.named("c5.large"), "default")
            True
            >>> server.can_take("netflix", InstanceType.named("c7i.2xlarge"), "default")
            False
        """
        if instance_type.architecture != self.architecture or not self.allows(tenant, tenancy):
            return False
        if instance_type.metal and self.instances:
            return False
        return instance_type.resources.fits_in(self.free)

    def stack(self) -> Stack:
        """Draw the server: hardware, the hypervisor (if any), then each instance.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(1, Resources(96, "384 GiB"))
            >>> _ = cloud.launch("netflix", "m5.large")
            >>> _ = cloud.launch("reddit", "c5.large")
            >>> print(cloud.servers[0].stack().to_text())
            Physical server server-1
            +------------------+------------------+
            | i-0001 (netflix) | i-0002 (reddit)  |
            +------------------+------------------+
            |         AWS Nitro Hypervisor        |
            +-------------------------------------+
            |               server-1              |
            +-------------------------------------+
        """
        stack = Stack(f"Physical server {self.name}").with_row(Layer(self.name, LayerKind.HARDWARE))
        if self.host is not None:
            stack = stack.with_row(Layer(self.host.hypervisor.name, LayerKind.HYPERVISOR))
        if self.instances:
            kind = LayerKind.HOST_OS if self.mode == "metal" else LayerKind.VIRTUAL_MACHINE
            stack = stack.with_row(*(Layer(f"{i.id} ({i.tenant})", kind) for i in self.instances))
        return stack


@dataclass(frozen=True)
class Utilisation:
    """How much of the servers in use their instances actually use.

    Examples:
        >>> u = Utilisation(servers=2, vcpus_used=48, vcpus_total=192, memory_used=Size("96 GiB"), memory_total=Size("768 GiB"))
        >>> print(u)
        2 servers in use; vCPUs 48 of 192 (25%); memory 96 GiB of 768 GiB (12.5%)
    """

    servers: int
    vcpus_used: int
    vcpus_total: int
    memory_used: Size
    memory_total: Size

    @property
    def vcpu_share(self) -> Fraction:
        """The share of the servers' vCPUs in use, 0 with no server in use.

        Examples:
            >>> Utilisation(1, 24, 96, Size("8 GiB"), Size("384 GiB")).vcpu_share
            Fraction(1, 4)
        """
        return Fraction(self.vcpus_used, self.vcpus_total) if self.vcpus_total else Fraction(0)

    @property
    def memory_share(self) -> Fraction:
        """The share of the servers' memory in use, 0 with no server in use.

        Examples:
            >>> Utilisation(1, 24, 96, Size("8 GiB"), Size("384 GiB")).memory_share
            Fraction(1, 48)
        """
        total = self.memory_total.bytes
        return Fraction(self.memory_used.bytes, total) if total else Fraction(0)

    def __str__(self) -> str:
        """Summarise in one line, shares as percentages."""
        return (
            f"{self.servers} server{'' if self.servers == 1 else 's'} in use; "
            f"vCPUs {self.vcpus_used} of {self.vcpus_total} ({_percent(self.vcpu_share)}); "
            f"memory {self.memory_used} of {self.memory_total} ({_percent(self.memory_share)})"
        )


def _count(number: int, noun: str) -> str:
    """Count a noun in words: "1 x86_64 server", "2 x86_64 servers"."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _percent(share: Fraction) -> str:
    return f"{float(share * 100):.3g}%"


def _utilisation(bins: Iterable[tuple[Resources, Resources]]) -> Utilisation:
    """Sum (hardware, used) pairs of the servers in use."""
    servers = vcpus_used = vcpus_total = 0
    memory_used = memory_total = Size(0)
    for hardware, used in bins:
        servers += 1
        vcpus_used += used.vcpus
        vcpus_total += hardware.vcpus
        memory_used += used.memory
        memory_total += hardware.memory
    return Utilisation(servers, vcpus_used, vcpus_total, memory_used, memory_total)


def _check_tenant(tenant: object) -> str:
    if not isinstance(tenant, str) or not tenant.strip():
        msg = f"a tenant is an account name such as 'netflix', not {tenant!r}"
        raise InvalidValueError(msg)
    return tenant


class CloudProvider:
    """A cloud provider: a fleet of servers, a catalogue of types, and tenants' instances.

    Args:
        name: The provider's name.
        hypervisor: The hypervisor on its servers, the AWS Nitro Hypervisor by default.

    Examples:
        >>> from vmconcepts.resources import Resources
        >>> cloud = CloudProvider()
        >>> cloud
        CloudProvider('Amazon EC2', 0 servers, 0 instances)
    """

    def __init__(self, name: str = "Amazon EC2", hypervisor: str = "AWS Nitro Hypervisor") -> None:
        """Start with no servers; add them with `add_server` or `add_servers`."""
        self.name = name
        self.hypervisor = Hypervisor.named(hypervisor)
        self._servers: list[Server] = []
        self._instances: dict[str, Instance] = {}
        self._launched = 0

    def __repr__(self) -> str:
        """Name the provider and count its servers and instances."""
        return (
            f"CloudProvider({self.name!r}, {len(self._servers)} servers,"
            f" {len(self._instances)} instances)"
        )

    @property
    def servers(self) -> tuple[Server, ...]:
        """The fleet, in placement order.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(1, Resources(96, "384 GiB"), architecture="arm64")
            >>> cloud.servers
            (Server('server-1', arm64, free, 0 instances),)
        """
        return tuple(self._servers)

    def add_server(self, machine: Machine, architecture: str = "x86_64") -> None:
        """Add a physical server to the end of the fleet.

        Args:
            machine: A bare-metal server (no OS: the hypervisor installs on the hardware).
            architecture: Its CPU: "x86_64" or "arm64".

        Raises:
            InvalidValueError: The architecture is unknown, the machine is not a server, or
                the name is already in the fleet.
            WrongLayerError: The machine already has an OS.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_server(Machine("graviton-1", "server", Resources(64, "256 GiB")), "arm64")
            >>> cloud.launch("reddit", "m7g.xlarge").server
            'graviton-1'
        """
        if not isinstance(machine, Machine) or machine.kind != "server":
            msg = f"a cloud's fleet holds Machines of kind 'server', not {machine!r}"
            raise InvalidValueError(msg)
        if architecture not in ARCHITECTURES:
            msg = f"unknown architecture {architecture!r}; known: {', '.join(ARCHITECTURES)}"
            raise InvalidValueError(msg)
        if any(server.name == machine.name for server in self._servers):
            msg = f"the fleet already has a server named {machine.name!r}; choose another name"
            raise InvalidValueError(msg)
        self.hypervisor.check_machine(machine)
        self._servers.append(Server(machine, architecture))

    def add_servers(self, count: int, resources: Resources, architecture: str = "x86_64") -> None:
        """Add `count` identical servers named server-1, server-2, ... after those there are.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(2, Resources(96, "384 GiB"))
            >>> [s.name for s in cloud.servers]
            ['server-1', 'server-2']
        """
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            msg = f"add a whole number of servers, not {count!r}"
            raise InvalidValueError(msg)
        start = len(self._servers)
        for number in range(start + 1, start + count + 1):
            self.add_server(Machine(f"server-{number}", "server", resources), architecture)

    def launch(
        self,
        tenant: str,
        instance_type: str,
        tenancy: Tenancy = "default",
        os: str = "Amazon Linux 2023",
    ) -> Instance:
        """Launch an instance for `tenant` on the first server that fits (see the module doc).

        Args:
            tenant: The account launching it, e.g. "netflix".
            instance_type: A catalogue name such as "m5.large".
            tenancy: "default" (shared), "dedicated" or "host".
            os: The guest OS of a virtualized instance (a catalogue name).

        Returns:
            The running instance, with an id such as "i-0001".

        Raises:
            UnknownProductError: The type or OS is not in the catalogue.
            InvalidValueError: The tenant or tenancy is not usable.
            NotEnoughResourcesError: No server may take it; the message says why.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(1, Resources(4, "16 GiB"))
            >>> _ = cloud.launch("netflix", "c5.large", tenancy="dedicated")
            >>> cloud.launch("reddit", "t3.micro")
            Traceback (most recent call last):
            ...
            vmconcepts.errors.NotEnoughResourcesError: no server can take the t3.micro (2 vCPUs, 1 GiB memory) for 'reddit' with shared tenancy: of 1 x86_64 server, 1 cannot take it with this tenancy (reserved, or shared with other accounts) and 0 have no room. Add servers or terminate instances.
        """
        tenant = _check_tenant(tenant)
        kind = InstanceType.named(instance_type)
        if tenancy not in _TENANCIES:
            msg = f"tenancy is one of {', '.join(map(repr, _TENANCIES))}, not {tenancy!r}"
            raise InvalidValueError(msg)
        guest = OperatingSystem.named(os)
        for server in self._servers:
            if server.can_take(tenant, kind, tenancy):
                return self._place(server, tenant, kind, tenancy, guest)
        raise NotEnoughResourcesError(self._no_room(tenant, kind, tenancy))

    def _no_room(self, tenant: str, kind: InstanceType, tenancy: Tenancy) -> str:
        same_cpu = [s for s in self._servers if s.architecture == kind.architecture]
        head = (
            f"no server can take the {kind.name} ({kind.resources}) for {tenant!r} "
            f"with {_TENANCY_NAMES[tenancy]}: "
        )
        if not same_cpu:
            return head + f"the fleet has no {kind.architecture} server. Add one."
        if tenancy == "host":
            mine = sum(1 for s in same_cpu if s.mode == "host" and s.account == tenant)
            hosts = _count(mine, f"{kind.architecture} Dedicated Host")
            if mine == 0:
                owned = f"{tenant!r} has no {kind.architecture} Dedicated Host."
            else:
                none = "it has no room" if mine == 1 else "none has room"
                owned = f"{tenant!r} has {hosts} and {none}."
            return head + owned + " Allocate one with allocate_host()."
        blocked = sum(1 for s in same_cpu if not s.allows(tenant, tenancy))
        full = len(same_cpu) - blocked
        return head + (
            f"of {_count(len(same_cpu), kind.architecture + ' server')}, {blocked} cannot take it"
            " with this tenancy (reserved, or shared with other accounts) and"
            f" {full} {'has' if full == 1 else 'have'} no room."
            " Add servers or terminate instances."
        )

    def _place(
        self,
        server: Server,
        tenant: str,
        kind: InstanceType,
        tenancy: Tenancy,
        guest: OperatingSystem,
    ) -> Instance:
        self._launched += 1
        instance_id = f"i-{self._launched:04d}"
        vm = None
        if kind.metal:
            server.mode = "metal" if tenancy != "host" else "host"
            server.account = tenant
            server.host = None
        else:
            if server.host is None:
                server.host = self.hypervisor.install_on(server.machine)
            vm = server.host.create_vm(instance_id, guest, kind.resources)
            vm.start()
            if server.mode == "free":
                server.mode = "shared" if tenancy == "default" else "dedicated"
                server.account = None if tenancy == "default" else tenant
        instance = Instance(instance_id, kind, tenant, server.name, tenancy, vm)
        server.instances.append(instance)
        self._instances[instance_id] = instance
        return instance

    def instances(self, tenant: str) -> tuple[Instance, ...]:
        """The tenant's own instances, oldest first; nobody else's.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(1, Resources(96, "384 GiB"))
            >>> _ = cloud.launch("netflix", "t3.micro")
            >>> cloud.instances("reddit")
            ()
        """
        tenant = _check_tenant(tenant)
        return tuple(i for i in self._instances.values() if i.tenant == tenant)

    def instance(self, tenant: str, instance_id: str) -> Instance:
        """One of the tenant's instances by id.

        An id that belongs to another tenant gets the same answer as one that does not
        exist, so a tenant cannot even learn that another's instance is there.

        Raises:
            IsolationError: The tenant has no instance with that id.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(1, Resources(96, "384 GiB"))
            >>> web = cloud.launch("netflix", "t3.micro")
            >>> cloud.instance("netflix", "i-0001") is web
            True
            >>> cloud.instance("netflix", "i-0099")
            Traceback (most recent call last):
            ...
            vmconcepts.errors.IsolationError: tenant 'netflix' has no instance 'i-0099'; a tenant sees only its own instances: i-0001
        """
        tenant = _check_tenant(tenant)
        found = self._instances.get(instance_id) if isinstance(instance_id, str) else None
        if found is None or found.tenant != tenant:
            own = ", ".join(i.id for i in self.instances(tenant)) or "none"
            msg = (
                f"tenant {tenant!r} has no instance {instance_id!r}; "
                f"a tenant sees only its own instances: {own}"
            )
            raise IsolationError(msg)
        return found

    def terminate(self, tenant: str, instance_id: str) -> None:
        """End one of the tenant's instances and free its share of the server.

        A server left empty is given back to the shared pool (unless it is a Dedicated
        Host, which stays allocated) and its hypervisor is removed.

        Raises:
            IsolationError: The tenant has no instance with that id.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(1, Resources(96, "384 GiB"))
            >>> web = cloud.launch("netflix", "t3.micro", tenancy="dedicated")
            >>> cloud.terminate("netflix", web.id)
            >>> cloud.servers
            (Server('server-1', x86_64, free, 0 instances),)
        """
        instance = self.instance(tenant, instance_id)
        server = next(s for s in self._servers if s.name == instance.server)
        if instance.vm is not None:
            instance.vm.stop()
            instance.vm.delete()
        server.instances.remove(instance)
        del self._instances[instance.id]
        if not server.instances:
            server.host = None
            if server.mode != "host":
                server.mode, server.account = "free", None

    def allocate_host(self, tenant: str, architecture: str = "x86_64") -> DedicatedHost:
        """Give `tenant` a whole free server as a Dedicated Host, its hardware visible to it.

        Raises:
            NotEnoughResourcesError: No free server of that architecture is left.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(2, Resources(96, "384 GiB"))
            >>> _ = cloud.allocate_host("netflix")
            >>> cloud.launch("netflix", "m5.large", tenancy="host").server
            'server-1'
            >>> cloud.launch("reddit", "m5.large").server
            'server-2'
        """
        tenant = _check_tenant(tenant)
        for server in self._servers:
            if server.mode == "free" and server.architecture == architecture:
                server.mode, server.account = "host", tenant
                return DedicatedHost(server.name, tenant, server.machine.resources)
        msg = (
            f"no free {architecture} server is left to allocate as a Dedicated Host for"
            f" {tenant!r}; add servers or terminate instances"
        )
        raise NotEnoughResourcesError(msg)

    def release_host(self, tenant: str, server: str) -> None:
        """Give a Dedicated Host back; it must have no instances left.

        Raises:
            IsolationError: The tenant holds no Dedicated Host of that name.
            InvalidStateError: Instances still run on it.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(1, Resources(96, "384 GiB"))
            >>> host = cloud.allocate_host("netflix")
            >>> _ = cloud.launch("netflix", "m5.large", tenancy="host")
            >>> cloud.release_host("netflix", host.server)
            Traceback (most recent call last):
            ...
            vmconcepts.errors.InvalidStateError: cannot release Dedicated Host 'server-1': it is in use by 1 instance; from in use by 1 instance you can: terminate its instances
        """
        tenant = _check_tenant(tenant)
        found = next((s for s in self._servers if s.name == server), None)
        if found is None or found.mode != "host" or found.account != tenant:
            msg = f"tenant {tenant!r} holds no Dedicated Host named {server!r}"
            raise IsolationError(msg)
        if found.instances:
            count = len(found.instances)
            state = f"in use by {count} instance{'' if count == 1 else 's'}"
            what = f"Dedicated Host {server!r}"
            raise InvalidStateError(what, state, "release", ["terminate its instances"])
        found.mode, found.account = "free", None

    def utilisation(self) -> Utilisation:
        """How full the servers in use are, with tenants sharing them as placed.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(4, Resources(16, "64 GiB"))
            >>> for tenant in ("netflix", "reddit", "shop", "blog"):
            ...     _ = cloud.launch(tenant, "m5.large")
            >>> print(cloud.utilisation())
            1 server in use; vCPUs 8 of 16 (50%); memory 32 GiB of 64 GiB (50%)
            >>> print(cloud.utilisation_one_tenant_per_server())
            4 servers in use; vCPUs 8 of 64 (12.5%); memory 32 GiB of 256 GiB (12.5%)
        """
        return _utilisation(
            (s.machine.resources, self._held(s)) for s in self._servers if s.instances
        )

    @staticmethod
    def _held(server: Server) -> Resources:
        """What a server's instances hold; a *.metal instance holds the whole server."""
        if server.mode == "metal" or any(i.type.metal for i in server.instances):
            return server.machine.resources
        return server.used

    def utilisation_one_tenant_per_server(self) -> Utilisation:
        """How full the servers would be if no server were shared between tenants.

        The same instances are packed again, tenant by tenant (in the order each first
        launched), first fit onto fresh servers like those in the fleet, taken in fleet
        order (and again from the start if the fleet runs out), with no server holding
        two tenants. Compare it with `utilisation` to see what sharing saves.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(2, Resources(8, "32 GiB"))
            >>> _ = cloud.launch("netflix", "c5.large")
            >>> _ = cloud.launch("reddit", "c5.large")
            >>> cloud.utilisation().servers, cloud.utilisation_one_tenant_per_server().servers
            (1, 2)
        """
        templates = self._servers
        bins: list[tuple[Server, Resources]] = []
        next_template = 0
        tenants = list(dict.fromkeys(i.tenant for i in self._instances.values()))
        for tenant in tenants:
            mine: list[tuple[Server, Resources]] = []
            for instance in self._instances.values():
                if instance.tenant != tenant:
                    continue
                need = instance.type.resources
                for index, (template, used) in enumerate(mine):
                    room = _hardware(template) - used
                    if (
                        template.architecture == instance.type.architecture
                        and not instance.type.metal
                        and need.fits_in(room)
                    ):
                        mine[index] = (template, used + need)
                        break
                else:
                    template, next_template = _next_fitting(templates, next_template, instance)
                    held = _hardware(template) if instance.type.metal else need
                    mine.append((template, held))
            bins.extend(mine)
        return _utilisation((_hardware(t), used) for t, used in bins)


def _hardware(server: Server) -> Resources:
    hardware = server.machine.resources
    return Resources(hardware.vcpus, hardware.memory)


def _next_fitting(templates: list[Server], start: int, instance: Instance) -> tuple[Server, int]:
    """The next server model in fleet order (wrapping round) that could hold the instance."""
    count = len(templates)
    for step in range(count):
        index = (start + step) % count
        template = templates[index]
        if template.architecture == instance.type.architecture and (
            instance.type.resources.fits_in(_hardware(template))
        ):
            return template, (index + 1) % count
    # The instance is placed, so some server fits it; this line is never reached.
    msg = f"no server model fits {instance!r}"  # pragma: no cover
    raise InvalidStateError(msg, "placed", "repack", ())  # pragma: no cover
