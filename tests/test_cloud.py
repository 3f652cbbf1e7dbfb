"""Tests for vmconcepts.cloud: catalogue, placement, tenancy, isolation and utilisation."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vmconcepts.cloud import CloudProvider, InstanceType, Server, ServerState, Utilisation
from vmconcepts.errors import (
    InvalidStateError,
    InvalidValueError,
    IsolationError,
    NotEnoughResourcesError,
    UnknownProductError,
    VMConceptsError,
    WrongLayerError,
)
from vmconcepts.hypervisor import Hypervisor
from vmconcepts.infrastructure import Machine
from vmconcepts.operating_system import OperatingSystem
from vmconcepts.overcommit import Overcommit
from vmconcepts.resources import Resources, Size

TENANTS = ["netflix", "reddit", "shop"]
TYPES = [t.name for t in InstanceType.catalogue()]


def cloud_with(count: int = 2, vcpus: int = 96, memory: str = "384 GiB") -> CloudProvider:
    """A provider with `count` identical x86_64 servers."""
    cloud = CloudProvider()
    cloud.add_servers(count, Resources(vcpus, memory))
    return cloud


class TestCatalogue:
    """Instance types are exactly the ones in facts.md."""

    def test_figures_match_the_source(self):
        """Every type has the vCPUs, memory and architecture of the source table."""
        expected = {
            "t3.micro": (2, 1024, "x86_64"),
            "t3.large": (2, 8192, "x86_64"),
            "m5.large": (2, 8192, "x86_64"),
            "c5.large": (2, 4096, "x86_64"),
            "m7g.xlarge": (4, 16384, "arm64"),
            "c7i.2xlarge": (8, 16384, "x86_64"),
            "c7i.metal-24xl": (96, 196608, "x86_64"),
        }
        got = {t.name: (t.vcpus, t.memory_mib, t.architecture) for t in InstanceType.catalogue()}
        assert got == expected

    def test_family_is_the_name_before_the_dot(self):
        """A type's family is what EC2 writes before the dot, metal sizes included."""
        families = {t.name: t.family for t in InstanceType.catalogue()}
        assert families == {
            "t3.micro": "t3",
            "t3.large": "t3",
            "m5.large": "m5",
            "c5.large": "c5",
            "m7g.xlarge": "m7g",
            "c7i.2xlarge": "c7i",
            "c7i.metal-24xl": "c7i",
        }

    def test_only_metal_types_are_metal(self):
        """Only c7i.metal-24xl runs with no hypervisor."""
        assert [t.name for t in InstanceType.catalogue() if t.metal] == ["c7i.metal-24xl"]

    @pytest.mark.parametrize(
        ("typo", "suggestion"), [("m5.larg", "m5.large"), ("t3.mikro", "t3.micro")]
    )
    def test_unknown_type_suggests_one(self, typo, suggestion):
        """An unknown type raises UnknownProductError with a "did you mean"."""
        with pytest.raises(UnknownProductError, match=f"did you mean '{suggestion}'"):
            InstanceType.named(typo)

    def test_non_string_name_is_refused(self):
        """A name that is not text raises UnknownProductError, not AttributeError."""
        with pytest.raises(UnknownProductError):
            InstanceType.named(5)  # type: ignore[arg-type]


