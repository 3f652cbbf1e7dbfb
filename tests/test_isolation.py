"""Tests for vmconcepts.isolation: the five kinds, what they share, and what place() refuses."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vmconcepts import comparison
from vmconcepts.comparison import Measurement
from vmconcepts.diagram import LayerKind
from vmconcepts.errors import (
    IncompatibleKernelError,
    InvalidValueError,
    IsolationError,
    UnknownProductError,
)
from vmconcepts.isolation import (
    DEFAULT_HOST_KERNEL,
    ESCAPES,
    IsolationKind,
    Placement,
    Shared,
    Workload,
    fitting,
    place,
)
from vmconcepts.operating_system import KERNEL_FAMILIES, Kernel

KINDS = IsolationKind.catalogue()
NAMES = [kind.name for kind in KINDS]
RUNC, GVISOR, KATA, FIRECRACKER, FULL_VM = KINDS
HOST = Kernel("linux", "6.8")
HARDWARE = (Shared.PROCESSOR, Shared.MEMORY, Shared.BANDWIDTH)

#: The figures `vmconcepts.comparison` carries, with their sources and conditions.
CITED = {id(v) for v in vars(comparison).values() if isinstance(v, Measurement)}


def uncited(kind: IsolationKind) -> list[str]:
    """The cost figures of a kind that are neither sourced nor true by construction."""
    return [
        figure.what
        for figure in kind.figures()
        if not figure.is_sourced or (id(figure) not in CITED and figure.bound != "exactly")
    ]


workloads = st.builds(
    Workload,
    name=st.sampled_from(["api", "db", "x"]),
    kernel=st.builds(
        Kernel,
        family=st.sampled_from(KERNEL_FAMILIES),
        version=st.sampled_from([None, "5.15", "6.8"]),
    ),
    untrusted=st.booleans(),
)


class TestCatalogue:
    """Five kinds, from the thinnest wall to the thickest, each described from its sources."""

    def test_five_kinds_in_order(self):
        """The catalogue runs from a runc container to a full VM."""
        assert NAMES == [
            "runc container",
            "gVisor",
            "Kata Containers",
            "Firecracker microVM",
            "full VM",
        ]

    @pytest.mark.parametrize(
        ("alias", "name"),
        [
            ("runc", "runc container"),
            ("Docker", "runc container"),
            (" GVISOR ", "gVisor"),
            ("runsc", "gVisor"),
            ("kata", "Kata Containers"),
            ("microVM", "Firecracker microVM"),
            ("VM", "full VM"),
            ("virtual machine", "full VM"),
        ],
    )
    def test_named_takes_aliases(self, alias, name):
        """A kind is found by its name or a short alias, whatever the case."""
        assert IsolationKind.named(alias).name == name

    def test_unknown_name_suggests(self):
        """A misspelt kind is refused with the closest name and the list."""
        with pytest.raises(UnknownProductError, match="did you mean 'Kata Containers'"):
            IsolationKind.named("Kata Container")
        with pytest.raises(UnknownProductError, match="no isolation kind named '42'"):
            IsolationKind.named(42)  # type: ignore[arg-type]

    def test_repr_and_str(self):
        """The repr names the kind; str and the noun phrase read well in a sentence."""
        assert repr(GVISOR) == "IsolationKind('gVisor')"
        assert str(FULL_VM) == "full VM"
        assert [kind.noun_phrase for kind in KINDS] == [
            "a runc container",
            "gVisor",
            "Kata Containers",
            "a Firecracker microVM",
            "a full VM",
        ]

    @pytest.mark.parametrize("kind", KINDS, ids=NAMES)
    def test_every_kind_shares_the_hardware(self, kind):
        """Software rations the hardware but does not end the sharing: every kind shares it."""
        assert set(HARDWARE) <= set(kind.shares)

    @pytest.mark.parametrize("kind", KINDS, ids=NAMES)
    def test_a_kernel_of_its_own_boots(self, kind):
        """A kind gives the workload its own kernel exactly when a guest kernel boots."""
        assert kind.own_kernel == kind.boots_guest_kernel

    def test_which_software_layer_is_shared(self):
        """A runc container and gVisor share the host kernel; the VM kinds share the hypervisor."""
        for kind in (RUNC, GVISOR):
            assert Shared.HOST_KERNEL in kind.shares
            assert Shared.HYPERVISOR not in kind.shares
        for kind in (KATA, FIRECRACKER, FULL_VM):
            assert Shared.HYPERVISOR in kind.shares
            assert Shared.HOST_KERNEL not in kind.shares

    def test_the_kernel_column_agrees_with_what_is_shared(self):
        """A kind that shares the host kernel says yes; the VM kinds say not for system calls."""
        for kind in KINDS:
            says_yes = kind.host_kernel.startswith("yes")
            assert says_yes == (Shared.HOST_KERNEL in kind.shares), kind.name
        assert "Sentry" in GVISOR.host_kernel
        for kind in (KATA, FIRECRACKER):
            assert kind.host_kernel == (
                "not for its system calls; KVM, in the host kernel, is its hypervisor"
            )

    def test_root_inside_runc_is_held_back_by_the_other_walls(self):
        """Without remapping, root inside has UID 0, held back only by the other walls."""
        remap = RUNC.walls[-1]
        assert "UID 0" in remap
        assert "capabilities, seccomp, an LSM" in remap

    def test_docker_defaults_are_stated(self):
        """The runc walls carry Docker's defaults: 44 of 300+ calls blocked, no remapping."""
        walls = " ".join(RUNC.walls)
        assert "about 44 of more than 300" in walls
        assert "off by default" in walls
        assert "seccomp" in RUNC.calls_into

    @pytest.mark.parametrize("kind", KINDS, ids=NAMES)
    def test_every_kind_names_its_source(self, kind):
        """Each kind, and each of its powers, says where its description comes from."""
        assert kind.source
        assert kind.snapshots.source
        assert kind.live_migration.source
        assert kind.walls
        assert kind.describe().startswith(kind.name)


