"""Tests for vmconcepts.hypervisor: the catalogue and where each hypervisor may be installed."""

import pytest

from vmconcepts.errors import (
    IncompatibleArchitectureError,
    IncompatibleKernelError,
    InvalidValueError,
    UnknownProductError,
    WrongLayerError,
)
from vmconcepts.host import Host
from vmconcepts.hypervisor import Hypervisor
from vmconcepts.infrastructure import Machine
from vmconcepts.operating_system import OperatingSystem
from vmconcepts.overcommit import Overcommit
from vmconcepts.resources import Resources

RES = Resources(8, "16 GiB", "512 GiB")
CATALOGUE = Hypervisor.catalogue()
MACHINES = [Machine("bare", "server", RES)] + [
    Machine(system.name, "server", RES, os=system) for system in OperatingSystem.catalogue()
]


class TestCatalogue:
    """The catalogue holds the products of facts.md, classified as it says."""

    @pytest.mark.parametrize(
        ("name", "kind"),
        [
            ("VMware ESXi", 1),
            ("VMware Workstation", 2),
            ("VMware Fusion", 2),
            ("Oracle VirtualBox", 2),
            ("Parallels Desktop for Mac", 2),
            ("Microsoft Hyper-V", 1),
            ("Xen", 1),
            ("AWS Nitro Hypervisor", None),
            ("Apple Virtualization.framework", None),
            ("KVM", None),
            ("bhyve", None),
            ("QEMU", None),
            ("Firecracker", None),
        ],
    )
    def test_types(self, name, kind):
        """Each product has the type its source gives, or none when it has no agreed type."""
        assert Hypervisor.named(name).type == kind

    @pytest.mark.parametrize("name", ["KVM", "bhyve", "Nitro"])
    def test_disputed_entries_say_so(self, name):
        """KVM, bhyve and the KVM-based Nitro are marked disputed, in the flag and in the words."""
        entry = Hypervisor.named(name)
        assert entry.disputed
        assert "disputed" in entry.classification

    def test_only_kvm_and_its_kin_are_disputed(self):
        """No other entry is marked disputed."""
        assert {h.name for h in CATALOGUE if h.disputed} == {
            "KVM",
            "bhyve",
            "AWS Nitro Hypervisor",
        }

    def test_nitro_cites_the_whitepaper_for_kvm(self):
        """Nitro's KVM basis is cited to AWS's Nitro security whitepaper, not the User Guide."""
        source = Hypervisor.named("Nitro").source
        assert "The Security Design of the AWS Nitro System" in source

    def test_apple_frameworks_are_user_space_apis(self):
        """Virtualization.framework is an API apps call, drawn above macOS, not in its kernel."""
        entry = Hypervisor.named("Virtualization.framework")
        assert entry.installs == "on a host OS"
        assert "user-space" in entry.classification
        assert "kernel" not in entry.classification

    def test_only_qemu_emulates(self):
        """Only QEMU runs a guest of another architecture, by translating it."""
        assert [h.name for h in CATALOGUE if h.emulates] == ["QEMU"]

    def test_no_entry_is_left_unsourced(self):
        """Every classification names a source; none says 'no primary source checked yet'."""
        assert not [h.name for h in CATALOGUE if "no primary source checked" in h.source]

    def test_qemu_and_firecracker_are_what_facts_says(self):
        """QEMU is an emulator and virtualizer; Firecracker is a VMM on KVM."""
        assert Hypervisor.named("QEMU").classification == "emulator and virtualizer"
        assert Hypervisor.named("Firecracker").classification == "virtual machine monitor on KVM"

    def test_fusion_is_marked_unverified(self):
        """Fusion's type has no primary source, and its entry says so."""
        assert Hypervisor.named("Fusion").source.startswith("unverified")

    @pytest.mark.parametrize("entry", CATALOGUE, ids=str)
    def test_every_entry_is_complete(self, entry):
        """Every entry has a vendor, a note and a source."""
        assert entry.vendor
        assert entry.note
        assert entry.source
        assert entry.describe().startswith(f"{entry.name} ({entry.vendor}): ")

    def test_names_are_unique(self):
        """No two entries share a name."""
        names = [h.name.lower() for h in CATALOGUE]
        assert len(names) == len(set(names))

    @pytest.mark.parametrize(
        ("alias", "name"),
        [
            ("esxi", "VMware ESXi"),
            ("VirtualBox", "Oracle VirtualBox"),
            ("parallels", "Parallels Desktop for Mac"),
            ("HYPER-V", "Microsoft Hyper-V"),
            ("nitro", "AWS Nitro Hypervisor"),
            ("Virtualization.framework", "Apple Virtualization.framework"),
            ("  kvm ", "KVM"),
        ],
    )
    def test_short_names(self, alias, name):
        """Short names and any case find the product."""
        assert Hypervisor.named(alias).name == name

    @pytest.mark.parametrize("name", ["VirtualBx", "", None, 3])
    def test_unknown_names(self, name):
        """Unknown names, empty text and non-text raise UnknownProductError."""
        with pytest.raises(UnknownProductError, match="Known: VMware ESXi"):
            Hypervisor.named(name)