class TestPlacement:
    """First fit in server order, on the Nitro hypervisor."""

    def test_first_fit_fills_first_server(self):
        """Instances go on the first server until it is full, then the next."""
        cloud = cloud_with(2, vcpus=4, memory="16 GiB")
        servers = [cloud.launch("netflix", "m5.large").server for _ in range(3)]
        assert servers == ["server-1", "server-1", "server-2"]

    def test_instances_are_nitro_vms(self):
        """A virtualized instance is a running VM under the AWS Nitro Hypervisor."""
        instance = cloud_with().launch("netflix", "c5.large")
        assert instance.hypervisor == "AWS Nitro Hypervisor"
        assert instance.vm is not None
        assert instance.vm.state == "running"

    def test_metal_has_no_hypervisor_and_whole_server(self):
        """A metal instance needs an empty server, has no VM, and nothing joins it."""
        cloud = cloud_with(2)
        cloud.launch("reddit", "t3.micro")
        metal = cloud.launch("netflix", "c7i.metal-24xl")
        assert metal.server == "server-2"
        assert metal.vm is None
        assert metal.hypervisor is None
        assert cloud.launch("shop", "t3.micro").server == "server-1"
        assert cloud.servers[1].host is None

    def test_architecture_must_match(self):
        """An arm64 type needs an arm64 server; the error says the fleet has none."""
        with pytest.raises(NotEnoughResourcesError, match="no arm64 server"):
            cloud_with().launch("netflix", "m7g.xlarge")

    def test_full_fleet_is_refused(self):
        """When no server has room the launch raises NotEnoughResourcesError."""
        cloud = cloud_with(1, vcpus=2, memory="8 GiB")
        cloud.launch("netflix", "m5.large")
        with pytest.raises(NotEnoughResourcesError, match="no room"):
            cloud.launch("reddit", "m5.large")

    def test_no_room_message_counts_one_server_in_the_singular(self):
        """With one full server the message says "1 x86_64 server" and "1 has no room"."""
        cloud = cloud_with(1, vcpus=2, memory="8 GiB")
        cloud.launch("netflix", "m5.large")
        with pytest.raises(NotEnoughResourcesError) as caught:
            cloud.launch("reddit", "m5.large")
        assert str(caught.value) == (
            "no server can take the m5.large (2 vCPUs, 8 GiB memory) for 'reddit' with shared"
            " tenancy: of 1 x86_64 server, 1 has no room. Add servers or terminate instances."
        )

    def test_no_room_message_counts_several_servers_in_the_plural(self):
        """With two full servers the message says "2 x86_64 servers" and "2 have no room"."""
        cloud = cloud_with(2, vcpus=2, memory="8 GiB")
        cloud.launch("netflix", "m5.large")
        cloud.launch("netflix", "m5.large")
        with pytest.raises(NotEnoughResourcesError) as caught:
            cloud.launch("reddit", "m5.large")
        assert "of 2 x86_64 servers, 2 have no room." in str(caught.value)

    def test_no_room_message_names_every_reason(self):
        """A refusal counts reserved servers, servers of other families and full ones."""
        cloud = cloud_with(4, vcpus=2, memory="8 GiB")
        cloud.launch("netflix", "m5.large", tenancy="dedicated")
        cloud.launch("shop", "c5.large")
        cloud.launch("blog", "t3.micro")
        cloud.launch("reddit", "m5.large")
        with pytest.raises(NotEnoughResourcesError) as caught:
            cloud.launch("reddit", "m5.large")
        assert str(caught.value) == (
            "no server can take the m5.large (2 vCPUs, 8 GiB memory) for 'reddit' with shared"
            " tenancy: of 4 x86_64 servers, 1 cannot take it with this tenancy (reserved, or"
            " shared with other accounts), 2 run other instance families (c5, t3) and 1 has"
            " no room. A server runs one instance family at a time in this model, as an EC2"
            " Dedicated Host does. Add servers or terminate instances."
        )

    def test_metal_needs_an_empty_server(self):
        """A *.metal launch on a busy fleet says the servers are not empty."""
        cloud = cloud_with(1, vcpus=192, memory="768 GiB")
        cloud.launch("netflix", "c7i.2xlarge")
        with pytest.raises(NotEnoughResourcesError) as caught:
            cloud.launch("reddit", "c7i.metal-24xl")
        assert str(caught.value).endswith(
            "of 1 x86_64 server, 1 is not empty. A *.metal type takes a whole server."
            " Add servers or terminate instances."
        )

    @pytest.mark.parametrize(
        ("hosts", "words"),
        [
            (1, "'netflix' has 1 x86_64 Dedicated Host, and it has no room."),
            (2, "'netflix' has 2 x86_64 Dedicated Hosts, and 2 have no room."),
        ],
    )
    def test_full_dedicated_hosts_are_counted_in_words(self, hosts, words):
        """A tenant whose Dedicated Hosts are all full is told how many it has, in good grammar."""
        cloud = cloud_with(hosts, vcpus=2, memory="8 GiB")
        for _ in range(hosts):
            cloud.allocate_host("netflix")
            cloud.launch("netflix", "m5.large", tenancy="host")
        with pytest.raises(NotEnoughResourcesError, match=words):
            cloud.launch("netflix", "m5.large", tenancy="host")

    def test_dedicated_host_of_another_family_says_so(self):
        """A host that runs another family is named as the reason, with the family rule."""
        cloud = cloud_with(1)
        cloud.allocate_host("netflix")
        cloud.launch("netflix", "m5.large", tenancy="host")
        with pytest.raises(NotEnoughResourcesError) as caught:
            cloud.launch("netflix", "c5.large", tenancy="host")
        assert str(caught.value) == (
            "no server can take the c5.large (2 vCPUs, 4 GiB memory) for 'netflix' with a"
            " Dedicated Host: 'netflix' has 1 x86_64 Dedicated Host, and it runs another"
            " instance family (m5). A server runs one instance family at a time in this model,"
            " as an EC2 Dedicated Host does. Allocate one with allocate_host()."
        )

    def test_no_dedicated_host_is_named_as_none(self):
        """A tenant with no Dedicated Host is told it has none, not that it has 0 hosts."""
        with pytest.raises(NotEnoughResourcesError, match="'netflix' has no x86_64 Dedicated Host"):
            cloud_with().launch("netflix", "m5.large", tenancy="host")

    def test_servers_install_nitro_with_no_overcommit(self):
        """The fleet's hypervisor is installed strict: vCPUs and memory are never promised twice."""
        cloud = cloud_with(1)
        cloud.launch("netflix", "m5.large")
        host = cloud.servers[0].host
        assert host is not None
        assert host.hypervisor.name == "AWS Nitro Hypervisor"
        assert host.overcommit == Overcommit.strict()

    def test_arm64_servers_run_arm64_guests(self):
        """add_servers builds arm64 machines, and a Graviton type's VM is arm64, not emulated."""
        cloud = CloudProvider()
        cloud.add_servers(1, Resources(64, "256 GiB"), architecture="arm64")
        instance = cloud.launch("reddit", "m7g.xlarge")
        assert cloud.servers[0].machine.architecture == "arm64"
        assert instance.vm is not None
        assert instance.vm.architecture == "arm64"
        assert not instance.vm.emulated

    def test_server_with_os_is_refused(self):
        """The Nitro hypervisor installs on bare metal, so a server with an OS is refused."""
        cloud = CloudProvider()
        with pytest.raises(WrongLayerError):
            cloud.add_server(Machine("s", "server", Resources(8, "32 GiB"), os="Ubuntu 24.04"))

    @pytest.mark.parametrize(
        "call",
        [
            lambda c: c.launch("", "t3.micro"),
            lambda c: c.launch("netflix", "t3.micro", tenancy="private"),
            lambda c: c.add_servers(-1, Resources(8, "8 GiB")),
            lambda c: c.add_server("server"),
            lambda c: c.add_servers(1, Resources(8, "8 GiB"), architecture="sparc"),
        ],
    )
    def test_bad_arguments_are_refused(self, call):
        """Bad tenants, tenancies, counts, machines and architectures raise InvalidValueError."""
        with pytest.raises(InvalidValueError):
            call(cloud_with())