class TestCosts:
    """Costs come only from cited figures; where there is none, the model says so."""

    @pytest.mark.parametrize("kind", KINDS, ids=NAMES)
    def test_only_cited_figures(self, kind):
        """Every cost figure is a sourced one from comparison.py, or true by construction."""
        assert uncited(kind) == []

    def test_the_gate_catches_a_made_up_figure(self):
        """A kind given an unsourced start-up figure fails the check above."""
        made_up = Measurement(50, "ms", "gVisor start", None, "a guess", bound="assumed")
        assert uncited(replace(GVISOR, start_up=(made_up,))) == ["gVisor start"]

    def test_the_gate_catches_a_sourced_figure_from_elsewhere(self):
        """A sourced figure that comparison.py does not carry, with its conditions, fails too."""
        elsewhere = Measurement(50, "ms", "Kata start", "a blog", "a laptop", bound="about")
        assert uncited(replace(KATA, start_up=(elsewhere,))) == ["Kata start"]

    def test_firecracker_and_docker_reuse_the_comparison_figures(self):
        """Firecracker's and Docker's figures are the very objects comparison.py cites."""
        assert FIRECRACKER.start_up == (comparison.FIRECRACKER_BOOT,)
        assert FIRECRACKER.memory == (comparison.FIRECRACKER_MEMORY_OVERHEAD,)
        assert RUNC.start_up == (comparison.NAMESPACE_SETUP, comparison.DOCKER_START_SSD)

    @pytest.mark.parametrize("kind", [GVISOR, KATA, FULL_VM], ids=str)
    def test_no_cited_figure_is_said(self, kind):
        """A kind with no cited figure says so, rather than showing a number."""
        assert kind.start_up_cost() == "no cited figure"
        assert kind.memory_cost() == "no cited figure"

    def test_costs_say_what_they_measure(self):
        """A cost names what its figure measures, beside the figure."""
        assert FIRECRACKER.start_up_cost() == (
            "at most 125 ms (InstanceStart API call to guest /sbin/init)"
        )
        assert "creating a container's namespaces" in RUNC.start_up_cost()


class TestPowers:
    """Snapshots and live migration, as each kind's documentation describes them."""

    def test_only_a_full_vm_migrates_live(self):
        """Of the five, the model records live migration for the full VM only."""
        assert [kind.name for kind in KINDS if kind.live_migration.available] == ["full VM"]
        assert "NSDI 2005" in FULL_VM.live_migration.source

    def test_snapshots(self):
        """gVisor, Firecracker and a full VM save state; Docker's checkpoint is experimental."""
        assert [kind.name for kind in KINDS if kind.snapshots.available] == [
            "gVisor",
            "Firecracker microVM",
            "full VM",
        ]
        assert str(RUNC.snapshots).startswith("experimental")
        assert "Limitations" in str(KATA.snapshots)

    def test_repr_hides_the_long_text(self):
        """A power's repr says only whether it is available."""
        assert repr(FULL_VM.live_migration) == "Power(available=True)"