def expected_to_fit(hypervisor, machine):
    """The rule, written out again: type 1 on bare metal, the rest on a suitable host OS."""
    if machine.architecture not in hypervisor.host_architectures:
        return False
    if hypervisor.installs == "on the hardware":
        return machine.os is None
    return machine.os is not None and hypervisor.runs_on(machine.os.family)


class TestInstalling:
    """A hypervisor installs only on the layer it is made for."""

    @pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.name)
    @pytest.mark.parametrize("hypervisor", CATALOGUE, ids=str)
    def test_every_pair_follows_the_rule(self, hypervisor, machine):
        """Each product on each machine installs exactly when the layer and kernel fit."""
        if expected_to_fit(hypervisor, machine):
            host = hypervisor.install_on(machine)
            assert isinstance(host, Host)
            assert host.hypervisor is hypervisor
        else:
            with pytest.raises(
                (WrongLayerError, IncompatibleKernelError, IncompatibleArchitectureError)
            ):
                hypervisor.install_on(machine)

    def test_type_2_on_bare_metal_explains(self):
        """VirtualBox on bare metal explains what a type 2 hypervisor needs."""
        with pytest.raises(WrongLayerError, match=r"type 2 \(hosted\) hypervisor") as caught:
            Hypervisor.named("VirtualBox").install_on(MACHINES[0])
        assert caught.value.host_os is None

    def test_type_1_on_an_os_explains(self):
        """ESXi on a Mac explains that a type 1 hypervisor replaces the OS."""
        mac = Machine("mac", "laptop", RES, os="macOS")
        with pytest.raises(WrongLayerError, match="in place of an OS") as caught:
            Hypervisor.named("ESXi").install_on(mac)
        assert caught.value.host_os == "macOS"

    def test_kvm_needs_linux(self):
        """KVM is a Linux kernel module: it needs Linux, and says how to get it."""
        with pytest.raises(WrongLayerError, match="Install Linux first"):
            Hypervisor.named("KVM").install_on(MACHINES[0])
        with pytest.raises(IncompatibleKernelError, match="linux kernel"):
            Hypervisor.named("KVM").install_on(Machine("w", "server", RES, os="Windows 11"))

    def test_hyper_v_is_type_1_but_installed_from_windows(self):
        """Hyper-V goes on a Windows machine, and the advice on bare metal says so."""
        pc = Machine("pc", "desktop", RES, os="Windows 11")
        assert Hypervisor.named("Hyper-V").install_on(pc).machine is pc
        with pytest.raises(WrongLayerError, match="Install Windows first"):
            Hypervisor.named("Hyper-V").install_on(MACHINES[0])

    def test_kernel_mismatch_lists_alternatives(self):
        """Parallels on Windows lists what would work on Windows."""
        pc = Machine("pc", "desktop", RES, os="Windows 11")
        with pytest.raises(IncompatibleKernelError, match=r"you could use: .*Oracle VirtualBox"):
            Hypervisor.named("Parallels").install_on(pc)

    @pytest.mark.parametrize("ratio", [0.5, 0, -1, float("nan"), float("inf"), "2", True])
    def test_bad_ratios_are_refused(self, ratio):
        """Overcommit ratios are finite numbers of at least 1."""
        with pytest.raises(InvalidValueError, match="ratio"):
            Overcommit(vcpu_ratio=ratio)
        with pytest.raises(InvalidValueError, match="ratio"):
            Overcommit(memory_ratio=ratio)

    def test_esxi_refuses_an_arm_server(self):
        """ESXi runs on x86_64 servers; on arm64 the message lists what runs there."""
        arm = Machine("graviton", "server", RES, architecture="arm64")
        with pytest.raises(IncompatibleArchitectureError, match=r"could use: .*Xen"):
            Hypervisor.named("ESXi").install_on(arm)