class TestFamilies:
    """A server runs one instance family at a time, as a Dedicated Host does."""

    def test_placement_skips_a_server_of_another_family(self):
        """A c5 instance passes over a server of m5s with room, to the next server."""
        cloud = cloud_with(2)
        cloud.launch("netflix", "m5.large")
        assert cloud.launch("reddit", "c5.large").server == "server-2"
        assert cloud.launch("shop", "m5.large").server == "server-1"

    def test_sizes_of_one_family_share_a_server(self):
        """t3.micro and t3.large are one family, so they share a server."""
        cloud = cloud_with(2)
        small = cloud.launch("netflix", "t3.micro")
        large = cloud.launch("reddit", "t3.large")
        assert small.server == large.server == "server-1"
        assert cloud.servers[0].family == "t3"

    def test_empty_server_takes_any_family_again(self):
        """When its last instance ends, a server forgets its family."""
        cloud = cloud_with(1)
        web = cloud.launch("netflix", "m5.large")
        with pytest.raises(NotEnoughResourcesError, match="another instance family"):
            cloud.launch("reddit", "c5.large")
        cloud.terminate("netflix", web.id)
        assert cloud.servers[0].family is None
        assert cloud.launch("reddit", "c5.large").server == "server-1"

    def test_one_tenant_per_server_keeps_families_apart(self):
        """Packed alone, one tenant's m5 and c5 instances still need two servers."""
        cloud = cloud_with(2)
        cloud.launch("netflix", "m5.large")
        cloud.launch("netflix", "c5.large")
        assert cloud.utilisation_one_tenant_per_server().servers == 2