class TestEscapes:
    """Three published breaks, one through each kind of wall."""

    def test_the_three_escapes(self):
        """runc, VENOM and L1TF, with their months, as the facts give them."""
        assert [(e.cve, e.name, e.date) for e in ESCAPES] == [
            ("CVE-2019-5736", "runc", "February 2019"),
            ("CVE-2015-3456", "VENOM", "May 2015"),
            ("CVE-2018-3646", "L1TF", "August 2018"),
        ]

    def test_each_has_a_lesson_and_a_source(self):
        """Every escape says what it teaches and where it is described."""
        for escape in ESCAPES:
            assert escape.lesson
            assert escape.cve in escape.source
            assert str(escape).startswith(f"{escape.cve} ({escape.name}, {escape.date}): ")

    def test_l1tf_cites_intel(self):
        """L1TF is cited to Intel's advisory and the kernel's account of its fix too."""
        assert "INTEL-SA-00161" in ESCAPES[2].source
        assert "l1tf.rst" in ESCAPES[2].source

    def test_venom_is_not_called_a_proven_escape(self):
        """VENOM let a guest crash the hypervisor's process and only possibly take it over."""
        venom = ESCAPES[1]
        assert "possibly" in venom.outcome
        assert "possibly" in venom.how
        assert "CrowdStrike" in venom.source

    def test_l1tf_is_a_leak_not_an_escape(self):
        """L1TF let a guest read data, through the processor, not run code elsewhere."""
        assert ESCAPES[2].outcome.startswith("a guest could read")
        assert "processor" in ESCAPES[2].outcome


class TestWorkload:
    """A workload checks its own parts."""

    def test_defaults(self):
        """By default a workload needs any Linux and is trusted."""
        assert Workload("api") == Workload("api", Kernel("linux"), untrusted=False)

    @pytest.mark.parametrize(
        ("kwargs", "words"),
        [
            ({"name": " "}, "needs a name"),
            ({"name": "x", "kernel": "linux"}, "is a Kernel"),
            ({"name": "x", "untrusted": "yes"}, "True or False"),
        ],
    )
    def test_bad_parts_are_refused(self, kwargs, words):
        """An empty name, a kernel given as text or a flag given as text is refused."""
        with pytest.raises(InvalidValueError, match=words):
            Workload(**kwargs)


