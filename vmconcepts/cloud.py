"""A cloud: tenants rent VMs that the provider places on shared physical servers.

This models Amazon EC2 as the EC2 User Guide describes it. The provider owns a fleet of
physical servers. A tenant (an AWS account; the examples call them "netflix", "reddit" and
"shop", which are only names here) launches an *instance* of a catalogued type; the
provider picks a server and runs the instance there as a VM under the AWS Nitro hypervisor.
Several tenants can share one server, each in its own VM, and a tenant sees only its own
instances. A `*.metal` type is the exception: it gets a whole server and runs with no
hypervisor at all.

Placement is deterministic: **first fit in server order**. The instance goes on the first
server (in the order the servers were added) that has the architecture, the instance
family, the free vCPUs and memory, and the tenancy the launch asks for:

- ``"default"`` (shared tenancy): any server that is not reserved for one account, or
  one that runs this account's Dedicated Instances ("Dedicated Instances may share
  hardware with other instances from the same AWS account that are not Dedicated
  Instances", EC2 User Guide, "Dedicated Instances");
- ``"dedicated"`` (a Dedicated Instance): a server that runs only this account's
  instances, taken empty, and shared again when its last Dedicated Instance ends;
- ``"host"`` (on a Dedicated Host): a whole server that the account allocated with
  `CloudProvider.allocate_host` and keeps until it releases it.

**One instance family per server.** A server runs instances of one family at a time: the
family of the first instance placed on it (``m5`` for ``m5.large``), until it is empty
again. The EC2 User Guide gives that rule for Dedicated Hosts: a host on the Nitro System
runs several instance types of one family, never two families ("Dedicated Hosts"). AWS
publishes no rule for the servers behind shared tenancy; applying the same rule to every
server is this model's simplification.

**No overcommit.** Each server's hypervisor is installed with `Overcommit.strict`, so an
instance's vCPUs and memory are never promised to another instance. That is the model's
choice, not a published EC2 rule, and it leaves out burstable types: T3 instances run at a
baseline share of their vCPUs and spend CPU credits to go above it (EC2 User Guide,
burstable performance instances), while the model gives every instance all its vCPUs.

Server sizes are the caller's: the User Guide does not publish them.

Examples:
    >>> from vmconcepts.resources import Resources
    >>> cloud = CloudProvider()
    >>> cloud.add_servers(2, Resources(96, "384 GiB"))
    >>> a = cloud.launch("netflix", "m5.large")
    >>> b = cloud.launch("reddit", "m5.large")
    >>> a.server == b.server
    True
    >>> cloud.launch("reddit", "c5.large").server
    'server-2'
    >>> cloud.instances("reddit")
    (Instance('i-0002', 'm5.large', tenant='reddit', server='server-1'), Instance('i-0003', 'c5.large', tenant='reddit', server='server-2'))
    >>> cloud.instance("reddit", "i-0001")
    Traceback (most recent call last):
    ...
    vmconcepts.errors.IsolationError: tenant 'reddit' has no instance 'i-0001'; a tenant sees only its own instances: i-0002, i-0003
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

from vmconcepts._text import counted
from vmconcepts.architecture import Architecture, check_architecture
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
from vmconcepts.overcommit import Overcommit
from vmconcepts.resources import Resources, Size

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from vmconcepts.host import Host
    from vmconcepts.virtual_machine import VirtualMachine

__all__ = [
    "INSTANCE_TYPES_SOURCE",
    "CloudProvider",
    "DedicatedHost",
    "Instance",
    "InstanceType",
    "Server",
    "ServerState",
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

# Why a server cannot take an instance, in the order `Server.can_take` checks.
_Obstacle = Literal["architecture", "tenancy", "family", "not empty", "room"]

_ONE_FAMILY = (
    "A server runs one instance family at a time in this model, as an EC2 Dedicated Host does."
)


@dataclass(frozen=True)
class InstanceType:
    """An EC2 instance type: its vCPUs, memory and CPU architecture.

    Take one from the catalogue with `InstanceType.named`; the figures come from
    `INSTANCE_TYPES_SOURCE`. On most types a vCPU is one hardware thread of a core, so two
    vCPUs share a core. On T2 types, on Graviton (arm64) types and on newer families such
    as M7a, C7a and R7a, a vCPU is a whole physical core, and Mac instances differ again.
    The list of exceptions grows with new families: check "Optimize CPU options" in the
    EC2 User Guide for the type you use.

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
    architecture: Architecture

    @property
    def metal(self) -> bool:
        """Whether this is a bare-metal type, which runs with no hypervisor.

        Examples:
            >>> InstanceType.named("t3.micro").metal
            False
        """
        return ".metal" in self.name

    @property
    def family(self) -> str:
        """The instance family: the part of the name before the dot, as EC2 writes it.

        A Dedicated Host runs instances of one family (EC2 User Guide, "Dedicated Hosts"),
        and in this model so does every server.

        Examples:
            >>> InstanceType.named("c7i.2xlarge").family, InstanceType.named("c7i.metal-24xl").family
            ('c7i', 'c7i')
        """
        return self.name.split(".", 1)[0]

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