class TestServerState:
    """A server changes its own state, through its own methods."""

    def test_states_follow_the_launches(self):
        """Free, then shared, dedicated, metal or host, as the first launch asks."""
        cloud = cloud_with(4)
        cloud.launch("netflix", "m5.large")
        cloud.launch("reddit", "c5.large", tenancy="dedicated")
        cloud.launch("shop", "c7i.metal-24xl")
        states = [s.state for s in cloud.servers]
        assert states == [
            ServerState.SHARED,
            ServerState.DEDICATED,
            ServerState.METAL,
            ServerState.FREE,
        ]
        cloud.allocate_host("blog")
        assert cloud.servers[3].state is ServerState.HOST
        assert [s.account for s in cloud.servers] == [None, "reddit", "shop", "blog"]

    def test_state_cannot_be_set_from_outside(self):
        """The state and account are read-only properties: only the server changes them."""
        server = cloud_with(1).servers[0]
        with pytest.raises(AttributeError):
            server.state = ServerState.HOST  # type: ignore[misc]
        with pytest.raises(AttributeError):
            server.account = "mallory"  # type: ignore[misc]

    def test_reserve_needs_a_free_server(self):
        """Reserving a shared server as a Dedicated Host is refused with its state."""
        cloud = cloud_with(1)
        cloud.launch("netflix", "m5.large")
        with pytest.raises(InvalidStateError) as caught:
            cloud.servers[0].reserve_host("reddit")
        assert str(caught.value) == (
            "cannot reserve server 'server-1' as a Dedicated Host: it is shared; from shared"
            " you can: launch shared instances, terminate instances"
        )

    def test_release_needs_a_dedicated_host(self):
        """Releasing a server that is not a Dedicated Host is refused with its state."""
        server = cloud_with(1).servers[0]
        with pytest.raises(InvalidStateError, match="it is free; from free you can"):
            server.release_host()

    def test_run_refuses_what_the_server_cannot_take(self):
        """Server.run called directly still checks the rules, with the reason."""
        server = Server(
            Machine("rack-1", "server", Resources(4, "16 GiB")), Hypervisor.named("Nitro")
        )
        kind = InstanceType.named("c7i.2xlarge")
        with pytest.raises(NotEnoughResourcesError) as caught:
            server.run(
                "i-0001", "netflix", kind, "default", OperatingSystem.named("Amazon Linux 2023")
            )
        assert str(caught.value) == (
            "server 'rack-1' cannot take the c7i.2xlarge for 'netflix' with shared tenancy: it"
            " has no room left: the instance needs 8 vCPUs but 4 are available."
        )

    def test_remove_refuses_a_stranger(self):
        """Removing an instance that runs on another server raises InvalidValueError."""
        cloud = cloud_with(2)
        cloud.launch("netflix", "m5.large")
        other = cloud.launch("reddit", "c5.large")
        with pytest.raises(InvalidValueError, match="does not run on server 'server-1'"):
            cloud.servers[0].remove(other)