class TestPlace:
    """place() accepts what can work and refuses the rest, saying what would."""

    def test_runc_takes_the_hosts_own_version(self):
        """A workload that needs exactly the host's version fits in a runc container."""
        assert place(Workload("api", Kernel("linux", "6.8")), RUNC, HOST).kernel is HOST

    def test_runc_refuses_another_version(self):
        """Another kernel version in a runc container is refused, naming both and the way out."""
        with pytest.raises(IncompatibleKernelError) as caught:
            place(Workload("old", Kernel("linux", "5.15")), RUNC, HOST)
        message = str(caught.value)
        assert "linux 5.15" in message
        assert "linux 6.8" in message
        assert "Kata Containers, a Firecracker microVM or a full VM" in message

    def test_runc_refuses_a_version_on_a_host_of_unknown_version(self):
        """If the host's version is not given, a pinned version cannot be promised in runc."""
        with pytest.raises(IncompatibleKernelError):
            place(Workload("old", Kernel("linux", "5.15")), RUNC, Kernel("linux"))

    def test_gvisor_refuses_any_chosen_version(self):
        """In gVisor the workload cannot choose a kernel version, even the host's."""
        with pytest.raises(IncompatibleKernelError, match="Sentry's own implementation"):
            place(Workload("api", Kernel("linux", "6.8")), GVISOR, HOST)

    @pytest.mark.parametrize("kind", [KATA, FIRECRACKER, FULL_VM], ids=str)
    def test_vm_kinds_give_any_linux_version(self, kind):
        """Kata, Firecracker and a full VM give the workload the kernel version it needs."""
        assert place(Workload("old", Kernel("linux", "5.15")), kind, HOST).kernel == Kernel(
            "linux", "5.15"
        )

    @pytest.mark.parametrize("kind", [RUNC, GVISOR, KATA, FIRECRACKER], ids=str)
    def test_only_a_full_vm_runs_another_family(self, kind):
        """A Windows workload is refused everywhere but in a full VM."""
        with pytest.raises(IncompatibleKernelError, match="A full VM can run any OS"):
            place(Workload("desktop", Kernel("windows")), kind, HOST)
        assert place(Workload("desktop", Kernel("windows")), FULL_VM, HOST).kernel.family == (
            "windows"
        )

    def test_untrusted_code_is_refused_in_runc_only(self):
        """Strangers' code is refused in a runc container, and accepted behind a second wall."""
        with pytest.raises(IsolationError, match="single vulnerability"):
            place(Workload("plugins", untrusted=True), RUNC)
        for kind in KINDS[1:]:
            assert place(Workload("plugins", untrusted=True), kind)

    @pytest.mark.parametrize(
        ("args", "words"),
        [
            (("api", RUNC), "needs a Workload"),
            ((Workload("api"), "runc"), "needs an IsolationKind"),
            ((Workload("api"), RUNC, Kernel("windows")), "runs on a Linux host"),
            ((Workload("api"), RUNC, "linux"), "runs on a Linux host"),
        ],
    )
    def test_wrong_arguments(self, args, words):
        """A wrong type, or a host that is not Linux, gets the library's own error."""
        with pytest.raises(InvalidValueError, match=words):
            place(*args)

    def test_default_host(self):
        """The default host runs Linux 6.8."""
        assert place(Workload("api"), RUNC).host == DEFAULT_HOST_KERNEL == HOST

    def test_fitting_lists_what_place_accepts(self):
        """fitting() lists the kinds that place() accepts, thinnest wall first."""
        assert fitting(Workload("old", Kernel("linux", "5.15"))) == (KATA, FIRECRACKER, FULL_VM)
        assert fitting(Workload("api")) == KINDS

    @given(workload=workloads)
    def test_fitting_is_what_place_accepts(self, workload):
        """For any workload, fitting() holds exactly the kinds place() does not refuse."""
        accepted = []
        for kind in KINDS:
            try:
                place(workload, kind, HOST)
            except (IncompatibleKernelError, IsolationError):
                continue
            accepted.append(kind)
        assert fitting(workload, HOST) == tuple(accepted)

    @given(workload=workloads, kind=st.sampled_from(KINDS))
    def test_a_placement_keeps_the_kernel_family(self, workload, kind):
        """A placed workload runs on a kernel of the family it needs, and shares all hardware."""
        try:
            placement = place(workload, kind, HOST)
        except (IncompatibleKernelError, IsolationError):
            return
        assert placement.kernel.family == workload.kernel.family
        assert all(placement.shares(thing) for thing in HARDWARE)
        if workload.kernel.version is not None:
            assert placement.kernel.version == workload.kernel.version

    @given(workload=workloads)
    def test_a_full_vm_takes_every_workload(self, workload):
        """A full VM accepts any workload: any kernel family and version, trusted or not."""
        assert FULL_VM in fitting(workload, HOST)