class ServerState(Enum):
    """What a server in the fleet is used for, and so whose instances it may take.

    - ``FREE``: no instances and no reservation; any launch may take it.
    - ``SHARED``: shared-tenancy instances, of any accounts.
    - ``DEDICATED``: the Dedicated Instances of one account, and perhaps its shared ones;
      shared again (or free, if empty) when the last Dedicated Instance ends.
    - ``HOST``: allocated to one account as a Dedicated Host, until the account releases it.
    - ``METAL``: one ``*.metal`` instance has the whole server, with no hypervisor.

    A `Server` changes its own state: `Server.run`, `Server.remove`, `Server.reserve_host`
    and `Server.release_host` do it.

    Examples:
        >>> [state.value for state in ServerState]
        ['free', 'shared', 'dedicated', 'host', 'metal']
        >>> ServerState.HOST
        <ServerState.HOST: 'host'>
    """

    FREE = "free"
    SHARED = "shared"
    DEDICATED = "dedicated"
    HOST = "host"
    METAL = "metal"


class Server:
    """One physical server in the fleet: what runs on it, and whom it is reserved for.

    Added with `CloudProvider.add_server`. The server installs its hypervisor when the
    first virtualized instance lands on it and removes it when it is empty again. It runs
    instances of one family at a time (see the module doc), and it changes its own
    `state` as instances come and go.

    Args:
        machine: The bare-metal server.
        hypervisor: The hypervisor to install when a virtualized instance arrives.

    Examples:
        >>> from vmconcepts.resources import Resources
        >>> cloud = CloudProvider()
        >>> cloud.add_servers(1, Resources(96, "384 GiB"))
        >>> cloud.servers
        (Server('server-1', x86_64, free, 0 instances),)
        >>> _ = cloud.launch("netflix", "m5.large", tenancy="dedicated")
        >>> cloud.servers[0]
        Server('server-1', x86_64, dedicated for 'netflix', 1 m5 instance)
        >>> cloud.servers[0].state
        <ServerState.DEDICATED: 'dedicated'>
    """

    def __init__(self, machine: Machine, hypervisor: Hypervisor) -> None:
        """Store the machine and its hypervisor; the server starts free, with nothing on it."""
        self.machine = machine
        self.hypervisor = hypervisor
        self._state = ServerState.FREE
        self._account: str | None = None
        self._host: Host | None = None
        self._instances: list[Instance] = []

    def __repr__(self) -> str:
        """Name the server, its CPU, its state and whom for, and what runs on it."""
        state = self._state.value
        if self._account is not None:
            state += f" for {self._account!r}"
        noun = "instance" if self.family is None else f"{self.family} instance"
        return (
            f"Server({self.name!r}, {self.architecture}, {state},"
            f" {counted(len(self._instances), noun)})"
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
    def architecture(self) -> Architecture:
        """The server's CPU architecture: its machine's."""
        return self.machine.architecture

    @property
    def state(self) -> ServerState:
        """What the server is used for now."""
        return self._state

    @property
    def account(self) -> str | None:
        """The account the server is reserved for, or None when it is free or shared."""
        return self._account

    @property
    def host(self) -> Host | None:
        """The hypervisor's host while virtualized instances run here, else None."""
        return self._host

    @property
    def instances(self) -> tuple[Instance, ...]:
        """The instances on the server, oldest first."""
        return tuple(self._instances)

    @property
    def family(self) -> str | None:
        """The instance family the server runs now, or None while it is empty.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(1, Resources(96, "384 GiB"))
            >>> web = cloud.launch("netflix", "t3.micro")
            >>> cloud.servers[0].family
            't3'
            >>> cloud.terminate("netflix", web.id)
            >>> cloud.servers[0].family is None
            True
        """
        return self._instances[0].type.family if self._instances else None

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
        for instance in self._instances:
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
        if any(instance.type.metal for instance in self._instances):
            return Resources(0, "0 B")
        hardware = self.machine.resources
        return Resources(hardware.vcpus, hardware.memory) - self.used

    def allows(self, tenant: str, tenancy: Tenancy) -> bool:
        """Whether the server's state lets `tenant` launch here with `tenancy`.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(1, Resources(96, "384 GiB"))
            >>> _ = cloud.launch("netflix", "t3.micro", tenancy="dedicated")
            >>> server = cloud.servers[0]
            >>> server.allows("netflix", "dedicated"), server.allows("reddit", "default")
            (True, False)
        """
        state = self._state
        if tenancy == "default":
            return state in (ServerState.FREE, ServerState.SHARED) or (
                state is ServerState.DEDICATED and self._account == tenant
            )
        if tenancy == "dedicated":
            return state is ServerState.FREE or (
                state is ServerState.DEDICATED and self._account == tenant
            )
        return state is ServerState.HOST and self._account == tenant

    def _obstacle(self, tenant: str, kind: InstanceType, tenancy: Tenancy) -> _Obstacle | None:
        """The first reason the server cannot take the instance, or None if it can."""
        if kind.architecture != self.architecture:
            return "architecture"
        if not self.allows(tenant, tenancy):
            return "tenancy"
        if self.family not in (None, kind.family):
            return "family"
        if kind.metal and self._instances:
            return "not empty"
        if not kind.resources.fits_in(self.free):
            return "room"
        return None

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
            >>> _ = cloud.launch("netflix", "m5.large")
            >>> server.can_take("reddit", InstanceType.named("c5.large"), "default")
            False
        """
        return self._obstacle(tenant, instance_type, tenancy) is None

    def run(
        self,
        instance_id: str,
        tenant: str,
        kind: InstanceType,
        tenancy: Tenancy,
        guest: OperatingSystem,
    ) -> Instance:
        """Start an instance here; `CloudProvider.launch` picks the server and calls this.

        A virtualized type becomes a running VM under the server's hypervisor, installed
        first if the server had none. A *.metal type takes the whole server, with no
        hypervisor. A free server becomes shared, dedicated or metal, as the launch asks.

        Raises:
            NotEnoughResourcesError: The server cannot take the instance; the message says why.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> server = Server(Machine("rack-1", "server", Resources(16, "64 GiB")), Hypervisor.named("Nitro"))
            >>> server.run("i-0001", "netflix", InstanceType.named("m5.large"), "default", OperatingSystem.named("Amazon Linux 2023"))
            Instance('i-0001', 'm5.large', tenant='netflix', server='rack-1')
            >>> server.run("i-0002", "reddit", InstanceType.named("t3.micro"), "default", OperatingSystem.named("Amazon Linux 2023"))
            Traceback (most recent call last):
            ...
            vmconcepts.errors.NotEnoughResourcesError: server 'rack-1' cannot take the t3.micro for 'reddit' with shared tenancy: it runs m5 instances. A server runs one instance family at a time in this model, as an EC2 Dedicated Host does.
        """
        obstacle = self._obstacle(tenant, kind, tenancy)
        if obstacle is not None:
            msg = (
                f"server {self.name!r} cannot take the {kind.name} for {tenant!r} with"
                f" {_TENANCY_NAMES[tenancy]}: {self._explain(obstacle, kind)}"
            )
            raise NotEnoughResourcesError(msg)
        vm = None
        if kind.metal:
            self._host = None
        else:
            if self._host is None:
                self._host = self.hypervisor.install_on(
                    self.machine, overcommit=Overcommit.strict()
                )
            vm = self._host.create_vm(
                instance_id, guest, kind.resources, architecture=kind.architecture
            )
            vm.start()
        if self._state is ServerState.FREE:
            if kind.metal:
                self._state = ServerState.METAL
            elif tenancy == "default":
                self._state = ServerState.SHARED
            else:
                self._state = ServerState.DEDICATED
            self._account = None if self._state is ServerState.SHARED else tenant
        instance = Instance(instance_id, kind, tenant, self.name, tenancy, vm)
        self._instances.append(instance)
        return instance

    def _explain(self, obstacle: _Obstacle, kind: InstanceType) -> str:
        """Say in words why the server cannot take an instance of `kind`."""
        if obstacle == "architecture":
            return (
                f"it is {self.architecture}, and the {kind.name} is built for {kind.architecture}."
            )
        if obstacle == "tenancy":
            whom = "" if self._account is None else f" for {self._account!r}"
            return f"it is {self._state.value}{whom}."
        if obstacle == "family":
            return f"it runs {self.family} instances. {_ONE_FAMILY}"
        if obstacle == "not empty":
            return "it is not empty, and a *.metal type takes a whole server."
        return f"it has no room left: the instance {self.free.shortfall(kind.resources)}."

    def remove(self, instance: Instance) -> None:
        """End an instance here: stop and delete its VM and give back what it held.

        When the last instance ends, the hypervisor is removed, and the server is free
        again, unless it is a Dedicated Host, which stays with its account. When the last
        Dedicated Instance ends and the account's shared instances remain, it is shared again.

        Raises:
            InvalidValueError: The instance does not run on this server.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(1, Resources(96, "384 GiB"))
            >>> web = cloud.launch("netflix", "t3.micro", tenancy="dedicated")
            >>> cloud.servers[0].remove(web)
            >>> cloud.servers[0]
            Server('server-1', x86_64, free, 0 instances)
        """
        if instance not in self._instances:
            msg = f"{instance!r} does not run on server {self.name!r}"
            raise InvalidValueError(msg)
        if instance.vm is not None:
            instance.vm.stop()
            instance.vm.delete()
        self._instances.remove(instance)
        if not self._instances:
            self._host = None
            if self._state is not ServerState.HOST:
                self._state, self._account = ServerState.FREE, None
        elif self._state is ServerState.DEDICATED and not any(
            i.tenancy == "dedicated" for i in self._instances
        ):
            self._state, self._account = ServerState.SHARED, None

    def reserve_host(self, account: str) -> None:
        """Allocate this free server to `account` as a Dedicated Host.

        Raises:
            InvalidStateError: The server is not free.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(1, Resources(96, "384 GiB"))
            >>> _ = cloud.launch("netflix", "m5.large")
            >>> cloud.servers[0].reserve_host("reddit")
            Traceback (most recent call last):
            ...
            vmconcepts.errors.InvalidStateError: cannot reserve server 'server-1' as a Dedicated Host: it is shared; from shared you can: launch shared instances, terminate instances
        """
        if self._state is not ServerState.FREE:
            what = f"server {self.name!r} as a Dedicated Host"
            raise InvalidStateError(what, self._state.value, "reserve", _ACTIONS[self._state])
        self._state, self._account = ServerState.HOST, account

    def release_host(self) -> None:
        """Give this Dedicated Host back to the shared pool; no instance may still run on it.

        Raises:
            InvalidStateError: The server is not a Dedicated Host, or instances still run
                on it; the message names them.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(1, Resources(96, "384 GiB"))
            >>> _ = cloud.allocate_host("netflix")
            >>> cloud.servers[0].release_host()
            >>> cloud.servers[0]
            Server('server-1', x86_64, free, 0 instances)
        """
        if self._state is not ServerState.HOST:
            what = f"server {self.name!r} as a Dedicated Host"
            raise InvalidStateError(what, self._state.value, "release", _ACTIONS[self._state])
        if self._instances:
            count = len(self._instances)
            ids = ", ".join(instance.id for instance in self._instances)
            them = "it" if count == 1 else "them"
            message = (
                f"cannot release Dedicated Host {self.name!r}:"
                f" {counted(count, 'instance still runs', 'instances still run')} on it"
                f" ({ids}); terminate {them} first, then release the host."
            )
            what = f"Dedicated Host {self.name!r}"
            raise InvalidStateError(what, "in use", "release", ["terminate"], message=message)
        self._state, self._account = ServerState.FREE, None

    def stack(self) -> Stack:
        """Draw the server: hardware, the hypervisor (if any), then each instance.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(1, Resources(96, "384 GiB"))
            >>> _ = cloud.launch("netflix", "m5.large")
            >>> _ = cloud.launch("reddit", "m5.large")
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
        if self._host is not None:
            stack = stack.with_row(Layer(self._host.hypervisor.name, LayerKind.HYPERVISOR))
        if self._instances:
            metal = any(i.type.metal for i in self._instances)
            kind = LayerKind.HOST_OS if metal else LayerKind.VIRTUAL_MACHINE
            stack = stack.with_row(*(Layer(f"{i.id} ({i.tenant})", kind) for i in self._instances))
        return stack


# What can happen to a server in each state, for the messages of InvalidStateError.
_ACTIONS: dict[ServerState, tuple[str, ...]] = {
    ServerState.FREE: ("launch an instance", "reserve as a Dedicated Host"),
    ServerState.SHARED: ("launch shared instances", "terminate instances"),
    ServerState.DEDICATED: ("launch the account's instances", "terminate instances"),
    ServerState.HOST: ("launch the account's instances", "terminate instances", "release"),
    ServerState.METAL: ("terminate its instance",),
}


@dataclass(frozen=True)
class Utilisation:
    """How much of the servers in use their instances actually use.

    Examples:
        >>> u = Utilisation(servers=2, vcpus_used=48, vcpus_total=192, memory_used=Size("96 GiB"), memory_total=Size("768 GiB"))
        >>> print(u)
        2 servers in use; vCPUs 48 of 192 (25%); memory 96 GiB of 768 GiB (12.5%)
        >>> print(Utilisation(1, 2, 16, Size("8 GiB"), Size("64 GiB")))
        1 server in use; vCPUs 2 of 16 (12.5%); memory 8 GiB of 64 GiB (12.5%)
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
            f"{counted(self.servers, 'server')} in use; "
            f"vCPUs {self.vcpus_used} of {self.vcpus_total} ({_percent(self.vcpu_share)}); "
            f"memory {self.memory_used} of {self.memory_total} ({_percent(self.memory_share)})"
        )


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


def _and(parts: Sequence[str]) -> str:
    """Join phrases as prose: "a", "a and b", "a, b and c"."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _obstacles(
    servers: Sequence[Server], tenant: str, kind: InstanceType, tenancy: Tenancy, *, it: bool
) -> str:
    """Count why each of `servers` cannot take the instance, in words.

    With ``it``, there is one server, and the phrase is about "it" rather than a count.
    """
    found: dict[_Obstacle, list[Server]] = {}
    for server in servers:
        obstacle = server._obstacle(tenant, kind, tenancy)  # noqa: SLF001 - same module
        if obstacle is not None:
            found.setdefault(obstacle, []).append(server)
    parts = []
    for obstacle, these in found.items():
        number = len(these)
        subject = "it" if it else str(number)
        singular = it or number == 1
        if obstacle == "tenancy":
            parts.append(
                f"{subject} cannot take it with this tenancy (reserved, or shared with other"
                " accounts)"
            )
        elif obstacle == "family":
            families = sorted({s.family for s in these if s.family is not None})
            run = "runs" if singular else "run"
            other = "another instance family" if len(families) == 1 else "other instance families"
            parts.append(f"{subject} {run} {other} ({', '.join(families)})")
        elif obstacle == "not empty":
            parts.append(f"{subject} {'is' if singular else 'are'} not empty")
        else:
            parts.append(f"{subject} {'has' if singular else 'have'} no room")
    text = _and(parts) + "."
    if "family" in found:
        text += " " + _ONE_FAMILY
    if "not empty" in found:
        text += " A *.metal type takes a whole server."
    return text


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
        >>> cloud.add_servers(1, Resources(96, "384 GiB"))
        >>> _ = cloud.launch("netflix", "m5.large")
        >>> cloud
        CloudProvider('Amazon EC2', 1 server, 1 instance)
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
            f"CloudProvider({self.name!r}, {counted(len(self._servers), 'server')},"
            f" {counted(len(self._instances), 'instance')})"
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

    def add_server(self, machine: Machine) -> None:
        """Add a physical server to the end of the fleet; its CPU is the machine's.

        Args:
            machine: A bare-metal server (no OS: the hypervisor installs on the hardware).

        Raises:
            InvalidValueError: The machine is not a server, or its name is already in the
                fleet.
            WrongLayerError: The machine already has an OS.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_server(Machine("graviton-1", "server", Resources(64, "256 GiB"), architecture="arm64"))
            >>> cloud.launch("reddit", "m7g.xlarge").server
            'graviton-1'
        """
        if not isinstance(machine, Machine) or machine.kind != "server":
            msg = f"a cloud's fleet holds Machines of kind 'server', not {machine!r}"
            raise InvalidValueError(msg)
        if any(server.name == machine.name for server in self._servers):
            msg = f"the fleet already has a server named {machine.name!r}; choose another name"
            raise InvalidValueError(msg)
        self.hypervisor.check_machine(machine)
        self._servers.append(Server(machine, self.hypervisor))

    def add_servers(
        self, count: int, resources: Resources, architecture: Architecture = "x86_64"
    ) -> None:
        """Add `count` identical servers named server-1, server-2, ... after those there are.

        Args:
            count: How many servers.
            resources: Each server's hardware threads and memory.
            architecture: Their CPU: ``"x86_64"`` or ``"arm64"``.

        Raises:
            InvalidValueError: The count is not a whole number from 0 up, or the
                architecture is unknown.

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
        architecture = check_architecture(architecture, "the servers")
        start = len(self._servers)
        for number in range(start + 1, start + count + 1):
            machine = Machine(f"server-{number}", "server", resources, architecture=architecture)
            self.add_server(machine)

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
            >>> cloud.add_servers(2, Resources(4, "16 GiB"))
            >>> _ = cloud.launch("netflix", "c5.large", tenancy="dedicated")
            >>> _ = cloud.launch("shop", "m5.large")
            >>> cloud.launch("reddit", "t3.micro")
            Traceback (most recent call last):
            ...
            vmconcepts.errors.NotEnoughResourcesError: no server can take the t3.micro (2 vCPUs, 1 GiB memory) for 'reddit' with shared tenancy: of 2 x86_64 servers, 1 cannot take it with this tenancy (reserved, or shared with other accounts) and 1 runs another instance family (m5). A server runs one instance family at a time in this model, as an EC2 Dedicated Host does. Add servers or terminate instances.
        """
        tenant = _check_tenant(tenant)
        kind = InstanceType.named(instance_type)
        if tenancy not in _TENANCIES:
            msg = f"tenancy is one of {', '.join(map(repr, _TENANCIES))}, not {tenancy!r}"
            raise InvalidValueError(msg)
        guest = OperatingSystem.named(os)
        for server in self._servers:
            if server.can_take(tenant, kind, tenancy):
                instance_id = f"i-{self._launched + 1:04d}"
                instance = server.run(instance_id, tenant, kind, tenancy, guest)
                self._launched += 1
                self._instances[instance_id] = instance
                return instance
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
            mine = [s for s in same_cpu if s.state is ServerState.HOST and s.account == tenant]
            if not mine:
                owned = f"{tenant!r} has no {kind.architecture} Dedicated Host."
            else:
                hosts = counted(len(mine), f"{kind.architecture} Dedicated Host")
                why = _obstacles(mine, tenant, kind, tenancy, it=len(mine) == 1)
                owned = f"{tenant!r} has {hosts}, and {why}"
            return head + owned + " Allocate one with allocate_host()."
        servers = counted(len(same_cpu), f"{kind.architecture} server")
        why = _obstacles(same_cpu, tenant, kind, tenancy, it=False)
        return head + f"of {servers}, {why} Add servers or terminate instances."

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
        server.remove(instance)
        del self._instances[instance.id]

    def allocate_host(self, tenant: str, architecture: Architecture = "x86_64") -> DedicatedHost:
        """Give `tenant` a whole free server as a Dedicated Host, its hardware visible to it.

        In EC2 a host is allocated for one instance type or family up front; in the model
        its first instance sets the family, as on any other server.

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
            if server.state is ServerState.FREE and server.architecture == architecture:
                server.reserve_host(tenant)
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
            InvalidStateError: Instances still run on it; the message names them.

        Examples:
            >>> from vmconcepts.resources import Resources
            >>> cloud = CloudProvider()
            >>> cloud.add_servers(1, Resources(96, "384 GiB"))
            >>> host = cloud.allocate_host("netflix")
            >>> _ = cloud.launch("netflix", "m5.large", tenancy="host")
            >>> cloud.release_host("netflix", host.server)
            Traceback (most recent call last):
            ...
            vmconcepts.errors.InvalidStateError: cannot release Dedicated Host 'server-1': 1 instance still runs on it (i-0001); terminate it first, then release the host.
        """
        tenant = _check_tenant(tenant)
        found = next((s for s in self._servers if s.name == server), None)
        if found is None or found.state is not ServerState.HOST or found.account != tenant:
            msg = f"tenant {tenant!r} holds no Dedicated Host named {server!r}"
            raise IsolationError(msg)
        found.release_host()

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
        if any(i.type.metal for i in server.instances):
            return server.machine.resources
        return server.used

    def utilisation_one_tenant_per_server(self) -> Utilisation:
        """How full the servers would be if no server were shared between tenants.

        The same instances are packed again, tenant by tenant (in the order each first
        launched), first fit onto fresh servers like those in the fleet, taken in fleet
        order (and again from the start if the fleet runs out), with no server holding
        two tenants or two instance families. Compare it with `utilisation` to see what
        sharing saves.

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
            mine: list[tuple[Server, Resources, str]] = []
            for instance in self._instances.values():
                if instance.tenant != tenant:
                    continue
                need = instance.type.resources
                for index, (template, used, family) in enumerate(mine):
                    room = _hardware(template) - used
                    if (
                        template.architecture == instance.type.architecture
                        and family == instance.type.family
                        and not instance.type.metal
                        and need.fits_in(room)
                    ):
                        mine[index] = (template, used + need, family)
                        break
                else:
                    template, next_template = _next_fitting(templates, next_template, instance)
                    held = _hardware(template) if instance.type.metal else need
                    mine.append((template, held, instance.type.family))
            bins.extend((template, used) for template, used, _ in mine)
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