class TestReprs:
    """Reprs read well in a doctest, in the singular and the plural."""

    def test_provider_counts_in_words(self):
        """0 servers, 1 server, 2 servers; 0 instances, 1 instance, 2 instances."""
        cloud = CloudProvider()
        assert repr(cloud) == "CloudProvider('Amazon EC2', 0 servers, 0 instances)"
        cloud.add_servers(1, Resources(16, "64 GiB"))
        cloud.launch("netflix", "m5.large")
        assert repr(cloud) == "CloudProvider('Amazon EC2', 1 server, 1 instance)"
        cloud.add_servers(1, Resources(16, "64 GiB"))
        cloud.launch("reddit", "m5.large")
        assert repr(cloud) == "CloudProvider('Amazon EC2', 2 servers, 2 instances)"

    def test_server_names_state_account_and_family(self):
        """A server shows its CPU, state, account and how many instances of which family."""
        cloud = cloud_with(4)
        cloud.launch("netflix", "m5.large")
        cloud.launch("reddit", "m5.large")
        cloud.launch("shop", "c5.large", tenancy="dedicated")
        cloud.launch("blog", "c7i.metal-24xl")
        cloud.allocate_host("news")
        assert [repr(s) for s in cloud.servers] == [
            "Server('server-1', x86_64, shared, 2 m5 instances)",
            "Server('server-2', x86_64, dedicated for 'shop', 1 c5 instance)",
            "Server('server-3', x86_64, metal for 'blog', 1 c7i instance)",
            "Server('server-4', x86_64, host for 'news', 0 instances)",
        ]

    def test_utilisation_counts_servers_in_words(self):
        """One server in use is "1 server", not "1 servers"."""
        one = Utilisation(1, 2, 16, Size("8 GiB"), Size("64 GiB"))
        assert str(one).startswith("1 server in use;")
        none = Utilisation(0, 0, 0, Size(0), Size(0))
        assert str(none).startswith("0 servers in use;")