class TestPlacement:
    """A placement says what the workload runs on and what it shares."""

    def test_repr_and_text(self):
        """The repr names workload and kind; the text has one labelled line each."""
        placement = place(Workload("db", Kernel("linux", "5.15")), KATA, HOST)
        assert repr(placement) == "Placement('db' in Kata Containers)"
        lines = str(placement).splitlines()
        assert lines[0] == "'db' in Kata Containers on a linux 6.8 host"
        assert "(linux 5.15)" in lines[1]
        labels = [line.split(":")[0].strip() for line in lines[1:] if line.startswith("  ")]
        assert labels[:2] == ["runs on", "calls into"]
        assert "  shares with its neighbours: the hypervisor" in str(placement)

    def test_runc_runs_on_the_hosts_kernel_object(self):
        """In a runc container the workload's kernel is the host's, the very same object."""
        assert place(Workload("api"), RUNC, HOST).kernel is HOST
        assert "(linux 6.8)" in str(place(Workload("api"), RUNC, HOST))

    def test_runc_shares_one_kernel_object_and_vms_boot_their_own(self):
        """Two runc placements share the host's kernel object; two VM placements have two."""
        a, b = Workload("a", Kernel("linux", "5.15")), Workload("b", Kernel("linux", "5.15"))
        assert place(Workload("a"), RUNC, HOST).kernel is place(Workload("b"), RUNC, HOST).kernel
        for kind in (GVISOR, KATA, FIRECRACKER, FULL_VM):
            one, two = (
                place(Workload("a"), kind, HOST).kernel,
                place(Workload("b"), kind, HOST).kernel,
            )
            assert one == two
            assert one is not two
        assert place(a, KATA, HOST).kernel is not a.kernel
        assert place(a, KATA, HOST).kernel == place(b, KATA, HOST).kernel

    def test_gvisor_kernel_has_no_version(self):
        """In gVisor the kernel is the Sentry's Linux, with no version to choose."""
        assert place(Workload("api"), GVISOR, HOST).kernel == Kernel("linux")

    def test_shares_needs_a_shared(self):
        """Asking about something that is not a Shared is refused."""
        with pytest.raises(InvalidValueError, match="ask about a Shared"):
            place(Workload("api"), RUNC).shares("kernel")  # type: ignore[arg-type]

    @pytest.mark.parametrize("kind", KINDS, ids=NAMES)
    @pytest.mark.parametrize("thing", HARDWARE, ids=str)
    def test_hardware_is_never_private(self, kind, thing):
        """Assuming private hardware is refused in every kind, with what dedicated hardware does."""
        with pytest.raises(IsolationError) as caught:
            place(Workload("ledger"), kind).require_private(thing)
        if thing is Shared.BANDWIDTH:
            assert "Nor does hardware kept for one customer" in str(caught.value)
            assert "its EBS volumes do not run on single-tenant hardware" in str(caught.value)
        else:
            assert "Hardware kept for one customer does" in str(caught.value)

    def test_the_refusal_says_software_rations_without_separating(self):
        """The refusal names how software rations hardware, and that the sharing remains."""
        with pytest.raises(IsolationError) as caught:
            place(Workload("ledger"), FULL_VM).require_private(Shared.MEMORY)
        message = str(caught.value)
        assert "can ration the hardware (cgroups, rate limits" in message
        assert "do not end the sharing" in message

    def test_the_host_kernel_is_private_only_behind_a_vm(self):
        """A kernel of its own comes with the VM kinds; runc and gVisor share the host's."""
        for kind in (KATA, FIRECRACKER, FULL_VM):
            place(Workload("api"), kind).require_private(Shared.HOST_KERNEL)
        for kind in (RUNC, GVISOR):
            with pytest.raises(IsolationError, match="one kernel bug"):
                place(Workload("api"), kind).require_private(Shared.HOST_KERNEL)

    def test_the_hypervisor_is_shared_by_vms(self):
        """VMs share the hypervisor, whose wall VENOM showed is not unbreakable."""
        place(Workload("api"), RUNC).require_private(Shared.HYPERVISOR)
        with pytest.raises(IsolationError, match="VENOM"):
            place(Workload("api"), FIRECRACKER).require_private(Shared.HYPERVISOR)

    def test_placement_is_frozen(self):
        """A placement cannot be changed after place() made it."""
        placement = place(Workload("api"), RUNC)
        with pytest.raises(AttributeError):
            placement.kind = FULL_VM  # type: ignore[misc]
        assert isinstance(placement, Placement)


class TestShared:
    """The things neighbours may share, in words."""

    def test_repr_str_and_hardware(self):
        """A member shows as code, prints as words, and knows whether it is hardware."""
        assert repr(Shared.HYPERVISOR) == "Shared.HYPERVISOR"
        assert str(Shared.BANDWIDTH) == "disk and network bandwidth"
        assert [thing for thing in Shared if thing.hardware] == list(HARDWARE)


class TestStack:
    """Each kind draws from the server up, with the workloads side by side on top."""

    @pytest.mark.parametrize("kind", KINDS, ids=NAMES)
    def test_workloads_on_top_and_server_below(self, kind):
        """The bottom row is the server; the top row holds one layer per workload."""
        stack = kind.stack("a", "b", "c")
        assert [layer.label for layer in stack.rows[0]] == ["Server"]
        assert [layer.label for layer in stack.rows[-1]] == ["a", "b", "c"]
        assert stack.title == kind.name

    def test_shared_layers_span_and_own_layers_repeat(self):
        """The runc kernel is one shared row; Firecracker repeats its VMM and guest kernel."""
        assert [len(row) for row in RUNC.stack().rows] == [1, 1, 2]
        assert [len(row) for row in FIRECRACKER.stack().rows] == [1, 1, 2, 2, 2]
        assert FIRECRACKER.stack().rows[2][0].kind is LayerKind.HYPERVISOR

    def test_empty_workload_name_is_refused(self):
        """A workload drawn with no name is refused."""
        with pytest.raises(InvalidValueError, match="needs a name such as 'A'"):
            RUNC.stack("a", "")