class TestTenancy:
    """Shared tenancy, Dedicated Instances and Dedicated Hosts."""

    def test_shared_servers_hold_several_tenants(self):
        """With default tenancy, two tenants land on the same server."""
        cloud = cloud_with()
        assert (
            cloud.launch("netflix", "t3.micro").server == cloud.launch("reddit", "t3.micro").server
        )

    def test_dedicated_instance_keeps_other_accounts_out(self):
        """A Dedicated Instance's server takes that account's instances and no one else's."""
        cloud = cloud_with(3)
        first = cloud.launch("netflix", "t3.micro", tenancy="dedicated")
        again = cloud.launch("netflix", "t3.micro", tenancy="dedicated")
        other = cloud.launch("reddit", "t3.micro")
        rival = cloud.launch("reddit", "t3.micro", tenancy="dedicated")
        assert first.server == again.server == "server-1"
        assert other.server == "server-2"
        assert rival.server == "server-3"

    def test_an_account_shares_its_dedicated_server_with_its_own_shared_instances(self):
        """AWS: Dedicated Instances may share hardware with the same account's other instances."""
        cloud = cloud_with(2)
        dedicated = cloud.launch("netflix", "t3.micro", tenancy="dedicated")
        own = cloud.launch("netflix", "t3.micro")
        other = cloud.launch("reddit", "t3.micro")
        assert dedicated.server == own.server == "server-1"
        assert other.server == "server-2"
        cloud.terminate("netflix", dedicated.id)
        assert cloud.servers[0].state is ServerState.SHARED
        assert cloud.launch("reddit", "t3.micro").server == "server-1"

    def test_dedicated_host_needs_allocation(self):
        """Launching on a Dedicated Host without one raises and says to allocate one."""
        cloud = cloud_with()
        with pytest.raises(NotEnoughResourcesError, match="allocate_host"):
            cloud.launch("netflix", "m5.large", tenancy="host")
        host = cloud.allocate_host("netflix")
        assert host.resources == Resources(96, "384 GiB")
        assert cloud.launch("netflix", "m5.large", tenancy="host").server == host.server

    @pytest.mark.parametrize(
        ("count", "words"),
        [
            (1, "1 instance still runs on it (i-0001); terminate it first"),
            (2, "2 instances still run on it (i-0001, i-0002); terminate them first"),
        ],
    )
    def test_release_in_use_names_the_instances(self, count, words):
        """Releasing a busy host says which instances still run and what to do."""
        cloud = cloud_with(1)
        host = cloud.allocate_host("netflix")
        for _ in range(count):
            cloud.launch("netflix", "m5.large", tenancy="host")
        with pytest.raises(InvalidStateError) as caught:
            cloud.release_host("netflix", host.server)
        assert str(caught.value) == (
            f"cannot release Dedicated Host 'server-1': {words}, then release the host."
        )
        assert (caught.value.state, caught.value.action) == ("in use", "release")

    def test_dedicated_host_stays_allocated(self):
        """An empty Dedicated Host stays with its account until released."""
        cloud = cloud_with(1)
        host = cloud.allocate_host("netflix")
        web = cloud.launch("netflix", "m5.large", tenancy="host")
        with pytest.raises(InvalidStateError):
            cloud.release_host("netflix", host.server)
        cloud.terminate("netflix", web.id)
        with pytest.raises(NotEnoughResourcesError):
            cloud.launch("reddit", "t3.micro")
        with pytest.raises(IsolationError):
            cloud.release_host("reddit", host.server)
        cloud.release_host("netflix", host.server)
        assert cloud.launch("reddit", "t3.micro").server == host.server

    def test_no_free_server_for_a_host(self):
        """Allocating a host when every server is in use raises NotEnoughResourcesError."""
        cloud = cloud_with(1)
        cloud.launch("reddit", "t3.micro")
        with pytest.raises(NotEnoughResourcesError):
            cloud.allocate_host("netflix")


class TestIsolation:
    """A tenant sees only its own instances."""

    def test_other_tenants_instance_looks_absent(self):
        """Another tenant's id gets the same refusal as an id that does not exist."""
        cloud = cloud_with()
        theirs = cloud.launch("netflix", "t3.micro")
        with pytest.raises(IsolationError) as taken:
            cloud.instance("reddit", theirs.id)
        with pytest.raises(IsolationError) as missing:
            cloud.instance("reddit", "i-9999")
        assert str(taken.value).replace(theirs.id, "X") == str(missing.value).replace("i-9999", "X")

    def test_cannot_terminate_others(self):
        """Terminating another tenant's instance raises IsolationError and leaves it running."""
        cloud = cloud_with()
        theirs = cloud.launch("netflix", "t3.micro")
        with pytest.raises(IsolationError):
            cloud.terminate("reddit", theirs.id)
        assert cloud.instances("netflix") == (theirs,)


class TestUtilisation:
    """Sharing servers uses them better than one customer per server."""

    def test_sharing_uses_fewer_servers(self):
        """Four small tenants fit on one shared server but need four alone."""
        cloud = cloud_with(4, vcpus=16, memory="64 GiB")
        for tenant in ("a", "b", "c", "d"):
            cloud.launch(tenant, "m5.large")
        shared = cloud.utilisation()
        alone = cloud.utilisation_one_tenant_per_server()
        assert (shared.servers, alone.servers) == (1, 4)
        assert shared.vcpu_share == 4 * alone.vcpu_share
        assert shared.vcpus_used == alone.vcpus_used

    def test_empty_cloud_is_zero(self):
        """With no instances, no server is in use and the shares are zero."""
        usage = cloud_with().utilisation()
        assert usage.servers == 0
        assert usage.vcpu_share == 0
        assert usage.memory_share == 0

    def test_metal_counts_the_whole_server(self):
        """A metal instance holds all of its server."""
        cloud = cloud_with(1)
        cloud.launch("netflix", "c7i.metal-24xl")
        assert cloud.utilisation().vcpu_share == 1


operations = st.lists(
    st.tuples(
        st.sampled_from(["launch", "launch", "launch", "terminate", "allocate", "release"]),
        st.sampled_from(TENANTS),
        st.sampled_from(TYPES),
        st.sampled_from(["default", "default", "dedicated", "host"]),
        st.integers(0, 30),
    ),
    max_size=40,
)


class TestInvariants:
    """Whatever tenants do, servers are never over-allocated and views stay private."""

    @settings(max_examples=150, deadline=None)
    @given(operations, st.lists(st.sampled_from(["x86_64", "arm64"]), min_size=1, max_size=4))
    def test_random_sequences(self, ops, architectures):
        """Random launches, terminations and host allocations keep every invariant."""
        cloud = CloudProvider()
        for number, arch in enumerate(architectures, start=1):
            machine = Machine(f"s{number}", "server", Resources(96, "256 GiB"), architecture=arch)
            cloud.add_server(machine)
        for action, tenant, kind, tenancy, pick in ops:
            try:
                if action == "launch":
                    cloud.launch(tenant, kind, tenancy=tenancy)
                elif action == "terminate":
                    mine = cloud.instances(tenant)
                    if mine:
                        cloud.terminate(tenant, mine[pick % len(mine)].id)
                elif action == "allocate":
                    cloud.allocate_host(tenant, architectures[pick % len(architectures)])
                else:
                    cloud.release_host(tenant, f"s{pick % len(architectures) + 1}")
            except VMConceptsError:
                pass  # every refusal is the library's own error; anything else fails the test
            check_invariants(cloud)


def check_invariants(cloud: CloudProvider) -> None:
    """Assert the fleet's invariants."""
    every = {i.id: i for tenant in TENANTS for i in cloud.instances(tenant)}
    placed = [i for server in cloud.servers for i in server.instances]
    assert sorted(every) == sorted(i.id for i in placed)
    for server in cloud.servers:
        hardware = server.machine.resources
        assert server.used.fits_in(hardware), f"{server} is over-allocated"
        tenants = {i.tenant for i in server.instances}
        if any(i.type.metal for i in server.instances):
            assert len(server.instances) == 1
            assert server.host is None
        assert len({i.type.family for i in server.instances}) <= 1, f"{server} mixes families"
        if server.state in (ServerState.DEDICATED, ServerState.HOST, ServerState.METAL):
            assert tenants <= {server.account}
        else:
            assert server.account is None
        if server.state is ServerState.SHARED:
            assert all(i.tenancy == "default" for i in server.instances)
        if server.state is ServerState.DEDICATED:
            assert any(i.tenancy == "dedicated" for i in server.instances)
        if server.state is ServerState.FREE:
            assert not server.instances
        if server.host is not None:
            assert server.host.usage().overcommitted == ()
            assert {vm.name for vm in server.host.vms} == {
                i.id for i in server.instances if i.vm is not None
            }
        for instance in server.instances:
            assert instance.type.architecture == server.architecture
    check_views(cloud)


def check_views(cloud: CloudProvider) -> None:
    """Assert that each tenant sees exactly its own instances."""
    for tenant in TENANTS:
        for instance in cloud.instances(tenant):
            assert instance.tenant == tenant
            assert cloud.instance(tenant, instance.id) is instance
            for other in TENANTS:
                if other != tenant:
                    with pytest.raises(IsolationError):
                        cloud.instance(other, instance.id)
